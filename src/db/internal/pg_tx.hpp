// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <algorithm>
#include <memory>
#include <vector>

#include "db/database.hpp"
#include "db/internal/connection_pool.hpp"
#include "db/internal/impl.hpp"
#include "db/internal/pg_connection.hpp"

namespace mortar::db::internal {

using PgPool = ConnectionPool<PgConnection>;

// The state a PostgreSQL Tx shares with its Stmts and BulkWriters. When the transaction
// ends the Tx detaches the live Stmts and returns the connection to the pool at once.
// Thread safety: confined to the thread of its Tx.
struct PgSession {
    explicit PgSession(PgPool::Lease l) : lease(std::move(l)) {}

    // Records a failed statement. PostgreSQL aborts the transaction on any error, so the
    // first failure is kept for Commit() to report; a lost connection is never reused.
    Status Fail(Status status, ErrorKind kind) {
        last_error = kind;
        if (open && !aborted) {
            aborted = true;
            abort_status = status;
        }
        if (kind == ErrorKind::kConnection && lease) lease.MarkBroken();
        return status;
    }

    void Register(StmtImpl* stmt) { stmts.push_back(stmt); }
    void Unregister(StmtImpl* stmt) { std::erase(stmts, stmt); }

    // Detaches the live Stmts and returns the connection to the pool if it is idle and
    // healthy; otherwise closes it.
    void ReleaseConnection() {
        std::vector<StmtImpl*> live = std::move(stmts);
        stmts.clear();
        for (StmtImpl* stmt : live) stmt->Detach();
        if (!lease) return;
        if (lease->Idle()) {
            lease->TrimCache();
        } else {
            lease.MarkBroken();
        }
        lease = PgPool::Lease();
    }

    PgPool::Lease lease;  // empty once the transaction has ended
    bool open = true;
    bool autocommit = false;  // TxMode::kSingleRead: no BEGIN was sent, so no COMMIT either
    bool aborted = false;
    Status abort_status;
    ErrorKind last_error = ErrorKind::kNone;
    std::vector<StmtImpl*> stmts;  // live Stmts of this transaction
};

// Wraps a session whose transaction has begun.
Tx MakePgTx(std::shared_ptr<PgSession> session);

}  // namespace mortar::db::internal
