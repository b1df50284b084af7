// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mortar::match {

// How the name tokenizer treats one character.
enum class CharClass {
    kWord,        // letter or digit (any script): part of a token
    kApostrophe,  // ' ` ´ ’ ‘ ʼ: dropped inside a word ("PHILIP'S" -> philips)
    kAmpersand,   // & and +: a connector
    kComma,       // , ; : separate segments (a trailing segment may be a place)
    kDot,         // . separates, and marks initials and abbreviations
    kOpen,        // ( [ {
    kClose,       // ) ] }
    kSeparator,   // white space, other punctuation and symbols
};

// Decodes the code point at `text[i]` and advances `i`. Invalid UTF-8 yields U+FFFD and
// advances one byte.
char32_t DecodeUtf8(std::string_view text, std::size_t& i);
void AppendUtf8(char32_t cp, std::string& out);

// Classifies `cp` and, for kWord, appends its folded form to `out`: lower case, Latin letters
// without accents (Latin-1, Latin Extended-A and -B: "é" -> e, "ß" -> ss, "æ" -> ae, "ø" -> o,
// "œ" -> oe, "ł" -> l, "þ" -> th), Greek and Cyrillic lower-cased, other scripts unchanged.
CharClass FoldCodePoint(char32_t cp, std::string& out);

// Folds a whole string: every word character folded, every other character dropped.
std::string FoldAlnum(std::string_view text);

// Jaro-Winkler similarity in [0, 1] of two byte strings (prefix scale 0.1, up to 4 bytes).
double JaroWinkler(std::string_view a, std::string_view b);

// Optimal-string-alignment distance (insertions, deletions, substitutions and adjacent
// transpositions), giving up above `limit`: returns limit + 1 then.
int EditDistance(std::string_view a, std::string_view b, int limit);

// Dice coefficient of the character trigram sets of " a " and " b " (padded with one space).
double TrigramDice(std::string_view a, std::string_view b);

}  // namespace mortar::match
