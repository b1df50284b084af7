// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/internal/sqlite_database.hpp"

#include <chrono>
#include <string>

#include <sqlite3.h>

#include "db/internal/migrations.hpp"
#include "db/internal/sqlite_connection.hpp"
#include "db/internal/sqlite_tx.hpp"

namespace mortar::db::internal {
namespace {

bool IsInMemory(std::string_view url) {
    if (url == ":memory:" || url.starts_with("file::memory:")) return true;
    return url.starts_with("file:") && url.find("mode=memory") != std::string_view::npos;
}

// SQLite: writes go through the one writer connection (in-process writers queue on the
// pool, other processes on busy_timeout); reads go to a pool of query_only readers, which
// WAL lets run next to the writer.
// Thread safety: thread-safe.
class SqliteDatabase final : public Database {
public:
    SqliteDatabase(Config config, std::shared_ptr<SqlitePool> writer, std::shared_ptr<SqlitePool> readers)
        : config_(std::move(config)), writer_(std::move(writer)), readers_(std::move(readers)) {}

    Dialect dialect() const override { return Dialect::kSqlite; }

    Result<Tx> Begin(TxMode mode) override {
        SqlitePool& pool = mode == TxMode::kWrite ? *writer_ : *readers_;
        Result<SqlitePool::Lease> lease = pool.Acquire(std::chrono::steady_clock::now() + config_.acquire_timeout);
        if (!lease.ok()) return lease.status();
        ErrorKind kind = ErrorKind::kNone;
        Status status = (*lease)->Begin(mode, &kind);
        if (!status.ok()) return status;
        return MakeSqliteTx(std::make_shared<SqliteSession>(std::move(lease).value()));
    }

    Result<int> Migrate() override { return RunMigrations(*this, EmbeddedMigrations(Dialect::kSqlite), {}); }

    Status Ping() override {
        Result<SqlitePool::Lease> lease = readers_->Acquire(std::chrono::steady_clock::now() + config_.acquire_timeout);
        if (!lease.ok()) return lease.status();
        sqlite3* db = (*lease)->db();
        int rc = sqlite3_exec(db, "SELECT 1", nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) return SqliteError(db, rc, "ping", nullptr);
        return Status::Ok();
    }

private:
    const Config config_;
    const std::shared_ptr<SqlitePool> writer_;
    const std::shared_ptr<SqlitePool> readers_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqliteDatabase(const Config& config) {
    const std::string path = config.url;
    const std::chrono::milliseconds busy_timeout = config.busy_timeout;
    const bool memory = IsInMemory(path);
    using Role = SqliteConnection::Role;

    Result<std::unique_ptr<SqliteConnection>> first =
        SqliteConnection::Open(path, memory ? Role::kShared : Role::kWriter, busy_timeout);
    if (!first.ok()) return first.status();

    auto writer = SqlitePool::Create(1, [path, busy_timeout, memory] {
        return SqliteConnection::Open(path, memory ? Role::kShared : Role::kWriter, busy_timeout);
    });
    writer->Adopt(std::move(first).value());
    std::shared_ptr<SqlitePool> readers = writer;
    if (!memory) {
        readers = SqlitePool::Create(config.pool_size, [path, busy_timeout] {
            return SqliteConnection::Open(path, Role::kReader, busy_timeout);
        });
    }
    return std::unique_ptr<Database>(std::make_unique<SqliteDatabase>(config, std::move(writer), std::move(readers)));
}

}  // namespace mortar::db::internal
