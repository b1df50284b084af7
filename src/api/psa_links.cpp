// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/psa_links.hpp"

#include "core/json.hpp"

namespace mortar::api {
namespace {

constexpr db::Query kFindLink{
    "sync_links.find_for_record",
    "SELECT sl.id, sl.state, i.kind, i.name FROM sync_links sl JOIN integrations i ON i.id = sl.integration_id "
    "WHERE sl.account_id = $1 AND sl.local_type = $2 AND sl.local_id = $3 ORDER BY sl.id LIMIT 1"};
constexpr std::string_view kSyncingChildren =
    "SELECT count(*) FROM sync_links sl WHERE sl.account_id = $1 AND sl.local_type = $2 AND sl.state = 'syncing' "
    "AND sl.local_id IN (SELECT c.id FROM %s c WHERE c.account_id = $1 AND c.organization_id = $3)";
constexpr db::Query kUnlink{
    "sync_links.unlink_deleted",
    "DELETE FROM sync_links WHERE account_id = $1 AND local_type = $2 AND local_id = $3 AND state <> 'disabled'"};

std::string Quoted(std::string_view s) {
    return "'" + std::string(s) + "'";  // only ever code-given identifiers
}

// Whether a stored column value equals the value about to be written. JSON text
// columns compare as JSON, so an echo with another key order or spacing is unchanged.
bool SameValue(const db::Row& row, int col, const ColumnValue& v) {
    if (std::holds_alternative<db::Null>(v)) return row.IsNull(col);
    if (row.IsNull(col)) return false;
    if (const auto* i = std::get_if<int64_t>(&v)) return row.GetInt(col) == *i;
    if (const auto* b = std::get_if<bool>(&v)) return row.GetBool(col) == *b;
    if (const auto* d = std::get_if<double>(&v)) return row.GetDouble(col) == *d;
    const std::string& s = std::get<std::string>(v);
    const std::string_view stored = row.GetText(col);
    if (stored == s) return true;
    if (!s.empty() && (s.front() == '[' || s.front() == '{')) {
        auto a = json::Parse(stored);
        auto b = json::Parse(s);
        return a.ok() && b.ok() && a->Dump() == b->Dump();
    }
    return false;
}

// "<what> while this record syncs from Autotask (integration "Main"): ...".
std::string SyncedMessage(const PsaLink& link, std::string_view what) {
    return std::string(what) + " while this record syncs from " + std::string(PsaDisplayName(link.integration_kind)) +
           " (integration \"" + link.integration_name +
           "\"): disable sync for this record or disconnect its data type first";
}

}  // namespace

std::string_view PsaIntegrationType(std::string_view kind) {
    if (kind == "connectwise") return "manage";
    return kind;
}

std::optional<std::string_view> IntegrationKindOfPsaType(std::string_view psa_type) {
    if (psa_type == "manage") return "connectwise";
    if (psa_type == "autotask") return "autotask";
    if (psa_type == "halopsa") return "halopsa";
    return std::nullopt;
}

std::string_view PsaDisplayName(std::string_view kind) {
    if (kind == "autotask") return "Autotask";
    if (kind == "connectwise") return "ConnectWise Manage";
    if (kind == "halopsa") return "HaloPSA";
    return kind;
}

std::string PsaIntegrationSelect(std::string_view local_type) {
    return "(SELECT CASE i.kind WHEN 'connectwise' THEN 'manage' ELSE i.kind END FROM sync_links sl JOIN "
           "integrations i ON i.id = sl.integration_id WHERE sl.account_id = t.account_id AND sl.local_type = " +
           Quoted(local_type) + " AND sl.local_id = t.id AND sl.state <> 'orphaned' ORDER BY sl.id LIMIT 1)";
}

Result<std::optional<PsaLink>> FindPsaLink(db::Tx& tx, int64_t account_id, std::string_view local_type, int64_t id) {
    auto stmt = tx.Prepare(kFindLink);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, local_type).Bind(3, id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return std::optional<PsaLink>();
    const db::Row& row = stmt->row();
    return std::optional<PsaLink>(PsaLink{
        .link_id = row.GetInt(0),
        .state = std::string(row.GetText(1)),
        .integration_kind = std::string(row.GetText(2)),
        .integration_name = std::string(row.GetText(3))});
}

std::function<Status(db::Tx&, WriteContext&)> RefusePsaOwnedChanges(
    std::string table, std::string local_type, std::vector<PsaOwnedField> owned
) {
    std::string select = "SELECT ";
    for (std::size_t i = 0; i < owned.size(); ++i) select += (i ? ", " : "") + owned[i].column;
    select += " FROM " + table + " WHERE account_id = $1 AND id = $2";
    return [select, local_type, owned](db::Tx& tx, WriteContext& wc) -> Status {
        if (wc.create || !wc.id) return Status::Ok();
        auto link = FindPsaLink(tx, wc.account_id, local_type, *wc.id);
        if (!link) return link.status();
        if (!*link || (*link)->state != "syncing") return Status::Ok();
        auto stmt = tx.PrepareDynamic(select);
        if (!stmt) return stmt.status();
        stmt->Bind(1, wc.account_id).Bind(2, *wc.id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) return Status::Ok();  // the engine reports the missing record
        for (std::size_t i = 0; i < owned.size(); ++i) {
            const ColumnValue* v = wc.Get(owned[i].column);
            if (!v || SameValue(stmt->row(), static_cast<int>(i), *v)) continue;
            return Status::Unprocessable(
                SyncedMessage(
                    **link,
                    "is managed by " + std::string(PsaDisplayName((*link)->integration_kind)) + " and can't be changed"
                ),
                wc.Pointer(owned[i].attribute)
            );
        }
        return Status::Ok();
    };
}

std::function<Status(db::Tx&, int64_t, int64_t)> RefuseSyncedDelete(
    std::string local_type, std::vector<std::pair<std::string, std::string>> children
) {
    return [local_type, children](db::Tx& tx, int64_t account_id, int64_t id) -> Status {
        auto link = FindPsaLink(tx, account_id, local_type, id);
        if (!link) return link.status();
        if (*link && (*link)->state == "syncing")
            return Status::Unprocessable(SyncedMessage(**link, "can't be deleted"));
        for (const auto& [child_type, child_table] : children) {
            std::string sql(kSyncingChildren);
            sql.replace(sql.find("%s"), 2, child_table);
            auto stmt = tx.PrepareDynamic(sql);
            if (!stmt) return stmt.status();
            stmt->Bind(1, account_id).Bind(2, std::string_view(child_type)).Bind(3, id);
            auto step = stmt->Step();
            if (!step) return step.status();
            if (*step && stmt->row().GetInt(0) > 0) {
                return Status::Unprocessable(
                    "can't be deleted while " + std::to_string(stmt->row().GetInt(0)) + " of its " + child_type +
                    " sync from a PSA: disable sync for them or disconnect their data type first"
                );
            }
            auto unlink = tx.PrepareDynamic(
                "DELETE FROM sync_links WHERE account_id = $1 AND local_type = $2 AND state <> 'disabled' AND "
                "local_id IN (SELECT c.id FROM " +
                child_table + " c WHERE c.account_id = $1 AND c.organization_id = $3)"
            );
            if (!unlink) return unlink.status();
            unlink->Bind(1, account_id).Bind(2, std::string_view(child_type)).Bind(3, id);
            if (auto n = unlink->Execute(); !n) return n.status();
        }
        if (!*link) return Status::Ok();
        auto stmt = tx.Prepare(kUnlink);
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, std::string_view(local_type)).Bind(3, id);
        if (auto n = stmt->Execute(); !n) return n.status();
        return Status::Ok();
    };
}

}  // namespace mortar::api
