// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jsonapi/query.hpp"

#include <algorithm>

#include "core/strings.hpp"

namespace mortar::jsonapi {

namespace {

constexpr std::size_t kMaxQueryBytes = 16 * 1024;
constexpr std::size_t kMaxQueryPairs = 256;

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Form-decodes one key or value: '+' is a space, %XX a byte.
Status FormDecode(std::string_view in, std::string& out) {
    out.clear();
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%') {
            const int hi = i + 1 < in.size() ? HexValue(in[i + 1]) : -1;
            const int lo = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                return Status::InvalidArgument("malformed query string: '%' must be followed by two hex digits");
            }
            const char decoded = static_cast<char>(hi * 16 + lo);
            if (decoded == '\0') return Status::InvalidArgument("malformed query string: contains a NUL byte");
            out.push_back(decoded);
            i += 2;
        } else if (c == '\0') {
            return Status::InvalidArgument("malformed query string: contains a NUL byte");
        } else {
            out.push_back(c);
        }
    }
    if (!IsValidUtf8(out)) return Status::InvalidArgument("malformed query string: not valid UTF-8");
    return Status::Ok();
}

// Splits "filter[a][b]" into its base "filter" and segments {"a", "b"}. False when the
// brackets are unbalanced, a segment is empty, or anything follows a ']' but a '['.
bool SplitBracketKey(std::string_view key, std::string_view& base, std::vector<std::string_view>& segments) {
    segments.clear();
    const std::size_t open = key.find('[');
    base = key.substr(0, open);
    if (open == std::string_view::npos) return true;
    std::size_t pos = open;
    while (pos < key.size()) {
        if (key[pos] != '[') return false;
        const std::size_t close = key.find(']', pos + 1);
        if (close == std::string_view::npos) return false;
        const std::string_view segment = key.substr(pos + 1, close - pos - 1);
        if (segment.empty() || segment.find('[') != std::string_view::npos) return false;
        segments.push_back(segment);
        pos = close + 1;
    }
    return true;
}

Status MalformedKey(std::string_view key) {
    return Status::InvalidArgument("malformed query parameter name \"" + std::string(key.substr(0, 64)) + "\"");
}

// A page parameter: a positive integer, trimmed of ASCII spaces.
Result<int64_t> ParsePageValue(std::string_view name, std::string_view value, int64_t cap, bool cap_silently) {
    const std::string_view digits = Trim(value);
    const bool all_digits =
        !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    const std::string must = std::string(name) + " must be a positive integer";
    if (!all_digits) return Status::InvalidArgument(must);
    const std::optional<int64_t> n = ParseInt64(digits);
    if (n.has_value() && *n == 0) return Status::InvalidArgument(must);
    if (!n.has_value() || *n > cap) {
        // Only overflow or a value above the cap get here.
        if (cap_silently) return cap;
        return Status::InvalidArgument(std::string(name) + " is too large (at most " + std::to_string(cap) + ")");
    }
    return *n;
}

// Splits a comma list into trimmed, non-empty pieces.
std::vector<std::string_view> CommaList(std::string_view value) {
    std::vector<std::string_view> out;
    for (std::string_view piece : Split(value, ',')) {
        piece = Trim(piece);
        if (!piece.empty()) out.push_back(piece);
    }
    return out;
}

}  // namespace

Result<QueryPairs> DecodeQuery(std::string_view raw) {
    if (raw.size() > kMaxQueryBytes) return Status::InvalidArgument("query string is longer than 16 KiB");
    QueryPairs pairs;
    std::string key, value;
    for (std::string_view piece : Split(raw, '&')) {
        if (piece.empty()) continue;
        if (pairs.size() == kMaxQueryPairs) {
            return Status::InvalidArgument("query string has more than 256 parameters");
        }
        const std::size_t eq = piece.find('=');
        const std::string_view raw_key = piece.substr(0, eq);
        const std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
        MORTAR_RETURN_IF_ERROR(FormDecode(raw_key, key));
        MORTAR_RETURN_IF_ERROR(FormDecode(raw_value, value));
        pairs.emplace_back(key, value);
    }
    return pairs;
}

std::string EncodeQueryComponent(std::string_view s) {
    static constexpr char kHexUpper[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size() + s.size() / 2);
    for (unsigned char c : s) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHexUpper[c >> 4]);
            out.push_back(kHexUpper[c & 0x0f]);
        }
    }
    return out;
}

const std::string* ListQuery::Other(std::string_view name) const {
    for (const auto& [key, value] : other) {
        if (key == name) return &value;
    }
    return nullptr;
}

Result<ListQuery> ParseListQuery(const QueryPairs& pairs) {
    ListQuery q;
    std::string_view base;
    std::vector<std::string_view> segments;
    for (const auto& [key, value] : pairs) {
        if (!SplitBracketKey(key, base, segments)) {
            if (base == "filter" || base == "page") return MalformedKey(key);
            q.other.emplace_back(DashToUnderscore(key), value);
            continue;
        }
        if (base == "page" && segments.size() == 1 && segments[0] == "number") {
            Result<int64_t> n = ParsePageValue("page[number]", value, kMaxPageNumber, false);
            if (!n.ok()) return n.status();
            q.page_number = *n;
        } else if (base == "page" && segments.size() == 1 && segments[0] == "size") {
            Result<int64_t> n = ParsePageValue("page[size]", value, kMaxPageSize, true);
            if (!n.ok()) return n.status();
            q.page_size = *n;
        } else if (base == "filter" && !segments.empty()) {
            Filter f;
            std::string_view field;
            if (segments.size() == 1) {
                field = segments[0];
            } else if (segments.size() == 2 && segments[0] == "exclude") {
                f.op = FilterOp::kExclude;
                field = segments[1];
            } else if (segments.size() == 2 && segments[0] == "range") {
                f.op = FilterOp::kRange;
                field = segments[1];
            } else {
                return Status::InvalidArgument(
                    "unsupported filter parameter \"" + key.substr(0, 64) +
                    "\": use filter[name], filter[exclude][name] or filter[range][name]"
                );
            }
            f.field = DashToUnderscore(field);
            f.value = value;
            q.filters.push_back(std::move(f));
        } else if (base == "sort" && segments.empty()) {
            // The last sort parameter wins.
            q.sort.clear();
            for (std::string_view piece : CommaList(value)) {
                SortKey s;
                if (piece.front() == '-') {
                    s.descending = true;
                    piece = Trim(piece.substr(1));
                }
                if (piece.empty() || piece.front() == '-') {
                    return Status::InvalidArgument(
                        "sort has an empty or malformed key in \"" + value.substr(0, 64) + "\""
                    );
                }
                s.field = DashToUnderscore(piece);
                q.sort.push_back(std::move(s));
            }
        } else if (base == "include" && segments.empty()) {
            // The last include parameter wins; names are de-duplicated, order kept.
            q.include.clear();
            for (std::string_view piece : CommaList(value)) {
                std::string name = DashToUnderscore(piece);
                if (std::find(q.include.begin(), q.include.end(), name) == q.include.end()) {
                    q.include.push_back(std::move(name));
                }
            }
        } else {
            q.other.emplace_back(DashToUnderscore(key), value);
        }
    }
    return q;
}

std::vector<std::string> SplitFilterValue(std::string_view value) {
    std::vector<std::string> out;
    for (std::string_view piece : CommaList(value)) out.emplace_back(piece);
    return out;
}

}  // namespace mortar::jsonapi
