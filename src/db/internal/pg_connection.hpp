// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.hpp"
#include "db/database.hpp"
#include "db/internal/impl.hpp"

struct pg_conn;
struct pg_result;

namespace mortar::db::internal {

// Maps a failed libpq call to a Status and ErrorKind from its SQLSTATE (see
// database.hpp), or to kConnection when the connection is gone. `res` may be null. The
// message is "<context>: <server message>", except for classes whose messages can echo
// bound values (data exceptions, integrity violations other than the four mapped ones,
// raised errors): those give only the SQLSTATE and the table, column and constraint
// names the server reports.
Status PgError(const pg_result* res, pg_conn* conn, std::string_view context, ErrorKind* kind);

// A statement prepared on one connection: the server-side name, the label used in
// errors and the number of parameters ($1..$n) it takes.
struct PgPrepared {
    std::string statement_name;
    std::string label;
    int param_count = 0;
    bool dynamic = false;
};

// One libpq connection with its prepared statements (keyed by SQL text).
// Thread safety: confined to one thread at a time (the pool hands it out exclusively).
class PgConnection {
public:
    // Connects with `conninfo` (a URL or key=value string) plus client_encoding=UTF8 and a
    // 10 s connect_timeout unless the string sets one. Blocks on the network. Returns
    // kUnavailable when the server cannot be reached or refuses the login.
    static Result<std::unique_ptr<PgConnection>> Connect(const std::string& conninfo);
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;
    ~PgConnection();

    pg_conn* conn() const { return conn_; }
    // Whether libpq still considers the connection usable and outside any transaction.
    bool Idle() const;
    bool Healthy() const;

    // Returns the statement prepared for `sql` on this connection, preparing it (PQprepare,
    // with parameter types left to the server) on first use. The returned pointer stays
    // valid until TrimCache(). Returns the mapped Status when the server rejects the SQL.
    Result<const PgPrepared*> Prepare(std::string_view name, std::string_view sql, bool dynamic, ErrorKind* kind);

    // A number unique on this connection, for naming temporary tables.
    uint64_t NextSerial() { return ++serial_; }

    // Bounds the cache: once PrepareDynamic() statements pile up, deallocates every
    // statement of this connection. Call only outside a transaction with no Stmt alive.
    void TrimCache();

private:
    explicit PgConnection(pg_conn* conn) : conn_(conn) {}

    pg_conn* const conn_;
    std::unordered_map<std::string, PgPrepared, StringHash, std::equal_to<>> cache_;
    int dynamic_count_ = 0;
    uint64_t serial_ = 0;
};

// Runs a parameterless command with PQexec and checks it succeeded.
Status PgExec(pg_conn* conn, const char* sql, std::string_view context, ErrorKind* kind);

// Parses a row count such as PQcmdTuples() returns ("" gives 0).
int64_t ParseCount(const char* text);

}  // namespace mortar::db::internal
