// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"

namespace mortar::jsonapi {

// The query string decoded as form data: "a=1&b=%5Bx%5D+y" -> {a,1},{b,"[x] y"}.
// Order is kept; repeated keys are kept.
using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// Decodes a raw query string (without '?'). '+' is a space; %XX escapes are decoded
// in keys and values; pieces without '=' have an empty value; empty pieces are
// skipped; only the first '=' of a piece separates key from value. Returns
// kInvalidArgument for a broken escape ("%G1", "%4"), a NUL byte (raw or decoded),
// invalid UTF-8 after decoding, or more than 256 pairs / 16 KiB.
Result<QueryPairs> DecodeQuery(std::string_view raw);

// Percent-encodes for a query component (RFC 3986 unreserved kept; brackets
// encoded as %5B %5D, space as %20).
std::string EncodeQueryComponent(std::string_view s);

enum class FilterOp {
    kEq,       // filter[name]=x, comma means any of
    kExclude,  // filter[exclude][name]=x
    kRange,    // filter[range][name]=a,b
};

// One filter from the query: field names are normalised to snake_case.
struct Filter {
    FilterOp op = FilterOp::kEq;
    std::string field;  // "organization_id"
    std::string value;  // raw value, "3,9" left unsplit
};

struct SortKey {
    std::string field;  // snake_case
    bool descending = false;
};

// The JSON:API list parameters of a request.
struct ListQuery {
    int64_t page_number = 1;
    int64_t page_size = 50;
    std::vector<Filter> filters;
    std::vector<SortKey> sort;
    std::vector<std::string> include;  // snake_case names
    // Every other parameter, as decoded (show_password, ...).
    QueryPairs other;

    // The first value of an `other` parameter (by snake_case name), or nullptr.
    const std::string* Other(std::string_view name) const;
};

inline constexpr int64_t kDefaultPageSize = 50;
inline constexpr int64_t kMaxPageSize = 1000;
// The largest page[number] accepted: (page_number - 1) * page_size then fits int64, so
// callers may compute an OFFSET without overflow.
inline constexpr int64_t kMaxPageNumber = INT64_MAX / kMaxPageSize;

// Reads page[number], page[size], filter[...], sort, include and the rest.
// page[size] above 1000 is capped to 1000 (Mortar choice); page[number] or page[size]
// that is not a positive integer (ASCII spaces around it are ignored) is
// kInvalidArgument ("page[size] must be a positive integer"), and so is a page[number]
// above kMaxPageNumber. Filter, sort and include names are normalised to snake_case.
// Filters are filter[name], filter[exclude][name] and filter[range][name]; any other
// form (filter[a][b], filter[a][b][c]) is kInvalidArgument. sort is a comma list of
// names, each with an optional leading '-' (descending); an empty name after '-' is
// kInvalidArgument, empty list items are skipped. include is a comma list, de-duplicated.
// Duplicate page, sort and include parameters: the last wins; filters accumulate.
// Malformed bracket keys of filter and page ("filter[", "filter[]", "page[size]x") are
// kInvalidArgument. Every other parameter goes to `other` with its key snake_cased.
// Never throws; does not block.
Result<ListQuery> ParseListQuery(const QueryPairs& pairs);

// Splits a comma-separated filter value into trimmed non-empty pieces.
std::vector<std::string> SplitFilterValue(std::string_view value);

}  // namespace mortar::jsonapi
