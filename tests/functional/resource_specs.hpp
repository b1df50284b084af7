// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

// One table per API resource (API.md section 3). The generic tests in
// resources_ftest.cpp turn each table into list, show, create, update, bulk, nested,
// paging, filter, sort, validation and isolation tests; adding a resource to the suite
// is adding a table to AllResourceSpecs().

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "api_checks.hpp"

namespace mortar::ftest {

// The records a test's records refer to. The generic test creates them fresh, through
// the API, for every test that needs them, so that filters on them select exactly the
// records of that test.
struct Fixtures {
    std::string tag;                    // unique per test, prefix of every label
    int64_t organization_id = 0;        // parent of organization children
    int64_t other_organization_id = 0;  // a second parent, for wrong-parent checks
    int64_t manufacturer_id = 0;        // parent of models
    int64_t other_manufacturer_id = 0;
    int64_t organization_type_id = 0;      // scope of an organizations test
    int64_t alt_organization_type_id = 0;  // target of a foreign-key update
    int64_t organization_status_id = 0;
    int64_t contact_type_id = 0;
    int64_t alt_contact_type_id = 0;
    int64_t location_id = 0;            // a location of organization_id
    int64_t configuration_type_id = 0;  // required by configurations
    int64_t alt_configuration_type_id = 0;
};

// What a fresh test needs created before its records.
enum Need : unsigned {
    kNeedOrganization = 1u << 0,      // organization_id and other_organization_id
    kNeedManufacturer = 1u << 1,      // manufacturer_id and other_manufacturer_id
    kNeedOrganizationType = 1u << 2,  // organization_type_id, alt_organization_type_id
    kNeedOrganizationStatus = 1u << 3,
    kNeedContactType = 1u << 4,        // contact_type_id, alt_contact_type_id
    kNeedLocation = 1u << 5,           // location_id (implies kNeedOrganization)
    kNeedConfigurationType = 1u << 6,  // configuration_type_id, alt_configuration_type_id
};

// How a test lists exactly its own records (other tests share the server).
enum class Scope {
    kOrganizationType,  // ?filter[organization_type_id]=<fixtures.organization_type_id>
    kOrganization,      // ?filter[organization_id]=<fixtures.organization_id>
    kLabels,            // ?filter[<label>]=<label 1>,<label 2>,...
    kNestedOnly,        // only the nested list route lists (models)
};

enum class Parent { kNone, kOrganization, kManufacturer };

struct ResourceSpec {
    std::string name;  // test-name suffix: "Organizations"
    std::string path;  // "/api/organizations"
    std::string type;  // the dasherized plural: "organization-types"
    unsigned needs = 0;
    Scope scope = Scope::kLabels;

    // Nesting: children of Parent are also at
    // <parent path>/<parent id>/relationships/<nested_segment>.
    Parent parent = Parent::kNone;
    std::string nested_segment;  // "locations"
    std::string parent_fk;       // "organization-id"
    // Attributes naming records of the parent (a contact's location-id): left out when a
    // test creates the record under another parent.
    std::vector<std::string> parent_bound;

    // A writable string attribute, unique per record and sortable: "name", "first-name".
    std::string label;
    // The attribute whose absence on create is 422 with its pointer.
    std::string required;
    // Attributes every response carries (null allowed), kebab-case.
    std::vector<std::string> attributes;
    // Attributes that are null after a create that did not set them.
    std::vector<std::string> null_when_unset;
    // The kebab attributes of a create, given the fixtures and the record's label.
    std::function<JObject(const Fixtures&, const std::string& label)> create;
    // A writable string attribute that PATCH changes.
    std::string update_attr;
    // A foreign key PATCH moves to another record, sent as a digit string (R2), and the
    // fixture it moves to; empty when the resource has none.
    std::string update_fk;
    std::function<int64_t(const Fixtures&)> update_fk_target;
    // A foreign key whose target must exist: 999999 there is 422 ("must exist").
    std::string reference;
    // Filterable attributes whose values are unique to one test ("id" is data.id).
    std::vector<std::string> filters;
    // Read-only attributes a client echoes back (R4): they must be ignored.
    std::vector<std::string> read_only;

    bool bulk_update = false;  // PATCH <path> with data[]
    bool bulk_delete = false;  // DELETE <path> with data[] (and nested, when nested)
};

// Every resource: organizations, the lookup lists, locations, contacts, manufacturers,
// models and configurations.
const std::vector<ResourceSpec>& AllResourceSpecs();

}  // namespace mortar::ftest
