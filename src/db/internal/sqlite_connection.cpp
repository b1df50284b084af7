// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/internal/sqlite_connection.hpp"

#include <cctype>

#include <sqlite3.h>

#include "core/log.hpp"
#include "db/internal/placeholder_rewrite.hpp"

namespace mortar::db::internal {
namespace {

// Statements from PrepareDynamic() kept per connection before TrimCache() drops them.
constexpr int kMaxDynamicStatements = 256;

ErrorKind KindFromExtendedCode(int ext) {
    switch (ext) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
            return ErrorKind::kUniqueViolation;
        case SQLITE_CONSTRAINT_FOREIGNKEY:
            return ErrorKind::kForeignKeyViolation;
        case SQLITE_CONSTRAINT_NOTNULL:
            return ErrorKind::kNotNullViolation;
        case SQLITE_CONSTRAINT_CHECK:
            return ErrorKind::kCheckViolation;
        default:
            break;
    }
    switch (ext & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return ErrorKind::kBusy;
        default:
            return ErrorKind::kOther;
    }
}

bool OnlyWhitespace(const char* text) {
    for (; text != nullptr && *text != '\0'; ++text) {
        if (!std::isspace(static_cast<unsigned char>(*text)) && *text != ';') return false;
    }
    return true;
}

}  // namespace

Status SqliteError(sqlite3* db, int rc, std::string_view context, ErrorKind* kind) {
    int ext = db != nullptr ? sqlite3_extended_errcode(db) : rc;
    if ((ext & 0xff) != (rc & 0xff)) ext = rc;
    ErrorKind k = KindFromExtendedCode(ext);
    if (kind != nullptr) *kind = k;
    std::string message(context);
    message += ": ";
    message += db != nullptr && (ext & 0xff) == (sqlite3_errcode(db) & 0xff) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return Status(CodeForKind(k), std::move(message));
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(
    const std::string& path, Role role, std::chrono::milliseconds busy_timeout
) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE;
    if (role != Role::kReader) flags |= SQLITE_OPEN_CREATE;
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string why = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close_v2(db);
        return Status::Unavailable("cannot open SQLite database " + path + ": " + why);
    }
    std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));

    std::string pragmas = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
    if (role == Role::kReader) pragmas += " PRAGMA query_only = ON;";
    // The writer keeps up to 64 MiB of pages (SQLite's default is 2 MiB): bulk writes
    // such as a sync's batches touch several indexes per row, and every page missed is a
    // read from the file. It checkpoints the WAL after 16,384 pages (64 MiB) rather than
    // 1,000: a page written by many transactions is copied back (and synced) once, which
    // halved the wall time of a 256,000-record sync on a virtual disk.
    if (role != Role::kReader) pragmas += " PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384;";
    char* err = nullptr;
    rc = sqlite3_exec(db, pragmas.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string why = err != nullptr ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        return Status::Unavailable("cannot configure SQLite database " + path + ": " + why);
    }
    if (role == Role::kWriter) {
        // journal_mode answers with the mode now in effect; WAL is persistent in the file.
        sqlite3_stmt* stmt = nullptr;
        rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &stmt, nullptr);
        std::string mode;
        if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            const unsigned char* text = sqlite3_column_text(stmt, 0);
            mode = text != nullptr ? reinterpret_cast<const char*>(text) : "";
            rc = SQLITE_OK;
        }
        sqlite3_finalize(stmt);
        if (rc != SQLITE_OK) {
            return Status::Unavailable("cannot switch SQLite database " + path + " to WAL: " + sqlite3_errmsg(db));
        }
        if (mode != "wal") log::warn("SQLite database {} runs in journal mode {}, not WAL", path, mode);
    }
    MORTAR_RETURN_IF_ERROR(conn->PrepareControl("BEGIN", &conn->begin_read_));
    MORTAR_RETURN_IF_ERROR(conn->PrepareControl("BEGIN IMMEDIATE", &conn->begin_write_));
    MORTAR_RETURN_IF_ERROR(conn->PrepareControl("COMMIT", &conn->commit_));
    MORTAR_RETURN_IF_ERROR(conn->PrepareControl("ROLLBACK", &conn->rollback_));
    return conn;
}

SqliteConnection::~SqliteConnection() {
    for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt);
    sqlite3_finalize(begin_read_);
    sqlite3_finalize(begin_write_);
    sqlite3_finalize(commit_);
    sqlite3_finalize(rollback_);
    sqlite3_close_v2(db_);
}

Status SqliteConnection::PrepareControl(const char* sql, sqlite3_stmt** out) {
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, out, nullptr);
    if (rc != SQLITE_OK) return Status::Unavailable(std::string("cannot prepare ") + sql + ": " + sqlite3_errmsg(db_));
    return Status::Ok();
}

Result<SqliteConnection::Prepared> SqliteConnection::Prepare(
    std::string_view name, std::string_view sql, bool dynamic, ErrorKind* kind
) {
    auto it = cache_.find(sql);
    if (it != cache_.end() && !it->second.in_use) {
        it->second.in_use = true;
        return Prepared{it->second.stmt, &it->second};
    }
    std::string rewritten = RewriteDollarPlaceholders(sql);
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    unsigned int flags = it == cache_.end() ? SQLITE_PREPARE_PERSISTENT : 0;
    int rc = sqlite3_prepare_v3(db_, rewritten.c_str(), static_cast<int>(rewritten.size()) + 1, flags, &stmt, &tail);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, name, kind);
    if (stmt == nullptr) {
        if (kind != nullptr) *kind = ErrorKind::kOther;
        return Status::Internal(std::string(name) + ": empty statement");
    }
    if (!OnlyWhitespace(tail)) {
        sqlite3_finalize(stmt);
        if (kind != nullptr) *kind = ErrorKind::kOther;
        return Status::Internal(std::string(name) + ": more than one statement (use ExecScript)");
    }
    if (it != cache_.end()) return Prepared{stmt, nullptr};  // the cached one is busy

    auto [pos, inserted] = cache_.try_emplace(std::string(sql));
    SqliteCachedStmt& entry = pos->second;
    entry.stmt = stmt;
    entry.name = dynamic ? "dynamic query" : std::string(name);
    entry.dynamic = dynamic;
    entry.in_use = true;
    if (dynamic) ++dynamic_count_;
    return Prepared{stmt, &entry};
}

Status SqliteConnection::RunControl(sqlite3_stmt* stmt, std::string_view context, ErrorKind* kind) {
    int rc = sqlite3_step(stmt);
    Status status = rc == SQLITE_DONE ? Status::Ok() : SqliteError(db_, rc, context, kind);
    sqlite3_reset(stmt);
    return status;
}

Status SqliteConnection::Begin(TxMode mode, ErrorKind* kind) {
    return RunControl(mode == TxMode::kWrite ? begin_write_ : begin_read_, "begin transaction", kind);
}

Status SqliteConnection::Commit(ErrorKind* kind) {
    ResetBusyStatements();
    return RunControl(commit_, "commit", kind);
}

bool SqliteConnection::Rollback() {
    ResetBusyStatements();
    if (sqlite3_get_autocommit(db_) != 0) return true;  // SQLite already rolled back
    ErrorKind kind = ErrorKind::kNone;
    Status status = RunControl(rollback_, "rollback", &kind);
    if (!status.ok()) log::error("SQLite {}", status.message());
    return status.ok() && sqlite3_get_autocommit(db_) != 0;
}

void SqliteConnection::ResetBusyStatements() {
    for (sqlite3_stmt* stmt = sqlite3_next_stmt(db_, nullptr); stmt != nullptr; stmt = sqlite3_next_stmt(db_, stmt)) {
        if (sqlite3_stmt_busy(stmt)) sqlite3_reset(stmt);
    }
}

void SqliteConnection::TrimCache() {
    if (dynamic_count_ <= kMaxDynamicStatements) return;
    for (auto it = cache_.begin(); it != cache_.end();) {
        if (it->second.dynamic && !it->second.in_use) {
            sqlite3_finalize(it->second.stmt);
            it = cache_.erase(it);
            --dynamic_count_;
        } else {
            ++it;
        }
    }
}

}  // namespace mortar::db::internal
