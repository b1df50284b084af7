// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/apply_cases.hpp"

namespace mortar::sync::testing {
INSTANTIATE_TEST_SUITE_P(Sqlite, ApplyTest, ::testing::Values(db::Dialect::kSqlite));
}  // namespace mortar::sync::testing
