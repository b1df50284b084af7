// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace mortar::auth {
namespace {

class FakeClock : public Clock {
public:
    int64_t NowMillis() const override { return now; }
    int64_t now = 1'700'000'000'000;
};

TEST(RateLimiterTest, AllowsTheLimitThenAnswersRetryAfterUntilTheWindowEnds) {
    FakeClock clock;
    RateLimiter limiter(3, 60, clock);
    EXPECT_EQ(limiter.Acquire(1), 0);
    EXPECT_EQ(limiter.Acquire(1), 0);
    EXPECT_EQ(limiter.Acquire(1), 0);
    EXPECT_EQ(limiter.Acquire(1), 60);
    clock.now += 59'500;
    EXPECT_EQ(limiter.Acquire(1), 1);  // half a second left rounds up to one
    clock.now += 500;
    EXPECT_EQ(limiter.Acquire(1), 0);  // a new window
}

TEST(RateLimiterTest, CountsEachAccountSeparately) {
    FakeClock clock;
    RateLimiter limiter(1, 300, clock);
    EXPECT_EQ(limiter.Acquire(1), 0);
    EXPECT_EQ(limiter.Acquire(2), 0);
    EXPECT_EQ(limiter.Acquire(1), 300);
    EXPECT_EQ(limiter.Acquire(2), 300);
}

TEST(RateLimiterTest, ZeroLimitDisablesLimiting) {
    FakeClock clock;
    RateLimiter limiter(0, 300, clock);
    for (int i = 0; i < 10'000; ++i) ASSERT_EQ(limiter.Acquire(1), 0);
}

}  // namespace
}  // namespace mortar::auth
