// SPDX-License-Identifier: AGPL-3.0-or-later
#include "connectors/internal/parse.hpp"

#include "core/strings.hpp"

namespace mortar::connectors::internal {

namespace {

struct Ref {
    std::optional<std::string> id, name, identifier;
};

// {id, name, identifier, description} of a nested object; empty for null.
Ref ReadRef(od::value v) {
    Ref r;
    if (v.type() != od::json_type::object) return r;
    for (auto field : v.get_object()) {
        const std::string_view key = field.unescaped_key();
        if (key == "id") {
            r.id = Scalar(field.value());
        } else if (key == "name" || key == "description") {
            r.name = Scalar(field.value());
        } else if (key == "identifier") {
            r.identifier = Scalar(field.value());
        }
    }
    return r;
}

void PutMacs(ExternalRecord& r, std::optional<std::string> text) {
    if (!text) return;
    auto macs = SplitMacs(*text);
    if (macs.empty()) return;
    std::string all;
    for (const auto& m : macs) all += (all.empty() ? "" : ", ") + m;
    Put(r, "mac_address", macs.front());
    Put(r, "mac_addresses", all);
}

std::string Join(const std::optional<std::string>& a, const std::optional<std::string>& b) {
    std::string out = a.value_or("");
    if (b && !b->empty()) out += (out.empty() ? "" : " ") + *b;
    return out;
}

// ---- Autotask ----

void AutotaskItem(od::object obj, EntityKind kind, ExternalRecord& r) {
    std::optional<std::string> first, last, updated, activity;
    for (auto field : obj) {
        const std::string_view k = field.unescaped_key();
        od::value v = field.value();
        if (k == "id") {
            r.external_id = Scalar(v).value_or("");
        } else if (k == "isActive") {
            r.active = Bool(v).value_or(true);
        } else if (k == "companyID" && kind != EntityKind::kCompany) {
            r.parent_external_id = Scalar(v).value_or("");
        } else if (kind == EntityKind::kCompany) {
            if (k == "companyName")
                r.name = Scalar(v).value_or("");
            else if (k == "companyNumber")
                Put(r, "number", Scalar(v));
            else if (k == "companyType")
                Put(r, "type_id", Scalar(v));
            else if (k == "phone")
                Put(r, "phone", Scalar(v));
            else if (k == "address1")
                Put(r, "address1", Scalar(v));
            else if (k == "address2")
                Put(r, "address2", Scalar(v));
            else if (k == "city")
                Put(r, "city", Scalar(v));
            else if (k == "state")
                Put(r, "state", Scalar(v));
            else if (k == "postalCode")
                Put(r, "postal_code", Scalar(v));
            else if (k == "countryID")
                Put(r, "country", Scalar(v));
            else if (k == "webAddress")
                Put(r, "website", Scalar(v));
            else if (k == "parentCompanyID")
                Put(r, "parent_id", Scalar(v));
            else if (k == "lastTrackedModifiedDateTime")
                updated = Scalar(v);
            else if (k == "lastActivityDate")
                activity = Scalar(v);
        } else if (kind == EntityKind::kSite) {
            if (k == "name")
                r.name = Scalar(v).value_or("");
            else if (k == "isPrimary")
                Put(r, "primary", Bool(v).value_or(false) ? "true" : "false");
            else if (k == "address1")
                Put(r, "address1", Scalar(v));
            else if (k == "address2")
                Put(r, "address2", Scalar(v));
            else if (k == "city")
                Put(r, "city", Scalar(v));
            else if (k == "state")
                Put(r, "state", Scalar(v));
            else if (k == "postalCode")
                Put(r, "postal_code", Scalar(v));
            else if (k == "countryID")
                Put(r, "country", Scalar(v));
            else if (k == "phone")
                Put(r, "phone", Scalar(v));
        } else if (kind == EntityKind::kContact) {
            if (k == "firstName")
                first = Scalar(v);
            else if (k == "lastName")
                last = Scalar(v);
            else if (k == "title")
                Put(r, "title", Scalar(v));
            else if (k == "emailAddress")
                Put(r, "email", Scalar(v));
            else if (k == "emailAddress2")
                Put(r, "email2", Scalar(v));
            else if (k == "emailAddress3")
                Put(r, "email3", Scalar(v));
            else if (k == "phone")
                Put(r, "phone", Scalar(v));
            else if (k == "mobilePhone")
                Put(r, "mobile", Scalar(v));
            else if (k == "companyLocationID")
                Put(r, "site_id", Scalar(v));
            else if (k == "lastModifiedDate")
                updated = Scalar(v);
            else if (k == "lastActivityDate")
                activity = Scalar(v);
        } else if (kind == EntityKind::kConfiguration) {
            if (k == "referenceTitle")
                r.name = Scalar(v).value_or("");
            else if (k == "referenceNumber")
                Put(r, "asset_tag", Scalar(v));
            else if (k == "serialNumber")
                Put(r, "serial_number", Scalar(v));
            else if (k == "configurationItemType")
                Put(r, "type_id", Scalar(v));
            else if (k == "companyLocationID")
                Put(r, "site_id", Scalar(v));
            else if (k == "contactID")
                Put(r, "contact_id", Scalar(v));
            else if (k == "installDate")
                Put(r, "install_date", Scalar(v));
            else if (k == "warrantyExpirationDate")
                Put(r, "warranty_expires_at", Scalar(v));
            else if (k == "rmmDeviceAuditHostname")
                Put(r, "hostname", Scalar(v));
            else if (k == "rmmDeviceAuditIPAddress")
                Put(r, "ip_address", Scalar(v));
            else if (k == "rmmDeviceAuditMacAddress")
                PutMacs(r, Scalar(v));
            else if (k == "rmmDeviceAuditOperatingSystem")
                Put(r, "os", Scalar(v));
            else if (k == "rmmDeviceAuditManufacturerID")
                Put(r, "manufacturer_id", Scalar(v));
            else if (k == "lastModifiedTime")
                updated = Scalar(v);
        }
    }
    if (kind == EntityKind::kContact) {
        Put(r, "first_name", first);
        Put(r, "last_name", last);
        r.name = Join(first, last);
    }
    r.updated_at_ms = Millis(updated ? *updated : activity.value_or(""));
}

// ---- ConnectWise ----

void ConnectWiseItem(od::object obj, EntityKind kind, ExternalRecord& r) {
    std::optional<std::string> first, last, updated;
    std::vector<std::pair<std::string, std::string>> emails;  // (value, default flag)
    for (auto field : obj) {
        const std::string_view k = field.unescaped_key();
        od::value v = field.value();
        if (k == "id") {
            r.external_id = Scalar(v).value_or("");
        } else if (k == "_info") {
            if (v.type() != od::json_type::object) continue;
            for (auto info : v.get_object()) {
                if (std::string_view(info.unescaped_key()) == "lastUpdated") updated = Scalar(info.value());
            }
        } else if (k == "company" && kind != EntityKind::kCompany) {
            r.parent_external_id = ReadRef(v).id.value_or("");
        } else if (k == "name" || (k == "description" && kind == EntityKind::kConfigurationStatus)) {
            r.name = Scalar(v).value_or("");
        } else if (k == "inactiveFlag") {
            r.active = !Bool(v).value_or(false);
        } else if (kind == EntityKind::kCompany) {
            if (k == "identifier")
                Put(r, "number", Scalar(v));
            else if (k == "deletedFlag")
                r.active = !Bool(v).value_or(false);
            else if (k == "status")
                Put(r, "status_name", ReadRef(v).name);
            else if (k == "types" && v.type() == od::json_type::array) {
                bool first_type = true;
                for (auto t : v.get_array()) {
                    Ref ref = ReadRef(t.value());
                    if (first_type) {
                        Put(r, "type_id", ref.id);
                        Put(r, "type_name", ref.name);
                    }
                    first_type = false;
                }
            } else if (k == "addressLine1")
                Put(r, "address1", Scalar(v));
            else if (k == "addressLine2")
                Put(r, "address2", Scalar(v));
            else if (k == "city")
                Put(r, "city", Scalar(v));
            else if (k == "state")
                Put(r, "state", Scalar(v));
            else if (k == "zip")
                Put(r, "postal_code", Scalar(v));
            else if (k == "country")
                Put(r, "country", ReadRef(v).name);
            else if (k == "phoneNumber")
                Put(r, "phone", Scalar(v));
            else if (k == "website")
                Put(r, "website", Scalar(v));
            else if (k == "parentCompany")
                Put(r, "parent_id", ReadRef(v).id);
        } else if (kind == EntityKind::kSite) {
            if (k == "addressLine1")
                Put(r, "address1", Scalar(v));
            else if (k == "addressLine2")
                Put(r, "address2", Scalar(v));
            else if (k == "city")
                Put(r, "city", Scalar(v));
            else if (k == "stateReference") {
                Ref ref = ReadRef(v);
                Put(r, "state", ref.identifier ? ref.identifier : ref.name);
            } else if (k == "zip")
                Put(r, "postal_code", Scalar(v));
            else if (k == "country")
                Put(r, "country", ReadRef(v).name);
            else if (k == "phoneNumber")
                Put(r, "phone", Scalar(v));
            else if (k == "primaryAddressFlag")
                Put(r, "primary", Bool(v).value_or(false) ? "true" : "false");
        } else if (kind == EntityKind::kContact) {
            if (k == "firstName")
                first = Scalar(v);
            else if (k == "lastName")
                last = Scalar(v);
            else if (k == "title")
                Put(r, "title", Scalar(v));
            else if (k == "site")
                Put(r, "site_id", ReadRef(v).id);
            else if (k == "defaultPhoneNbr")
                Put(r, "phone", Scalar(v));
            else if (k == "communicationItems" && v.type() == od::json_type::array) {
                for (auto item_v : v.get_array()) {
                    od::value item = item_v.value();
                    if (item.type() != od::json_type::object) continue;
                    std::optional<std::string> value, comm, type_name;
                    bool is_default = false;
                    for (auto f : item.get_object()) {
                        const std::string_view ik = f.unescaped_key();
                        if (ik == "value")
                            value = Scalar(f.value());
                        else if (ik == "communicationType")
                            comm = Scalar(f.value());
                        else if (ik == "defaultFlag")
                            is_default = Bool(f.value()).value_or(false);
                        else if (ik == "type")
                            type_name = ReadRef(f.value()).name;
                    }
                    if (!value || value->empty()) continue;
                    if (comm == "Email") {
                        emails.emplace_back(*value, is_default ? "1" : "0");
                    } else if (comm == "Phone" && type_name &&
                               (ToLower(*type_name).find("cell") != std::string::npos ||
                                ToLower(*type_name).find("mobile") != std::string::npos)) {
                        Put(r, "mobile", value);
                    } else if (comm == "Phone") {
                        Put(r, "phone", value);  // defaultPhoneNbr, when present, came first and wins
                    }
                }
            }
        } else if (kind == EntityKind::kConfiguration) {
            if (k == "type") {
                Ref ref = ReadRef(v);
                Put(r, "type_id", ref.id);
                Put(r, "type_name", ref.name);
            } else if (k == "status") {
                Ref ref = ReadRef(v);
                Put(r, "status_id", ref.id);
                Put(r, "status_name", ref.name);
            } else if (k == "manufacturer") {
                Ref ref = ReadRef(v);
                Put(r, "manufacturer_id", ref.id);
                Put(r, "manufacturer_name", ref.name);
            } else if (k == "site")
                Put(r, "site_id", ReadRef(v).id);
            else if (k == "contact")
                Put(r, "contact_id", ReadRef(v).id);
            else if (k == "serialNumber")
                Put(r, "serial_number", Scalar(v));
            else if (k == "modelNumber")
                Put(r, "model", Scalar(v));
            else if (k == "tagNumber")
                Put(r, "asset_tag", Scalar(v));
            else if (k == "macAddress")
                PutMacs(r, Scalar(v));
            else if (k == "ipAddress")
                Put(r, "ip_address", Scalar(v));
            else if (k == "osType")
                Put(r, "os", Scalar(v));
            else if (k == "installationDate")
                Put(r, "install_date", Scalar(v));
            else if (k == "warrantyExpirationDate")
                Put(r, "warranty_expires_at", Scalar(v));
            else if (k == "activeFlag")
                r.active = Bool(v).value_or(true);
        }
    }
    if (kind == EntityKind::kContact) {
        Put(r, "first_name", first);
        Put(r, "last_name", last);
        r.name = Join(first, last);
        std::stable_sort(emails.begin(), emails.end(), [](const auto& a, const auto& b) {
            return a.second > b.second;
        });
        const char* names[] = {"email", "email2", "email3"};
        for (size_t i = 0; i < emails.size() && i < 3; ++i) Put(r, names[i], emails[i].first);
    }
    if (kind == EntityKind::kConfiguration) Put(r, "hostname", r.name);
    r.updated_at_ms = Millis(updated.value_or(""));
}

// ---- HaloPSA ----

void HaloItem(od::object obj, EntityKind kind, ExternalRecord& r) {
    std::optional<std::string> first, last, full, updated, key_field, inventory;
    for (auto field : obj) {
        const std::string_view k = field.unescaped_key();
        od::value v = field.value();
        if (k == "id") {
            r.external_id = Scalar(v).value_or("");
        } else if (k == "inactive") {
            r.active = !Bool(v).value_or(false);
        } else if (k == "client_id" && kind != EntityKind::kCompany) {
            r.parent_external_id = Scalar(v).value_or("");
        } else if (k == "alastupdate" || k == "slastupdate" || k == "ulastupdate" || k == "dlastupdate") {
            updated = Scalar(v);
        } else if (k == "name") {
            full = Scalar(v);
        } else if (kind == EntityKind::kCompany) {
            if (k == "website")
                Put(r, "website", Scalar(v));
            else if (k == "ref")
                Put(r, "number", Scalar(v));
            else if (k == "toplevel_id")
                Put(r, "parent_id", Scalar(v));
        } else if (kind == EntityKind::kSite) {
            if (k == "phonenumber")
                Put(r, "phone", Scalar(v));
            else if (k == "delivery_address" && v.type() == od::json_type::object) {
                for (auto a : v.get_object()) {
                    const std::string_view ak = a.unescaped_key();
                    if (ak == "line1")
                        Put(r, "address1", Scalar(a.value()));
                    else if (ak == "line2")
                        Put(r, "address2", Scalar(a.value()));
                    else if (ak == "line3")
                        Put(r, "city", Scalar(a.value()));
                    else if (ak == "line4")
                        Put(r, "state", Scalar(a.value()));
                    else if (ak == "postcode")
                        Put(r, "postal_code", Scalar(a.value()));
                    else if (ak == "country")
                        Put(r, "country", Scalar(a.value()));
                }
            }
        } else if (kind == EntityKind::kContact) {
            if (k == "firstname")
                first = Scalar(v);
            else if (k == "surname")
                last = Scalar(v);
            else if (k == "site_id")
                Put(r, "site_id", Scalar(v));
            else if (k == "emailaddress")
                Put(r, "email", Scalar(v));
            else if (k == "phonenumber")
                Put(r, "phone", Scalar(v));
            else if (k == "mobilenumber")
                Put(r, "mobile", Scalar(v));
        } else if (kind == EntityKind::kConfiguration) {
            if (k == "key_field")
                key_field = Scalar(v);
            else if (k == "inventory_number")
                inventory = Scalar(v);
            else if (k == "site_id")
                Put(r, "site_id", Scalar(v));
            else if (k == "assettype_id")
                Put(r, "type_id", Scalar(v));
            else if (k == "assettype_name")
                Put(r, "type_name", Scalar(v));
            else if (k == "status_id")
                Put(r, "status_id", Scalar(v));
            else if (k == "status_name")
                Put(r, "status_name", Scalar(v));
            else if (k == "warranty_end")
                Put(r, "warranty_expires_at", Scalar(v));
            else if (k == "ethernetMacAddress")
                PutMacs(r, Scalar(v));
            else if (k == "fields" && v.type() == od::json_type::array) {
                for (auto f_v : v.get_array()) {
                    od::value f = f_v.value();
                    if (f.type() != od::json_type::object) continue;
                    std::optional<std::string> name, value;
                    for (auto m : f.get_object()) {
                        const std::string_view mk = m.unescaped_key();
                        if (mk == "name")
                            name = Scalar(m.value());
                        else if (mk == "value")
                            value = Scalar(m.value());
                    }
                    if (!name) continue;
                    const std::string n = ToLower(*name);
                    if (n == "serial number" || n == "serial")
                        Put(r, "serial_number", value);
                    else if (n == "mac address" || n == "mac")
                        PutMacs(r, value);
                    else if (n == "ip address")
                        Put(r, "ip_address", value);
                    else if (n == "operating system" || n == "os")
                        Put(r, "os", value);
                    else if (n == "model")
                        Put(r, "model", value);
                    else if (n == "hostname" || n == "host name")
                        Put(r, "hostname", value);
                }
            }
        }
    }
    if (kind == EntityKind::kContact) {
        Put(r, "first_name", first);
        Put(r, "last_name", last);
        r.name = full && !full->empty() ? *full : Join(first, last);
    } else if (kind == EntityKind::kConfiguration) {
        r.name = key_field && !key_field->empty() ? *key_field : inventory.value_or("");
        Put(r, "asset_tag", inventory);
        Put(r, "hostname", key_field);
    } else {
        r.name = full.value_or("");
    }
    r.updated_at_ms = Millis(updated.value_or(""));
}

// ---- UniView ----

void UniViewItem(od::object obj, EntityKind kind, ExternalRecord& r) {
    std::optional<std::string> key, start, complete;
    std::optional<int64_t> total, free;
    for (auto field : obj) {
        const std::string_view k = field.unescaped_key();
        od::value v = field.value();
        if (k == "customer_id" && kind != EntityKind::kCompany) {
            r.parent_external_id = Scalar(v).value_or("");
        } else if (k == "name") {
            r.name = Scalar(v).value_or("");
        } else if (kind == EntityKind::kCompany) {
            if (k == "id") r.external_id = Scalar(v).value_or("");
        } else if (kind == EntityKind::kAppliance) {
            if (k == "asset_tag")
                r.external_id = Scalar(v).value_or("");
            else if (k == "is_online")
                r.active = Bool(v).value_or(true);
            else if (k == "version")
                Put(r, "version", Scalar(v));
            else if (k == "helix_status")
                Put(r, "helix_status", Scalar(v));
            else if (k == "total_mb_size" && v.type() == od::json_type::number)
                total = int64_t(v.get_int64());
            else if (k == "total_mb_free" && v.type() == od::json_type::number)
                free = int64_t(v.get_int64());
        } else if (kind == EntityKind::kConfiguration) {
            if (k == "key")
                r.external_id = Scalar(v).value_or("");
            else if (k == "asset_tag")
                Put(r, "appliance", Scalar(v));
            else if (k == "type")
                Put(r, "type_name", Scalar(v));
            else if (k == "ip")
                Put(r, "ip_address", Scalar(v));
            else if (k == "mac")
                PutMacs(r, Scalar(v));
            else if (k == "last_backup" && v.type() == od::json_type::object) {
                for (auto b : v.get_object()) {
                    const std::string_view bk = b.unescaped_key();
                    if (bk == "start_time")
                        start = Scalar(b.value());
                    else if (bk == "complete_time")
                        complete = Scalar(b.value());
                    else if (bk == "status")
                        Put(r, "last_backup_status", Scalar(b.value()));
                    else if (bk == "replication_status")
                        Put(r, "last_replication_status", Scalar(b.value()));
                    else if (bk == "type")
                        Put(r, "last_backup_type", Scalar(b.value()));
                    else if (bk == "size")
                        Put(r, "last_backup_size_mb", Scalar(b.value()));
                }
            }
        } else if (kind == EntityKind::kBackup) {
            if (k == "asset_key")
                key = Scalar(v);
            else if (k == "asset_tag")
                Put(r, "appliance", Scalar(v));
            else if (k == "start_time")
                start = Scalar(v);
            else if (k == "complete_time")
                complete = Scalar(v);
            else if (k == "size")
                Put(r, "size_mb", Scalar(v));
            else if (k == "type")
                Put(r, "type", Scalar(v));
            else if (k == "status")
                Put(r, "status", Scalar(v));
            else if (k == "replication_status")
                Put(r, "replication_status", Scalar(v));
        }
    }
    if (kind == EntityKind::kAppliance) {
        if (total) Put(r, "total_mb", std::to_string(*total));
        if (free) Put(r, "free_mb", std::to_string(*free));
        if (total && free) Put(r, "used_mb", std::to_string(*total - *free));
    } else if (kind == EntityKind::kConfiguration) {
        // The last backup's time: its completion, or its start while it runs.
        Put(r, "last_backup_started_at", start);
        Put(r, "last_backup_at", complete ? complete : start);
        r.updated_at_ms = Millis(complete ? *complete : start.value_or(""));
    } else if (kind == EntityKind::kBackup) {
        Put(r, "asset_key", key);
        Put(r, "started_at", start);
        Put(r, "completed_at", complete);
        if (key && start) r.external_id = *key + "@" + *start;
        r.name = start.value_or("");  // jobs have no name: their start time stands in
        r.updated_at_ms = Millis(complete ? *complete : start.value_or(""));
    }
}

Status Missing(std::string_view what) {
    return Status::Internal(std::string(what) + " without an id");
}

}  // namespace

std::vector<std::string> SplitMacs(std::string_view text) {
    text = Trim(text);
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
    std::vector<std::string> out;
    for (auto part : Split(text, ',')) {
        part = Trim(part);
        if (!part.empty()) out.emplace_back(part);
    }
    return out;
}

Status ParseAutotaskPage(
    od::parser& parser,
    std::string& body,
    EntityKind kind,
    std::vector<ExternalRecord>& out,
    std::optional<std::string>& next_url
) {
    return ParseBody(parser, body, "Autotask page", [&](od::document& doc) -> Status {
        bool saw_items = false;
        for (auto field : doc.get_object()) {
            const std::string_view k = field.unescaped_key();
            if (k == "items") {
                saw_items = true;
                for (auto item : field.value().get_array()) {
                    ExternalRecord r;
                    r.kind = kind;
                    AutotaskItem(item.get_object(), kind, r);
                    if (r.external_id.empty()) return Missing("Autotask record");
                    out.push_back(std::move(r));
                }
            } else if (k == "pageDetails") {
                for (auto d : field.value().get_object()) {
                    if (std::string_view(d.unescaped_key()) == "nextPageUrl") next_url = Scalar(d.value());
                }
            }
        }
        if (!saw_items) return Status::Internal("Autotask page without items");
        return Status::Ok();
    });
}

Status ParseAutotaskPicklist(
    od::parser& parser, std::string& body, std::string_view wanted, EntityKind kind, std::vector<ExternalRecord>& out
) {
    return ParseBody(parser, body, "Autotask entity information", [&](od::document& doc) -> Status {
        for (auto field : doc.get_object()) {
            if (std::string_view(field.unescaped_key()) != "fields") continue;
            for (auto f_v : field.value().get_array()) {
                od::object f = f_v.get_object();
                bool match = false;
                for (auto m : f) {
                    const std::string_view mk = m.unescaped_key();
                    if (mk == "name") {
                        match = Scalar(m.value()).value_or("") == wanted;
                    } else if (mk == "picklistValues" && match) {
                        for (auto p_v : m.value().get_array()) {
                            ExternalRecord r;
                            r.kind = kind;
                            for (auto pm : p_v.get_object()) {
                                const std::string_view pk = pm.unescaped_key();
                                if (pk == "value")
                                    r.external_id = Scalar(pm.value()).value_or("");
                                else if (pk == "label")
                                    r.name = Scalar(pm.value()).value_or("");
                                else if (pk == "isActive")
                                    r.active = Bool(pm.value()).value_or(true);
                            }
                            if (r.external_id.empty()) return Missing("Autotask picklist value");
                            out.push_back(std::move(r));
                        }
                    }
                }
            }
        }
        return Status::Ok();
    });
}

// A page that is a bare JSON array of records, each read by `item` (ConnectWise, UniView).
template <class ItemFn>
Status ParseRecordArray(
    od::parser& parser,
    std::string& body,
    EntityKind kind,
    std::vector<ExternalRecord>& out,
    std::string_view vendor,
    ItemFn item_fn
) {
    return ParseBody(parser, body, std::string(vendor) + " page", [&](od::document& doc) -> Status {
        for (auto item : doc.get_array()) {
            ExternalRecord r;
            r.kind = kind;
            item_fn(item.get_object(), kind, r);
            if (r.external_id.empty()) return Missing(std::string(vendor) + " record");
            out.push_back(std::move(r));
        }
        return Status::Ok();
    });
}

Status ParseConnectWiseArray(od::parser& parser, std::string& body, EntityKind kind, std::vector<ExternalRecord>& out) {
    return ParseRecordArray(parser, body, kind, out, "ConnectWise", [](auto object, EntityKind k, ExternalRecord& r) {
        ConnectWiseItem(std::move(object), k, r);
    });
}

Status ParseUniViewArray(od::parser& parser, std::string& body, EntityKind kind, std::vector<ExternalRecord>& out) {
    return ParseRecordArray(parser, body, kind, out, "UniView", [](auto object, EntityKind k, ExternalRecord& r) {
        UniViewItem(std::move(object), k, r);
    });
}

Status ParseHaloList(
    od::parser& parser,
    std::string& body,
    EntityKind kind,
    std::vector<ExternalRecord>& out,
    std::optional<int64_t>& record_count
) {
    return ParseBody(parser, body, "HaloPSA page", [&](od::document& doc) -> Status {
        auto items = [&](od::array arr) -> Status {
            for (auto item : arr) {
                ExternalRecord r;
                r.kind = kind;
                HaloItem(item.get_object(), kind, r);
                if (r.external_id.empty()) return Missing("HaloPSA record");
                out.push_back(std::move(r));
            }
            return Status::Ok();
        };
        if (doc.type() == od::json_type::array) return items(doc.get_array());
        bool saw_list = false;
        for (auto field : doc.get_object()) {
            const std::string_view k = field.unescaped_key();
            od::value v = field.value();
            if (k == "record_count") {
                record_count = v.get_int64();
            } else if (v.type() == od::json_type::array) {
                saw_list = true;
                MORTAR_RETURN_IF_ERROR(items(v.get_array()));
            }
        }
        if (!saw_list) return Status::Internal("HaloPSA page without a list");
        return Status::Ok();
    });
}

}  // namespace mortar::connectors::internal
