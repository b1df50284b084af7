// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/internal/sqlite_tx.hpp"

#include <string>
#include <utility>

#include <sqlite3.h>

#include "db/internal/impl.hpp"

namespace mortar::db::internal {
namespace {

// A statement on a SQLite connection; it is also the Row of its current result row, read
// straight from sqlite3's column accessors.
class SqliteStmt final : public StmtImpl, public Row {
public:
    SqliteStmt(std::shared_ptr<SqliteSession> session, SqliteConnection::Prepared prepared, std::string_view name)
        : session_(std::move(session)),
          stmt_(prepared.stmt),
          cached_(prepared.cached),
          param_count_(sqlite3_bind_parameter_count(stmt_)),
          column_count_(sqlite3_column_count(stmt_)) {
        if (cached_ != nullptr) {
            name_ = cached_->name;
        } else {
            owned_name_ = name;
            name_ = owned_name_;
        }
        session_->Register(this);
    }

    ~SqliteStmt() override {
        if (!detached_) {
            session_->Unregister(this);
            Detach();
        }
    }

    void Detach() override {
        if (detached_) return;
        detached_ = true;
        state_ = State::kDone;
        sqlite3_reset(stmt_);
        if (cached_ != nullptr) {
            sqlite3_clear_bindings(stmt_);
            cached_->in_use = false;
        } else {
            sqlite3_finalize(stmt_);
        }
    }

    void Bind(int idx, const Param& value) override {
        CheckOpen();
        MORTAR_CHECK(state_ == State::kFresh, "Bind() on a statement that has run; call Reset() first");
        MORTAR_CHECK(idx >= 1 && idx <= param_count_, "bind index out of range for " + std::string(name_));
        int rc = std::visit(
            [&](const auto& v) -> int {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, Null>) {
                    return sqlite3_bind_null(stmt_, idx);
                } else if constexpr (std::is_same_v<T, int64_t>) {
                    return sqlite3_bind_int64(stmt_, idx, v);
                } else if constexpr (std::is_same_v<T, double>) {
                    return sqlite3_bind_double(stmt_, idx, v);
                } else if constexpr (std::is_same_v<T, bool>) {
                    return sqlite3_bind_int(stmt_, idx, v ? 1 : 0);
                } else {
                    // SQLITE_TRANSIENT copies: the caller's string may die before Step().
                    // A null data pointer would bind NULL, so an empty view binds "".
                    return sqlite3_bind_text64(
                        stmt_, idx, v.data() != nullptr ? v.data() : "", v.size(), SQLITE_TRANSIENT, SQLITE_UTF8
                    );
                }
            },
            value
        );
        if (rc != SQLITE_OK && bind_error_.ok()) {
            bind_error_ = SqliteError(session_->lease->db(), rc, name_, &session_->last_error);
        }
    }

    Result<bool> Step() override {
        CheckOpen();
        if (!bind_error_.ok()) return bind_error_;
        if (state_ == State::kDone) return false;
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) {
            state_ = State::kRow;
            return true;
        }
        state_ = State::kDone;
        if (rc == SQLITE_DONE) return false;
        return Fail(rc);
    }

    const Row& row() const override {
        MORTAR_CHECK(state_ == State::kRow, "row() without a current row");
        return *this;
    }

    Result<int64_t> Execute() override {
        CheckOpen();
        MORTAR_CHECK(state_ != State::kDone, "Execute() on a statement that has run; call Reset() first");
        if (!bind_error_.ok()) return bind_error_;
        sqlite3* db = session_->lease->db();
        sqlite3_int64 total_before = sqlite3_total_changes64(db);
        int rc;
        while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) {
        }
        state_ = State::kDone;
        if (rc != SQLITE_DONE) return Fail(rc);
        // sqlite3_changes64() keeps the count of the last INSERT/UPDATE/DELETE, so a
        // statement that changed nothing (a SELECT, DDL) must not report it.
        if (sqlite3_total_changes64(db) == total_before) return int64_t{0};
        return static_cast<int64_t>(sqlite3_changes64(db));
    }

    void Reset() override {
        CheckOpen();
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        state_ = State::kFresh;
        bind_error_ = Status::Ok();
    }

    // Row
    int ColumnCount() const override { return column_count_; }
    std::string_view ColumnName(int col) const override {
        CheckColumn(col);
        const char* name = sqlite3_column_name(stmt_, col);
        return name != nullptr ? name : "";
    }
    bool IsNull(int col) const override {
        CheckColumn(col);
        return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
    }
    int64_t GetInt(int col) const override {
        CheckColumn(col);
        return sqlite3_column_int64(stmt_, col);
    }
    double GetDouble(int col) const override {
        CheckColumn(col);
        return sqlite3_column_double(stmt_, col);
    }
    std::string_view GetText(int col) const override {
        CheckColumn(col);
        const unsigned char* text = sqlite3_column_text(stmt_, col);  // before _bytes, as SQLite asks
        if (text == nullptr) return {};
        return {reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
    }
    bool GetBool(int col) const override {
        CheckColumn(col);
        switch (sqlite3_column_type(stmt_, col)) {
            case SQLITE_INTEGER:
                return sqlite3_column_int64(stmt_, col) != 0;
            case SQLITE_FLOAT:
                return sqlite3_column_double(stmt_, col) != 0.0;
            case SQLITE_TEXT: {
                std::string_view t = GetText(col);
                return t == "1" || t == "t" || t == "true" || t == "TRUE" || t == "T";
            }
            default:
                return false;
        }
    }

private:
    enum class State { kFresh, kRow, kDone };

    void CheckOpen() const { MORTAR_CHECK(!detached_, "Stmt used after its Tx ended"); }
    void CheckColumn(int col) const {
        MORTAR_CHECK(!detached_, "Row used after its Tx ended");
        MORTAR_CHECK(col >= 0 && col < column_count_, "column index out of range for " + std::string(name_));
    }
    Status Fail(int rc) {
        Status status = SqliteError(session_->lease->db(), rc, name_, &session_->last_error);
        sqlite3_reset(stmt_);
        return status;
    }

    std::shared_ptr<SqliteSession> session_;
    sqlite3_stmt* const stmt_;
    SqliteCachedStmt* const cached_;  // null: stmt_ is ours to finalize
    const int param_count_;
    const int column_count_;
    std::string owned_name_;
    std::string_view name_;
    State state_ = State::kFresh;
    Status bind_error_;
    bool detached_ = false;
};

// SQLite's BulkWriter: one cached upsert statement run per row inside the Tx.
class SqliteBulkWriter final : public BulkWriterImpl {
public:
    SqliteBulkWriter(Stmt stmt, size_t columns) : stmt_(std::move(stmt)), columns_(columns) {}

    Status Add(std::span<const Param> row) override {
        MORTAR_CHECK(!finished_, "BulkWriter::Add() after Finish()");
        MORTAR_CHECK(row.size() == columns_, "BulkWriter row has the wrong number of values");
        stmt_.Reset();
        stmt_.BindAll(row);
        Result<int64_t> changed = stmt_.Execute();
        if (!changed.ok()) return changed.status();
        written_ += *changed;
        return Status::Ok();
    }

    Result<int64_t> Finish() override {
        MORTAR_CHECK(!finished_, "BulkWriter::Finish() called twice");
        finished_ = true;
        stmt_.Reset();
        return written_;
    }

private:
    Stmt stmt_;
    const size_t columns_;
    int64_t written_ = 0;
    bool finished_ = false;
};

class SqliteTx final : public TxImpl {
public:
    explicit SqliteTx(std::shared_ptr<SqliteSession> session) : session_(std::move(session)) {}
    ~SqliteTx() override {
        if (session_->open) Rollback();
    }

    Dialect dialect() const override { return Dialect::kSqlite; }

    Result<Stmt> Prepare(std::string_view name, std::string_view sql, bool dynamic) override {
        CheckOpen();
        Result<SqliteConnection::Prepared> prepared =
            session_->lease->Prepare(name, sql, dynamic, &session_->last_error);
        if (!prepared.ok()) return prepared.status();
        return Stmt(std::make_unique<SqliteStmt>(session_, *prepared, name));
    }

    Status ExecScript(std::string_view sql) override {
        CheckOpen();
        std::string text(sql);
        sqlite3* db = session_->lease->db();
        char* err = nullptr;
        int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &err);
        sqlite3_free(err);  // the same text is still in sqlite3_errmsg()
        if (rc != SQLITE_OK) return SqliteError(db, rc, "script", &session_->last_error);
        return Status::Ok();
    }

    Status Commit() override {
        CheckOpen();
        session_->open = false;
        session_->DetachStatements();
        Status status = session_->lease->Commit(&session_->last_error);
        bool reusable = status.ok() || session_->lease->Rollback();
        session_->ReleaseConnection(reusable);
        return status;
    }

    void Rollback() override {
        if (!session_->open) return;
        session_->open = false;
        session_->DetachStatements();
        session_->ReleaseConnection(session_->lease->Rollback());
    }

    ErrorKind last_error_kind() const override { return session_->last_error; }

    Result<std::unique_ptr<BulkWriterImpl>> CreateBulkWriter(BulkSpec spec) override {
        CheckOpen();
        CheckBulkSpec(spec);
        std::string sql = BuildUpsertSql(spec);
        Result<Stmt> stmt = Prepare("bulk upsert into " + spec.table, sql, false);
        if (!stmt.ok()) return stmt.status();
        return std::unique_ptr<BulkWriterImpl>(
            std::make_unique<SqliteBulkWriter>(std::move(stmt).value(), spec.columns.size())
        );
    }

private:
    void CheckOpen() const { MORTAR_CHECK(session_->open, "Tx used after Commit() or Rollback()"); }

    std::shared_ptr<SqliteSession> session_;
};

}  // namespace

Tx MakeSqliteTx(std::shared_ptr<SqliteSession> session) {
    return Tx(std::make_unique<SqliteTx>(std::move(session)));
}

}  // namespace mortar::db::internal
