// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mortar {

// Normalises a MAC address to 12 lower-case hex digits. Accepts the common spellings:
// "3C:52:82:10:AA:01", "3c-52-82-10-aa-01", "3c52.8210.aa01", "3C528210AA01" and
// surrounding white space. Returns nullopt for anything else (wrong length, mixed or
// misplaced separators, non-hex digits).
std::optional<std::string> NormalizeMac(std::string_view text);

}  // namespace mortar
