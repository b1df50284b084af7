// SPDX-License-Identifier: AGPL-3.0-or-later
#include <cstdio>
#include <set>
#include <string>

#include "core/log.hpp"
#include "db/internal/impl.hpp"
#include "db/internal/migrations.hpp"

namespace mortar::db::internal {
namespace {

constexpr DialectQuery kCreateSchemaMigrations{
    "schema_migrations.create",
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL) STRICT"};
constexpr Query kListApplied{"schema_migrations.list", "SELECT version FROM schema_migrations ORDER BY version"};
constexpr Query kIsApplied{"schema_migrations.exists", "SELECT 1 FROM schema_migrations WHERE version = $1"};
constexpr Query kRecordApplied{
    "schema_migrations.insert", "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"};

std::string Label(const Migration& m) {
    char version[16];
    std::snprintf(version, sizeof version, "%04d", m.version);
    return std::string(version) + "_" + std::string(m.name);
}

Status WithContext(const Status& status, const std::string& context) {
    return Status(status.code(), context + ": " + status.message());
}

// Begins a write transaction and takes the migration lock in it.
Result<Tx> BeginLocked(Database& db, std::string_view lock_sql) {
    Result<Tx> tx = db.Begin(TxMode::kWrite);
    if (!tx.ok() || lock_sql.empty()) return tx;
    Result<Stmt> lock = tx->Prepare(Query{"schema_migrations.lock", lock_sql});
    if (!lock.ok()) return lock.status();
    Result<int64_t> locked = lock->Execute();
    if (!locked.ok()) return locked.status();
    return tx;
}

// Applies one migration unless another process did so meanwhile. Returns whether it ran.
Result<bool> ApplyOne(Database& db, const Migration& m, std::string_view lock_sql) {
    Result<Tx> tx = BeginLocked(db, lock_sql);
    if (!tx.ok()) return tx.status();
    {
        Result<Stmt> exists = tx->Prepare(kIsApplied);
        if (!exists.ok()) return exists.status();
        exists->Bind(1, int64_t{m.version});
        Result<bool> row = exists->Step();
        if (!row.ok()) return row.status();
        if (*row) return false;  // rolls back the empty transaction
    }
    MORTAR_RETURN_IF_ERROR(tx->ExecScript(m.sql));
    Result<Stmt> record = tx->Prepare(kRecordApplied);
    if (!record.ok()) return record.status();
    std::string now = NowIso8601();
    record->Bind(1, int64_t{m.version}).Bind(2, m.name).Bind(3, std::string_view(now));
    Result<int64_t> inserted = record->Execute();
    if (!inserted.ok()) return inserted.status();
    MORTAR_RETURN_IF_ERROR(tx->Commit());
    return true;
}

}  // namespace

Result<int> RunMigrations(Database& db, std::span<const Migration> migrations, std::string_view lock_sql) {
    {
        Result<Tx> tx = BeginLocked(db, lock_sql);
        if (!tx.ok()) return WithContext(tx.status(), "migrate");
        Status created = tx->ExecScript(
            db.dialect() == Dialect::kPostgres ? kCreateSchemaMigrations.postgres : kCreateSchemaMigrations.sqlite
        );
        if (!created.ok()) return WithContext(created, "migrate: schema_migrations");
        MORTAR_RETURN_IF_ERROR(tx->Commit());
    }

    std::set<int64_t> applied;
    {
        Result<Tx> tx = db.Begin(TxMode::kRead);
        if (!tx.ok()) return WithContext(tx.status(), "migrate");
        Result<Stmt> list = tx->Prepare(kListApplied);
        if (!list.ok()) return list.status();
        while (true) {
            Result<bool> row = list->Step();
            if (!row.ok()) return WithContext(row.status(), "migrate");
            if (!*row) break;
            applied.insert(list->row().GetInt(0));
        }
    }
    if (!applied.empty() && !migrations.empty() && *applied.rbegin() > migrations.back().version) {
        log::warn(
            "the database has schema version {}, newer than this build's {}",
            *applied.rbegin(),
            migrations.back().version
        );
    }

    int count = 0;
    for (const Migration& m : migrations) {
        if (applied.contains(m.version)) continue;
        Result<bool> ran = ApplyOne(db, m, lock_sql);
        if (!ran.ok()) return WithContext(ran.status(), "migration " + Label(m));
        if (*ran) {
            log::info("applied migration {}", Label(m));
            ++count;
        }
    }
    return count;
}

}  // namespace mortar::db::internal
