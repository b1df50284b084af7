// SPDX-License-Identifier: AGPL-3.0-or-later
#include "match/text.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <vector>

namespace mortar::match {
namespace {

// U+00C0..U+024F: the ASCII spelling of each Latin letter (lower case, no accents); nullptr
// for the few non-letters in the range (× ÷), "" for letters kept as they are.
constexpr std::array<const char*, 0x250 - 0xC0> kLatinFold = {
    "a", "a",  "a",  "a",  "a",  "a",  "ae", "c",     "e",  "e",  "e",  "e",  "i",  "i",  "i",  "i",   // U+00C0
    "d", "n",  "o",  "o",  "o",  "o",  "o",  nullptr, "o",  "u",  "u",  "u",  "u",  "y",  "th", "ss",  // U+00D0
    "a", "a",  "a",  "a",  "a",  "a",  "ae", "c",     "e",  "e",  "e",  "e",  "i",  "i",  "i",  "i",   // U+00E0
    "d", "n",  "o",  "o",  "o",  "o",  "o",  nullptr, "o",  "u",  "u",  "u",  "u",  "y",  "th", "y",   // U+00F0
    "a", "a",  "a",  "a",  "a",  "a",  "c",  "c",     "c",  "c",  "c",  "c",  "c",  "c",  "d",  "d",   // U+0100
    "d", "d",  "e",  "e",  "e",  "e",  "e",  "e",     "e",  "e",  "e",  "e",  "g",  "g",  "g",  "g",   // U+0110
    "g", "g",  "g",  "g",  "h",  "h",  "h",  "h",     "i",  "i",  "i",  "i",  "i",  "i",  "i",  "i",   // U+0120
    "i", "i",  "ij", "ij", "j",  "j",  "k",  "k",     "k",  "l",  "l",  "l",  "l",  "l",  "l",  "l",   // U+0130
    "l", "l",  "l",  "n",  "n",  "n",  "n",  "n",     "n",  "n",  "ng", "ng", "o",  "o",  "o",  "o",   // U+0140
    "o", "o",  "oe", "oe", "r",  "r",  "r",  "r",     "r",  "r",  "s",  "s",  "s",  "s",  "s",  "s",   // U+0150
    "s", "s",  "t",  "t",  "t",  "t",  "t",  "t",     "u",  "u",  "u",  "u",  "u",  "u",  "u",  "u",   // U+0160
    "u", "u",  "u",  "u",  "w",  "w",  "y",  "y",     "y",  "z",  "z",  "z",  "z",  "z",  "z",  "s",   // U+0170
    "b", "b",  "",   "",   "",   "",   "",   "c",     "c",  "d",  "d",  "",   "",   "",   "",   "",    // U+0180
    "",  "f",  "f",  "g",  "",   "hv", "",   "i",     "k",  "k",  "l",  "",   "",   "n",  "",   "o",   // U+0190
    "o", "o",  "",   "",   "p",  "p",  "r",  "",      "",   "s",  "",   "",   "t",  "t",  "t",  "u",   // U+01A0
    "u", "",   "v",  "y",  "y",  "z",  "z",  "z",     "",   "",   "",   "",   "",   "",   "",   "w",   // U+01B0
    "",  "",   "",   "",   "dz", "dz", "dz", "lj",    "lj", "lj", "nj", "nj", "nj", "a",  "a",  "i",   // U+01C0
    "i", "o",  "o",  "u",  "u",  "u",  "u",  "u",     "u",  "u",  "u",  "u",  "u",  "",   "a",  "a",   // U+01D0
    "a", "a",  "ae", "ae", "g",  "g",  "g",  "g",     "k",  "k",  "o",  "o",  "o",  "o",  "z",  "z",   // U+01E0
    "j", "dz", "dz", "dz", "g",  "g",  "hv", "w",     "n",  "n",  "a",  "a",  "ae", "ae", "o",  "o",   // U+01F0
    "a", "a",  "a",  "a",  "e",  "e",  "e",  "e",     "i",  "i",  "i",  "i",  "o",  "o",  "o",  "o",   // U+0200
    "r", "r",  "r",  "r",  "u",  "u",  "u",  "u",     "s",  "s",  "t",  "t",  "y",  "y",  "h",  "h",   // U+0210
    "",  "",   "ou", "ou", "z",  "z",  "a",  "a",     "e",  "e",  "o",  "o",  "o",  "o",  "o",  "o",   // U+0220
    "o", "o",  "y",  "y",  "l",  "n",  "t",  "j",     "db", "qp", "a",  "c",  "c",  "",   "t",  "",    // U+0230
    "",  "",   "",   "b",  "u",  "",   "e",  "e",     "j",  "j",  "",   "",   "r",  "r",  "y",  "y",   // U+0240
};

bool IsContinuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

}  // namespace

char32_t DecodeUtf8(std::string_view text, std::size_t& i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
        ++i;
        return c;
    }
    int extra = 0;
    char32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
        extra = 1;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        extra = 2;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        extra = 3;
        cp = c & 0x07;
    } else {
        ++i;
        return 0xFFFD;
    }
    for (int k = 1; k <= extra; ++k) {
        if (i + k >= text.size() || !IsContinuation(static_cast<unsigned char>(text[i + k]))) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return 0xFFFD;
    }
    i += extra + 1;
    return cp;
}

void AppendUtf8(char32_t cp, std::string& out) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

CharClass FoldCodePoint(char32_t cp, std::string& out) {
    if (cp < 0x80) {
        const char c = static_cast<char>(cp);
        if (c >= 'a' && c <= 'z') {
            out += c;
            return CharClass::kWord;
        }
        if (c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c - 'A' + 'a');
            return CharClass::kWord;
        }
        if (c >= '0' && c <= '9') {
            out += c;
            return CharClass::kWord;
        }
        switch (c) {
            case '\'':
            case '`':
                return CharClass::kApostrophe;
            case '&':
            case '+':
                return CharClass::kAmpersand;
            case ',':
            case ';':
            case ':':
                return CharClass::kComma;
            case '.':
                return CharClass::kDot;
            case '(':
            case '[':
            case '{':
                return CharClass::kOpen;
            case ')':
            case ']':
            case '}':
                return CharClass::kClose;
            default:
                return CharClass::kSeparator;
        }
    }
    if (cp == 0xB4 || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x02B9) return CharClass::kApostrophe;
    if (cp == 0xAA || cp == 0xBA) {  // ª º: ordinal indicators
        out += cp == 0xAA ? 'a' : 'o';
        return CharClass::kWord;
    }
    if (cp == 0xB5) {
        out += 'u';
        return CharClass::kWord;
    }
    if (cp >= 0xC0 && cp < 0x250) {
        const char* ascii = kLatinFold[cp - 0xC0];
        if (ascii == nullptr) return CharClass::kSeparator;
        if (*ascii != '\0') {
            out += ascii;
        } else {
            AppendUtf8(cp, out);
        }
        return CharClass::kWord;
    }
    if (cp < 0x250) return CharClass::kSeparator;  // Latin-1 punctuation and symbols, C1 controls
    // Combining diacritical marks: dropped (a decomposed "e\u0301" folds like "é").
    if (cp >= 0x300 && cp <= 0x36F) return CharClass::kApostrophe;
    // Greek capitals -> small.
    if ((cp >= 0x391 && cp <= 0x3A9)) {
        AppendUtf8(cp + 0x20, out);
        return CharClass::kWord;
    }
    // Cyrillic capitals -> small.
    if (cp >= 0x410 && cp <= 0x42F) {
        AppendUtf8(cp + 0x20, out);
        return CharClass::kWord;
    }
    if (cp >= 0x400 && cp <= 0x40F) {
        AppendUtf8(cp + 0x50, out);
        return CharClass::kWord;
    }
    // General punctuation, currency, letter-like symbols, arrows, math, box drawing, CJK
    // punctuation, fullwidth ASCII punctuation, specials.
    if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF || cp == 0xFFFD ||
        (cp >= 0xFF01 && cp <= 0xFF0F)) {
        return CharClass::kSeparator;
    }
    // Fullwidth Latin letters and digits.
    if (cp >= 0xFF21 && cp <= 0xFF3A) {
        out += static_cast<char>('a' + (cp - 0xFF21));
        return CharClass::kWord;
    }
    if (cp >= 0xFF41 && cp <= 0xFF5A) {
        out += static_cast<char>('a' + (cp - 0xFF41));
        return CharClass::kWord;
    }
    if (cp >= 0xFF10 && cp <= 0xFF19) {
        out += static_cast<char>('0' + (cp - 0xFF10));
        return CharClass::kWord;
    }
    AppendUtf8(cp, out);
    return CharClass::kWord;
}

std::string FoldAlnum(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::string scratch;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (static_cast<unsigned char>(c) < 0x80) {  // ASCII without the general path
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                out += c;
            } else if (c >= 'A' && c <= 'Z') {
                out += static_cast<char>(c - 'A' + 'a');
            }
            ++i;
            continue;
        }
        scratch.clear();
        if (FoldCodePoint(DecodeUtf8(text, i), scratch) == CharClass::kWord) out += scratch;
    }
    return out;
}

double JaroWinkler(std::string_view a, std::string_view b) {
    if (a.empty() && b.empty()) return 1.0;
    if (a.empty() || b.empty()) return 0.0;
    if (a == b) return 1.0;
    const int la = static_cast<int>(a.size());
    const int lb = static_cast<int>(b.size());
    const int window = std::max(0, std::max(la, lb) / 2 - 1);
    // Names are short; fixed buffers avoid allocation on the hot path.
    bool small = la <= 64 && lb <= 64;
    std::array<bool, 64> ma_buf{};
    std::array<bool, 64> mb_buf{};
    std::vector<bool> ma_vec;
    std::vector<bool> mb_vec;
    if (!small) {
        ma_vec.assign(la, false);
        mb_vec.assign(lb, false);
    }
    auto ma = [&](int i) -> bool { return small ? ma_buf[i] : ma_vec[i]; };
    auto mb = [&](int j) -> bool { return small ? mb_buf[j] : mb_vec[j]; };
    auto set_ma = [&](int i) {
        if (small) {
            ma_buf[i] = true;
        } else {
            ma_vec[i] = true;
        }
    };
    auto set_mb = [&](int j) {
        if (small) {
            mb_buf[j] = true;
        } else {
            mb_vec[j] = true;
        }
    };
    int matches = 0;
    for (int i = 0; i < la; ++i) {
        const int lo = std::max(0, i - window);
        const int hi = std::min(lb - 1, i + window);
        for (int j = lo; j <= hi; ++j) {
            if (!mb(j) && a[i] == b[j]) {
                set_ma(i);
                set_mb(j);
                ++matches;
                break;
            }
        }
    }
    if (matches == 0) return 0.0;
    int transpositions = 0;
    for (int i = 0, j = 0; i < la; ++i) {
        if (!ma(i)) continue;
        while (!mb(j)) ++j;
        if (a[i] != b[j]) ++transpositions;
        ++j;
    }
    const double m = matches;
    const double jaro = (m / la + m / lb + (m - transpositions / 2.0) / m) / 3.0;
    int prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix]) ++prefix;
    return jaro + prefix * 0.1 * (1.0 - jaro);
}

int EditDistance(std::string_view a, std::string_view b, int limit) {
    const int la = static_cast<int>(a.size());
    const int lb = static_cast<int>(b.size());
    if (std::abs(la - lb) > limit) return limit + 1;
    // Three rows; on the stack for the short words names are made of.
    constexpr int kStack = 64;
    std::array<int, 3 * (kStack + 1)> stack_rows{};
    std::vector<int> heap_rows;
    int* rows = stack_rows.data();
    if (lb > kStack) {
        heap_rows.assign(3 * static_cast<std::size_t>(lb + 1), 0);
        rows = heap_rows.data();
    }
    std::span<int> prev2(rows, lb + 1), prev(rows + lb + 1, lb + 1), cur(rows + 2 * (lb + 1), lb + 1);
    for (int j = 0; j <= lb; ++j) prev[j] = j;
    for (int i = 1; i <= la; ++i) {
        cur[0] = i;
        int row_min = cur[0];
        for (int j = 1; j <= lb; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, prev2[j - 2] + 1);
            cur[j] = v;
            row_min = std::min(row_min, v);
        }
        if (row_min > limit) return limit + 1;
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return std::min(prev[lb], limit + 1);
}

namespace {

uint32_t Trigram(std::string_view s, std::size_t i) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(s[i])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(s[i + 1])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(s[i + 2]));
}

void Trigrams(std::string_view s, std::vector<uint32_t>& out) {
    std::string padded;
    padded.reserve(s.size() + 2);
    padded += ' ';
    padded += s;
    padded += ' ';
    out.clear();
    for (std::size_t i = 0; i + 3 <= padded.size(); ++i) out.push_back(Trigram(padded, i));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace

double TrigramDice(std::string_view a, std::string_view b) {
    if (a == b) return 1.0;
    std::vector<uint32_t> ta;
    std::vector<uint32_t> tb;
    Trigrams(a, ta);
    Trigrams(b, tb);
    if (ta.empty() || tb.empty()) return 0.0;
    std::size_t common = 0;
    for (std::size_t i = 0, j = 0; i < ta.size() && j < tb.size();) {
        if (ta[i] == tb[j]) {
            ++common;
            ++i;
            ++j;
        } else if (ta[i] < tb[j]) {
            ++i;
        } else {
            ++j;
        }
    }
    return 2.0 * static_cast<double>(common) / static_cast<double>(ta.size() + tb.size());
}

}  // namespace mortar::match
