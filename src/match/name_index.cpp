// SPDX-License-Identifier: AGPL-3.0-or-later
#include "match/name_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "match/text.hpp"

namespace mortar::match {
namespace {

constexpr uint32_t kUnknown = UINT32_MAX;
constexpr double kFormLikeWeight = 0.2;   // a legal-form word left inside a name counts little
constexpr double kNearSimilarity = 0.86;  // Jaro-Winkler for two words to count as the same, misspelt
constexpr double kKnownWordDiscount = 0.7;
constexpr double kCoverageShare = 0.3;  // of the word score: the part of the customer's name found  // for misspelt
                                        // neighbours of a word found as it is
constexpr std::size_t kCandidates = 10;
constexpr double kConflictScore = 0.9;
constexpr double kSameWordsScore = 0.92;  // the same words in another order: below auto_score  // equal names with
                                          // different places or kinds of legal form
constexpr uint32_t kCommonWord =
    20;  // known words this frequent are not expanded to misspellings   // scored in full per lookup

// Per-thread scratch of a lookup, so lookups allocate little and never touch shared state.
struct Scratch {
    std::vector<float> acc;
    std::vector<uint32_t> touched;
    std::vector<uint16_t> count;
    std::vector<uint32_t> counted;
};
Scratch& ThreadScratch() {
    thread_local Scratch scratch;
    return scratch;
}

void PaddedTrigrams(std::string_view word, std::vector<uint32_t>& out) {
    out.clear();
    thread_local std::string padded;
    padded.clear();
    padded += ' ';
    padded += word;
    padded += ' ';
    for (std::size_t i = 0; i + 3 <= padded.size(); ++i) {
        out.push_back(
            (static_cast<uint32_t>(static_cast<unsigned char>(padded[i])) << 16) |
            (static_cast<uint32_t>(static_cast<unsigned char>(padded[i + 1])) << 8) |
            static_cast<uint32_t>(static_cast<unsigned char>(padded[i + 2]))
        );
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

double Dice(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
    if (a.empty() || b.empty()) return 0.0;
    std::size_t common = 0;
    for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
        if (a[i] == b[j]) {
            ++common;
            ++i;
            ++j;
        } else if (a[i] < b[j]) {
            ++i;
        } else {
            ++j;
        }
    }
    return 2.0 * static_cast<double>(common) / static_cast<double>(a.size() + b.size());
}

std::string SetKey(const std::vector<std::string>& tokens, const std::vector<bool>& form_like) {
    std::vector<std::string> words;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (!form_like[i]) words.push_back(tokens[i]);
    }
    if (words.size() < 2) return {};
    std::sort(words.begin(), words.end());
    std::string key = "\x01";  // never equal to a plain key
    for (const auto& w : words) key += w + " ";
    return key;
}

std::string Format(double score) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", score);
    return buf;
}

// A misspelling certain enough for an auto-match: a long word off by one edit (two for very long
// words), where the misspelt form is not itself a word of any organization.
bool SafeTypo(std::string_view a, std::string_view b) {
    const std::size_t shorter = std::min(a.size(), b.size());
    if (shorter < 7) return false;
    const int d = EditDistance(a, b, 2);
    return d <= 1 || (d == 2 && shorter >= 10);
}

}  // namespace

std::string_view DecisionName(Decision d) {
    switch (d) {
        case Decision::kAuto:
            return "auto";
        case Decision::kSuggest:
            return "suggest";
        case Decision::kNone:
            return "none";
    }
    return "none";
}

struct NameIndex::Query {
    struct Token {
        std::string text;
        uint32_t vocab = kUnknown;
        bool form_like = false;
        std::vector<std::pair<uint32_t, double>> near;  // misspelt neighbours in the vocabulary
    };
    NormalizedName norm;
    std::string removed;  // norm.DescribeRemoved()
    std::vector<uint32_t> grams;
    std::string set_key;
    std::vector<Token> tokens;
};

struct NameIndex::Scored {
    uint32_t entry = 0;
    double score = 0;
    bool certain = false;
    bool all_matched = false;  // every word of both names has a counterpart
    bool shares_rare = false;  // an exactly shared word is rare among the organizations
    std::string reason;
};

NameIndex::NameIndex(const std::vector<Record>& records, MatchOptions options) : options_(options) {
    entries_.reserve(records.size());
    std::vector<std::pair<uint32_t, uint32_t>> pairs;  // (word, entry)
    for (const auto& r : records) {
        NormalizedName n = Normalize(r.name);
        Entry e;
        e.id = r.id;
        e.name = r.name;
        e.form_like = n.form_like;
        e.key = n.key;
        e.compact = n.compact;
        PaddedTrigrams(e.compact, e.grams);
        e.set_key = SetKey(n.tokens, n.form_like);
        e.qualifier = n.qualifier;
        e.removed = n.DescribeRemoved();
        e.has_family = n.family.has_value();
        if (n.family) e.family = *n.family;
        const auto entry = static_cast<uint32_t>(entries_.size());
        for (const auto& t : n.tokens) {
            auto [it, inserted] = vocab_.try_emplace(t, static_cast<uint32_t>(words_.size()));
            if (inserted) words_.push_back(t);
            e.tokens.push_back(it->second);
            pairs.emplace_back(it->second, entry);
        }
        if (!e.key.empty()) {
            by_key_[e.key].push_back(entry);
            if (e.compact != e.key) by_key_[e.compact].push_back(entry);
            if (!e.set_key.empty()) by_key_[e.set_key].push_back(entry);
        }
        entries_.push_back(std::move(e));
    }
    for (auto& [key, list] : by_key_) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    df_.assign(words_.size(), 0);
    post_off_.assign(words_.size() + 1, 0);
    post_.reserve(pairs.size());
    for (const auto& [w, entry] : pairs) {
        ++df_[w];
        post_.push_back(entry);
    }
    for (std::size_t w = 0; w < words_.size(); ++w) post_off_[w + 1] = post_off_[w] + df_[w];
    // IDF: a word in every organization weighs log 2, a word in one log(1 + N).
    weight_.resize(words_.size());
    for (std::size_t w = 0; w < words_.size(); ++w) {
        weight_[w] = std::log(1.0 + static_cast<double>(entries_.size()) / static_cast<double>(df_[w]));
    }

    // Trigrams of the vocabulary, for misspelt words.
    std::vector<std::pair<uint32_t, uint32_t>> tri;  // (trigram, word)
    std::vector<uint32_t> grams;
    for (uint32_t w = 0; w < words_.size(); ++w) {
        PaddedTrigrams(words_[w], grams);
        for (uint32_t g : grams) tri.emplace_back(g, w);
    }
    std::sort(tri.begin(), tri.end());
    tri_.reserve(tri.size());
    for (std::size_t i = 0; i < tri.size();) {
        std::size_t j = i;
        trigram_slot_[tri[i].first] = static_cast<uint32_t>(tri_off_.size());
        tri_off_.push_back(static_cast<uint32_t>(tri_.size()));
        while (j < tri.size() && tri[j].first == tri[i].first) tri_.push_back(tri[j++].second);
        i = j;
    }
    tri_off_.push_back(static_cast<uint32_t>(tri_.size()));
}

NameIndex::~NameIndex() = default;

double NameIndex::Weight(uint32_t vocab) const {
    return weight_[vocab];
}

double NameIndex::UnknownWeight() const {
    return std::log(1.0 + static_cast<double>(entries_.size()) / 0.5);
}

void NameIndex::Expand(const std::string& token, Query& q) const {
    Query::Token& t = q.tokens.back();
    if (token.size() < 4 || words_.empty()) return;
    // Numbers are not misspelt: "Store 12" is not "Store 13".
    if (std::any_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) return;
    // A word many organizations spell this way is a real word, not a misspelling.
    if (t.vocab != kUnknown && df_[t.vocab] >= kCommonWord) return;
    Scratch& s = ThreadScratch();
    if (s.count.size() < words_.size()) s.count.resize(words_.size(), 0);
    thread_local std::vector<uint32_t> grams;
    PaddedTrigrams(token, grams);
    const std::size_t common_trigram = std::max<std::size_t>(64, words_.size() / 16);
    for (uint32_t g : grams) {
        auto it = trigram_slot_.find(g);
        if (it == trigram_slot_.end()) continue;
        if (tri_off_[it->second + 1] - tri_off_[it->second] > common_trigram) continue;  // says little
        for (uint32_t k = tri_off_[it->second]; k < tri_off_[it->second + 1]; ++k) {
            const uint32_t w = tri_[k];
            if (s.count[w]++ == 0) s.counted.push_back(w);
        }
    }
    const auto needed = static_cast<uint16_t>(std::max<std::size_t>(2, grams.size() / 2));
    for (uint32_t w : s.counted) {
        if (s.count[w] >= needed && w != t.vocab) {
            const double sim = JaroWinkler(token, words_[w]);
            // A word some organization spells exactly so is less likely to be a misspelling.
            if (sim >= kNearSimilarity) t.near.emplace_back(w, t.vocab == kUnknown ? sim : sim * kKnownWordDiscount);
        }
        s.count[w] = 0;
    }
    s.counted.clear();
    std::sort(t.near.begin(), t.near.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (t.near.size() > 6) t.near.resize(6);
}

NameIndex::Scored NameIndex::Score(const Query& q, uint32_t entry_index, bool with_reason) const {
    const Entry& e = entries_[entry_index];
    Scored out;
    out.entry = entry_index;
    struct Pair {
        double sim;
        std::size_t i;
        std::size_t j;
    };
    thread_local std::vector<Pair> pairs;
    thread_local std::vector<int> match_q;
    thread_local std::vector<int> match_e;
    thread_local std::vector<double> sim_q;
    pairs.clear();
    for (std::size_t i = 0; i < q.tokens.size(); ++i) {
        const auto& t = q.tokens[i];
        for (std::size_t j = 0; j < e.tokens.size(); ++j) {
            if (t.vocab == e.tokens[j]) {
                pairs.push_back({1.0, i, j});
                continue;
            }
            for (const auto& [w, sim] : t.near) {
                if (w == e.tokens[j]) pairs.push_back({sim, i, j});
            }
        }
    }
    std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.sim > b.sim; });
    match_q.assign(q.tokens.size(), -1);
    match_e.assign(e.tokens.size(), -1);
    sim_q.assign(q.tokens.size(), 0.0);
    for (const auto& p : pairs) {
        if (match_q[p.i] >= 0 || match_e[p.j] >= 0) continue;
        match_q[p.i] = static_cast<int>(p.j);
        match_e[p.j] = static_cast<int>(p.i);
        sim_q[p.i] = p.sim;
    }
    double total = 0;
    double matched = 0;
    double query_total = 0;
    double query_matched = 0;
    bool all_matched = true;
    bool all_safe = true;
    int typos = 0;
    std::string typo_text;
    uint32_t rare_vocab = kUnknown;  // the weightiest exactly shared word
    double rare_weight = -1;
    std::string missing;
    for (std::size_t i = 0; i < q.tokens.size(); ++i) {
        const auto& t = q.tokens[i];
        double wq = 0;
        if (match_q[i] >= 0) {
            wq = Weight(e.tokens[match_q[i]]);
        } else {
            wq = t.vocab != kUnknown ? Weight(t.vocab) : UnknownWeight();
        }
        if (t.form_like) wq *= kFormLikeWeight;
        total += wq;
        query_total += wq;
        if (match_q[i] >= 0) {
            const auto j = static_cast<std::size_t>(match_q[i]);
            double wo = Weight(e.tokens[j]) * (e.form_like[j] ? kFormLikeWeight : 1.0);
            matched += sim_q[i] * (wq + wo);
            query_matched += sim_q[i] * wq;
            if (sim_q[i] < 1.0) {
                ++typos;
                const std::string& other = words_[e.tokens[j]];
                if (!(t.vocab == kUnknown && SafeTypo(t.text, other))) all_safe = false;
                if (with_reason && typos <= 2) typo_text += (typo_text.empty() ? "" : ", ") + t.text + " ~ " + other;
            } else if (!t.form_like && wq > rare_weight) {
                rare_weight = wq;
                rare_vocab = t.vocab;
            }
        } else if (!t.form_like) {
            all_matched = false;
            if (missing.empty()) missing = t.text;
        }
    }
    for (std::size_t j = 0; j < e.tokens.size(); ++j) {
        const double wo = Weight(e.tokens[j]) * (e.form_like[j] ? kFormLikeWeight : 1.0);
        total += wo;
        if (match_e[j] < 0 && !e.form_like[j]) all_matched = false;
    }
    out.all_matched = all_matched;
    if (rare_vocab != kUnknown) {
        out.shares_rare = df_[rare_vocab] <= std::max<std::size_t>(3, entries_.size() / 100);
    }
    // Weighted Dice of the two word sets, blended with how much of the customer's name is found
    // (an organization holding every word of it is the more plausible one).
    const double dice = total > 0 ? matched / total : 0.0;
    const double coverage = query_total > 0 ? query_matched / query_total : 0.0;
    const double tok = (1.0 - kCoverageShare) * dice + kCoverageShare * coverage;
    const double chr = Dice(q.grams, e.grams);
    out.score = 0.7 * tok + 0.3 * chr;
    const bool both_qualified = !q.norm.qualifier.empty() && !e.qualifier.empty();
    const bool qualifier_conflict = both_qualified && q.norm.qualifier != e.qualifier;
    if (qualifier_conflict) out.score *= 0.95;
    const bool family_conflict = q.norm.family && e.has_family && *q.norm.family != e.family;

    const std::string& removed = q.removed;
    auto after = [&](const std::string& base) {
        if (removed.empty()) return base;
        return base + " after removing " + removed;
    };
    bool equal = false;
    if (q.norm.key == e.key) {
        equal = true;
        out.score = 1.0;
        out.reason = removed.empty() ? "same name" : "same after removing " + removed;
    } else if (q.norm.compact == e.compact) {
        equal = true;
        out.score = 1.0;
        out.reason = after("same apart from spacing");
    } else if (!q.set_key.empty() && q.set_key == e.set_key) {
        // Not certain: "Bright Pharmacy, Hamburg" has the words of "Bright Hamburg Pharmacy" but may
        // well be "Bright Pharmacy". A strong suggestion.
        out.score = std::min(out.score, kSameWordsScore);
        out.reason = after("same words in another order");
    } else if (all_matched && typos > 0 && all_safe) {
        out.certain = !qualifier_conflict && !family_conflict;
        out.reason = after("typo: " + typo_text);
    }
    if (equal) {
        out.certain = !qualifier_conflict && !family_conflict;
        // Same name, but another place or another kind of legal form: a suggestion at most.
        if (!out.certain) out.score = kConflictScore;
        if (family_conflict) out.reason += " (different kinds of legal form)";
        if (qualifier_conflict) out.reason += " (different place: '" + q.norm.qualifier + "')";
        return out;
    }
    if (with_reason && out.reason.empty()) {
        std::string r;
        if (!typo_text.empty()) r = "typo: " + typo_text;
        if (rare_vocab != kUnknown) {
            r += (r.empty() ? "" : "; ") + std::string(out.shares_rare ? "shares rare word '" : "shares word '") +
                 words_[rare_vocab] + "'";
        }
        if (!missing.empty()) r += (r.empty() ? "" : "; ") + std::string("no match for '") + missing + "'";
        if (r.empty()) r = "similar spelling";
        out.reason = r;
    }
    return out;
}

MatchResult NameIndex::Match(std::string_view name) const {
    MatchResult result;
    Query q;
    q.norm = Normalize(name);
    if (q.norm.tokens.empty()) {
        result.reason = "empty name";
        return result;
    }
    if (entries_.empty()) {
        result.reason = "no organizations to match";
        return result;
    }
    q.set_key = SetKey(q.norm.tokens, q.norm.form_like);
    q.removed = q.norm.DescribeRemoved();
    PaddedTrigrams(q.norm.compact, q.grams);
    for (std::size_t i = 0; i < q.norm.tokens.size(); ++i) {
        Query::Token t;
        t.text = q.norm.tokens[i];
        t.form_like = q.norm.form_like[i];
        if (auto it = vocab_.find(t.text); it != vocab_.end()) t.vocab = it->second;
        q.tokens.push_back(std::move(t));
        Expand(q.tokens.back().text, q);
    }

    // Candidates: same key, then shared words weighted by rarity. Very common words are skipped
    // when the name has a rarer one.
    Scratch& s = ThreadScratch();
    if (s.acc.size() < entries_.size()) s.acc.resize(entries_.size(), 0.0f);
    auto add = [&](uint32_t entry, double v) {
        if (s.acc[entry] == 0.0f) s.touched.push_back(entry);
        s.acc[entry] += static_cast<float>(v);
    };
    for (const std::string* key : {&q.norm.key, &q.norm.compact, &q.set_key}) {
        if (key->empty()) continue;
        if (auto it = by_key_.find(*key); it != by_key_.end()) {
            // A name shared by very many organizations is ambiguous anyway; a few suffice to say so.
            const std::size_t n = std::min<std::size_t>(it->second.size(), 4 * kCandidates);
            for (std::size_t k = 0; k < n; ++k) add(it->second[k], 1000.0);
        }
    }
    const std::size_t cap = std::max<std::size_t>(200, entries_.size() / 50);
    std::size_t rare_words = 0;
    for (const auto& t : q.tokens) {
        if (t.vocab != kUnknown && df_[t.vocab] <= cap) ++rare_words;
        for (const auto& [w, sim] : t.near) {
            if (df_[w] <= cap) ++rare_words;
        }
    }
    if (rare_words > 0) {
        for (const auto& t : q.tokens) {
            auto visit = [&](uint32_t w, double sim) {
                if (df_[w] > cap) return;
                const double weight = Weight(w) * sim * (t.form_like ? kFormLikeWeight : 1.0);
                for (uint32_t k = post_off_[w]; k < post_off_[w + 1]; ++k) add(post_[k], weight);
            };
            if (t.vocab != kUnknown) visit(t.vocab, 1.0);
            for (const auto& [w, sim] : t.near) visit(w, sim);
        }
    } else {
        // Every word is common ("Dental Care" among thousands of dental practices): the candidates
        // are the organizations holding all of them (or as many as still leave some), rarest first,
        // by intersecting the sorted postings — bounded work instead of every posting.
        std::vector<uint32_t> words;
        for (const auto& t : q.tokens) {
            if (t.vocab != kUnknown && !t.form_like) words.push_back(t.vocab);
        }
        std::sort(words.begin(), words.end(), [&](uint32_t a, uint32_t b) { return df_[a] < df_[b]; });
        words.erase(std::unique(words.begin(), words.end()), words.end());
        if (!words.empty()) {
            std::vector<uint32_t> common(post_.begin() + post_off_[words[0]], post_.begin() + post_off_[words[0] + 1]);
            std::vector<uint32_t> next;
            for (std::size_t k = 1; k < words.size(); ++k) {
                next.clear();
                std::set_intersection(
                    common.begin(),
                    common.end(),
                    post_.begin() + post_off_[words[k]],
                    post_.begin() + post_off_[words[k] + 1],
                    std::back_inserter(next)
                );
                if (next.empty()) break;
                common.swap(next);
            }
            if (common.size() > cap) common.resize(cap);
            for (uint32_t entry : common) add(entry, 1.0);
        }
    }
    std::vector<uint32_t> top(s.touched.begin(), s.touched.end());
    const std::size_t keep = std::min(kCandidates, top.size());
    std::partial_sort(
        top.begin(),
        top.begin() + static_cast<std::ptrdiff_t>(keep),
        top.end(),
        [&](uint32_t a, uint32_t b) {
            if (s.acc[a] != s.acc[b]) return s.acc[a] > s.acc[b];
            return a < b;
        }
    );
    top.resize(keep);
    for (uint32_t entry : s.touched) s.acc[entry] = 0.0f;
    s.touched.clear();

    std::vector<Scored> scored;
    scored.reserve(top.size());
    for (uint32_t entry : top) scored.push_back(Score(q, entry, false));
    std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
        if (a.score != b.score) return a.score > b.score;
        if (a.certain != b.certain) return a.certain;
        return a.entry < b.entry;
    });
    for (std::size_t i = 0; i < scored.size() && i < options_.max_candidates; ++i) {
        scored[i].reason = Score(q, scored[i].entry, true).reason;
        const Entry& e = entries_[scored[i].entry];
        result.candidates.push_back(Candidate{e.id, e.name, scored[i].score, scored[i].reason});
    }
    if (scored.empty()) {
        result.reason = "no organization shares a word with it";
        return result;
    }
    const Scored& best = scored.front();
    const double runner_up = scored.size() > 1 ? scored[1].score : 0.0;
    const std::size_t certain = std::count_if(scored.begin(), scored.end(), [](const Scored& c) { return c.certain; });
    result.score = best.score;
    if (best.certain && certain == 1 && best.score - runner_up >= 0.02) {
        result.decision = Decision::kAuto;
        result.reason = best.reason;
        return result;
    }
    if (certain > 1) {
        result.decision = Decision::kSuggest;
        result.reason = std::to_string(certain) + " organizations match equally well (" + best.reason + ")";
        return result;
    }
    if (best.score >= options_.auto_score && best.score - runner_up >= options_.auto_margin && best.all_matched) {
        result.decision = Decision::kAuto;
        result.reason = best.reason + "; score " + Format(best.score) + ", next " + Format(runner_up);
        return result;
    }
    if (best.score >= options_.suggest_score || best.shares_rare) {
        result.decision = Decision::kSuggest;
        result.reason = best.reason;
        return result;
    }
    result.reason = "best candidate scores only " + Format(best.score) + " (" + best.reason + ")";
    return result;
}

}  // namespace mortar::match
