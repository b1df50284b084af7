// SPDX-License-Identifier: AGPL-3.0-or-later
// The vault's cases on SQLite (a temporary database file; the canary case reads its raw bytes).
#include "vault/vault_cases.hpp"

namespace mortar::vault::testing {
INSTANTIATE_TEST_SUITE_P(Sqlite, VaultTest, ::testing::Values(db::Dialect::kSqlite));
}  // namespace mortar::vault::testing
