// SPDX-License-Identifier: AGPL-3.0-or-later
// The vault's cases on PostgreSQL (needs MORTAR_TEST_PG_DSN, see scripts/with-postgres.sh;
// skipped otherwise). The canary case reads every row of every table of the test schema as text.
#include "vault/vault_cases.hpp"

namespace mortar::vault::testing {
INSTANTIATE_TEST_SUITE_P(Postgres, VaultTest, ::testing::Values(db::Dialect::kPostgres));
}  // namespace mortar::vault::testing
