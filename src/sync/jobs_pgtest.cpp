// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/jobs_cases.hpp"

namespace mortar::sync::testing {
INSTANTIATE_TEST_SUITE_P(Postgres, JobsTest, ::testing::Values(db::Dialect::kPostgres));
}  // namespace mortar::sync::testing
