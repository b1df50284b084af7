// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/engine.hpp"

#include <unordered_map>
#include <vector>

#include "api/psa_links.hpp"
#include "api/service.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "sync/backup.hpp"
#include "sync/connect.hpp"
#include "sync/settings.hpp"
#include "vault/vault.hpp"

namespace mortar::sync {
namespace {

constexpr std::size_t kBufferRecords = 2000;

constexpr db::Query kLoadIntegration{
    "integrations.load_for_run",
    "SELECT kind, name, connection, credentials_envelope, settings, watermarks, confirmed_orphans, status FROM "
    "integrations WHERE account_id = $1 AND id = $2"};
constexpr db::Query kInterruptRuns{
    "sync_runs.interrupt",
    "UPDATE sync_runs SET outcome = 'interrupted', finished_at = $2, updated_at = $2, detail = 'the process running "
    "it stopped' WHERE integration_id = $1 AND outcome = 'running'"};
constexpr db::Query kInsertRun{
    "sync_runs.insert",
    "INSERT INTO sync_runs (account_id, integration_id, job_id, worker, run_trigger, full_sync, started_at, outcome, "
    "created_at, updated_at) VALUES ($1, $2, $3, $7, $4, $5, $6, 'running', $6, $6) RETURNING id"};
constexpr db::Query kStartIntegration{
    "integrations.start_run",
    "UPDATE integrations SET status = 'syncing', status_detail = NULL, last_run_id = $3, updated_at = $4 WHERE "
    "account_id = $1 AND id = $2"};
constexpr db::Query kFinishRun{
    "sync_runs.finish",
    "UPDATE sync_runs SET finished_at = $2, updated_at = $2, outcome = $3, detail = $4, created_count = $5, "
    "updated_count = $6, unchanged_count = $7, orphaned_count = $8, returned_count = $9, error_count = $10, api_calls "
    "= $11 WHERE id = $1"};
constexpr db::Query kFinishIntegration{
    "integrations.finish_run",
    "UPDATE integrations SET status = $3, status_detail = $4, updated_at = $5, last_full_at = CASE WHEN $6 THEN $5 "
    "ELSE last_full_at END, last_incremental_at = $5, confirmed_orphans = CASE WHEN $6 THEN '{}' ELSE "
    "confirmed_orphans END WHERE account_id = $1 AND id = $2"};
constexpr db::Query kSetWatermarks{
    "integrations.set_watermarks", "UPDATE integrations SET watermarks = $3 WHERE account_id = $1 AND id = $2"};

// {"company": 1700000000000, ...}
std::map<std::string, int64_t> ParseMarks(std::string_view text) {
    std::map<std::string, int64_t> out;
    auto parsed = json::Parse(text);
    if (!parsed || !parsed->is_object()) return out;
    for (const auto& [k, v] : parsed->as_object()) {
        if (v.is_int()) out[k] = v.as_int();
    }
    return out;
}

std::string MarksJson(const std::map<std::string, int64_t>& marks) {
    json::Writer w;
    w.BeginObject();
    for (const auto& [k, v] : marks) {
        w.Key(k);
        w.Int(v);
    }
    w.EndObject();
    return w.Take();
}

struct Loaded {
    std::string kind;
    std::string name;
    std::string connection;  // JSON
    std::optional<std::string> envelope;
    Settings settings;
    std::map<std::string, int64_t> watermarks;
    std::map<std::string, int64_t> confirmed;
};

// Adds `type_name` from the PSA's type list to a record that has only `type_id`.
void NameType(ExternalRecord& r, const std::unordered_map<std::string, std::string>& names) {
    if (!r.Field("type_name").empty()) return;
    const std::string_view id = r.Field("type_id");
    if (id.empty()) return;
    auto found = names.find(std::string(id));
    if (found == names.end() || found->second.empty()) return;
    r.fields.emplace_back("type_name", found->second);
    connectors::FinishRecord(r);
}

// The outcome's integration status: ok, error, credentials_invalid.
std::string_view IntegrationStatus(std::string_view outcome) {
    if (outcome == "ok") return "ok";
    if (outcome == "credentials_invalid") return "credentials_invalid";
    return "error";
}

}  // namespace

std::string CredentialsContext(int64_t account_id, int64_t integration_id) {
    return vault::SecretContext("integrations", account_id, integration_id, "credentials_envelope");
}

Engine::Engine(db::Database& db, const vault::Vault* vault, const Clock& clock, ConnectorFactory factory)
    : db_(db), vault_(vault), clock_(clock), factory_(std::move(factory)) {}

Result<RunSummary> Engine::Run(const RunOptions& options) {
    RunSummary summary;
    Loaded in;
    // Record the run's start.
    {
        auto tx = db_.Begin(db::TxMode::kWrite);
        if (!tx) return tx.status();
        auto stmt = tx->Prepare(kLoadIntegration);
        if (!stmt) return stmt.status();
        stmt->Bind(1, options.account_id).Bind(2, options.integration_id);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) return Status::NotFound("integration " + std::to_string(options.integration_id) + " not found");
        const db::Row& row = stmt->row();
        in.kind = std::string(row.GetText(0));
        in.name = std::string(row.GetText(1));
        in.connection = std::string(row.GetText(2));
        if (!row.IsNull(3)) in.envelope = std::string(row.GetText(3));
        auto settings = ParseSettingsText(row.GetText(4));
        if (!settings) return settings.status();
        in.settings = std::move(*settings);
        in.watermarks = ParseMarks(row.GetText(5));
        in.confirmed = ParseMarks(row.GetText(6));
        const std::string now = FormatTimestamp(clock_.NowMillis());
        auto interrupt = tx->Prepare(kInterruptRuns);
        if (!interrupt) return interrupt.status();
        interrupt->Bind(1, options.integration_id).Bind(2, std::string_view(now));
        if (auto n = interrupt->Execute(); !n) return n.status();
        auto insert = tx->Prepare(kInsertRun);
        if (!insert) return insert.status();
        insert->Bind(1, options.account_id)
            .Bind(2, options.integration_id)
            .Bind(3, options.job_id > 0 ? db::Param(options.job_id) : db::Param(db::Null{}))
            .Bind(4, std::string_view(options.trigger))
            .Bind(5, options.full)
            .Bind(6, std::string_view(now))
            .Bind(7, options.worker.empty() ? db::Param(db::Null{}) : db::Param(std::string_view(options.worker)));
        auto inserted = insert->Step();
        if (!inserted) return inserted.status();
        summary.run_id = insert->row().GetInt(0);
        auto start = tx->Prepare(kStartIntegration);
        if (!start) return start.status();
        start->Bind(1, options.account_id)
            .Bind(2, options.integration_id)
            .Bind(3, summary.run_id)
            .Bind(4, std::string_view(now));
        if (auto n = start->Execute(); !n) return n.status();
        MORTAR_RETURN_IF_ERROR(api::BumpDataVersion(*tx, options.account_id));
        MORTAR_RETURN_IF_ERROR(tx->Commit());
    }

    std::vector<std::string> problems;
    std::string outcome = "ok";
    std::unique_ptr<connectors::Connector> connector;
    {
        const IntegrationConnection how{.kind = in.kind, .connection_json = in.connection, .envelope = in.envelope};
        auto made = OpenConnector(vault_, factory_, options.account_id, options.integration_id, how);
        if (made) {
            connector = std::move(*made);
        } else {
            outcome = made.status().code() == Code::kUnauthenticated ? "credentials_invalid" : "error";
            problems.push_back("cannot connect: " + made.status().message());
        }
    }

    auto marks = in.watermarks;
    const ApplyScope scope{
        .account_id = options.account_id,
        .integration_id = options.integration_id,
        .run_id = summary.run_id,
        .clock = &clock_};
    // A backup portal stores its data in the backup tables and creates nothing (backup.hpp).
    if (in.kind == "uniview" && connector && outcome == "ok") {
        BackupRunState backup;
        MORTAR_RETURN_IF_ERROR(RunBackupSync(db_, scope, *connector, options, marks, backup));
        outcome = backup.outcome;
        problems.insert(problems.end(), backup.problems.begin(), backup.problems.end());
        summary.counts += backup.counts;
    }
    for (EntityKind kind :
         {EntityKind::kCompany, EntityKind::kSite, EntityKind::kContact, EntityKind::kConfiguration}) {
        if (!connector || outcome == "credentials_invalid" || in.kind == "uniview") break;
        if (options.stop && options.stop->load()) {
            problems.push_back("interrupted: the server is stopping");
            outcome = "error";
            break;
        }
        const std::string local_type(LocalTypeOf(kind));
        const std::string kind_name(connectors::EntityKindName(kind));
        const TypeSettings& type_settings = in.settings.For(local_type);
        if (!connector->Supports(kind)) continue;
        const bool incremental = !options.full && connector->SupportsIncremental(kind) && marks.count(kind_name) > 0;
        KindApplier applier(db_, scope, kind, in.settings);
        // An incremental listing reads the links of its own records, batch by batch.
        MORTAR_RETURN_IF_ERROR(applier.Load(/*all_links=*/!incremental));
        connectors::FetchOptions fetch;
        fetch.include_inactive = type_settings.include_inactive;
        if (kind == EntityKind::kCompany || kind == EntityKind::kConfiguration)
            fetch.type_ids = type_settings.psa_type_ids;
        if (kind == EntityKind::kConfiguration) fetch.status_ids = type_settings.psa_status_ids;
        if (incremental) fetch.since_ms = marks[kind_name];
        // Records that carry only their type's id are named from the PSA's type list, so
        // the type mapping and the "same name" rule see the PSA's names (one call).
        std::unordered_map<std::string, std::string> type_names;
        if (type_settings.enabled) {
            if (auto names_from = connector->TypeNamesFrom(kind); names_from && connector->Supports(*names_from)) {
                connectors::FetchOptions all;
                all.include_inactive = true;
                Status listed = connector->Fetch(*names_from, all, [&](std::span<const ExternalRecord> b) {
                    for (const ExternalRecord& t : b) type_names[t.external_id] = t.name;
                    return Status::Ok();
                });
                // Without the names the records still sync, typed by the mapping or "Other".
                if (!listed.ok()) {
                    if (listed.code() == Code::kUnauthenticated) {
                        outcome = "credentials_invalid";
                        problems.push_back("the PSA refused the credentials: " + listed.message());
                        break;
                    }
                    problems.push_back(kind_name + " type names could not be read: " + listed.message());
                }
            }
        }
        Status store_error = Status::Ok();
        std::vector<ExternalRecord> buffer;
        auto flush = [&]() -> Status {
            if (buffer.empty()) return Status::Ok();
            Status s = applier.ApplyBatch(buffer);
            buffer.clear();
            if (!s.ok()) store_error = s;
            if (options.heartbeat) options.heartbeat();
            return s;
        };
        // A type switched off in the settings lists nothing: a full run orphans its links
        // (behind the safety valve), as for any record that no longer meets the settings.
        Status fetched = Status::Ok();
        if (type_settings.enabled) {
            fetched = connector->Fetch(kind, fetch, [&](std::span<const ExternalRecord> batch) -> Status {
                if (options.stop && options.stop->load())
                    return Status::Unavailable("interrupted: the server is stopping");
                buffer.insert(buffer.end(), batch.begin(), batch.end());
                if (!type_names.empty()) {
                    for (auto it = buffer.end() - static_cast<std::ptrdiff_t>(batch.size()); it != buffer.end(); ++it) {
                        NameType(*it, type_names);
                    }
                }
                if (buffer.size() >= kBufferRecords) return flush();
                return Status::Ok();
            });
        }
        // What arrived before a failure is applied too; it just proves no deletion.
        if (store_error.ok()) (void)flush();
        if (!store_error.ok()) return store_error;
        const bool complete = fetched.ok();
        if (!complete) {
            if (fetched.code() == Code::kUnauthenticated) {
                outcome = "credentials_invalid";
                problems.push_back("the PSA refused the credentials: " + fetched.message());
            } else {
                if (outcome == "ok" || outcome == "needs_confirmation") outcome = "error";
                problems.push_back(kind_name + " listing failed: " + fetched.message());
            }
        }
        const int64_t confirmed = in.confirmed.count(local_type) ? in.confirmed[local_type] : 0;
        auto orphans = applier.FinishOrphans(complete, options.full, confirmed);
        if (!orphans) return orphans.status();
        if (orphans->blocked) {
            if (outcome == "ok") outcome = "needs_confirmation";
            problems.push_back(
                "would orphan " + std::to_string(orphans->would_orphan) + " of " + std::to_string(orphans->linked) +
                " synced " + local_type + " (more than " + std::to_string(in.settings.orphan_share_percent) +
                " %): nothing was orphaned; an administrator must confirm " + std::to_string(orphans->would_orphan) +
                " to go on"
            );
        }
        summary.counts += applier.counts();
        if (complete) {
            int64_t mark = applier.max_updated_ms();
            if (applier.min_failed_updated_ms() > 0) mark = std::min(mark, applier.min_failed_updated_ms() - 1);
            if (mark > marks[kind_name]) {
                marks[kind_name] = mark;
                auto tx = db_.Begin(db::TxMode::kWrite);
                if (!tx) return tx.status();
                auto stmt = tx->Prepare(kSetWatermarks);
                if (!stmt) return stmt.status();
                const std::string text = MarksJson(marks);
                stmt->Bind(1, options.account_id).Bind(2, options.integration_id).Bind(3, std::string_view(text));
                if (auto n = stmt->Execute(); !n) return n.status();
                MORTAR_RETURN_IF_ERROR(tx->Commit());
            }
        }
    }
    if (summary.counts.errors > 0 && outcome == "ok") {
        problems.push_back(std::to_string(summary.counts.errors) + " record(s) could not be applied");
    }
    if (connector) summary.api_calls = connector->stats().calls;
    summary.outcome = outcome;
    for (const std::string& p : problems) summary.detail += (summary.detail.empty() ? "" : "; ") + p;

    auto tx = db_.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    const std::string now = FormatTimestamp(clock_.NowMillis());
    auto finish = tx->Prepare(kFinishRun);
    if (!finish) return finish.status();
    const Counts& c = summary.counts;
    finish->Bind(1, summary.run_id)
        .Bind(2, std::string_view(now))
        .Bind(3, std::string_view(summary.outcome))
        .Bind(4, summary.detail.empty() ? db::Param(db::Null{}) : db::Param(std::string_view(summary.detail)))
        .Bind(5, c.created)
        .Bind(6, c.updated)
        .Bind(7, c.unchanged)
        .Bind(8, c.orphaned)
        .Bind(9, c.returned)
        .Bind(10, c.errors)
        .Bind(11, summary.api_calls);
    if (auto n = finish->Execute(); !n) return n.status();
    auto integration = tx->Prepare(kFinishIntegration);
    if (!integration) return integration.status();
    integration->Bind(1, options.account_id)
        .Bind(2, options.integration_id)
        .Bind(3, IntegrationStatus(summary.outcome))
        .Bind(4, summary.detail.empty() ? db::Param(db::Null{}) : db::Param(std::string_view(summary.detail)))
        .Bind(5, std::string_view(now))
        .Bind(6, options.full);
    if (auto n = integration->Execute(); !n) return n.status();
    MORTAR_RETURN_IF_ERROR(api::BumpDataVersion(*tx, options.account_id));
    MORTAR_RETURN_IF_ERROR(tx->Commit());
    log::info(
        "sync run {} of integration {} ({}): {}; created {}, updated {}, unchanged {}, orphaned {}, returned {}, "
        "errors {}, {} API calls",
        summary.run_id,
        options.integration_id,
        options.full ? "full" : "incremental",
        summary.outcome,
        c.created,
        c.updated,
        c.unchanged,
        c.orphaned,
        c.returned,
        c.errors,
        summary.api_calls
    );
    return summary;
}

}  // namespace mortar::sync
