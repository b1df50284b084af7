// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sanitize/internal/html_entities.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <utility>

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

// For each byte, the range of kNamedReferences whose names start with it.
struct FirstByteIndex {
    std::array<std::pair<std::uint16_t, std::uint16_t>, 256> range{};
};

const FirstByteIndex& Index() {
    static const FirstByteIndex kIndex = [] {
        FirstByteIndex index;
        const std::size_t n = std::size(kNamedReferences);
        for (std::size_t i = n; i-- > 0;) {
            auto& [lo, hi] = index.range[static_cast<unsigned char>(kNamedReferences[i].name[0])];
            if (hi == 0) hi = static_cast<std::uint16_t>(i + 1);
            lo = static_cast<std::uint16_t>(i);
        }
        return index;
    }();
    return kIndex;
}

}  // namespace

NamedReferenceMatch MatchNamedReference(std::string_view text) {
    // The references that make up nearly all real documents.
    static constexpr NamedReference kCommon[] = {
        {"amp;", "&"},
        {"lt;", "<"},
        {"gt;", ">"},
        {"quot;", "\""},
        {"nbsp;", "\xC2\xA0"},
    };
    for (const NamedReference& common : kCommon) {
        if (text.substr(0, common.name.size()) == common.name) return {common.name.size(), common.value};
    }
    if (text.empty()) return {};
    // Walk the sorted table like a trie: after k characters, [lo, hi) holds exactly the names
    // that start with text[0, k). A name equal to that prefix sorts first in the range.
    const auto [first, last] = Index().range[static_cast<unsigned char>(text[0])];
    const NamedReference* lo = std::begin(kNamedReferences) + first;
    const NamedReference* hi = std::begin(kNamedReferences) + last;
    NamedReferenceMatch best;
    for (std::size_t k = 1; lo != hi && k < text.size() && k < kMaxNameLength; ++k) {
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
