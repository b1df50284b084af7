// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sanitize/html_sanitizer.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "core/strings.hpp"
#include "sanitize/internal/html_entities.hpp"

namespace mortar::sanitize {
namespace {

// ---------------------------------------------------------------------------------------------
// Characters.

bool IsAsciiAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAsciiDigit(char c) {
    return c >= '0' && c <= '9';
}
bool IsAsciiAlnum(char c) {
    return IsAsciiAlpha(c) || IsAsciiDigit(c);
}
bool IsAsciiHexDigit(char c) {
    return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
char AsciiLower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}
// The tokenizer's whitespace. CR never reaches it: Normalize turns it into LF.
bool IsHtmlSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\f';
}
// C0 controls, space and DEL: what URL scheme detection ignores.
bool IsControlOrSpace(char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F;
}

int HexValue(char c) {
    if (IsAsciiDigit(c)) return c - '0';
    return AsciiLower(c) - 'a' + 10;
}

std::string_view TrimHtmlSpace(std::string_view s) {
    while (!s.empty() && IsHtmlSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && IsHtmlSpace(s.back())) s.remove_suffix(1);
    return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
    if (a.size() != lower.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (AsciiLower(a[i]) != lower[i]) return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Elements and attributes the sanitizer knows by name. Everything else is kUnknown.

// clang-format off
enum class Tag : uint8_t {
    kUnknown,
    // The allowlist.
    kA, kB, kBlockquote, kBr, kCaption, kCode, kCol, kColgroup, kDd, kDiv, kDl, kDt, kEm, kFigcaption, kFigure,
    kH1, kH2, kH3, kH4, kH5, kH6, kHr, kI, kImg, kKbd, kLi, kMark, kOl, kP, kPre, kS, kSmall, kSpan, kStrike,
    kStrong, kSub, kSup, kTable, kTbody, kTd, kTfoot, kTh, kThead, kTr, kU, kUl,
    // Dropped with their content; the tokenizer switches to raw text after their start tag.
    kScript, kStyle, kTextarea, kTitle, kXmp, kIframe, kNoembed, kNoframes, kNoscript, kPlaintext,
    // Dropped with their content, tokenized normally.
    kSvg, kMath, kObject, kApplet, kTemplate, kFrameset,
    // Not kept, but a start tag of theirs ends <svg> or <math> content in a browser.
    kBig, kBody, kCenter, kEmbed, kHead, kListing, kMenu, kMeta, kNobr, kRuby, kTt, kVar,
    kCount,
};
// clang-format on

enum TagFlag : uint16_t {
    kAllowed = 1 << 0,             // on the allowlist
    kVoid = 1 << 1,                // has no end tag and no content
    kRawText = 1 << 2,             // content is raw text up to the matching end tag
    kDropContent = 1 << 3,         // dropped together with everything up to its end tag
    kForeign = 1 << 4,             // SVG or MathML
    kClosesP = 1 << 5,             // a start tag closes an open <p>
    kSpecial = 1 << 6,             // "special" in the HTML tree builder: stops the <li>/<dd> search
    kBreaksOutOfForeign = 1 << 7,  // a start tag inside <svg>/<math> returns to HTML
    kTextAlign = 1 << 8,           // may carry style="text-align: ..."
};

struct TagInfo {
    std::string_view name;
    uint16_t flags;
};

constexpr uint16_t kBlock = kAllowed | kClosesP | kSpecial | kBreaksOutOfForeign;
constexpr uint16_t kInline = kAllowed | kBreaksOutOfForeign;
constexpr uint16_t kHeading = kBlock | kTextAlign;
constexpr uint16_t kTablePart = kAllowed | kSpecial;

// Indexed by Tag.
constexpr TagInfo kTagInfo[] = {
    {"", 0},
    {"a", kAllowed},
    {"b", kInline},
    {"blockquote", kBlock | kTextAlign},
    {"br", kAllowed | kVoid | kSpecial | kBreaksOutOfForeign},
    {"caption", kTablePart | kTextAlign},
    {"code", kInline},
    {"col", kTablePart | kVoid},
    {"colgroup", kTablePart},
    {"dd", kInline | kSpecial},
    {"div", kBlock | kTextAlign},
    {"dl", kBlock},
    {"dt", kInline | kSpecial},
    {"em", kInline},
    {"figcaption", kBlock | kTextAlign},
    {"figure", kBlock},
    {"h1", kHeading},
    {"h2", kHeading},
    {"h3", kHeading},
    {"h4", kHeading},
    {"h5", kHeading},
    {"h6", kHeading},
    {"hr", kBlock | kVoid},
    {"i", kInline},
    {"img", kAllowed | kVoid | kSpecial | kBreaksOutOfForeign},
    {"kbd", kAllowed},
    {"li", kInline | kSpecial | kTextAlign},
    {"mark", kAllowed},
    {"ol", kBlock},
    {"p", kBlock | kTextAlign},
    {"pre", kBlock},
    {"s", kInline},
    {"small", kInline},
    {"span", kInline},
    {"strike", kInline},
    {"strong", kInline},
    {"sub", kInline},
    {"sup", kInline},
    {"table", kBlock},
    {"tbody", kTablePart},
    {"td", kTablePart | kTextAlign},
    {"tfoot", kTablePart},
    {"th", kTablePart | kTextAlign},
    {"thead", kTablePart},
    {"tr", kTablePart},
    {"u", kInline},
    {"ul", kBlock},
    {"script", kRawText},
    {"style", kRawText},
    {"textarea", kRawText},
    {"title", kRawText},
    {"xmp", kRawText},
    {"iframe", kRawText},
    {"noembed", kRawText},
    {"noframes", kRawText},
    {"noscript", kRawText},
    {"plaintext", kRawText},
    {"svg", kDropContent | kForeign},
    {"math", kDropContent | kForeign},
    {"object", kDropContent},
    {"applet", kDropContent},
    {"template", kDropContent},
    {"frameset", kDropContent},
    {"big", kBreaksOutOfForeign},
    {"body", kBreaksOutOfForeign},
    {"center", kBreaksOutOfForeign},
    {"embed", kBreaksOutOfForeign},
    {"head", kBreaksOutOfForeign},
    {"listing", kBreaksOutOfForeign},
    {"menu", kBreaksOutOfForeign},
    {"meta", kBreaksOutOfForeign},
    {"nobr", kBreaksOutOfForeign},
    {"ruby", kBreaksOutOfForeign},
    {"tt", kBreaksOutOfForeign},
    {"var", kBreaksOutOfForeign},
};
static_assert(std::size(kTagInfo) == static_cast<std::size_t>(Tag::kCount), "kTagInfo is indexed by Tag");

constexpr std::size_t kTagCount = static_cast<std::size_t>(Tag::kCount);
constexpr std::size_t kMaxKnownNameLength = 10;  // "blockquote", "figcaption", "plaintext"

const TagInfo& Info(Tag tag) {
    return kTagInfo[static_cast<std::size_t>(tag)];
}
bool Has(Tag tag, uint16_t flag) {
    return (Info(tag).flags & flag) != 0;
}
bool IsHeading(Tag tag) {
    return tag >= Tag::kH1 && tag <= Tag::kH6;
}
bool IsTablePart(Tag tag) {
    switch (tag) {
        case Tag::kCaption:
        case Tag::kCol:
        case Tag::kColgroup:
        case Tag::kTbody:
        case Tag::kTd:
        case Tag::kTfoot:
        case Tag::kTh:
        case Tag::kThead:
        case Tag::kTr:
            return true;
        default:
            return false;
    }
}

// Finds the tag named `name` in any ASCII case.
Tag LookupTag(std::string_view name) {
    static const auto kByFirstLetter = [] {
        std::array<std::vector<Tag>, 26> buckets;
        for (std::size_t i = 1; i < kTagCount; ++i) buckets[kTagInfo[i].name[0] - 'a'].push_back(static_cast<Tag>(i));
        return buckets;
    }();
    if (name.empty() || name.size() > kMaxKnownNameLength) return Tag::kUnknown;
    const char first = AsciiLower(name[0]);
    if (first < 'a' || first > 'z') return Tag::kUnknown;
    for (Tag tag : kByFirstLetter[first - 'a']) {
        if (EqualsIgnoreCase(name, Info(tag).name)) return tag;
    }
    return Tag::kUnknown;
}

// clang-format off
enum class Attr : uint8_t {
    kUnknown,
    kHref, kSrc, kAlt, kTitle, kWidth, kHeight, kTarget, kColspan, kRowspan, kStart, kSpan, kClass, kStyle,
    kCount,
};
// clang-format on
constexpr std::size_t kAttrCount = static_cast<std::size_t>(Attr::kCount);
constexpr std::string_view kAttrNames[] = {
    "",
    "href",
    "src",
    "alt",
    "title",
    "width",
    "height",
    "target",
    "colspan",
    "rowspan",
    "start",
    "span",
    "class",
    "style",
};
static_assert(std::size(kAttrNames) == kAttrCount, "kAttrNames is indexed by Attr");

// Finds the attribute named `name` in any ASCII case.
Attr LookupAttr(std::string_view name) {
    for (std::size_t i = 1; i < kAttrCount; ++i) {
        if (EqualsIgnoreCase(name, kAttrNames[i])) return static_cast<Attr>(i);
    }
    return Attr::kUnknown;
}

// The element-specific attributes of the allowlist; class and style are handled apart.
bool AttrAllowedOn(Tag tag, Attr attr) {
    switch (attr) {
        case Attr::kHref:
        case Attr::kTarget:
            return tag == Tag::kA;
        case Attr::kTitle:
            return tag == Tag::kA || tag == Tag::kImg;
        case Attr::kSrc:
        case Attr::kAlt:
        case Attr::kWidth:
        case Attr::kHeight:
            return tag == Tag::kImg;
        case Attr::kColspan:
        case Attr::kRowspan:
            return tag == Tag::kTd || tag == Tag::kTh;
        case Attr::kStart:
            return tag == Tag::kOl;
        case Attr::kSpan:
            return tag == Tag::kCol || tag == Tag::kColgroup;
        default:
            return false;
    }
}

void AppendUtf8(std::string& out, uint32_t cp) {
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

// Bytes Escape must look at: & < > (and " in attribute values), C0 controls other than tab
// and LF, DEL, and 0xC2, the lead byte of U+00A0 and of the C1 controls.
constexpr std::array<bool, 256> MakeSpecialBytes(bool in_attribute) {
    std::array<bool, 256> special{};
    for (int c = 0; c < 0x20; ++c) special[c] = c != '\t' && c != '\n';
    special['&'] = special['<'] = special['>'] = special[0x7F] = special[0xC2] = true;
    special['"'] = in_attribute;
    return special;
}
constexpr std::array<bool, 256> kTextSpecial = MakeSpecialBytes(false);
constexpr std::array<bool, 256> kAttributeSpecial = MakeSpecialBytes(true);

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// The code point a numeric character reference stands for (WHATWG "numeric character reference
// end state"): NUL, surrogates and values above U+10FFFF become U+FFFD, and 0x80-0x9F are read
// as Windows-1252, as browsers do.
uint32_t NumericReferenceValue(uint32_t cp) {
    static constexpr uint16_t kWindows1252[32] = {
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    };
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
    if (cp >= 0x80 && cp <= 0x9F) return kWindows1252[cp - 0x80];
    return cp;
}

// Reads the UTF-8 sequence that starts with the non-ASCII byte in[i]. Returns its length when
// it is well-formed (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), else
// 0 with `*maximal` set to the length of the maximal invalid subpart, which a browser replaces
// with one U+FFFD.
std::size_t Utf8SequenceLength(std::string_view in, std::size_t i, std::size_t* maximal) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // valid range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    }
    std::size_t seen = 1;  // bytes of the sequence that are valid so far
    while (len != 0 && seen < len && i + seen < in.size()) {
        const unsigned char next = static_cast<unsigned char>(in[i + seen]);
        if (seen == 1 ? (next < lo || next > hi) : (next & 0xC0) != 0x80) break;
        ++seen;
    }
    if (len != 0 && seen == len) return len;
    *maximal = seen;
    return 0;
}

// True when `in` is well-formed UTF-8 without CR or NUL: then Normalize has nothing to do.
// Skips ASCII eight bytes at a time.
bool IsNormalized(std::string_view in) {
    if (in.find('\r') != std::string_view::npos || in.find('\0') != std::string_view::npos) return false;
    std::size_t i = 0, maximal = 0;
    while (i < in.size()) {
        if (i + 8 <= in.size()) {
            uint64_t word;
            std::memcpy(&word, in.data() + i, sizeof word);
            if ((word & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        if (static_cast<unsigned char>(in[i]) < 0x80) {
            ++i;
            continue;
        }
        const std::size_t len = Utf8SequenceLength(in, i, &maximal);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

// Applies the WHATWG input stream preprocessing: CR LF and lone CR become LF. Also decodes
// UTF-8 as a browser does, each maximal invalid subsequence becoming U+FFFD, and replaces NUL
// with U+FFFD. Returns `in` itself when nothing needs to change, else a view of `storage`.
std::string_view Normalize(std::string_view in, std::string& storage) {
    if (IsNormalized(in)) return in;
    storage.reserve(in.size() + 16);
    std::size_t i = 0;
    while (i < in.size()) {
        const unsigned char c = static_cast<unsigned char>(in[i]);
        if (c == '\r') {
            storage += '\n';
            i += (i + 1 < in.size() && in[i + 1] == '\n') ? 2 : 1;
        } else if (c == 0) {
            storage += kReplacementCharacter;
            ++i;
        } else if (c < 0x80) {
            storage += static_cast<char>(c);
            ++i;
        } else {
            std::size_t maximal = 0;
            const std::size_t len = Utf8SequenceLength(in, i, &maximal);
            if (len != 0) {
                storage.append(in.substr(i, len));
                i += len;
            } else {
                storage += kReplacementCharacter;
                i += maximal;
            }
        }
    }
    return storage;
}

// ---------------------------------------------------------------------------------------------
// Attribute value policies. Each returns whether to keep the attribute and, if so, writes the
// (entity-decoded, unescaped) value to keep into `out`.

// Accepts data:image/{png,jpeg,gif,webp};base64,<base64> and keeps it without whitespace.
// SVG images can carry script, so they are never accepted, nor is any other media type.
bool CleanDataImageUrl(std::string_view value, std::string& out) {
    static constexpr std::string_view kPrefixes[] = {
        "data:image/png;base64,",
        "data:image/jpeg;base64,",
        "data:image/gif;base64,",
        "data:image/webp;base64,",
    };
    out.clear();  // the data: URL parser ignores ASCII whitespace inside base64
    for (char c : value) {
        if (!IsControlOrSpace(c)) out += c;
    }
    for (std::string_view prefix : kPrefixes) {
        if (out.size() < prefix.size() || !EqualsIgnoreCase(std::string_view(out).substr(0, prefix.size()), prefix)) {
            continue;
        }
        return std::all_of(out.begin() + static_cast<std::ptrdiff_t>(prefix.size()), out.end(), [](char c) {
            return IsAsciiAlnum(c) || c == '+' || c == '/' || c == '=';
        });
    }
    return false;
}

// Decides whether `value` is an acceptable href or src, and keeps it cleaned the way the URL
// parser cleans it: leading and trailing C0 controls and spaces removed, as are tabs, line
// feeds and other controls inside.
//
// The scheme is read from a probe with *every* C0 control, space and DEL removed and
// lower-cased: a browser ignores fewer of those characters, so any scheme it would see is
// also the probe's scheme, and "jav\tascript:", " javascript:" or "JaVaScRiPt:" cannot pass.
// A value with no ':' before the first '/', '?' or '#' is relative and accepted.
bool CleanUrl(std::string_view value, bool allow_data_image, std::string& out) {
    constexpr std::size_t kMaxScheme = 8;  // longer than any scheme we accept
    char scheme[kMaxScheme];
    std::size_t scheme_length = 0;  // may exceed kMaxScheme: then only the count goes on
    char stop = 0;
    for (char c : value) {
        if (IsControlOrSpace(c)) continue;
        if (c == ':' || c == '/' || c == '?' || c == '#') {
            stop = c;
            break;
        }
        if (scheme_length < kMaxScheme) scheme[scheme_length] = AsciiLower(c);
        ++scheme_length;
    }
    if (stop == ':') {
        const std::string_view s(scheme, std::min(scheme_length, kMaxScheme));
        if (scheme_length > kMaxScheme) return false;
        if (s == "data") return allow_data_image && CleanDataImageUrl(value, out);
        if (s != "http" && s != "https" && s != "mailto" && s != "tel") return false;
    }
    std::size_t begin = 0, end = value.size();
    while (begin < end && IsControlOrSpace(value[begin])) ++begin;
    while (end > begin && IsControlOrSpace(value[end - 1])) --end;
    out.clear();
    std::size_t run = begin;  // start of the pending run of kept bytes
    for (std::size_t i = begin; i < end; ++i) {
        if (value[i] != ' ' && IsControlOrSpace(value[i])) {
            out.append(value.substr(run, i - run));
            run = i + 1;
        }
    }
    out.append(value.substr(run, end - run));
    return true;
}

// Accepts an optionally signed decimal integer of at most `max_digits` digits.
bool CleanInteger(std::string_view value, std::size_t max_digits, bool allow_sign, std::string& out) {
    const std::string_view v = TrimHtmlSpace(value);
    std::string_view digits = v;
    if (allow_sign && !digits.empty() && digits.front() == '-') digits.remove_prefix(1);
    if (digits.empty() || digits.size() > max_digits || !std::all_of(digits.begin(), digits.end(), IsAsciiDigit)) {
        return false;
    }
    out.assign(v);
    return true;
}

// Accepts at most 16 whitespace-separated class names matching [A-Za-z][A-Za-z0-9_-]{0,63}
// and joins them with single spaces; one bad name drops the whole attribute.
bool CleanClass(std::string_view value, std::string& out) {
    constexpr std::size_t kMaxNames = 16, kMaxNameLength = 64;
    out.clear();
    std::size_t names = 0, i = 0;
    while (i < value.size()) {
        if (IsHtmlSpace(value[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < value.size() && !IsHtmlSpace(value[j])) ++j;
        const std::string_view name = value.substr(i, j - i);
        const bool ok =
            IsAsciiAlpha(name.front()) && name.size() <= kMaxNameLength &&
            std::all_of(name.begin(), name.end(), [](char c) { return IsAsciiAlnum(c) || c == '-' || c == '_'; });
        if (!ok || ++names > kMaxNames) return false;
        if (!out.empty()) out += ' ';
        out.append(name);
        i = j;
    }
    return !out.empty();
}

// Keeps only a text-align declaration with a plain keyword (the last one wins, as in CSS) and
// writes it in a canonical form; every other declaration is dropped.
bool CleanStyle(std::string_view value, std::string& out) {
    static constexpr std::string_view kAlignments[] = {"left", "right", "center", "justify", "start", "end"};
    std::string_view alignment;
    for (std::string_view decl : Split(value, ';')) {
        const std::size_t colon = decl.find(':');
        if (colon == std::string_view::npos) continue;
        if (!EqualsIgnoreCase(TrimHtmlSpace(decl.substr(0, colon)), "text-align")) continue;
        const std::string_view keyword = TrimHtmlSpace(decl.substr(colon + 1));
        for (std::string_view candidate : kAlignments) {
            if (EqualsIgnoreCase(keyword, candidate)) alignment = candidate;
        }
    }
    if (alignment.empty()) return false;
    out = "text-align: ";
    out.append(alignment);
    return true;
}

// ---------------------------------------------------------------------------------------------
// The sanitizer: a WHATWG-style tokenizer feeding a small tree builder that writes the output
// as it goes. Confined to one thread; one instance per call.

class Sanitizer {
public:
    Sanitizer(std::string_view in, const SanitizeOptions& options) : in_(in), options_(options) {
        out_.reserve(in.size() + in.size() / 8 + 16);
        stack_.reserve(64);
    }

    std::string Run() {
        const char* data = in_.data();
        while (pos_ < in_.size()) {
            // Data state. One pass copies plain text and stops at every byte Escape would
            // handle, '<' and '&' included.
            const std::size_t start = pos_;
            std::size_t p = pos_;
            while (p < in_.size() && !kTextSpecial[static_cast<unsigned char>(data[p])]) ++p;
            pos_ = p;
            if (skip_depth_ == 0) out_.append(data + start, p - start);
            if (pos_ >= in_.size()) break;
            if (data[pos_] == '&') {
                ++pos_;
                scratch_.clear();
                DecodeCharacterReference(/*in_attribute=*/false, scratch_);
                EmitText(scratch_);
            } else if (data[pos_] == '<') {
                TagOpen();
            } else {
                const std::size_t length = static_cast<unsigned char>(data[pos_]) == 0xC2 ? 2 : 1;
                EmitText(in_.substr(pos_, length));
                pos_ += length;
            }
        }
        PopThrough(0);
        return std::move(out_);
    }

private:
    // ----- Tokenizer -------------------------------------------------------------------------

    // Character reference state; pos_ is just after the '&'. Appends the decoded text, or just
    // "&" when there is no reference (the following characters are then read as plain text).
    void DecodeCharacterReference(bool in_attribute, std::string& out) {
        if (pos_ < in_.size() && in_[pos_] == '#') {
            std::size_t p = pos_ + 1;
            const bool hex = p < in_.size() && (in_[p] == 'x' || in_[p] == 'X');
            if (hex) ++p;
            const std::size_t digits = p;
            uint32_t cp = 0;
            while (p < in_.size() && (hex ? IsAsciiHexDigit(in_[p]) : IsAsciiDigit(in_[p]))) {
                cp = std::min<uint32_t>(cp * (hex ? 16 : 10) + HexValue(in_[p]), 0x110000);
                ++p;
            }
            if (p == digits) {  // "&#" or "&#x" without digits is text
                out += '&';
                return;
            }
            if (p < in_.size() && in_[p] == ';') ++p;
            pos_ = p;
            AppendUtf8(out, NumericReferenceValue(cp));
            return;
        }
        internal::NamedReferenceMatch match = internal::MatchNamedReference(in_.substr(pos_));
        if (match.length == 0) {
            out += '&';
            return;
        }
        const std::size_t after = pos_ + match.length;
        if (in_attribute && in_[after - 1] != ';' && after < in_.size() &&
            (in_[after] == '=' || IsAsciiAlnum(in_[after]))) {
            out += '&';  // "?a=1&copy=2" keeps its "&copy", for historical reasons
            return;
        }
        out.append(match.value);
        pos_ = after;
    }

    // Tag open state; pos_ is at '<'.
    void TagOpen() {
        const std::size_t p = pos_ + 1;
        if (p >= in_.size()) {
            EmitText("<");
            pos_ = p;
            return;
        }
        const char c = in_[p];
        if (IsAsciiAlpha(c)) {
            pos_ = p;
            ParseTag(/*end_tag=*/false);
        } else if (c == '/') {
            const std::size_t q = p + 1;
            if (q >= in_.size()) {
                EmitText("</");
                pos_ = q;
            } else if (IsAsciiAlpha(in_[q])) {
                pos_ = q;
                ParseTag(/*end_tag=*/true);
            } else if (in_[q] == '>') {
                pos_ = q + 1;  // "</>" is dropped
            } else {
                SkipBogusComment(q);
            }
        } else if (c == '!') {
            MarkupDeclarationOpen(p + 1);
        } else if (c == '?') {
            SkipBogusComment(p);  // processing instructions are bogus comments
        } else {
            EmitText("<");
            pos_ = p;
        }
    }

    void SkipBogusComment(std::size_t from) {
        const std::size_t gt = in_.find('>', from);
        pos_ = gt == std::string_view::npos ? in_.size() : gt + 1;
    }

    // After "<!": comments, doctypes and CDATA sections, all dropped.
    void MarkupDeclarationOpen(std::size_t p) {
        std::string_view rest = in_.substr(p);
        if (rest.substr(0, 2) == "--") {
            SkipComment(p + 2);
        } else if (rest.size() >= 7 && EqualsIgnoreCase(rest.substr(0, 7), "doctype")) {
            SkipBogusComment(p);  // any '>' ends a doctype, even inside its quoted identifiers
        } else if (rest.substr(0, 7) == "[CDATA[" && InForeignContent()) {
            const std::size_t end = in_.find("]]>", p + 7);
            pos_ = end == std::string_view::npos ? in_.size() : end + 3;
        } else {
            SkipBogusComment(p);  // including CDATA in HTML content, as a browser does
        }
    }

    // Comment states; p is just after "<!--". The comment ends at "-->" or "--!>", at "<!-->"
    // and "<!--->" (abrupt closing), or at the end of the input.
    void SkipComment(std::size_t p) {
        const std::size_t n = in_.size();
        if (p < n && in_[p] == '>') {
            pos_ = p + 1;
            return;
        }
        if (p + 1 < n && in_[p] == '-' && in_[p + 1] == '>') {
            pos_ = p + 2;
            return;
        }
        for (std::size_t q = in_.find("--", p); q != std::string_view::npos; q = in_.find("--", q + 1)) {
            if (q + 2 < n && in_[q + 2] == '>') {
                pos_ = q + 3;
                return;
            }
            if (q + 3 < n && in_[q + 2] == '!' && in_[q + 3] == '>') {
                pos_ = q + 4;
                return;
            }
        }
        pos_ = n;
    }

    // Tag name, attribute and self-closing states; pos_ is at the first letter of the name.
    // A tag cut off by the end of the input is dropped, as the tokenizer does.
    void ParseTag(bool end_tag) {
        const std::size_t n = in_.size();
        std::size_t name_start = pos_;
        while (pos_ < n && !IsHtmlSpace(in_[pos_]) && in_[pos_] != '/' && in_[pos_] != '>') ++pos_;
        const Tag tag = LookupTag(in_.substr(name_start, pos_ - name_start));
        attr_seen_ = 0;
        attr_order_count_ = 0;

        enum class State {
            kBeforeName,
            kName,
            kAfterName,
            kBeforeValue,
            kDoubleQuoted,
            kSingleQuoted,
            kUnquoted,
            kAfterQuoted,
            kSelfClosing
        };
        State state = State::kBeforeName;
        std::size_t attr_name_start = 0;
        std::string* value = nullptr;  // where the current attribute's value goes
        const auto start_attribute = [&] {
            attr_name_start = pos_;
            value = nullptr;
        };
        // Ends the attribute name state: the first occurrence of a known name keeps its value.
        const auto end_attribute_name = [&] {
            value = &discard_;
            if (end_tag) return;
            const Attr attr = LookupAttr(in_.substr(attr_name_start, pos_ - attr_name_start));
            const uint32_t bit = 1u << static_cast<unsigned>(attr);
            if (attr == Attr::kUnknown || (attr_seen_ & bit) != 0) return;  // later duplicates are ignored
            attr_seen_ |= bit;
            attr_order_[attr_order_count_++] = attr;
            value = &attr_values_[static_cast<std::size_t>(attr)];
            value->clear();
        };
        while (true) {
            if (pos_ >= n) return;  // eof-in-tag: the tag is dropped
            const char c = in_[pos_];
            switch (state) {
                case State::kBeforeName:
                    if (IsHtmlSpace(c)) {
                        ++pos_;
                    } else if (c == '/' || c == '>') {
                        state = State::kAfterName;
                    } else {
                        start_attribute();
                        if (c == '=') ++pos_;  // '=' as the first character is part of the name
                        state = State::kName;
                    }
                    break;
                case State::kName:
                    if (IsHtmlSpace(c) || c == '/' || c == '>') {
                        end_attribute_name();
                        state = State::kAfterName;
                    } else if (c == '=') {
                        end_attribute_name();
                        ++pos_;
                        state = State::kBeforeValue;
                    } else {
                        while (pos_ < n && !IsHtmlSpace(in_[pos_]) && in_[pos_] != '/' && in_[pos_] != '>' &&
                               in_[pos_] != '=') {
                            ++pos_;
                        }
                    }
                    break;
                case State::kAfterName:
                    if (IsHtmlSpace(c)) {
                        ++pos_;
                    } else if (c == '/') {
                        ++pos_;
                        state = State::kSelfClosing;
                    } else if (c == '=') {
                        ++pos_;
                        state = State::kBeforeValue;
                    } else if (c == '>') {
                        ++pos_;
                        return EmitTag(tag, end_tag, /*self_closing=*/false);
                    } else {
                        start_attribute();
                        state = State::kName;
                    }
                    break;
                case State::kBeforeValue:
                    if (IsHtmlSpace(c)) {
                        ++pos_;
                    } else if (c == '"') {
                        ++pos_;
                        state = State::kDoubleQuoted;
                    } else if (c == '\'') {
                        ++pos_;
                        state = State::kSingleQuoted;
                    } else if (c == '>') {
                        ++pos_;
                        return EmitTag(tag, end_tag, /*self_closing=*/false);
                    } else {
                        state = State::kUnquoted;
                    }
                    break;
                case State::kDoubleQuoted:
                case State::kSingleQuoted: {
                    const char quote = state == State::kDoubleQuoted ? '"' : '\'';
                    const std::size_t start = pos_;
                    while (pos_ < n && in_[pos_] != quote && in_[pos_] != '&') ++pos_;
                    AppendValue(value, start);
                    if (pos_ >= n) break;
                    if (in_[pos_] == '&') {
                        ++pos_;
                        DecodeCharacterReference(/*in_attribute=*/true, ValueBuffer(value));
                    } else {
                        ++pos_;
                        state = State::kAfterQuoted;
                    }
                    break;
                }
                case State::kUnquoted:
                    if (IsHtmlSpace(c)) {
                        ++pos_;
                        state = State::kBeforeName;
                    } else if (c == '&') {
                        ++pos_;
                        DecodeCharacterReference(/*in_attribute=*/true, ValueBuffer(value));
                    } else if (c == '>') {
                        ++pos_;
                        return EmitTag(tag, end_tag, /*self_closing=*/false);
                    } else {
                        const std::size_t start = pos_;
                        while (pos_ < n && !IsHtmlSpace(in_[pos_]) && in_[pos_] != '&' && in_[pos_] != '>') ++pos_;
                        AppendValue(value, start);
                    }
                    break;
                case State::kAfterQuoted:
                    if (IsHtmlSpace(c)) {
                        ++pos_;
                        state = State::kBeforeName;
                    } else if (c == '/') {
                        ++pos_;
                        state = State::kSelfClosing;
                    } else if (c == '>') {
                        ++pos_;
                        return EmitTag(tag, end_tag, /*self_closing=*/false);
                    } else {
                        state = State::kBeforeName;
                    }
                    break;
                case State::kSelfClosing:
                    if (c == '>') {
                        ++pos_;
                        return EmitTag(tag, end_tag, /*self_closing=*/true);
                    }
                    state = State::kBeforeName;
                    break;
            }
        }
    }

    std::string& ValueBuffer(std::string* value) {
        if (value == &discard_) discard_.clear();
        return *value;
    }

    void AppendValue(std::string* value, std::size_t start) {
        if (value != &discard_) value->append(in_.substr(start, pos_ - start));
    }

    void EmitTag(Tag tag, bool end_tag, bool self_closing) {
        if (end_tag) {
            OnEndTag(tag);
            return;
        }
        const bool foreign_before = InForeignContent();
        OnStartTag(tag, self_closing);
        if (Has(tag, kRawText) && !foreign_before) SkipRawText(tag);
    }

    // After the start tag of a raw-text element: moves pos_ to the '<' of its end tag (or to
    // the end of the input), dropping everything in between.
    void SkipRawText(Tag tag) {
        if (tag == Tag::kPlaintext) {
            pos_ = in_.size();
        } else if (tag == Tag::kScript) {
            SkipScriptData();
        } else {
            for (std::size_t lt = in_.find("</", pos_); lt != std::string_view::npos; lt = in_.find("</", lt + 1)) {
                if (IsEndTagOf(lt, Info(tag).name)) {
                    pos_ = lt;
                    return;
                }
            }
            pos_ = in_.size();
        }
    }

    // True when `name` (lower case) is at p, case-insensitively, followed by whitespace, '/'
    // or '>' (not by the end of the input): an "appropriate end tag" after "</".
    bool IsTagNameAt(std::size_t p, std::string_view name) const {
        if (p + name.size() >= in_.size() || !EqualsIgnoreCase(in_.substr(p, name.size()), name)) return false;
        const char c = in_[p + name.size()];
        return IsHtmlSpace(c) || c == '/' || c == '>';
    }
    bool IsEndTagOf(std::size_t lt, std::string_view name) const {
        return in_.compare(lt, 2, "</") == 0 && IsTagNameAt(lt + 2, name);
    }

    // The script data states, escaped and double-escaped ones included, so that a "</script>"
    // inside "<!--<script>...-->" does not end the script, just as in a browser.
    void SkipScriptData() {
        enum class State { kData, kEscaped, kDoubleEscaped };
        State state = State::kData;
        const std::size_t n = in_.size();
        std::size_t p = pos_;
        int dashes = 0;  // consecutive '-' just read in the escaped states ("-->" needs two)
        const auto letters_end = [&](std::size_t q) {
            while (q < n && IsAsciiAlpha(in_[q])) ++q;
            return q;
        };
        const auto is_script_word = [&](std::size_t from, std::size_t to) {
            if (to >= n || !(IsHtmlSpace(in_[to]) || in_[to] == '/' || in_[to] == '>')) return false;
            return EqualsIgnoreCase(in_.substr(from, to - from), "script");
        };
        while (p < n) {
            const char c = in_[p];
            if (state == State::kData) {
                if (c == '<' && IsEndTagOf(p, "script")) {
                    pos_ = p;
                    return;
                }
                if (c == '<' && in_.compare(p, 4, "<!--") == 0) {
                    state = State::kEscaped;
                    dashes = 2;  // the dashes of "<!--" count towards "-->": "<!-->" ends at once
                    p += 4;
                    continue;
                }
                ++p;
                continue;
            }
            if (c == '-') {
                ++dashes;
                ++p;
                continue;
            }
            if (c == '>' && dashes >= 2) {
                state = State::kData;
                dashes = 0;
                ++p;
                continue;
            }
            dashes = 0;
            if (c != '<') {
                ++p;
                continue;
            }
            if (state == State::kEscaped) {
                if (IsEndTagOf(p, "script")) {
                    pos_ = p;
                    return;
                }
                if (p + 1 < n && IsAsciiAlpha(in_[p + 1])) {  // double escape start
                    const std::size_t end = letters_end(p + 1);
                    if (is_script_word(p + 1, end)) state = State::kDoubleEscaped;
                    p = end;
                    continue;
                }
                ++p;
            } else {
                if (p + 1 < n && in_[p + 1] == '/') {  // double escape end
                    const std::size_t end = letters_end(p + 2);
                    if (is_script_word(p + 2, end)) state = State::kEscaped;
                    p = end;
                    continue;
                }
                ++p;
            }
        }
        pos_ = n;
    }

    // ----- Tree builder ----------------------------------------------------------------------

    bool InForeignContent() const { return skip_depth_ > 0 && Has(skip_tag_, kForeign); }

    // Ends a drop-content region when a browser would leave SVG/MathML for HTML on this tag.
    bool BreaksOutOfForeign(Tag tag, bool end_tag) const {
        if (!InForeignContent()) return false;
        if (!end_tag) return Has(tag, kBreaksOutOfForeign);
        if (tag == Tag::kBr || tag == Tag::kP) return true;
        // Any other end tag is handled as HTML by the first HTML element below the SVG/MathML.
        return Has(tag, kAllowed) && !Has(tag, kVoid) && FindInScope(tag) >= 0;
    }

    void OnStartTag(Tag tag, bool self_closing) {
        if (skip_depth_ > 0) {
            if (BreaksOutOfForeign(tag, /*end_tag=*/false)) {
                skip_depth_ = 0;
            } else {
                if (tag == skip_tag_ && !(self_closing && Has(tag, kForeign))) ++skip_depth_;
                return;
            }
        }
        if (Has(tag, kDropContent)) {
            if (!(self_closing && Has(tag, kForeign))) {  // <svg/> is empty; <object/> is not
                skip_tag_ = tag;
                skip_depth_ = 1;
            }
            return;
        }
        if (!Has(tag, kAllowed)) return;
        if (IsTablePart(tag) && Last(Tag::kTable) < 0) return;  // a browser ignores these outside tables
        ApplyImpliedEndTags(tag);
        if (stack_.size() >= options_.max_depth) return;  // too deep: flattened to its text
        WriteStartTag(tag);
        if (!Has(tag, kVoid)) Push(tag);
    }

    void OnEndTag(Tag tag) {
        if (skip_depth_ > 0) {
            if (tag == skip_tag_) {
                --skip_depth_;
                return;
            }
            if (!BreaksOutOfForeign(tag, /*end_tag=*/true)) return;
            skip_depth_ = 0;
        }
        if (tag == Tag::kBr) {  // "</br>" is read as "<br>"
            attr_order_count_ = 0;
            OnStartTag(tag, false);
            return;
        }
        if (!Has(tag, kAllowed) || Has(tag, kVoid)) return;
        const int index = FindInScope(tag);
        if (index >= 0) PopThrough(static_cast<std::size_t>(index));  // else a stray end tag: ignored
    }

    // The start-tag rules of the HTML tree builder that close open elements, for the elements
    // we keep: a block closes an open <p>, <li> closes the open <li>, <td> the open cell, ...
    // They are applied until none fires, so that the end tags written here, read back, leave
    // a stack on which no rule fires again: that keeps the output a fixed point. (A browser
    // applies them once each; the two differ only on tag soup like <dt><table><p><tr><dd>.)
    void ApplyImpliedEndTags(Tag tag) {
        for (int index = ImpliedEndTagTarget(tag); index >= 0; index = ImpliedEndTagTarget(tag)) {
            PopThrough(static_cast<std::size_t>(index));
        }
    }

    // The stack index that one of the rules closes before a start tag `tag`, or -1.
    int ImpliedEndTagTarget(Tag tag) const {
        const bool list_item = tag == Tag::kLi || tag == Tag::kDd || tag == Tag::kDt;
        if (list_item && !list_stops_.empty()) {
            // The browser walks down the stack to the first <li> (or <dd>/<dt>), giving up at
            // any other special element except <div> and <p>: that is the top of list_stops_.
            const Tag top = stack_[list_stops_.back()];
            if (tag == Tag::kLi ? top == Tag::kLi : (top == Tag::kDd || top == Tag::kDt)) {
                return static_cast<int>(list_stops_.back());
            }
        }
        if (Has(tag, kClosesP) || list_item) {
            const int p = FindInScope(Tag::kP);
            if (p >= 0) return p;
        }
        if (IsHeading(tag) && !stack_.empty() && IsHeading(stack_.back())) return static_cast<int>(stack_.size()) - 1;
        if (tag == Tag::kA) {
            const int a = FindInScope(Tag::kA);
            if (a >= 0) return a;
        }
        const int table = Last(Tag::kTable);
        if (IsTablePart(tag) && tag != Tag::kCol) {
            // Rows, cells and sections close an open <caption> or <colgroup> of the same table.
            for (Tag open : {Tag::kCaption, Tag::kColgroup}) {
                if (Last(open) > table) return Last(open);
            }
        }
        if (tag == Tag::kTd || tag == Tag::kTh) {
            const int cell = std::max(Last(Tag::kTd), Last(Tag::kTh));
            if (cell > table) return cell;
        }
        if (tag == Tag::kTr && Last(Tag::kTr) > table) return Last(Tag::kTr);
        if (tag == Tag::kThead || tag == Tag::kTbody || tag == Tag::kTfoot) {
            const int section = std::max({Last(Tag::kThead), Last(Tag::kTbody), Last(Tag::kTfoot)});
            if (section > table) return section;
        }
        return -1;
    }

    // Where an end tag for `tag` would close, or -1 when the element is not open "in scope"
    // (an open table or cell hides what is outside it, as in the HTML tree builder).
    int FindInScope(Tag tag) const {
        int index =
            IsHeading(tag)
                ? std::max(
                      {Last(Tag::kH1), Last(Tag::kH2), Last(Tag::kH3), Last(Tag::kH4), Last(Tag::kH5), Last(Tag::kH6)}
                  )
                : Last(tag);
        if (index < 0) return -1;
        int boundary = Last(Tag::kTable);
        const bool table_scope = tag == Tag::kTable || tag == Tag::kTr || tag == Tag::kTd || tag == Tag::kTh ||
                                 tag == Tag::kThead || tag == Tag::kTbody || tag == Tag::kTfoot;
        if (!table_scope) boundary = std::max({boundary, Last(Tag::kTd), Last(Tag::kTh), Last(Tag::kCaption)});
        if (tag == Tag::kLi) boundary = std::max({boundary, Last(Tag::kUl), Last(Tag::kOl)});
        return index >= boundary ? index : -1;
    }

    int Last(Tag tag) const {
        const std::vector<uint32_t>& at = positions_[static_cast<std::size_t>(tag)];
        return at.empty() ? -1 : static_cast<int>(at.back());
    }

    void Push(Tag tag) {
        positions_[static_cast<std::size_t>(tag)].push_back(static_cast<uint32_t>(stack_.size()));
        if (Has(tag, kSpecial) && tag != Tag::kDiv && tag != Tag::kP) list_stops_.push_back(stack_.size());
        stack_.push_back(tag);
    }

    // Closes stack_[index] and everything opened after it, writing their end tags.
    void PopThrough(std::size_t index) {
        while (stack_.size() > index) {
            const Tag tag = stack_.back();
            stack_.pop_back();
            positions_[static_cast<std::size_t>(tag)].pop_back();
            if (!list_stops_.empty() && list_stops_.back() == stack_.size()) list_stops_.pop_back();
            out_ += "</";
            out_ += Info(tag).name;
            out_ += '>';
        }
    }

    // ----- Output ----------------------------------------------------------------------------

    void WriteStartTag(Tag tag) {
        out_ += '<';
        out_ += Info(tag).name;
        bool blank_target = false;
        for (std::size_t i = 0; i < attr_order_count_; ++i) {
            const Attr attr = attr_order_[i];
            const std::string& raw = attr_values_[static_cast<std::size_t>(attr)];
            std::string& value = attr_clean_;
            bool keep = false;
            switch (attr) {
                case Attr::kHref:
                case Attr::kSrc:
                    keep = AttrAllowedOn(tag, attr) &&
                           CleanUrl(raw, tag == Tag::kImg && options_.allow_data_images, value);
                    break;
                case Attr::kAlt:
                case Attr::kTitle:
                    keep = AttrAllowedOn(tag, attr);
                    value = raw;
                    break;
                case Attr::kWidth:
                case Attr::kHeight:
                    keep = AttrAllowedOn(tag, attr) && CleanInteger(raw, 5, /*allow_sign=*/false, value);
                    break;
                case Attr::kColspan:
                case Attr::kRowspan:
                case Attr::kSpan:
                    keep = AttrAllowedOn(tag, attr) && CleanInteger(raw, 4, /*allow_sign=*/false, value);
                    break;
                case Attr::kStart:
                    keep = AttrAllowedOn(tag, attr) && CleanInteger(raw, 9, /*allow_sign=*/true, value);
                    break;
                case Attr::kTarget:
                    keep = AttrAllowedOn(tag, attr) && EqualsIgnoreCase(TrimHtmlSpace(raw), "_blank");
                    value = "_blank";
                    blank_target = blank_target || keep;
                    break;
                case Attr::kClass:
                    keep = options_.allow_class && CleanClass(raw, value);
                    break;
                case Attr::kStyle:
                    keep = options_.allow_text_align && Has(tag, kTextAlign) && CleanStyle(raw, value);
                    break;
                case Attr::kUnknown:
                case Attr::kCount:
                    break;
            }
            if (keep) WriteAttribute(kAttrNames[static_cast<std::size_t>(attr)], value);
        }
        if (blank_target) WriteAttribute("rel", "noopener noreferrer");
        out_ += '>';
    }

    void WriteAttribute(std::string_view name, std::string_view value) {
        out_ += ' ';
        out_ += name;
        out_ += "=\"";
        Escape(value, /*in_attribute=*/true);
        out_ += '"';
    }

    void EmitText(std::string_view text) {
        if (skip_depth_ > 0) return;
        Escape(text, /*in_attribute=*/false);
    }

    // Writes text escaped: & < > always, " in attribute values, U+00A0 as &nbsp;; drops C0
    // and C1 control characters other than tab and LF. `text` is valid UTF-8.
    void Escape(std::string_view text, bool in_attribute) {
        const std::array<bool, 256>& special = in_attribute ? kAttributeSpecial : kTextSpecial;
        std::size_t run = 0;  // start of the pending run of bytes copied verbatim
        for (std::size_t i = 0; i < text.size(); ++i) {
            const unsigned char c = static_cast<unsigned char>(text[i]);
            if (!special[c]) continue;
            std::string_view replacement;  // empty: the byte is dropped
            std::size_t length = 1;
            if (c == '&') {
                replacement = "&amp;";
            } else if (c == '<') {
                replacement = "&lt;";
            } else if (c == '>') {
                replacement = "&gt;";
            } else if (c == '"') {
                replacement = "&quot;";
            } else if (c == 0xC2) {
                if (i + 1 == text.size()) continue;  // cannot happen: `text` is valid UTF-8
                const unsigned char next = static_cast<unsigned char>(text[i + 1]);
                if (next == 0xA0) {
                    replacement = "&nbsp;";
                } else if (next > 0x9F) {
                    continue;
                }
                length = 2;  // U+00A0, or a C1 control (U+0080-U+009F): dropped
            }
            out_.append(text.substr(run, i - run));
            out_ += replacement;
            i += length - 1;
            run = i + 1;
        }
        out_.append(text.substr(run));
    }

    const std::string_view in_;
    const SanitizeOptions& options_;
    std::size_t pos_ = 0;
    std::string out_;

    // The current tag's known attributes: first occurrences, in input order.
    std::array<std::string, kAttrCount> attr_values_;
    std::array<Attr, kAttrCount> attr_order_{};
    std::size_t attr_order_count_ = 0;
    uint32_t attr_seen_ = 0;
    std::string attr_clean_;  // an attribute value after its policy
    std::string discard_;     // value sink for attributes that are not kept
    std::string scratch_;     // decoded character reference in text

    // Open kept elements, and for each tag the stack indexes where it is open.
    std::vector<Tag> stack_;
    std::array<std::vector<uint32_t>, kTagCount> positions_;
    // Stack indexes of the open special elements other than <div> and <p>.
    std::vector<std::size_t> list_stops_;

    // A drop-content element being skipped, counting nested elements of the same name.
    Tag skip_tag_ = Tag::kUnknown;
    std::size_t skip_depth_ = 0;
};

}  // namespace

Result<std::string> SanitizeHtml(std::string_view html, const SanitizeOptions& options) {
    if (html.size() > options.max_input_bytes) {
        return Status::InvalidArgument(
            "HTML document is " + std::to_string(html.size()) + " bytes, more than the limit of " +
            std::to_string(options.max_input_bytes)
        );
    }
    std::string storage;
    return Sanitizer(Normalize(html, storage), options).Run();
}

}  // namespace mortar::sanitize
