// SPDX-License-Identifier: AGPL-3.0-or-later
#include <cstdlib>

#include "api/list_sql_cases.hpp"

namespace mortar::api::testing {
INSTANTIATE_TEST_SUITE_P(
    Postgres,
    ListSqlTest,
    ::testing::Values(std::string(std::getenv("MORTAR_TEST_PG_DSN") ? std::getenv("MORTAR_TEST_PG_DSN") : ""))
);
}  // namespace mortar::api::testing
