// SPDX-License-Identifier: AGPL-3.0-or-later
// Passwords (API.md 3.7, SPEC DOC-3): the credentials an MSP keeps for a client — a
// firewall's admin login, a tenant's global admin, a device's local account — sorted
// into categories, optionally embedded in the record they belong to. The password and
// the OTP secret are sealed by the vault; the password is shown only when asked for
// (show_password) to a key with password access, every reveal is logged, and the OTP
// secret is never echoed.
#include <string>

#include "core/strings.hpp"
#include "domains/common.hpp"

namespace mortar::domains {
namespace {

// The records a password can be embedded in today, by IT Glue's resource-type names.
struct EmbedTarget {
    std::string_view type;   // "Configuration"
    std::string_view table;  // "configurations"
    std::string_view sql;    // name and organization of the target (alias t): $1 account, $2 id
};
constexpr EmbedTarget kEmbedTargets[] = {
    {"Configuration",
     "configurations",
     "SELECT name, organization_id FROM configurations t WHERE account_id = $1 AND id = $2"},
    {"Contact",
     "contacts",
     "SELECT trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), organization_id FROM contacts t "
     "WHERE account_id = $1 AND id = $2"},
    {"Location", "locations", "SELECT name, organization_id FROM locations t WHERE account_id = $1 AND id = $2"},
    {"Document", "documents", "SELECT name, organization_id FROM documents t WHERE account_id = $1 AND id = $2"},
    {"Flexible Asset",
     "flexible_assets",
     "SELECT coalesce(name, ''), organization_id FROM flexible_assets t WHERE account_id = $1 AND id = $2"},
};

constexpr db::Query kPasswordOrganization{
    "passwords.organization", "SELECT organization_id FROM passwords WHERE account_id = $1 AND id = $2"};

// resource-id and resource-type come together; the target must exist in the same
// organization. Its name and type are cached for lists.
Status CheckEmbedding(db::Tx& tx, api::WriteContext& wc) {
    const api::ColumnValue* rid = wc.Get("resource_id");
    const api::ColumnValue* rtype = wc.Get("resource_type");
    if (!rid && !rtype) return Status::Ok();
    const auto* id = rid ? std::get_if<int64_t>(rid) : nullptr;
    const auto* type = rtype ? std::get_if<std::string>(rtype) : nullptr;
    if (!id && !type) {
        wc.Set("resource_id", db::Null{});
        wc.Set("resource_type", db::Null{});
        wc.Set("cached_resource_type_name", db::Null{});
        wc.Set("cached_resource_name", db::Null{});
        return Status::Ok();
    }
    if (!id) return Status::Unprocessable("is required with resource-type", wc.Pointer("resource_id"));
    if (!type) return Status::Unprocessable("is required with resource-id", wc.Pointer("resource_type"));
    const EmbedTarget* target = nullptr;
    for (const EmbedTarget& t : kEmbedTargets) {
        if (t.type == *type) target = &t;
    }
    if (!target) {
        return Status::Unprocessable(
            "must be one of Configuration, Contact, Document, Flexible Asset, Location (embedding in " + *type +
                " is not supported yet)",
            wc.Pointer("resource_type")
        );
    }
    // A target the writer may not see (a restricted document) does not exist for them.
    auto stmt = tx.PrepareDynamic(std::string(target->sql) + wc.VisibleRows(target->table));
    if (!stmt) return stmt.status();
    stmt->Bind(1, wc.account_id).Bind(2, *id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::Unprocessable("must exist", wc.Pointer("resource_id"));
    const std::string name(stmt->row().GetText(0));
    const int64_t target_org = stmt->row().GetInt(1);
    int64_t organization_id = 0;
    if (const auto* org = wc.Get("organization_id"); org && std::holds_alternative<int64_t>(*org)) {
        organization_id = std::get<int64_t>(*org);
    } else if (wc.id) {
        auto current = LookupInt(tx, kPasswordOrganization, wc.account_id, *wc.id);
        if (!current) return current.status();
        organization_id = current->value_or(0);
    }
    if (target_org != organization_id) {
        return Status::Unprocessable("must belong to the password's organization", wc.Pointer("resource_id"));
    }
    wc.Set("cached_resource_type_name", std::string(target->type));
    wc.Set("cached_resource_name", name);
    return Status::Ok();
}

}  // namespace

api::ResourceDef MakePasswordCategories() {
    api::ResourceDef def;
    def.path = "password_categories";
    def.table = "password_categories";
    def.fields = {
        api::Field::Text("name").Required().Filterable().Sortable(),
        api::Field::Computed(
            "passwords_count",
            api::FieldKind::kInt,
            "(SELECT count(*) FROM passwords p WHERE p.account_id = t.account_id AND p.password_category_id = t.id)"
        ),
    };
    AddTimestamps(def.fields);
    def.routes = api::kList | api::kShow | api::kCreate | api::kUpdate;
    def.access = api::AccessClass::kConfiguration;
    return def;
}

api::ResourceDef MakePasswords() {
    using api::Field;
    using api::FieldKind;
    api::ResourceDef def;
    def.path = "passwords";
    def.table = "passwords";
    def.joins = std::string(kJoinOrganization) + " LEFT JOIN password_categories pc ON pc.id = t.password_category_id";
    AddOrganization(def.fields);
    def.fields.insert(
        def.fields.end(),
        {
            Field::Computed(
                "resource_url",
                FieldKind::kText,
                "CAST(t.organization_id AS TEXT) || '/passwords/' || CAST(t.id AS TEXT)"
            )
                .PublicUrl(),
            Field::Text("name").Required().Filterable().Sortable(),
            Field::Text("username").Sortable(),
            Field::Text("url").MaxLength(2048).Filterable().Sortable(),
            Field::LongText("notes"),
            Field::Ref("password_category_id", "password_categories").Filterable(),
            Field::Computed("password_category_name", FieldKind::kText, "pc.name"),
            Field::Int("resource_id"),
            Field::Text("resource_type"),
            Field::Text("cached_resource_type_name").ReadOnly(),
            Field::Text("cached_resource_name").ReadOnly().Filterable(),
            Field::Timestamp("password_updated_at"),
            Field::Bool("restricted"),
            Field::Bool("archived").Filterable(),
            Field::LongText("autofill_selectors"),
            Field::Computed("my_glue", FieldKind::kBool, "NULL"),
        }
    );
    AddTimestamps(def.fields);
    api::SecretField password;
    password.name = "password";
    password.column = "password_envelope";
    password.required = true;
    password.touch_column = "password_updated_at";
    api::SecretField otp;
    otp.name = "otp_secret";
    otp.column = "otp_secret_envelope";
    otp.revealable = false;
    def.secrets = {password, otp};
    def.routes = kFlatRecordRoutes;
    def.search_title = "name";
    def.hooks.before_write = CheckEmbedding;
    def.restrictable = true;
    def.parent = api::Parent{
        .path = "organizations", .table = "organizations", .field = "organization_id", .routes = kNestedRecordRoutes};
    return def;
}

}  // namespace mortar::domains
