// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/clock.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace mortar {
namespace {

TEST(ClockTest, FormatTimestamp) {
    struct Case {
        int64_t millis;
        std::string want;
    };
    const std::vector<Case> cases = {
        {0, "1970-01-01T00:00:00.000Z"},
        {1714658591000, "2024-05-02T14:03:11.000Z"},
        {1714658591007, "2024-05-02T14:03:11.007Z"},
        {1714658591999, "2024-05-02T14:03:11.999Z"},
        {1795255200000, "2026-11-21T10:00:00.000Z"},
        {951782400000, "2000-02-29T00:00:00.000Z"},
        {-1, "1969-12-31T23:59:59.999Z"},
        {-1000, "1969-12-31T23:59:59.000Z"},
        {-2203891200000, "1900-03-01T00:00:00.000Z"},
        {-62135596800000, "0001-01-01T00:00:00.000Z"},
        {253402300799999, "9999-12-31T23:59:59.999Z"},
        // The extremes: not RFC 3339 any more, but no overflow (the same text as Java's Instant).
        {INT64_MAX, "292278994-08-17T07:12:55.807Z"},
        {INT64_MIN, "-292275055-05-16T16:47:04.192Z"},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(FormatTimestamp(c.millis), c.want) << "millis: " << c.millis;
    }
}

TEST(ClockTest, ParseTimestampAccepts) {
    struct Case {
        std::string input;
        int64_t want;
    };
    const std::vector<Case> cases = {
        {"2024-05-02", 1714608000000},
        {"1970-01-01", 0},
        {"2024-05-02T14:03:11Z", 1714658591000},
        {"2024-05-02T14:03:11.000Z", 1714658591000},
        {"2024-05-02T14:03:11.5Z", 1714658591500},
        {"2024-05-02T14:03:11.12Z", 1714658591120},
        {"2024-05-02T14:03:11.123456789Z", 1714658591123},  // cut to milliseconds
        {"2024-05-02T16:33:11+02:30", 1714658591000},
        {"2024-05-02T11:03:11-03:00", 1714658591000},
        {"2024-05-02T14:03:11+00:00", 1714658591000},
        {"2024-05-02T14:03:11-00:00", 1714658591000},
        {"2024-05-02t14:03:11z", 1714658591000},
        {"2024-05-02 14:03:11Z", 1714658591000},
        {"2024-05-03T00:30:00.250+10:00", 1714660200250},
        {"2016-12-31T23:59:60Z", 1483228800000},  // leap second: the next second
        {"2000-02-29T00:00:00Z", 951782400000},
        {"1969-12-31T23:59:59.999Z", -1},
        {"0001-01-01T00:00:00Z", -62135596800000},
    };
    for (const Case& c : cases) {
        Result<int64_t> got = ParseTimestamp(c.input);
        ASSERT_TRUE(got.ok()) << c.input << ": " << got.status().message();
        EXPECT_EQ(*got, c.want) << c.input;
    }
}

TEST(ClockTest, ParseTimestampRefuses) {
    const std::vector<std::string> cases = {
        "",
        "2024",
        "2024-05",
        "2024-5-02",
        "24-05-02",
        "2024/05/02",
        "2024-05-02T",
        "2024-05-02T14:03Z",
        "2024-05-02T14:03:11",    // no zone
        "2024-05-02T14:03:11.Z",  // empty fraction
        "2024-05-02T24:00:00Z",
        "2024-05-02T23:60:00Z",
        "2024-05-02T23:59:61Z",
        "2024-05-02T14:03:11+2:00",
        "2024-05-02T14:03:11+0200",
        "2024-05-02T14:03:11+24:00",
        "2024-05-02T14:03:11+02:60",
        "2024-05-02T14:03:11ZZ",
        "2024-05-02T14:03:11Z ",
        " 2024-05-02",
        "2024-05-02x",
        "2023-02-29",
        "2024-02-30T00:00:00Z",
        "2024-13-01",
        "2024-00-01",
        "2024-01-00",
        "0000-01-01",
        "２０２４-05-02",  // full-width digits
        std::string("2024-05-02\0", 11),
    };
    for (const std::string& c : cases) {
        Result<int64_t> got = ParseTimestamp(c);
        ASSERT_FALSE(got.ok()) << "accepted: " << c;
        EXPECT_EQ(got.status().code(), Code::kInvalidArgument) << c;
    }
}

TEST(ClockTest, FormatAndParseRoundTrip) {
    // Every 7919th hour and an odd millisecond, from 1600 to 2400.
    const int64_t from = *ParseTimestamp("1600-01-01");
    const int64_t to = *ParseTimestamp("2400-12-31");
    for (int64_t t = from; t < to; t += 7919LL * 3600 * 1000 + 123) {
        const std::string text = FormatTimestamp(t);
        Result<int64_t> back = ParseTimestamp(text);
        ASSERT_TRUE(back.ok()) << text;
        EXPECT_EQ(*back, t) << text;
    }
}

TEST(ClockTest, ValidateDate) {
    struct Case {
        std::string input;
        bool ok;
    };
    const std::vector<Case> cases = {
        {"2024-02-29", true},   // leap year
        {"2000-02-29", true},   // divisible by 400
        {"1900-02-29", false},  // divisible by 100, not 400
        {"2023-02-29", false},  {"2023-02-28", true},  {"2024-04-30", true},
        {"2024-04-31", false},  {"2024-06-31", false}, {"2024-09-31", false},
        {"2024-11-31", false},  {"2024-12-31", true},  {"2024-01-31", true},
        {"2024-13-01", false},  {"2024-00-10", false}, {"2024-01-00", false},
        {"0000-01-01", false},  {"0001-01-01", true},  {"9999-12-31", true},
        {"2024-1-01", false},   {"2024-01-1", false},  {"2024-01-01T00:00:00Z", false},
        {"2024-01-01 ", false}, {"", false},           {"abcd-ef-gh", false},
    };
    for (const Case& c : cases) {
        Status s = ValidateDate(c.input);
        EXPECT_EQ(s.ok(), c.ok) << c.input;
        if (!c.ok) {
            EXPECT_EQ(s.code(), Code::kInvalidArgument) << c.input;
        }
    }
}

TEST(ClockTest, RealClockTellsSystemTime) {
    const Clock& clock = Clock::Real();
    EXPECT_EQ(&clock, &Clock::Real());
    const int64_t before =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    const int64_t now = clock.NowMillis();
    const int64_t after =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    EXPECT_LE(before, now);
    EXPECT_LE(now, after);
    EXPECT_GT(now, *ParseTimestamp("2024-01-01"));
}

}  // namespace
}  // namespace mortar
