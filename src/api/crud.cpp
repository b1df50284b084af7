// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/crud.hpp"

#include <algorithm>
#include <charconv>
#include <memory>
#include <string>
#include <vector>

#include "api/access.hpp"
#include "api/list_sql.hpp"
#include "api/search.hpp"
#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "jsonapi/body.hpp"
#include "jsonapi/document.hpp"
#include "vault/vault.hpp"

namespace mortar::api {
namespace {

using http::Request;
using http::Response;

// allowed-user-ids and allowed-group-ids of a restrictable resource: read from
// record_grants, written by StoreGrants.
void AddGrantFields(ResourceDef& def, db::Dialect dialect) {
    auto field = [&](const char* name, const char* column) {
        Field f = Field::Computed(
            name,
            FieldKind::kJson,
            JsonIdArraySql(
                dialect,
                std::string("g.") + column,
                "record_grants g WHERE g.account_id = t.account_id AND g.record_table = '" + def.table +
                    "' AND g.record_id = t.id AND g." + column + " IS NOT NULL"
            )
        );
        f.key = UnderscoreToDash(f.name);
        def.fields.push_back(std::move(f));
    };
    field("allowed_user_ids", "user_id");
    field("allowed_group_ids", "group_id");
}

// The SQL of one resource, built once at registration.
struct Compiled {
    ResourceDef owned;  // the definition with the fields the engine adds
    const ResourceDef& def;
    const Service& svc;
    const Field* parent_field = nullptr;  // the child's parent attribute, when nested routes exist
    std::string from;                     // "FROM <table> t <joins>"
    std::string count_from;               // "FROM <table> t": filters only use t's columns
    std::string select;                   // "SELECT t.id, <fields> " + from
    std::string show;                     // select + " WHERE t.account_id = $1 AND t.id = $2"
    std::string exists;                   // "SELECT 1 FROM <table> t WHERE t.account_id = $1 AND t.id = $2"
    std::string exists_in_parent;         // ... AND <parent column> = $3
    std::string parent_exists;            // "SELECT 1 FROM <parent table> t WHERE t.account_id = $1 AND t.id = $2"
    std::string delete_one;               // "DELETE FROM <table> WHERE account_id = $1 AND id = $2"
    bool renders = false;                 // some field has a render hook

    // Compiled related resources for include=, by relationship index (null: not includable).
    std::vector<std::unique_ptr<const Compiled>> include_targets;

    Compiled(const ResourceDef& d, const Service& service) : owned(d), def(owned), svc(service) {
        if (owned.restrictable) AddGrantFields(owned, service.dialect());
        for (const ToMany& rel : def.to_many) {
            include_targets.push_back(rel.target ? std::make_unique<const Compiled>(*rel.target, service) : nullptr);
        }
        from = "FROM " + def.table + " t " + def.joins;
        count_from = "FROM " + def.table + " t";
        select = "SELECT t.id";
        for (const Field& f : def.fields) {
            select += ", " + f.select;
            renders = renders || static_cast<bool>(f.render);
        }
        select += " " + from;
        const std::string scoped = def.scope_sql.empty() ? "" : " AND (" + def.scope_sql + ")";
        // Reference lists are shared: $1 (the account) is bound but selects nothing.
        const std::string account = def.global ? "CAST($1 AS BIGINT) IS NOT NULL" : "t.account_id = $1";
        show = select + " WHERE " + account + " AND t.id = $2" + scoped;
        exists = "SELECT 1 FROM " + def.table + " t WHERE " + account + " AND t.id = $2" + scoped;
        delete_one = "DELETE FROM " + def.table + " WHERE account_id = $1 AND id = $2";
        if (def.parent) {
            parent_field = def.FindField(def.parent->field);
            exists_in_parent = exists + " AND t." + parent_field->column + " = $3";
            parent_exists = "SELECT 1 FROM " + def.parent->table + " t WHERE " +
                            (def.parent->global ? "CAST($1 AS BIGINT) IS NOT NULL" : "t.account_id = $1") +
                            " AND t.id = $2";
        }
    }
};

// " AND ..." restricting the resource's rows (alias t) to what the principal may see:
// the organization access list, restricted records and, for the activity log, the
// visibility of the records the events are about. "" when nothing restricts.
std::string Visible(const Compiled& c, const auth::Principal& p) {
    std::string cond = c.svc.VisibleRows(p, c.def.table);
    if (c.def.access == AccessClass::kActivity) {
        const std::string events = ActivityCondition(p, c.svc.restrictable(), c.svc.administration_types());
        if (!events.empty()) cond += " AND " + events;
    }
    return cond;
}

// Where a request addresses a resource: flat, or under a parent record.
struct Scope {
    const Compiled& c;
    std::optional<int64_t> parent_id;
};

// "organization_statuses" -> "organization_status", for messages.
std::string Singular(std::string_view path) {
    std::string s(path);
    if (s.size() > 3 && s.ends_with("ies")) return s.substr(0, s.size() - 3) + "y";
    if (s.size() > 3 && s.ends_with("ses")) return s.substr(0, s.size() - 2);
    if (s.size() > 1 && s.ends_with('s')) return s.substr(0, s.size() - 1);
    return s;
}

Status NotFound(const ResourceDef& def, std::string_view id) {
    return Status::NotFound(Singular(def.path) + " " + std::string(id) + " not found");
}

// Parses an id from a URL segment. Anything but a positive integer is an unknown record.
std::optional<int64_t> PathId(std::string_view raw) {
    auto id = ParseInt64(raw);
    if (!id || *id <= 0) return std::nullopt;
    return id;
}

std::string IdString(int64_t id) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, id);
    return std::string(buf, end);
}

// Cuts a UTF-8 string to at most n characters without splitting a character.
std::string_view TruncateUtf8(std::string_view s, int n) {
    int chars = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (chars == n) return s.substr(0, i);
            ++chars;
        }
    }
    return s;
}

// ----------------------------------------------------------------------------------
// Rendering

// Writes one resource object; `relationships` is a rendered JSON object or "".
// With `env`, fields with a render hook are rendered for that viewer; without, as stored.
Status WriteResource(
    json::Writer& w,
    const Compiled& c,
    const db::Row& row,
    bool in_list,
    std::string_view public_base,
    std::string_view relationships = {},
    const std::vector<std::pair<std::string, std::optional<std::string>>>* extra = nullptr,
    const RenderEnv* env = nullptr
) {
    w.BeginObject();
    w.Key("id");
    w.String(IdString(row.GetInt(0)));
    w.Key("type");
    w.String(c.def.type);
    w.Key("attributes");
    w.BeginObject();
    int col = 1;
    for (const Field& f : c.def.fields) {
        const int i = col++;
        if (f.hidden) continue;
        w.Key(f.key);
        if (row.IsNull(i)) {
            if (f.kind == FieldKind::kBool) {
                w.Bool(false);
            } else if (f.empty_string_for_null) {
                w.String("");
            } else {
                w.Null();
            }
            continue;
        }
        switch (f.kind) {
            case FieldKind::kText:
            case FieldKind::kDate:
            case FieldKind::kTimestamp: {
                std::string_view text = row.GetText(i);
                if (in_list && f.list_truncate > 0) text = TruncateUtf8(text, f.list_truncate);
                if (f.public_url) {
                    w.String(std::string(public_base) + "/" + std::string(text));
                } else {
                    w.String(text);
                }
                break;
            }
            case FieldKind::kInt:
            case FieldKind::kRef:
                w.Int(row.GetInt(i));
                break;
            case FieldKind::kBool:
                w.Bool(row.GetBool(i));
                break;
            case FieldKind::kJson:
                if (env && f.render) {
                    auto rendered = f.render(*env, row.GetText(i));
                    if (!rendered) return rendered.status();
                    w.Raw(*rendered);
                } else {
                    w.Raw(row.GetText(i));
                }
                break;
        }
    }
    if (extra) {
        for (const auto& [key, value] : *extra) {
            w.Key(key);
            value ? w.String(*value) : w.Null();
        }
    }
    w.EndObject();
    if (!relationships.empty()) {
        w.Key("relationships");
        w.Raw(relationships);
    }
    w.EndObject();
    return Status::Ok();
}

// The render environment of a viewer.
RenderEnv ViewerEnv(db::Tx& tx, const Compiled& c, const auth::Principal& viewer) {
    return RenderEnv{
        .tx = tx, .account_id = viewer.account_id, .visible_rows = [&svc = c.svc, &viewer](std::string_view table) {
            return svc.VisibleRows(viewer, std::string(table));
        }};
}

// The "relationships" object of one record, or "" when the resource has none.
Result<std::string> RenderRelationships(db::Tx& tx, const Compiled& c, int64_t account_id, int64_t id) {
    if (c.def.to_many.empty()) return std::string();
    json::Writer w;
    w.BeginObject();
    for (const ToMany& rel : c.def.to_many) {
        auto stmt = tx.PrepareDynamic(rel.sql);
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, id);
        w.Key(rel.name);
        w.BeginObject();
        w.Key("data");
        w.BeginArray();
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            w.BeginObject();
            w.Key("id");
            w.String(IdString(stmt->row().GetInt(0)));
            w.Key("type");
            w.String(rel.type);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndObject();
    return w.Take();
}

// The revealable secrets of record `id`, opened by the vault.
Result<std::vector<std::pair<std::string, std::optional<std::string>>>> OpenSecrets(
    db::Tx& tx, const Compiled& c, int64_t account_id, int64_t id, const vault::Vault& vault
) {
    std::vector<std::pair<std::string, std::optional<std::string>>> out;
    for (const SecretField& secret : c.def.secrets) {
        if (!secret.revealable) continue;
        auto stmt = tx.PrepareDynamic(
            "SELECT " + secret.column + " FROM " + c.def.table + " WHERE account_id = $1 AND id = $2"
        );
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) return NotFound(c.def, IdString(id));
        if (stmt->row().IsNull(0)) {
            out.emplace_back(secret.key, std::nullopt);
            continue;
        }
        auto plain =
            vault.Open(stmt->row().GetText(0), vault::SecretContext(c.def.table, account_id, id, secret.column));
        if (!plain) return plain.status();
        out.emplace_back(secret.key, std::move(*plain));
    }
    return out;
}

// Renders the record `id` as one resource object (JSON text) with its relationships,
// or kNotFound. With `reveal`, its revealable secrets are opened and included. With a
// `viewer`, fields with render hooks are rendered for them; without, as stored (for the
// activity log).
Result<std::string> RenderOne(
    db::Tx& tx,
    const Compiled& c,
    int64_t account_id,
    int64_t id,
    std::string_view public_base,
    const vault::Vault* reveal = nullptr,
    const auth::Principal* viewer = nullptr
) {
    auto relationships = RenderRelationships(tx, c, account_id, id);
    if (!relationships) return relationships.status();
    std::optional<std::vector<std::pair<std::string, std::optional<std::string>>>> secrets;
    if (reveal) {
        auto opened = OpenSecrets(tx, c, account_id, id, *reveal);
        if (!opened) return opened.status();
        secrets = std::move(*opened);
    }
    auto stmt = tx.PrepareDynamic(c.show);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return NotFound(c.def, IdString(id));
    json::Writer w;
    std::optional<RenderEnv> env;
    if (viewer) env.emplace(ViewerEnv(tx, c, *viewer));
    MORTAR_RETURN_IF_ERROR(WriteResource(
        w, c, stmt->row(), false, public_base, *relationships, secrets ? &*secrets : nullptr, env ? &*env : nullptr
    ));
    return w.Take();
}

Response DataResponse(
    int status,
    const std::vector<std::string>& resources,
    bool as_array,
    const std::vector<std::string>* included = nullptr
) {
    std::string body = "{\"data\":";
    if (as_array) body += '[';
    for (std::size_t i = 0; i < resources.size(); ++i) {
        if (i > 0) body += ',';
        body += resources[i];
    }
    if (as_array) body += ']';
    if (included) {
        body += ",\"included\":[";
        for (std::size_t i = 0; i < included->size(); ++i) {
            if (i > 0) body += ',';
            body += (*included)[i];
        }
        body += ']';
    }
    body += '}';
    return Response::JsonApi(status, std::move(body));
}

// The related records named by include= for the records `ids`, rendered once each, or
// nullopt when the request includes nothing includable.
Result<std::optional<std::vector<std::string>>> RenderIncluded(
    db::Tx& tx,
    const Compiled& c,
    const Context& ctx,
    const std::vector<std::string>& include,
    const std::vector<int64_t>& ids
);

Result<std::optional<std::vector<std::string>>> RenderIncluded(
    db::Tx& tx,
    const Compiled& c,
    const Context& ctx,
    const std::vector<std::string>& include,
    const std::vector<int64_t>& ids
) {
    std::optional<std::vector<std::string>> out;
    for (std::size_t rel_idx = 0; rel_idx < c.def.to_many.size(); ++rel_idx) {
        const ToMany& rel = c.def.to_many[rel_idx];
        const Compiled* target = c.include_targets[rel_idx].get();
        if (!target) continue;
        const std::string wanted = DashToUnderscore(rel.name);
        if (std::find(include.begin(), include.end(), wanted) == include.end()) continue;
        if (!out) out.emplace();
        std::vector<int64_t> seen;
        for (int64_t id : ids) {
            auto stmt = tx.PrepareDynamic(rel.sql);
            if (!stmt) return stmt.status();
            stmt->Bind(1, ctx.principal.account_id).Bind(2, id);
            std::vector<int64_t> related;
            while (true) {
                auto step = stmt->Step();
                if (!step) return step.status();
                if (!*step) break;
                related.push_back(stmt->row().GetInt(0));
            }
            for (int64_t rid : related) {
                if (std::find(seen.begin(), seen.end(), rid) != seen.end()) continue;
                seen.push_back(rid);
                auto one =
                    RenderOne(tx, *target, ctx.principal.account_id, rid, ctx.public_base, nullptr, &ctx.principal);
                if (!one) return one.status();
                out->push_back(std::move(*one));
            }
        }
    }
    return out;
}

// ----------------------------------------------------------------------------------
// Existence checks

Result<bool> RowExists(db::Tx& tx, const std::string& sql, std::initializer_list<db::Param> params) {
    auto stmt = tx.PrepareDynamic(sql);
    if (!stmt) return stmt.status();
    int idx = 1;
    for (const db::Param& p : params) stmt->Bind(idx++, p);
    auto step = stmt->Step();
    if (!step) return step.status();
    return *step;
}

// kNotFound unless the record exists in the account (and under the scope's parent) and
// the principal may see it.
Status CheckRecord(db::Tx& tx, const Scope& scope, const auth::Principal& p, int64_t id) {
    const int64_t account_id = p.account_id;
    const std::string visible = Visible(scope.c, p);
    Result<bool> found = scope.parent_id
                             ? RowExists(tx, scope.c.exists_in_parent + visible, {account_id, id, *scope.parent_id})
                             : RowExists(tx, scope.c.exists + visible, {account_id, id});
    if (!found) return found.status();
    if (!*found) return NotFound(scope.c.def, IdString(id));
    return Status::Ok();
}

Status CheckParent(db::Tx& tx, const Scope& scope, const auth::Principal& p) {
    if (!scope.parent_id) return Status::Ok();
    auto found = RowExists(
        tx,
        scope.c.parent_exists + scope.c.svc.VisibleRows(p, scope.c.def.parent->table),
        {p.account_id, *scope.parent_id}
    );
    if (!found) return found.status();
    if (!*found) {
        return Status::NotFound(Singular(scope.c.def.parent->path) + " " + IdString(*scope.parent_id) + " not found");
    }
    return Status::Ok();
}

// ----------------------------------------------------------------------------------
// Listing: filters, sort, pagination

void BindAll(db::Stmt& stmt, const std::vector<ColumnValue>& params) {
    int idx = 1;
    for (const ColumnValue& v : params) stmt.Bind(idx++, AsParam(v));
}

Response List(Service& svc, const Scope& scope, Request& req, Context& ctx) {
    const ResourceDef& def = scope.c.def;
    if (Status s = CheckRole(ctx.principal, def.access, Op::kRead, def.path); !s.ok()) {
        return jsonapi::ErrorResponse(s);
    }
    auto lq = jsonapi::ParseListQuery(ctx.query);
    if (!lq) return jsonapi::ErrorResponse(lq.status());

    std::optional<ParentFilter> parent;
    if (scope.parent_id) parent = ParentFilter{scope.c.parent_field, *scope.parent_id};
    for (const std::string& required : def.required_filters) {
        bool present = false;
        for (const jsonapi::Filter& f : lq->filters)
            present = present || (f.field == required && f.op == jsonapi::FilterOp::kEq);
        if (!present) {
            return jsonapi::ErrorResponse(Status::InvalidArgument("filter[" + required + "] is required"));
        }
    }
    auto sql = BuildListSql(def, *lq, ctx.principal.account_id, parent);
    if (!sql) return jsonapi::ErrorResponse(sql.status());
    sql->where += Visible(scope.c, ctx.principal);

    const std::string self_path = http::Router::NormalisePath(req.path);
    std::string cache_key;
    int64_t version = 0;
    ResponseCache* cache = svc.cache();
    if (cache) {
        // The version is read before the page, so a cached page is never older than the
        // version it is stored under. One lone lookup: no transaction needed.
        auto v = ReadDataVersion(svc.db(), ctx.principal.account_id);
        if (!v) return jsonapi::ErrorResponse(v.status());
        version = *v;
        // Users see what their role and access lists allow; every API key sees the same.
        cache_key = IdString(ctx.principal.account_id) + '/' +
                    (ctx.principal.user_id > 0 ? IdString(ctx.principal.user_id) : std::string("key")) + '\n' +
                    ctx.public_base + self_path + '?' + req.query;
        std::string body;
        if (cache->Get(cache_key, version, body)) return Response::JsonApi(200, std::move(body));
    }

    auto tx = svc.db().Begin(db::TxMode::kRead);
    if (!tx) return jsonapi::ErrorResponse(tx.status());

    if (Status s = CheckParent(*tx, scope, ctx.principal); !s.ok()) return jsonapi::ErrorResponse(s);

    auto count = tx->PrepareDynamic("SELECT count(*) " + scope.c.count_from + sql->where);
    if (!count) return jsonapi::ErrorResponse(count.status());
    BindAll(*count, sql->params);
    auto counted = count->Step();
    if (!counted) return jsonapi::ErrorResponse(counted.status());
    jsonapi::Page page{.number = lq->page_number, .size = lq->page_size, .total_count = count->row().GetInt(0)};

    json::Writer w;
    const int64_t offset_rows = (page.number - 1) * page.size;
    const int64_t rows_on_page = std::clamp<int64_t>(page.total_count - offset_rows, 0, page.size);
    w.Reserve(static_cast<std::size_t>(rows_on_page) * 768 + 1024);
    w.BeginObject();
    w.Key("data");
    w.BeginArray();
    std::vector<int64_t> page_ids;
    // Pages far beyond the end are empty; guard the offset against overflow.
    const int64_t max_offset = int64_t{1} << 50;
    if (page.number - 1 <= max_offset / page.size) {
        std::vector<ColumnValue> params = sql->params;
        const std::string limit = "$" + std::to_string(params.size() + 1);
        const std::string offset = "$" + std::to_string(params.size() + 2);
        params.emplace_back(page.size);
        params.emplace_back((page.number - 1) * page.size);
        auto list =
            tx->PrepareDynamic(scope.c.select + sql->where + sql->order_by + " LIMIT " + limit + " OFFSET " + offset);
        if (!list) return jsonapi::ErrorResponse(list.status());
        BindAll(*list, params);
        const RenderEnv env = ViewerEnv(*tx, scope.c, ctx.principal);
        while (true) {
            auto step = list->Step();
            if (!step) return jsonapi::ErrorResponse(step.status());
            if (!*step) break;
            if (Status s = WriteResource(w, scope.c, list->row(), true, ctx.public_base, {}, nullptr, &env); !s.ok()) {
                return jsonapi::ErrorResponse(s);
            }
            page_ids.push_back(list->row().GetInt(0));
        }
    }
    w.EndArray();
    auto included = RenderIncluded(*tx, scope.c, ctx, lq->include, page_ids);
    if (!included) return jsonapi::ErrorResponse(included.status());
    if (*included) {
        w.Key("included");
        w.BeginArray();
        for (const std::string& one : **included) w.Raw(one);
        w.EndArray();
    }
    jsonapi::WritePageMetaAndLinks(w, page, ctx.public_base + self_path, ctx.query);
    w.EndObject();
    std::string body = w.Take();
    if (cache) cache->Put(std::move(cache_key), version, body);
    return Response::JsonApi(200, std::move(body));
}

Response ShowRevealed(Service& svc, const Scope& scope, Context& ctx, int64_t id, const vault::Vault& vault);
Result<const vault::Vault*> RevealWith(const Compiled& c, const Context& ctx, bool default_on);

Response Show(Service& svc, const Scope& scope, Request& req, Context& ctx) {
    if (Status s = CheckRole(ctx.principal, scope.c.def.access, Op::kRead, scope.c.def.path); !s.ok()) {
        return jsonapi::ErrorResponse(s);
    }
    const auto id = PathId(req.Param("id"));
    if (!id) return jsonapi::ErrorResponse(NotFound(scope.c.def, req.Param("id")));
    auto reveal = RevealWith(scope.c, ctx, true);
    if (!reveal) return jsonapi::ErrorResponse(reveal.status());
    if (*reveal) return ShowRevealed(svc, scope, ctx, *id, **reveal);
    auto tx = svc.db().Begin(db::TxMode::kRead);
    if (!tx) return jsonapi::ErrorResponse(tx.status());
    if (scope.parent_id || !Visible(scope.c, ctx.principal).empty()) {
        if (Status s = CheckParent(*tx, scope, ctx.principal); !s.ok()) return jsonapi::ErrorResponse(s);
        if (Status s = CheckRecord(*tx, scope, ctx.principal, *id); !s.ok()) {
            return jsonapi::ErrorResponse(s);
        }
    }
    auto one = RenderOne(*tx, scope.c, ctx.principal.account_id, *id, ctx.public_base, nullptr, &ctx.principal);
    if (!one) return jsonapi::ErrorResponse(one.status());
    auto lq = jsonapi::ParseListQuery(ctx.query);
    if (!lq) return jsonapi::ErrorResponse(lq.status());
    auto included = RenderIncluded(*tx, scope.c, ctx, lq->include, {*id});
    if (!included) return jsonapi::ErrorResponse(included.status());
    return DataResponse(200, {*one}, false, *included ? &**included : nullptr);
}

// ----------------------------------------------------------------------------------
// Writing

Status Blank(const WriteContext& wc, const Field& f) {
    return Status::Unprocessable("can't be blank", wc.Pointer(f.name));
}

// Converts one attribute value to its column value, or a 422 naming the attribute.
Result<ColumnValue> ConvertValue(const WriteContext& wc, const Field& f, const json::Value& v) {
    const std::string pointer = wc.Pointer(f.name);
    auto fail = [&](const Status& s) { return Status::Unprocessable(s.message(), pointer); };
    switch (f.kind) {
        case FieldKind::kText: {
            auto s = jsonapi::ReadString(v);
            if (!s) return fail(s.status());
            // Empty values are null (API.md 2.4): "" is never stored.
            if (!*s || (*s)->empty()) return ColumnValue(db::Null{});
            std::size_t chars = 0;
            for (unsigned char ch : **s) chars += (ch & 0xC0) != 0x80;
            if (static_cast<int>(chars) > f.max_length) {
                return Status::Unprocessable(
                    "is too long (maximum is " + std::to_string(f.max_length) + " characters)", pointer
                );
            }
            return ColumnValue(std::move(**s));
        }
        case FieldKind::kInt:
        case FieldKind::kRef: {
            auto n = jsonapi::ReadInt(v);
            if (!n) return fail(n.status());
            if (!*n) return ColumnValue(db::Null{});
            return ColumnValue(**n);
        }
        case FieldKind::kBool: {
            auto b = jsonapi::ReadBool(v);
            if (!b) return fail(b.status());
            return ColumnValue(b->value_or(false));
        }
        case FieldKind::kDate: {
            auto s = jsonapi::ReadString(v);
            if (!s) return fail(s.status());
            if (!*s || (*s)->empty()) return ColumnValue(db::Null{});
            if (!ValidateDate(**s).ok()) return Status::Unprocessable("must be a date (YYYY-MM-DD)", pointer);
            return ColumnValue(std::move(**s));
        }
        case FieldKind::kTimestamp: {
            auto s = jsonapi::ReadString(v);
            if (!s) return fail(s.status());
            if (!*s || (*s)->empty()) return ColumnValue(db::Null{});
            auto t = ParseTimestamp(**s);
            if (!t) return Status::Unprocessable("must be an RFC 3339 timestamp", pointer);
            return ColumnValue(FormatTimestamp(*t));
        }
        case FieldKind::kJson: {
            if (v.is_null()) return ColumnValue(db::Null{});
            auto text = f.normalise(v, pointer);
            if (!text) return text.status();
            return ColumnValue(std::move(*text));
        }
    }
    return Status::Internal("unknown field kind");
}

bool IsBlank(const ColumnValue& v) {
    if (std::holds_alternative<db::Null>(v)) return true;
    if (const auto* s = std::get_if<std::string>(&v)) return Trim(*s).empty();
    return false;
}

// Validates the body of one resource and collects its column values.
Result<WriteContext> Collect(
    db::Tx& tx,
    const Scope& scope,
    const auth::Principal& principal,
    const jsonapi::ResourceInput& input,
    bool in_array,
    std::optional<int64_t> id,
    const std::string& now
) {
    const ResourceDef& def = scope.c.def;
    const int64_t account_id = principal.account_id;
    WriteContext wc;
    wc.now = now;
    wc.account_id = account_id;
    wc.actor_key_id = principal.key_id;
    wc.actor_user_id = principal.user_id;
    wc.visible_rows = [&svc = scope.c.svc, &principal](std::string_view table) {
        return svc.VisibleRows(principal, std::string(table));
    };
    wc.id = id;
    wc.create = !id.has_value();
    wc.input = &input;
    wc.in_array = in_array;
    for (const Field& f : def.fields) {
        if (f.column.empty()) continue;
        if (scope.parent_id && &f == scope.c.parent_field) {
            // On a nested route the parent comes from the URL.
            wc.Set(f.column, *scope.parent_id);
            continue;
        }
        const json::Value* v = input.Attr(f.name);
        if (!v) {
            if (wc.create && f.required) return Blank(wc, f);
            continue;
        }
        auto value = ConvertValue(wc, f, *v);
        if (!value) return value.status();
        if (f.required && IsBlank(*value)) return Blank(wc, f);
        if (f.kind == FieldKind::kRef) {
            if (const auto* ref = std::get_if<int64_t>(&*value)) {
                // A record the principal may not see does not exist for them either.
                auto found = RowExists(
                    tx,
                    "SELECT 1 FROM " + f.ref_table + " t WHERE t.account_id = $1 AND t.id = $2" +
                        scope.c.svc.VisibleRows(principal, f.ref_table),
                    {account_id, *ref}
                );
                if (!found) return found.status();
                if (!*found) return Status::Unprocessable("must exist", wc.Pointer(f.name));
            }
        }
        wc.Set(f.column, std::move(*value));
    }
    for (const SecretField& secret : def.secrets) {
        const json::Value* v = input.Attr(secret.name);
        if (!v) {
            if (wc.create && secret.required) return Status::Unprocessable("can't be blank", wc.Pointer(secret.name));
            continue;
        }
        auto text = jsonapi::ReadString(*v);
        if (!text) return Status::Unprocessable(text.status().message(), wc.Pointer(secret.name));
        if (secret.required && (!*text || (*text)->empty())) {
            return Status::Unprocessable("can't be blank", wc.Pointer(secret.name));
        }
        if (*text && (*text)->size() > 10000) {
            return Status::Unprocessable("is too long (maximum is 10000 characters)", wc.Pointer(secret.name));
        }
        wc.secrets.emplace_back(&secret, std::move(*text));
    }
    if (def.hooks.before_write) MORTAR_RETURN_IF_ERROR(def.hooks.before_write(tx, wc));
    return wc;
}

Result<int64_t> Insert(db::Tx& tx, const ResourceDef& def, const WriteContext& wc, const std::string& now) {
    std::string cols = "account_id";
    std::string vals = "$1";
    std::vector<ColumnValue> params{wc.account_id};
    for (const auto& [col, v] : wc.values) {
        params.push_back(v);
        cols += ", " + col;
        vals += ", $" + std::to_string(params.size());
    }
    params.emplace_back(now);
    const std::string ts = "$" + std::to_string(params.size());
    auto stmt = tx.PrepareDynamic(
        "INSERT INTO " + def.table + " (" + cols + ", created_at, updated_at) VALUES (" + vals + ", " + ts + ", " + ts +
        ") RETURNING id"
    );
    if (!stmt) return stmt.status();
    BindAll(*stmt, params);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::Internal("insert into " + def.table + " returned no id");
    return stmt->row().GetInt(0);
}

Status Update(db::Tx& tx, const ResourceDef& def, const WriteContext& wc, const std::string& now) {
    std::vector<ColumnValue> params{wc.account_id, *wc.id, now};
    std::string sets = "updated_at = $3";
    for (const auto& [col, v] : wc.values) {
        params.push_back(v);
        sets += ", " + col + " = $" + std::to_string(params.size());
    }
    auto stmt = tx.PrepareDynamic("UPDATE " + def.table + " SET " + sets + " WHERE account_id = $1 AND id = $2");
    if (!stmt) return stmt.status();
    BindAll(*stmt, params);
    auto n = stmt->Execute();
    if (!n) return n.status();
    if (*n == 0) return NotFound(def, IdString(*wc.id));
    return Status::Ok();
}

// ----------------------------------------------------------------------------------
// Secrets

// Whether a response reveals the resource's secrets (API.md 2.6): `show_password`
// true/false, else `default_on` (GET one: true; POST and PATCH: false). A key without
// password access never sees them: asked for explicitly, that is 403. Returns the vault
// to open them with, or null.
Result<const vault::Vault*> RevealWith(const Compiled& c, const Context& ctx, bool default_on) {
    bool revealable = false;
    for (const SecretField& secret : c.def.secrets) revealable = revealable || secret.revealable;
    if (!revealable) return static_cast<const vault::Vault*>(nullptr);
    bool wanted = default_on;
    bool explicit_request = false;
    for (const auto& [key, value] : ctx.query) {
        if (DashToUnderscore(key) != "show_password") continue;
        auto parsed = jsonapi::ReadBool(json::Value(value));
        if (!parsed || !*parsed) return Status::InvalidArgument("show_password must be true or false");
        wanted = **parsed;
        explicit_request = wanted;
    }
    if (!wanted) return static_cast<const vault::Vault*>(nullptr);
    if (!ctx.principal.password_access) {
        if (explicit_request) {
            if (ctx.principal.user_id > 0) {
                return Status::PermissionDenied(
                    "the role " + std::string(auth::RoleName(ctx.principal.role)) + " may not reveal secrets"
                );
            }
            return Status::PermissionDenied("this API key has no password access");
        }
        return static_cast<const vault::Vault*>(nullptr);
    }
    if (!ctx.vault) return Status::Unavailable("the vault is not configured");
    return ctx.vault;
}

// Seals the secrets a write carried into their columns, bound to the row.
Status StoreSecrets(
    db::Tx& tx, const Compiled& c, const Context& ctx, const WriteContext& wc, int64_t id, const std::string& now
) {
    for (const auto& [secret, value] : wc.secrets) {
        std::optional<std::string> envelope;
        if (value) {
            if (!ctx.vault) return Status::Unavailable("the vault is not configured");
            auto sealed = ctx.vault->Seal(*value, vault::SecretContext(c.def.table, wc.account_id, id, secret->column));
            if (!sealed) return sealed.status();
            envelope = std::move(*sealed);
        }
        std::string sql = "UPDATE " + c.def.table + " SET " + secret->column + " = $3";
        if (!secret->touch_column.empty()) sql += ", " + secret->touch_column + " = $4";
        auto stmt = tx.PrepareDynamic(sql + " WHERE account_id = $1 AND id = $2");
        if (!stmt) return stmt.status();
        stmt->Bind(1, wc.account_id).Bind(2, id);
        stmt->Bind(3, envelope ? db::Param(std::string_view(*envelope)) : db::Param(db::Null{}));
        if (!secret->touch_column.empty()) stmt->Bind(4, std::string_view(now));
        auto n = stmt->Execute();
        if (!n) return n.status();
    }
    return Status::Ok();
}

// The organization a record belongs to (itself for an organization), from its attributes.
std::optional<int64_t> OrganizationOfRecord(const Compiled& c, int64_t id, const json::Value& attrs) {
    if (c.def.table == "organizations") return id;
    const json::Value* org = attrs.is_object() ? attrs.Find("organization-id") : nullptr;
    if (org && org->is_int()) return org->as_int();
    return std::nullopt;
}

// Keeps the record's search entry in step with its title.
Status IndexForSearch(
    db::Tx& tx, const Compiled& c, int64_t account_id, int64_t id, const json::Value& attrs, const std::string& now
) {
    if (c.def.search_title.empty()) return Status::Ok();
    const json::Value* title = attrs.is_object() ? attrs.Find(c.def.search_title) : nullptr;
    if (!title || !title->is_string() || title->as_string().empty()) {
        return UnindexRecord(tx, account_id, c.def.type, id);
    }
    return IndexRecord(tx, account_id, c.def.type, id, OrganizationOfRecord(c, id, attrs), title->as_string(), now);
}

// ----------------------------------------------------------------------------------
// Restricted records: who they are granted to

constexpr db::Query kDeleteGrants{
    "record_grants.delete", "DELETE FROM record_grants WHERE account_id = $1 AND record_table = $2 AND record_id = $3"};
constexpr db::Query kDeleteGrantsOfKind{
    "record_grants.delete_kind",
    "DELETE FROM record_grants WHERE account_id = $1 AND record_table = $2 AND record_id = $3 AND "
    "((user_id IS NOT NULL) = $4)"};
constexpr db::Query kInsertUserGrant{
    "record_grants.insert_user",
    "INSERT INTO record_grants (account_id, record_table, record_id, user_id) VALUES ($1, $2, $3, $4)"};
constexpr db::Query kInsertGroupGrant{
    "record_grants.insert_group",
    "INSERT INTO record_grants (account_id, record_table, record_id, group_id) VALUES ($1, $2, $3, $4)"};
constexpr db::Query kUserExists{"users.exists", "SELECT 1 FROM users WHERE account_id = $1 AND id = $2"};
constexpr db::Query kGroupExists{"user_groups.exists", "SELECT 1 FROM user_groups WHERE account_id = $1 AND id = $2"};

}  // namespace

Result<std::vector<int64_t>> ReadIdArray(
    db::Tx& tx, const json::Value& value, const std::string& pointer, int64_t account_id, const db::Query* exists
) {
    std::vector<int64_t> ids;
    if (value.is_null()) return ids;
    if (!value.is_array()) return Status::Unprocessable("must be an array of ids", pointer);
    for (const json::Value& item : value.as_array()) {
        auto id = jsonapi::ReadInt(item);
        if (!id || !*id || **id <= 0) return Status::Unprocessable("must be an array of ids", pointer);
        if (std::find(ids.begin(), ids.end(), **id) != ids.end()) continue;
        if (exists) {
            auto stmt = tx.Prepare(*exists);
            if (!stmt) return stmt.status();
            stmt->Bind(1, account_id).Bind(2, **id);
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) return Status::Unprocessable("must exist", pointer);
        }
        ids.push_back(**id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

namespace {

// Replaces the grants a write names in allowed-user-ids / allowed-group-ids.
Status StoreGrants(db::Tx& tx, const Compiled& c, const WriteContext& wc, int64_t id) {
    struct Kind {
        const char* attr;
        bool users;
        const db::Query& exists;
        const db::Query& insert;
    };
    const Kind kinds[] = {
        {"allowed_user_ids", true, kUserExists, kInsertUserGrant},
        {"allowed_group_ids", false, kGroupExists, kInsertGroupGrant},
    };
    for (const Kind& kind : kinds) {
        const json::Value* value = wc.input->Attr(kind.attr);
        if (!value) continue;
        auto ids = ReadIdArray(tx, *value, wc.Pointer(kind.attr), wc.account_id, &kind.exists);
        if (!ids) return ids.status();
        auto del = tx.Prepare(kDeleteGrantsOfKind);
        if (!del) return del.status();
        del->Bind(1, wc.account_id).Bind(2, std::string_view(c.def.table)).Bind(3, id).Bind(4, kind.users);
        if (auto n = del->Execute(); !n) return n.status();
        for (int64_t who : *ids) {
            auto insert = tx.Prepare(kind.insert);
            if (!insert) return insert.status();
            insert->Bind(1, wc.account_id).Bind(2, std::string_view(c.def.table)).Bind(3, id).Bind(4, who);
            if (auto n = insert->Execute(); !n) return n.status();
        }
    }
    return Status::Ok();
}

Status DeleteGrants(db::Tx& tx, const Compiled& c, int64_t account_id, int64_t id) {
    auto del = tx.Prepare(kDeleteGrants);
    if (!del) return del.status();
    del->Bind(1, account_id).Bind(2, std::string_view(c.def.table)).Bind(3, id);
    auto n = del->Execute();
    if (!n) return n.status();
    return Status::Ok();
}

// ----------------------------------------------------------------------------------
// Activity log

constexpr db::Query kInsertActivity{
    "activity_events.insert",
    "INSERT INTO activity_events (account_id, occurred_at, action, resource_type, resource_id, resource_name, "
    "organization_id, actor_key_id, changes, created_at, updated_at, actor_user_id, restricted) VALUES ($1, $2, $3, "
    "$4, "
    "$5, $6, $7, $8, $9, $2, $2, $10, $11)"};

// The attributes object of a rendered resource, or null.
json::Value AttributesOf(const std::string* rendered) {
    if (!rendered) return nullptr;
    auto doc = json::Parse(*rendered);
    if (!doc) return nullptr;
    const json::Value* attrs = doc->Find("attributes");
    return attrs ? *attrs : json::Value(nullptr);
}

// Records one write: the writable, non-secret attributes that changed, as
// {"attr": {"from": before, "to": after}}. `from` is null on create, `to` on delete.
Status RecordActivity(
    db::Tx& tx,
    const Compiled& c,
    const Context& ctx,
    std::string_view action,
    int64_t id,
    const json::Value& from,
    const json::Value& to,
    const std::string& now
) {
    if (!c.def.audited) return Status::Ok();
    static const json::Value kNull;
    auto member = [](const json::Value& attrs, const std::string& key) -> const json::Value& {
        const json::Value* v = attrs.is_object() ? attrs.Find(key) : nullptr;
        return v ? *v : kNull;
    };
    json::Writer w;
    w.BeginObject();
    for (const Field& f : c.def.fields) {
        if ((f.column.empty() && !f.logged) || f.hidden || f.secret) continue;
        const json::Value& a = member(from, f.key);
        const json::Value& b = member(to, f.key);
        if (a.Dump() == b.Dump()) continue;
        w.Key(f.key);
        w.BeginObject();
        w.Key("from");
        w.WriteValue(a);
        w.Key("to");
        w.WriteValue(b);
        w.EndObject();
    }
    w.EndObject();
    // An event without changes (a reveal) takes the record's name, organization and
    // restriction as they are, so it is shown to whoever may see the record.
    json::Value stored;
    if (!to.is_object() && !from.is_object()) {
        auto rendered = RenderOne(tx, c, ctx.principal.account_id, id, ctx.public_base);
        if (!rendered) return rendered.status();
        stored = AttributesOf(&*rendered);
    }
    const json::Value& current = to.is_object() ? to : from.is_object() ? from : stored;
    const json::Value& name = member(current, "name");
    const json::Value& restricted = member(current, "restricted");
    const std::optional<int64_t> organization_id = OrganizationOfRecord(c, id, current);
    auto stmt = tx.Prepare(kInsertActivity);
    if (!stmt) return stmt.status();
    const std::string changes = w.Take();
    stmt->Bind(1, ctx.principal.account_id)
        .Bind(2, std::string_view(now))
        .Bind(3, action)
        .Bind(4, std::string_view(c.def.type))
        .Bind(5, id)
        .Bind(6, name.is_string() ? db::Param(std::string_view(name.as_string())) : db::Param(db::Null{}))
        .Bind(7, organization_id ? db::Param(*organization_id) : db::Param(db::Null{}))
        .Bind(8, ctx.principal.key_id > 0 ? db::Param(ctx.principal.key_id) : db::Param(db::Null{}))
        .Bind(9, std::string_view(changes))
        .Bind(10, ctx.principal.user_id > 0 ? db::Param(ctx.principal.user_id) : db::Param(db::Null{}))
        .Bind(11, restricted.is_bool() && restricted.as_bool());
    auto n = stmt->Execute();
    if (!n) return n.status();
    return Status::Ok();
}

// Creates or updates one resource inside `tx` and returns its rendered JSON.
Result<std::string> WriteOne(
    db::Tx& tx,
    const Scope& scope,
    const Context& ctx,
    const jsonapi::ResourceInput& input,
    bool in_array,
    std::optional<int64_t> id,
    const std::string& now,
    const Action* action = nullptr,
    const std::vector<std::pair<std::string, std::string>>& action_params = {}
) {
    const int64_t account_id = ctx.principal.account_id;
    const ResourceDef& def = scope.c.def;
    std::optional<std::string> before;
    if (id) {
        MORTAR_RETURN_IF_ERROR(CheckRecord(tx, scope, ctx.principal, *id));
        if (def.audited) {
            auto rendered = RenderOne(tx, scope.c, account_id, *id, ctx.public_base);
            if (!rendered) return rendered.status();
            before = std::move(*rendered);
        }
    }
    auto wc = Collect(tx, scope, ctx.principal, input, in_array, id, now);
    if (!wc) return wc.status();
    wc->vault = ctx.vault;
    if (action) {
        wc->path_params = action_params;
        MORTAR_RETURN_IF_ERROR(action->apply(tx, *wc));
    }
    int64_t row_id = 0;
    if (id) {
        MORTAR_RETURN_IF_ERROR(Update(tx, def, *wc, now));
        row_id = *id;
    } else {
        auto created = Insert(tx, def, *wc, now);
        if (!created) return created.status();
        row_id = *created;
    }
    // Grants first: after-write hooks see the record's final access (a flexible asset's
    // trait passwords take it over). A new row starts without grants (a safeguard: ids
    // are never reused).
    if (def.restrictable) {
        if (!id) MORTAR_RETURN_IF_ERROR(DeleteGrants(tx, scope.c, account_id, row_id));
        MORTAR_RETURN_IF_ERROR(StoreGrants(tx, scope.c, *wc, row_id));
    }
    if (def.hooks.after_write) MORTAR_RETURN_IF_ERROR(def.hooks.after_write(tx, *wc, row_id));
    MORTAR_RETURN_IF_ERROR(StoreSecrets(tx, scope.c, ctx, *wc, row_id, now));
    auto plain = RenderOne(tx, scope.c, account_id, row_id, ctx.public_base);
    if (!plain) return plain;
    const json::Value after_attrs = AttributesOf(&*plain);
    MORTAR_RETURN_IF_ERROR(RecordActivity(
        tx, scope.c, ctx, id ? "update" : "create", row_id, AttributesOf(before ? &*before : nullptr), after_attrs, now
    ));
    MORTAR_RETURN_IF_ERROR(IndexForSearch(tx, scope.c, account_id, row_id, after_attrs, now));
    auto reveal = RevealWith(scope.c, ctx, false);
    if (!reveal) return reveal.status();
    if (!*reveal && !scope.c.renders) return plain;
    // A reveal changes nothing; from = to gives the event the record's name and organization.
    if (*reveal)
        MORTAR_RETURN_IF_ERROR(RecordActivity(tx, scope.c, ctx, "reveal", row_id, after_attrs, after_attrs, now));
    return RenderOne(tx, scope.c, account_id, row_id, ctx.public_base, *reveal, &ctx.principal);
}

// Runs `fn` inside one write transaction that checks the parent first and, when `fn`
// succeeds, marks the account's data as changed and commits. Any failure rolls the
// whole transaction back, so a failing item leaves nothing written.
template <class Fn>
Response InWriteTransaction(Service& svc, const Scope& scope, Context& ctx, Fn fn) {
    auto tx = svc.db().Begin(db::TxMode::kWrite);
    if (!tx) return jsonapi::ErrorResponse(tx.status());
    if (Status s = CheckParent(*tx, scope, ctx.principal); !s.ok()) return jsonapi::ErrorResponse(s);
    Result<Response> response = fn(*tx);
    if (!response) return jsonapi::ErrorResponse(response.status());
    if (Status s = BumpDataVersion(*tx, ctx.principal.account_id); !s.ok()) return jsonapi::ErrorResponse(s);
    if (Status s = tx->Commit(); !s.ok()) return jsonapi::ErrorResponse(s);
    return std::move(*response);
}

// GET one with its secrets: the reveal is logged in the same transaction, so no secret
// is shown without a record of it.
Response ShowRevealed(Service& svc, const Scope& scope, Context& ctx, int64_t id, const vault::Vault& vault) {
    const std::string now = FormatTimestamp(svc.clock().NowMillis());
    return InWriteTransaction(svc, scope, ctx, [&](db::Tx& tx) -> Result<Response> {
        MORTAR_RETURN_IF_ERROR(CheckRecord(tx, scope, ctx.principal, id));
        // A reveal changes nothing; from = to gives the event the record's name and organization.
        auto plain = RenderOne(tx, scope.c, ctx.principal.account_id, id, ctx.public_base);
        if (!plain) return plain.status();
        const json::Value attrs = AttributesOf(&*plain);
        MORTAR_RETURN_IF_ERROR(RecordActivity(tx, scope.c, ctx, "reveal", id, attrs, attrs, now));
        auto one = RenderOne(tx, scope.c, ctx.principal.account_id, id, ctx.public_base, &vault, &ctx.principal);
        if (!one) return one.status();
        return DataResponse(200, {*one}, false);
    });
}

// Checks the media type and parses a JSON:API body of the given shape for the route.
// A resource with a body adapter also takes multipart/form-data, turned into JSON first.
Result<jsonapi::ParsedBody> ParseWriteBody(const Scope& scope, const Request& req, jsonapi::BodyShape shape) {
    if (scope.c.def.body_adapter && ToLower(req.Header("content-type")).starts_with("multipart/form-data")) {
        auto text = scope.c.def.body_adapter(req);
        if (!text) return text.status();
        return jsonapi::ParseBody(*text, scope.c.def.path, shape);
    }
    MORTAR_RETURN_IF_ERROR(jsonapi::CheckContentType(req.Header("content-type"), req.body));
    return jsonapi::ParseBody(req.body, scope.c.def.path, shape);
}

// Runs `fn(input, id)` for every item of a bulk body (each must carry its id) and answers
// 200 with the records it returns, in order; the first failure ends it.
template <class Fn>
Result<Response> EachBulkItem(const jsonapi::ParsedBody& body, Fn fn) {
    std::vector<std::string> rendered;
    for (const auto& input : body.resources) {
        if (!input.id) {
            return Status::Unprocessable(
                "each resource needs an id", "/data/" + std::to_string(input.index) + "/attributes/id"
            );
        }
        Result<std::string> one = fn(input, *input.id);
        if (!one) return one.status();
        rendered.push_back(std::move(*one));
    }
    return DataResponse(200, rendered, true);
}

// 403 unless the principal's role may run `op` on the resource.
std::optional<Response> Refuse(const Scope& scope, const Context& ctx, Op op) {
    Status s = CheckRole(ctx.principal, scope.c.def.access, op, scope.c.def.path);
    if (s.ok()) return std::nullopt;
    return jsonapi::ErrorResponse(s);
}

Response Create(Service& svc, const Scope& scope, Request& req, Context& ctx, bool allow_array) {
    if (auto refused = Refuse(scope, ctx, Op::kCreate)) return std::move(*refused);
    auto body = ParseWriteBody(scope, req, allow_array ? jsonapi::BodyShape::kEither : jsonapi::BodyShape::kSingle);
    if (!body) return jsonapi::ErrorResponse(body.status());
    if (body->resources.empty()) return jsonapi::ErrorResponse(Status::InvalidArgument("data must not be empty"));
    const std::string now = FormatTimestamp(svc.clock().NowMillis());
    return InWriteTransaction(svc, scope, ctx, [&](db::Tx& tx) -> Result<Response> {
        std::vector<std::string> rendered;
        for (const auto& input : body->resources) {
            auto one = WriteOne(tx, scope, ctx, input, body->is_array, std::nullopt, now);
            if (!one) return one.status();
            rendered.push_back(std::move(*one));
        }
        return DataResponse(201, rendered, body->is_array);
    });
}

Response UpdateOne(Service& svc, const Scope& scope, Request& req, Context& ctx) {
    if (auto refused = Refuse(scope, ctx, Op::kUpdate)) return std::move(*refused);
    const auto id = PathId(req.Param("id"));
    if (!id) return jsonapi::ErrorResponse(NotFound(scope.c.def, req.Param("id")));
    auto body = ParseWriteBody(scope, req, jsonapi::BodyShape::kSingle);
    if (!body) return jsonapi::ErrorResponse(body.status());
    const auto& input = body->resources.front();
    if (input.id && *input.id != *id) {
        return jsonapi::ErrorResponse(Status::Unprocessable("does not match the id in the URL", "/data/id"));
    }
    const std::string now = FormatTimestamp(svc.clock().NowMillis());
    return InWriteTransaction(svc, scope, ctx, [&](db::Tx& tx) -> Result<Response> {
        auto one = WriteOne(tx, scope, ctx, input, false, *id, now);
        if (!one) return one.status();
        return DataResponse(200, {*one}, false);
    });
}

Response BulkUpdate(Service& svc, const Scope& scope, Request& req, Context& ctx) {
    if (auto refused = Refuse(scope, ctx, Op::kUpdate)) return std::move(*refused);
    auto body = ParseWriteBody(scope, req, jsonapi::BodyShape::kArray);
    if (!body) return jsonapi::ErrorResponse(body.status());
    const std::string now = FormatTimestamp(svc.clock().NowMillis());
    return InWriteTransaction(svc, scope, ctx, [&](db::Tx& tx) -> Result<Response> {
        return EachBulkItem(*body, [&](const jsonapi::ResourceInput& input, int64_t id) {
            return WriteOne(tx, scope, ctx, input, true, id, now);
        });
    });
}

// Deletes one record of the scope, returning it as it was.
Result<std::string> DeleteRecord(
    db::Tx& tx, const Scope& scope, const Context& ctx, int64_t id, const std::string& now
) {
    const int64_t account_id = ctx.principal.account_id;
    MORTAR_RETURN_IF_ERROR(CheckRecord(tx, scope, ctx.principal, id));
    if (scope.c.def.hooks.refuse_delete) MORTAR_RETURN_IF_ERROR(scope.c.def.hooks.refuse_delete(ctx.principal, id));
    auto before = RenderOne(tx, scope.c, account_id, id, ctx.public_base);
    if (!before) return before.status();
    if (scope.c.def.hooks.before_delete) MORTAR_RETURN_IF_ERROR(scope.c.def.hooks.before_delete(tx, account_id, id));
    auto stmt = tx.PrepareDynamic(scope.c.delete_one);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, id);
    auto n = stmt->Execute();
    if (!n) return n.status();
    if (*n == 0) return NotFound(scope.c.def, IdString(id));
    MORTAR_RETURN_IF_ERROR(RecordActivity(tx, scope.c, ctx, "delete", id, AttributesOf(&*before), nullptr, now));
    if (scope.c.def.restrictable) MORTAR_RETURN_IF_ERROR(DeleteGrants(tx, scope.c, account_id, id));
    if (!scope.c.def.search_title.empty()) {
        MORTAR_RETURN_IF_ERROR(UnindexRecord(tx, account_id, scope.c.def.type, id));
    }
    return before;
}

Response BulkDelete(Service& svc, const Scope& scope, Request& req, Context& ctx) {
    if (auto refused = Refuse(scope, ctx, Op::kDelete)) return std::move(*refused);
    auto body = ParseWriteBody(scope, req, jsonapi::BodyShape::kArray);
    if (!body) return jsonapi::ErrorResponse(body.status());
    const std::string now = FormatTimestamp(svc.clock().NowMillis());
    return InWriteTransaction(svc, scope, ctx, [&](db::Tx& tx) -> Result<Response> {
        return EachBulkItem(*body, [&](const jsonapi::ResourceInput&, int64_t id) {
            return DeleteRecord(tx, scope, ctx, id, now);
        });
    });
}

Response DeleteOne(Service& svc, const Scope& scope, Request& req, Context& ctx) {
    if (auto refused = Refuse(scope, ctx, Op::kDelete)) return std::move(*refused);
    const auto id = PathId(req.Param("id"));
    if (!id) return jsonapi::ErrorResponse(NotFound(scope.c.def, req.Param("id")));
    const std::string now = FormatTimestamp(svc.clock().NowMillis());
    return InWriteTransaction(svc, scope, ctx, [&](db::Tx& tx) -> Result<Response> {
        auto deleted = DeleteRecord(tx, scope, ctx, *id, now);
        if (!deleted) return deleted.status();
        return Response::NoContent();
    });
}

// PATCH .../{id}/<action>: the action's change as an update without body attributes.
Response RunAction(Service& svc, const Scope& scope, Request& req, Context& ctx, const Action& action) {
    if (auto refused = Refuse(scope, ctx, action.op)) return std::move(*refused);
    const auto id = PathId(req.Param("id"));
    if (!id) return jsonapi::ErrorResponse(NotFound(scope.c.def, req.Param("id")));
    const std::string now = FormatTimestamp(svc.clock().NowMillis());
    const jsonapi::ResourceInput empty;
    return InWriteTransaction(svc, scope, ctx, [&](db::Tx& tx) -> Result<Response> {
        auto one = WriteOne(tx, scope, ctx, empty, false, *id, now, &action, req.params);
        if (!one) return one.status();
        return DataResponse(200, {*one}, false);
    });
}

// GET .../{id}/<name>: raw bytes of a record, after the checks of GET one.
Response ShowRaw(Service& svc, const Scope& scope, Request& req, Context& ctx, const RawGet& raw) {
    const auto id = PathId(req.Param("id"));
    if (!id) return jsonapi::ErrorResponse(NotFound(scope.c.def, req.Param("id")));
    if (Status s = CheckRole(ctx.principal, scope.c.def.access, Op::kRead, scope.c.def.path); !s.ok()) {
        return jsonapi::ErrorResponse(s);
    }
    auto tx = svc.db().Begin(db::TxMode::kRead);
    if (!tx) return jsonapi::ErrorResponse(tx.status());
    if (Status s = CheckParent(*tx, scope, ctx.principal); !s.ok()) return jsonapi::ErrorResponse(s);
    if (Status s = CheckRecord(*tx, scope, ctx.principal, *id); !s.ok()) return jsonapi::ErrorResponse(s);
    auto response = raw.render(*tx, ctx.principal.account_id, *id);
    if (!response) return jsonapi::ErrorResponse(response.status());
    return std::move(*response);
}

// Adapts an engine function to an ApiHandler for a flat or nested scope.
template <class Fn>
ApiHandler Bind(std::shared_ptr<const Compiled> c, bool nested, Fn fn) {
    return [c = std::move(c), nested, fn](Request& req, Context& ctx) -> Response {
        Scope scope{*c, std::nullopt};
        if (nested) {
            scope.parent_id = PathId(req.Param("parent_id"));
            if (!scope.parent_id) {
                return jsonapi::ErrorResponse(Status::NotFound(
                    Singular(c->def.parent->path) + " " + std::string(req.Param("parent_id")) + " not found"
                ));
            }
        }
        return fn(scope, req, ctx);
    };
}

}  // namespace

void RegisterResource(Service& svc, http::Router& router, const ResourceDef& def) {
    auto c = std::make_shared<const Compiled>(def, svc);
    svc.NoteTable(def.table, def.type, Service::TableAccess{def.organization_sql, def.restrictable});
    using M = http::Method;
    auto add_routes = [&](const std::string& base, unsigned routes, bool nested) {
        const std::string one = base + "/{id}";
        if (routes & kList) {
            svc.Add(router, M::kGet, base, Bind(c, nested, [&svc](auto& s, auto& r, auto& x) {
                        return List(svc, s, r, x);
                    }));
        }
        if (routes & kShow) {
            svc.Add(router, M::kGet, one, Bind(c, nested, [&svc](auto& s, auto& r, auto& x) {
                        return Show(svc, s, r, x);
                    }));
        }
        if (routes & kCreate) {
            // Nested routes take data[] (R6); flat routes take one resource unless the
            // resource says otherwise.
            const bool allow_array = nested || def.flat_create_array;
            svc.Add(router, M::kPost, base, Bind(c, nested, [&svc, allow_array](auto& s, auto& r, auto& x) {
                        return Create(svc, s, r, x, allow_array);
                    }));
        }
        if (routes & kUpdate) {
            svc.Add(router, M::kPatch, one, Bind(c, nested, [&svc](auto& s, auto& r, auto& x) {
                        return UpdateOne(svc, s, r, x);
                    }));
        }
        if (routes & kBulkUpdate) {
            svc.Add(router, M::kPatch, base, Bind(c, nested, [&svc](auto& s, auto& r, auto& x) {
                        return BulkUpdate(svc, s, r, x);
                    }));
        }
        if (routes & kBulkDelete) {
            svc.Add(router, M::kDelete, base, Bind(c, nested, [&svc](auto& s, auto& r, auto& x) {
                        return BulkDelete(svc, s, r, x);
                    }));
        }
        if (routes & kUpdate) {
            for (const Action& action : def.actions) {
                svc.Add(
                    router,
                    M::kPatch,
                    one + "/" + action.name,
                    Bind(
                        c,
                        nested,
                        [&svc, &action](auto& s, auto& r, auto& x) { return RunAction(svc, s, r, x, action); }
                    )
                );
            }
        }
        if (routes & kDeleteOne) {
            svc.Add(router, M::kDelete, one, Bind(c, nested, [&svc](auto& s, auto& r, auto& x) {
                        return DeleteOne(svc, s, r, x);
                    }));
        }
        if (routes & kShow) {
            for (const RawGet& raw : def.raw_gets) {
                svc.Add(router, M::kGet, one + "/" + raw.name, Bind(c, nested, [&svc, &raw](auto& s, auto& r, auto& x) {
                            return ShowRaw(svc, s, r, x, raw);
                        }));
            }
        }
    };
    add_routes("/api/" + def.path, def.routes, false);
    if (def.parent) {
        add_routes("/api/" + def.parent->path + "/{parent_id}/relationships/" + def.path, def.parent->routes, true);
    }
}

}  // namespace mortar::api
