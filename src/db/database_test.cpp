// SPDX-License-Identifier: AGPL-3.0-or-later
// The store's shared behaviour on SQLite, plus what only SQLite does and the parts that
// need no database at all.
#include <atomic>
#include <filesystem>

#include "db/internal/store_conformance_tests.hpp"

namespace mortar::db {
namespace {

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreTest, ::testing::Values(Dialect::kSqlite));

TEST(IsPostgresUrl, RecognisesUrlsAndConninfo) {
    EXPECT_TRUE(IsPostgresUrl("postgresql://mortar@db.example/mortar"));
    EXPECT_TRUE(IsPostgresUrl("postgres://localhost/mortar"));
    EXPECT_TRUE(IsPostgresUrl("host=/tmp/pg dbname=mortar_test user=postgres"));
    EXPECT_TRUE(IsPostgresUrl("dbname=mortar"));
    EXPECT_TRUE(IsPostgresUrl("  user = mortar host=db"));
    EXPECT_FALSE(IsPostgresUrl(":memory:"));
    EXPECT_FALSE(IsPostgresUrl("/var/lib/mortar/mortar.db"));
    EXPECT_FALSE(IsPostgresUrl("data/host=weird.db"));
    EXPECT_FALSE(IsPostgresUrl("file:mortar.db?mode=rwc"));
    EXPECT_FALSE(IsPostgresUrl(""));
}

TEST(DatabaseOpen, RejectsBadConfig) {
    Config config;
    EXPECT_EQ(Database::Open(config).status().code(), Code::kInvalidArgument);
    config.url = ":memory:";
    config.pool_size = 0;
    EXPECT_EQ(Database::Open(config).status().code(), Code::kInvalidArgument);
    config.pool_size = 1;
    config.url = "postgresql://user:pa%ss@localhost/x";  // bad percent-encoding
    Result<std::unique_ptr<Database>> db = Database::Open(config);
    EXPECT_EQ(db.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(db.status().message().find("pa%ss"), std::string::npos);
}

TEST(DatabaseOpen, UnreachableServerIsUnavailable) {
    Config config;
    config.url = "host=/nonexistent-mortar-socket-dir dbname=x user=x";
    Result<std::unique_ptr<Database>> db = Database::Open(config);
    EXPECT_EQ(db.status().code(), Code::kUnavailable) << db.status().message();
}

TEST(DatabaseOpen, MissingDirectoryIsUnavailable) {
    Config config;
    config.url = "/nonexistent-mortar-dir/sub/mortar.db";
    EXPECT_EQ(Database::Open(config).status().code(), Code::kUnavailable);
}

class SqliteOnlyTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        env_ = testing::TestDatabase::Create(Dialect::kSqlite, &why);
        ASSERT_NE(env_, nullptr) << why;
    }
    std::unique_ptr<testing::TestDatabase> env_;
};

TEST_F(SqliteOnlyTest, InMemoryDatabaseSharesOneConnection) {
    Config config;
    config.url = ":memory:";
    config.acquire_timeout = std::chrono::milliseconds(50);
    Result<std::unique_ptr<Database>> opened = Database::Open(config);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    Database& db = **opened;
    Result<int> migrated = db.Migrate();
    ASSERT_TRUE(migrated.ok()) << migrated.status().message();
    EXPECT_GE(*migrated, 1);
    {
        Result<Tx> tx = db.Begin(TxMode::kWrite);
        ASSERT_TRUE(tx.ok());
        ASSERT_TRUE(tx->ExecScript("INSERT INTO accounts (name, created_at, updated_at) VALUES ('a', 'x', 'x')").ok());
        // The one connection is busy: a reader waits, then gives up.
        EXPECT_EQ(db.Begin(TxMode::kRead).status().code(), Code::kUnavailable);
        ASSERT_TRUE(tx->Commit().ok());
    }
    Result<Tx> tx = db.Begin(TxMode::kRead);
    ASSERT_TRUE(tx.ok());
    Result<Stmt> count = tx->Prepare(Query{"test.count", "SELECT count(*) FROM accounts"});
    ASSERT_TRUE(count.ok() && *count->Step());
    EXPECT_EQ(count->row().GetInt(0), 1);
}

TEST_F(SqliteOnlyTest, FileIsInWalModeAndReadersAreQueryOnly) {
    Result<std::unique_ptr<Database>> opened = env_->Open();
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    Database& db = **opened;
    Result<Tx> tx = db.Begin(TxMode::kRead);
    ASSERT_TRUE(tx.ok());
    Result<Stmt> mode = tx->Prepare(Query{"test.mode", "PRAGMA journal_mode"});
    ASSERT_TRUE(mode.ok() && *mode->Step());
    EXPECT_EQ(mode->row().GetText(0), "wal");
    Result<Stmt> fk = tx->Prepare(Query{"test.fk", "PRAGMA foreign_keys"});
    ASSERT_TRUE(fk.ok() && *fk->Step());
    EXPECT_TRUE(fk->row().GetBool(0));
    Status write = tx->ExecScript("CREATE TABLE nope (id INTEGER)");
    EXPECT_EQ(write.code(), Code::kInternal) << write.message();
    EXPECT_TRUE(std::filesystem::exists(env_->url() + "-wal"));
}

TEST_F(SqliteOnlyTest, WritersSerialiseAcrossThreads) {
    // Read-modify-write without any SQL-level locking: correct only if write
    // transactions really run one at a time, and none may fail with SQLITE_BUSY.
    Result<std::unique_ptr<Database>> opened = env_->Open();
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    Database& db = **opened;
    {
        Result<Tx> tx = db.Begin(TxMode::kWrite);
        ASSERT_TRUE(tx.ok());
        ASSERT_TRUE(tx->ExecScript("CREATE TABLE c (id INTEGER PRIMARY KEY, n INTEGER NOT NULL) STRICT;"
                                   "INSERT INTO c VALUES (1, 0)")
                        .ok());
        ASSERT_TRUE(tx->Commit().ok());
    }
    constexpr int kThreads = 8;
    constexpr int kIncrements = 50;
    std::atomic<int> failures{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            while (!go.load()) std::this_thread::yield();
            for (int i = 0; i < kIncrements; ++i) {
                Result<Tx> tx = db.Begin(TxMode::kWrite);
                if (!tx.ok()) {
                    ++failures;
                    continue;
                }
                Result<Stmt> get = tx->Prepare(Query{"test.get", "SELECT n FROM c WHERE id = 1"});
                if (!get.ok() || !get->Step().ok()) {
                    ++failures;
                    continue;
                }
                int64_t n = get->row().GetInt(0);
                Result<Stmt> set = tx->Prepare(Query{"test.set", "UPDATE c SET n = $1 WHERE id = 1"});
                if (!set.ok() || !set->Bind(1, n + 1).Execute().ok() || !tx->Commit().ok()) ++failures;
            }
        });
    }
    // Readers run next to the writers the whole time.
    std::atomic<bool> stop{false};
    std::atomic<int> reads{0};
    std::thread reader([&] {
        while (!stop.load()) {
            Result<Tx> tx = db.Begin(TxMode::kRead);
            if (!tx.ok()) {
                ++failures;
                continue;
            }
            Result<Stmt> get = tx->Prepare(Query{"test.get", "SELECT n FROM c WHERE id = 1"});
            if (!get.ok() || !get->Step().ok()) ++failures;
            ++reads;
        }
    });
    go = true;
    for (std::thread& t : threads) t.join();
    stop = true;
    reader.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_GT(reads.load(), 0);
    Result<Tx> tx = db.Begin(TxMode::kRead);
    ASSERT_TRUE(tx.ok());
    Result<Stmt> get = tx->Prepare(Query{"test.get", "SELECT n FROM c WHERE id = 1"});
    ASSERT_TRUE(get.ok() && *get->Step());
    EXPECT_EQ(get->row().GetInt(0), kThreads * kIncrements);
}

TEST_F(SqliteOnlyTest, TwoDatabasesOnOneFileShareTheWriterLock) {
    // Like two processes: the second writer waits on busy_timeout instead of failing.
    Result<std::unique_ptr<Database>> a = env_->Open();
    Result<std::unique_ptr<Database>> b = env_->Open();
    ASSERT_TRUE(a.ok() && b.ok());
    Result<Tx> first = (*a)->Begin(TxMode::kWrite);
    ASSERT_TRUE(first.ok());
    std::thread release([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        EXPECT_TRUE(first->Commit().ok());
    });
    Result<Tx> second = (*b)->Begin(TxMode::kWrite);
    release.join();
    EXPECT_TRUE(second.ok()) << second.status().message();
}

TEST_F(SqliteOnlyTest, BusyBeyondBusyTimeoutIsUnavailable) {
    Config config;
    config.busy_timeout = std::chrono::milliseconds(50);
    Result<std::unique_ptr<Database>> a = env_->Open(config);
    Result<std::unique_ptr<Database>> b = env_->Open(config);
    ASSERT_TRUE(a.ok() && b.ok());
    Result<Tx> first = (*a)->Begin(TxMode::kWrite);
    ASSERT_TRUE(first.ok());
    Result<Tx> second = (*b)->Begin(TxMode::kWrite);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.status().code(), Code::kUnavailable) << second.status().message();
}

}  // namespace
}  // namespace mortar::db
