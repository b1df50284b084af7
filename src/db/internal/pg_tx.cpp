// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/internal/pg_tx.hpp"

#include <charconv>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <libpq-fe.h>

#include "core/log.hpp"
#include "db/internal/impl.hpp"

namespace mortar::db::internal {
namespace {

// COPY data is sent in chunks of about this size.
constexpr size_t kCopyChunkBytes = size_t{1} << 20;

template <class T>
void AppendNumber(std::string& out, T value) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, end);
}

// Writes a parameter in PostgreSQL's text input format. Returns false for NULL.
bool FormatParam(std::string& out, const Param& value) {
    out.clear();
    return std::visit(
        [&](const auto& v) -> bool {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Null>) {
                return false;
            } else if constexpr (std::is_same_v<T, bool>) {
                out = v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::string_view>) {
                out.assign(v.data() != nullptr ? v.data() : "", v.size());
            } else {
                AppendNumber(out, v);
            }
            return true;
        },
        value
    );
}

// Appends `text` in COPY's text format: backslash, tab, newline and carriage return
// are escaped with a backslash.
void AppendCopyText(std::string& out, std::string_view text) {
    size_t start = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char* escaped = nullptr;
        switch (text[i]) {
            case '\\':
                escaped = "\\\\";
                break;
            case '\t':
                escaped = "\\t";
                break;
            case '\n':
                escaped = "\\n";
                break;
            case '\r':
                escaped = "\\r";
                break;
            default:
                continue;
        }
        out.append(text.substr(start, i - start));
        out.append(escaped);
        start = i + 1;
    }
    out.append(text.substr(start));
}

void AppendCopyValue(std::string& out, const Param& value) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Null>) {
                out += "\\N";
            } else if constexpr (std::is_same_v<T, bool>) {
                out += v ? 't' : 'f';
            } else if constexpr (std::is_same_v<T, std::string_view>) {
                AppendCopyText(out, v);
            } else {
                AppendNumber(out, v);
            }
        },
        value
    );
}

bool ParseBool(std::string_view t) {
    return t == "t" || t == "true" || t == "1" || t == "TRUE" || t == "T";
}

// A prepared statement on a PostgreSQL connection. Step() runs it with PQexecPrepared on
// first call and keeps the whole result; the statement is also the Row of that result.
class PgStmt final : public StmtImpl, public Row {
public:
    PgStmt(std::shared_ptr<PgSession> session, const PgPrepared* prepared)
        : session_(std::move(session)),
          prepared_(prepared),
          values_(prepared->param_count),
          is_null_(prepared->param_count, 1),
          pointers_(prepared->param_count, nullptr) {
        session_->Register(this);
    }

    ~PgStmt() override {
        if (!detached_) session_->Unregister(this);
        PQclear(result_);
    }

    void Detach() override {
        detached_ = true;
        state_ = State::kDone;
        columns_ = 0;
        PQclear(result_);
        result_ = nullptr;
    }

    void Bind(int idx, const Param& value) override {
        CheckOpen();
        MORTAR_CHECK(state_ == State::kFresh, "Bind() on a statement that has run; call Reset() first");
        MORTAR_CHECK(idx >= 1 && idx <= prepared_->param_count, "bind index out of range for " + prepared_->label);
        is_null_[idx - 1] = FormatParam(values_[idx - 1], value) ? 0 : 1;
    }

    Result<bool> Step() override {
        CheckOpen();
        if (state_ == State::kDone) return false;
        if (state_ == State::kFresh) {
            Status status = Run();
            if (!status.ok()) return status;
        }
        if (++row_ < rows_) {
            state_ = State::kRow;
            return true;
        }
        state_ = State::kDone;
        return false;
    }

    const Row& row() const override {
        MORTAR_CHECK(state_ == State::kRow, "row() without a current row");
        return *this;
    }

    Result<int64_t> Execute() override {
        CheckOpen();
        MORTAR_CHECK(state_ != State::kDone, "Execute() on a statement that has run; call Reset() first");
        if (state_ == State::kFresh) {
            Status status = Run();
            if (!status.ok()) return status;
        }
        state_ = State::kDone;
        // "SELECT n" counts rows read, not changed.
        if (std::strncmp(PQcmdStatus(result_), "SELECT", 6) == 0) return int64_t{0};
        return ParseCount(PQcmdTuples(result_));
    }

    void Reset() override {
        CheckOpen();
        PQclear(result_);
        result_ = nullptr;
        std::fill(is_null_.begin(), is_null_.end(), 1);
        state_ = State::kFresh;
        row_ = -1;
        rows_ = 0;
        columns_ = 0;
    }

    // Row
    int ColumnCount() const override { return columns_; }
    std::string_view ColumnName(int col) const override {
        CheckColumn(col);
        return PQfname(result_, col);
    }
    bool IsNull(int col) const override {
        CheckColumn(col);
        return PQgetisnull(result_, row_, col) != 0;
    }
    int64_t GetInt(int col) const override {
        std::string_view text = GetText(col);
        int64_t value = 0;
        std::from_chars(text.data(), text.data() + text.size(), value);
        return value;
    }
    double GetDouble(int col) const override {
        std::string_view text = GetText(col);
        double value = 0;
        std::from_chars(text.data(), text.data() + text.size(), value);
        return value;
    }
    std::string_view GetText(int col) const override {
        CheckColumn(col);
        // libpq gives "" for NULL; the text stays valid as long as the result.
        return {PQgetvalue(result_, row_, col), static_cast<size_t>(PQgetlength(result_, row_, col))};
    }
    bool GetBool(int col) const override { return ParseBool(GetText(col)); }

private:
    enum class State { kFresh, kRow, kDone };

    void CheckOpen() const { MORTAR_CHECK(!detached_, "Stmt used after its Tx ended"); }
    void CheckColumn(int col) const {
        MORTAR_CHECK(!detached_, "Row used after its Tx ended");
        MORTAR_CHECK(col >= 0 && col < columns_, "column index out of range for " + prepared_->label);
    }

    Status Run() {
        for (size_t i = 0; i < values_.size(); ++i) pointers_[i] = is_null_[i] ? nullptr : values_[i].c_str();
        PGconn* conn = session_->lease->conn();
        result_ = PQexecPrepared(
            conn, prepared_->statement_name.c_str(), prepared_->param_count, pointers_.data(), nullptr, nullptr, 0
        );
        ExecStatusType st = result_ != nullptr ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
        if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
            rows_ = PQntuples(result_);
            columns_ = PQnfields(result_);
            return Status::Ok();
        }
        ErrorKind kind = ErrorKind::kOther;
        Status status = PgError(result_, conn, prepared_->label, &kind);
        PQclear(result_);
        result_ = nullptr;
        state_ = State::kDone;
        if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
            session_->lease.MarkBroken();  // COPY belongs in BulkWriter
            status = Status::Internal(prepared_->label + ": COPY is not supported through Stmt");
        }
        return session_->Fail(std::move(status), kind);
    }

    std::shared_ptr<PgSession> session_;
    const PgPrepared* const prepared_;
    std::vector<std::string> values_;
    std::vector<char> is_null_;
    std::vector<const char*> pointers_;
    PGresult* result_ = nullptr;
    State state_ = State::kFresh;
    int row_ = -1;
    int rows_ = 0;
    int columns_ = 0;
    bool detached_ = false;
};

// PostgreSQL's BulkWriter: rows are buffered in COPY text format and copied into a
// temporary staging table in chunks; Finish() merges the staging table into the target
// with one INSERT ... SELECT ... ON CONFLICT. The staging table has the spec's columns
// (with the target's types) plus mortar_ord, the order rows were added in, so the merge
// keeps that order and lets the last row win when several share a conflict key.
class PgBulkWriter final : public BulkWriterImpl {
public:
    PgBulkWriter(std::shared_ptr<PgSession> session, BulkSpec spec, std::string stage)
        : session_(std::move(session)), spec_(std::move(spec)), stage_(std::move(stage)) {}

    Status Add(std::span<const Param> row) override {
        CheckUsable();
        MORTAR_CHECK(row.size() == spec_.columns.size(), "BulkWriter row has the wrong number of values");
        for (const Param& value : row) {
            AppendCopyValue(buffer_, value);
            buffer_ += '\t';
        }
        AppendNumber(buffer_, ++rows_);
        buffer_ += '\n';
        if (buffer_.size() >= kCopyChunkBytes) return Flush();
        return Status::Ok();
    }

    Result<int64_t> Finish() override {
        CheckUsable();
        finished_ = true;
        MORTAR_RETURN_IF_ERROR(Flush());
        std::string columns = Join(spec_.columns);
        std::string sql = "INSERT INTO " + spec_.table + " (" + columns + ") SELECT " + columns + " FROM ";
        if (spec_.conflict_columns.empty()) {
            sql += stage_;
        } else {
            // One row per conflict key: DO UPDATE may not touch a row twice in one command.
            std::string keys = Join(spec_.conflict_columns);
            sql += "(SELECT DISTINCT ON (" + keys + ") " + columns + ", mortar_ord FROM " + stage_ + " ORDER BY " +
                   keys + ", mortar_ord " + (spec_.update_columns.empty() ? "ASC" : "DESC") + ") AS d";
        }
        sql += " WHERE true ORDER BY mortar_ord";
        sql += BuildConflictClause(spec_);

        PGconn* conn = session_->lease->conn();
        std::string label = "bulk merge into " + spec_.table;
        PGresult* res = PQexec(conn, sql.c_str());
        if (res == nullptr || PQresultStatus(res) != PGRES_COMMAND_OK) {
            ErrorKind kind = ErrorKind::kOther;
            Status status = PgError(res, conn, label, &kind);
            PQclear(res);
            return session_->Fail(std::move(status), kind);
        }
        int64_t written = ParseCount(PQcmdTuples(res));
        PQclear(res);
        std::string drop = "DROP TABLE " + stage_;
        ErrorKind kind = ErrorKind::kOther;
        Status dropped = PgExec(conn, drop.c_str(), label, &kind);
        if (!dropped.ok()) return session_->Fail(std::move(dropped), kind);
        return written;
    }

private:
    static std::string Join(const std::vector<std::string>& names) {
        std::string out;
        for (const std::string& name : names) {
            if (!out.empty()) out += ", ";
            out += name;
        }
        return out;
    }

    void CheckUsable() const {
        MORTAR_CHECK(session_->open, "BulkWriter used after its Tx ended");
        MORTAR_CHECK(!finished_, "BulkWriter used after Finish()");
    }

    // Sends the buffered rows with one COPY ... FROM STDIN.
    Status Flush() {
        if (buffer_.empty()) return Status::Ok();
        PGconn* conn = session_->lease->conn();
        std::string label = "bulk copy into " + spec_.table;
        std::string copy = "COPY " + stage_ + " (" + Join(spec_.columns) + ", mortar_ord) FROM STDIN";
        PGresult* res = PQexec(conn, copy.c_str());
        if (res == nullptr || PQresultStatus(res) != PGRES_COPY_IN) {
            ErrorKind kind = ErrorKind::kOther;
            Status status = PgError(res, conn, label, &kind);
            PQclear(res);
            return session_->Fail(std::move(status), kind);
        }
        PQclear(res);
        bool sent = PQputCopyData(conn, buffer_.data(), static_cast<int>(buffer_.size())) == 1;
        sent = PQputCopyEnd(conn, sent ? nullptr : "client failed to send data") == 1 && sent;
        buffer_.clear();
        Status status = Status::Ok();
        ErrorKind kind = ErrorKind::kOther;
        while ((res = PQgetResult(conn)) != nullptr) {
            if (status.ok() && PQresultStatus(res) != PGRES_COMMAND_OK) status = PgError(res, conn, label, &kind);
            PQclear(res);
        }
        if (status.ok() && !sent) status = PgError(nullptr, conn, label, &kind);
        if (!status.ok()) return session_->Fail(std::move(status), kind);
        return Status::Ok();
    }

    std::shared_ptr<PgSession> session_;
    const BulkSpec spec_;
    const std::string stage_;
    std::string buffer_;
    int64_t rows_ = 0;
    bool finished_ = false;
};

class PgTx final : public TxImpl {
public:
    explicit PgTx(std::shared_ptr<PgSession> session) : session_(std::move(session)) {}
    ~PgTx() override {
        if (session_->open) Rollback();
    }

    Dialect dialect() const override { return Dialect::kPostgres; }

    Result<Stmt> Prepare(std::string_view name, std::string_view sql, bool dynamic) override {
        CheckOpen();
        ErrorKind kind = ErrorKind::kOther;
        Result<const PgPrepared*> prepared = session_->lease->Prepare(name, sql, dynamic, &kind);
        if (!prepared.ok()) return session_->Fail(prepared.status(), kind);
        return Stmt(std::make_unique<PgStmt>(session_, *prepared));
    }

    Status ExecScript(std::string_view sql) override {
        CheckOpen();
        std::string text(sql);
        ErrorKind kind = ErrorKind::kOther;
        Status status = PgExec(session_->lease->conn(), text.c_str(), "script", &kind);
        if (!status.ok()) return session_->Fail(std::move(status), kind);
        return status;
    }

    Status Commit() override {
        CheckOpen();
        if (session_->aborted) {
            Rollback();
            const Status& first = session_->abort_status;
            return Status(first.code(), "transaction rolled back after an earlier error: " + first.message());
        }
        session_->open = false;
        if (session_->autocommit) {
            session_->ReleaseConnection();
            return Status::Ok();
        }
        PGconn* conn = session_->lease->conn();
        PGresult* res = PQexec(conn, "COMMIT");
        ExecStatusType st = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
        Status status = Status::Ok();
        if (st != PGRES_COMMAND_OK) {
            status = PgError(res, conn, "commit", &session_->last_error);
        } else if (std::strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
            session_->last_error = ErrorKind::kOther;
            status = Status::Internal("commit: the server rolled the transaction back");
        }
        PQclear(res);
        if (!status.ok()) RollbackIfOpen();
        session_->ReleaseConnection();
        return status;
    }

    void Rollback() override {
        if (!session_->open) return;
        session_->open = false;
        RollbackIfOpen();
        session_->ReleaseConnection();
    }

    ErrorKind last_error_kind() const override { return session_->last_error; }

    Result<std::unique_ptr<BulkWriterImpl>> CreateBulkWriter(BulkSpec spec) override {
        CheckOpen();
        CheckBulkSpec(spec);
        std::string stage = "mortar_stage_" + std::to_string(session_->lease->NextSerial());
        std::string columns;
        for (const std::string& c : spec.columns) columns += c + ", ";
        std::string sql = "CREATE TEMP TABLE " + stage + " ON COMMIT DROP AS SELECT " + columns +
                          "0::bigint AS mortar_ord FROM " + spec.table + " WITH NO DATA";
        ErrorKind kind = ErrorKind::kOther;
        Status status = PgExec(session_->lease->conn(), sql.c_str(), "bulk staging for " + spec.table, &kind);
        if (!status.ok()) return session_->Fail(std::move(status), kind);
        return std::unique_ptr<BulkWriterImpl>(
            std::make_unique<PgBulkWriter>(session_, std::move(spec), std::move(stage))
        );
    }

private:
    void CheckOpen() const { MORTAR_CHECK(session_->open, "Tx used after Commit() or Rollback()"); }

    // Rolls back whatever is left of the transaction. A failure leaves the connection
    // outside PQTRANS_IDLE, and ReleaseConnection() then closes it.
    void RollbackIfOpen() {
        PGconn* conn = session_->lease->conn();
        if (PQstatus(conn) != CONNECTION_OK || PQtransactionStatus(conn) == PQTRANS_IDLE) return;
        Status status = PgExec(conn, "ROLLBACK", "rollback", nullptr);
        if (!status.ok()) log::warn("PostgreSQL {}", status.message());
    }

    std::shared_ptr<PgSession> session_;
};

}  // namespace

Tx MakePgTx(std::shared_ptr<PgSession> session) {
    return Tx(std::make_unique<PgTx>(std::move(session)));
}

}  // namespace mortar::db::internal
