// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.hpp"

// The store: a narrow interface over the C APIs of sqlite3 and libpq. No sqlite3 or
// libpq type appears in this header. DML is written once in PostgreSQL's dialect with
// $1..$n placeholders; the SQLite backend rewrites them to ?n outside string literals.
//
// Errors are Status values. Database errors map to portable codes in exactly two
// places (SQLSTATE and SQLite extended codes):
//   unique violation           -> Code::kConflict
//   foreign key / not null / check violation -> Code::kUnprocessable
//   busy, locked, serialization failure, connection lost, pool timeout -> Code::kUnavailable
//   anything else (syntax, misuse) -> Code::kInternal
// The ErrorKind of the last failure is also available from Tx::last_error_kind().
// Messages name the statement (Query::name) and the table, column or constraint, never a
// bound value: on PostgreSQL, messages of errors that quote input (data exceptions such
// as 22P02) are reduced to the SQLSTATE and the names the server reports.
//
// Ownership: a Tx owns its connection until Commit() or Rollback() (or its destruction),
// which returns the connection to the pool at once. Stmts and BulkWriters of a Tx may
// outlive it safely, but using them (or a Row) after the Tx ended is a LogicError.
namespace mortar::db {

enum class Dialect { kSqlite, kPostgres };
// kRead: a read-only transaction (one snapshot on PostgreSQL). kWrite: a read-write
// transaction (the single writer on SQLite). kSingleRead: reads where each statement
// may see its own snapshot; PostgreSQL runs them without BEGIN/COMMIT (autocommit),
// which saves two round trips for a lone lookup; SQLite treats it as kRead.
enum class TxMode { kRead, kWrite, kSingleRead };
enum class ErrorKind {
    kNone,
    kUniqueViolation,
    kForeignKeyViolation,
    kNotNullViolation,
    kCheckViolation,
    kSerialization,
    kBusy,
    kConnection,
    kOther
};

// A named statement written once for both engines. Both engines cache the prepared
// statement per connection, keyed by the SQL text; on PostgreSQL the server-side name is
// derived from the name and a hash of the text. The name labels the statement in errors.
struct Query {
    std::string_view name;
    std::string_view sql;
};

// A statement that cannot be shared (SKIP LOCKED, full-text search): one text per dialect.
struct DialectQuery {
    std::string_view name;
    std::string_view postgres;
    std::string_view sqlite;
};

struct Null {};

// A value bound to a placeholder. Booleans bind as 0/1 on SQLite and true/false on
// PostgreSQL; columns declared boolean on PostgreSQL are INTEGER 0/1 on SQLite.
using Param = std::variant<Null, int64_t, double, std::string_view, bool>;

// The current row of a Stmt. Valid until the next Step() or Reset() of its Stmt or the end
// of its Tx. GetText() returns a view into the engine's own buffer: no copy, and only as
// long as the row. Column indexes are 0-based; an index out of range is a LogicError.
// Reading a NULL as int/double gives 0, as text gives "".
// Thread safety: confined to the thread of its Tx.
class Row {
public:
    virtual ~Row() = default;
    virtual int ColumnCount() const = 0;
    virtual std::string_view ColumnName(int col) const = 0;
    virtual bool IsNull(int col) const = 0;
    virtual int64_t GetInt(int col) const = 0;
    virtual double GetDouble(int col) const = 0;
    virtual std::string_view GetText(int col) const = 0;
    // Accepts 0/1 integers (SQLite) and t/f or true/false text (PostgreSQL).
    virtual bool GetBool(int col) const = 0;
};

class StmtImpl;

// A prepared statement with its bindings, belonging to one Tx. Bind with 1-based
// indexes, then either Step() through the rows or Execute() it. Reset() clears the
// bindings and results so it can run again with new values. Bind() copies the value (a
// temporary string may die before Step()); a parameter never bound is NULL. Binding an
// index the SQL has no $n for, or binding after the statement ran without Reset(), is a
// LogicError. The same Query may be open in several Stmts of one Tx at once.
// Thread safety: confined to the thread of its Tx.
class Stmt {
public:
    explicit Stmt(std::unique_ptr<StmtImpl> impl);
    Stmt(Stmt&&) noexcept;
    Stmt& operator=(Stmt&&) noexcept;
    ~Stmt();

    Stmt& Bind(int idx, Param value);
    // Binds params[0] to $1, params[1] to $2, ...
    Stmt& BindAll(std::span<const Param> params);

    // Runs the statement on the first call. Returns true when a row is available in
    // row(), false when there are no more rows, or a non-OK Status (see the header
    // comment for the codes). Never throws.
    Result<bool> Step();
    const Row& row() const;

    // Runs the statement to completion and returns the number of rows it changed (0 for
    // a SELECT; rows of a RETURNING clause are discarded). Execute() on a statement that
    // already ran is a LogicError until Reset().
    Result<int64_t> Execute();

    void Reset();

private:
    std::unique_ptr<StmtImpl> impl_;
};

class TxImpl;

// A transaction on one connection. Rolls back when destroyed without Commit().
// Using a Tx after Commit() or Rollback() is a LogicError (Rollback() itself is then a
// no-op, so cleanup paths may call it).
//
// A failed statement: PostgreSQL aborts the whole transaction, so after any error the Tx
// is only good for Rollback() (further statements fail, and Commit() rolls back and
// returns the first error's Status). SQLite undoes only the failed statement. Portable
// code treats an error as the end of the transaction.
//
// kRead transactions are read-only on both engines (BEGIN READ ONLY; SQLite readers are
// query_only), except on an in-memory SQLite database. A kRead Tx does not see the
// uncommitted writes of a kWrite Tx on the same thread.
// Thread safety: confined to the thread that began it.
class Tx {
public:
    explicit Tx(std::unique_ptr<TxImpl> impl);
    Tx(Tx&&) noexcept;
    Tx& operator=(Tx&&) noexcept;
    ~Tx();

    Dialect dialect() const;

    // Prepares (or fetches from the connection's cache) a named statement.
    // Returns kInternal for SQL the engine rejects.
    Result<Stmt> Prepare(const Query& query);
    Result<Stmt> Prepare(const DialectQuery& query);
    // Prepares SQL built at run time (the filter/sort engine); cached by its text.
    Result<Stmt> PrepareDynamic(std::string sql);

    // Runs one or more parameterless statements (DDL in migrations).
    Status ExecScript(std::string_view sql);

    // Commits. On failure the transaction has been rolled back; either way the Tx has
    // ended and its connection is back in the pool. A deferred constraint failing at
    // commit maps like any other error; kUnavailable/kSerialization means retry.
    Status Commit();
    void Rollback();

    ErrorKind last_error_kind() const;

private:
    friend class BulkWriter;  // BulkWriter::Create() starts its writer on the Tx's connection
    std::unique_ptr<TxImpl> impl_;
};

struct Config {
    // A SQLite file path (or ":memory:" for tests), or a "postgresql://..." /
    // "postgres://..." URL, or a libpq key=value string starting with "host=" / "dbname=".
    // SQLite: the directory must exist; "file:" URIs are accepted. An in-memory database
    // has a single connection for readers and the writer, so transactions take turns.
    // PostgreSQL: client_encoding is forced to UTF8; connect_timeout defaults to 10 s.
    std::string url;
    // PostgreSQL: connections in the pool. SQLite: reader connections (plus one writer).
    int pool_size = 8;
    // How long Begin() waits for a free connection before kUnavailable (opening a new
    // PostgreSQL connection may add up to its connect_timeout).
    std::chrono::milliseconds acquire_timeout{5000};
    // SQLite busy_timeout.
    std::chrono::milliseconds busy_timeout{5000};
};

// Whether a Config::url names PostgreSQL.
bool IsPostgresUrl(std::string_view url);

// A Database hands out transactions over a connection pool (PostgreSQL) or over one
// writer plus N readers (SQLite in WAL mode with busy_timeout, foreign keys on).
// Thread safety: thread-safe.
class Database {
public:
    virtual ~Database() = default;

    // Opens (and for SQLite creates) the database. Does not migrate. Returns
    // kUnavailable when the server cannot be reached or the SQLite file cannot be opened,
    // kInvalidArgument for a bad URL, pool size or timeout. Blocks while connecting.
    static Result<std::unique_ptr<Database>> Open(const Config& config);

    virtual Dialect dialect() const = 0;

    // Begins a transaction. kWrite on SQLite takes the single writer connection
    // (BEGIN IMMEDIATE); kRead a reader. Waits up to acquire_timeout for a free
    // connection, then returns kUnavailable. On SQLite, a writer in another process is
    // waited for up to busy_timeout, then kUnavailable. On PostgreSQL a pooled
    // connection found broken is replaced transparently. Never throws.
    virtual Result<Tx> Begin(TxMode mode) = 0;

    // Applies every embedded migration of this dialect not yet applied, in order, each
    // in its own transaction, recording it in schema_migrations. Safe to call from
    // several processes at once (PostgreSQL: advisory lock). Returns the number applied,
    // or the failing migration's Status with "migration NNNN_name: " before its message
    // (earlier migrations stay applied). Migrations live in src/db/migrations/ and are
    // embedded at build time; since each runs inside a transaction, a SQLite migration
    // cannot switch PRAGMA foreign_keys off (table rebuilds must keep references valid).
    virtual Result<int> Migrate() = 0;

    // A cheap liveness check (SELECT 1 on a pooled connection).
    virtual Status Ping() = 0;
};

// Describes a bulk upsert: rows for `table` with `columns`; on a conflict over
// `conflict_columns` the `update_columns` are overwritten (none: DO NOTHING). Without
// conflict_columns a conflict is an error. Names must be plain identifiers (the table may
// be schema-qualified) and conflict/update columns must be among `columns`; anything else
// is a LogicError.
struct BulkSpec {
    std::string table;
    std::vector<std::string> columns;
    std::vector<std::string> conflict_columns;
    std::vector<std::string> update_columns;
};

class BulkWriterImpl;

// Writes many rows into one table inside a Tx. PostgreSQL: rows are buffered and COPYed
// in chunks of about 1 MiB into a temporary staging table (ON COMMIT DROP), then merged
// with one INSERT ... SELECT ... ON CONFLICT at Finish(); the Tx may run other statements
// between Add() calls. SQLite: a prepared upsert per row. The spec's names must be
// trusted identifiers (they come from code, never from input).
//
// Rows sharing a conflict key within one writer: the last one wins with update columns,
// the first with DO NOTHING, on both engines (PostgreSQL merges one row per key, so rows
// whose conflict key is NULL also collapse into one there). Finish() counts rows inserted
// or updated; on SQLite each repeated key counts again.
// Errors (constraint violations, bad values) come from Add() on SQLite and from Add() or
// Finish() on PostgreSQL, mapped as for Stmt.
// Thread safety: confined to the thread of its Tx.
class BulkWriter {
public:
    static Result<BulkWriter> Create(Tx& tx, BulkSpec spec);
    BulkWriter(BulkWriter&&) noexcept;
    ~BulkWriter();
    // Adds one row; values in the order of spec.columns.
    Status Add(std::span<const Param> row);
    // Flushes and merges. Returns the number of rows written.
    Result<int64_t> Finish();

private:
    explicit BulkWriter(std::unique_ptr<BulkWriterImpl> impl);
    std::unique_ptr<BulkWriterImpl> impl_;
};

}  // namespace mortar::db
