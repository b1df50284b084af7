// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/jobs_cases.hpp"

namespace mortar::sync::testing {
INSTANTIATE_TEST_SUITE_P(Sqlite, JobsTest, ::testing::Values(db::Dialect::kSqlite));
}  // namespace mortar::sync::testing
