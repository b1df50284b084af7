// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sanitize/internal/html_entities.hpp"

#include <algorithm>
#include <iterator>

namespace mortar::sanitize::internal {
namespace {

struct NamedReference {
    std::string_view name;
    std::string_view value;
};

constexpr NamedReference kNamedReferences[] = {
#include "sanitize/internal/html_entities.inc"
};

constexpr std::size_t kMaxNameLength = 32;

bool IsAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

NamedReferenceMatch MatchNamedReference(std::string_view text) {
    // Walk the sorted table like a trie: after k characters, [lo, hi) holds exactly the names
    // that start with text[0, k). A name equal to that prefix sorts first in the range.
    const NamedReference* lo = std::begin(kNamedReferences);
    const NamedReference* hi = std::end(kNamedReferences);
    NamedReferenceMatch best;
    for (std::size_t k = 0; k < text.size() && k < kMaxNameLength; ++k) {
        const char c = text[k];
        if (!IsAsciiAlnum(c) && c != ';') break;
        lo = std::partition_point(lo, hi, [&](const NamedReference& r) {
            return r.name.size() <= k || static_cast<unsigned char>(r.name[k]) < static_cast<unsigned char>(c);
        });
        hi = std::partition_point(lo, hi, [&](const NamedReference& r) { return r.name[k] == c; });
        if (lo == hi) break;
        if (lo->name.size() == k + 1) best = {k + 1, lo->value};
        if (c == ';') break;
    }
    return best;
}

}  // namespace mortar::sanitize::internal
