// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "sync/engine.hpp"
#include "sync/jobs.hpp"

// The job runner inside `mortar serve` (SPEC OPS-3): one thread that queues due
// scheduled runs, claims jobs (exactly once across processes, see jobs.hpp) and runs
// them with the engine, extending its lease while a run lasts. Stop() lets a running
// sync end at its next batch.
namespace mortar::sync {

struct RunnerOptions {
    std::string owner;  // unique per process: "host:pid:random"
    int64_t lease_ms = 60'000;
    int64_t poll_ms = 2'000;
    bool schedule = true;  // queue scheduled runs (SPEC SYNC-10)
    int64_t max_attempts = 5;
};

// Thread safety: Wake and Stop may be called from any thread.
class JobRunner {
public:
    JobRunner(db::Database& db, Engine& engine, const Clock& clock, RunnerOptions options);
    ~JobRunner();
    JobRunner(const JobRunner&) = delete;
    JobRunner& operator=(const JobRunner&) = delete;

    void Start();
    // Makes the runner look for work now (a manual sync was queued).
    void Wake();
    // Stops claiming, lets the current run stop at its next batch, and joins.
    void Stop();

private:
    void Loop();
    void RunJob(const Job& job);

    db::Database& db_;
    Engine& engine_;
    const Clock& clock_;
    const RunnerOptions options_;
    std::atomic<bool> stop_{false};
    std::mutex mu_;
    std::condition_variable cv_;
    bool woken_ = false;  // GUARDED_BY(mu_)
    std::thread thread_;
};

}  // namespace mortar::sync
