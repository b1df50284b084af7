// SPDX-License-Identifier: AGPL-3.0-or-later
#include "match/text.hpp"

#include <gtest/gtest.h>

namespace mortar::match {
namespace {

TEST(FoldAlnumTest, FoldsCaseAndAccents) {
    struct Case {
        const char* in;
        const char* want;
    };
    for (const Case& c : {
             Case{"Société Générale", "societegenerale"},
             Case{"Müller Straße", "mullerstrasse"},
             Case{"Ørsted Æble Œuvre", "orstedaebleoeuvre"},
             Case{"Łódź Čapek Şişli", "lodzcapeksisli"},
             Case{"ÞÓR ÐÍS", "thordis"},
             Case{"Ĳssel", "ijssel"},
             Case{"ÀÉÎÕÜ àéîõü Ñ ñ Ç ç", "aeiouaeiounncc"},
             Case{"e\xCC\x81t\xC3\xA9", "ete"},  // decomposed é and precomposed é fold alike
             Case{"ΑΘΗΝΑ", "αθηνα"},
             Case{"ООО Ромашка", "оооромашка"},
             Case{"ＡＢＣ１", "abc1"},
         }) {
        EXPECT_EQ(FoldAlnum(c.in), c.want) << c.in;
    }
}

TEST(FoldAlnumTest, InvalidUtf8IsDroppedNotFatal) {
    EXPECT_EQ(FoldAlnum("ab\xFF\xC3z"), "abz");
}

TEST(JaroWinklerTest, KnownValues) {
    EXPECT_DOUBLE_EQ(JaroWinkler("shell", "shell"), 1.0);
    EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.961, 0.001);
    EXPECT_NEAR(JaroWinkler("dwayne", "duane"), 0.84, 0.001);
    EXPECT_GT(JaroWinkler("sheel", "shell"), 0.86);
    EXPECT_GT(JaroWinkler("junilever", "unilever"), 0.86);
    EXPECT_LT(JaroWinkler("contoso", "fabrikam"), 0.6);
    EXPECT_DOUBLE_EQ(JaroWinkler("", "abc"), 0.0);
}

TEST(EditDistanceTest, CountsTranspositionsAsOne) {
    EXPECT_EQ(EditDistance("sheel", "shell", 2), 1);
    EXPECT_EQ(EditDistance("junilever", "unilever", 2), 1);
    EXPECT_EQ(EditDistance("koninkijke", "koninklijke", 2), 1);
    EXPECT_EQ(EditDistance("electornics", "electronics", 2), 1);
    EXPECT_EQ(EditDistance("contoso", "fabrikam", 2), 3);  // gives up above the limit
}

TEST(TrigramDiceTest, Overlap) {
    EXPECT_DOUBLE_EQ(TrigramDice("contoso", "contoso"), 1.0);
    EXPECT_GT(TrigramDice("contoso", "contosso"), 0.6);
    EXPECT_DOUBLE_EQ(TrigramDice("abc", "xyz"), 0.0);
}

}  // namespace
}  // namespace mortar::match
