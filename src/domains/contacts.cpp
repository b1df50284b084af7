// SPDX-License-Identifier: AGPL-3.0-or-later
// Contacts (API.md 3.5): the people at a client organization a technician calls,
// with their e-mail addresses and phone numbers.
#include <string>

#include "api/psa_links.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "domains/common.hpp"
#include "jsonapi/body.hpp"

namespace mortar::domains {
namespace {

constexpr db::Query kLocationOrganization{
    "contacts.location_organization", "SELECT organization_id FROM locations WHERE account_id = $1 AND id = $2"};
constexpr db::Query kContactOrganization{
    "contacts.organization", "SELECT organization_id FROM contacts WHERE account_id = $1 AND id = $2"};

// "(555) 123-4567" for North American numbers; anything else as entered.
std::string FormatPhone(std::string_view value) {
    std::string digits;
    for (char c : value) {
        if (c >= '0' && c <= '9') digits += c;
    }
    if (digits.size() == 11 && digits[0] == '1') digits.erase(0, 1);
    if (digits.size() == 10 && value.find_first_of("+") == std::string_view::npos) {
        return "(" + digits.substr(0, 3) + ") " + digits.substr(3, 3) + "-" + digits.substr(6);
    }
    return std::string(value);
}

// One e-mail or phone entry, its keys read in either spelling.
struct Entry {
    const json::Value* Get(std::string_view snake) const {
        for (const auto& [k, v] : obj->as_object()) {
            if (DashToUnderscore(k) == snake) return &v;
        }
        return nullptr;
    }
    const json::Value* obj;
};

Result<std::string> RequiredString(const Entry& e, std::string_view name, const std::string& pointer) {
    const json::Value* v = e.Get(name);
    auto s = v ? jsonapi::ReadString(*v) : Result<std::optional<std::string>>(std::optional<std::string>());
    if (!s) return Status::Unprocessable(s.status().message(), pointer + "/" + UnderscoreToDash(name));
    if (!*s || Trim(**s).empty())
        return Status::Unprocessable("can't be blank", pointer + "/" + UnderscoreToDash(name));
    if ((*s)->size() > 255) return Status::Unprocessable("is too long (maximum is 255 characters)", pointer);
    return std::string(Trim(**s));
}

Result<bool> OptionalBool(const Entry& e, std::string_view name, const std::string& pointer) {
    const json::Value* v = e.Get(name);
    if (!v) return false;
    auto b = jsonapi::ReadBool(*v);
    if (!b) return Status::Unprocessable(b.status().message(), pointer + "/" + UnderscoreToDash(name));
    return b->value_or(false);
}

// Checks an array of entries and re-serialises it with kebab-case keys.
Result<std::string> NormaliseEntries(const json::Value& value, const std::string& pointer, bool phones) {
    if (!value.is_array()) return Status::Unprocessable("must be an array", pointer);
    if (value.as_array().size() > 100) return Status::Unprocessable("has too many entries (at most 100)", pointer);
    json::Writer w;
    w.BeginArray();
    std::size_t idx = 0;
    for (const json::Value& item : value.as_array()) {
        const std::string at = pointer + "/" + std::to_string(idx++);
        if (!item.is_object()) return Status::Unprocessable("must be an object", at);
        Entry e{&item};
        auto v = RequiredString(e, "value", at);
        if (!v) return v.status();
        auto label = RequiredString(e, "label_name", at);
        if (!label) return label.status();
        auto primary = OptionalBool(e, "primary", at);
        if (!primary) return primary.status();
        w.BeginObject();
        w.Key("value");
        w.String(*v);
        w.Key("label-name");
        w.String(*label);
        w.Key("primary");
        w.Bool(*primary);
        if (phones) {
            std::optional<std::string> extension;
            if (const json::Value* x = e.Get("extension")) {
                auto s = jsonapi::ReadString(*x);
                if (!s) return Status::Unprocessable(s.status().message(), at + "/extension");
                extension = *s;
            }
            std::string type = "phone";
            if (const json::Value* t = e.Get("label_type"); t && !t->is_null()) {
                auto s = jsonapi::ReadString(*t);
                if (!s || !*s || (**s != "phone" && **s != "fax")) {
                    return Status::Unprocessable("must be phone or fax", at + "/label-type");
                }
                type = **s;
            }
            w.Key("extension");
            if (extension && !extension->empty()) {
                w.String(*extension);
            } else {
                w.Null();
            }
            w.Key("label-type");
            w.String(type);
            w.Key("formatted-value");
            w.String(FormatPhone(*v));
        }
        w.EndObject();
    }
    w.EndArray();
    return w.Take();
}

// The primary address, or the first one: what filter[primary_email] matches.
std::optional<std::string> PrimaryEmail(const std::string& emails_json) {
    auto parsed = json::Parse(emails_json);
    if (!parsed || !parsed->is_array()) return std::nullopt;
    std::optional<std::string> first;
    for (const json::Value& e : parsed->as_array()) {
        const json::Value* v = e.Find("value");
        if (!v || !v->is_string()) continue;
        if (!first) first = v->as_string();
        if (const json::Value* p = e.Find("primary"); p && p->is_bool() && p->as_bool()) return v->as_string();
    }
    return first;
}

Status BeforeWrite(db::Tx& tx, api::WriteContext& wc) {
    if (const auto* emails = wc.Get("contact_emails")) {
        if (const auto* text = std::get_if<std::string>(emails)) {
            auto primary = PrimaryEmail(*text);
            wc.Set("primary_email", primary ? api::ColumnValue(*primary) : api::ColumnValue(db::Null{}));
        } else {
            wc.Set("contact_emails", std::string("[]"));
            wc.Set("primary_email", db::Null{});
        }
    }
    if (const auto* phones = wc.Get("contact_phones"); phones && std::holds_alternative<db::Null>(*phones)) {
        wc.Set("contact_phones", std::string("[]"));
    }
    // A contact's location must be one of its own organization's locations.
    const auto* location = wc.Get("location_id");
    const auto* location_id = location ? std::get_if<int64_t>(location) : nullptr;
    if (!location_id) return Status::Ok();
    int64_t organization_id = 0;
    if (const auto* org = wc.Get("organization_id"); org && std::holds_alternative<int64_t>(*org)) {
        organization_id = std::get<int64_t>(*org);
    } else if (wc.id) {
        auto current = LookupInt(tx, kContactOrganization, wc.account_id, *wc.id);
        if (!current) return current.status();
        organization_id = current->value_or(0);
    }
    auto location_org = LookupInt(tx, kLocationOrganization, wc.account_id, *location_id);
    if (!location_org) return location_org.status();
    if (location_org->value_or(0) != organization_id) {
        return Status::Unprocessable("must be a location of the contact's organization", wc.Pointer("location_id"));
    }
    return Status::Ok();
}

}  // namespace

Result<std::string> NormaliseContactEntries(const json::Value& entries, bool phones) {
    return NormaliseEntries(entries, "", phones);
}

api::ResourceDef MakeContacts() {
    using api::Field;
    using api::FieldKind;
    api::ResourceDef def;
    def.path = "contacts";
    def.table = "contacts";
    def.joins = std::string(kJoinOrganization) +
                " LEFT JOIN contact_types ct ON ct.id = t.contact_type_id"
                " LEFT JOIN locations l ON l.id = t.location_id";
    AddOrganization(def.fields);
    def.fields.insert(
        def.fields.end(),
        {
            Field::Computed(
                "name",
                FieldKind::kText,
                "NULLIF(trim(coalesce(t.first_name, '') || ' ' || coalesce(t.last_name, '')), '')"
            ),
            Field::Text("first_name").Filterable().Sortable(),
            Field::Text("last_name").Filterable().Sortable(),
            Field::Text("title").Filterable(),
            Field::LongText("notes"),
            Field::Ref("contact_type_id", "contact_types").Filterable(),
            Field::Computed("contact_type_name", FieldKind::kText, "ct.name"),
            Field::Ref("location_id", "locations"),
            Field::Computed("location_name", FieldKind::kText, "l.name"),
            Field::Bool("important").Filterable(),
            Field::Bool("restricted"),
            Field::Json(
                "contact_emails",
                [](const json::Value& v, const std::string& p) { return NormaliseEntries(v, p, false); }
            ),
            Field::Json(
                "contact_phones",
                [](const json::Value& v, const std::string& p) { return NormaliseEntries(v, p, true); }
            ),
            Field::Text("primary_email").ReadOnly().Filterable().Hidden(),
            Field::Computed("psa_integration", FieldKind::kText, api::PsaIntegrationSelect("contacts")),
        }
    );
    AddTimestamps(def.fields);
    def.routes = kFlatRecordRoutes;
    def.psa_filters = true;
    def.search_title = "name";
    // A contact synced from a PSA: names, title, e-mails, phones, organization and
    // location are the PSA's (SPEC SYNC-4); notes, type, important and restricted stay
    // editable.
    def.hooks.before_write = api::ChainHooks<std::function<Status(db::Tx&, api::WriteContext&)>>(
        api::RefusePsaOwnedChanges(
            "contacts",
            "contacts",
            {{"organization_id", "organization_id"},
             {"first_name", "first_name"},
             {"last_name", "last_name"},
             {"title", "title"},
             {"contact_emails", "contact_emails"},
             {"contact_phones", "contact_phones"},
             {"location_id", "location_id"}}
        ),
        BeforeWrite
    );
    def.hooks.before_delete = api::RefuseSyncedDelete("contacts");
    def.parent = api::Parent{
        .path = "organizations", .table = "organizations", .field = "organization_id", .routes = kNestedRecordRoutes};
    return def;
}

}  // namespace mortar::domains
