// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sanitize/html_sanitizer.hpp"

#include <gtest/gtest.h>

namespace mortar::sanitize {
namespace {
TEST(HtmlSanitizerTest, Smoke) { EXPECT_EQ(*SanitizeHtml("<p>x</p>"), "<p>x</p>"); }
}  // namespace
}  // namespace mortar::sanitize
