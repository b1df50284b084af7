// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <algorithm>
#include <memory>
#include <vector>

#include "db/database.hpp"
#include "db/internal/connection_pool.hpp"
#include "db/internal/impl.hpp"
#include "db/internal/sqlite_connection.hpp"

namespace mortar::db::internal {

using SqlitePool = ConnectionPool<SqliteConnection>;

// The state a SQLite Tx shares with its Stmts. When the transaction ends the Tx detaches
// the live Stmts and returns the connection to the pool at once, so a Stmt still in scope
// after Commit() neither holds the connection nor touches it again.
// Thread safety: confined to the thread of its Tx.
struct SqliteSession {
    explicit SqliteSession(SqlitePool::Lease l) : lease(std::move(l)) {}

    void Register(StmtImpl* stmt) { stmts.push_back(stmt); }
    void Unregister(StmtImpl* stmt) { std::erase(stmts, stmt); }
    void DetachStatements() {
        std::vector<StmtImpl*> live = std::move(stmts);
        stmts.clear();
        for (StmtImpl* stmt : live) stmt->Detach();
    }
    // Returns the connection to the pool, or closes it when `reusable` is false.
    void ReleaseConnection(bool reusable) {
        DetachStatements();
        if (!lease) return;
        if (reusable) {
            lease->TrimCache();
        } else {
            lease.MarkBroken();
        }
        lease = SqlitePool::Lease();
    }

    SqlitePool::Lease lease;  // empty once the transaction has ended
    bool open = true;
    ErrorKind last_error = ErrorKind::kNone;
    std::vector<StmtImpl*> stmts;  // live Stmts of this transaction
};

// Wraps a session whose transaction has begun.
Tx MakeSqliteTx(std::shared_ptr<SqliteSession> session);

}  // namespace mortar::db::internal
