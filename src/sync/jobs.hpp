// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"
#include "db/database.hpp"

// Background jobs (DESIGN "Scale-out", SPEC OPS-3): rows of `jobs` that any `mortar serve`
// process may claim. A claim is one UPDATE taking the oldest due job — on PostgreSQL
// with FOR UPDATE SKIP LOCKED, so concurrent claimers never take the same row; on
// SQLite under the single writer lock — and gives it a lease. A job whose lease expired
// (its process died) is claimed again. At most one job per integration is queued or
// running (a unique partial index); asking for another while one runs marks it to be
// followed by a full manual run.
namespace mortar::sync {

struct Job {
    int64_t id = 0;
    int64_t account_id = 0;
    int64_t integration_id = 0;
    bool full = false;
    std::string trigger;  // "manual" or "schedule"
    int64_t attempts = 0;
};

// Queues a sync of the integration inside `tx`. An already queued job becomes full when
// `full` is asked for (and manual when `trigger` is); a running one is marked to be
// followed by a full manual run. Returns the job's id.
Result<int64_t> EnqueueSync(
    db::Tx& tx, int64_t account_id, int64_t integration_id, bool full, std::string_view trigger, std::string_view now
);

// Claims the oldest due job for `owner` with a lease until now + lease_ms, or nullopt.
Result<std::optional<Job>> ClaimJob(db::Database& db, std::string_view owner, int64_t now_ms, int64_t lease_ms);
// Extends the lease while the job runs; kNotFound when the job is no longer ours.
Status ExtendLease(db::Database& db, int64_t job_id, std::string_view owner, int64_t until_ms);
// Marks the job done (or failed with `error`) and queues its follow-up run if one was
// asked for meanwhile.
Status FinishJob(
    db::Database& db, const Job& job, std::string_view owner, bool ok, std::string_view error, int64_t now_ms
);

// Queues the runs integrations are due for: incremental every schedule_minutes, full
// every full_sync_minutes (SPEC SYNC-10), none while credentials are invalid or the
// integration is paused (SYNC-11). Returns how many jobs were queued.
Result<int64_t> ScheduleDue(db::Database& db, int64_t now_ms);

}  // namespace mortar::sync
