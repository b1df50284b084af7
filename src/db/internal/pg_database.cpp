// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/internal/pg_database.hpp"

#include <chrono>
#include <string>

#include <libpq-fe.h>

#include "db/internal/migrations.hpp"
#include "db/internal/pg_connection.hpp"
#include "db/internal/pg_tx.hpp"

namespace mortar::db::internal {
namespace {

// Serialises Migrate() across processes sharing the database ("MORT").
constexpr std::string_view kMigrationLock = "SELECT pg_advisory_xact_lock(1297044052)";

// PostgreSQL: transactions over a pool of connections. An idle connection that libpq
// reports broken is replaced; a connection that fails while beginning is replaced once.
// Thread safety: thread-safe.
class PgDatabase final : public Database {
public:
    PgDatabase(Config config, std::shared_ptr<PgPool> pool) : config_(std::move(config)), pool_(std::move(pool)) {}

    Dialect dialect() const override { return Dialect::kPostgres; }

    Result<Tx> Begin(TxMode mode) override {
        const auto deadline = std::chrono::steady_clock::now() + config_.acquire_timeout;
        const char* begin = mode == TxMode::kWrite ? "BEGIN" : "BEGIN READ ONLY";
        int retries = 1;
        // Each pass either returns or drops one connection, so the loop ends.
        for (int pass = 0; pass <= pool_->capacity() + 1; ++pass) {
            Result<PgPool::Lease> lease = pool_->Acquire(deadline);
            if (!lease.ok()) return lease.status();
            if (!(*lease)->Healthy()) {
                lease->MarkBroken();
                continue;
            }
            if (mode == TxMode::kSingleRead) {
                auto session = std::make_shared<PgSession>(std::move(lease).value());
                session->autocommit = true;
                return MakePgTx(std::move(session));
            }
            ErrorKind kind = ErrorKind::kNone;
            Status status = PgExec((*lease)->conn(), begin, "begin transaction", &kind);
            if (status.ok()) return MakePgTx(std::make_shared<PgSession>(std::move(lease).value()));
            if (kind != ErrorKind::kConnection) return status;
            lease->MarkBroken();
            if (retries-- == 0) return status;
        }
        return Status::Unavailable("begin transaction: no working PostgreSQL connection");
    }

    Result<int> Migrate() override {
        return RunMigrations(*this, EmbeddedMigrations(Dialect::kPostgres), kMigrationLock);
    }

    Status Ping() override {
        Result<PgPool::Lease> lease = pool_->Acquire(std::chrono::steady_clock::now() + config_.acquire_timeout);
        if (!lease.ok()) return lease.status();
        ErrorKind kind = ErrorKind::kNone;
        Status status = PgExec((*lease)->conn(), "SELECT 1", "ping", &kind);
        if (kind == ErrorKind::kConnection) lease->MarkBroken();
        return status;
    }

private:
    const Config config_;
    const std::shared_ptr<PgPool> pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgresDatabase(const Config& config) {
    // libpq's parse errors can quote parts of the string, which may hold a password.
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(config.url.c_str(), &error);
    PQfreemem(error);
    if (options == nullptr) return Status::InvalidArgument("invalid PostgreSQL connection string");
    PQconninfoFree(options);

    const std::string conninfo = config.url;
    Result<std::unique_ptr<PgConnection>> first = PgConnection::Connect(conninfo);
    if (!first.ok()) return first.status();
    auto pool = PgPool::Create(config.pool_size, [conninfo] { return PgConnection::Connect(conninfo); });
    pool->Adopt(std::move(first).value());
    return std::unique_ptr<Database>(std::make_unique<PgDatabase>(config, std::move(pool)));
}

}  // namespace mortar::db::internal
