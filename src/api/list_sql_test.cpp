// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/list_sql_cases.hpp"

namespace mortar::api::testing {
INSTANTIATE_TEST_SUITE_P(Sqlite, ListSqlTest, ::testing::Values(std::string(":memory:")));
}  // namespace mortar::api::testing
