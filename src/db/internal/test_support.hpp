// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <system_error>

#include <unistd.h>

#include "db/database.hpp"

// Test helpers for the store's tests: a throw-away database per test on either engine.
namespace mortar::db::testing {

// The PostgreSQL the pg tests use (MORTAR_TEST_PG_DSN, as scripts/with-postgres.sh sets
// it), or nothing when unset.
inline std::optional<std::string> PgDsn() {
    const char* dsn = std::getenv("MORTAR_TEST_PG_DSN");
    if (dsn == nullptr || *dsn == '\0') return std::nullopt;
    return std::string(dsn);
}

// A fresh, empty database for one test: a SQLite file in a new temporary directory, or
// a new schema in the PostgreSQL of MORTAR_TEST_PG_DSN (connections made through url()
// have it as their search_path). Both are removed on destruction.
// Thread safety: confined to one thread.
class TestDatabase {
public:
    // Returns null (with `why` set) when the database cannot be prepared.
    static std::unique_ptr<TestDatabase> Create(Dialect dialect, std::string* why) {
        std::unique_ptr<TestDatabase> t(new TestDatabase(dialect));
        static std::atomic<int> counter{0};
        std::random_device random;
        std::string unique =
            std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(random() % 1000000);
        if (dialect == Dialect::kSqlite) {
            std::error_code ec;
            t->dir_ = std::filesystem::temp_directory_path(ec) / ("mortar_db_test_" + unique);
            std::filesystem::create_directories(t->dir_, ec);
            if (ec) {
                *why = "cannot create " + t->dir_.string() + ": " + ec.message();
                return nullptr;
            }
            t->url_ = (t->dir_ / "test.db").string();
            return t;
        }
        std::optional<std::string> dsn = PgDsn();
        if (!dsn) {
            *why = "MORTAR_TEST_PG_DSN is not set";
            return nullptr;
        }
        t->base_dsn_ = *dsn;
        t->schema_ = "mortar_test_" + unique;
        Status created = t->RunAdmin("CREATE SCHEMA " + t->schema_);
        if (!created.ok()) {
            *why = created.message();
            t->schema_.clear();
            return nullptr;
        }
        t->url_ = WithSearchPath(*dsn, t->schema_);
        return t;
    }

    ~TestDatabase() {
        if (!schema_.empty()) {
            Status dropped = RunAdmin("DROP SCHEMA " + schema_ + " CASCADE");
            (void)dropped;  // best effort: the cluster is thrown away anyway
        }
        if (!dir_.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(dir_, ec);
        }
    }

    Dialect dialect() const { return dialect_; }
    const std::string& url() const { return url_; }

    // Opens the test database with `config` (its url is replaced).
    Result<std::unique_ptr<Database>> Open(Config config = {}) const {
        config.url = url_;
        return Database::Open(config);
    }

private:
    explicit TestDatabase(Dialect dialect) : dialect_(dialect) {}

    static std::string WithSearchPath(const std::string& dsn, const std::string& schema) {
        if (dsn.starts_with("postgres://") || dsn.starts_with("postgresql://")) {
            return dsn + (dsn.find('?') == std::string::npos ? "?" : "&") + "options=-c%20search_path%3D" + schema;
        }
        return dsn + " options='-c search_path=" + schema + "'";
    }

    Status RunAdmin(const std::string& sql) const {
        Config config;
        config.url = base_dsn_;
        config.pool_size = 1;
        Result<std::unique_ptr<Database>> db = Database::Open(config);
        if (!db.ok()) return db.status();
        Result<Tx> tx = (*db)->Begin(TxMode::kWrite);
        if (!tx.ok()) return tx.status();
        MORTAR_RETURN_IF_ERROR(tx->ExecScript(sql));
        return tx->Commit();
    }

    const Dialect dialect_;
    std::filesystem::path dir_;
    std::string base_dsn_;
    std::string schema_;
    std::string url_;
};

}  // namespace mortar::db::testing
