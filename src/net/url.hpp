// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mortar::net {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes everything but RFC 3986 unreserved characters (so also '/', ' ' and '+').
std::string UrlEncode(std::string_view s);
// Decodes %XX escapes and, when `plus_is_space`, '+' as a space. Malformed escapes are
// kept literally.
std::string UrlDecode(std::string_view s, bool plus_is_space = true);
// Decodes a form body or query string into pairs, in order ("a=1&b=%20" -> {a,1},{b," "}).
Pairs DecodeForm(std::string_view text);
// Encodes pairs as a form body or query string.
std::string EncodeForm(const Pairs& pairs);
// The value of the first pair named `name` (exact match), or nullopt.
std::optional<std::string> FormValue(const Pairs& pairs, std::string_view name);

// Appends "name=value" (encoded) to a URL, with '?' or '&' as needed.
std::string AppendQuery(std::string url, std::string_view name, std::string_view value);
// The query part of a URL (after '?', before '#'), "" when none.
std::string_view QueryOf(std::string_view url);
// The scheme and authority of an absolute URL ("http://127.0.0.1:8080"), "" when `url`
// is not absolute.
std::string_view OriginOf(std::string_view url);

// One link of an RFC 8288 Link header: <url>; rel="next".
struct Link {
    std::string url;
    std::string rel;
};
// Parses a Link header value. Links without a rel, or unparsable ones, are skipped.
std::vector<Link> ParseLinkHeader(std::string_view value);
// The URL of the first link with this rel, or nullopt.
std::optional<std::string> FindLink(std::string_view header_value, std::string_view rel);

}  // namespace mortar::net
