// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "match/normalize.hpp"

namespace mortar::match {

enum class Decision { kAuto, kSuggest, kNone };
std::string_view DecisionName(Decision d);  // "auto", "suggest", "none"

// Something to match against: an organization, or a configuration within one.
struct Record {
    int64_t id = 0;
    std::string name;
};

struct Candidate {
    int64_t id = 0;
    std::string name;
    double score = 0;    // 0..1
    std::string reason;  // "typo: sheel ~ shell", "shares rare word 'contoso'"
};

struct MatchResult {
    Decision decision = Decision::kNone;
    double score = 0;                   // of the best candidate (0 when none)
    std::string reason;                 // why this decision
    std::vector<Candidate> candidates;  // best first; the first is the match or the suggestion
};

struct MatchOptions {
    double auto_score = 0.93;        // a score at least this high …
    double auto_margin = 0.15;       // … and this far above the runner-up is certain
    double suggest_score = 0.30;     // below this (and without a shared rare word) nothing is suggested
    std::size_t max_candidates = 5;  // candidates returned per result
};

// Organizations indexed for name matching. Candidates come from an inverted index over the
// normalised words of the organizations and, for words not found exactly, from a character-trigram
// index over that vocabulary (typo tolerance); words are weighted by rarity (IDF), so a shared
// "dental" counts less than a shared "contoso". Cost per lookup follows the postings of the query's
// words, not the number of organizations.
// Thread safety: immutable after construction; Match may be called from several threads.
class NameIndex {
public:
    explicit NameIndex(const std::vector<Record>& records, MatchOptions options = {});
    ~NameIndex();
    NameIndex(const NameIndex&) = delete;
    NameIndex& operator=(const NameIndex&) = delete;

    MatchResult Match(std::string_view name) const;
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        int64_t id = 0;
        std::string name;
        std::vector<uint32_t> tokens;  // vocabulary ids
        std::vector<bool> form_like;
        std::string key;
        std::string compact;
        std::vector<uint32_t> grams;  // trigrams of compact
        std::string set_key;          // sorted words, order-insensitive equality
        std::string qualifier;
        std::string removed;  // DescribeRemoved()
        bool has_family = false;
        FormFamily family = FormFamily::kCompany;
    };
    struct Query;
    struct Scored;

    double Weight(uint32_t vocab) const;
    double UnknownWeight() const;
    void Expand(const std::string& token, Query& q) const;
    Scored Score(const Query& q, uint32_t entry, bool with_reason) const;

    MatchOptions options_;
    std::vector<Entry> entries_;
    std::unordered_map<std::string, uint32_t> vocab_;
    std::vector<std::string> words_;  // vocabulary id -> word
    std::vector<uint32_t> df_;        // entries holding the word
    std::vector<double> weight_;      // IDF of each word
    std::vector<uint32_t> post_off_;  // CSR: word -> entries
    std::vector<uint32_t> post_;
    std::unordered_map<uint32_t, uint32_t> trigram_slot_;  // trigram -> row in tri_off_
    std::vector<uint32_t> tri_off_;                        // CSR: trigram -> words
    std::vector<uint32_t> tri_;
    std::unordered_map<std::string, std::vector<uint32_t>> by_key_;  // key, compact and set key -> entries
};

}  // namespace mortar::match
