// SPDX-License-Identifier: AGPL-3.0-or-later
#include "match/name_index.hpp"

#include <thread>

#include <gtest/gtest.h>

namespace mortar::match {
namespace {

std::vector<Record> Organizations() {
    return {
        {1, "Contoso Dental LLC"},
        {2, "Fabrikam Dental"},
        {3, "Shell International Research B.V."},
        {4, "Unilever N.V."},
        {5, "Northwind Traders"},
        {6, "Koninklijke Philips Electronics N.V."},
        {7, "Tailspin Toys (Seattle)"},
        {8, "Tailspin Toys (Boston)"},
        {9, "Adatum Stiftung"},
        {10, "Riverside Dental"},
    };
}

TEST(NameIndexTest, EqualAfterNormalisationIsAuto) {
    NameIndex index(Organizations());
    const MatchResult r = index.Match("CONTOSO DENTAL, INC.");
    EXPECT_EQ(r.decision, Decision::kAuto);
    ASSERT_FALSE(r.candidates.empty());
    EXPECT_EQ(r.candidates.front().id, 1);
    EXPECT_DOUBLE_EQ(r.score, 1.0);
    EXPECT_EQ(r.reason, "same after removing 'INC.'");
}

TEST(NameIndexTest, SpacingAndWordOrder) {
    NameIndex index(Organizations());
    MatchResult r = index.Match("North Wind Traders");
    EXPECT_EQ(r.decision, Decision::kAuto);
    EXPECT_EQ(r.candidates.front().id, 5);
    EXPECT_EQ(r.reason, "same apart from spacing");
    r = index.Match("Traders Northwind");
    EXPECT_EQ(r.decision, Decision::kSuggest);  // another order is never certain
    EXPECT_EQ(r.candidates.front().id, 5);
    EXPECT_EQ(r.reason, "same words in another order");
    // Another order of the words is not certain when a shorter name fits too.
    NameIndex two({{1, "Bright Pharmacy"}, {2, "Bright Hamburg Pharmacy"}});
    r = two.Match("Bright Pharmacy Hamburg");
    EXPECT_EQ(r.decision, Decision::kSuggest);
    EXPECT_EQ(r.candidates.front().id, 2);
}

TEST(NameIndexTest, LongWordTypoIsAutoShortOneOnlySuggested) {
    NameIndex index(Organizations());
    MatchResult r = index.Match("KONINKLIJKE PHILIPS ELECTRONCIS N.V.");
    EXPECT_EQ(r.decision, Decision::kAuto);
    EXPECT_EQ(r.candidates.front().id, 6);
    EXPECT_EQ(r.reason, "typo: electroncis ~ electronics after removing 'N.V.'");
    // A misspelt five-letter word alone is too short to be certain …
    r = index.Match("SHEEL B.V.");
    EXPECT_EQ(r.decision, Decision::kSuggest);
    EXPECT_EQ(r.candidates.front().id, 3);
    EXPECT_NE(r.candidates.front().reason.find("typo: sheel ~ shell"), std::string::npos)
        << r.candidates.front().reason;
    // … but with every other word the same, the score is high and far above the runner-up.
    r = index.Match("SHEEL INTERNATIONAL RESEARCH B.V.");
    EXPECT_EQ(r.decision, Decision::kAuto);
    EXPECT_EQ(r.candidates.front().id, 3);
    EXPECT_EQ(r.reason.rfind("typo: sheel ~ shell", 0), 0u) << r.reason;
    EXPECT_NE(r.reason.find("; score 0.9"), std::string::npos) << r.reason;
    // One letter apart, but both are ordinary words: never certain.
    r = index.Match("Contoso Rental");
    EXPECT_NE(r.decision, Decision::kAuto);
    EXPECT_EQ(r.candidates.front().id, 1);
    r = index.Match("JUNILEVER N.V.");
    EXPECT_EQ(r.decision, Decision::kAuto);
    EXPECT_EQ(r.candidates.front().id, 4);
    EXPECT_EQ(r.reason, "typo: junilever ~ unilever after removing 'N.V.'");
}

TEST(NameIndexTest, RareWordOutweighsCommonWord) {
    NameIndex index(Organizations());
    // "dental" is in three organizations, "contoso" in one.
    const MatchResult r = index.Match("Contoso Orthodontics");
    EXPECT_EQ(r.decision, Decision::kSuggest);
    EXPECT_EQ(r.candidates.front().id, 1);
    EXPECT_NE(r.candidates.front().reason.find("shares rare word 'contoso'"), std::string::npos)
        << r.candidates.front().reason;
    const MatchResult common = index.Match("Lakeside Dental");
    EXPECT_NE(common.decision, Decision::kAuto);
}

TEST(NameIndexTest, DuplicatesAreNeverAuto) {
    std::vector<Record> orgs = Organizations();
    orgs.push_back({11, "Contoso Dental Ltd"});
    NameIndex index(orgs);
    const MatchResult r = index.Match("Contoso Dental");
    EXPECT_EQ(r.decision, Decision::kSuggest);
    EXPECT_EQ(r.reason.rfind("2 organizations match equally well", 0), 0u) << r.reason;
    ASSERT_GE(r.candidates.size(), 2u);
}

TEST(NameIndexTest, DifferentPlacesOrKindsAreNotAuto) {
    NameIndex index(Organizations());
    // Both Tailspin organizations differ only by their place; a third place matches neither for sure.
    MatchResult r = index.Match("Tailspin Toys (Denver)");
    EXPECT_EQ(r.decision, Decision::kSuggest);
    EXPECT_NE(r.reason.find("different place"), std::string::npos) << r.reason;
    // The same place picks one of the two.
    r = index.Match("Tailspin Toys (Boston)");
    EXPECT_EQ(r.decision, Decision::kAuto);
    EXPECT_EQ(r.candidates.front().id, 8);
    EXPECT_EQ(r.reason, "same after removing 'Boston'");
    // A foundation is not a company of the same name.
    r = index.Match("Adatum GmbH");
    EXPECT_EQ(r.decision, Decision::kSuggest);
    EXPECT_EQ(r.candidates.front().id, 9);
    EXPECT_NE(r.reason.find("different kinds of legal form"), std::string::npos) << r.reason;
}

TEST(NameIndexTest, UnrelatedNameIsNone) {
    NameIndex index(Organizations());
    const MatchResult r = index.Match("Woodgrove Bank");
    EXPECT_EQ(r.decision, Decision::kNone);
    EXPECT_FALSE(r.reason.empty());
    EXPECT_EQ(index.Match("").decision, Decision::kNone);
    EXPECT_EQ(index.Match("  ").reason, "empty name");
}

TEST(NameIndexTest, EmptyIndex) {
    NameIndex index({});
    const MatchResult r = index.Match("Contoso");
    EXPECT_EQ(r.decision, Decision::kNone);
    EXPECT_TRUE(r.candidates.empty());
}

TEST(NameIndexTest, CandidatesAreOrderedAndCapped) {
    std::vector<Record> orgs;
    for (int i = 0; i < 20; ++i) orgs.push_back({i + 1, "Contoso Branch " + std::to_string(i)});
    MatchOptions options;
    options.max_candidates = 3;
    NameIndex index(orgs, options);
    const MatchResult r = index.Match("Contoso Branch");
    ASSERT_EQ(r.candidates.size(), 3u);
    EXPECT_GE(r.candidates[0].score, r.candidates[1].score);
    EXPECT_GE(r.candidates[1].score, r.candidates[2].score);
    EXPECT_NE(r.decision, Decision::kAuto);
}

}  // namespace
}  // namespace mortar::match

namespace mortar::match {
namespace {

TEST(NameIndexTest, ConcurrentLookupsAgreeWithSequentialOnes) {
    std::vector<Record> orgs = Organizations();
    for (int i = 0; i < 500; ++i) orgs.push_back({100 + i, "Branch " + std::to_string(i) + " Logistics Ltd"});
    const NameIndex index(orgs);
    std::vector<std::string> names;
    for (int i = 0; i < 400; ++i)
        names.push_back(i % 2 ? "BRANCH " + std::to_string(i) + " LOGISTICS" : "Contoso Dentl");
    std::vector<MatchResult> sequential;
    for (const auto& n : names) sequential.push_back(index.Match(n));
    std::vector<MatchResult> parallel(names.size());
    auto work = [&](std::size_t from) {
        for (std::size_t i = from; i < names.size(); i += 2) parallel[i] = index.Match(names[i]);
    };
    std::thread a(work, 0);
    std::thread b(work, 1);
    a.join();
    b.join();
    for (std::size_t i = 0; i < names.size(); ++i) {
        EXPECT_EQ(parallel[i].decision, sequential[i].decision) << names[i];
        EXPECT_EQ(parallel[i].reason, sequential[i].reason) << names[i];
        ASSERT_EQ(parallel[i].candidates.size(), sequential[i].candidates.size()) << names[i];
        if (!parallel[i].candidates.empty()) {
            EXPECT_EQ(parallel[i].candidates.front().id, sequential[i].candidates.front().id) << names[i];
        }
    }
}

}  // namespace
}  // namespace mortar::match
