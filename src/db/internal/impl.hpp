// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.hpp"
#include "db/database.hpp"

// The backend side of the pimpl classes of database.hpp. Each engine implements
// StmtImpl, TxImpl and BulkWriterImpl; database.cpp forwards to them.
namespace mortar::db {

// One prepared statement with its bindings and current row. Implementations are
// also the Row of their statement, so reading a row costs no extra object.
// Thread safety: confined to the thread of its Tx.
class StmtImpl {
public:
    virtual ~StmtImpl() = default;
    virtual void Bind(int idx, const Param& value) = 0;
    virtual Result<bool> Step() = 0;
    virtual const Row& row() const = 0;
    virtual Result<int64_t> Execute() = 0;
    virtual void Reset() = 0;
    // Called when its Tx ends: gives back what the statement holds on the connection
    // (which returns to the pool right after). Any later use is a LogicError.
    virtual void Detach() = 0;
};

// One transaction on one leased connection.
// Thread safety: confined to the thread that began it.
class TxImpl {
public:
    virtual ~TxImpl() = default;
    virtual Dialect dialect() const = 0;
    // `name` labels the statement in errors; `dynamic` marks SQL built at run time, whose
    // cache entries are bounded per connection.
    virtual Result<Stmt> Prepare(std::string_view name, std::string_view sql, bool dynamic) = 0;
    virtual Status ExecScript(std::string_view sql) = 0;
    virtual Status Commit() = 0;
    virtual void Rollback() = 0;
    virtual ErrorKind last_error_kind() const = 0;
    virtual Result<std::unique_ptr<BulkWriterImpl>> CreateBulkWriter(BulkSpec spec) = 0;
};

// Thread safety: confined to the thread of its Tx.
class BulkWriterImpl {
public:
    virtual ~BulkWriterImpl() = default;
    virtual Status Add(std::span<const Param> row) = 0;
    virtual Result<int64_t> Finish() = 0;
};

namespace internal {

// The portable Code of an ErrorKind (see the table in database.hpp).
Code CodeForKind(ErrorKind kind);

// Heterogeneous hashing so statement caches keyed by std::string can be searched with a
// std::string_view without allocating.
struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// FNV-1a, stable across processes (used for prepared-statement names).
uint64_t Fnv1a64(std::string_view text);

// Whether `name` is a plain SQL identifier ([A-Za-z_][A-Za-z0-9_]*), optionally
// schema-qualified with one dot when `allow_schema` is set.
bool IsPlainIdentifier(std::string_view name, bool allow_schema = false);

// Checks a BulkSpec (names are identifiers, at least one column, updates only with a
// conflict target). Throws LogicError otherwise: the spec comes from code.
void CheckBulkSpec(const BulkSpec& spec);

// "INSERT INTO t (a, b) VALUES ($1, $2) ON CONFLICT (a) DO UPDATE SET b = excluded.b".
std::string BuildUpsertSql(const BulkSpec& spec);

// The ON CONFLICT clause of `spec` with a leading space, or "" without conflict columns.
std::string BuildConflictClause(const BulkSpec& spec);

// The current UTC time as "2024-05-02T14:03:11.000Z".
std::string NowIso8601();

}  // namespace internal
}  // namespace mortar::db
