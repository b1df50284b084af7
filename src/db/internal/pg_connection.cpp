// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/internal/pg_connection.hpp"

#include <array>
#include <charconv>
#include <cstdio>

#include <libpq-fe.h>

#include "core/log.hpp"
#include "db/internal/placeholder_rewrite.hpp"

namespace mortar::db::internal {
namespace {

// Statements from PrepareDynamic() kept per connection before TrimCache() drops them.
constexpr int kMaxDynamicStatements = 256;

std::string_view TrimNewlines(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
    return text;
}

ErrorKind KindFromSqlState(std::string_view state) {
    if (state == "23505") return ErrorKind::kUniqueViolation;
    if (state == "23503") return ErrorKind::kForeignKeyViolation;
    if (state == "23502") return ErrorKind::kNotNullViolation;
    if (state == "23514") return ErrorKind::kCheckViolation;
    if (state == "40001" || state == "40P01") return ErrorKind::kSerialization;
    if (state == "55P03" || state == "57014") return ErrorKind::kBusy;  // lock_not_available, query_canceled
    if (state.starts_with("08") || state == "53300" || state == "57P01" || state == "57P02" || state == "57P03") {
        return ErrorKind::kConnection;
    }
    return ErrorKind::kOther;
}

// Whether the server's primary message for `state` is free of data values. Messages of
// data exceptions (class 22) quote the offending input, and raised errors can say anything.
bool PrimaryMessageIsSafe(std::string_view state, ErrorKind kind) {
    if (kind != ErrorKind::kOther) return true;
    static constexpr std::array<std::string_view, 12> kSafeClasses = {
        "0A", "25", "26", "28", "34", "3D", "3F", "40", "42", "53", "55", "57"};
    for (std::string_view c : kSafeClasses) {
        if (state.starts_with(c)) return true;
    }
    return false;
}

void AppendField(std::string& out, const pg_result* res, int field, const char* label) {
    const char* value = PQresultErrorField(res, field);
    if (value == nullptr || *value == '\0') return;
    out += ", ";
    out += label;
    out += " \"";
    out += value;
    out += '"';
}

void NoticeToLog(void*, const char* message) {
    log::debug("postgres notice: {}", TrimNewlines(message != nullptr ? message : ""));
}

// A readable, stable statement name: "m_<label>_<hash of the SQL>".
std::string StatementName(std::string_view label, std::string_view sql) {
    std::string name = "m_";
    for (char c : label.substr(0, 32)) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        name += keep ? c : '_';
    }
    char hash[24];
    std::snprintf(hash, sizeof hash, "_%016llx", static_cast<unsigned long long>(Fnv1a64(sql)));
    name += hash;
    return name;
}

}  // namespace

Status PgError(const pg_result* res, pg_conn* conn, std::string_view context, ErrorKind* kind) {
    const char* sqlstate = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string_view state = sqlstate != nullptr ? sqlstate : "";
    ErrorKind k = KindFromSqlState(state);
    if (conn == nullptr || PQstatus(conn) == CONNECTION_BAD) k = ErrorKind::kConnection;
    if (kind != nullptr) *kind = k;

    std::string message(context);
    message += ": ";
    if (state.empty()) {
        // A client-side failure (connection lost, out of memory): libpq's own message.
        const char* text = res != nullptr ? PQresultErrorMessage(res) : nullptr;
        if (text == nullptr || *text == '\0') text = conn != nullptr ? PQerrorMessage(conn) : "no connection";
        message += TrimNewlines(text);
    } else if (PrimaryMessageIsSafe(state, k)) {
        const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        message += primary != nullptr ? primary : "database error";
        message += " (SQLSTATE ";
        message += state;
        message += ')';
    } else {
        message += "database error (SQLSTATE ";
        message += state;
        message += ')';
        AppendField(message, res, PG_DIAG_TABLE_NAME, "table");
        AppendField(message, res, PG_DIAG_COLUMN_NAME, "column");
        AppendField(message, res, PG_DIAG_CONSTRAINT_NAME, "constraint");
        AppendField(message, res, PG_DIAG_DATATYPE_NAME, "type");
    }
    return Status(CodeForKind(k), std::move(message));
}

Status PgExec(pg_conn* conn, const char* sql, std::string_view context, ErrorKind* kind) {
    PGresult* res = PQexec(conn, sql);
    ExecStatusType st = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    Status status = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? Status::Ok() : PgError(res, conn, context, kind);
    PQclear(res);
    return status;
}

int64_t ParseCount(const char* text) {
    int64_t n = 0;
    if (text != nullptr) std::from_chars(text, text + std::char_traits<char>::length(text), n);
    return n;
}

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& conninfo) {
    // Entries before "dbname" are defaults the connection string may override; entries
    // after it override the string.
    const char* const keywords[] = {
        "connect_timeout", "fallback_application_name", "dbname", "client_encoding", nullptr};
    const char* const values[] = {"10", "mortar", conninfo.c_str(), "UTF8", nullptr};
    PGconn* conn = PQconnectdbParams(keywords, values, 1);
    if (conn == nullptr) return Status::Unavailable("cannot connect to PostgreSQL: out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
        std::string why(TrimNewlines(PQerrorMessage(conn)));
        PQfinish(conn);
        return Status::Unavailable("cannot connect to PostgreSQL: " + why);
    }
    PQsetNoticeProcessor(conn, NoticeToLog, nullptr);
    return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() {
    PQfinish(conn_);
}

bool PgConnection::Healthy() const {
    return PQstatus(conn_) == CONNECTION_OK;
}

bool PgConnection::Idle() const {
    return Healthy() && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

Result<const PgPrepared*> PgConnection::Prepare(
    std::string_view name, std::string_view sql, bool dynamic, ErrorKind* kind
) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return &it->second;

    PgPrepared prepared;
    prepared.label = std::string(name);
    prepared.statement_name = StatementName(dynamic ? "dynamic" : name, sql);
    prepared.param_count = MaxPlaceholderIndex(sql);
    prepared.dynamic = dynamic;
    std::string text(sql);
    PGresult* res = PQprepare(conn_, prepared.statement_name.c_str(), text.c_str(), 0, nullptr);
    bool ok = res != nullptr && PQresultStatus(res) == PGRES_COMMAND_OK;
    Status status = ok ? Status::Ok() : PgError(res, conn_, name, kind);
    PQclear(res);
    if (!ok) return status;
    if (dynamic) ++dynamic_count_;
    auto [pos, inserted] = cache_.emplace(std::move(text), std::move(prepared));
    return &pos->second;
}

void PgConnection::TrimCache() {
    if (dynamic_count_ <= kMaxDynamicStatements) return;
    if (!Idle()) return;
    Status status = PgExec(conn_, "DEALLOCATE ALL", "trim statement cache", nullptr);
    if (!status.ok()) {
        log::warn("PostgreSQL {}", status.message());
        return;
    }
    cache_.clear();
    dynamic_count_ = 0;
}

}  // namespace mortar::db::internal
