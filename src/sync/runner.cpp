// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/runner.hpp"

#include "core/log.hpp"

namespace mortar::sync {

JobRunner::JobRunner(db::Database& db, Engine& engine, const Clock& clock, RunnerOptions options)
    : db_(db), engine_(engine), clock_(clock), options_(std::move(options)) {}

JobRunner::~JobRunner() {
    Stop();
}

void JobRunner::Start() {
    thread_ = std::thread([this] { Loop(); });
}

void JobRunner::Wake() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        woken_ = true;
    }
    cv_.notify_all();
}

void JobRunner::Stop() {
    stop_.store(true);
    Wake();
    if (thread_.joinable()) thread_.join();
}

void JobRunner::Loop() {
    while (!stop_.load()) {
        if (options_.schedule) {
            auto queued = ScheduleDue(db_, clock_.NowMillis());
            if (!queued) log::warn("jobs: scheduling failed: {}", queued.status().message());
        }
        while (!stop_.load()) {
            auto job = ClaimJob(db_, options_.owner, clock_.NowMillis(), options_.lease_ms);
            if (!job) {
                log::warn("jobs: claiming failed: {}", job.status().message());
                break;
            }
            if (!*job) break;
            RunJob(**job);
        }
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [this] { return woken_ || stop_.load(); });
        woken_ = false;
    }
}

void JobRunner::RunJob(const Job& job) {
    if (job.attempts > options_.max_attempts) {
        Status s = FinishJob(db_, job, options_.owner, false, "gave up after repeated attempts", clock_.NowMillis());
        if (!s.ok()) log::warn("jobs: finishing job {} failed: {}", job.id, s.message());
        return;
    }
    int64_t extended_at = clock_.NowMillis();
    RunOptions run{
        .account_id = job.account_id,
        .integration_id = job.integration_id,
        .full = job.full,
        .trigger = job.trigger,
        .job_id = job.id,
        .worker = options_.owner,
        .stop = &stop_,
        .heartbeat =
            [&] {
                const int64_t now = clock_.NowMillis();
                if (now - extended_at < options_.lease_ms / 3) return;
                extended_at = now;
                if (Status s = ExtendLease(db_, job.id, options_.owner, now + options_.lease_ms); !s.ok()) {
                    log::warn("jobs: extending the lease of job {} failed: {}", job.id, s.message());
                }
            },
    };
    auto summary = engine_.Run(run);
    std::string error;
    if (!summary) {
        error = summary.status().message();
        log::warn("jobs: sync job {} failed: {}", job.id, error);
    }
    Status s = FinishJob(db_, job, options_.owner, summary.ok(), error, clock_.NowMillis());
    if (!s.ok()) log::warn("jobs: finishing job {} failed: {}", job.id, s.message());
}

}  // namespace mortar::sync
