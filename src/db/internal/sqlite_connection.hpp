// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.hpp"
#include "db/database.hpp"
#include "db/internal/impl.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace mortar::db::internal {

// Maps a failed sqlite3 call to a Status and ErrorKind from the extended result code
// (see database.hpp). The message is "<context>: <sqlite message>"; SQLite's messages
// name tables, columns and constraints but never bound values.
Status SqliteError(sqlite3* db, int rc, std::string_view context, ErrorKind* kind);

// A statement in a connection's cache. `in_use` is set while a Stmt holds it.
struct SqliteCachedStmt {
    sqlite3_stmt* stmt = nullptr;
    std::string name;
    bool in_use = false;
    bool dynamic = false;
};

// One sqlite3 connection with its statement cache (keyed by the SQL text as written,
// before the placeholder rewrite, so a cache hit costs one hash and no allocation).
// Thread safety: confined to one thread at a time (the pool hands it out exclusively).
class SqliteConnection {
public:
    enum class Role {
        kWriter,  // creates the file and switches it to WAL
        kReader,  // query_only
        kShared,  // the single connection of an in-memory database
    };

    // Opens `path` (a file path, ":memory:" or a "file:" URI) and applies the connection
    // pragmas. Returns kUnavailable when the file cannot be opened or configured.
    static Result<std::unique_ptr<SqliteConnection>> Open(
        const std::string& path, Role role, std::chrono::milliseconds busy_timeout
    );
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;
    ~SqliteConnection();

    sqlite3* db() const { return db_; }

    // A prepared statement for a Stmt. When `cached` is null the caller owns `stmt` and
    // finalizes it (the cached one was busy in another Stmt of the same Tx).
    struct Prepared {
        sqlite3_stmt* stmt = nullptr;
        SqliteCachedStmt* cached = nullptr;
    };
    // Returns the cached statement for `sql` or prepares it (rewriting $n to ?n). Returns
    // kInternal for SQL that SQLite rejects, with `kind` set.
    Result<Prepared> Prepare(std::string_view name, std::string_view sql, bool dynamic, ErrorKind* kind);

    // BEGIN (kRead) or BEGIN IMMEDIATE (kWrite), COMMIT and ROLLBACK from statements
    // prepared once per connection. Rollback() returns false when the connection is left
    // in an unknown state and should be closed.
    Status Begin(TxMode mode, ErrorKind* kind);
    Status Commit(ErrorKind* kind);
    bool Rollback();

    // Resets every statement that is part way through its rows, as COMMIT and ROLLBACK
    // require.
    void ResetBusyStatements();

    // Bounds the cache: drops the statements prepared by PrepareDynamic() once there are
    // too many. Call only while no Stmt holds a statement.
    void TrimCache();

private:
    explicit SqliteConnection(sqlite3* db) : db_(db) {}
    Status PrepareControl(const char* sql, sqlite3_stmt** out);
    Status RunControl(sqlite3_stmt* stmt, std::string_view context, ErrorKind* kind);

    sqlite3* const db_;
    sqlite3_stmt* begin_read_ = nullptr;
    sqlite3_stmt* begin_write_ = nullptr;
    sqlite3_stmt* commit_ = nullptr;
    sqlite3_stmt* rollback_ = nullptr;
    std::unordered_map<std::string, SqliteCachedStmt, StringHash, std::equal_to<>> cache_;
    int dynamic_count_ = 0;
};

}  // namespace mortar::db::internal
