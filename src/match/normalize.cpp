// SPDX-License-Identifier: AGPL-3.0-or-later
#include "match/normalize.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_set>

#include "match/text.hpp"

namespace mortar::match {
namespace internal {
extern const std::string_view kOrgTypesYaml;
}  // namespace internal

namespace {

constexpr std::size_t kMaxNameBytes = 1024;

// One word of the raw name, with where it came from.
struct RawToken {
    std::string text;
    std::size_t begin = 0;  // byte span in the raw name
    std::size_t end = 0;
    int segment = 0;  // comma-separated part
    bool paren = false;
    bool connector = false;
    bool dot_after = false;
};

bool IsSingleLetter(const RawToken& t) {
    if (t.connector || t.text.empty()) return false;
    std::size_t i = 0;
    DecodeUtf8(t.text, i);
    if (i != t.text.size()) return false;
    const unsigned char c = static_cast<unsigned char>(t.text[0]);
    return !(c >= '0' && c <= '9');
}

bool EqualsIgnoreCase(std::string_view text, std::size_t at, std::string_view word) {
    if (at + word.size() > text.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k) {
        char c = text[at + k];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != word[k]) return false;
    }
    return true;
}

// Number of ASCII letters starting at `i`.
std::size_t LettersAhead(std::string_view raw, std::size_t i) {
    std::size_t n = 0;
    while (i + n < raw.size() && std::isalpha(static_cast<unsigned char>(raw[i + n]))) ++n;
    return n;
}

// Splits into words. Returns the byte offset where the name proper starts (after markers).
std::vector<RawToken> Scan(std::string_view raw, bool* had_marker) {
    std::vector<RawToken> out;
    std::size_t i = 0;
    // Leading markers ("* ", "- ") carry no name.
    while (i < raw.size() && (raw[i] == '*' || raw[i] == ' ' || raw[i] == '\t' || raw[i] == '-' || raw[i] == '#')) {
        if (raw[i] == '*' && had_marker != nullptr) *had_marker = true;
        ++i;
    }
    int segment = 0;
    int depth = 0;
    RawToken cur;
    bool open = false;
    std::string folded;
    auto close = [&]() {
        if (open) out.push_back(std::move(cur));
        cur = RawToken{};
        open = false;
    };
    while (i < raw.size()) {
        const std::size_t start = i;
        // "&amp;" (HTML-escaped ampersand) is an ampersand.
        if (raw[i] == '&' && EqualsIgnoreCase(raw, i + 1, "amp")) {
            i += 4;
            if (i < raw.size() && raw[i] == ';') ++i;
            close();
            RawToken amp;
            amp.text = "&";
            amp.connector = true;
            amp.begin = start;
            amp.end = i;
            amp.segment = segment;
            amp.paren = depth > 0;
            out.push_back(std::move(amp));
            continue;
        }
        const char32_t cp = DecodeUtf8(raw, i);
        folded.clear();
        const CharClass cls = FoldCodePoint(cp, folded);
        switch (cls) {
            case CharClass::kWord:
                if (!open) {
                    open = true;
                    cur.begin = start;
                    cur.segment = segment;
                    cur.paren = depth > 0;
                }
                cur.text += folded;
                cur.end = i;
                break;
            case CharClass::kApostrophe:
                // Dropped inside a word ("PHILIP'S", "O'Brien"), but a long word glued to another
                // by an apostrophe is two ("PHILIPS'GLOEILAMPENFABRIEKEN").
                if (open && cur.text.size() >= 4 && LettersAhead(raw, i) >= 4) {
                    close();
                } else if (open) {
                    cur.end = i;
                }
                break;
            case CharClass::kDot:
                if (open) cur.dot_after = true;
                close();
                break;
            case CharClass::kAmpersand: {
                close();
                RawToken amp;
                amp.text = "&";
                amp.connector = true;
                amp.begin = start;
                amp.end = i;
                amp.segment = segment;
                amp.paren = depth > 0;
                out.push_back(std::move(amp));
                break;
            }
            case CharClass::kComma:
                close();
                if (depth == 0) ++segment;
                break;
            case CharClass::kOpen:
                close();
                ++depth;
                break;
            case CharClass::kClose:
                close();
                if (depth > 0) --depth;
                break;
            case CharClass::kSeparator:
                close();
                break;
        }
    }
    close();
    return out;
}

// Joins runs of single letters ("a b c", "a.b.c.") into one word.
void JoinInitials(std::vector<RawToken>& tokens, const LegalForms* forms) {
    std::vector<RawToken> out;
    for (std::size_t i = 0; i < tokens.size();) {
        std::size_t j = i;
        while (j < tokens.size() && IsSingleLetter(tokens[j]) && tokens[j].segment == tokens[i].segment &&
               tokens[j].paren == tokens[i].paren) {
            ++j;
        }
        if (j - i < 2) {
            out.push_back(std::move(tokens[i]));
            ++i;
            continue;
        }
        // A run like "d s m n v": keep a legal form at its end ("dsm" + "nv") or start ("nv" + "dsm").
        std::string letters;
        for (std::size_t k = i; k < j; ++k) letters += tokens[k].text;
        const std::size_t n = j - i;
        std::size_t split = n;  // letters before the split are one word, after it another
        if (forms != nullptr && n >= 3 && !forms->IsFormToken(letters)) {
            for (std::size_t suffix = n - 1; suffix >= 2; --suffix) {
                if (forms->IsFormToken(letters.substr(n - suffix))) {
                    split = n - suffix;
                    break;
                }
            }
            if (split == n && i == 0 && n >= 4) {
                for (std::size_t prefix = n - 2; prefix >= 2; --prefix) {
                    if (forms->IsFormToken(letters.substr(0, prefix))) {
                        split = prefix;
                        break;
                    }
                }
            }
        }
        // Only ASCII single letters can be split by byte offset; others stay whole.
        if (letters.size() != n) split = n;
        auto make = [&](std::size_t from, std::size_t to) {
            RawToken t;
            t.begin = tokens[i + from].begin;
            t.end = tokens[i + to - 1].end;
            t.segment = tokens[i].segment;
            t.paren = tokens[i].paren;
            t.dot_after = tokens[i + to - 1].dot_after;
            for (std::size_t k = from; k < to; ++k) t.text += tokens[i + k].text;
            return t;
        };
        out.push_back(make(0, split));
        if (split < n) out.push_back(make(split, n));
        i = j;
    }
    tokens = std::move(out);
}

const std::unordered_set<std::string_view>& Connectors() {
    static const std::unordered_set<std::string_view> kConnectors = {"&", "and", "und", "en", "et"};
    return kConnectors;
}

// "first"/"1st" -> "1", "twelve" -> "12".
std::string NumberForm(const std::string& word) {
    static const std::unordered_map<std::string_view, std::string_view> kWords = {
        {"zero", "0"},       {"one", "1"},        {"two", "2"},          {"three", "3"},       {"four", "4"},
        {"five", "5"},       {"six", "6"},        {"seven", "7"},        {"eight", "8"},       {"nine", "9"},
        {"ten", "10"},       {"eleven", "11"},    {"twelve", "12"},      {"thirteen", "13"},   {"fourteen", "14"},
        {"fifteen", "15"},   {"sixteen", "16"},   {"seventeen", "17"},   {"eighteen", "18"},   {"nineteen", "19"},
        {"twenty", "20"},    {"first", "1"},      {"second", "2"},       {"third", "3"},       {"fourth", "4"},
        {"fifth", "5"},      {"sixth", "6"},      {"seventh", "7"},      {"eighth", "8"},      {"ninth", "9"},
        {"tenth", "10"},     {"eleventh", "11"},  {"twelfth", "12"},     {"thirteenth", "13"}, {"fourteenth", "14"},
        {"fifteenth", "15"}, {"sixteenth", "16"}, {"seventeenth", "17"}, {"eighteenth", "18"}, {"nineteenth", "19"},
        {"twentieth", "20"},
    };
    if (auto it = kWords.find(word); it != kWords.end()) return std::string(it->second);
    // 1st 2nd 3rd 4th 21st …
    if (word.size() >= 3) {
        const std::string_view tail = std::string_view(word).substr(word.size() - 2);
        const std::string_view digits = std::string_view(word).substr(0, word.size() - 2);
        if ((tail == "st" || tail == "nd" || tail == "rd" || tail == "th") &&
            std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            return std::string(digits);
        }
    }
    return word;
}

// Tokens of a name before any legal-form or qualifier handling.
std::vector<RawToken> Tokenize(std::string_view raw, const LegalForms* forms, bool* had_marker) {
    std::vector<RawToken> tokens = Scan(raw, had_marker);
    JoinInitials(tokens, forms);
    std::vector<RawToken> out;
    for (auto& t : tokens) {
        if (t.connector || Connectors().count(t.text) > 0) continue;
        t.text = NumberForm(t.text);
        out.push_back(std::move(t));
    }
    if (out.empty()) {
        // A name of only connectors ("&") keeps them rather than vanishing.
        for (auto& t : tokens) out.push_back(std::move(t));
    }
    return out;
}

std::string Written(std::string_view raw, const RawToken& first, const RawToken& last) {
    std::size_t end = last.end;
    if (last.dot_after && end < raw.size() && raw[end] == '.') ++end;
    return std::string(raw.substr(first.begin, end - first.begin));
}

FormFamily FamilyOf(std::string_view generic) {
    if (generic == "COOP") return FormFamily::kCooperative;
    if (generic == "NGO") return FormFamily::kNonProfit;
    if (generic == "SOE") return FormFamily::kState;
    if (generic == "REL") return FormFamily::kReligious;
    if (generic == "MIL") return FormFamily::kMilitary;
    return FormFamily::kCompany;
}

// Unquotes a YAML scalar and drops a trailing comment.
std::string Scalar(std::string_view v) {
    v = std::string_view(v.data(), v.size());
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    if (!v.empty() && (v.front() == '"' || v.front() == '\'')) {
        const char q = v.front();
        std::string out;
        for (std::size_t i = 1; i < v.size(); ++i) {
            if (v[i] == q) {
                if (q == '\'' && i + 1 < v.size() && v[i + 1] == '\'') {
                    out += '\'';
                    ++i;
                    continue;
                }
                break;
            }
            if (q == '"' && v[i] == '\\' && i + 1 < v.size()) {
                out += v[++i];
                continue;
            }
            out += v[i];
        }
        return out;
    }
    if (auto hash = v.find(" #"); hash != std::string_view::npos) v = v.substr(0, hash);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r')) v.remove_suffix(1);
    return std::string(v);
}

// Everyday words that are also legal forms somewhere; never taken as a form at a name's start.
const std::unordered_set<std::string_view>& NotAtStart() {
    static const std::unordered_set<std::string_view> kWords = {"in", "is", "at", "as", "im", "ii", "ip", "na", "nl"};
    return kWords;
}

}  // namespace

std::vector<std::string> BasicTokens(std::string_view raw) {
    std::vector<std::string> out;
    for (auto& t : Tokenize(raw, nullptr, nullptr)) out.push_back(std::move(t.text));
    return out;
}

void LegalForms::Add(std::string_view alias, int form) {
    std::vector<std::string> tokens = BasicTokens(alias);
    if (tokens.empty() || tokens.size() > 6) return;
    std::string key;
    std::size_t letters = 0;
    for (const auto& t : tokens) {
        if (!key.empty()) key += ' ';
        key += t;
        letters += t.size();
    }
    if (letters < 2) return;  // "A." or "e" alone would eat initials
    max_tokens_ = std::max(max_tokens_, tokens.size());
    first_words_.emplace(tokens.front(), form);
    last_words_.emplace(tokens.back(), form);
    aliases_.emplace(std::move(key), form);
}

Result<std::unique_ptr<LegalForms>> LegalForms::Parse(std::string_view yaml) {
    auto out = std::make_unique<LegalForms>();
    struct Entry {
        LegalForm form;
        std::vector<std::string> aliases;
    };
    std::vector<Entry> entries;
    bool in_types = false;
    bool in_aliases = false;
    int line_no = 0;
    for (std::size_t pos = 0; pos <= yaml.size();) {
        std::size_t nl = yaml.find('\n', pos);
        if (nl == std::string_view::npos) nl = yaml.size();
        std::string_view line = yaml.substr(pos, nl - pos);
        pos = nl + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        std::size_t indent = 0;
        while (indent < line.size() && line[indent] == ' ') ++indent;
        std::string_view body = line.substr(indent);
        if (body.empty() || body.front() == '#') continue;
        auto bad = [&](std::string_view what) {
            return Status::InvalidArgument("org_types.yml line " + std::to_string(line_no) + ": " + std::string(what));
        };
        if (indent == 0) {
            if (body.substr(0, 6) != "types:") return bad("expected 'types:'");
            in_types = true;
            continue;
        }
        if (!in_types) return bad("content before 'types:'");
        bool item = false;
        if (body.substr(0, 2) == "- ") {
            item = true;
            body.remove_prefix(2);
        }
        if (item && in_aliases && indent >= 6) {
            entries.back().aliases.push_back(Scalar(body));
            continue;
        }
        if (item) {
            entries.emplace_back();
            in_aliases = false;
        }
        if (entries.empty()) return bad("field outside a type entry");
        const std::size_t colon = body.find(':');
        if (colon == std::string_view::npos) return bad("expected 'key: value'");
        const std::string_view key = body.substr(0, colon);
        const std::string value = Scalar(body.substr(colon + 1));
        Entry& e = entries.back();
        in_aliases = false;
        if (key == "display") {
            e.form.display = value;
        } else if (key == "generic") {
            e.form.generic = value;
        } else if (key == "compare") {
            if (!value.empty()) e.aliases.push_back(value);
        } else if (key == "aliases") {
            in_aliases = true;
        } else {
            return bad("unknown key '" + std::string(key) + "'");
        }
    }
    if (entries.empty()) return Status::InvalidArgument("org_types.yml: no types");
    for (auto& e : entries) {
        if (e.form.display.empty() && !e.aliases.empty()) e.form.display = e.aliases.front();
        e.form.family = FamilyOf(e.form.generic);
        const int index = static_cast<int>(out->forms_.size());
        out->forms_.push_back(e.form);
        out->Add(e.form.display, index);
        for (const auto& a : e.aliases) out->Add(a, index);
    }
    return out;
}

const LegalForms& LegalForms::Default() {
    static const LegalForms* const kForms = [] {
        auto parsed = Parse(internal::kOrgTypesYaml);
        // The embedded file is part of the build; failing to parse it is a bug.
        if (!parsed) throw std::logic_error(parsed.status().message());
        LegalForms* forms = parsed->release();
        // Common English abbreviations the list does not carry as forms.
        const int co = static_cast<int>(forms->forms_.size());
        forms->forms_.push_back(LegalForm{"Co.", "", FormFamily::kCompany});
        for (const char* a : {"Co.", "Company", "Cos.", "Cie", "and Co.", "& Cie"}) forms->Add(a, co);
        const int corp = static_cast<int>(forms->forms_.size());
        forms->forms_.push_back(LegalForm{"Corp.", "", FormFamily::kCompany});
        for (const char* a : {"Corp.", "Corporation"}) forms->Add(a, corp);
        const int sl = static_cast<int>(forms->forms_.size());
        forms->forms_.push_back(LegalForm{"S.L.", "LLC", FormFamily::kCompany});
        for (const char* a : {"S.L.", "S.L.U.", "Sociedad Limitada"}) forms->Add(a, sl);
        return forms;
    }();
    return *kForms;
}

std::size_t LegalForms::MatchEnding(std::span<const std::string> tokens, std::size_t end, int* form) const {
    if (end == 0 || last_words_.count(tokens[end - 1]) == 0) return 0;
    const std::size_t longest = std::min(max_tokens_, end);
    for (std::size_t len = longest; len >= 1; --len) {
        std::string key;
        for (std::size_t k = end - len; k < end; ++k) {
            if (!key.empty()) key += ' ';
            key += tokens[k];
        }
        if (auto it = aliases_.find(key); it != aliases_.end()) {
            if (form != nullptr) *form = it->second;
            return len;
        }
    }
    return 0;
}

std::size_t LegalForms::MatchStart(std::span<const std::string> tokens, std::size_t begin, int* form) const {
    if (begin >= tokens.size() || first_words_.count(tokens[begin]) == 0) return 0;
    const std::size_t longest = std::min(max_tokens_, tokens.size() - begin);
    for (std::size_t len = longest; len >= 1; --len) {
        std::string key;
        for (std::size_t k = begin; k < begin + len; ++k) {
            if (!key.empty()) key += ' ';
            key += tokens[k];
        }
        if (len == 1 && NotAtStart().count(key) > 0) continue;
        if (auto it = aliases_.find(key); it != aliases_.end()) {
            if (form != nullptr) *form = it->second;
            return len;
        }
    }
    return 0;
}

bool LegalForms::IsFormToken(std::string_view token) const {
    return aliases_.count(std::string(token)) > 0;
}

std::string NormalizedName::DescribeRemoved() const {
    std::string out;
    for (std::size_t i = 0; i < removed.size(); ++i) {
        if (i > 0) out += i + 1 == removed.size() ? " and " : ", ";
        out += "'" + removed[i].text + "'";
    }
    return out;
}

NormalizedName Normalize(std::string_view raw, const LegalForms& forms) {
    NormalizedName out;
    // Names are short; a huge input is cut (at a character boundary) so similarity work stays bounded.
    if (raw.size() > kMaxNameBytes) {
        std::size_t cut = kMaxNameBytes;
        while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
        raw = raw.substr(0, cut);
    }
    bool marker = false;
    std::vector<RawToken> tokens = Tokenize(raw, &forms, &marker);
    if (marker) out.removed.push_back(Removal{Removal::Kind::kMarker, "*", -1});

    // Parenthetical words are qualifiers, unless they are all there is.
    std::vector<RawToken> core;
    std::vector<RawToken> qualifier;
    bool any_plain = std::any_of(tokens.begin(), tokens.end(), [](const RawToken& t) { return !t.paren; });
    for (auto& t : tokens) {
        if (t.paren && any_plain) {
            qualifier.push_back(std::move(t));
        } else {
            core.push_back(std::move(t));
        }
    }
    if (!qualifier.empty()) {
        out.removed.push_back(Removal{Removal::Kind::kQualifier, Written(raw, qualifier.front(), qualifier.back()), -1}
        );
    }
    std::vector<std::string> words;
    for (const auto& t : core) words.push_back(t.text);

    // A comma-separated part after a legal form is a place ("CARGILL B.V., BERGEN OP ZOOM, NL"),
    // unless the part is itself only legal forms ("AKZO NOBEL, INC.").
    std::size_t name_end = core.size();
    for (std::size_t i = 1; i < core.size(); ++i) {
        if (core[i].segment == core[i - 1].segment) continue;
        std::size_t seg_end = i;
        while (seg_end < core.size() && core[seg_end].segment == core[i].segment) ++seg_end;
        std::size_t covered = i;
        while (covered < seg_end) {
            const std::size_t len = forms.MatchStart(words, covered, nullptr);
            if (len == 0 || covered + len > seg_end) break;
            covered += len;
        }
        if (covered == seg_end) continue;  // the part is only legal forms
        // A place never comes before a legal form ("DSM IP, ASSETS, B.V." has none).
        bool form_later = false;
        for (std::size_t k = i; k < core.size(); ++k) {
            if (forms.IsFormToken(words[k]) && NotAtStart().count(words[k]) == 0) form_later = true;
        }
        if (form_later) break;
        const std::size_t form_len = forms.MatchEnding(words, i, nullptr);
        if (form_len > 0 && form_len < i) {
            name_end = i;
            break;
        }
    }
    // "… N.V. TE EINDHOVEN", "… N.V. GROENEWOUDSEWEG 1": a short tail after a legal form, starting
    // with a place preposition or holding a number.
    if (name_end == core.size() && core.size() >= 3) {
        for (std::size_t p = core.size() - 1; p >= 2; --p) {
            const std::size_t form_len = forms.MatchEnding(words, p, nullptr);
            if (form_len == 0 || form_len >= p) continue;
            const std::size_t tail = core.size() - p;
            if (tail > 4) break;
            bool has_form = false;
            bool has_digit = false;
            for (std::size_t k = p; k < core.size(); ++k) {
                if (forms.IsFormToken(words[k])) has_form = true;
                if (std::any_of(words[k].begin(), words[k].end(), [](char c) { return c >= '0' && c <= '9'; })) {
                    has_digit = true;
                }
            }
            const bool preposition = words[p] == "te" || words[p] == "in" || words[p] == "at";
            if (!has_form && (preposition || has_digit)) name_end = p;
            break;
        }
    }
    // A Dutch "te <place>" ending without a legal form before it.
    if (name_end == core.size() && core.size() >= 3) {
        for (std::size_t p = core.size() - 2; p >= 1 && p + 3 >= core.size(); --p) {
            if (words[p] == "te") {
                name_end = p;
                break;
            }
        }
    }
    if (name_end < core.size()) {
        out.removed.push_back(Removal{Removal::Kind::kQualifier, Written(raw, core[name_end], core.back()), -1});
        for (std::size_t k = name_end; k < core.size(); ++k) qualifier.push_back(core[k]);
        core.resize(name_end);
        words.resize(name_end);
    }

    // Legal forms at the end, then at the start; at least one word stays.
    std::size_t begin = 0;
    std::size_t end = core.size();
    std::vector<Removal> trailing;
    while (end - begin > 1) {
        int form = -1;
        const std::size_t len = forms.MatchEnding(std::span<const std::string>(words).first(end), end, &form);
        if (len == 0 || len >= end - begin) break;
        trailing.push_back(Removal{Removal::Kind::kLegalForm, Written(raw, core[end - len], core[end - 1]), form});
        if (!out.family) out.family = forms.form(form).family;
        end -= len;
    }
    std::vector<Removal> leading;
    while (end - begin > 1) {
        int form = -1;
        const std::size_t len = forms.MatchStart(std::span<const std::string>(words).first(end), begin, &form);
        if (len == 0 || len >= end - begin) break;
        leading.push_back(Removal{Removal::Kind::kLegalForm, Written(raw, core[begin], core[begin + len - 1]), form});
        if (!out.family) out.family = forms.form(form).family;
        begin += len;
    }
    // A leading article.
    if (end - begin > 1 && words[begin] == "the") ++begin;
    for (auto& r : leading) out.removed.push_back(std::move(r));
    for (auto it = trailing.rbegin(); it != trailing.rend(); ++it) out.removed.push_back(std::move(*it));
    // Keep removals in reading order: marker, leading forms, trailing forms, qualifier.
    std::stable_sort(out.removed.begin(), out.removed.end(), [](const Removal& a, const Removal& b) {
        auto rank = [](const Removal& r) {
            return r.kind == Removal::Kind::kMarker ? 0 : r.kind == Removal::Kind::kLegalForm ? 1 : 2;
        };
        return rank(a) < rank(b);
    });

    for (std::size_t k = begin; k < end; ++k) {
        out.tokens.push_back(words[k]);
        out.form_like.push_back(forms.IsFormToken(words[k]));
        if (!out.key.empty()) out.key += ' ';
        out.key += words[k];
        out.compact += words[k];
    }
    for (const auto& q : qualifier) {
        if (!out.qualifier.empty()) out.qualifier += ' ';
        out.qualifier += q.text;
    }
    return out;
}

}  // namespace mortar::match
