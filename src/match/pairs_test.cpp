// SPDX-License-Identifier: AGPL-3.0-or-later
#include "match/pairs.hpp"

#include <sstream>

#include <gtest/gtest.h>

namespace mortar::match {
namespace {

TEST(CsvTest, QuotedFields) {
    std::istringstream in("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"multi\nline\",z");
    std::vector<std::string> f;
    ASSERT_TRUE(*ReadCsvRecord(in, f));
    EXPECT_EQ(f, (std::vector<std::string>{"a", "b"}));
    ASSERT_TRUE(*ReadCsvRecord(in, f));
    EXPECT_EQ(f, (std::vector<std::string>{"x, y", "say \"hi\""}));
    ASSERT_TRUE(*ReadCsvRecord(in, f));
    EXPECT_EQ(f, (std::vector<std::string>{"multi\nline", "z"}));
    EXPECT_FALSE(*ReadCsvRecord(in, f));
    std::istringstream bad("\"open,b\n");
    EXPECT_FALSE(ReadCsvRecord(bad, f).ok());
    EXPECT_EQ(CsvField("plain"), "plain");
    EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
    EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
}

TEST(RunPairsTest, ScoresEachPairAlone) {
    std::istringstream in(
        "name1,name2\n"
        "\"CONTOSO DENTAL, INC.\",Contoso Dental LLC\n"
        "JUNILEVER N.V.,Unilever\n"
        "SHEEL INTERNATIONAL,Shell International\n"
        "Woodgrove Bank,Contoso Dental\n"
    );
    std::ostringstream out;
    ASSERT_TRUE(RunPairs(in, out).ok());
    std::istringstream result(out.str());
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> f;
    while (*ReadCsvRecord(result, f)) rows.push_back(f);
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"name1", "name2", "score", "decision"}));
    EXPECT_EQ(rows[1][0], "CONTOSO DENTAL, INC.");  // quoted again on the way out
    EXPECT_EQ(rows[1][2], "1.000");
    EXPECT_EQ(rows[1][3], "auto");
    EXPECT_EQ(rows[2][3], "auto");  // junilever ~ unilever: a long word one edit apart
    EXPECT_GT(std::stod(rows[2][2]), 0.8);
    EXPECT_LT(std::stod(rows[2][2]), 1.0);
    EXPECT_EQ(rows[3][3], "suggest");  // sheel ~ shell: too short a word to be certain
    EXPECT_EQ(rows[4][2], "0.000");
    EXPECT_EQ(rows[4][3], "none");
}

TEST(RunPairsTest, BadRecordWritesNothing) {
    std::istringstream in("a,b\nonly-one-field\n");
    std::ostringstream out;
    const Status s = RunPairs(in, out);
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.message(), "record 2: expected 2 fields (name1,name2), got 1");
    EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace mortar::match
