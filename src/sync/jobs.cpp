// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/jobs.hpp"

#include <vector>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/strings.hpp"
#include "sync/settings.hpp"

namespace mortar::sync {
namespace {

constexpr db::Query kActive{
    "jobs.active_for_integration",
    "SELECT id, state, payload FROM jobs WHERE integration_id = $1 AND state IN ('queued', 'running')"};
constexpr db::Query kInsert{
    "jobs.insert_sync",
    "INSERT INTO jobs (account_id, kind, integration_id, payload, state, run_after, attempts, created_at, updated_at) "
    "VALUES ($1, 'sync', $2, $3, 'queued', $4, 0, $4, $4) ON CONFLICT (integration_id) WHERE state IN ('queued', "
    "'running') DO NOTHING RETURNING id"};
constexpr db::Query kSetPayload{
    "jobs.set_payload",
    "UPDATE jobs SET payload = $2, updated_at = $3 WHERE id = $1 AND state IN ('queued', 'running')"};
constexpr db::DialectQuery kClaim{
    "jobs.claim",
    "UPDATE jobs SET state = 'running', lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1, updated_at = "
    "$3 WHERE id = (SELECT id FROM jobs WHERE (state = 'queued' AND run_after <= $3) OR (state = 'running' AND "
    "lease_expires_at < $3) ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, account_id, "
    "integration_id, payload, attempts",
    "UPDATE jobs SET state = 'running', lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1, updated_at = "
    "$3 WHERE id = (SELECT id FROM jobs WHERE (state = 'queued' AND run_after <= $3) OR (state = 'running' AND "
    "lease_expires_at < $3) ORDER BY run_after, id LIMIT 1) RETURNING id, account_id, integration_id, payload, "
    "attempts"};
constexpr db::Query kExtend{
    "jobs.extend_lease",
    "UPDATE jobs SET lease_expires_at = $3 WHERE id = $1 AND lease_owner = $2 AND state = 'running'"};
constexpr db::Query kFinish{
    "jobs.finish",
    "UPDATE jobs SET state = $3, last_error = $4, lease_expires_at = NULL, updated_at = $5 WHERE id = $1 AND "
    "lease_owner = $2 AND state = 'running' RETURNING payload"};
constexpr db::Query kDue{
    "integrations.due",
    "SELECT i.id, i.account_id, i.settings, i.last_incremental_at, i.last_full_at FROM integrations i WHERE i.status "
    "NOT IN ('credentials_invalid', 'paused', 'syncing') AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.integration_id = "
    "i.id AND j.state IN ('queued', 'running')) ORDER BY i.id"};

struct Payload {
    bool full = false;
    std::string trigger = "schedule";
    bool again = false;
};

Payload ParsePayload(std::string_view text) {
    Payload p;
    auto v = json::Parse(text);
    if (!v || !v->is_object()) return p;
    if (const json::Value* f = v->Find("full"); f && f->is_bool()) p.full = f->as_bool();
    if (const json::Value* t = v->Find("trigger"); t && t->is_string()) p.trigger = t->as_string();
    if (const json::Value* a = v->Find("again"); a && a->is_bool()) p.again = a->as_bool();
    return p;
}

std::string PayloadJson(const Payload& p) {
    return std::string("{\"full\":") + (p.full ? "true" : "false") + ",\"trigger\":\"" +
           (p.trigger == "manual" ? "manual" : "schedule") + "\",\"again\":" + (p.again ? "true" : "false") + "}";
}

}  // namespace

Result<int64_t> EnqueueSync(
    db::Tx& tx, int64_t account_id, int64_t integration_id, bool full, std::string_view trigger, std::string_view now
) {
    // A few rounds at most: when another process queued a job for the integration between
    // our lookup and our insert, or the job we found ended meanwhile (PostgreSQL), the
    // next round sees it.
    for (int attempt = 0; attempt < 3; ++attempt) {
        {
            auto stmt = tx.Prepare(kActive);
            if (!stmt) return stmt.status();
            stmt->Bind(1, integration_id);
            auto step = stmt->Step();
            if (!step) return step.status();
            if (*step) {
                const int64_t id = stmt->row().GetInt(0);
                const bool running = stmt->row().GetText(1) == "running";
                Payload p = ParsePayload(stmt->row().GetText(2));
                if (running) {
                    p.again = true;
                } else {
                    p.full = p.full || full;
                    if (trigger == "manual") p.trigger = "manual";
                }
                const std::string text = PayloadJson(p);
                auto set = tx.Prepare(kSetPayload);
                if (!set) return set.status();
                set->Bind(1, id).Bind(2, std::string_view(text)).Bind(3, now);
                auto n = set->Execute();
                if (!n) return n.status();
                if (*n == 1) return id;
                // It ended meanwhile: queue a new one.
            }
        }
        const std::string text = PayloadJson(Payload{.full = full, .trigger = std::string(trigger)});
        auto stmt = tx.Prepare(kInsert);
        if (!stmt) return stmt.status();
        stmt->Bind(1, account_id).Bind(2, integration_id).Bind(3, std::string_view(text)).Bind(4, now);
        auto step = stmt->Step();
        if (!step) return step.status();
        if (*step) return stmt->row().GetInt(0);
    }
    return Status::Unavailable("another sync of this integration was queued at the same time; try again");
}

Result<std::optional<Job>> ClaimJob(db::Database& db, std::string_view owner, int64_t now_ms, int64_t lease_ms) {
    auto tx = db.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    const std::string now = FormatTimestamp(now_ms);
    const std::string until = FormatTimestamp(now_ms + lease_ms);
    auto stmt = tx->Prepare(kClaim);
    if (!stmt) return stmt.status();
    stmt->Bind(1, owner).Bind(2, std::string_view(until)).Bind(3, std::string_view(now));
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) {
        tx->Rollback();
        return std::optional<Job>();
    }
    Job job;
    job.id = stmt->row().GetInt(0);
    job.account_id = stmt->row().GetInt(1);
    job.integration_id = stmt->row().IsNull(2) ? 0 : stmt->row().GetInt(2);
    const Payload p = ParsePayload(stmt->row().GetText(3));
    job.full = p.full;
    job.trigger = p.trigger;
    job.attempts = stmt->row().GetInt(4);
    stmt->Reset();
    MORTAR_RETURN_IF_ERROR(tx->Commit());
    return std::optional<Job>(std::move(job));
}

Status ExtendLease(db::Database& db, int64_t job_id, std::string_view owner, int64_t until_ms) {
    auto tx = db.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    const std::string until = FormatTimestamp(until_ms);
    auto stmt = tx->Prepare(kExtend);
    if (!stmt) return stmt.status();
    stmt->Bind(1, job_id).Bind(2, owner).Bind(3, std::string_view(until));
    auto n = stmt->Execute();
    if (!n) return n.status();
    MORTAR_RETURN_IF_ERROR(tx->Commit());
    if (*n == 0) return Status::NotFound("job " + std::to_string(job_id) + " is no longer leased by this process");
    return Status::Ok();
}

Status FinishJob(
    db::Database& db, const Job& job, std::string_view owner, bool ok, std::string_view error, int64_t now_ms
) {
    auto tx = db.Begin(db::TxMode::kWrite);
    if (!tx) return tx.status();
    const std::string now = FormatTimestamp(now_ms);
    bool again = false;
    {
        auto stmt = tx->Prepare(kFinish);
        if (!stmt) return stmt.status();
        stmt->Bind(1, job.id)
            .Bind(2, owner)
            .Bind(3, ok ? "done" : "failed")
            .Bind(4, error.empty() ? db::Param(db::Null{}) : db::Param(error))
            .Bind(5, std::string_view(now));
        auto step = stmt->Step();
        if (!step) return step.status();
        if (!*step) return Status::NotFound("job " + std::to_string(job.id) + " is no longer leased by this process");
        again = ParsePayload(stmt->row().GetText(0)).again;
        stmt->Reset();
    }
    if (again && job.integration_id > 0) {
        auto queued = EnqueueSync(*tx, job.account_id, job.integration_id, true, "manual", now);
        if (!queued) return queued.status();
    }
    return tx->Commit();
}

Result<int64_t> ScheduleDue(db::Database& db, int64_t now_ms) {
    struct Due {
        int64_t id, account_id;
        bool full;
    };
    std::vector<Due> due;
    {
        auto tx = db.Begin(db::TxMode::kRead);
        if (!tx) return tx.status();
        auto stmt = tx->Prepare(kDue);
        if (!stmt) return stmt.status();
        while (true) {
            auto step = stmt->Step();
            if (!step) return step.status();
            if (!*step) break;
            const db::Row& row = stmt->row();
            auto settings = ParseSettingsText(row.GetText(2));
            if (!settings) continue;
            auto older_than = [&](int col, int64_t minutes) {
                if (row.IsNull(col)) return true;
                auto at = ParseTimestamp(row.GetText(col));
                return !at || *at + minutes * 60'000 <= now_ms;
            };
            const bool full = older_than(4, settings->full_sync_minutes);
            if (full || older_than(3, settings->schedule_minutes)) {
                due.push_back(Due{row.GetInt(0), row.GetInt(1), full});
            }
        }
    }
    int64_t queued = 0;
    const std::string now = FormatTimestamp(now_ms);
    for (const Due& d : due) {
        auto tx = db.Begin(db::TxMode::kWrite);
        if (!tx) return tx.status();
        const std::string text = PayloadJson(Payload{.full = d.full, .trigger = "schedule"});
        auto stmt = tx->Prepare(kInsert);
        if (!stmt) return stmt.status();
        stmt->Bind(1, d.account_id).Bind(2, d.id).Bind(3, std::string_view(text)).Bind(4, std::string_view(now));
        auto step = stmt->Step();
        if (!step) return step.status();
        queued += *step ? 1 : 0;
        stmt->Reset();
        MORTAR_RETURN_IF_ERROR(tx->Commit());
    }
    return queued;
}

}  // namespace mortar::sync
