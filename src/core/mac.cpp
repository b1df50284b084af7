// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/mac.hpp"

#include "core/strings.hpp"

namespace mortar {
namespace {

bool IsHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

char Lower(char c) {
    return (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Checks that `text` is groups of `group` hex digits separated by exactly `sep`.
std::optional<std::string> Grouped(std::string_view text, char sep, std::size_t group) {
    const std::size_t groups = 12 / group;
    if (text.size() != 12 + groups - 1) return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool at_separator = (i + 1) % (group + 1) == 0;
        if (at_separator) {
            if (text[i] != sep) return std::nullopt;
        } else {
            if (!IsHexDigit(text[i])) return std::nullopt;
            out += Lower(text[i]);
        }
    }
    return out;
}

}  // namespace

std::optional<std::string> NormalizeMac(std::string_view text) {
    text = Trim(text);
    if (text.size() == 12) return Grouped(text, '\0', 12);
    if (text.size() == 17) {
        if (auto mac = Grouped(text, ':', 2)) return mac;
        return Grouped(text, '-', 2);
    }
    if (text.size() == 14) return Grouped(text, '.', 4);
    return std::nullopt;
}

}  // namespace mortar
