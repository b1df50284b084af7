// SPDX-License-Identifier: AGPL-3.0-or-later
#include "resource_specs.hpp"

namespace mortar::ftest {
namespace {

// A lookup list of API.md 3.2: name*, created-at, updated-at; GET list, GET one, POST,
// PATCH one; filter name; sort name, id, created_at, updated_at. No DELETE, no bulk.
ResourceSpec Lookup(std::string name, std::string path, std::string type, std::vector<std::string> extra = {}) {
    ResourceSpec s;
    s.name = std::move(name);
    s.path = std::move(path);
    s.type = std::move(type);
    s.scope = Scope::kLabels;
    s.label = "name";
    s.required = "name";
    s.attributes = {"name", "created-at", "updated-at"};
    for (std::string& e : extra) s.attributes.push_back(std::move(e));
    s.create = [](const Fixtures&, const std::string& label) { return JObject{{"name", label}}; };
    s.update_attr = "name";
    s.filters = {"name"};
    s.read_only = {"created-at", "updated-at"};
    return s;
}

ResourceSpec Organizations() {
    ResourceSpec s;
    s.name = "Organizations";
    s.path = "/api/organizations";
    s.type = "organizations";
    s.needs = kNeedOrganizationType | kNeedOrganizationStatus;
    s.scope = Scope::kOrganizationType;
    s.label = "name";
    s.required = "name";
    s.attributes = {
        "name",
        "alert",
        "description",
        "quick-notes",
        "short-name",
        "organization-type-id",
        "organization-type-name",
        "organization-status-id",
        "organization-status-name",
        "parent-id",
        "ancestor-ids",
        "primary",
        "logo",
        "my-glue-account-id",
        "psa-integration",
        "created-at",
        "updated-at"};
    s.null_when_unset = {"alert", "short-name", "quick-notes", "parent-id", "my-glue-account-id", "psa-integration"};
    s.create = [](const Fixtures& f, const std::string& label) {
        return JObject{
            {"name", label},
            {"description", label + " description"},
            {"organization-type-id", f.organization_type_id},
            {"organization-status-id", f.organization_status_id}};
    };
    s.update_attr = "description";
    s.update_fk = "organization-type-id";
    s.update_fk_target = [](const Fixtures& f) { return f.alt_organization_type_id; };
    s.reference = "organization-type-id";
    s.filters = {"id", "name", "organization-type-id", "organization-status-id"};
    s.read_only = {
        "organization-type-name",
        "organization-status-name",
        "ancestor-ids",
        "primary",
        "logo",
        "psa-integration",
        "created-at",
        "updated-at"};
    s.bulk_update = true;
    s.bulk_delete = true;
    return s;
}

ResourceSpec Locations() {
    ResourceSpec s;
    s.name = "Locations";
    s.path = "/api/locations";
    s.type = "locations";
    s.needs = kNeedOrganization;
    s.scope = Scope::kOrganization;
    s.parent = Parent::kOrganization;
    s.nested_segment = "locations";
    s.parent_fk = "organization-id";
    s.label = "name";
    s.required = "name";
    s.attributes = {
        "organization-id", "name",        "primary",      "address-1",       "address-2",     "city",
        "postal-code",     "region-id",   "country-id",   "phone",           "fax",           "notes",
        "restricted",      "region-name", "country-name", "formatted-phone", "formatted-fax", "organization-name",
        "created-at",      "updated-at"};
    s.null_when_unset = {"address-2", "region-id", "country-id", "fax", "notes", "region-name", "country-name"};
    s.create = [](const Fixtures& f, const std::string& label) {
        return JObject{
            {"organization-id", f.organization_id},
            {"name", label},
            {"address-1", "1 Main Street"},
            {"city", label + "-city"},
            {"postal-code", "12345"},
            {"phone", "5551234567"}};
    };
    s.update_attr = "notes";
    s.reference = "organization-id";
    s.filters = {"id", "name", "city", "organization-id"};
    s.read_only = {
        "organization-name",
        "region-name",
        "country-name",
        "formatted-phone",
        "formatted-fax",
        "created-at",
        "updated-at"};
    s.bulk_update = true;
    s.bulk_delete = true;
    return s;
}

ResourceSpec Contacts() {
    ResourceSpec s;
    s.name = "Contacts";
    s.path = "/api/contacts";
    s.type = "contacts";
    s.needs = kNeedOrganization | kNeedContactType | kNeedLocation;
    s.scope = Scope::kOrganization;
    s.parent = Parent::kOrganization;
    s.nested_segment = "contacts";
    s.parent_fk = "organization-id";
    s.parent_bound = {"location-id"};
    s.label = "first-name";
    s.required = "organization-id";
    s.attributes = {
        "organization-id",
        "organization-name",
        "first-name",
        "last-name",
        "name",
        "title",
        "notes",
        "contact-type-id",
        "contact-type-name",
        "location-id",
        "location-name",
        "important",
        "restricted",
        "contact-emails",
        "contact-phones",
        "psa-integration",
        "created-at",
        "updated-at"};
    s.null_when_unset = {"notes", "psa-integration"};
    s.create = [](const Fixtures& f, const std::string& label) {
        return JObject{
            {"organization-id", f.organization_id},
            {"first-name", label},
            {"last-name", label + "-last"},
            {"title", label + "-title"},
            {"contact-type-id", f.contact_type_id},
            {"location-id", f.location_id},
            {"important", false},
            {"contact-emails",
             JArray{JObject{{"value", label + "@example.com"}, {"label-name", "Work"}, {"primary", true}}}},
            {"contact-phones",
             JArray{JObject{{"value", "5551234567"}, {"label-name", "Work"}, {"extension", "12"}, {"primary", true}}}}};
    };
    s.update_attr = "title";
    s.update_fk = "contact-type-id";
    s.update_fk_target = [](const Fixtures& f) { return f.alt_contact_type_id; };
    s.reference = "contact-type-id";
    s.filters = {"id", "first-name", "last-name", "title", "contact-type-id", "organization-id"};
    s.read_only = {
        "name",
        "organization-name",
        "contact-type-name",
        "location-name",
        "psa-integration",
        "created-at",
        "updated-at"};
    s.bulk_update = true;
    s.bulk_delete = true;
    return s;
}

ResourceSpec Models() {
    ResourceSpec s;
    s.name = "Models";
    s.path = "/api/models";
    s.type = "models";
    s.needs = kNeedManufacturer;
    s.scope = Scope::kNestedOnly;
    s.parent = Parent::kManufacturer;
    s.nested_segment = "models";
    s.parent_fk = "manufacturer-id";
    s.label = "name";
    s.required = "name";
    s.attributes = {"name", "manufacturer-id", "created-at", "updated-at"};
    s.create = [](const Fixtures& f, const std::string& label) {
        return JObject{{"name", label}, {"manufacturer-id", f.manufacturer_id}};
    };
    s.update_attr = "name";
    s.reference = "manufacturer-id";
    s.read_only = {"created-at", "updated-at"};
    s.bulk_update = true;
    return s;
}

ResourceSpec Configurations() {
    ResourceSpec s;
    s.name = "Configurations";
    s.path = "/api/configurations";
    s.type = "configurations";
    s.needs = kNeedOrganization | kNeedConfigurationType | kNeedLocation;
    s.scope = Scope::kOrganization;
    s.parent = Parent::kOrganization;
    s.nested_segment = "configurations";
    s.parent_fk = "organization-id";
    s.parent_bound = {"location-id"};
    s.label = "name";
    s.required = "name";
    s.attributes = {
        "organization-id",
        "organization-name",
        "organization-short-name",
        "resource-url",
        "name",
        "hostname",
        "primary-ip",
        "mac-address",
        "default-gateway",
        "serial-number",
        "asset-tag",
        "position",
        "installed-by",
        "purchased-by",
        "notes",
        "operating-system-notes",
        "warranty-expires-at",
        "installed-at",
        "purchased-at",
        "configuration-type-id",
        "configuration-type-name",
        "configuration-type-kind",
        "configuration-status-id",
        "configuration-status-name",
        "manufacturer-id",
        "manufacturer-name",
        "model-id",
        "model-name",
        "operating-system-id",
        "operating-system-name",
        "location-id",
        "location-name",
        "contact-id",
        "contact-name",
        "archived",
        "restricted",
        "my-glue",
        "psa-integration",
        "created-at",
        "updated-at"};
    s.null_when_unset = {
        "hostname",
        "default-gateway",
        "asset-tag",
        "notes",
        "installed-at",
        "model-id",
        "contact-id",
        "psa-integration"};
    s.create = [](const Fixtures& f, const std::string& label) {
        return JObject{
            {"organization-id", f.organization_id},
            {"name", label},
            {"configuration-type-id", f.configuration_type_id},
            {"serial-number", label + "-sn"},
            {"primary-ip", "192.168.10.5"},
            {"mac-address", "3C:52:82:10:AA:01"},
            {"warranty-expires-at", "2027-03-31"},
            {"location-id", f.location_id}};
    };
    s.update_attr = "notes";
    s.update_fk = "configuration-type-id";
    s.update_fk_target = [](const Fixtures& f) { return f.alt_configuration_type_id; };
    s.reference = "configuration-type-id";
    s.filters = {"id", "name", "serial-number", "configuration-type-id", "organization-id"};
    s.read_only = {
        "organization-name",
        "configuration-type-name",
        "location-name",
        "resource-url",
        "my-glue",
        "psa-integration",
        "created-at",
        "updated-at"};
    s.bulk_update = true;
    s.bulk_delete = true;
    return s;
}

}  // namespace

const std::vector<ResourceSpec>& AllResourceSpecs() {
    static const std::vector<ResourceSpec> specs = {
        Lookup("OrganizationTypes", "/api/organization_types", "organization-types"),
        Lookup("OrganizationStatuses", "/api/organization_statuses", "organization-statuses"),
        Lookup("ContactTypes", "/api/contact_types", "contact-types"),
        Lookup("ConfigurationTypes", "/api/configuration_types", "configuration-types", {"configurations-count"}),
        Lookup("ConfigurationStatuses", "/api/configuration_statuses", "configuration-statuses"),
        Lookup("Manufacturers", "/api/manufacturers", "manufacturers"),
        Organizations(),
        Locations(),
        Contacts(),
        Models(),
        Configurations(),
    };
    return specs;
}

}  // namespace mortar::ftest
