// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.hpp"

namespace mortar::match {

// Broad kind of a legal form, from org_types.yml's `generic` vocabulary. Two names whose removed
// forms belong to different families ("Smith Foundation" and "Smith Ltd") are never auto-matched.
enum class FormFamily : uint8_t { kCompany, kCooperative, kNonProfit, kState, kReligious, kMilitary };

struct LegalForm {
    std::string display;  // "PLC", "GmbH & Co. KG"
    std::string generic;  // "JSC", "LLC", … (may be empty)
    FormFamily family = FormFamily::kCompany;
};

// The legal forms of organizations (all countries' names and aliases), as token sequences in the
// normaliser's own spelling ("B.V." and "B V" are both `bv`; "Pty. Ltd." is `pty ltd`).
// Thread safety: immutable after construction.
class LegalForms {
public:
    // The table embedded at build time from data/org_types.yml (OpenSanctions, MIT), plus the English
    // abbreviations that list leaves out (Co., Company, Corp., Corporation, Cie) and Spain's S.L.
    static const LegalForms& Default();
    // Parses the YAML subset org_types.yml uses (a `types` list of maps with `display`, `generic`,
    // `compare` and an `aliases` list; comments and quoted scalars).
    static Result<std::unique_ptr<LegalForms>> Parse(std::string_view yaml);

    // Length (in tokens) of the longest form ending just before `end`, 0 if none; sets `form`.
    std::size_t MatchEnding(std::span<const std::string> tokens, std::size_t end, int* form) const;
    // Length of the longest form starting at `begin`, 0 if none. Forms that are also everyday words
    // ("in", "as") are not recognised at the start of a name.
    std::size_t MatchStart(std::span<const std::string> tokens, std::size_t begin, int* form) const;
    // True when `token` alone is a legal form ("gmbh", "nv").
    bool IsFormToken(std::string_view token) const;
    const LegalForm& form(int index) const { return forms_[index]; }
    std::size_t alias_count() const { return aliases_.size(); }

private:
    void Add(std::string_view alias, int form);

    std::vector<LegalForm> forms_;
    std::unordered_map<std::string, int> aliases_;      // tokens joined by ' ' -> form
    std::unordered_map<std::string, int> first_words_;  // first word of some alias (fast rejection)
    std::unordered_map<std::string, int> last_words_;   // last word of some alias
    std::size_t max_tokens_ = 1;
};

// What normalisation took out of a name, as written in it.
struct Removal {
    enum class Kind { kLegalForm, kQualifier, kMarker };
    Kind kind = Kind::kLegalForm;
    std::string text;  // "B.V.", "AMSTERDAM", "*"
    int form = -1;     // index into LegalForms for kLegalForm
};

// A name reduced to what identifies the organization.
struct NormalizedName {
    std::vector<std::string> tokens;  // the core words, folded ("koninklijke", "philips", …)
    std::vector<bool> form_like;      // per token: a legal-form word left inside the name
    std::string key;                  // tokens joined by ' '
    std::string compact;              // tokens joined without separators (spacing-insensitive)
    std::string qualifier;            // place or parenthetical words, folded, joined by ' '
    std::vector<Removal> removed;
    std::optional<FormFamily> family;  // family of the removed legal forms, when any

    // "'B.V.'", "'*', 'B.V.' and 'AMSTERDAM'": the removed parts for a reason text.
    std::string DescribeRemoved() const;
};

// Normalises an organization name: case folding and accent stripping, punctuation out, spaced or
// dotted initials joined ("A.B.C.", "A B C" -> abc), ordinals and number words as digits ("1st",
// "first" -> 1), connectors (& and und en et) and a leading "the" dropped, a leading "* " marker,
// parenthetical and trailing place qualifiers ("…, AMSTERDAM", "… N.V. TE EINDHOVEN") set aside,
// and legal forms removed from the end and the start — never all of the name. Only the first 1,024
// bytes of a name are read.
NormalizedName Normalize(std::string_view raw, const LegalForms& forms = LegalForms::Default());

// The tokenizer alone (folding, initials, connectors, numbers), as used for legal-form aliases.
std::vector<std::string> BasicTokens(std::string_view raw);

}  // namespace mortar::match
