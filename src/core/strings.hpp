// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mortar {

// "organization-type-id" -> "organization_type_id".
std::string DashToUnderscore(std::string_view s);
// "organization_type_id" -> "organization-type-id".
std::string UnderscoreToDash(std::string_view s);
// Splits on a single character; keeps empty pieces.
std::vector<std::string_view> Split(std::string_view s, char sep);
std::string_view Trim(std::string_view s);
std::string ToLower(std::string_view s);
// Parses a whole string of ASCII digits (optional leading '-') into int64; nullopt on
// anything else, including overflow and empty input.
std::optional<int64_t> ParseInt64(std::string_view s);
// Lower-case hex of bytes.
std::string HexEncode(std::string_view bytes);
// Standard padded base64 (RFC 4648 section 4) of bytes.
std::string Base64Encode(std::string_view bytes);
// True when `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF). The empty string is valid.
bool IsValidUtf8(std::string_view s);

}  // namespace mortar
