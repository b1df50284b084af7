// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/backup.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "api/service.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "match/mac_index.hpp"
#include "match/name_index.hpp"
#include "sync/connect.hpp"
#include "vault/vault.hpp"

namespace mortar::sync {
namespace {

using connectors::EntityKind;
using connectors::ExternalRecord;

db::Param Opt(const std::optional<std::string>& v) {
    return v ? db::Param(std::string_view(*v)) : db::Param(db::Null{});
}
db::Param OptInt(const std::optional<int64_t>& v) {
    return v ? db::Param(*v) : db::Param(db::Null{});
}
std::optional<std::string> NonEmpty(std::string_view v) {
    if (v.empty()) return std::nullopt;
    return std::string(v);
}
std::optional<std::string> TextOrNull(const db::Row& row, int col) {
    if (row.IsNull(col)) return std::nullopt;
    return std::string(row.GetText(col));
}
std::optional<int64_t> IntOrNull(const db::Row& row, int col) {
    if (row.IsNull(col)) return std::nullopt;
    return row.GetInt(col);
}

// A vendor timestamp in the project's form (RFC 3339, UTC); as given when unparsable.
std::optional<std::string> Stamp(std::string_view v) {
    if (v.empty()) return std::nullopt;
    auto ms = ParseTimestamp(v);
    if (!ms.ok()) return std::string(v);
    return FormatTimestamp(*ms);
}

std::optional<int64_t> Number(std::string_view v) {
    if (v.empty()) return std::nullopt;
    if (auto n = ParseInt64(v)) return *n;
    return std::nullopt;
}

int64_t Milli(double score) {
    return static_cast<int64_t>(std::llround(std::clamp(score, 0.0, 1.0) * 1000));
}

Result<int64_t> Exec(db::Tx& tx, std::string sql, const std::vector<db::Param>& params) {
    auto stmt = tx.PrepareDynamic(std::move(sql));
    if (!stmt) return stmt.status();
    stmt->BindAll(params);
    return stmt->Execute();
}

Result<int64_t> Exec(db::Tx& tx, std::string sql, std::initializer_list<db::Param> params) {
    return Exec(tx, std::move(sql), std::vector<db::Param>(params));
}

// The portal's MAC addresses of an asset, as it spells them.
std::vector<std::string> MacsOf(const ExternalRecord& r) {
    std::vector<std::string> out;
    std::string_view all = r.Field("mac_addresses");
    if (all.empty()) all = r.Field("mac_address");
    for (std::string_view part : Split(all, ',')) {
        const std::string_view mac = Trim(part);
        if (!mac.empty() && std::find(out.begin(), out.end(), mac) == out.end()) out.emplace_back(mac);
    }
    return out;
}

std::string JsonArray(const std::vector<std::string>& items) {
    json::Writer w;
    w.BeginArray();
    for (const std::string& s : items) w.String(s);
    w.EndArray();
    return w.Take();
}

std::vector<std::string> ParseStringArray(std::string_view text) {
    std::vector<std::string> out;
    auto parsed = json::Parse(text);
    if (!parsed || !parsed->is_array()) return out;
    for (const json::Value& v : parsed->as_array()) {
        if (v.is_string()) out.push_back(v.as_string());
    }
    return out;
}

// Joins values for change detection.
std::string Key(std::initializer_list<std::optional<std::string>> values) {
    std::string out;
    for (const auto& v : values) {
        out += v ? "1" + *v : std::string("0");
        out += '\x1f';
    }
    return out;
}

std::optional<std::string> IntText(const std::optional<int64_t>& v) {
    if (!v) return std::nullopt;
    return std::to_string(*v);
}

// Fetches every record of a kind (the portal's lists are small, except backups, which
// arrive incrementally). The Status is the listing's.
Status FetchAll(
    connectors::Connector& connector,
    EntityKind kind,
    const connectors::FetchOptions& fetch,
    const RunOptions* options,
    std::vector<ExternalRecord>& out
) {
    return connector.Fetch(kind, fetch, [&](std::span<const ExternalRecord> batch) -> Status {
        if (options && options->stop && options->stop->load())
            return Status::Unavailable("interrupted: the server is stopping");
        out.insert(out.end(), batch.begin(), batch.end());
        if (options && options->heartbeat) options->heartbeat();
        return Status::Ok();
    });
}

// ---- Stored rows -------------------------------------------------------------------

struct Existing {
    int64_t id = 0;
    std::string key;  // Key() of the stored values
    bool seen = true;
};

Result<std::unordered_map<std::string, Existing>> LoadExisting(
    db::Tx& tx, const std::string& sql, int64_t account_id, int64_t integration_id, int value_columns
) {
    auto stmt = tx.PrepareDynamic(sql);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, integration_id);
    std::unordered_map<std::string, Existing> out;
    while (true) {
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) break;
        const db::Row& row = stmt->row();
        Existing e;
        e.id = row.GetInt(0);
        e.seen = row.GetBool(2);
        for (int c = 3; c < 3 + value_columns; ++c) {
            e.key += row.IsNull(c) ? std::string("0") : "1" + std::string(row.GetText(c));
            e.key += '\x1f';
        }
        out.emplace(std::string(row.GetText(1)), std::move(e));
    }
    return out;
}

// Marks rows of `table` not in `listed` as no longer seen (after a complete listing).
Status MarkUnseen(
    db::Tx& tx,
    std::string_view table,
    const std::unordered_map<std::string, Existing>& existing,
    const std::unordered_set<std::string>& listed,
    const std::string& now,
    Counts& counts
) {
    for (const auto& [external_id, e] : existing) {
        if (!e.seen || listed.count(external_id)) continue;
        auto n = Exec(
            tx,
            "UPDATE " + std::string(table) + " SET seen = $2, updated_at = $3 WHERE id = $1",
            {e.id, false, std::string_view(now)}
        );
        if (!n) return n.status();
        ++counts.orphaned;
    }
    return Status::Ok();
}

Status StoreCustomers(
    db::Tx& tx, const ApplyScope& scope, const std::vector<ExternalRecord>& records, bool complete, Counts& counts
) {
    const std::string now = FormatTimestamp(scope.clock->NowMillis());
    auto existing = LoadExisting(
        tx,
        "SELECT id, external_id, seen, name FROM backup_customers WHERE account_id = $1 AND integration_id = $2",
        scope.account_id,
        scope.integration_id,
        1
    );
    if (!existing) return existing.status();
    std::unordered_set<std::string> listed;
    for (const ExternalRecord& r : records) {
        if (r.external_id.empty() || !listed.insert(r.external_id).second) continue;
        const std::string name = r.name.empty() ? r.external_id : r.name;
        auto it = existing->find(r.external_id);
        if (it == existing->end()) {
            auto n = Exec(
                tx,
                "INSERT INTO backup_customers (account_id, integration_id, external_id, name, state, seen, "
                "last_seen_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 'unmatched', $5, $6, $6, $6)",
                {scope.account_id,
                 scope.integration_id,
                 std::string_view(r.external_id),
                 std::string_view(name),
                 true,
                 std::string_view(now)}
            );
            if (!n) return n.status();
            ++counts.created;
            continue;
        }
        const bool changed = it->second.key != Key({name});
        if (!it->second.seen) ++counts.returned;
        if (changed)
            ++counts.updated;
        else if (it->second.seen)
            ++counts.unchanged;
        auto n = Exec(
            tx,
            std::string("UPDATE backup_customers SET name = $2, seen = $3, last_seen_at = $4") +
                (changed || !it->second.seen ? ", updated_at = $4" : "") + " WHERE id = $1",
            {it->second.id, std::string_view(name), true, std::string_view(now)}
        );
        if (!n) return n.status();
    }
    if (complete) MORTAR_RETURN_IF_ERROR(MarkUnseen(tx, "backup_customers", *existing, listed, now, counts));
    return Status::Ok();
}

Status StoreAppliances(
    db::Tx& tx, const ApplyScope& scope, const std::vector<ExternalRecord>& records, bool complete, Counts& counts
) {
    const std::string now = FormatTimestamp(scope.clock->NowMillis());
    auto existing = LoadExisting(
        tx,
        "SELECT id, external_id, seen, customer_external_id, name, CASE WHEN online THEN 'y' ELSE 'n' END, version, "
        "total_mb, free_mb, helix_status FROM backup_appliances WHERE account_id = $1 AND integration_id = $2",
        scope.account_id,
        scope.integration_id,
        7
    );
    if (!existing) return existing.status();
    std::unordered_set<std::string> listed;
    for (const ExternalRecord& r : records) {
        if (r.external_id.empty() || !listed.insert(r.external_id).second) continue;
        const std::string name = r.name.empty() ? r.external_id : r.name;
        const auto total = Number(r.Field("total_mb"));
        const auto free = Number(r.Field("free_mb"));
        const auto version = NonEmpty(r.Field("version"));
        const auto helix = NonEmpty(r.Field("helix_status"));
        const std::string key = Key(
            {r.parent_external_id,
             name,
             std::string(r.active ? "y" : "n"),
             version,
             IntText(total),
             IntText(free),
             helix}
        );
        auto it = existing->find(r.external_id);
        if (it != existing->end() && it->second.key == key && it->second.seen) {
            ++counts.unchanged;
            continue;
        }
        if (it != existing->end()) {
            if (!it->second.seen) ++counts.returned;
            if (it->second.key != key) ++counts.updated;
            auto n = Exec(
                tx,
                "UPDATE backup_appliances SET customer_external_id = $2, name = $3, online = $4, version = $5, "
                "total_mb = $6, free_mb = $7, helix_status = $8, seen = $9, last_seen_at = $10, updated_at = $10 "
                "WHERE id = $1",
                {it->second.id,
                 std::string_view(r.parent_external_id),
                 std::string_view(name),
                 r.active,
                 Opt(version),
                 OptInt(total),
                 OptInt(free),
                 Opt(helix),
                 true,
                 std::string_view(now)}
            );
            if (!n) return n.status();
            continue;
        }
        auto n = Exec(
            tx,
            "INSERT INTO backup_appliances (account_id, integration_id, external_id, customer_external_id, name, "
            "online, version, total_mb, free_mb, helix_status, seen, last_seen_at, created_at, updated_at) VALUES ($1, "
            "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12)",
            {scope.account_id,
             scope.integration_id,
             std::string_view(r.external_id),
             std::string_view(r.parent_external_id),
             std::string_view(name),
             r.active,
             Opt(version),
             OptInt(total),
             OptInt(free),
             Opt(helix),
             true,
             std::string_view(now)}
        );
        if (!n) return n.status();
        ++counts.created;
    }
    if (complete) MORTAR_RETURN_IF_ERROR(MarkUnseen(tx, "backup_appliances", *existing, listed, now, counts));
    return Status::Ok();
}

// The customer ids of the integration by external id.
Result<std::unordered_map<std::string, int64_t>> CustomerIds(db::Tx& tx, int64_t account_id, int64_t integration_id) {
    auto stmt =
        tx.PrepareDynamic("SELECT external_id, id FROM backup_customers WHERE account_id = $1 AND integration_id = $2");
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, integration_id);
    std::unordered_map<std::string, int64_t> out;
    while (true) {
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) break;
        out.emplace(std::string(stmt->row().GetText(0)), stmt->row().GetInt(1));
    }
    return out;
}

// The stored columns of an asset a fetch writes, in this order.
constexpr std::string_view kAssetColumns =
    "customer_external_id, customer_id, name, asset_type, ip_address, mac_addresses, appliance, last_backup_at, "
    "last_backup_started_at, last_backup_status, last_backup_type, last_replication_status, storage_used_mb";

struct AssetValues {
    std::string customer_external_id;
    std::optional<int64_t> customer_id;
    std::string name;
    std::optional<std::string> asset_type, ip_address;
    std::string macs;
    std::optional<std::string> appliance, last_backup_at, last_backup_started_at, last_backup_status, last_backup_type,
        last_replication_status;
    std::optional<int64_t> storage_used_mb;

    std::string KeyText() const {
        return Key(
            {customer_external_id,
             IntText(customer_id),
             name,
             asset_type,
             ip_address,
             macs,
             appliance,
             last_backup_at,
             last_backup_started_at,
             last_backup_status,
             last_backup_type,
             last_replication_status,
             IntText(storage_used_mb)}
        );
    }
};

AssetValues ValuesOf(const ExternalRecord& r, const std::unordered_map<std::string, int64_t>& customers) {
    AssetValues v;
    v.customer_external_id = r.parent_external_id;
    if (auto it = customers.find(r.parent_external_id); it != customers.end()) v.customer_id = it->second;
    v.name = r.name.empty() ? r.external_id : r.name;
    v.asset_type = NonEmpty(r.Field("type_name"));
    v.ip_address = NonEmpty(r.Field("ip_address"));
    v.macs = JsonArray(MacsOf(r));
    v.appliance = NonEmpty(r.Field("appliance"));
    v.last_backup_at = Stamp(r.Field("last_backup_at"));
    v.last_backup_started_at = Stamp(r.Field("last_backup_started_at"));
    v.last_backup_status = NonEmpty(r.Field("last_backup_status"));
    v.last_backup_type = NonEmpty(r.Field("last_backup_type"));
    v.last_replication_status = NonEmpty(r.Field("last_replication_status"));
    v.storage_used_mb = Number(r.Field("last_backup_size_mb"));
    return v;
}

// The values of kAssetColumns, in order, then seen and the time.
std::vector<db::Param> AssetParams(const AssetValues& v, const std::string& now) {
    return {
        std::string_view(v.customer_external_id),
        OptInt(v.customer_id),
        std::string_view(v.name),
        Opt(v.asset_type),
        Opt(v.ip_address),
        std::string_view(v.macs),
        Opt(v.appliance),
        Opt(v.last_backup_at),
        Opt(v.last_backup_started_at),
        Opt(v.last_backup_status),
        Opt(v.last_backup_type),
        Opt(v.last_replication_status),
        OptInt(v.storage_used_mb),
        true,
        std::string_view(now)};
}

Status WriteAsset(
    db::Tx& tx,
    const ApplyScope& scope,
    const ExternalRecord& r,
    const AssetValues& v,
    std::optional<int64_t> id,
    const std::string& now,
    bool synced
) {
    std::vector<db::Param> params = AssetParams(v, now);
    if (id) {
        params.insert(params.begin(), *id);
        auto n = Exec(
            tx,
            std::string("UPDATE backup_assets SET customer_external_id = $2, customer_id = $3, name = $4, asset_type = "
                        "$5, ip_address = $6, mac_addresses = $7, appliance = $8, last_backup_at = $9, "
                        "last_backup_started_at = $10, last_backup_status = $11, last_backup_type = $12, "
                        "last_replication_status = $13, storage_used_mb = $14, seen = $15, last_seen_at = $16, "
                        "updated_at = $16") +
                (synced ? ", last_synced_at = $16" : "") + " WHERE id = $1",
            params
        );
        if (!n) return n.status();
        return Status::Ok();
    }
    params.insert(
        params.begin(),
        {db::Param(scope.account_id), db::Param(scope.integration_id), db::Param(std::string_view(r.external_id))}
    );
    auto n = Exec(
        tx,
        "INSERT INTO backup_assets (account_id, integration_id, external_id, " + std::string(kAssetColumns) +
            ", state, seen, last_seen_at, last_synced_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
            "$8, $9, $10, $11, $12, $13, $14, $15, $16, 'unmatched', $17, $18, $18, $18, $18)",
        params
    );
    if (!n) return n.status();
    return Status::Ok();
}

Status StoreAssets(
    db::Tx& tx, const ApplyScope& scope, const std::vector<ExternalRecord>& records, bool complete, Counts& counts
) {
    const std::string now = FormatTimestamp(scope.clock->NowMillis());
    auto customers = CustomerIds(tx, scope.account_id, scope.integration_id);
    if (!customers) return customers.status();
    auto existing = LoadExisting(
        tx,
        "SELECT id, external_id, seen, " + std::string(kAssetColumns) +
            " FROM backup_assets WHERE account_id = $1 AND integration_id = $2",
        scope.account_id,
        scope.integration_id,
        13
    );
    if (!existing) return existing.status();
    std::unordered_set<std::string> listed;
    for (const ExternalRecord& r : records) {
        if (r.external_id.empty() || !listed.insert(r.external_id).second) continue;
        const AssetValues v = ValuesOf(r, *customers);
        auto it = existing->find(r.external_id);
        if (it == existing->end()) {
            MORTAR_RETURN_IF_ERROR(WriteAsset(tx, scope, r, v, std::nullopt, now, true));
            ++counts.created;
            continue;
        }
        if (!it->second.seen) ++counts.returned;
        if (it->second.key != v.KeyText())
            ++counts.updated;
        else if (it->second.seen)
            ++counts.unchanged;
        // last_seen_at and last_synced_at move on every run, so write every asset.
        MORTAR_RETURN_IF_ERROR(WriteAsset(tx, scope, r, v, it->second.id, now, true));
    }
    if (complete) MORTAR_RETURN_IF_ERROR(MarkUnseen(tx, "backup_assets", *existing, listed, now, counts));
    return Status::Ok();
}

// Upserts backup jobs (not counted in the run's records); keeps the newest
// kBackupJobsKept per asset.
Status StoreBackups(db::Tx& tx, const ApplyScope& scope, const std::vector<ExternalRecord>& records) {
    const std::string now = FormatTimestamp(scope.clock->NowMillis());
    std::unordered_set<std::string> assets;
    for (const ExternalRecord& r : records) {
        const std::string asset(r.Field("asset_key"));
        const auto started = Stamp(r.Field("started_at"));
        if (asset.empty() || !started) continue;
        assets.insert(asset);
        const auto completed = Stamp(r.Field("completed_at"));
        const auto size = Number(r.Field("size_mb"));
        auto n = Exec(
            tx,
            "INSERT INTO backup_jobs (account_id, integration_id, asset_external_id, appliance, started_at, "
            "completed_at, size_mb, backup_type, status, replication_status, created_at, updated_at) VALUES ($1, $2, "
            "$3, $4, $5, $6, $7, $8, $9, $10, $11, $11) ON CONFLICT (integration_id, asset_external_id, started_at) DO "
            "UPDATE SET appliance = excluded.appliance, completed_at = excluded.completed_at, size_mb = "
            "excluded.size_mb, backup_type = excluded.backup_type, status = excluded.status, replication_status = "
            "excluded.replication_status, updated_at = excluded.updated_at",
            {scope.account_id,
             scope.integration_id,
             std::string_view(asset),
             Opt(NonEmpty(r.Field("appliance"))),
             Opt(started),
             Opt(completed),
             OptInt(size),
             Opt(NonEmpty(r.Field("type"))),
             Opt(NonEmpty(r.Field("status"))),
             Opt(NonEmpty(r.Field("replication_status"))),
             std::string_view(now)}
        );
        if (!n) return n.status();
    }
    for (const std::string& asset : assets) {
        auto n = Exec(
            tx,
            "DELETE FROM backup_jobs WHERE integration_id = $1 AND asset_external_id = $2 AND id NOT IN (SELECT j.id "
            "FROM backup_jobs j WHERE j.integration_id = $1 AND j.asset_external_id = $2 ORDER BY j.started_at DESC "
            "LIMIT " +
                std::to_string(kBackupJobsKept) + ")",
            {scope.integration_id, std::string_view(asset)}
        );
        if (!n) return n.status();
    }
    return Status::Ok();
}

// The backups watermark after a complete listing: the latest start seen, held back to
// the earliest job still running (it finishes later and must be listed again).
int64_t BackupMark(const std::vector<ExternalRecord>& records, int64_t previous) {
    int64_t latest = previous, running = 0;
    for (const ExternalRecord& r : records) {
        auto ms = ParseTimestamp(r.Field("started_at"));
        if (!ms.ok()) continue;
        latest = std::max(latest, *ms);
        if (r.Field("status") == "InProgress" && (running == 0 || *ms < running)) running = *ms;
    }
    if (running > 0) latest = std::min(latest, running);
    return latest;
}

Status SaveMarks(db::Tx& tx, const ApplyScope& scope, const std::map<std::string, int64_t>& marks) {
    json::Writer w;
    w.BeginObject();
    for (const auto& [k, v] : marks) {
        w.Key(k);
        w.Int(v);
    }
    w.EndObject();
    const std::string text = w.Take();
    auto n = Exec(
        tx,
        "UPDATE integrations SET watermarks = $3 WHERE account_id = $1 AND id = $2",
        {scope.account_id, scope.integration_id, std::string_view(text)}
    );
    if (!n) return n.status();
    return Status::Ok();
}

// ---- Matching ----------------------------------------------------------------------

struct Decided {
    std::string state = "unmatched";
    std::optional<int64_t> local_id, score;
    std::optional<std::string> reason;
    std::optional<int64_t> suggested_id, suggested_score;
    std::optional<std::string> suggested_reason;
    std::vector<match::Candidate> candidates;  // ambiguous
};

Decided FromNameResult(const match::MatchResult& m) {
    Decided d;
    if (m.candidates.empty() || m.decision == match::Decision::kNone) return d;
    const match::Candidate& best = m.candidates.front();
    if (m.decision == match::Decision::kAuto) {
        d.state = "auto";
        d.local_id = best.id;
        d.score = Milli(best.score);
        d.reason = m.reason.empty() ? best.reason : m.reason;
    } else {
        d.state = "suggested";
        d.suggested_id = best.id;
        d.suggested_score = Milli(best.score);
        d.suggested_reason = best.reason.empty() ? m.reason : best.reason;
    }
    return d;
}

bool IsMacReason(std::string_view reason) {
    return reason.rfind("MAC ", 0) == 0;
}

Decided FromAssetResult(const match::MatchResult& m) {
    if (m.decision == match::Decision::kSuggest && m.candidates.size() > 1 &&
        std::all_of(m.candidates.begin(), m.candidates.end(), [](const match::Candidate& c) {
            return IsMacReason(c.reason);
        })) {
        Decided d;
        d.state = "ambiguous";
        d.reason = m.reason;
        d.candidates = m.candidates;
        return d;
    }
    return FromNameResult(m);
}

}  // namespace

Result<std::vector<int64_t>> MatchCustomers(
    db::Tx& tx, int64_t account_id, int64_t integration_id, const std::string& now, std::optional<int64_t> only
) {
    std::vector<match::Record> organizations;
    {
        auto stmt = tx.PrepareDynamic("SELECT id, name FROM organizations WHERE account_id = $1 ORDER BY id");
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id);
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            organizations.push_back(match::Record{stmt->row().GetInt(0), std::string(stmt->row().GetText(1))});
        }
    }
    const match::NameIndex index(organizations);
    struct Row {
        int64_t id;
        std::string name, state;
        std::optional<int64_t> organization_id, suggested_id, score, suggested_score;
        std::optional<std::string> reason, suggested_reason;
    };
    std::vector<Row> rows;
    {
        auto stmt = tx.PrepareDynamic(
            "SELECT id, name, state, organization_id, suggested_organization_id, score_milli, suggested_score_milli, "
            "reason, suggested_reason FROM backup_customers WHERE account_id = $1 AND integration_id = $2 AND ($3 = 0 "
            "OR id = $3) ORDER BY id"
        );
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, integration_id).Bind(3, only.value_or(0));
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            const db::Row& r = stmt->row();
            rows.push_back(Row{
                r.GetInt(0),
                std::string(r.GetText(1)),
                std::string(r.GetText(2)),
                IntOrNull(r, 3),
                IntOrNull(r, 4),
                IntOrNull(r, 5),
                IntOrNull(r, 6),
                TextOrNull(r, 7),
                TextOrNull(r, 8)});
        }
    }
    std::vector<int64_t> moved;
    for (const Row& row : rows) {
        // Decisions of a person stay; a manual match whose organization is gone does not.
        if (row.state == "ignored" || (row.state == "manual" && row.organization_id)) continue;
        const Decided d = FromNameResult(index.Match(row.name));
        const bool same = d.state == row.state && d.local_id == row.organization_id &&
                          d.suggested_id == row.suggested_id && d.score == row.score &&
                          d.suggested_score == row.suggested_score && d.reason == row.reason &&
                          d.suggested_reason == row.suggested_reason;
        if (same) continue;
        const std::optional<int64_t> before =
            row.state == "auto" || row.state == "manual" ? row.organization_id : std::nullopt;
        if (before != d.local_id) moved.push_back(row.id);
        auto n = Exec(
            tx,
            "UPDATE backup_customers SET state = $2, organization_id = $3, score_milli = $4, reason = $5, "
            "suggested_organization_id = $6, suggested_score_milli = $7, suggested_reason = $8, updated_at = $9 WHERE "
            "id = $1 AND state = $10",
            {row.id,
             std::string_view(d.state),
             OptInt(d.local_id),
             OptInt(d.score),
             Opt(d.reason),
             OptInt(d.suggested_id),
             OptInt(d.suggested_score),
             Opt(d.suggested_reason),
             std::string_view(now),
             std::string_view(row.state)}
        );
        if (!n) return n.status();
    }
    return moved;
}

Status MatchAssets(db::Tx& tx, int64_t account_id, int64_t integration_id, const std::string& now, AssetScope scope) {
    // The configurations of the organizations the integration's customers are matched to.
    std::vector<match::Configuration> configurations;
    {
        const std::string orgs =
            "SELECT c.organization_id FROM backup_customers c WHERE c.integration_id = $2 AND c.state IN ('auto', "
            "'manual') AND c.organization_id IS NOT NULL";
        auto stmt = tx.PrepareDynamic(
            "SELECT id, organization_id, name, hostname, mac_address FROM configurations WHERE account_id = $1 AND "
            "organization_id IN (" +
            orgs + ") ORDER BY id"
        );
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, integration_id);
        std::unordered_map<int64_t, std::size_t> at;
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            const db::Row& r = stmt->row();
            match::Configuration c;
            c.id = r.GetInt(0);
            c.organization_id = r.GetInt(1);
            c.name = std::string(r.GetText(2));
            c.hostname = std::string(r.GetText(3));
            c.mac = std::string(r.GetText(4));
            at[c.id] = configurations.size();
            configurations.push_back(std::move(c));
        }
        auto ifs = tx.PrepareDynamic(
            "SELECT i.configuration_id, i.name, i.mac_address FROM configuration_interfaces i JOIN configurations x ON "
            "x.id = i.configuration_id WHERE i.account_id = $1 AND i.mac_address IS NOT NULL AND x.organization_id IN "
            "(" +
            orgs + ") ORDER BY i.configuration_id, i.id"
        );
        if (!ifs) return ifs.status();
        ifs->Bind(1, account_id).Bind(2, integration_id);
        while (true) {
            auto step = ifs->Step();
            if (!step) return step.status();
            if (!*step) break;
            auto it = at.find(ifs->row().GetInt(0));
            if (it == at.end()) continue;
            configurations[it->second].interfaces.push_back(match::NetworkInterface{
                std::string(ifs->row().GetText(1)), std::string(ifs->row().GetText(2))});
        }
    }
    const match::ConfigurationIndex index(configurations);
    struct Row {
        int64_t id;
        std::string name, macs, state;
        std::optional<int64_t> configuration_id, suggested_id, score, suggested_score, organization_id;
        std::optional<std::string> reason, suggested_reason;
        std::string candidates;  // "id:reason|..."
    };
    std::vector<Row> rows;
    {
        auto stmt = tx.PrepareDynamic(
            "SELECT a.id, a.name, a.mac_addresses, a.state, a.configuration_id, a.suggested_configuration_id, "
            "a.score_milli, a.suggested_score_milli, CASE WHEN c.state IN ('auto', 'manual') THEN c.organization_id "
            "END, a.reason, a.suggested_reason FROM backup_assets a LEFT JOIN backup_customers c ON c.id = "
            "a.customer_id WHERE a.account_id = $1 AND a.integration_id = $2 AND ($3 = 0 OR a.customer_id = $3) AND "
            "($4 = 0 OR a.id = $4) ORDER BY a.id"
        );
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id)
            .Bind(2, integration_id)
            .Bind(3, scope.customer_id.value_or(0))
            .Bind(4, scope.asset_id.value_or(0));
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            const db::Row& r = stmt->row();
            rows.push_back(Row{
                r.GetInt(0),
                std::string(r.GetText(1)),
                std::string(r.GetText(2)),
                std::string(r.GetText(3)),
                IntOrNull(r, 4),
                IntOrNull(r, 5),
                IntOrNull(r, 6),
                IntOrNull(r, 7),
                IntOrNull(r, 8),
                TextOrNull(r, 9),
                TextOrNull(r, 10),
                {}});
        }
    }
    for (Row& row : rows) {
        if (row.state == "ignored") continue;
        if ((row.state == "manual" || row.state == "created") && row.configuration_id) continue;
        Decided d;
        if (row.organization_id) {
            match::Asset asset;
            asset.name = row.name;
            asset.hostname = row.name;
            asset.macs = ParseStringArray(row.macs);
            d = FromAssetResult(index.Match(*row.organization_id, asset));
        }
        std::string candidates;
        for (const match::Candidate& c : d.candidates) candidates += std::to_string(c.id) + ":" + c.reason + "|";
        if (row.state == "ambiguous") {
            auto stmt = tx.PrepareDynamic(
                "SELECT configuration_id, reason FROM match_candidates WHERE backup_asset_id = $1 ORDER BY position"
            );
            if (!stmt) return stmt.status();
            stmt->Bind(1, row.id);
            while (true) {
                auto step = stmt->Step();
                if (!step) return step.status();
                if (!*step) break;
                row.candidates +=
                    std::to_string(stmt->row().GetInt(0)) + ":" + std::string(stmt->row().GetText(1)) + "|";
            }
        }
        const bool same = d.state == row.state && d.local_id == row.configuration_id &&
                          d.suggested_id == row.suggested_id && d.score == row.score &&
                          d.suggested_score == row.suggested_score && d.reason == row.reason &&
                          d.suggested_reason == row.suggested_reason && candidates == row.candidates;
        if (same) continue;
        auto n = Exec(
            tx,
            "UPDATE backup_assets SET state = $2, configuration_id = $3, score_milli = $4, reason = $5, "
            "suggested_configuration_id = $6, suggested_score_milli = $7, suggested_reason = $8, updated_at = $9 "
            "WHERE id = $1 AND state = $10",
            {row.id,
             std::string_view(d.state),
             OptInt(d.local_id),
             OptInt(d.score),
             Opt(d.reason),
             OptInt(d.suggested_id),
             OptInt(d.suggested_score),
             Opt(d.suggested_reason),
             std::string_view(now),
             std::string_view(row.state)}
        );
        if (!n) return n.status();
        if (*n == 0) continue;  // decided by a person meanwhile
        auto del = Exec(tx, "DELETE FROM match_candidates WHERE backup_asset_id = $1", {row.id});
        if (!del) return del.status();
        int64_t position = 0;
        for (const match::Candidate& c : d.candidates) {
            auto ins = Exec(
                tx,
                "INSERT INTO match_candidates (account_id, integration_id, backup_asset_id, configuration_id, "
                "score_milli, reason, position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                {account_id,
                 integration_id,
                 row.id,
                 c.id,
                 Milli(c.score),
                 std::string_view(c.reason),
                 position++,
                 std::string_view(now)}
            );
            if (!ins) return ins.status();
        }
    }
    return Status::Ok();
}

Status RunBackupSync(
    db::Database& db,
    const ApplyScope& scope,
    connectors::Connector& connector,
    const RunOptions& options,
    std::map<std::string, int64_t>& marks,
    BackupRunState& state
) {
    // One kind after the other; a refused credential stops the run, another failure
    // keeps what arrived but infers no "gone from the portal".
    auto listing = [&](EntityKind kind, const connectors::FetchOptions& fetch, std::vector<ExternalRecord>& out) {
        Status s = FetchAll(connector, kind, fetch, &options, out);
        if (s.ok()) return true;
        const std::string kind_name(connectors::EntityKindName(kind));
        if (s.code() == Code::kUnauthenticated) {
            state.outcome = "credentials_invalid";
            state.problems.push_back("UniView refused the credentials: " + s.message());
        } else {
            if (state.outcome == "ok") state.outcome = "error";
            state.problems.push_back(kind_name + " listing failed: " + s.message());
        }
        return false;
    };
    auto store = [&](auto&& fn) -> Status {
        auto tx = db.Begin(db::TxMode::kWrite);
        if (!tx) return tx.status();
        MORTAR_RETURN_IF_ERROR(fn(*tx));
        MORTAR_RETURN_IF_ERROR(api::BumpDataVersion(*tx, scope.account_id));
        MORTAR_RETURN_IF_ERROR(tx->Commit());
        if (options.heartbeat) options.heartbeat();
        return Status::Ok();
    };
    const connectors::FetchOptions all;
    using StoreFn = Status (*)(db::Tx&, const ApplyScope&, const std::vector<ExternalRecord>&, bool, Counts&);
    for (const auto& [kind, fn] : {
             std::pair<EntityKind, StoreFn>{EntityKind::kCompany, StoreCustomers},
             {EntityKind::kAppliance, StoreAppliances},
             {EntityKind::kConfiguration, StoreAssets},
         }) {
        if (state.outcome == "credentials_invalid") return Status::Ok();
        std::vector<ExternalRecord> records;
        const bool complete = listing(kind, all, records);
        if (state.outcome == "credentials_invalid") return Status::Ok();
        MORTAR_RETURN_IF_ERROR(store([&](db::Tx& tx) { return fn(tx, scope, records, complete, state.counts); }));
    }
    // Backup jobs since the last stamp, less the margin.
    {
        connectors::FetchOptions fetch;
        if (auto it = marks.find("backup"); it != marks.end()) fetch.since_ms = it->second - kBackupSafetyMarginMs;
        std::vector<ExternalRecord> records;
        const bool complete = listing(EntityKind::kBackup, fetch, records);
        if (state.outcome == "credentials_invalid") return Status::Ok();
        MORTAR_RETURN_IF_ERROR(store([&](db::Tx& tx) -> Status {
            MORTAR_RETURN_IF_ERROR(StoreBackups(tx, scope, records));
            if (complete && !records.empty()) {
                marks["backup"] = BackupMark(records, marks.count("backup") ? marks["backup"] : 0);
                MORTAR_RETURN_IF_ERROR(SaveMarks(tx, scope, marks));
            }
            return Status::Ok();
        }));
    }
    // The matching decisions, over what is stored now.
    return store([&](db::Tx& tx) -> Status {
        const std::string now = FormatTimestamp(scope.clock->NowMillis());
        auto moved = MatchCustomers(tx, scope.account_id, scope.integration_id, now);
        if (!moved) return moved.status();
        return MatchAssets(tx, scope.account_id, scope.integration_id, now, {});
    });
}

Status RefreshAsset(
    db::Database& db,
    const vault::Vault* vault,
    const ConnectorFactory& factory,
    const Clock& clock,
    int64_t account_id,
    int64_t asset_id
) {
    int64_t integration_id = 0;
    std::string external_id;
    IntegrationConnection how;
    {
        auto tx = db.Begin(db::TxMode::kRead);
        if (!tx) return tx.status();
        auto stmt =
            tx->PrepareDynamic("SELECT integration_id, external_id FROM backup_assets WHERE account_id = $1 AND id = $2"
            );
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, asset_id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) return Status::NotFound("backup_asset " + std::to_string(asset_id) + " not found");
        integration_id = stmt->row().GetInt(0);
        external_id = std::string(stmt->row().GetText(1));
        auto loaded = LoadIntegrationConnection(*tx, account_id, integration_id);
        if (!loaded) return loaded.status();
        how = std::move(*loaded);
    }
    // The store is not held while the portal answers.
    auto connector = OpenConnector(vault, factory, account_id, integration_id, how);
    if (!connector) return connector.status();
    connectors::FetchOptions fetch;
    fetch.asset_key = external_id;
    std::vector<ExternalRecord> assets, backups;
    Status fetched = FetchAll(**connector, EntityKind::kConfiguration, fetch, nullptr, assets);
    if (fetched.ok()) fetched = FetchAll(**connector, EntityKind::kBackup, fetch, nullptr, backups);
    const std::string now = FormatTimestamp(clock.NowMillis());
    if (!fetched.ok()) {
        if (fetched.code() == Code::kUnauthenticated) {
            // As a run would: scheduled syncing stops until the credentials are re-entered.
            auto tx = db.Begin(db::TxMode::kWrite);
            if (!tx) return tx.status();
            const std::string detail = "UniView refused the credentials: " + fetched.message();
            auto n = Exec(
                *tx,
                "UPDATE integrations SET status = 'credentials_invalid', status_detail = $3, updated_at = $4 WHERE "
                "account_id = $1 AND id = $2",
                {account_id, integration_id, std::string_view(detail), std::string_view(now)}
            );
            if (!n) return n.status();
            MORTAR_RETURN_IF_ERROR(api::BumpDataVersion(*tx, account_id));
            MORTAR_RETURN_IF_ERROR(tx->Commit());
        }
        return fetched;
    }
    const ApplyScope scope{.account_id = account_id, .integration_id = integration_id, .run_id = 0, .clock = &clock};
    auto tx = db.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    const ExternalRecord* found = nullptr;
    for (const ExternalRecord& r : assets) {
        if (r.external_id == external_id) found = &r;
    }
    if (found) {
        auto customers = CustomerIds(*tx, account_id, integration_id);
        if (!customers) return customers.status();
        MORTAR_RETURN_IF_ERROR(WriteAsset(*tx, scope, *found, ValuesOf(*found, *customers), asset_id, now, true));
    } else {
        // The portal no longer has it: keep what Mortar knows, marked as not seen.
        auto n = Exec(
            *tx,
            "UPDATE backup_assets SET seen = $2, last_synced_at = $3, updated_at = $3 WHERE id = $1",
            {asset_id, false, std::string_view(now)}
        );
        if (!n) return n.status();
    }
    MORTAR_RETURN_IF_ERROR(StoreBackups(*tx, scope, backups));
    MORTAR_RETURN_IF_ERROR(MatchAssets(*tx, account_id, integration_id, now, AssetScope{std::nullopt, asset_id}));
    MORTAR_RETURN_IF_ERROR(api::BumpDataVersion(*tx, account_id));
    return tx->Commit();
}

}  // namespace mortar::sync
