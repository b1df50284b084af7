// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

// The integration tables' constraints (migration 0020) behave the same on both stores:
// links unique on both sides, states checked, one live job per dedupe key, and rows
// following their integration on delete. Instantiated by schema_test.cpp (SQLite) and
// schema_pgtest.cpp (PostgreSQL).

#include <gtest/gtest.h>

#include "db/database.hpp"
#include "db/internal/test_support.hpp"

namespace mortar::sync::testing {

class IntegrationSchemaTest : public ::testing::TestWithParam<db::Dialect> {
protected:
    void SetUp() override {
        std::string why;
        env_ = db::testing::TestDatabase::Create(GetParam(), &why);
        if (env_ == nullptr) GTEST_SKIP() << why;
        auto opened = env_->Open();
        ASSERT_TRUE(opened.ok()) << opened.status().message();
        db_ = std::move(*opened);
        auto migrated = db_->Migrate();
        ASSERT_TRUE(migrated.ok()) << migrated.status().message();
    }

    // Runs one statement in its own write transaction and returns its status.
    Status Run(std::string_view name, std::string_view sql, std::vector<db::Param> params = {}) {
        auto tx = db_->Begin(db::TxMode::kWrite);
        if (!tx.ok()) return tx.status();
        auto stmt = tx->Prepare(db::Query{name, sql});
        if (!stmt.ok()) return stmt.status();
        stmt->BindAll(params);
        auto n = stmt->Execute();
        if (!n.ok()) return n.status();
        return tx->Commit();
    }

    int64_t Count(std::string_view table) {
        auto tx = db_->Begin(db::TxMode::kRead);
        EXPECT_TRUE(tx.ok());
        const std::string sql = "SELECT count(*) FROM " + std::string(table);
        auto stmt = tx->PrepareDynamic(sql);
        EXPECT_TRUE(stmt.ok());
        auto step = stmt->Step();
        EXPECT_TRUE(step.ok() && *step);
        return stmt->row().GetInt(0);
    }

    std::unique_ptr<db::testing::TestDatabase> env_;
    std::unique_ptr<db::Database> db_;
};

constexpr std::string_view kNow = "2026-01-01T00:00:00.000Z";

TEST_P(IntegrationSchemaTest, LinksRunsAndJobsKeepTheirInvariants) {
    ASSERT_TRUE(
        Run("t.account", "INSERT INTO accounts (id, name, created_at, updated_at) VALUES (1, 'a', $1, $1)", {kNow}).ok()
    );
    ASSERT_TRUE(Run("t.integration",
                    "INSERT INTO integrations (id, account_id, kind, name, created_at, updated_at) "
                    "VALUES (1, 1, 'halopsa', 'Halo', $1, $1)",
                    {kNow})
                    .ok());
    EXPECT_EQ(
        Run("t.bad_kind",
            "INSERT INTO integrations (account_id, kind, name, created_at, updated_at) "
            "VALUES (1, 'quickbooks', 'Q', $1, $1)",
            {kNow})
            .code(),
        Code::kUnprocessable
    );
    constexpr std::string_view kLink =
        "INSERT INTO sync_links (account_id, integration_id, external_type, external_id, local_type, local_id, state, "
        "payload_hash, created_at, updated_at) VALUES (1, 1, 'configuration', $1, 'configurations', $2, $3, 'h', $4, "
        "$4)";
    EXPECT_TRUE(Run("t.link", kLink, {std::string_view("100"), int64_t{7}, std::string_view("syncing"), kNow}).ok());
    EXPECT_TRUE(Run("t.link", kLink, {std::string_view("101"), int64_t{8}, std::string_view("orphaned"), kNow}).ok());
    // One link per external record and one per local record.
    EXPECT_EQ(
        Run("t.link", kLink, {std::string_view("100"), int64_t{9}, std::string_view("syncing"), kNow}).code(),
        Code::kConflict
    );
    EXPECT_EQ(
        Run("t.link", kLink, {std::string_view("102"), int64_t{7}, std::string_view("syncing"), kNow}).code(),
        Code::kConflict
    );
    EXPECT_EQ(
        Run("t.link", kLink, {std::string_view("103"), int64_t{10}, std::string_view("paused"), kNow}).code(),
        Code::kUnprocessable
    );

    ASSERT_TRUE(Run("t.run",
                    "INSERT INTO sync_runs (id, account_id, integration_id, mode, triggered_by, started_at) "
                    "VALUES (1, 1, 1, 'full', 'manual', $1)",
                    {kNow})
                    .ok());
    ASSERT_TRUE(Run("t.run_error",
                    "INSERT INTO sync_run_errors (account_id, sync_run_id, external_type, external_id, message, "
                    "created_at) VALUES (1, 1, 'configuration', '101', 'site missing', $1)",
                    {kNow})
                    .ok());

    constexpr std::string_view kJob =
        "INSERT INTO jobs (account_id, kind, dedupe_key, status, run_at, created_at, updated_at) "
        "VALUES (1, 'sync', 'sync:1', $1, $2, $2, $2)";
    EXPECT_TRUE(Run("t.job", kJob, {std::string_view("queued"), kNow}).ok());
    EXPECT_EQ(Run("t.job", kJob, {std::string_view("queued"), kNow}).code(), Code::kConflict);
    EXPECT_TRUE(Run("t.job_done", "UPDATE jobs SET status = 'done' WHERE dedupe_key = 'sync:1'").ok());
    EXPECT_TRUE(Run("t.job", kJob, {std::string_view("running"), kNow}).ok());  // a done job does not block
    EXPECT_EQ(Count("jobs"), 2);

    // Links, runs, their errors and watermarks go with their integration.
    ASSERT_TRUE(Run("t.watermark",
                    "INSERT INTO sync_watermarks (account_id, integration_id, entity, watermark, updated_at) "
                    "VALUES (1, 1, 'configuration', $1, $1)",
                    {kNow})
                    .ok());
    ASSERT_TRUE(Run("t.delete", "DELETE FROM integrations WHERE id = 1").ok());
    EXPECT_EQ(Count("sync_links"), 0);
    EXPECT_EQ(Count("sync_runs"), 0);
    EXPECT_EQ(Count("sync_run_errors"), 0);
    EXPECT_EQ(Count("sync_watermarks"), 0);
}

}  // namespace mortar::sync::testing
