// SPDX-License-Identifier: AGPL-3.0-or-later
// The jobs table on either store (jobs_test.cpp: SQLite, jobs_pgtest.cpp: PostgreSQL):
// scheduling (SPEC SYNC-10, SYNC-11), claims, leases and their takeover.
#pragma once

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "db/internal/test_support.hpp"
#include "sync/jobs.hpp"

namespace mortar::sync::testing {

constexpr int64_t kNow = 1'780'000'000'000;  // 2026-05-28
constexpr int64_t kMinute = 60'000;

class JobsTest : public ::testing::TestWithParam<db::Dialect> {
protected:
    void SetUp() override {
        if (GetParam() == db::Dialect::kPostgres && !db::testing::PgDsn())
            GTEST_SKIP() << "MORTAR_TEST_PG_DSN is not set";
        std::string why;
        test_db_ = db::testing::TestDatabase::Create(GetParam(), &why);
        ASSERT_NE(test_db_, nullptr) << why;
        auto opened = test_db_->Open();
        ASSERT_TRUE(opened.ok()) << opened.status().message();
        db_ = std::move(*opened);
        ASSERT_TRUE(db_->Migrate().ok());
        Exec("INSERT INTO accounts (id, name, created_at, updated_at) VALUES (1, 'a', 'x', 'x')");
    }

    void Exec(const std::string& sql) {
        auto tx = db_->Begin(db::TxMode::kWrite);
        ASSERT_TRUE(tx.ok());
        auto stmt = tx->PrepareDynamic(sql);
        ASSERT_TRUE(stmt.ok()) << stmt.status().message();
        auto n = stmt->Execute();
        ASSERT_TRUE(n.ok()) << n.status().message();
        ASSERT_TRUE(tx->Commit().ok());
    }

    // An integration with the given status and last runs (minutes before kNow; <0: never).
    int64_t Integration(const std::string& status, int64_t last_run_min, int64_t last_full_min) {
        const int64_t id = ++next_id_;
        auto at = [](int64_t min) {
            return min < 0 ? std::string("NULL") : "'" + FormatTimestamp(kNow - min * kMinute) + "'";
        };
        Exec(
            "INSERT INTO integrations (id, account_id, kind, name, status, last_incremental_at, last_full_at, "
            "created_at, updated_at) VALUES (" +
            std::to_string(id) + ", 1, 'autotask', 'i', '" + status + "', " + at(last_run_min) + ", " +
            at(last_full_min) + ", 'x', 'x')"
        );
        return id;
    }

    int64_t Count(const std::string& where) {
        auto tx = db_->Begin(db::TxMode::kRead);
        auto stmt = tx->PrepareDynamic("SELECT count(*) FROM jobs WHERE " + where);
        EXPECT_TRUE(stmt.ok());
        auto step = stmt->Step();
        EXPECT_TRUE(step.ok() && *step);
        return stmt->row().GetInt(0);
    }

    std::unique_ptr<db::testing::TestDatabase> test_db_;
    std::unique_ptr<db::Database> db_;
    int64_t next_id_ = 0;
};

TEST_P(JobsTest, SchedulesDueRunsButNeverWithInvalidCredentialsOrPaused) {
    const int64_t never = Integration("never", -1, -1);
    const int64_t hourly_due = Integration("ok", 61, 120);
    const int64_t full_due = Integration("ok", 10, 1441);
    const int64_t fresh = Integration("ok", 10, 100);
    const int64_t invalid = Integration("credentials_invalid", 600, 6000);
    const int64_t paused = Integration("paused", 600, 6000);
    auto queued = ScheduleDue(*db_, kNow);
    ASSERT_TRUE(queued.ok()) << queued.status().message();
    EXPECT_EQ(*queued, 3);
    auto job = [&](int64_t id) { return Count("integration_id = " + std::to_string(id)); };
    EXPECT_EQ(job(never), 1);
    EXPECT_EQ(job(hourly_due), 1);
    EXPECT_EQ(job(full_due), 1);
    EXPECT_EQ(job(fresh), 0);
    EXPECT_EQ(job(invalid), 0);
    EXPECT_EQ(job(paused), 0);
    EXPECT_EQ(Count("payload LIKE '%\"full\":true%'"), 2);  // never synced, and the daily full run
    // Scheduling again queues nothing more while those jobs wait.
    EXPECT_EQ(*ScheduleDue(*db_, kNow), 0);
}

TEST_P(JobsTest, ClaimsOnceLeasesAndTakesOverAnExpiredLease) {
    const int64_t id = Integration("ok", -1, -1);
    {
        auto tx = db_->Begin(db::TxMode::kWrite);
        ASSERT_TRUE(tx.ok());
        auto job = EnqueueSync(*tx, 1, id, true, "manual", FormatTimestamp(kNow));
        ASSERT_TRUE(job.ok()) << job.status().message();
        // Asking again while it is queued reuses the job.
        auto again = EnqueueSync(*tx, 1, id, false, "schedule", FormatTimestamp(kNow));
        ASSERT_TRUE(again.ok());
        EXPECT_EQ(*again, *job);
        ASSERT_TRUE(tx->Commit().ok());
    }
    auto first = ClaimJob(*db_, "p1", kNow, 60'000);
    ASSERT_TRUE(first.ok() && first->has_value()) << first.status().message();
    EXPECT_TRUE((*first)->full);
    EXPECT_EQ((*first)->trigger, "manual");
    EXPECT_EQ((*first)->attempts, 1);
    // Leased: nobody else gets it.
    auto none = ClaimJob(*db_, "p2", kNow + 1000, 60'000);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    EXPECT_TRUE(ExtendLease(*db_, (*first)->id, "p1", kNow + 120'000).ok());
    none = ClaimJob(*db_, "p2", kNow + 90'000, 60'000);
    EXPECT_FALSE(none->has_value());
    // p1 died: after the lease, p2 takes it over; p1 can no longer finish it.
    auto taken = ClaimJob(*db_, "p2", kNow + 121'000, 60'000);
    ASSERT_TRUE(taken.ok() && taken->has_value());
    EXPECT_EQ((*taken)->id, (*first)->id);
    EXPECT_EQ((*taken)->attempts, 2);
    EXPECT_EQ(FinishJob(*db_, **first, "p1", true, "", kNow + 122'000).code(), Code::kNotFound);
    EXPECT_EQ(ExtendLease(*db_, (*first)->id, "p1", kNow + 200'000).code(), Code::kNotFound);
    // A sync asked for while it runs follows it.
    {
        auto tx = db_->Begin(db::TxMode::kWrite);
        auto again = EnqueueSync(*tx, 1, id, true, "manual", FormatTimestamp(kNow + 122'000));
        ASSERT_TRUE(again.ok());
        EXPECT_EQ(*again, (*first)->id);
        ASSERT_TRUE(tx->Commit().ok());
    }
    EXPECT_TRUE(FinishJob(*db_, **taken, "p2", true, "", kNow + 123'000).ok());
    EXPECT_EQ(Count("state = 'done'"), 1);
    EXPECT_EQ(Count("state = 'queued' AND payload LIKE '%\"trigger\":\"manual\"%'"), 1);
}

}  // namespace mortar::sync::testing
