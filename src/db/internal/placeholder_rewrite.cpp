// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/internal/placeholder_rewrite.hpp"

#include <cstddef>

namespace mortar::db::internal {
namespace {

bool IsIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

bool IsDigit(char c) {
    return c >= '0' && c <= '9';
}

bool IsIdentChar(char c) {
    return IsIdentStart(c) || IsDigit(c) || c == '$';
}

// Returns the offset just past a quoted run that starts at `pos` (the opening quote),
// where a doubled quote stands for one quote and, when `backslash_escapes`, a backslash
// escapes the next character. An unterminated run ends at the end of the text.
size_t SkipQuoted(std::string_view sql, size_t pos, char quote, bool backslash_escapes) {
    size_t i = pos + 1;
    while (i < sql.size()) {
        char c = sql[i];
        if (backslash_escapes && c == '\\') {
            i += 2;
            continue;
        }
        if (c == quote) {
            if (i + 1 < sql.size() && sql[i + 1] == quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return sql.size();
}

// If a dollar-quote opening tag ($$ or $tag$) starts at `pos`, returns the offset past its
// closing tag; otherwise returns `pos`.
size_t SkipDollarQuoted(std::string_view sql, size_t pos) {
    size_t i = pos + 1;
    if (i < sql.size() && sql[i] != '$') {
        if (!IsIdentStart(sql[i])) return pos;
        while (i < sql.size() && (IsIdentStart(sql[i]) || IsDigit(sql[i]))) ++i;
        if (i >= sql.size() || sql[i] != '$') return pos;
    }
    if (i >= sql.size()) return pos;
    std::string_view tag = sql.substr(pos, i - pos + 1);
    size_t close = sql.find(tag, i + 1);
    return close == std::string_view::npos ? sql.size() : close + tag.size();
}

// Calls on_text(begin, end) for runs of SQL to copy and on_placeholder(begin, end, n)
// for each placeholder $n found at [begin, end).
template <class OnText, class OnPlaceholder>
void Scan(std::string_view sql, OnText&& on_text, OnPlaceholder&& on_placeholder) {
    size_t copied = 0;  // text before this offset was handed to on_text
    size_t i = 0;
    while (i < sql.size()) {
        char c = sql[i];
        if (c == '\'') {
            bool e_string = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
            i = SkipQuoted(sql, i, '\'', e_string);
        } else if (c == '"') {
            i = SkipQuoted(sql, i, '"', false);
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            size_t eol = sql.find('\n', i + 2);
            i = eol == std::string_view::npos ? sql.size() : eol + 1;
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            size_t end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + 2;
        } else if (IsIdentStart(c) || IsDigit(c)) {
            // A whole word, so that a '$' inside it (foo$1) is not a placeholder.
            while (i < sql.size() && IsIdentChar(sql[i])) ++i;
        } else if (c == '$') {
            if (i + 1 < sql.size() && IsDigit(sql[i + 1])) {
                size_t end = i + 1;
                long long n = 0;
                while (end < sql.size() && IsDigit(sql[end])) {
                    if (n < 1000000) n = n * 10 + (sql[end] - '0');
                    ++end;
                }
                on_text(copied, i);
                on_placeholder(i, end, static_cast<int>(n));
                copied = end;
                i = end;
            } else {
                size_t end = SkipDollarQuoted(sql, i);
                i = end == i ? i + 1 : end;
            }
        } else {
            ++i;
        }
    }
    on_text(copied, sql.size());
}

}  // namespace

std::string RewriteDollarPlaceholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size());
    Scan(
        sql,
        [&](size_t begin, size_t end) { out.append(sql.substr(begin, end - begin)); },
        [&](size_t begin, size_t end, int) {
            out.push_back('?');
            out.append(sql.substr(begin + 1, end - begin - 1));
        }
    );
    return out;
}

int MaxPlaceholderIndex(std::string_view sql) {
    int max_index = 0;
    Scan(
        sql,
        [](size_t, size_t) {},
        [&](size_t, size_t, int n) {
            if (n > max_index) max_index = n;
        }
    );
    return max_index;
}

}  // namespace mortar::db::internal
