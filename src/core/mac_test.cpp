// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/mac.hpp"

#include <gtest/gtest.h>

namespace mortar {
namespace {

TEST(NormalizeMacTest, CommonSpellingsAreEqual) {
    for (const char* spelling :
         {"3C:52:82:10:AA:01",
          "3c:52:82:10:aa:01",
          "3C-52-82-10-AA-01",
          "3c52.8210.aa01",
          "3C528210AA01",
          "  3c:52:82:10:aa:01\t"}) {
        auto mac = NormalizeMac(spelling);
        ASSERT_TRUE(mac.has_value()) << spelling;
        EXPECT_EQ(*mac, "3c528210aa01") << spelling;
    }
}

TEST(NormalizeMacTest, MalformedAddressesAreRefused) {
    for (const char* bad :
         {"",
          "3C:52:82:10:AA",
          "3C:52:82:10:AA:01:02",
          "3C-52:82-10:AA-01",
          "3C:52:82:10:AA:0G",
          "3c52.8210-aa01",
          "3c5282:10aa01",
          "3C528210AA0",
          "not a mac at all!",
          "3c:528:210:aa01"}) {
        EXPECT_FALSE(NormalizeMac(bad).has_value()) << bad;
    }
}

}  // namespace
}  // namespace mortar
