// SPDX-License-Identifier: AGPL-3.0-or-later
// The store's shared behaviour on PostgreSQL (needs MORTAR_TEST_PG_DSN; see
// scripts/with-postgres.sh), plus what only PostgreSQL does.
#include "db/internal/store_conformance_tests.hpp"

namespace mortar::db {
namespace {

INSTANTIATE_TEST_SUITE_P(Postgres, StoreTest, ::testing::Values(Dialect::kPostgres));

class PostgresOnlyTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!testing::PgDsn()) GTEST_SKIP() << "MORTAR_TEST_PG_DSN is not set";
        std::string why;
        env_ = testing::TestDatabase::Create(Dialect::kPostgres, &why);
        ASSERT_NE(env_, nullptr) << why;
    }
    std::unique_ptr<testing::TestDatabase> env_;
};

TEST_F(PostgresOnlyTest, UrlFormsAreAccepted) {
    const std::string dsn = *testing::PgDsn();
    EXPECT_TRUE(IsPostgresUrl(dsn));
    Config config;
    config.url = dsn;
    Result<std::unique_ptr<Database>> db = Database::Open(config);
    ASSERT_TRUE(db.ok()) << db.status().message();
    EXPECT_EQ((*db)->dialect(), Dialect::kPostgres);
    EXPECT_TRUE((*db)->Ping().ok());
}

TEST_F(PostgresOnlyTest, ReadTransactionsAreReadOnly) {
    Result<std::unique_ptr<Database>> db = env_->Open();
    ASSERT_TRUE(db.ok()) << db.status().message();
    Result<Tx> tx = (*db)->Begin(TxMode::kRead);
    ASSERT_TRUE(tx.ok());
    Status status = tx->ExecScript("CREATE TABLE nope (id BIGINT)");
    EXPECT_EQ(status.code(), Code::kInternal);
    EXPECT_NE(status.message().find("read-only"), std::string::npos) << status.message();
}

TEST_F(PostgresOnlyTest, DataErrorsDoNotEchoValues) {
    Result<std::unique_ptr<Database>> db = env_->Open();
    ASSERT_TRUE(db.ok()) << db.status().message();
    Result<Tx> tx = (*db)->Begin(TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(tx->ExecScript("CREATE TABLE nums (n BIGINT)").ok());
    Result<Stmt> insert = tx->Prepare(Query{"test.nums", "INSERT INTO nums (n) VALUES ($1)"});
    ASSERT_TRUE(insert.ok());
    insert->Bind(1, std::string_view("hunter2-secret"));
    Result<int64_t> n = insert->Execute();
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.status().code(), Code::kInternal);
    EXPECT_NE(n.status().message().find("22P02"), std::string::npos) << n.status().message();
    EXPECT_EQ(n.status().message().find("hunter2"), std::string::npos) << n.status().message();
}

TEST_F(PostgresOnlyTest, BrokenConnectionIsReplaced) {
    Config config;
    config.pool_size = 1;
    Result<std::unique_ptr<Database>> opened = env_->Open(config);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    Database& db = **opened;
    int64_t pid = 0;
    {
        Result<Tx> tx = db.Begin(TxMode::kRead);
        ASSERT_TRUE(tx.ok());
        Result<Stmt> stmt = tx->Prepare(Query{"test.pid", "SELECT pg_backend_pid()"});
        ASSERT_TRUE(stmt.ok() && *stmt->Step());
        pid = stmt->row().GetInt(0);
    }
    {
        // Kill the pooled connection's backend from a second connection.
        Result<std::unique_ptr<Database>> admin = env_->Open(config);
        ASSERT_TRUE(admin.ok());
        Result<Tx> tx = (*admin)->Begin(TxMode::kWrite);
        ASSERT_TRUE(tx.ok());
        Result<Stmt> kill = tx->Prepare(Query{"test.kill", "SELECT pg_terminate_backend($1::int)"});
        ASSERT_TRUE(kill.ok());
        kill->Bind(1, pid);
        ASSERT_TRUE(*kill->Step());
        EXPECT_TRUE(kill->row().GetBool(0));
        ASSERT_TRUE(tx->Commit().ok());
    }
    // The idle connection looks fine to libpq until used: Begin() notices and reconnects.
    Result<Tx> tx = db.Begin(TxMode::kRead);
    ASSERT_TRUE(tx.ok()) << tx.status().message();
    Result<Stmt> stmt = tx->Prepare(Query{"test.pid", "SELECT pg_backend_pid()"});
    ASSERT_TRUE(stmt.ok()) << stmt.status().message();
    ASSERT_TRUE(*stmt->Step());
    EXPECT_NE(stmt->row().GetInt(0), pid);
}

TEST_F(PostgresOnlyTest, ConcurrentMigrateAppliesOnce) {
    std::vector<std::unique_ptr<Database>> dbs;
    for (int idx = 0; idx < 4; ++idx) {
        Result<std::unique_ptr<Database>> db = env_->Open();
        ASSERT_TRUE(db.ok());
        dbs.push_back(std::move(db).value());
    }
    std::vector<std::thread> threads;
    std::vector<Result<int>> results(dbs.size(), Result<int>(0));
    for (size_t idx = 0; idx < dbs.size(); ++idx) {
        threads.emplace_back([&, idx] { results[idx] = dbs[idx]->Migrate(); });
    }
    for (std::thread& t : threads) t.join();
    int total = 0;
    for (const Result<int>& r : results) {
        ASSERT_TRUE(r.ok()) << r.status().message();
        total += *r;
    }
    Result<int> again = dbs[0]->Migrate();
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, 0);
    EXPECT_GE(total, 1);
    Result<Tx> tx = dbs[0]->Begin(TxMode::kRead);
    ASSERT_TRUE(tx.ok());
    Result<Stmt> count = tx->Prepare(Query{"test.count_migrations", "SELECT count(*) FROM schema_migrations"});
    ASSERT_TRUE(count.ok() && *count->Step());
    EXPECT_EQ(count->row().GetInt(0), total);
}

}  // namespace
}  // namespace mortar::db
