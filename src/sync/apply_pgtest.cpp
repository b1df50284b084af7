// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/apply_cases.hpp"

namespace mortar::sync::testing {
INSTANTIATE_TEST_SUITE_P(Postgres, ApplyTest, ::testing::Values(db::Dialect::kPostgres));
}  // namespace mortar::sync::testing
