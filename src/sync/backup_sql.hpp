// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

#include "api/resource.hpp"
#include "core/status.hpp"
#include "db/database.hpp"

// What the integrations API and the backup-portal matching share (docs/backup-api.md):
// the state a customer or asset is in once deleted Mortar records are accounted for,
// the counts on integrations, and the checks of a UniView integration's settings.
namespace mortar::sync {

// The effective state of a backup customer row aliased `c`: a match or suggestion whose
// organization was deleted (its id set to NULL by the store) reads as unmatched.
std::string CustomerStateSql(std::string_view c);
// The same for a backup asset row aliased `a` (its configuration, suggestion or every
// candidate deleted).
std::string AssetStateSql(std::string_view a);

// Correlated counts for an integration row aliased `i`: customers and assets still seen
// in the portal waiting for a decision (unmatched, suggested, ambiguous; not ignored);
// assets only when their customer is matched (the others wait for their customer).
std::string UnmatchedCustomerCountSql(std::string_view i);
std::string UnmatchedAssetCountSql(std::string_view i);

// before_write of integrations: a UniView integration needs connection.client-id (and
// http(s) URLs when given) and, on create, credentials.client-secret. 422 on the key.
Status ValidateUniView(db::Tx& tx, api::WriteContext& wc);

}  // namespace mortar::sync
