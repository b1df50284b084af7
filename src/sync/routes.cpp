// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/routes.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "api/crud.hpp"
#include "api/psa_links.hpp"
#include "api/record_writes.hpp"
#include "api/search.hpp"
#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "domains/common.hpp"
#include "jsonapi/body.hpp"
#include "jsonapi/document.hpp"
#include "sync/backup_sql.hpp"
#include "sync/jobs.hpp"
#include "sync/plan.hpp"
#include "sync/settings.hpp"

namespace mortar::sync {
namespace {

using api::Field;
using api::FieldKind;
using http::Request;
using http::Response;

// The secret the integration hooks hand to the engine: sealed after the row is written,
// bound to (integrations, account, id, credentials_envelope); never revealed.
const api::SecretField kCredentials{
    .name = "credentials",
    .column = "credentials_envelope",
    .revealable = false,
    .required = false,
    .touch_column = "",
    .key = ""};

// A JSON object of string (or integer) values: connection settings and credentials.
api::JsonNormaliser StringObject() {
    return [](const json::Value& v, const std::string& pointer) -> Result<std::string> {
        if (!v.is_object()) return Status::Unprocessable("must be an object of strings", pointer);
        if (v.as_object().size() > 50) return Status::Unprocessable("has too many entries", pointer);
        json::Writer w;
        w.BeginObject();
        for (const auto& [k, item] : v.as_object()) {
            if (k.empty() || k.size() > 64) return Status::Unprocessable("has an invalid key", pointer);
            const std::string key = DashToUnderscore(k);
            w.Key(key);
            if (item.is_string() && item.as_string().size() <= 4096) {
                w.String(item.as_string());
            } else if (item.is_int()) {
                w.String(std::to_string(item.as_int()));
            } else {
                return Status::Unprocessable("must be a string", pointer + "/" + k);
            }
        }
        w.EndObject();
        return w.Take();
    };
}

bool IsKind(std::string_view kind) {
    return kind == "autotask" || kind == "connectwise" || kind == "halopsa" || kind == "uniview";
}

Status IntegrationBeforeWrite(db::Tx& tx, api::WriteContext& wc) {
    if (const api::ColumnValue* kind = wc.Get("kind")) {
        const auto* text = std::get_if<std::string>(kind);
        if (!text || !IsKind(*text)) {
            return Status::Unprocessable("must be autotask, connectwise, halopsa or uniview", wc.Pointer("kind"));
        }
        if (!wc.create) {
            auto stmt = tx.PrepareDynamic("SELECT kind FROM integrations WHERE account_id = $1 AND id = $2");
            if (!stmt) return stmt.status();
            stmt->Bind(1, wc.account_id).Bind(2, *wc.id);
            auto step = stmt->Step();
            if (!step) return step.status();
            if (*step && stmt->row().GetText(0) != *text) {
                return Status::Unprocessable("can't be changed; create another integration", wc.Pointer("kind"));
            }
        }
    }
    for (const char* column : {"connection", "settings"}) {
        const api::ColumnValue* v = wc.Get(column);
        if (v && std::holds_alternative<db::Null>(*v)) {
            wc.Set(column, std::string(column == std::string_view("settings") ? SettingsJson(Settings{}) : "{}"));
        }
    }
    // The credentials never reach a plain column: they go to the vault with the row.
    auto it = std::find_if(wc.values.begin(), wc.values.end(), [](const auto& p) {
        return p.first == "credentials_envelope";
    });
    if (it != wc.values.end()) {
        std::optional<std::string> plain;
        if (const auto* text = std::get_if<std::string>(&it->second)) plain = *text;
        wc.values.erase(it);
        wc.secrets.emplace_back(&kCredentials, std::move(plain));
        if (!wc.create) {
            // Re-entered credentials let scheduled syncing start again (SPEC SYNC-11).
            auto stmt = tx.PrepareDynamic("SELECT status FROM integrations WHERE account_id = $1 AND id = $2");
            if (!stmt) return stmt.status();
            stmt->Bind(1, wc.account_id).Bind(2, *wc.id);
            auto step = stmt->Step();
            if (!step) return step.status();
            if (*step && stmt->row().GetText(0) == "credentials_invalid") {
                wc.Set("status", std::string("never"));
                wc.Set("status_detail", db::Null{});
            }
        }
    }
    return ValidateUniView(tx, wc);
}

api::ResourceDef MakeIntegrations() {
    api::ResourceDef def;
    def.path = "integrations";
    def.table = "integrations";
    Field credentials = Field::Json("credentials", StringObject()).Secret().Hidden();
    credentials.column = "credentials_envelope";
    credentials.select = "NULL";
    def.fields = {
        Field::Text("kind").Required().Filterable().Sortable(),
        Field::Computed(
            "psa_integration_type", FieldKind::kText, "CASE t.kind WHEN 'connectwise' THEN 'manage' ELSE t.kind END"
        ),
        Field::Text("name").Required().Filterable().Sortable(),
        Field::Json("connection", StringObject()),
        credentials,
        Field::Computed("credentials_set", FieldKind::kBool, "(t.credentials_envelope IS NOT NULL)"),
        Field::Json(
            "settings",
            [](const json::Value& v, const std::string& pointer) -> Result<std::string> {
                auto parsed = ParseSettings(v, pointer);
                if (!parsed) return parsed.status();
                return SettingsJson(*parsed);
            }
        ),
        Field::Text("status").ReadOnly().Filterable().Logged(),
        Field::Text("status_detail").ReadOnly(),
        Field::Int("last_run_id").ReadOnly(),
        Field::Timestamp("last_full_at").ReadOnly(),
        Field::Computed("last_sync_at", FieldKind::kTimestamp, "t.last_incremental_at"),
        Field::Computed("watermarks", FieldKind::kJson, "t.watermarks"),
        // Backup portals (backup_routes.cpp): what still waits for a matching decision.
        Field::Computed("unmatched_customer_count", FieldKind::kInt, UnmatchedCustomerCountSql("t")),
        Field::Computed("unmatched_asset_count", FieldKind::kInt, UnmatchedAssetCountSql("t")),
    };
    domains::AddTimestamps(def.fields);
    def.routes = api::kList | api::kShow | api::kCreate | api::kUpdate | api::kDeleteOne;
    def.hooks.before_write = IntegrationBeforeWrite;
    def.actions = {
        api::Action{
            .name = "pause",
            .apply =
                [](db::Tx&, api::WriteContext& wc) {
                    wc.Set("status", std::string("paused"));
                    wc.Set("status_detail", db::Null{});
                    return Status::Ok();
                }},
        api::Action{
            .name = "resume",
            .apply =
                [](db::Tx&, api::WriteContext& wc) {
                    wc.Set("status", std::string("never"));
                    wc.Set("status_detail", db::Null{});
                    return Status::Ok();
                }},
    };
    return def;
}

api::ResourceDef MakeSyncRuns() {
    api::ResourceDef def;
    def.path = "sync_runs";
    def.table = "sync_runs";
    def.fields = {
        Field::Ref("integration_id", "integrations").ReadOnly().Filterable(),
        Field::Int("job_id").ReadOnly(),
        Field::Text("worker").ReadOnly(),
        Field::Computed("trigger", FieldKind::kText, "t.run_trigger").Filterable(),
        Field::Computed("full", FieldKind::kBool, "t.full_sync"),
        Field::Timestamp("started_at").ReadOnly().Sortable(),
        Field::Timestamp("finished_at").ReadOnly(),
        Field::Text("outcome").ReadOnly().Filterable(),
        Field::Int("created_count").ReadOnly(),
        Field::Int("updated_count").ReadOnly(),
        Field::Int("unchanged_count").ReadOnly(),
        Field::Int("orphaned_count").ReadOnly(),
        Field::Int("returned_count").ReadOnly(),
        Field::Int("error_count").ReadOnly(),
        Field::Int("api_calls").ReadOnly(),
        Field::LongText("detail").ReadOnly(),
    };
    domains::AddTimestamps(def.fields);
    def.routes = api::kList | api::kShow;
    def.audited = false;
    def.parent = api::Parent{
        .path = "integrations", .table = "integrations", .field = "integration_id", .routes = api::kList | api::kShow};
    return def;
}

api::ResourceDef MakeSyncRunErrors() {
    api::ResourceDef def;
    def.path = "sync_run_errors";
    def.table = "sync_run_errors";
    def.fields = {
        Field::Ref("sync_run_id", "sync_runs").ReadOnly().Filterable(),
        Field::Computed("psa_type", FieldKind::kText, "t.external_type"),
        Field::Computed("psa_id", FieldKind::kText, "t.external_id"),
        Field::Computed("record_type", FieldKind::kText, "t.local_type"),
        Field::Computed("record_id", FieldKind::kInt, "t.local_id").Filterable(),
        Field::LongText("detail").ReadOnly(),
    };
    domains::AddTimestamps(def.fields);
    def.routes = api::kList | api::kShow;
    def.audited = false;
    def.parent = api::Parent{
        .path = "sync_runs", .table = "sync_runs", .field = "sync_run_id", .routes = api::kList | api::kShow};
    return def;
}

api::ResourceDef MakeSyncJobs() {
    api::ResourceDef def;
    def.path = "sync_jobs";
    def.table = "jobs";
    def.fields = {
        Field::Ref("integration_id", "integrations").ReadOnly().Filterable(),
        Field::Text("state").ReadOnly().Filterable(),
        Field::Computed("payload", FieldKind::kJson, "t.payload"),
        Field::Timestamp("run_after").ReadOnly(),
        Field::Computed("worker", FieldKind::kText, "t.lease_owner"),
        Field::Timestamp("lease_expires_at").ReadOnly(),
        Field::Int("attempts").ReadOnly(),
        Field::LongText("last_error").ReadOnly(),
    };
    domains::AddTimestamps(def.fields);
    def.routes = api::kList | api::kShow;
    def.audited = false;
    return def;
}

// SQL over a link `t` (or `sl`) that is true when its Mortar record still exists.
std::string LocalExists(std::string_view a) {
    const std::string l(a);
    std::string out = "(";
    bool first = true;
    for (std::string_view type : kLocalTypes) {
        if (!first) out += " OR ";
        first = false;
        out += "(" + l + ".local_type = '" + std::string(type) + "' AND EXISTS (SELECT 1 FROM " + std::string(type) +
               " x WHERE x.id = " + l + ".local_id))";
    }
    return out + ")";
}

std::string PerType(const char* organizations, const char* others_template) {
    // CASE over the record's type; others_template has %t for the table.
    std::string out = "CASE t.local_type WHEN 'organizations' THEN (" + std::string(organizations) + ")";
    for (std::string_view type : {"locations", "contacts", "configurations"}) {
        std::string expr = others_template;
        if (type == "contacts" && std::string_view(others_template).find("x.name") != std::string_view::npos) {
            expr =
                "SELECT NULLIF(trim(coalesce(x.first_name, '') || ' ' || coalesce(x.last_name, '')), '') FROM %t x "
                "WHERE x.id = t.local_id";
        }
        expr.replace(expr.find("%t"), 2, type);
        out += " WHEN '" + std::string(type) + "' THEN (" + expr + ")";
    }
    return out + " END";
}

Status SetLinkState(db::Tx& tx, api::WriteContext& wc, std::initializer_list<std::string_view> from, LinkState to) {
    auto stmt = tx.PrepareDynamic("SELECT state FROM sync_links WHERE account_id = $1 AND id = $2");
    if (!stmt) return stmt.status();
    stmt->Bind(1, wc.account_id).Bind(2, *wc.id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::NotFound("manage_data_record " + std::to_string(*wc.id) + " not found");
    const std::string state(stmt->row().GetText(0));
    if (std::find(from.begin(), from.end(), state) == from.end()) {
        std::string allowed;
        for (std::string_view f : from) allowed += (allowed.empty() ? "" : ", ") + std::string(f);
        return Status::Unprocessable(
            "is " + state + "; this applies only to records that are " + allowed, "/data/attributes/state"
        );
    }
    wc.Set("state", std::string(LinkStateName(to)));
    wc.Set("error_detail", db::Null{});
    // The next run applies the PSA's data again, whatever its hash.
    if (to == LinkState::kSyncing) wc.Set("payload_hash", db::Null{});
    return Status::Ok();
}

api::ResourceDef MakeManageDataRecords() {
    api::ResourceDef def;
    def.path = "manage_data_records";
    def.table = "sync_links";
    def.joins = " LEFT JOIN integrations i ON i.id = t.integration_id";
    Field state = Field::Text("state").ReadOnly().Filterable().Logged();
    Field detail = Field::LongText("error_detail").ReadOnly().Logged();
    Field hash = Field::Text("payload_hash").ReadOnly().Hidden();
    def.fields = {
        Field::Ref("integration_id", "integrations").ReadOnly().Filterable(),
        Field::Computed("integration_name", FieldKind::kText, "i.name"),
        Field::Computed(
            "psa_integration_type", FieldKind::kText, "CASE i.kind WHEN 'connectwise' THEN 'manage' ELSE i.kind END"
        ),
        Field::Computed("data_type", FieldKind::kText, "t.local_type").Filterable(),
        Field::Computed("record_id", FieldKind::kInt, "t.local_id").Filterable(),
        Field::Computed(
            "name",
            FieldKind::kText,
            PerType(
                "SELECT x.name FROM organizations x WHERE x.id = t.local_id",
                "SELECT x.name FROM %t x WHERE x.id = t.local_id"
            )
        ),
        Field::Computed(
            "organization_id",
            FieldKind::kInt,
            PerType("SELECT t.local_id", "SELECT x.organization_id FROM %t x WHERE x.id = t.local_id")
        ),
        state,
        detail,
        hash,
        Field::Computed("psa_type", FieldKind::kText, "t.external_type"),
        Field::Computed("psa_id", FieldKind::kText, "t.external_id").Filterable(),
        Field::Text("psa_type_id").ReadOnly().Filterable(),
        Field::Text("psa_status_id").ReadOnly().Filterable(),
        Field::Int("last_seen_run_id").ReadOnly(),
    };
    domains::AddTimestamps(def.fields);
    def.scope_sql = LocalExists("t");
    // kUpdate carries the actions' routes; every attribute is read-only.
    def.routes = api::kList | api::kShow | api::kUpdate;
    def.actions = {
        // Edit -> PSA controls -> Disable Sync (SPEC SYNC-3), and back.
        api::Action{
            .name = "disable",
            .apply =
                [](db::Tx& tx, api::WriteContext& wc) {
                    return SetLinkState(tx, wc, {"syncing", "error", "orphaned"}, LinkState::kDisabled);
                }},
        api::Action{
            .name = "enable",
            .apply = [](db::Tx& tx,
                        api::WriteContext& wc) { return SetLinkState(tx, wc, {"disabled"}, LinkState::kSyncing); }},
        // Disconnected Data -> Reconnect (SPEC SYNC-7).
        api::Action{
            .name = "reconnect",
            .apply = [](db::Tx& tx,
                        api::WriteContext& wc) { return SetLinkState(tx, wc, {"disconnected"}, LinkState::kSyncing); }},
    };
    return def;
}

// ----------------------------------------------------------------------------------
// Manage data items: per integration and data type, the counts per state.

struct ItemKey {
    int64_t integration_id = 0;
    std::string local_type;
};

std::optional<ItemKey> DecodeItemId(std::string_view raw) {
    auto id = ParseInt64(raw);
    if (!id || *id <= 10) return std::nullopt;
    const int64_t idx = *id % 10;
    if (idx < 1 || idx > 4) return std::nullopt;
    return ItemKey{*id / 10, std::string(kLocalTypes[idx - 1])};
}

int64_t ItemId(int64_t integration_id, std::string_view local_type) {
    int64_t idx = 1;
    for (std::string_view t : kLocalTypes) {
        if (t == local_type) break;
        ++idx;
    }
    return integration_id * 10 + idx;
}

struct Integration {
    int64_t id = 0;
    std::string name, kind, settings;
};

Result<std::vector<Integration>> LoadIntegrations(db::Tx& tx, int64_t account_id, std::optional<int64_t> only) {
    auto stmt = tx.PrepareDynamic(
        "SELECT id, name, kind, settings FROM integrations WHERE account_id = $1 AND ($2 = 0 OR id = $2) ORDER BY id"
    );
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, only.value_or(0));
    std::vector<Integration> out;
    while (true) {
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) break;
        out.push_back(Integration{
            stmt->row().GetInt(0),
            std::string(stmt->row().GetText(1)),
            std::string(stmt->row().GetText(2)),
            std::string(stmt->row().GetText(3))});
    }
    return out;
}

// Renders the items of the integrations (all four data types each).
Result<std::vector<std::string>> RenderItems(
    db::Tx& tx, int64_t account_id, const std::vector<Integration>& integrations, std::optional<std::string> only_type
) {
    std::map<std::pair<int64_t, std::string>, std::map<std::string, int64_t>> counts;
    auto stmt = tx.PrepareDynamic(
        "SELECT t.integration_id, t.local_type, t.state, count(*) FROM sync_links t WHERE t.account_id = $1 AND " +
        LocalExists("t") + " GROUP BY t.integration_id, t.local_type, t.state"
    );
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id);
    while (true) {
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) break;
        counts[{stmt->row().GetInt(0), std::string(stmt->row().GetText(1))}][std::string(stmt->row().GetText(2))] =
            stmt->row().GetInt(3);
    }
    std::vector<std::string> out;
    for (const Integration& in : integrations) {
        if (in.kind == "uniview") continue;  // a backup portal creates nothing: no Manage Data
        auto settings = ParseSettingsText(in.settings);
        for (std::string_view type : kLocalTypes) {
            if (only_type && *only_type != type) continue;
            const auto& c = counts[{in.id, std::string(type)}];
            json::Writer w;
            w.BeginObject();
            w.Key("id");
            w.String(std::to_string(ItemId(in.id, type)));
            w.Key("type");
            w.String("manage-data-items");
            w.Key("attributes");
            w.BeginObject();
            w.Key("integration-id");
            w.Int(in.id);
            w.Key("integration-name");
            w.String(in.name);
            w.Key("psa-integration-type");
            w.String(api::PsaIntegrationType(in.kind));
            w.Key("data-type");
            w.String(type);
            int64_t total = 0;
            for (LinkState s :
                 {LinkState::kSyncing,
                  LinkState::kOrphaned,
                  LinkState::kDisabled,
                  LinkState::kError,
                  LinkState::kDisconnected}) {
                auto it = c.find(std::string(LinkStateName(s)));
                const int64_t n = it == c.end() ? 0 : it->second;
                total += n;
                w.Key(std::string(LinkStateName(s)) + "-count");
                w.Int(n);
            }
            w.Key("total-count");
            w.Int(total);
            w.Key("disconnected-rules");
            w.BeginArray();
            if (settings) {
                for (const Disconnect& d : settings->disconnected) {
                    if (d.type != type) continue;
                    w.BeginObject();
                    w.Key("mode");
                    w.String(d.permanent ? "permanent" : "pause");
                    w.Key("psa-type-id");
                    d.psa_type_id ? w.String(*d.psa_type_id) : w.Null();
                    w.Key("psa-status-id");
                    d.psa_status_id ? w.String(*d.psa_status_id) : w.Null();
                    w.EndObject();
                }
            }
            w.EndArray();
            w.EndObject();
            w.EndObject();
            out.push_back(w.Take());
        }
    }
    return out;
}

Response One(const std::string& resource, int status = 200) {
    return Response::JsonApi(status, "{\"data\":" + resource + "}");
}

Result<ItemKey> ItemOf(db::Tx& tx, const Request& req, const api::Context& ctx, Integration* integration) {
    auto key = DecodeItemId(req.Param("id"));
    if (!key) return Status::NotFound("manage_data_item " + std::string(req.Param("id")) + " not found");
    auto found = LoadIntegrations(tx, ctx.principal.account_id, key->integration_id);
    if (!found) return found.status();
    if (found->empty() || found->front().kind == "uniview")
        return Status::NotFound("manage_data_item " + std::string(req.Param("id")) + " not found");
    *integration = found->front();
    return *key;
}

// The attributes of a POST body (empty body: none).
Result<jsonapi::ResourceInput> BodyAttributes(const Request& req, std::string_view type) {
    if (Trim(req.body).empty()) return jsonapi::ResourceInput{};
    MORTAR_RETURN_IF_ERROR(jsonapi::CheckContentType(req.Header("content-type"), req.body));
    auto body = jsonapi::ParseBody(req.body, type, jsonapi::BodyShape::kSingle);
    if (!body) return body.status();
    return body->resources.front();
}

Result<std::optional<std::string>> OptionalId(const jsonapi::ResourceInput& in, std::string_view name) {
    const json::Value* v = in.Attr(name);
    if (!v || v->is_null()) return std::optional<std::string>();
    if (v->is_string() && !v->as_string().empty()) return std::optional<std::string>(v->as_string());
    if (v->is_int()) return std::optional<std::string>(std::to_string(v->as_int()));
    return Status::Unprocessable("must be a PSA id", in.Pointer(name, false));
}

// The links of a data type an action narrows to: "AND psa_type_id = $n ...".
std::string Narrow(
    const std::optional<std::string>& type_id,
    const std::optional<std::string>& status_id,
    std::vector<std::string>& binds
) {
    std::string sql;
    if (type_id) {
        binds.push_back(*type_id);
        sql += " AND psa_type_id = $" + std::to_string(binds.size() + 3);
    }
    if (status_id) {
        binds.push_back(*status_id);
        sql += " AND psa_status_id = $" + std::to_string(binds.size() + 3);
    }
    return sql;
}

Status SaveSettings(db::Tx& tx, int64_t account_id, int64_t integration_id, const Settings& s, const std::string& now) {
    auto stmt =
        tx.PrepareDynamic("UPDATE integrations SET settings = $3, updated_at = $4 WHERE account_id = $1 AND id = $2");
    if (!stmt) return stmt.status();
    const std::string text = SettingsJson(s);
    stmt->Bind(1, account_id).Bind(2, integration_id).Bind(3, std::string_view(text)).Bind(4, std::string_view(now));
    auto n = stmt->Execute();
    if (!n) return n.status();
    return Status::Ok();
}

// Runs `fn(tx, key, integration)` for POST /api/manage_data_items/{id}/<action> in one
// write transaction and answers the item as it is afterwards.
template <class Fn>
Response ItemAction(api::Service& svc, Request& req, api::Context& ctx, Fn fn) {
    if (Status s =
            api::CheckRole(ctx.principal, api::AccessClass::kAdministration, api::Op::kUpdate, "manage_data_items");
        !s.ok())
        return jsonapi::ErrorResponse(s);
    auto tx = svc.db().Begin(db::TxMode::kWrite);
    if (!tx) return jsonapi::ErrorResponse(tx.status());
    Integration integration;
    auto key = ItemOf(*tx, req, ctx, &integration);
    if (!key) return jsonapi::ErrorResponse(key.status());
    auto input = BodyAttributes(req, "manage_data_items");
    if (!input) return jsonapi::ErrorResponse(input.status());
    const std::string now = FormatTimestamp(svc.clock().NowMillis());
    if (Status s = fn(*tx, *key, integration, *input, now); !s.ok()) return jsonapi::ErrorResponse(s);
    auto items = RenderItems(*tx, ctx.principal.account_id, {integration}, key->local_type);
    if (!items) return jsonapi::ErrorResponse(items.status());
    if (Status s = api::BumpDataVersion(*tx, ctx.principal.account_id); !s.ok()) return jsonapi::ErrorResponse(s);
    if (Status s = tx->Commit(); !s.ok()) return jsonapi::ErrorResponse(s);
    return One(items->front());
}

Status Disconnect_(
    db::Tx& tx,
    const ItemKey& key,
    const Integration& in,
    const jsonapi::ResourceInput& body,
    const std::string& now,
    const api::Context& ctx
) {
    const int64_t account_id = ctx.principal.account_id;
    const json::Value* mode = body.Attr("mode");
    if (!mode || !mode->is_string() || (mode->as_string() != "pause" && mode->as_string() != "permanent")) {
        return Status::Unprocessable("must be pause or permanent", body.Pointer("mode", false));
    }
    auto type_id = OptionalId(body, "psa_type_id");
    if (!type_id) return type_id.status();
    auto status_id = OptionalId(body, "psa_status_id");
    if (!status_id) return status_id.status();
    auto settings = ParseSettingsText(in.settings);
    if (!settings) return settings.status();
    Disconnect rule{.type = key.local_type, .psa_type_id = *type_id, .psa_status_id = *status_id};
    rule.permanent = mode->as_string() == "permanent";
    std::erase_if(settings->disconnected, [&](const Disconnect& d) {
        return d.type == rule.type && d.psa_type_id == rule.psa_type_id && d.psa_status_id == rule.psa_status_id;
    });
    settings->disconnected.push_back(rule);
    MORTAR_RETURN_IF_ERROR(SaveSettings(tx, account_id, in.id, *settings, now));
    std::vector<std::string> binds;
    const std::string narrow = Narrow(*type_id, *status_id, binds);
    std::string sql =
        rule.permanent
            ? "DELETE FROM sync_links WHERE account_id = $1 AND integration_id = $2 AND local_type = $3" + narrow
            : "UPDATE sync_links SET state = 'disconnected', updated_at = $" + std::to_string(binds.size() + 4) +
                  " WHERE account_id = $1 AND integration_id = $2 AND local_type = $3 AND state IN "
                  "('syncing', 'error')" +
                  narrow;
    auto stmt = tx.PrepareDynamic(sql);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, in.id).Bind(3, std::string_view(key.local_type));
    int idx = 4;
    for (const std::string& b : binds) stmt->Bind(idx++, std::string_view(b));
    if (!rule.permanent) stmt->Bind(idx, std::string_view(now));
    auto n = stmt->Execute();
    if (!n) return n.status();
    return Status::Ok();
}

Status Reconnect(
    db::Tx& tx,
    const ItemKey& key,
    const Integration& in,
    const jsonapi::ResourceInput& body,
    const std::string& now,
    const api::Context& ctx
) {
    const int64_t account_id = ctx.principal.account_id;
    auto type_id = OptionalId(body, "psa_type_id");
    if (!type_id) return type_id.status();
    auto status_id = OptionalId(body, "psa_status_id");
    if (!status_id) return status_id.status();
    auto settings = ParseSettingsText(in.settings);
    if (!settings) return settings.status();
    // Without a narrowing, every rule of the type goes; with one, the rules it names.
    std::erase_if(settings->disconnected, [&](const Disconnect& d) {
        if (d.type != key.local_type) return false;
        if (*type_id && d.psa_type_id != *type_id) return false;
        if (*status_id && d.psa_status_id != *status_id) return false;
        return true;
    });
    MORTAR_RETURN_IF_ERROR(SaveSettings(tx, account_id, in.id, *settings, now));
    std::vector<std::string> binds;
    const std::string narrow = Narrow(*type_id, *status_id, binds);
    auto stmt = tx.PrepareDynamic(
        "UPDATE sync_links SET state = 'syncing', payload_hash = NULL, updated_at = $" +
        std::to_string(binds.size() + 4) +
        " WHERE account_id = $1 AND integration_id = $2 AND local_type = $3 AND state = 'disconnected'" + narrow
    );
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, in.id).Bind(3, std::string_view(key.local_type));
    int idx = 4;
    for (const std::string& b : binds) stmt->Bind(idx++, std::string_view(b));
    stmt->Bind(idx, std::string_view(now));
    auto n = stmt->Execute();
    if (!n) return n.status();
    return Status::Ok();
}

// Orphaned Data -> Delete All (SPEC SYNC-7): deletes every orphaned record of the type,
// but only when the confirmation carries the number the administrator was shown.
Status DeleteOrphaned(
    db::Tx& tx,
    const ItemKey& key,
    const Integration& in,
    const jsonapi::ResourceInput& body,
    const std::string& now,
    const api::Context& ctx
) {
    const int64_t account_id = ctx.principal.account_id;
    std::vector<std::pair<int64_t, std::optional<int64_t>>> records;  // id, organization
    std::vector<std::string> names;
    {
        const bool org = key.local_type == "organizations";
        auto stmt = tx.PrepareDynamic(
            "SELECT x.id, " + std::string(org ? "x.id" : "x.organization_id") + ", " +
            (key.local_type == "contacts"
                 ? "NULLIF(trim(coalesce(x.first_name, '') || ' ' || coalesce(x.last_name, '')), '')"
                 : "x.name") +
            " FROM sync_links sl JOIN " + key.local_type +
            " x ON x.id = sl.local_id AND x.account_id = sl.account_id WHERE sl.account_id = $1 AND sl.integration_id "
            "= "
            "$2 AND sl.local_type = $3 AND sl.state = 'orphaned' ORDER BY x.id"
        );
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, in.id).Bind(3, std::string_view(key.local_type));
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            records.emplace_back(
                stmt->row().GetInt(0),
                stmt->row().IsNull(1) ? std::nullopt : std::optional<int64_t>(stmt->row().GetInt(1))
            );
            names.emplace_back(stmt->row().GetText(2));
        }
    }
    const json::Value* count = body.Attr("count");
    auto n = count ? jsonapi::ReadInt(*count) : Result<std::optional<int64_t>>(std::optional<int64_t>());
    if (!n || !*n || **n != static_cast<int64_t>(records.size())) {
        return Status::Unprocessable(
            "must confirm the number of orphaned " + key.local_type + " to delete: " + std::to_string(records.size()),
            body.Pointer("count", false)
        );
    }
    std::vector<std::pair<std::string, std::string>> children;
    if (key.local_type == "organizations") {
        children = {{"locations", "locations"}, {"contacts", "contacts"}, {"configurations", "configurations"}};
    }
    const auto refuse = api::RefuseSyncedDelete(key.local_type, children);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const int64_t id = records[i].first;
        MORTAR_RETURN_IF_ERROR(refuse(tx, account_id, id));
        if (key.local_type != "organizations") {
            MORTAR_RETURN_IF_ERROR(domains::DeleteAttachmentsOf(tx, account_id, key.local_type, id));
        }
        auto del = tx.PrepareDynamic("DELETE FROM " + key.local_type + " WHERE account_id = $1 AND id = $2");
        if (!del) return del.status();
        del->Bind(1, account_id).Bind(2, id);
        if (auto d = del->Execute(); !d) return d.status();
        MORTAR_RETURN_IF_ERROR(api::RecordActivityEvent(
            tx,
            api::ActivityEntry{
                .account_id = account_id,
                .action = "delete",
                .resource_type = key.local_type,
                .resource_id = id,
                .resource_name = names[i],
                .organization_id = records[i].second,
                .actor_key_id = ctx.principal.key_id,
                .now = now}
        ));
        MORTAR_RETURN_IF_ERROR(api::UnindexRecord(tx, account_id, key.local_type, id));
    }
    return Status::Ok();
}

}  // namespace

void RegisterRoutes(api::Service& svc, http::Router& router, std::function<void()> on_enqueue) {
    static const std::vector<api::ResourceDef> defs = [] {
        std::vector<api::ResourceDef> all;
        all.push_back(MakeIntegrations());
        all.push_back(MakeSyncRuns());
        all.push_back(MakeSyncRunErrors());
        all.push_back(MakeSyncJobs());
        all.push_back(MakeManageDataRecords());
        // Integrations, their runs and Manage Data are administration (SPEC SYNC, docs/ACCESS.md).
        for (auto& def : all) {
            def.access = api::AccessClass::kAdministration;
            def.Finalise();
        }
        return all;
    }();
    for (const auto& def : defs) api::RegisterResource(svc, router, def);
    using M = http::Method;

    // Start manual sync: a full run (SPEC SYNC-10), optionally confirming the orphans
    // the safety valve stopped: {"confirm_orphans": {"configurations": 37}}.
    svc.Add(router, M::kPost, "/api/integrations/{id}/sync", [&svc, on_enqueue](Request& req, api::Context& ctx) {
        if (Status s =
                api::CheckRole(ctx.principal, api::AccessClass::kAdministration, api::Op::kUpdate, "integrations");
            !s.ok())
            return jsonapi::ErrorResponse(s);
        auto id = ParseInt64(req.Param("id"));
        if (!id || *id <= 0)
            return jsonapi::ErrorResponse(Status::NotFound("integration " + std::string(req.Param("id")) + " not found")
            );
        auto input = BodyAttributes(req, "integrations");
        if (!input) return jsonapi::ErrorResponse(input.status());
        // A manual sync is a full reconciliation; {"full": false} asks for changes only.
        bool full = true;
        if (const json::Value* f = input->Attr("full"); f && !f->is_null()) {
            auto b = jsonapi::ReadBool(*f);
            if (!b)
                return jsonapi::ErrorResponse(Status::Unprocessable(b.status().message(), input->Pointer("full", false))
                );
            full = b->value_or(true);
        }
        std::optional<std::string> confirm;
        if (const json::Value* c = input->Attr("confirm_orphans"); c && !c->is_null()) {
            const std::string at = input->Pointer("confirm_orphans", false);
            if (!c->is_object())
                return jsonapi::ErrorResponse(Status::Unprocessable("must be an object of counts per data type", at));
            json::Writer w;
            w.BeginObject();
            for (const auto& [k, v] : c->as_object()) {
                const std::string type = DashToUnderscore(k);
                if (std::find(std::begin(kLocalTypes), std::end(kLocalTypes), type) == std::end(kLocalTypes) ||
                    !v.is_int() || v.as_int() < 0) {
                    return jsonapi::ErrorResponse(Status::Unprocessable("must map data types to counts", at + "/" + k));
                }
                w.Key(type);
                w.Int(v.as_int());
            }
            w.EndObject();
            confirm = w.Take();
        }
        auto tx = svc.db().Begin(db::TxMode::kWrite);
        if (!tx) return jsonapi::ErrorResponse(tx.status());
        auto found = LoadIntegrations(*tx, ctx.principal.account_id, *id);
        if (!found) return jsonapi::ErrorResponse(found.status());
        if (found->empty())
            return jsonapi::ErrorResponse(Status::NotFound("integration " + std::to_string(*id) + " not found"));
        const std::string now = FormatTimestamp(svc.clock().NowMillis());
        if (confirm) {
            auto stmt =
                tx->PrepareDynamic("UPDATE integrations SET confirmed_orphans = $3 WHERE account_id = $1 AND id = $2");
            if (!stmt) return jsonapi::ErrorResponse(stmt.status());
            stmt->Bind(1, ctx.principal.account_id).Bind(2, *id).Bind(3, std::string_view(*confirm));
            if (auto n = stmt->Execute(); !n) return jsonapi::ErrorResponse(n.status());
        }
        auto job = EnqueueSync(*tx, ctx.principal.account_id, *id, full, "manual", now);
        if (!job) return jsonapi::ErrorResponse(job.status());
        if (Status s = tx->Commit(); !s.ok()) return jsonapi::ErrorResponse(s);
        if (on_enqueue) on_enqueue();
        json::Writer w;
        w.BeginObject();
        w.Key("id");
        w.String(std::to_string(*job));
        w.Key("type");
        w.String("sync-jobs");
        w.Key("attributes");
        w.BeginObject();
        w.Key("integration-id");
        w.Int(*id);
        w.Key("full");
        w.Bool(full);
        w.Key("trigger");
        w.String("manual");
        w.EndObject();
        w.EndObject();
        return One(w.Take(), 202);
    });

    svc.Add(router, M::kGet, "/api/manage_data_items", [&svc](Request& req, api::Context& ctx) {
        if (Status s =
                api::CheckRole(ctx.principal, api::AccessClass::kAdministration, api::Op::kRead, "manage_data_items");
            !s.ok())
            return jsonapi::ErrorResponse(s);
        auto lq = jsonapi::ParseListQuery(ctx.query);
        if (!lq) return jsonapi::ErrorResponse(lq.status());
        std::optional<int64_t> only;
        std::optional<std::string> only_type;
        for (const jsonapi::Filter& f : lq->filters) {
            if (f.op != jsonapi::FilterOp::kEq) continue;
            if (f.field == "integration_id") {
                auto n = ParseInt64(f.value);
                if (!n)
                    return jsonapi::ErrorResponse(Status::InvalidArgument("filter[integration_id] must be an integer"));
                only = *n;
            } else if (f.field == "data_type") {
                only_type = f.value;
            }
        }
        auto tx = svc.db().Begin(db::TxMode::kRead);
        if (!tx) return jsonapi::ErrorResponse(tx.status());
        std::vector<Integration> integrations;
        if (!only || *only > 0) {
            auto found = LoadIntegrations(*tx, ctx.principal.account_id, only);
            if (!found) return jsonapi::ErrorResponse(found.status());
            integrations = std::move(*found);
        }
        auto items = RenderItems(*tx, ctx.principal.account_id, integrations, only_type);
        if (!items) return jsonapi::ErrorResponse(items.status());
        jsonapi::Page page{
            .number = lq->page_number, .size = lq->page_size, .total_count = static_cast<int64_t>(items->size())};
        json::Writer w;
        w.BeginObject();
        w.Key("data");
        w.BeginArray();
        const int64_t from = (page.number - 1) * page.size;
        for (int64_t i = from; i >= 0 && i < page.total_count && i < from + page.size; ++i) w.Raw((*items)[i]);
        w.EndArray();
        jsonapi::WritePageMetaAndLinks(w, page, ctx.public_base + http::Router::NormalisePath(req.path), ctx.query);
        w.EndObject();
        return Response::JsonApi(200, w.Take());
    });
    svc.Add(router, M::kGet, "/api/manage_data_items/{id}", [&svc](Request& req, api::Context& ctx) {
        if (Status s =
                api::CheckRole(ctx.principal, api::AccessClass::kAdministration, api::Op::kRead, "manage_data_items");
            !s.ok())
            return jsonapi::ErrorResponse(s);
        auto tx = svc.db().Begin(db::TxMode::kRead);
        if (!tx) return jsonapi::ErrorResponse(tx.status());
        Integration integration;
        auto key = ItemOf(*tx, req, ctx, &integration);
        if (!key) return jsonapi::ErrorResponse(key.status());
        auto items = RenderItems(*tx, ctx.principal.account_id, {integration}, key->local_type);
        if (!items) return jsonapi::ErrorResponse(items.status());
        return One(items->front());
    });
    // POST /api/manage_data_items/{id}/<action>.
    using ItemActionFn =
        Status (*)(db::Tx&, const ItemKey&, const Integration&, const jsonapi::ResourceInput&, const std::string&, const api::Context&);
    for (const auto& [name, action] : {
             std::pair<const char*, ItemActionFn>{"disconnect", Disconnect_},
             {"reconnect", Reconnect},
             {"delete_orphaned", DeleteOrphaned},
         }) {
        svc.Add(
            router,
            M::kPost,
            std::string("/api/manage_data_items/{id}/") + name,
            [&svc, action](Request& req, api::Context& ctx) {
                return ItemAction(
                    svc,
                    req,
                    ctx,
                    [&](db::Tx& tx,
                        const ItemKey& key,
                        const Integration& in,
                        const jsonapi::ResourceInput& body,
                        const std::string& now) { return action(tx, key, in, body, now, ctx); }
                );
            }
        );
    }
}

}  // namespace mortar::sync
