// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/internal/placeholder_rewrite.hpp"

#include <gtest/gtest.h>

namespace mortar::db::internal {
namespace {

TEST(PlaceholderRewrite, KeepsNumbersOfOutOfOrderPlaceholders) {
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT $2, $1"), "SELECT ?2, ?1");
    EXPECT_EQ(MaxPlaceholderIndex("SELECT $2, $1"), 2);
}

TEST(PlaceholderRewrite, MultiDigitNumbersAreNotSplit) {
    EXPECT_EQ(RewriteDollarPlaceholders("VALUES ($1, $10, $1)"), "VALUES (?1, ?10, ?1)");
    EXPECT_EQ(MaxPlaceholderIndex("VALUES ($1, $10, $1)"), 10);
    EXPECT_EQ(RewriteDollarPlaceholders("a=$1,b=$12)"), "a=?1,b=?12)");
}

TEST(PlaceholderRewrite, LeavesStringLiteralsAlone) {
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT '$1', $1"), "SELECT '$1', ?1");
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT 'it''s $2', $1"), "SELECT 'it''s $2', ?1");
    EXPECT_EQ(MaxPlaceholderIndex("SELECT 'it''s $2', $1"), 1);
    // E'' strings escape quotes with a backslash.
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT E'\\' $2', $1"), "SELECT E'\\' $2', ?1");
    // In a plain string a backslash is an ordinary character.
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT '\\', $1"), "SELECT '\\', ?1");
}

TEST(PlaceholderRewrite, LeavesQuotedIdentifiersAndCommentsAlone) {
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT \"a$1\" FROM t WHERE x = $1"), "SELECT \"a$1\" FROM t WHERE x = ?1");
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT $1 -- and $2\n, $3"), "SELECT ?1 -- and $2\n, ?3");
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT /* $9 */ $1"), "SELECT /* $9 */ ?1");
    EXPECT_EQ(MaxPlaceholderIndex("SELECT /* $9 */ $1 -- $8"), 1);
}

TEST(PlaceholderRewrite, LeavesDollarQuotesAndIdentifiersAlone) {
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT $$ $1 $$, $1"), "SELECT $$ $1 $$, ?1");
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT $fn$ $2 $fn$, $1"), "SELECT $fn$ $2 $fn$, ?1");
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT foo$1 FROM t"), "SELECT foo$1 FROM t");
    EXPECT_EQ(MaxPlaceholderIndex("SELECT foo$1 FROM t"), 0);
}

TEST(PlaceholderRewrite, TextWithoutPlaceholdersIsUnchanged) {
    EXPECT_EQ(RewriteDollarPlaceholders(""), "");
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT 1"), "SELECT 1");
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT 'unterminated $1"), "SELECT 'unterminated $1");
    EXPECT_EQ(RewriteDollarPlaceholders("SELECT $"), "SELECT $");
    EXPECT_EQ(MaxPlaceholderIndex("SELECT 1"), 0);
}

TEST(PlaceholderRewrite, PlaceholdersNextToOperators) {
    EXPECT_EQ(RewriteDollarPlaceholders("WHERE a=$1 AND b<>$2||'x'"), "WHERE a=?1 AND b<>?2||'x'");
    EXPECT_EQ(RewriteDollarPlaceholders("lower(x) LIKE lower($1)"), "lower(x) LIKE lower(?1)");
    EXPECT_EQ(RewriteDollarPlaceholders("LIMIT $3 OFFSET $4"), "LIMIT ?3 OFFSET ?4");
}

}  // namespace
}  // namespace mortar::db::internal
