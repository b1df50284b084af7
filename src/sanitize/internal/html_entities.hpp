// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstddef>
#include <string_view>

namespace mortar::sanitize::internal {

// The longest named character reference found at the start of some text.
struct NamedReferenceMatch {
    std::size_t length = 0;  // characters of the name consumed, ";" included; 0 when nothing matched
    std::string_view value;  // the UTF-8 replacement text (one or two code points)
};

// Finds the longest WHATWG named character reference ("amp;", "not", "NotNestedLessLess;")
// that is a prefix of `text`, which starts right after the "&". Legacy names without the
// semicolon match too, as the HTML tokenizer requires. Reads at most 32 characters of
// `text`; never fails. The returned value points into a static table.
NamedReferenceMatch MatchNamedReference(std::string_view text);

}  // namespace mortar::sanitize::internal
