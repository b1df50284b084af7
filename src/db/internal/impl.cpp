// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/internal/impl.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace mortar::db::internal {

Code CodeForKind(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::kNone:
            return Code::kOk;
        case ErrorKind::kUniqueViolation:
            return Code::kConflict;
        case ErrorKind::kForeignKeyViolation:
        case ErrorKind::kNotNullViolation:
        case ErrorKind::kCheckViolation:
            return Code::kUnprocessable;
        case ErrorKind::kSerialization:
        case ErrorKind::kBusy:
        case ErrorKind::kConnection:
            return Code::kUnavailable;
        case ErrorKind::kOther:
            return Code::kInternal;
    }
    return Code::kInternal;
}

uint64_t Fnv1a64(std::string_view text) {
    uint64_t hash = 14695981039346656037ULL;
    for (char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

bool IsPlainIdentifier(std::string_view name, bool allow_schema) {
    if (allow_schema) {
        size_t dot = name.find('.');
        if (dot != std::string_view::npos) {
            return IsPlainIdentifier(name.substr(0, dot), false) && IsPlainIdentifier(name.substr(dot + 1), false);
        }
    }
    if (name.empty()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        bool digit = c >= '0' && c <= '9';
        if (!alpha && !(digit && i > 0)) return false;
    }
    return true;
}

void CheckBulkSpec(const BulkSpec& spec) {
    MORTAR_CHECK(IsPlainIdentifier(spec.table, true), "BulkSpec.table is not a plain identifier");
    MORTAR_CHECK(!spec.columns.empty(), "BulkSpec.columns is empty");
    for (const std::string& c : spec.columns) MORTAR_CHECK(IsPlainIdentifier(c), "BulkSpec column: " + c);
    for (const std::string& c : spec.conflict_columns)
        MORTAR_CHECK(IsPlainIdentifier(c), "BulkSpec conflict column: " + c);
    for (const std::string& c : spec.update_columns) MORTAR_CHECK(IsPlainIdentifier(c), "BulkSpec update column: " + c);
    MORTAR_CHECK(
        spec.update_columns.empty() || !spec.conflict_columns.empty(), "BulkSpec.update_columns needs conflict_columns"
    );
    auto listed = [&](const std::string& name) {
        return std::find(spec.columns.begin(), spec.columns.end(), name) != spec.columns.end();
    };
    for (const std::string& c : spec.conflict_columns)
        MORTAR_CHECK(listed(c), "BulkSpec conflict column not in columns: " + c);
    for (const std::string& c : spec.update_columns)
        MORTAR_CHECK(listed(c), "BulkSpec update column not in columns: " + c);
}

namespace {
void AppendJoined(std::string& out, const std::vector<std::string>& names) {
    for (size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += ", ";
        out += names[i];
    }
}
}  // namespace

std::string BuildConflictClause(const BulkSpec& spec) {
    if (spec.conflict_columns.empty()) return {};
    std::string out = " ON CONFLICT (";
    AppendJoined(out, spec.conflict_columns);
    out += ")";
    if (spec.update_columns.empty()) {
        out += " DO NOTHING";
        return out;
    }
    out += " DO UPDATE SET ";
    for (size_t i = 0; i < spec.update_columns.size(); ++i) {
        if (i > 0) out += ", ";
        out += spec.update_columns[i];
        out += " = excluded.";
        out += spec.update_columns[i];
    }
    return out;
}

std::string BuildUpsertSql(const BulkSpec& spec) {
    std::string sql = "INSERT INTO " + spec.table + " (";
    AppendJoined(sql, spec.columns);
    sql += ") VALUES (";
    for (size_t i = 0; i < spec.columns.size(); ++i) {
        if (i > 0) sql += ", ";
        sql += "$" + std::to_string(i + 1);
    }
    sql += ")";
    sql += BuildConflictClause(spec);
    return sql;
}

std::string NowIso8601() {
    auto now = std::chrono::system_clock::now();
    auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(millis / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(
        buf,
        sizeof buf,
        "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        static_cast<int>(millis % 1000)
    );
    return buf;
}

}  // namespace mortar::db::internal
