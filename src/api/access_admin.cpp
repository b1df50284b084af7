// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/access_admin.hpp"

#include <memory>
#include <vector>

#include "api/crud.hpp"
#include "api/web_sessions.hpp"
#include "auth/users.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "jsonapi/body.hpp"
#include "jsonapi/document.hpp"

namespace mortar::api {
namespace {

using http::Request;
using http::Response;

constexpr db::Query kEmailTaken{"users.email_taken_by_other", "SELECT 1 FROM users WHERE email = $1 AND id <> $2"};
constexpr db::Query kUserRow{"users.row", "SELECT role, disabled, email FROM users WHERE account_id = $1 AND id = $2"};
constexpr db::Query kOrganizationExists{
    "organizations.exists", "SELECT 1 FROM organizations WHERE account_id = $1 AND id = $2"};
constexpr db::Query kUserExists{"users.exists_in_account", "SELECT 1 FROM users WHERE account_id = $1 AND id = $2"};
constexpr db::Query kGroupExists{
    "user_groups.exists_in_account", "SELECT 1 FROM user_groups WHERE account_id = $1 AND id = $2"};
constexpr db::Query kClearUserOrganizations{
    "user_organizations.clear", "DELETE FROM user_organizations WHERE user_id = $1"};
constexpr db::Query kAddUserOrganization{
    "user_organizations.add",
    "INSERT INTO user_organizations (account_id, user_id, organization_id) VALUES ($1, $2, $3)"};
constexpr db::Query kClearUserGroups{"group_members.clear_user", "DELETE FROM group_members WHERE user_id = $1"};
constexpr db::Query kClearGroupMembers{"group_members.clear_group", "DELETE FROM group_members WHERE group_id = $1"};
constexpr db::Query kAddMember{
    "group_members.add", "INSERT INTO group_members (account_id, group_id, user_id) VALUES ($1, $2, $3)"};
constexpr db::Query kClearGroupOrganizations{
    "group_organizations.clear", "DELETE FROM group_organizations WHERE group_id = $1"};
constexpr db::Query kAddGroupOrganization{
    "group_organizations.add",
    "INSERT INTO group_organizations (account_id, group_id, organization_id) VALUES ($1, $2, $3)"};
constexpr db::Query kEndUserSessions{"web_sessions.end_user", "DELETE FROM web_sessions WHERE user_id = $1"};
constexpr db::Query kClearThrottle{"login_throttles.clear_user", "DELETE FROM login_throttles WHERE email = $1"};

void AddTimestamps(std::vector<Field>& fields) {
    fields.push_back(Field::Timestamp("created_at").ReadOnly().Sortable().Filterable());
    fields.push_back(Field::Timestamp("updated_at").ReadOnly().Sortable().Filterable());
}

Status Exec(db::Tx& tx, const db::Query& query, std::initializer_list<db::Param> params) {
    auto stmt = tx.Prepare(query);
    if (!stmt) return stmt.status();
    int i = 1;
    for (const db::Param& p : params) stmt->Bind(i++, p);
    auto n = stmt->Execute();
    if (!n) return n.status();
    return Status::Ok();
}

// Replaces the links of `owner` named by the attribute `attr` (an id array), when the
// body carries it: `clear` removes them, `add` ($1 account, $2 owner, $3 id) adds one.
Status ReplaceLinks(
    db::Tx& tx,
    const WriteContext& wc,
    int64_t owner,
    const char* attr,
    const db::Query& exists,
    const db::Query& clear,
    const db::Query& add,
    bool owner_first
) {
    const json::Value* value = wc.input->Attr(attr);
    if (!value) return Status::Ok();
    auto ids = ReadIdArray(tx, *value, wc.Pointer(attr), wc.account_id, &exists);
    if (!ids) return ids.status();
    MORTAR_RETURN_IF_ERROR(Exec(tx, clear, {owner}));
    for (int64_t id : *ids) {
        if (owner_first) {
            MORTAR_RETURN_IF_ERROR(Exec(tx, add, {wc.account_id, owner, id}));
        } else {
            MORTAR_RETURN_IF_ERROR(Exec(tx, add, {wc.account_id, id, owner}));
        }
    }
    return Status::Ok();
}

const std::string* TextValue(const WriteContext& wc, const char* column) {
    const ColumnValue* v = wc.Get(column);
    return v ? std::get_if<std::string>(v) : nullptr;
}

Status BeforeUserWrite(db::Tx& tx, WriteContext& wc) {
    if (const std::string* email = TextValue(wc, "email")) {
        const std::string normal = auth::NormaliseEmail(*email);
        MORTAR_RETURN_IF_ERROR(auth::CheckEmail(normal, wc.Pointer("email")));
        auto taken = tx.Prepare(kEmailTaken);
        if (!taken) return taken.status();
        taken->Bind(1, std::string_view(normal)).Bind(2, wc.id.value_or(0));
        auto step = taken->Step();
        if (!step) return step.status();
        if (*step) return Status::Unprocessable("has already been taken", wc.Pointer("email"));
        wc.Set("email", normal);
    }
    if (const std::string* role = TextValue(wc, "role")) {
        const auto parsed = auth::ParseRole(*role);
        if (!parsed) return Status::Unprocessable("must be " + auth::RoleChoices(), wc.Pointer("role"));
        wc.Set("role", std::string(auth::RoleName(*parsed)));
    }
    if (const json::Value* password = wc.input->Attr("password")) {
        if (!password->is_string()) return Status::Unprocessable("must be a string", wc.Pointer("password"));
        MORTAR_RETURN_IF_ERROR(auth::CheckNewPassword(password->as_string(), wc.Pointer("password")));
        auto hash = auth::HashPassword(password->as_string());
        if (!hash) return hash.status();
        wc.Set("password_hash", std::move(*hash));
    } else if (wc.create) {
        return Status::Unprocessable("can't be blank", wc.Pointer("password"));
    }
    // An administrator cannot lock themselves out.
    if (wc.id && *wc.id == wc.actor_user_id) {
        const std::string* role = TextValue(wc, "role");
        if (role && *role != "administrator") {
            return Status::Unprocessable("can't take the administrator role from yourself", wc.Pointer("role"));
        }
        const ColumnValue* disabled = wc.Get("disabled");
        if (disabled && std::holds_alternative<bool>(*disabled) && std::get<bool>(*disabled)) {
            return Status::Unprocessable("can't disable yourself", wc.Pointer("disabled"));
        }
    }
    return Status::Ok();
}

Status AfterUserWrite(db::Tx& tx, const WriteContext& wc, int64_t id) {
    MORTAR_RETURN_IF_ERROR(ReplaceLinks(
        tx, wc, id, "organization_ids", kOrganizationExists, kClearUserOrganizations, kAddUserOrganization, true
    ));
    MORTAR_RETURN_IF_ERROR(ReplaceLinks(tx, wc, id, "group_ids", kGroupExists, kClearUserGroups, kAddMember, false));
    // A new password (set by an administrator) or a disabled user ends the user's
    // sessions and lifts a lockout.
    const ColumnValue* disabled = wc.Get("disabled");
    const bool now_disabled = disabled && std::holds_alternative<bool>(*disabled) && std::get<bool>(*disabled);
    if (!wc.create && (wc.Get("password_hash") || now_disabled)) {
        MORTAR_RETURN_IF_ERROR(Exec(tx, kEndUserSessions, {id}));
        auto row = tx.Prepare(kUserRow);
        if (!row) return row.status();
        row->Bind(1, wc.account_id).Bind(2, id);
        auto step = row->Step();
        if (!step) return step.status();
        if (*step && wc.Get("password_hash")) {
            const std::string email(row->row().GetText(2));
            MORTAR_RETURN_IF_ERROR(Exec(tx, kClearThrottle, {std::string_view(email)}));
        }
    }
    return Status::Ok();
}

Status AfterGroupWrite(db::Tx& tx, const WriteContext& wc, int64_t id) {
    MORTAR_RETURN_IF_ERROR(ReplaceLinks(tx, wc, id, "member_ids", kUserExists, kClearGroupMembers, kAddMember, true));
    return ReplaceLinks(
        tx, wc, id, "organization_ids", kOrganizationExists, kClearGroupOrganizations, kAddGroupOrganization, true
    );
}

ResourceDef MakeUsers(db::Dialect dialect) {
    ResourceDef def;
    def.path = "mortar_users";
    def.table = "users";
    def.fields = {
        Field::Text("email").Required().Filterable().Sortable(),
        Field::Text("name").Required().Filterable().Sortable(),
        Field::Text("role").Required().Filterable().Sortable(),
        Field::Bool("disabled").Filterable(),
        Field::Bool("all_organizations").Filterable(),
        Field::Computed(
            "organization_ids",
            FieldKind::kJson,
            JsonIdArraySql(dialect, "uo.organization_id", "user_organizations uo WHERE uo.user_id = t.id")
        ),
        Field::Computed(
            "group_ids",
            FieldKind::kJson,
            JsonIdArraySql(dialect, "gm.group_id", "group_members gm WHERE gm.user_id = t.id")
        ),
        Field::Timestamp("last_login_at").ReadOnly().Sortable(),
        Field::Computed(
            "locked_until",
            FieldKind::kTimestamp,
            "(SELECT lt.locked_until FROM login_throttles lt WHERE lt.email = t.email)"
        ),
    };
    AddTimestamps(def.fields);
    def.routes = kList | kShow | kCreate | kUpdate | kDeleteOne;
    def.access = AccessClass::kAdministration;
    def.hooks.before_write = BeforeUserWrite;
    def.hooks.after_write = AfterUserWrite;
    // An administrator cannot lock themselves out by deleting their own user either.
    def.hooks.refuse_delete = [](const auth::Principal& principal, int64_t id) {
        if (principal.user_id != 0 && principal.user_id == id) return Status::Unprocessable("can't delete yourself");
        return Status::Ok();
    };
    return def;
}

ResourceDef MakeGroups(db::Dialect dialect) {
    ResourceDef def;
    def.path = "mortar_groups";
    def.table = "user_groups";
    def.fields = {
        Field::Text("name").Required().Filterable().Sortable(),
        Field::LongText("description"),
        Field::Computed(
            "member_ids",
            FieldKind::kJson,
            JsonIdArraySql(dialect, "gm.user_id", "group_members gm WHERE gm.group_id = t.id")
        ),
        Field::Computed(
            "organization_ids",
            FieldKind::kJson,
            JsonIdArraySql(dialect, "go.organization_id", "group_organizations go WHERE go.group_id = t.id")
        ),
    };
    AddTimestamps(def.fields);
    def.routes = kList | kShow | kCreate | kUpdate | kDeleteOne;
    def.access = AccessClass::kAdministration;
    def.hooks.after_write = AfterGroupWrite;
    return def;
}

// ---------------------------------------------------------------------------------
// API keys: small handlers (a key is created with its secret, and revoked, not deleted).

constexpr db::Query kCountKeys{"api_keys.count", "SELECT count(*) FROM api_keys WHERE account_id = $1"};
constexpr db::Query kPageKeys{
    "api_keys.page",
    "SELECT id, name, password_access, prefix, created_at, last_used_at, revoked_at FROM api_keys "
    "WHERE account_id = $1 ORDER BY id LIMIT $2 OFFSET $3"};
constexpr db::Query kOneKey{
    "api_keys.one",
    "SELECT id, name, password_access, prefix, created_at, last_used_at, revoked_at FROM api_keys "
    "WHERE account_id = $1 AND id = $2"};
constexpr db::Query kRevokeKey{
    "api_keys.revoke_in_account",
    "UPDATE api_keys SET revoked_at = $3 WHERE account_id = $1 AND id = $2 AND revoked_at IS NULL"};

void WriteKey(json::Writer& w, const db::Row& r, const std::string* key) {
    w.BeginObject();
    w.Key("id");
    w.String(std::to_string(r.GetInt(0)));
    w.Key("type");
    w.String("api-keys");
    w.Key("attributes");
    w.BeginObject();
    w.Key("name");
    w.String(r.GetText(1));
    w.Key("password-access");
    w.Bool(r.GetBool(2));
    w.Key("prefix");
    w.String("ITG." + std::string(r.GetText(3)));
    auto text_or_null = [&](int col) { r.IsNull(col) ? w.Null() : w.String(r.GetText(col)); };
    w.Key("created-at");
    text_or_null(4);
    w.Key("last-used-at");
    text_or_null(5);
    w.Key("revoked-at");
    text_or_null(6);
    if (key) {
        w.Key("key");
        w.String(*key);
    }
    w.EndObject();
    w.EndObject();
}

std::optional<Response> RefuseNonAdmin(const Context& ctx) {
    Status s = CheckRole(ctx.principal, AccessClass::kAdministration, Op::kRead, "api_keys");
    if (s.ok()) return std::nullopt;
    return jsonapi::ErrorResponse(s);
}

Status KeyNotFound(std::string_view id) {
    return Status::NotFound("api_key " + std::string(id) + " not found");
}

Response ListKeys(Service& svc, Request& req, Context& ctx) {
    if (auto refused = RefuseNonAdmin(ctx)) return std::move(*refused);
    auto lq = jsonapi::ParseListQuery(ctx.query);
    if (!lq) return jsonapi::ErrorResponse(lq.status());
    auto tx = svc.db().Begin(db::TxMode::kRead);
    if (!tx) return jsonapi::ErrorResponse(tx.status());
    auto count = tx->Prepare(kCountKeys);
    if (!count) return jsonapi::ErrorResponse(count.status());
    count->Bind(1, ctx.principal.account_id);
    auto counted = count->Step();
    if (!counted) return jsonapi::ErrorResponse(counted.status());
    jsonapi::Page page{.number = lq->page_number, .size = lq->page_size, .total_count = count->row().GetInt(0)};
    auto list = tx->Prepare(kPageKeys);
    if (!list) return jsonapi::ErrorResponse(list.status());
    const int64_t max_page = (int64_t{1} << 50) / page.size;
    list->Bind(1, ctx.principal.account_id)
        .Bind(2, page.size)
        .Bind(3, (std::min(page.number, max_page) - 1) * page.size);
    json::Writer w;
    w.BeginObject();
    w.Key("data");
    w.BeginArray();
    while (true) {
        auto step = list->Step();
        if (!step) return jsonapi::ErrorResponse(step.status());
        if (!*step) break;
        WriteKey(w, list->row(), nullptr);
    }
    w.EndArray();
    jsonapi::WritePageMetaAndLinks(w, page, ctx.public_base + http::Router::NormalisePath(req.path), ctx.query);
    w.EndObject();
    return Response::JsonApi(200, w.Take());
}

Response ShowKey(Service& svc, Request& req, Context& ctx) {
    if (auto refused = RefuseNonAdmin(ctx)) return std::move(*refused);
    auto id = ParseInt64(req.Param("id"));
    if (!id || *id <= 0) return jsonapi::ErrorResponse(KeyNotFound(req.Param("id")));
    auto tx = svc.db().Begin(db::TxMode::kRead);
    if (!tx) return jsonapi::ErrorResponse(tx.status());
    auto one = tx->Prepare(kOneKey);
    if (!one) return jsonapi::ErrorResponse(one.status());
    one->Bind(1, ctx.principal.account_id).Bind(2, *id);
    auto step = one->Step();
    if (!step) return jsonapi::ErrorResponse(step.status());
    if (!*step) return jsonapi::ErrorResponse(KeyNotFound(req.Param("id")));
    json::Writer w;
    w.BeginObject();
    w.Key("data");
    WriteKey(w, one->row(), nullptr);
    w.EndObject();
    return Response::JsonApi(200, w.Take());
}

Response CreateKey(Service& svc, Request& req, Context& ctx) {
    if (auto refused = RefuseNonAdmin(ctx)) return std::move(*refused);
    if (Status s = jsonapi::CheckContentType(req.Header("content-type"), req.body); !s.ok()) {
        return jsonapi::ErrorResponse(s);
    }
    auto body = jsonapi::ParseBody(req.body, "api_keys", jsonapi::BodyShape::kSingle);
    if (!body) return jsonapi::ErrorResponse(body.status());
    const jsonapi::ResourceInput& input = body->resources.front();
    const json::Value* name = input.Attr("name");
    auto name_text = name ? jsonapi::ReadString(*name) : Result<std::optional<std::string>>(std::nullopt);
    if (!name_text)
        return jsonapi::ErrorResponse(Status::Unprocessable(name_text.status().message(), "/data/attributes/name"));
    if (!*name_text || Trim(**name_text).empty()) {
        return jsonapi::ErrorResponse(Status::Unprocessable("can't be blank", "/data/attributes/name"));
    }
    if ((*name_text)->size() > 255) {
        return jsonapi::ErrorResponse(
            Status::Unprocessable("is too long (maximum is 255 characters)", "/data/attributes/name")
        );
    }
    bool password_access = false;
    if (const json::Value* pa = input.Attr("password_access")) {
        auto b = jsonapi::ReadBool(*pa);
        if (!b) {
            return jsonapi::ErrorResponse(
                Status::Unprocessable(b.status().message(), "/data/attributes/password-access")
            );
        }
        password_access = b->value_or(false);
    }
    auto tx = svc.db().Begin(db::TxMode::kWrite);
    if (!tx) return jsonapi::ErrorResponse(tx.status());
    auto created = auth::CreateApiKeyIn(*tx, ctx.principal.account_id, Trim(**name_text), password_access, svc.clock());
    if (!created) return jsonapi::ErrorResponse(created.status());
    auto one = tx->Prepare(kOneKey);
    if (!one) return jsonapi::ErrorResponse(one.status());
    one->Bind(1, ctx.principal.account_id).Bind(2, created->id);
    auto step = one->Step();
    if (!step) return jsonapi::ErrorResponse(step.status());
    if (!*step) return jsonapi::ErrorResponse(Status::Internal("the new key is missing"));
    json::Writer w;
    w.BeginObject();
    w.Key("data");
    WriteKey(w, one->row(), &created->key);
    w.EndObject();
    std::string rendered = w.Take();
    if (Status s = tx->Commit(); !s.ok()) return jsonapi::ErrorResponse(s);
    Response r = Response::JsonApi(201, std::move(rendered));
    r.SetHeader("Cache-Control", "no-store");
    return r;
}

Response RevokeKey(Service& svc, Request& req, Context& ctx) {
    if (auto refused = RefuseNonAdmin(ctx)) return std::move(*refused);
    auto id = ParseInt64(req.Param("id"));
    if (!id || *id <= 0) return jsonapi::ErrorResponse(KeyNotFound(req.Param("id")));
    auto tx = svc.db().Begin(db::TxMode::kWrite);
    if (!tx) return jsonapi::ErrorResponse(tx.status());
    auto revoke = tx->Prepare(kRevokeKey);
    if (!revoke) return jsonapi::ErrorResponse(revoke.status());
    const std::string now = FormatTimestamp(svc.clock().NowMillis());
    revoke->Bind(1, ctx.principal.account_id).Bind(2, *id).Bind(3, std::string_view(now));
    auto n = revoke->Execute();
    if (!n) return jsonapi::ErrorResponse(n.status());
    if (*n == 0) return jsonapi::ErrorResponse(KeyNotFound(req.Param("id")));
    if (Status s = tx->Commit(); !s.ok()) return jsonapi::ErrorResponse(s);
    // This process stops accepting it at once; others within their cache time.
    svc.authenticator().InvalidateAll();
    return Response::NoContent();
}

}  // namespace

void RegisterAccessAdministration(Service& svc, http::Router& router) {
    // The definitions live as long as the process: the routes refer to them.
    static const std::vector<ResourceDef> defs = [&svc] {
        std::vector<ResourceDef> all;
        all.push_back(MakeUsers(svc.dialect()));
        all.push_back(MakeGroups(svc.dialect()));
        for (ResourceDef& def : all) def.Finalise();
        return all;
    }();
    for (const ResourceDef& def : defs) {
        RegisterResource(svc, router, def);
        svc.NoteAdministrationType(def.type);
    }
    using M = http::Method;
    svc.Add(router, M::kGet, "/api/api_keys", [&svc](Request& req, Context& ctx) { return ListKeys(svc, req, ctx); });
    svc.Add(router, M::kGet, "/api/api_keys/{id}", [&svc](Request& req, Context& ctx) {
        return ShowKey(svc, req, ctx);
    });
    svc.Add(router, M::kPost, "/api/api_keys", [&svc](Request& req, Context& ctx) { return CreateKey(svc, req, ctx); });
    svc.Add(router, M::kDelete, "/api/api_keys/{id}", [&svc](Request& req, Context& ctx) {
        return RevokeKey(svc, req, ctx);
    });
    RegisterWebSessions(svc, router);
}

}  // namespace mortar::api
