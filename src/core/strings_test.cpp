// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/strings.hpp"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace mortar {
namespace {

TEST(StringsTest, DashAndUnderscore) {
    EXPECT_EQ(DashToUnderscore("organization-type-id"), "organization_type_id");
    EXPECT_EQ(DashToUnderscore("already_snake"), "already_snake");
    EXPECT_EQ(DashToUnderscore("-lead-"), "_lead_");
    EXPECT_EQ(DashToUnderscore(""), "");
    EXPECT_EQ(UnderscoreToDash("organization_type_id"), "organization-type-id");
    EXPECT_EQ(UnderscoreToDash("kebab-already"), "kebab-already");
    EXPECT_EQ(UnderscoreToDash(""), "");
}

TEST(StringsTest, SplitKeepsEmptyPieces) {
    struct Case {
        std::string input;
        char sep;
        std::vector<std::string> want;
    };
    const std::vector<Case> cases = {
        {"a,b,c", ',', {"a", "b", "c"}},
        {"", ',', {""}},
        {",", ',', {"", ""}},
        {"a,,b,", ',', {"a", "", "b", ""}},
        {"no-sep", ',', {"no-sep"}},
        {"a&b=c", '&', {"a", "b=c"}},
    };
    for (const Case& c : cases) {
        std::vector<std::string> got;
        for (std::string_view piece : Split(c.input, c.sep)) got.emplace_back(piece);
        EXPECT_EQ(got, c.want) << "input: " << c.input;
    }
}

TEST(StringsTest, Trim) {
    EXPECT_EQ(Trim("  a b \t\r\n"), "a b");
    EXPECT_EQ(Trim("\v\fx\f"), "x");
    EXPECT_EQ(Trim("   "), "");
    EXPECT_EQ(Trim(""), "");
    EXPECT_EQ(Trim("abc"), "abc");
    // Only ASCII whitespace: a no-break space (U+00A0) stays.
    EXPECT_EQ(Trim("\xC2\xA0x"), "\xC2\xA0x");
}

TEST(StringsTest, ToLowerIsAsciiOnly) {
    EXPECT_EQ(ToLower("Application/VND.API+JSON"), "application/vnd.api+json");
    EXPECT_EQ(ToLower("\xC3\x89t\xC3\xA9"), "\xC3\x89t\xC3\xA9");  // "Été": non-ASCII untouched
    EXPECT_EQ(ToLower("AZaz09[]"), "azaz09[]");
}

TEST(StringsTest, ParseInt64) {
    struct Case {
        std::string input;
        std::optional<int64_t> want;
    };
    const std::vector<Case> cases = {
        {"0", 0},
        {"42", 42},
        {"-42", -42},
        {"007", 7},
        {"9223372036854775807", INT64_MAX},
        {"-9223372036854775808", INT64_MIN},
        {"9223372036854775808", std::nullopt},   // overflow
        {"-9223372036854775809", std::nullopt},  // underflow
        {"", std::nullopt},
        {"-", std::nullopt},
        {"+5", std::nullopt},
        {" 5", std::nullopt},
        {"5 ", std::nullopt},
        {"5a", std::nullopt},
        {"1.0", std::nullopt},
        {"1e3", std::nullopt},
        {"0x10", std::nullopt},
        {"--5", std::nullopt},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(ParseInt64(c.input), c.want) << "input: \"" << c.input << "\"";
    }
}

TEST(StringsTest, Base64EncodeFollowsRfc4648) {
    // The test vectors of RFC 4648 section 10.
    EXPECT_EQ(Base64Encode(""), "");
    EXPECT_EQ(Base64Encode("f"), "Zg==");
    EXPECT_EQ(Base64Encode("fo"), "Zm8=");
    EXPECT_EQ(Base64Encode("foo"), "Zm9v");
    EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
    EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
    EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(Base64Encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(StringsTest, HexEncode) {
    EXPECT_EQ(HexEncode(""), "");
    EXPECT_EQ(HexEncode("abc"), "616263");
    EXPECT_EQ(HexEncode(std::string("\x00\x0f\xf0\xff", 4)), "000ff0ff");
}

TEST(StringsTest, IsValidUtf8) {
    struct Case {
        std::string input;
        bool want;
    };
    const std::vector<Case> cases = {
        {"", true},
        {"plain ascii", true},
        {"caf\xC3\xA9", true},           // é
        {"\xE2\x82\xAC", true},          // €
        {"\xF0\x9F\x98\x80", true},      // 😀
        {"\xEF\xBF\xBF", true},          // U+FFFF
        {"\xF4\x8F\xBF\xBF", true},      // U+10FFFF
        {std::string("a\0b", 3), true},  // NUL is valid UTF-8
        {"\xC3", false},                 // truncated
        {"\xE2\x82", false},             // truncated
        {"\xC0\xAF", false},             // overlong '/'
        {"\xC1\xBF", false},             // overlong
        {"\xE0\x80\xAF", false},         // overlong
        {"\xF0\x80\x80\xAF", false},     // overlong
        {"\xED\xA0\x80", false},         // surrogate U+D800
        {"\xF4\x90\x80\x80", false},     // above U+10FFFF
        {"\xF5\x80\x80\x80", false},     // invalid lead
        {"\xFF", false},
        {"\x80", false},           // lone continuation
        {"a\xC3\xA9\xC3", false},  // valid then truncated
        {"\xC3\x28", false},       // bad continuation
    };
    for (const Case& c : cases) {
        EXPECT_EQ(IsValidUtf8(c.input), c.want) << "input: " << HexEncode(c.input);
    }
}

}  // namespace
}  // namespace mortar
