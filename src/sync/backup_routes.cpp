// SPDX-License-Identifier: AGPL-3.0-or-later
// The matching workflow and backup data of backup-portal integrations
// (docs/backup-api.md): /api/backup_customers and /api/backup_assets with their actions,
// bulk create, compare and sync now.
#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "api/access.hpp"
#include "api/record_writes.hpp"
#include "api/search.hpp"
#include "auth/users.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/mac.hpp"
#include "core/strings.hpp"
#include "jsonapi/body.hpp"
#include "jsonapi/document.hpp"
#include "jsonapi/query.hpp"
#include "match/mac_index.hpp"
#include "match/name_index.hpp"
#include "sync/backup.hpp"
#include "sync/backup_sql.hpp"
#include "sync/connect.hpp"

namespace mortar::sync {
namespace {

using http::Request;
using http::Response;

constexpr std::string_view kCreatedWarning =
    "Configurations created from backup data do not sync to the PSA unless you save them there manually.";
constexpr std::size_t kSimilarShown = 5;
constexpr int64_t kRecentBackups = 10;

// ---- Small helpers -----------------------------------------------------------------

std::optional<std::string> TextOrNull(const db::Row& row, int col) {
    if (row.IsNull(col)) return std::nullopt;
    return std::string(row.GetText(col));
}
std::optional<int64_t> IntOrNull(const db::Row& row, int col) {
    if (row.IsNull(col)) return std::nullopt;
    return row.GetInt(col);
}
void OptString(json::Writer& w, const db::Row& row, int col) {
    if (row.IsNull(col)) {
        w.Null();
    } else {
        w.String(row.GetText(col));
    }
}
void OptInt(json::Writer& w, const db::Row& row, int col) {
    if (row.IsNull(col)) {
        w.Null();
    } else {
        w.Int(row.GetInt(col));
    }
}
void Score(json::Writer& w, std::optional<int64_t> milli) {
    if (milli) {
        w.Double(static_cast<double>(*milli) / 1000.0);
    } else {
        w.Null();
    }
}
double ScoreOf(double s) {
    return std::round(s * 1000.0) / 1000.0;
}

db::Param P(const std::optional<std::string>& v) {
    return v ? db::Param(std::string_view(*v)) : db::Param(db::Null{});
}

Result<int64_t> Exec(db::Tx& tx, std::string sql, std::initializer_list<db::Param> params) {
    auto stmt = tx.PrepareDynamic(std::move(sql));
    if (!stmt) return stmt.status();
    std::vector<db::Param> bound(params);
    stmt->BindAll(bound);
    return stmt->Execute();
}

Response One(const std::string& resource, int status = 200, const std::string& meta = "") {
    return Response::JsonApi(
        status, "{\"data\":" + resource + (meta.empty() ? std::string() : ",\"meta\":" + meta) + "}"
    );
}

// Matching (list and every action): administrators and managers (docs/ACCESS.md).
bool MayMatch(const auth::Principal& p) {
    return p.role == auth::Role::kAdministrator || p.role == auth::Role::kManager;
}
Status CheckMatching(const auth::Principal& p) {
    if (MayMatch(p)) return Status::Ok();
    return Status::PermissionDenied(
        "the role " + std::string(auth::RoleName(p.role)) + " may not match backup customers and assets"
    );
}

// " AND ..." over configurations aliased `x` the principal may read; "" when all.
std::string VisibleConfiguration(const auth::Principal& p, std::string_view x) {
    std::string out;
    const std::string org = api::OrganizationCondition(p, std::string(x) + ".organization_id");
    if (!org.empty()) out += " AND " + org;
    const std::string grant = api::GrantCondition(p, x, "configurations");
    if (!grant.empty()) out += " AND " + grant;
    return out;
}

// The same as a boolean SQL expression: "(1 = 1)" when nothing restricts.
std::string VisibleExpr(const auth::Principal& p, std::string_view x) {
    const std::string and_list = VisibleConfiguration(p, x);
    if (and_list.empty()) return "(1 = 1)";
    return "(" + and_list.substr(5) + ")";  // drop the leading " AND "
}

// The attributes of an action body: {"data":{"attributes":{...}}}, or a bare object.
Result<json::Value> BodyAttributes(const Request& req) {
    if (Trim(req.body).empty()) return json::Value(json::Value::Object{});
    auto parsed = json::Parse(req.body);
    if (!parsed || !parsed->is_object()) return Status::InvalidArgument("the body must be a JSON object");
    const json::Value* data = parsed->Find("data");
    if (data && data->is_object()) {
        const json::Value* attributes = data->Find("attributes");
        if (attributes && attributes->is_object()) return *attributes;
        return *data;
    }
    return *parsed;
}
// An attribute by its dasherized or snake_case name.
const json::Value* Attr(const json::Value& attributes, std::string_view dashed) {
    if (const json::Value* v = attributes.Find(dashed)) return v;
    std::string snake(dashed);
    std::replace(snake.begin(), snake.end(), '-', '_');
    return attributes.Find(snake);
}
std::string Pointer(std::string_view dashed) {
    return "/data/attributes/" + std::string(dashed);
}
Result<std::optional<int64_t>> OptionalIdAttr(const json::Value& attributes, std::string_view dashed) {
    const json::Value* v = Attr(attributes, dashed);
    if (!v || v->is_null()) return std::optional<int64_t>();
    auto n = jsonapi::ReadInt(*v);
    if (!n || (*n && **n <= 0)) return Status::Unprocessable("must be an id", Pointer(dashed));
    return *n;
}

// Who made a manual decision: "matched by Alice Smith" (a user) or by the API key.
Result<std::string> ActorName(db::Tx& tx, const auth::Principal& p) {
    if (p.user_id > 0) {
        auto stmt = tx.PrepareDynamic("SELECT name FROM users WHERE account_id = $1 AND id = $2");
        if (!stmt) return stmt.status();
        stmt->Bind(1, p.account_id).Bind(2, p.user_id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (*step) return std::string(stmt->row().GetText(0));
    }
    if (p.key_id > 0) {
        auto stmt = tx.PrepareDynamic("SELECT name FROM api_keys WHERE id = $1");
        if (!stmt) return stmt.status();
        stmt->Bind(1, p.key_id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (*step) return "API key " + std::string(stmt->row().GetText(0));
    }
    return std::string("a user");
}

std::optional<int64_t> PathId(const Request& req) {
    auto id = ParseInt64(req.Param("id"));
    if (!id || *id <= 0) return std::nullopt;
    return *id;
}

// ---- Customers ---------------------------------------------------------------------

std::string CustomerSelect() {
    const std::string s = CustomerStateSql("c");
    const std::string asset_state = AssetStateSql("a");
    return "SELECT c.id, c.integration_id, c.external_id, c.name, " + s + ", CASE WHEN " + s +
           " IN ('auto', 'manual') THEN c.organization_id END, CASE WHEN " + s +
           " IN ('auto', 'manual') THEN o.name END, CASE WHEN " + s +
           " NOT IN ('auto', 'manual') THEN c.suggested_organization_id END, so.name, c.suggested_score_milli, "
           "c.suggested_reason, CASE WHEN " +
           s + " IN ('auto', 'manual') THEN c.score_milli END, CASE WHEN " + s +
           " IN ('auto', 'manual') THEN c.reason END, (SELECT count(*) FROM backup_assets a WHERE a.account_id = "
           "c.account_id AND a.customer_id = c.id), (SELECT count(*) FROM backup_assets a WHERE a.account_id = "
           "c.account_id AND a.customer_id = c.id AND " +
           asset_state +
           " IN ('unmatched', 'suggested', 'ambiguous')), (SELECT count(*) FROM backup_assets a WHERE "
           "a.account_id = c.account_id AND a.customer_id = c.id AND " +
           asset_state +
           " IN ('auto', 'manual', 'created')), (SELECT count(*) FROM backup_appliances p WHERE p.integration_id = "
           "c.integration_id AND p.customer_external_id = c.external_id), c.last_seen_at, c.created_at, "
           "c.updated_at, c.seen FROM backup_customers c LEFT JOIN organizations o ON o.id = c.organization_id LEFT "
           "JOIN organizations so ON so.id = c.suggested_organization_id";
}

struct Similar {
    int64_t id;
    std::string name;
    double score;
    std::string reason;
};

void WriteSimilar(json::Writer& w, const std::vector<Similar>& similar) {
    w.BeginArray();
    for (const Similar& s : similar) {
        w.BeginObject();
        w.Key("organization-id");
        w.Int(s.id);
        w.Key("organization-name");
        w.String(s.name);
        w.Key("score");
        w.Double(ScoreOf(s.score));
        w.Key("reason");
        w.String(s.reason);
        w.EndObject();
    }
    w.EndArray();
}

std::string RenderCustomer(const db::Row& r, const std::vector<Similar>* similar) {
    json::Writer w;
    w.BeginObject();
    w.Key("id");
    w.String(std::to_string(r.GetInt(0)));
    w.Key("type");
    w.String("backup-customers");
    w.Key("attributes");
    w.BeginObject();
    w.Key("integration-id");
    w.Int(r.GetInt(1));
    w.Key("external-id");
    w.String(r.GetText(2));
    w.Key("name");
    w.String(r.GetText(3));
    w.Key("state");
    w.String(r.GetText(4));
    w.Key("organization-id");
    OptInt(w, r, 5);
    w.Key("organization-name");
    OptString(w, r, 6);
    w.Key("suggestion");
    if (r.IsNull(7)) {
        w.Null();
    } else {
        w.BeginObject();
        w.Key("organization-id");
        w.Int(r.GetInt(7));
        w.Key("organization-name");
        OptString(w, r, 8);
        w.Key("score");
        Score(w, IntOrNull(r, 9));
        w.Key("reason");
        OptString(w, r, 10);
        w.EndObject();
    }
    w.Key("score");
    Score(w, IntOrNull(r, 11));
    w.Key("reason");
    OptString(w, r, 12);
    w.Key("asset-count");
    w.Int(r.GetInt(13));
    w.Key("unmatched-asset-count");
    w.Int(r.GetInt(14));
    w.Key("matched-asset-count");
    w.Int(r.GetInt(15));
    w.Key("appliance-count");
    w.Int(r.GetInt(16));
    w.Key("seen");
    w.Bool(r.GetBool(20));
    w.Key("last-seen-at");
    OptString(w, r, 17);
    w.Key("created-at");
    w.String(r.GetText(18));
    w.Key("updated-at");
    w.String(r.GetText(19));
    if (similar) {
        w.Key("similar-organizations");
        WriteSimilar(w, *similar);
    }
    w.EndObject();
    w.EndObject();
    return w.Take();
}

struct CustomerRow {
    int64_t id = 0;
    int64_t integration_id = 0;
    std::string name;
    std::string state;  // effective
    std::optional<int64_t> organization_id, suggested_id;
};

Result<CustomerRow> LoadCustomer(db::Tx& tx, int64_t account_id, int64_t id) {
    auto stmt = tx.PrepareDynamic(
        "SELECT c.id, c.integration_id, c.name, " + CustomerStateSql("c") +
        ", c.organization_id, c.suggested_organization_id FROM backup_customers c WHERE c.account_id = $1 AND c.id = "
        "$2"
    );
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::NotFound("backup_customer " + std::to_string(id) + " not found");
    const db::Row& r = stmt->row();
    CustomerRow c;
    c.id = r.GetInt(0);
    c.integration_id = r.GetInt(1);
    c.name = std::string(r.GetText(2));
    c.state = std::string(r.GetText(3));
    c.organization_id = IntOrNull(r, 4);
    c.suggested_id = IntOrNull(r, 5);
    if (c.state != "auto" && c.state != "manual") c.organization_id.reset();
    if (c.state == "auto" || c.state == "manual") c.suggested_id.reset();
    return c;
}

// Organizations whose names are like `name`, best first (the duplicate warning).
Result<std::vector<Similar>> SimilarOrganizations(db::Tx& tx, int64_t account_id, std::string_view name) {
    std::vector<match::Record> organizations;
    auto stmt = tx.PrepareDynamic("SELECT id, name FROM organizations WHERE account_id = $1 ORDER BY id");
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id);
    while (true) {
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) break;
        organizations.push_back(match::Record{stmt->row().GetInt(0), std::string(stmt->row().GetText(1))});
    }
    const match::NameIndex index(organizations);
    const match::MatchResult m = index.Match(name);
    std::vector<Similar> out;
    if (m.decision == match::Decision::kNone) return out;
    for (const match::Candidate& c : m.candidates) {
        if (out.size() >= kSimilarShown) break;
        out.push_back(Similar{c.id, c.name, c.score, c.reason.empty() ? m.reason : c.reason});
    }
    return out;
}

Result<std::string> RenderCustomerById(db::Tx& tx, int64_t account_id, int64_t id, bool with_similar) {
    auto stmt = tx.PrepareDynamic(CustomerSelect() + " WHERE c.account_id = $1 AND c.id = $2");
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::NotFound("backup_customer " + std::to_string(id) + " not found");
    if (!with_similar) return RenderCustomer(stmt->row(), nullptr);
    const std::string name(stmt->row().GetText(3));
    // Render before the next statement: the row belongs to this one.
    auto similar = SimilarOrganizations(tx, account_id, name);
    if (!similar) return similar.status();
    auto again = tx.PrepareDynamic(CustomerSelect() + " WHERE c.account_id = $1 AND c.id = $2");
    if (!again) return again.status();
    again->Bind(1, account_id).Bind(2, id);
    auto step2 = again->Step();
    if (!step2) return step2.status();
    if (!*step2) return Status::NotFound("backup_customer " + std::to_string(id) + " not found");
    return RenderCustomer(again->row(), &*similar);
}

// Sets a customer's decision; re-runs asset matching when its organization changed.
Status SetCustomer(
    db::Tx& tx,
    const CustomerRow& before,
    int64_t account_id,
    std::string_view state,
    std::optional<int64_t> organization_id,
    const std::optional<std::string>& reason,
    const std::string& now
) {
    auto n = Exec(
        tx,
        "UPDATE backup_customers SET state = $2, organization_id = $3, score_milli = NULL, reason = $4, "
        "suggested_organization_id = NULL, suggested_score_milli = NULL, suggested_reason = NULL, updated_at = $5 "
        "WHERE id = $1",
        {before.id,
         state,
         organization_id ? db::Param(*organization_id) : db::Param(db::Null{}),
         P(reason),
         std::string_view(now)}
    );
    if (!n) return n.status();
    if (state == "unmatched") {
        // Back to the engine's decision.
        auto moved = MatchCustomers(tx, account_id, before.integration_id, now, before.id);
        if (!moved) return moved.status();
    }
    return MatchAssets(tx, account_id, before.integration_id, now, AssetScope{before.id, std::nullopt});
}

Result<int64_t> CreateOrganization(
    db::Tx& tx, int64_t account_id, int64_t key_id, const std::string& name, const std::string& now
) {
    auto stmt = tx.PrepareDynamic(
        "INSERT INTO organizations (account_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id"
    );
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, std::string_view(name)).Bind(3, std::string_view(now));
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::Internal("insert into organizations returned no id");
    const int64_t id = stmt->row().GetInt(0);
    json::Writer changes;
    changes.BeginObject();
    changes.Key("name");
    changes.BeginObject();
    changes.Key("from");
    changes.Null();
    changes.Key("to");
    changes.String(name);
    changes.EndObject();
    changes.EndObject();
    MORTAR_RETURN_IF_ERROR(api::RecordActivityEvent(
        tx,
        api::ActivityEntry{
            .account_id = account_id,
            .action = "create",
            .resource_type = "organizations",
            .resource_id = id,
            .resource_name = name,
            .organization_id = id,
            .actor_key_id = key_id,
            .changes = changes.Take(),
            .now = now}
    ));
    MORTAR_RETURN_IF_ERROR(api::IndexRecord(tx, account_id, "organizations", id, id, name, now));
    return id;
}

// ---- Assets ------------------------------------------------------------------------

std::string AssetFrom() {
    return " FROM backup_assets a JOIN integrations i ON i.id = a.integration_id LEFT JOIN backup_customers c ON c.id "
           "= a.customer_id LEFT JOIN configurations x ON x.id = a.configuration_id LEFT JOIN configurations sx ON "
           "sx.id = a.suggested_configuration_id LEFT JOIN backup_appliances p ON p.integration_id = a.integration_id "
           "AND p.external_id = a.appliance";
}

// The names of configurations the reader may not see (restricted ones) are left out.
std::string AssetSelect(const auth::Principal& viewer) {
    const std::string s = AssetStateSql("a");
    const std::string cs = CustomerStateSql("c");
    const std::string matched = s + " IN ('auto', 'manual', 'created')";
    return "SELECT a.id, a.integration_id, i.name, a.customer_id, c.name, CASE WHEN " + cs +
           " IN ('auto', 'manual') THEN c.organization_id END, a.external_id, a.name, a.asset_type, a.ip_address, "
           "a.mac_addresses, a.appliance, p.name, " +
           s + ", CASE WHEN " + matched + " THEN a.configuration_id END, CASE WHEN " + matched + " AND " +
           VisibleExpr(viewer, "x") + " THEN x.name END, CASE WHEN " + s +
           " NOT IN ('auto', 'manual', 'created', 'ambiguous') THEN a.suggested_configuration_id END, CASE WHEN " +
           VisibleExpr(viewer, "sx") + " THEN sx.name END, a.suggested_score_milli, a.suggested_reason, CASE WHEN " +
           s +
           " IN ('auto', 'manual', 'created', 'ambiguous') THEN a.reason END, a.last_backup_at, "
           "a.last_backup_started_at, a.last_backup_status, "
           "a.last_backup_type, a.last_replication_status, a.storage_used_mb, a.last_synced_at, a.created_at, "
           "a.updated_at, a.seen, a.last_seen_at, (SELECT max(j.completed_at) FROM backup_jobs j WHERE "
           "j.integration_id = a.integration_id AND j.asset_external_id = a.external_id AND j.completed_at IS NOT "
           "NULL AND j.status <> 'InProgress')" +
           AssetFrom();
}

// Renders the current row of `stmt` (AssetSelect) with its candidates and recent backups.
Result<std::string> RenderAsset(db::Tx& tx, const db::Row& r, const auth::Principal& viewer) {
    const int64_t id = r.GetInt(0);
    const int64_t integration_id = r.GetInt(1);
    const std::string external_id(r.GetText(6));
    const std::string state(r.GetText(13));
    json::Writer w;
    w.BeginObject();
    w.Key("id");
    w.String(std::to_string(id));
    w.Key("type");
    w.String("backup-assets");
    w.Key("attributes");
    w.BeginObject();
    w.Key("integration-id");
    w.Int(integration_id);
    w.Key("integration-name");
    w.String(r.GetText(2));
    w.Key("customer-id");
    OptInt(w, r, 3);
    w.Key("customer-name");
    OptString(w, r, 4);
    w.Key("organization-id");
    OptInt(w, r, 5);
    w.Key("external-id");
    w.String(external_id);
    w.Key("name");
    w.String(r.GetText(7));
    w.Key("asset-type");
    OptString(w, r, 8);
    w.Key("ip-address");
    OptString(w, r, 9);
    w.Key("mac-addresses");
    {
        auto macs = json::Parse(r.GetText(10));
        w.BeginArray();
        if (macs && macs->is_array()) {
            for (const json::Value& m : macs->as_array()) {
                if (m.is_string()) w.String(m.as_string());
            }
        }
        w.EndArray();
    }
    w.Key("appliance");
    OptString(w, r, 11);
    w.Key("appliance-name");
    OptString(w, r, 12);
    w.Key("state");
    w.String(state);
    w.Key("configuration-id");
    OptInt(w, r, 14);
    w.Key("configuration-name");
    OptString(w, r, 15);
    w.Key("suggestion");
    if (r.IsNull(16)) {
        w.Null();
    } else {
        w.BeginObject();
        w.Key("configuration-id");
        w.Int(r.GetInt(16));
        w.Key("configuration-name");
        OptString(w, r, 17);
        w.Key("score");
        Score(w, IntOrNull(r, 18));
        w.Key("reason");
        OptString(w, r, 19);
        w.EndObject();
    }
    w.Key("reason");
    OptString(w, r, 20);
    w.Key("last-backup-at");
    // While a backup runs, the last backup is the previous finished one (CONNECTORS.md 4.4).
    if (!r.IsNull(23) && r.GetText(23) == "InProgress" && !r.IsNull(32)) {
        w.String(r.GetText(32));
    } else {
        OptString(w, r, 21);
    }
    w.Key("last-backup-started-at");
    OptString(w, r, 22);
    w.Key("last-backup-status");
    OptString(w, r, 23);
    w.Key("last-backup-successful");
    if (r.IsNull(23) || r.GetText(23) == "Unknown" || r.GetText(23) == "InProgress") {
        w.Null();
    } else {
        w.Bool(r.GetText(23) == "Successful");
    }
    w.Key("last-backup-type");
    OptString(w, r, 24);
    w.Key("last-replication-status");
    OptString(w, r, 25);
    w.Key("storage-used-mb");
    OptInt(w, r, 26);
    w.Key("last-synced-at");
    OptString(w, r, 27);
    w.Key("seen");
    w.Bool(r.GetBool(30));
    w.Key("last-seen-at");
    OptString(w, r, 31);
    w.Key("created-at");
    w.String(r.GetText(28));
    w.Key("updated-at");
    w.String(r.GetText(29));
    w.Key("candidates");
    w.BeginArray();
    if (state == "ambiguous") {
        auto stmt = tx.PrepareDynamic(
            "SELECT mc.configuration_id, x.name, mc.reason FROM match_candidates mc JOIN configurations x ON x.id = "
            "mc.configuration_id WHERE mc.backup_asset_id = $1" +
            VisibleConfiguration(viewer, "x") + " ORDER BY mc.position"
        );
        if (!stmt) return stmt.status();
        stmt->Bind(1, id);
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            w.BeginObject();
            w.Key("configuration-id");
            w.Int(stmt->row().GetInt(0));
            w.Key("configuration-name");
            w.String(stmt->row().GetText(1));
            w.Key("reason");
            w.String(stmt->row().GetText(2));
            w.EndObject();
        }
    }
    w.EndArray();
    w.Key("recent-backups");
    w.BeginArray();
    {
        auto stmt = tx.PrepareDynamic(
            "SELECT started_at, completed_at, status, backup_type, size_mb FROM backup_jobs WHERE integration_id = $1 "
            "AND asset_external_id = $2 ORDER BY started_at DESC LIMIT " +
            std::to_string(kRecentBackups)
        );
        if (!stmt) return stmt.status();
        stmt->Bind(1, integration_id).Bind(2, std::string_view(external_id));
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            const db::Row& b = stmt->row();
            w.BeginObject();
            w.Key("started-at");
            OptString(w, b, 0);
            w.Key("completed-at");
            OptString(w, b, 1);
            w.Key("status");
            OptString(w, b, 2);
            w.Key("type");
            OptString(w, b, 3);
            w.Key("size-mb");
            OptInt(w, b, 4);
            w.EndObject();
        }
    }
    w.EndArray();
    w.EndObject();
    w.EndObject();
    return w.Take();
}

// The assets of `where` (over AssetSelect's aliases, binding $1 account and `binds`).
Result<std::vector<std::string>> RenderAssets(
    db::Tx& tx,
    const std::string& where,
    int64_t account_id,
    const std::vector<db::Param>& binds,
    const std::string& tail,
    const auth::Principal& viewer
) {
    // Rows first, then their candidates and backups: one open statement at a time.
    std::vector<int64_t> ids;
    {
        auto stmt = tx.PrepareDynamic("SELECT a.id" + AssetFrom() + " WHERE a.account_id = $1" + where + tail);
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id);
        for (std::size_t i = 0; i < binds.size(); ++i) stmt->Bind(static_cast<int>(i) + 2, binds[i]);
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            ids.push_back(stmt->row().GetInt(0));
        }
    }
    std::vector<std::string> out;
    out.reserve(ids.size());
    for (int64_t id : ids) {
        auto stmt = tx.PrepareDynamic(AssetSelect(viewer) + " WHERE a.account_id = $1 AND a.id = $2");
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) continue;
        auto rendered = RenderAsset(tx, stmt->row(), viewer);
        if (!rendered) return rendered.status();
        out.push_back(std::move(*rendered));
    }
    return out;
}

Result<std::string> RenderAssetById(db::Tx& tx, const auth::Principal& viewer, int64_t id) {
    auto rendered = RenderAssets(tx, " AND a.id = $2", viewer.account_id, {db::Param(id)}, "", viewer);
    if (!rendered) return rendered.status();
    if (rendered->empty()) return Status::NotFound("backup_asset " + std::to_string(id) + " not found");
    return rendered->front();
}

struct AssetRow {
    int64_t id = 0;
    int64_t integration_id = 0;
    std::optional<int64_t> customer_id;
    std::optional<int64_t> organization_id;  // of the customer's match
    std::string name, state;                 // effective state
    std::optional<std::string> asset_type, ip_address;
    std::vector<std::string> macs;
    std::optional<int64_t> configuration_id, suggested_id;
    std::vector<int64_t> candidates;
};

Result<AssetRow> LoadAsset(db::Tx& tx, int64_t account_id, int64_t id) {
    AssetRow a;
    {
        auto stmt = tx.PrepareDynamic(
            "SELECT a.id, a.integration_id, a.customer_id, CASE WHEN " + CustomerStateSql("c") +
            " IN ('auto', 'manual') THEN c.organization_id END, a.name, " + AssetStateSql("a") +
            ", a.asset_type, a.ip_address, a.mac_addresses, a.configuration_id, a.suggested_configuration_id FROM "
            "backup_assets a LEFT JOIN backup_customers c ON c.id = a.customer_id WHERE a.account_id = $1 AND a.id = $2"
        );
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) return Status::NotFound("backup_asset " + std::to_string(id) + " not found");
        const db::Row& r = stmt->row();
        a.id = r.GetInt(0);
        a.integration_id = r.GetInt(1);
        a.customer_id = IntOrNull(r, 2);
        a.organization_id = IntOrNull(r, 3);
        a.name = std::string(r.GetText(4));
        a.state = std::string(r.GetText(5));
        a.asset_type = TextOrNull(r, 6);
        a.ip_address = TextOrNull(r, 7);
        if (auto macs = json::Parse(r.GetText(8)); macs && macs->is_array()) {
            for (const json::Value& m : macs->as_array()) {
                if (m.is_string()) a.macs.push_back(m.as_string());
            }
        }
        a.configuration_id = IntOrNull(r, 9);
        a.suggested_id = IntOrNull(r, 10);
    }
    auto stmt =
        tx.PrepareDynamic("SELECT configuration_id FROM match_candidates WHERE backup_asset_id = $1 ORDER BY position");
    if (!stmt) return stmt.status();
    stmt->Bind(1, id);
    while (true) {
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) break;
        a.candidates.push_back(stmt->row().GetInt(0));
    }
    return a;
}

Status SetAsset(
    db::Tx& tx,
    const AssetRow& a,
    int64_t account_id,
    std::string_view state,
    std::optional<int64_t> configuration_id,
    const std::optional<std::string>& reason,
    const std::string& now
) {
    auto n = Exec(
        tx,
        "UPDATE backup_assets SET state = $2, configuration_id = $3, score_milli = NULL, reason = $4, "
        "suggested_configuration_id = NULL, suggested_score_milli = NULL, suggested_reason = NULL, updated_at = $5 "
        "WHERE id = $1",
        {a.id,
         state,
         configuration_id ? db::Param(*configuration_id) : db::Param(db::Null{}),
         P(reason),
         std::string_view(now)}
    );
    if (!n) return n.status();
    auto del = Exec(tx, "DELETE FROM match_candidates WHERE backup_asset_id = $1", {a.id});
    if (!del) return del.status();
    if (state == "unmatched") {
        return MatchAssets(tx, account_id, a.integration_id, now, AssetScope{std::nullopt, a.id});
    }
    return Status::Ok();
}

// The configuration type named like the asset's type, created when missing.
Result<std::optional<int64_t>> ConfigurationType(
    db::Tx& tx, int64_t account_id, const std::optional<std::string>& name, const std::string& now
) {
    if (!name || Trim(*name).empty()) return std::optional<int64_t>();
    const std::string trimmed(Trim(*name));
    auto find = tx.PrepareDynamic(
        "SELECT id FROM configuration_types WHERE account_id = $1 AND lower(name) = lower($2) ORDER BY id LIMIT 1"
    );
    if (!find) return find.status();
    find->Bind(1, account_id).Bind(2, std::string_view(trimmed));
    auto step = find->Step();
    if (!step) return step.status();
    if (*step) return std::optional<int64_t>(find->row().GetInt(0));
    auto insert = tx.PrepareDynamic(
        "INSERT INTO configuration_types (account_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) "
        "RETURNING id"
    );
    if (!insert) return insert.status();
    insert->Bind(1, account_id).Bind(2, std::string_view(trimmed)).Bind(3, std::string_view(now));
    auto inserted = insert->Step();
    if (!inserted) return inserted.status();
    if (!*inserted) return Status::Internal("insert into configuration_types returned no id");
    return std::optional<int64_t>(insert->row().GetInt(0));
}

// Create configuration from an asset (one transaction, the caller's).
Status CreateConfigurationFrom(
    db::Tx& tx, const AssetRow& a, int64_t account_id, int64_t key_id, const std::string& now
) {
    if (a.state == "ignored") return Status::Unprocessable("is ignored; unignore it first", "/data/attributes/state");
    if (a.state == "auto" || a.state == "manual" || a.state == "created") {
        return Status::Unprocessable("is already matched to a configuration", "/data/attributes/state");
    }
    if (!a.organization_id) {
        return Status::Unprocessable(
            "the backup customer is not matched to an organization: match it first", "/data/attributes/customer-id"
        );
    }
    // Every configuration has a type: the asset's, or a generic one.
    auto type = ConfigurationType(
        tx, account_id, a.asset_type && !Trim(*a.asset_type).empty() ? *a.asset_type : std::string("Backup asset"), now
    );
    if (!type) return type.status();
    const std::optional<std::string> mac = a.macs.empty() ? std::nullopt : std::optional<std::string>(a.macs.front());
    const std::optional<std::string> normalized = mac ? NormalizeMac(*mac) : std::nullopt;
    auto stmt = tx.PrepareDynamic(
        "INSERT INTO configurations (account_id, organization_id, configuration_type_id, name, hostname, primary_ip, "
        "mac_address, mac_normalized, created_at, updated_at) VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $8) "
        "RETURNING id"
    );
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id)
        .Bind(2, *a.organization_id)
        .Bind(3, *type ? db::Param(**type) : db::Param(db::Null{}))
        .Bind(4, std::string_view(a.name))
        .Bind(5, P(a.ip_address))
        .Bind(6, P(mac))
        .Bind(7, P(normalized))
        .Bind(8, std::string_view(now));
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::Internal("insert into configurations returned no id");
    const int64_t id = stmt->row().GetInt(0);
    if (mac) {
        auto n = Exec(
            tx,
            "INSERT INTO configuration_interfaces (account_id, configuration_id, name, ip_address, mac_address, "
            "mac_normalized, is_primary, created_at, updated_at) VALUES ($1, $2, 'Primary', $3, $4, $5, $6, $7, $7)",
            {account_id, id, P(a.ip_address), P(mac), P(normalized), true, std::string_view(now)}
        );
        if (!n) return n.status();
    }
    json::Writer changes;
    changes.BeginObject();
    for (const auto& [key, value] :
         {std::pair<const char*, std::optional<std::string>>{"name", a.name},
          {"hostname", a.name},
          {"primary-ip", a.ip_address},
          {"mac-address", mac}}) {
        if (!value) continue;
        changes.Key(key);
        changes.BeginObject();
        changes.Key("from");
        changes.Null();
        changes.Key("to");
        changes.String(*value);
        changes.EndObject();
    }
    changes.EndObject();
    MORTAR_RETURN_IF_ERROR(api::RecordActivityEvent(
        tx,
        api::ActivityEntry{
            .account_id = account_id,
            .action = "create",
            .resource_type = "configurations",
            .resource_id = id,
            .resource_name = a.name,
            .organization_id = a.organization_id,
            .actor_key_id = key_id,
            .changes = changes.Take(),
            .now = now}
    ));
    MORTAR_RETURN_IF_ERROR(api::IndexRecord(tx, account_id, "configurations", id, a.organization_id, a.name, now));
    return SetAsset(tx, a, account_id, "created", id, std::string("created from backup data"), now);
}

// ---- Compare -----------------------------------------------------------------------

std::string Folded(std::string_view s) {
    std::string out;
    for (char c : Trim(s)) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void CompareRow(
    json::Writer& w,
    std::string_view field,
    std::string_view label,
    const std::optional<std::string>& mortar,
    const std::optional<std::string>& portal,
    std::optional<bool> differs = std::nullopt
) {
    w.BeginObject();
    w.Key("field");
    w.String(field);
    w.Key("label");
    w.String(label);
    w.Key("mortar");
    mortar ? w.String(*mortar) : w.Null();
    w.Key("portal");
    portal ? w.String(*portal) : w.Null();
    w.Key("differs");
    w.Bool(differs ? *differs : Folded(mortar.value_or("")) != Folded(portal.value_or("")));
    w.EndObject();
}

Result<std::string> RenderCompare(db::Tx& tx, int64_t account_id, const AssetRow& a) {
    if (!a.configuration_id || (a.state != "auto" && a.state != "manual" && a.state != "created")) {
        return Status::Unprocessable("is not matched to a configuration", "/data/attributes/configuration-id");
    }
    std::optional<std::string> name, hostname, ip, type, os, organization, customer;
    std::vector<std::string> mortar_macs;
    {
        auto stmt = tx.PrepareDynamic(
            "SELECT x.name, x.hostname, x.primary_ip, x.mac_address, ct.name, x.operating_system_notes, o.name, "
            "(SELECT c.name FROM backup_customers c JOIN backup_assets a ON a.customer_id = c.id WHERE a.id = $3) FROM "
            "configurations x LEFT JOIN configuration_types ct ON ct.id = x.configuration_type_id LEFT JOIN "
            "organizations o ON o.id = x.organization_id WHERE x.account_id = $1 AND x.id = $2"
        );
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, *a.configuration_id).Bind(3, a.id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) return Status::Unprocessable("is not matched to a configuration");
        const db::Row& r = stmt->row();
        name = TextOrNull(r, 0);
        hostname = TextOrNull(r, 1);
        ip = TextOrNull(r, 2);
        if (!r.IsNull(3) && !r.GetText(3).empty()) mortar_macs.emplace_back(r.GetText(3));
        type = TextOrNull(r, 4);
        os = TextOrNull(r, 5);
        organization = TextOrNull(r, 6);
        customer = TextOrNull(r, 7);
    }
    {
        auto stmt = tx.PrepareDynamic(
            "SELECT mac_address FROM configuration_interfaces WHERE account_id = $1 AND configuration_id = $2 AND "
            "mac_address IS NOT NULL ORDER BY id"
        );
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, *a.configuration_id);
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            mortar_macs.emplace_back(stmt->row().GetText(0));
        }
    }
    std::set<uint64_t> mortar_set;
    std::vector<std::string> mortar_shown;
    for (const std::string& m : mortar_macs) {
        auto v = match::ParseMac(m);
        if (!v) continue;
        if (mortar_set.insert(*v).second) mortar_shown.push_back(match::DisplayMac(*v));
    }
    bool macs_differ = false;
    std::vector<std::string> portal_shown;
    for (const std::string& m : a.macs) {
        auto v = match::ParseMac(m);
        portal_shown.push_back(v ? match::DisplayMac(*v) : m);
        if (!v || !mortar_set.count(*v)) macs_differ = true;
    }
    if (a.macs.empty() != mortar_set.empty()) macs_differ = true;
    auto join = [](const std::vector<std::string>& v) -> std::optional<std::string> {
        if (v.empty()) return std::nullopt;
        std::string out;
        for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
        return out;
    };
    std::optional<std::string> mortar_type = type;
    if (os && !os->empty()) mortar_type = type ? *type + " / " + *os : *os;
    json::Writer w;
    w.BeginObject();
    w.Key("type");
    w.String("backup-comparisons");
    w.Key("id");
    w.String(std::to_string(a.id));
    w.Key("attributes");
    w.BeginObject();
    w.Key("rows");
    w.BeginArray();
    CompareRow(w, "name", "Name", name, a.name);
    CompareRow(w, "hostname", "Hostname", hostname, a.name);
    CompareRow(w, "ip_address", "IP address", ip, a.ip_address);
    CompareRow(w, "mac_addresses", "MAC addresses", join(mortar_shown), join(portal_shown), macs_differ);
    CompareRow(
        w,
        "operating_system",
        "Operating system / type",
        mortar_type,
        a.asset_type,
        Folded(type.value_or("")) != Folded(a.asset_type.value_or(""))
    );
    CompareRow(w, "organization", "Organization", organization, customer);
    w.EndArray();
    w.EndObject();
    w.EndObject();
    return w.Take();
}

// ---- Lists -------------------------------------------------------------------------

Result<int64_t> IntFilter(const jsonapi::Filter& f) {
    auto n = ParseInt64(f.value);
    if (!n) return Status::InvalidArgument("filter[" + f.field + "] must be an integer");
    return *n;
}

void WriteList(json::Writer& w, const std::vector<std::string>& items) {
    w.Key("data");
    w.BeginArray();
    for (const std::string& item : items) w.Raw(item);
    w.EndArray();
}

// The WHERE clause of a backup list being built: `$1` is the account, the binds follow.
struct ListWhere {
    std::string sql;
    std::vector<std::string> texts;  // binds hold views of these: reserved, never reallocated
    std::vector<db::Param> binds;

    explicit ListWhere(std::size_t filters) { texts.reserve(filters); }
    std::string Next() const { return "$" + std::to_string(binds.size() + 2); }
    void BindAll(db::Stmt& stmt, int64_t account_id) const {
        stmt.Bind(1, account_id);
        for (std::size_t i = 0; i < binds.size(); ++i) stmt.Bind(static_cast<int>(i) + 2, binds[i]);
    }
    // filter[state], filter[name] and filter[seen], shared by customers and assets: true
    // when `f` was one of them.
    Result<bool> AddCommon(
        const jsonapi::Filter& f,
        std::string_view alias,
        const std::string& state,
        std::string_view unmatched_states,
        std::string_view matched_states
    ) {
        const std::string a(alias);
        if (f.field == "state") {
            if (f.value == "unmatched") {
                sql += " AND " + a + ".seen AND " + state + " IN (" + std::string(unmatched_states) + ")";
            } else if (f.value == "matched") {
                sql += " AND " + state + " IN (" + std::string(matched_states) + ")";
            } else if (f.value == "ignored") {
                sql += " AND " + state + " = 'ignored'";
            } else {
                return Status::InvalidArgument("filter[state] must be unmatched, matched or ignored");
            }
            return true;
        }
        if (f.field == "name") {
            // A part of the name: % and _ typed are themselves, not wildcards.
            std::string pattern = "%";
            for (char c : Folded(f.value)) {
                if (c == '%' || c == '_' || c == '\\') pattern += '\\';
                pattern += c;
            }
            texts.push_back(pattern + "%");
            sql += " AND lower(" + a + ".name) LIKE " + Next() + " ESCAPE '\\'";
            binds.push_back(std::string_view(texts.back()));
            return true;
        }
        if (f.field == "seen") {
            if (f.value != "true" && f.value != "false")
                return Status::InvalidArgument("filter[seen] must be true or false");
            sql += f.value == "true" ? " AND " + a + ".seen" : " AND NOT " + a + ".seen";
            return true;
        }
        return false;
    }
};

constexpr std::string_view kCustomerUnmatched = "'unmatched', 'suggested'";
constexpr std::string_view kCustomerMatched = "'auto', 'manual'";
constexpr std::string_view kAssetUnmatched = "'unmatched', 'suggested', 'ambiguous'";
constexpr std::string_view kAssetMatched = "'auto', 'manual', 'created'";

// Counts with `count_sql` + WHERE, renders the page with `render(tx, page_sql)` and answers
// the JSON:API list with its paging meta and links.
Response AnswerList(
    api::Service& svc,
    const Request& req,
    const api::Context& ctx,
    const jsonapi::ListQuery& lq,
    const std::string& count_sql,
    const ListWhere& where,
    const std::function<Result<std::vector<std::string>>(db::Tx&, const std::string& limit)>& render
) {
    auto tx = svc.db().Begin(db::TxMode::kRead);
    if (!tx) return jsonapi::ErrorResponse(tx.status());
    int64_t total = 0;
    {
        auto stmt = tx->PrepareDynamic(count_sql + where.sql);
        if (!stmt) return jsonapi::ErrorResponse(stmt.status());
        where.BindAll(*stmt, ctx.principal.account_id);
        auto step = stmt->Step();
        if (!step) return jsonapi::ErrorResponse(step.status());
        total = *step ? stmt->row().GetInt(0) : 0;
    }
    const int64_t offset = (lq.page_number - 1) * lq.page_size;
    auto items = render(*tx, " LIMIT " + std::to_string(lq.page_size) + " OFFSET " + std::to_string(offset));
    if (!items) return jsonapi::ErrorResponse(items.status());
    json::Writer w;
    w.BeginObject();
    WriteList(w, *items);
    jsonapi::Page page{.number = lq.page_number, .size = lq.page_size, .total_count = total};
    jsonapi::WritePageMetaAndLinks(w, page, ctx.public_base + http::Router::NormalisePath(req.path), ctx.query);
    w.EndObject();
    return Response::JsonApi(200, w.Take());
}

Response ListCustomers(api::Service& svc, Request& req, api::Context& ctx) {
    if (Status s = CheckMatching(ctx.principal); !s.ok()) return jsonapi::ErrorResponse(s);
    auto lq = jsonapi::ParseListQuery(ctx.query);
    if (!lq) return jsonapi::ErrorResponse(lq.status());
    ListWhere where(lq->filters.size());
    const std::string state = CustomerStateSql("c");
    for (const jsonapi::Filter& f : lq->filters) {
        if (f.op != jsonapi::FilterOp::kEq) continue;
        auto common = where.AddCommon(f, "c", state, kCustomerUnmatched, kCustomerMatched);
        if (!common) return jsonapi::ErrorResponse(common.status());
        if (*common) continue;
        if (f.field == "integration_id" || f.field == "organization_id") {
            auto n = IntFilter(f);
            if (!n) return jsonapi::ErrorResponse(n.status());
            where.sql +=
                (f.field == "integration_id" ? " AND c.integration_id = " : " AND c.organization_id = ") +
                where.Next() +
                (f.field == "organization_id" ? " AND " + state + " IN (" + std::string(kCustomerMatched) + ")" : "");
            where.binds.push_back(*n);
        } else {
            return jsonapi::ErrorResponse(Status::InvalidArgument("filter[" + f.field + "] is not a filter here"));
        }
    }
    std::string order;
    for (const jsonapi::SortKey& k : lq->sort) {
        const std::string dir = k.descending ? " DESC" : " ASC";
        if (k.field == "name") {
            order += ", lower(c.name)" + dir;
        } else if (k.field == "score") {
            order += ", COALESCE(CASE WHEN " + state +
                     " IN ('auto', 'manual') THEN COALESCE(c.score_milli, 1000) END, " +
                     "c.suggested_score_milli, -1)" + dir;
        } else if (k.field == "organization_name") {
            order += ", lower(COALESCE(o.name, so.name, ''))" + dir;
        } else {
            return jsonapi::ErrorResponse(
                Status::InvalidArgument("sort must be name, score or organization-name (with - for descending)")
            );
        }
    }
    order = " ORDER BY " + (order.empty() ? std::string() : order.substr(2) + ", ") + "c.id";
    const int64_t account_id = ctx.principal.account_id;
    return AnswerList(
        svc,
        req,
        ctx,
        *lq,
        "SELECT count(*) FROM backup_customers c LEFT JOIN organizations o ON o.id = c.organization_id LEFT JOIN "
        "organizations so ON so.id = c.suggested_organization_id WHERE c.account_id = $1",
        where,
        [&](db::Tx& tx, const std::string& limit) -> Result<std::vector<std::string>> {
            auto stmt = tx.PrepareDynamic(CustomerSelect() + " WHERE c.account_id = $1" + where.sql + order + limit);
            if (!stmt) return stmt.status();
            where.BindAll(*stmt, account_id);
            std::vector<std::string> items;
            while (true) {
                auto step = stmt->Step();
                if (!step) return step.status();
                if (!*step) break;
                items.push_back(RenderCustomer(stmt->row(), nullptr));
            }
            return items;
        }
    );
}

Response ListAssets(api::Service& svc, Request& req, api::Context& ctx) {
    auto lq = jsonapi::ParseListQuery(ctx.query);
    if (!lq) return jsonapi::ErrorResponse(lq.status());
    ListWhere where(lq->filters.size());
    const std::string state = AssetStateSql("a");
    bool by_configuration = false;
    for (const jsonapi::Filter& f : lq->filters) {
        if (f.op != jsonapi::FilterOp::kEq) continue;
        auto common = where.AddCommon(f, "a", state, kAssetUnmatched, kAssetMatched);
        if (!common) return jsonapi::ErrorResponse(common.status());
        if (*common) continue;
        if (f.field == "integration_id" || f.field == "customer_id" || f.field == "organization_id" ||
            f.field == "configuration_id") {
            auto n = IntFilter(f);
            if (!n) return jsonapi::ErrorResponse(n.status());
            if (f.field == "integration_id") {
                where.sql += " AND a.integration_id = " + where.Next();
            } else if (f.field == "customer_id") {
                where.sql += " AND a.customer_id = " + where.Next();
            } else if (f.field == "organization_id") {
                where.sql += " AND c.organization_id = " + where.Next() + " AND " + CustomerStateSql("c") + " IN (" +
                             std::string(kCustomerMatched) + ")";
            } else {
                by_configuration = true;
                where.sql += " AND a.configuration_id = " + where.Next() + " AND " + state + " IN (" +
                             std::string(kAssetMatched) + ")";
            }
            where.binds.push_back(*n);
        } else {
            return jsonapi::ErrorResponse(Status::InvalidArgument("filter[" + f.field + "] is not a filter here"));
        }
    }
    // The backup data of a configuration is for everyone who may read it; the rest is matching.
    if (!MayMatch(ctx.principal)) {
        if (!by_configuration) return jsonapi::ErrorResponse(CheckMatching(ctx.principal));
        where.sql += VisibleConfiguration(ctx.principal, "x");
    }
    std::string order;
    for (const jsonapi::SortKey& k : lq->sort) {
        if (k.field != "name")
            return jsonapi::ErrorResponse(Status::InvalidArgument("sort must be name (with - for descending)"));
        order += std::string(", lower(a.name)") + (k.descending ? " DESC" : " ASC");
    }
    order = " ORDER BY " + (order.empty() ? std::string("lower(a.name), ") : order.substr(2) + ", ") + "a.id";
    const int64_t account_id = ctx.principal.account_id;
    return AnswerList(
        svc,
        req,
        ctx,
        *lq,
        "SELECT count(*)" + AssetFrom() + " WHERE a.account_id = $1",
        where,
        [&](db::Tx& tx, const std::string& limit) {
            return RenderAssets(tx, where.sql, account_id, where.binds, order + limit, ctx.principal);
        }
    );
}

// An asset a reader who does not match may see: matched to a configuration they may read.
Status CheckAssetVisible(db::Tx& tx, const auth::Principal& p, int64_t id) {
    if (MayMatch(p)) return Status::Ok();
    auto stmt = tx.PrepareDynamic(
        "SELECT 1 FROM backup_assets a JOIN configurations x ON x.id = a.configuration_id WHERE a.account_id = $1 AND "
        "a.id = $2 AND " +
        AssetStateSql("a") + " IN ('auto', 'manual', 'created')" + VisibleConfiguration(p, "x")
    );
    if (!stmt) return stmt.status();
    stmt->Bind(1, p.account_id).Bind(2, id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::NotFound("backup_asset " + std::to_string(id) + " not found");
    return Status::Ok();
}

// ---- Actions -----------------------------------------------------------------------

using CustomerAction = std::function<Status(
    db::Tx&,
    const CustomerRow&,
    const json::Value& attributes,
    const api::Context&,
    const std::string& now,
    std::string& meta
)>;

// Runs one action on a backup customer or asset in one write transaction: the matching
// role, the row, the action, the data version, and the row as it is afterwards. The meta an
// action writes goes with its answer, an error (the duplicate warning) or the row (the
// warning that created configurations do not sync to the PSA).
template <class Row, class Action, class Render>
Response RunRowAction(
    api::Service& svc,
    Request& req,
    api::Context& ctx,
    std::string_view what,
    Result<Row> (*load)(db::Tx&, int64_t account_id, int64_t id),
    const Action& action,
    const Render& render
) {
    if (Status s = CheckMatching(ctx.principal); !s.ok()) return jsonapi::ErrorResponse(s);
    const auto id = PathId(req);
    if (!id) {
        return jsonapi::ErrorResponse(
            Status::NotFound(std::string(what) + " " + std::string(req.Param("id")) + " not found")
        );
    }
    auto attributes = BodyAttributes(req);
    if (!attributes) return jsonapi::ErrorResponse(attributes.status());
    auto tx = svc.db().Begin(db::TxMode::kWrite);
    if (!tx) return jsonapi::ErrorResponse(tx.status());
    auto row = load(*tx, ctx.principal.account_id, *id);
    if (!row) return jsonapi::ErrorResponse(row.status());
    const std::string now = FormatTimestamp(svc.clock().NowMillis());
    std::string meta;
    if (Status s = action(*tx, *row, *attributes, ctx, now, meta); !s.ok()) {
        return meta.empty() ? jsonapi::ErrorResponse(s) : jsonapi::ErrorResponse(s, meta);
    }
    if (Status s = api::BumpDataVersion(*tx, ctx.principal.account_id); !s.ok()) return jsonapi::ErrorResponse(s);
    auto rendered = render(*tx, *id);
    if (!rendered) return jsonapi::ErrorResponse(rendered.status());
    if (Status s = tx->Commit(); !s.ok()) return jsonapi::ErrorResponse(s);
    return One(*rendered, 200, meta);
}

Response RunCustomerAction(api::Service& svc, Request& req, api::Context& ctx, const CustomerAction& action) {
    return RunRowAction(svc, req, ctx, "backup_customer", &LoadCustomer, action, [&](db::Tx& tx, int64_t id) {
        return RenderCustomerById(tx, ctx.principal.account_id, id, false);
    });
}

Status
AcceptCustomer(db::Tx& tx, const CustomerRow& c, const json::Value&, const api::Context& ctx, const std::string& now, std::string&) {
    if (c.state != "suggested" || !c.suggested_id) {
        return Status::Unprocessable("has no suggestion to accept", "/data/attributes/suggestion");
    }
    auto actor = ActorName(tx, ctx.principal);
    if (!actor) return actor.status();
    return SetCustomer(tx, c, ctx.principal.account_id, "manual", c.suggested_id, "matched by " + *actor, now);
}

Status
MatchCustomer(db::Tx& tx, const CustomerRow& c, const json::Value& attributes, const api::Context& ctx, const std::string& now, std::string&) {
    auto organization = OptionalIdAttr(attributes, "organization-id");
    if (!organization) return organization.status();
    if (!*organization) return Status::Unprocessable("can't be blank", Pointer("organization-id"));
    auto stmt = tx.PrepareDynamic(
        "SELECT 1 FROM organizations t WHERE t.account_id = $1 AND t.id = $2" +
        std::string(
            api::OrganizationCondition(ctx.principal, "t.id").empty()
                ? ""
                : " AND " + api::OrganizationCondition(ctx.principal, "t.id")
        )
    );
    if (!stmt) return stmt.status();
    stmt->Bind(1, ctx.principal.account_id).Bind(2, **organization);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::Unprocessable("must exist", Pointer("organization-id"));
    auto actor = ActorName(tx, ctx.principal);
    if (!actor) return actor.status();
    return SetCustomer(tx, c, ctx.principal.account_id, "manual", **organization, "matched by " + *actor, now);
}

Status CreateOrganizationFor(
    db::Tx& tx,
    const CustomerRow& c,
    const json::Value& attributes,
    const api::Context& ctx,
    const std::string& now,
    std::string& meta
) {
    std::string name = c.name;
    if (const json::Value* v = Attr(attributes, "name"); v && !v->is_null()) {
        auto text = jsonapi::ReadString(*v);
        if (!text) return Status::Unprocessable("must be a string", Pointer("name"));
        if (*text) name = std::string(Trim(**text));
    }
    if (name.empty()) return Status::Unprocessable("can't be blank", Pointer("name"));
    if (name.size() > 255) return Status::Unprocessable("is too long (at most 255 characters)", Pointer("name"));
    bool confirm = false;
    if (const json::Value* v = Attr(attributes, "confirm-duplicate"); v && !v->is_null()) {
        auto b = jsonapi::ReadBool(*v);
        if (!b) return Status::Unprocessable("must be true or false", Pointer("confirm-duplicate"));
        confirm = b->value_or(false);
    }
    if (!confirm) {
        auto similar = SimilarOrganizations(tx, ctx.principal.account_id, name);
        if (!similar) return similar.status();
        if (!similar->empty()) {
            json::Writer w;
            w.BeginObject();
            w.Key("similar-organizations");
            WriteSimilar(w, *similar);
            w.EndObject();
            meta = w.Take();
            return Status::Conflict("A similar organization already exists: \"" + similar->front().name + "\"");
        }
    }
    auto id = CreateOrganization(tx, ctx.principal.account_id, ctx.principal.key_id, name, now);
    if (!id) return id.status();
    auto actor = ActorName(tx, ctx.principal);
    if (!actor) return actor.status();
    return SetCustomer(tx, c, ctx.principal.account_id, "manual", *id, "matched by " + *actor, now);
}

using AssetAction = std::function<Status(
    db::Tx&,
    const AssetRow&,
    const json::Value& attributes,
    const api::Context&,
    const std::string& now,
    std::string& meta
)>;

Response RunAssetAction(api::Service& svc, Request& req, api::Context& ctx, const AssetAction& action) {
    return RunRowAction(svc, req, ctx, "backup_asset", &LoadAsset, action, [&](db::Tx& tx, int64_t id) {
        return RenderAssetById(tx, ctx.principal, id);
    });
}

Status
AcceptAsset(db::Tx& tx, const AssetRow& a, const json::Value&, const api::Context& ctx, const std::string& now, std::string&) {
    std::optional<int64_t> chosen;
    if (a.state == "suggested" && a.suggested_id) chosen = a.suggested_id;
    if (a.state == "ambiguous" && a.candidates.size() == 1) chosen = a.candidates.front();
    if (!chosen) {
        return Status::Unprocessable(
            a.state == "ambiguous" ? "has several candidates: choose one with match" : "has no suggestion to accept",
            "/data/attributes/suggestion"
        );
    }
    auto actor = ActorName(tx, ctx.principal);
    if (!actor) return actor.status();
    return SetAsset(tx, a, ctx.principal.account_id, "manual", chosen, "matched by " + *actor, now);
}

Status
MatchAsset(db::Tx& tx, const AssetRow& a, const json::Value& attributes, const api::Context& ctx, const std::string& now, std::string&) {
    auto configuration = OptionalIdAttr(attributes, "configuration-id");
    if (!configuration) return configuration.status();
    if (!*configuration) return Status::Unprocessable("can't be blank", Pointer("configuration-id"));
    if (!a.organization_id) {
        return Status::Unprocessable(
            "the backup customer is not matched to an organization: match it first", Pointer("configuration-id")
        );
    }
    auto stmt = tx.PrepareDynamic(
        "SELECT x.organization_id FROM configurations x WHERE x.account_id = $1 AND x.id = $2" +
        VisibleConfiguration(ctx.principal, "x")
    );
    if (!stmt) return stmt.status();
    stmt->Bind(1, ctx.principal.account_id).Bind(2, **configuration);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::Unprocessable("must exist", Pointer("configuration-id"));
    if (stmt->row().GetInt(0) != *a.organization_id) {
        return Status::Unprocessable(
            "must be a configuration of the customer's organization", Pointer("configuration-id")
        );
    }
    auto actor = ActorName(tx, ctx.principal);
    if (!actor) return actor.status();
    return SetAsset(tx, a, ctx.principal.account_id, "manual", **configuration, "matched by " + *actor, now);
}

// POST /api/backup_assets/actions/create_configurations.
Response BulkCreate(api::Service& svc, Request& req, api::Context& ctx) {
    if (Status s = CheckMatching(ctx.principal); !s.ok()) return jsonapi::ErrorResponse(s);
    auto attributes = BodyAttributes(req);
    if (!attributes) return jsonapi::ErrorResponse(attributes.status());
    auto customer = OptionalIdAttr(*attributes, "customer-id");
    if (!customer) return jsonapi::ErrorResponse(customer.status());
    if (!*customer) return jsonapi::ErrorResponse(Status::Unprocessable("can't be blank", Pointer("customer-id")));
    bool all = false;
    if (const json::Value* v = Attr(*attributes, "all"); v && !v->is_null()) {
        auto b = jsonapi::ReadBool(*v);
        if (!b) return jsonapi::ErrorResponse(Status::Unprocessable("must be true or false", Pointer("all")));
        all = b->value_or(false);
    }
    std::vector<int64_t> ids;
    if (const json::Value* v = Attr(*attributes, "ids"); v && !v->is_null()) {
        if (!v->is_array())
            return jsonapi::ErrorResponse(Status::Unprocessable("must be an array of ids", Pointer("ids")));
        for (std::size_t i = 0; i < v->as_array().size(); ++i) {
            auto n = jsonapi::ReadInt(v->as_array()[i]);
            if (!n || !*n || **n <= 0)
                return jsonapi::ErrorResponse(
                    Status::Unprocessable("must be an id", Pointer("ids") + "/" + std::to_string(i))
                );
            if (std::find(ids.begin(), ids.end(), **n) == ids.end()) ids.push_back(**n);
        }
    }
    if (all == !ids.empty()) {
        return jsonapi::ErrorResponse(Status::Unprocessable("give either ids or all: true", Pointer("ids")));
    }
    const int64_t account_id = ctx.principal.account_id;
    {
        auto tx = svc.db().Begin(db::TxMode::kRead);
        if (!tx) return jsonapi::ErrorResponse(tx.status());
        auto found = LoadCustomer(*tx, account_id, **customer);
        if (!found) {
            if (found.status().code() == Code::kNotFound)
                return jsonapi::ErrorResponse(Status::Unprocessable("must exist", Pointer("customer-id")));
            return jsonapi::ErrorResponse(found.status());
        }
        if (all) {
            auto stmt = tx->PrepareDynamic(
                "SELECT a.id FROM backup_assets a WHERE a.account_id = $1 AND a.customer_id = $2 AND " +
                AssetStateSql("a") + " IN ('unmatched', 'suggested') ORDER BY a.id"
            );
            if (!stmt) return jsonapi::ErrorResponse(stmt.status());
            stmt->Bind(1, account_id).Bind(2, **customer);
            while (true) {
                auto step = stmt->Step();
                if (!step) return jsonapi::ErrorResponse(step.status());
                if (!*step) break;
                ids.push_back(stmt->row().GetInt(0));
            }
        }
    }
    std::vector<std::string> created;
    json::Writer failed;
    failed.BeginArray();
    for (int64_t id : ids) {
        // One transaction per item: a failure leaves the others.
        Status s = [&]() -> Status {
            auto tx = svc.db().Begin(db::TxMode::kWrite);
            if (!tx) return tx.status();
            auto asset = LoadAsset(*tx, account_id, id);
            if (!asset) return asset.status();
            if (asset->customer_id != **customer) {
                return Status::Unprocessable("is not an asset of backup customer " + std::to_string(**customer));
            }
            const std::string now = FormatTimestamp(svc.clock().NowMillis());
            MORTAR_RETURN_IF_ERROR(CreateConfigurationFrom(*tx, *asset, account_id, ctx.principal.key_id, now));
            MORTAR_RETURN_IF_ERROR(api::BumpDataVersion(*tx, account_id));
            auto rendered = RenderAssetById(*tx, ctx.principal, id);
            if (!rendered) return rendered.status();
            MORTAR_RETURN_IF_ERROR(tx->Commit());
            created.push_back(std::move(*rendered));
            return Status::Ok();
        }();
        if (!s.ok()) {
            if (s.code() != Code::kUnprocessable && s.code() != Code::kNotFound) {
                log::warn("bulk create from backup asset {} failed: {}", id, s.message());
            }
            failed.BeginObject();
            failed.Key("id");
            failed.String(std::to_string(id));
            failed.Key("detail");
            failed.String(s.code() == Code::kNotFound ? "not found" : s.message());
            failed.EndObject();
        }
    }
    failed.EndArray();
    json::Writer w;
    w.BeginObject();
    WriteList(w, created);
    w.Key("meta");
    w.BeginObject();
    w.Key("created");
    w.Int(static_cast<int64_t>(created.size()));
    w.Key("failed");
    w.Raw(failed.Take());
    w.Key("warning");
    w.String(kCreatedWarning);
    w.EndObject();
    w.EndObject();
    return Response::JsonApi(200, w.Take());
}

}  // namespace

void RegisterBackupRoutes(
    api::Service& svc, http::Router& router, const vault::Vault* vault, ConnectorFactory factory
) {
    using M = http::Method;
    svc.Add(router, M::kGet, "/api/backup_customers", [&svc](Request& req, api::Context& ctx) {
        return ListCustomers(svc, req, ctx);
    });
    svc.Add(router, M::kGet, "/api/backup_customers/{id}", [&svc](Request& req, api::Context& ctx) {
        if (Status s = CheckMatching(ctx.principal); !s.ok()) return jsonapi::ErrorResponse(s);
        const auto id = PathId(req);
        if (!id)
            return jsonapi::ErrorResponse(
                Status::NotFound("backup_customer " + std::string(req.Param("id")) + " not found")
            );
        auto tx = svc.db().Begin(db::TxMode::kRead);
        if (!tx) return jsonapi::ErrorResponse(tx.status());
        auto rendered = RenderCustomerById(*tx, ctx.principal.account_id, *id, true);
        if (!rendered) return jsonapi::ErrorResponse(rendered.status());
        return One(*rendered);
    });
    const std::vector<std::pair<const char*, CustomerAction>> customer_actions = {
        {"accept", AcceptCustomer},
        {"match", MatchCustomer},
        {"create_organization", CreateOrganizationFor},
        {"ignore",
         [](db::Tx& tx,
            const CustomerRow& c,
            const json::Value&,
            const api::Context& ctx,
            const std::string& now,
            std::string&) {
             auto actor = ActorName(tx, ctx.principal);
             if (!actor) return actor.status();
             return SetCustomer(tx, c, ctx.principal.account_id, "ignored", std::nullopt, "ignored by " + *actor, now);
         }},
        {"unignore",
         [](db::Tx& tx,
            const CustomerRow& c,
            const json::Value&,
            const api::Context& ctx,
            const std::string& now,
            std::string&) {
             if (c.state != "ignored") return Status::Unprocessable("is not ignored", "/data/attributes/state");
             return SetCustomer(tx, c, ctx.principal.account_id, "unmatched", std::nullopt, std::nullopt, now);
         }},
        {"unmatch",
         [](db::Tx& tx,
            const CustomerRow& c,
            const json::Value&,
            const api::Context& ctx,
            const std::string& now,
            std::string&) {
             return SetCustomer(tx, c, ctx.principal.account_id, "unmatched", std::nullopt, std::nullopt, now);
         }},
    };
    for (const auto& [name, action] : customer_actions) {
        svc.Add(
            router,
            M::kPost,
            std::string("/api/backup_customers/{id}/actions/") + name,
            [&svc, action](Request& req, api::Context& ctx) { return RunCustomerAction(svc, req, ctx, action); }
        );
    }

    svc.Add(router, M::kGet, "/api/backup_assets", [&svc](Request& req, api::Context& ctx) {
        return ListAssets(svc, req, ctx);
    });
    svc.Add(router, M::kGet, "/api/backup_assets/{id}", [&svc](Request& req, api::Context& ctx) {
        const auto id = PathId(req);
        if (!id)
            return jsonapi::ErrorResponse(
                Status::NotFound("backup_asset " + std::string(req.Param("id")) + " not found")
            );
        auto tx = svc.db().Begin(db::TxMode::kRead);
        if (!tx) return jsonapi::ErrorResponse(tx.status());
        if (Status s = CheckAssetVisible(*tx, ctx.principal, *id); !s.ok()) return jsonapi::ErrorResponse(s);
        auto rendered = RenderAssetById(*tx, ctx.principal, *id);
        if (!rendered) return jsonapi::ErrorResponse(rendered.status());
        return One(*rendered);
    });
    svc.Add(router, M::kGet, "/api/backup_assets/{id}/compare", [&svc](Request& req, api::Context& ctx) {
        const auto id = PathId(req);
        if (!id)
            return jsonapi::ErrorResponse(
                Status::NotFound("backup_asset " + std::string(req.Param("id")) + " not found")
            );
        auto tx = svc.db().Begin(db::TxMode::kRead);
        if (!tx) return jsonapi::ErrorResponse(tx.status());
        if (Status s = CheckAssetVisible(*tx, ctx.principal, *id); !s.ok()) return jsonapi::ErrorResponse(s);
        auto asset = LoadAsset(*tx, ctx.principal.account_id, *id);
        if (!asset) return jsonapi::ErrorResponse(asset.status());
        auto rendered = RenderCompare(*tx, ctx.principal.account_id, *asset);
        if (!rendered) return jsonapi::ErrorResponse(rendered.status());
        return One(*rendered);
    });
    svc.Add(
        router,
        M::kPost,
        "/api/backup_assets/actions/create_configurations",
        [&svc](Request& req, api::Context& ctx) { return BulkCreate(svc, req, ctx); }
    );
    const std::vector<std::pair<const char*, AssetAction>> asset_actions = {
        {"accept", AcceptAsset},
        {"match", MatchAsset},
        {"ignore",
         [](db::Tx& tx,
            const AssetRow& a,
            const json::Value&,
            const api::Context& ctx,
            const std::string& now,
            std::string&) {
             auto actor = ActorName(tx, ctx.principal);
             if (!actor) return actor.status();
             return SetAsset(tx, a, ctx.principal.account_id, "ignored", std::nullopt, "ignored by " + *actor, now);
         }},
        {"unignore",
         [](db::Tx& tx,
            const AssetRow& a,
            const json::Value&,
            const api::Context& ctx,
            const std::string& now,
            std::string&) {
             if (a.state != "ignored") return Status::Unprocessable("is not ignored", "/data/attributes/state");
             return SetAsset(tx, a, ctx.principal.account_id, "unmatched", std::nullopt, std::nullopt, now);
         }},
        {"unmatch",
         [](db::Tx& tx,
            const AssetRow& a,
            const json::Value&,
            const api::Context& ctx,
            const std::string& now,
            std::string&) {
             return SetAsset(tx, a, ctx.principal.account_id, "unmatched", std::nullopt, std::nullopt, now);
         }},
        {"create_configuration",
         [](db::Tx& tx,
            const AssetRow& a,
            const json::Value&,
            const api::Context& ctx,
            const std::string& now,
            std::string& meta) {
             MORTAR_RETURN_IF_ERROR(CreateConfigurationFrom(tx, a, ctx.principal.account_id, ctx.principal.key_id, now)
             );
             json::Writer w;
             w.BeginObject();
             w.Key("warning");
             w.String(kCreatedWarning);
             w.EndObject();
             meta = w.Take();
             return Status::Ok();
         }},
    };
    for (const auto& [name, action] : asset_actions) {
        svc.Add(
            router,
            M::kPost,
            std::string("/api/backup_assets/{id}/actions/") + name,
            [&svc, action](Request& req, api::Context& ctx) { return RunAssetAction(svc, req, ctx, action); }
        );
    }
    // Sync now: Editor and above, on an asset they may see.
    svc.Add(
        router,
        M::kPost,
        "/api/backup_assets/{id}/actions/sync_now",
        [&svc, vault, factory](Request& req, api::Context& ctx) {
            const auth::Role role = ctx.principal.role;
            if (role != auth::Role::kAdministrator && role != auth::Role::kManager && role != auth::Role::kEditor) {
                return jsonapi::ErrorResponse(Status::PermissionDenied(
                    "the role " + std::string(auth::RoleName(role)) + " may not sync backup data"
                ));
            }
            const auto id = PathId(req);
            if (!id)
                return jsonapi::ErrorResponse(
                    Status::NotFound("backup_asset " + std::string(req.Param("id")) + " not found")
                );
            {
                auto tx = svc.db().Begin(db::TxMode::kRead);
                if (!tx) return jsonapi::ErrorResponse(tx.status());
                if (Status s = CheckAssetVisible(*tx, ctx.principal, *id); !s.ok()) return jsonapi::ErrorResponse(s);
                auto exists = LoadAsset(*tx, ctx.principal.account_id, *id);
                if (!exists) return jsonapi::ErrorResponse(exists.status());
            }
            Status s = RefreshAsset(svc.db(), vault, factory, svc.clock(), ctx.principal.account_id, *id);
            if (!s.ok()) {
                log::warn("sync now of backup asset {} failed: {}", *id, s.message());
                return VendorErrorResponse("UniView", s);
            }
            auto tx = svc.db().Begin(db::TxMode::kRead);
            if (!tx) return jsonapi::ErrorResponse(tx.status());
            auto rendered = RenderAssetById(*tx, ctx.principal, *id);
            if (!rendered) return jsonapi::ErrorResponse(rendered.status());
            return One(*rendered);
        }
    );
}

}  // namespace mortar::sync
