// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/service.hpp"
#include "connectors/connector.hpp"
#include "core/clock.hpp"
#include "core/status.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "sync/engine.hpp"

namespace mortar::vault {
class Vault;
}

// Backup portals (UniView; SPEC BACKUP-1..3, MATCH-1..5): a run stores the portal's
// customers, appliances, protected assets and backup jobs in Mortar's backup tables
// (migration 0031) and decides their matches with the matching engine: customers by name
// against the account's organizations, assets of matched customers by MAC (then by name)
// against the configurations of the customer's organization. Manual and ignored
// decisions are never overwritten; nothing is created in Mortar by a run.
namespace mortar::sync {

// Backups are listed from the last stamp minus this margin: jobs still in progress
// finish later (CONNECTORS.md 4.2).
inline constexpr int64_t kBackupSafetyMarginMs = 24 * 3600 * 1000;
// Backup jobs kept per asset (the newest).
inline constexpr int64_t kBackupJobsKept = 20;

// What one run of a backup-portal integration did, for the engine's run record.
struct BackupRunState {
    std::string outcome = "ok";  // ok, error, credentials_invalid
    std::vector<std::string> problems;
    Counts counts;
};

// Fetches and stores everything, then matches. A non-OK Status is a store failure (the
// run cannot be recorded); connector failures land in `state`.
Status RunBackupSync(
    db::Database& db,
    const ApplyScope& scope,
    connectors::Connector& connector,
    const RunOptions& options,
    std::map<std::string, int64_t>& watermarks,
    BackupRunState& state
);

// Re-decides the customers of the integration that are not manual or ignored (`only`:
// just that customer). Returns the ids of customers whose organization changed.
Result<std::vector<int64_t>> MatchCustomers(
    db::Tx& tx, int64_t account_id, int64_t integration_id, const std::string& now, std::optional<int64_t> only = {}
);

// Which assets MatchAssets re-decides (every one of the integration when both empty).
struct AssetScope {
    std::optional<int64_t> customer_id;
    std::optional<int64_t> asset_id;
};
// Re-decides assets that are not manual, created (while their configuration exists) or
// ignored, within their customer's matched organization.
Status MatchAssets(db::Tx& tx, int64_t account_id, int64_t integration_id, const std::string& now, AssetScope scope);

// Sync now of one asset: fetches it and its backup jobs from the portal and stores them.
// kUnauthenticated when the portal refused the credentials (the integration is then
// credentials_invalid); kUnavailable and others when it could not be reached.
Status RefreshAsset(
    db::Database& db,
    const vault::Vault* vault,
    const ConnectorFactory& factory,
    const Clock& clock,
    int64_t account_id,
    int64_t asset_id
);

// The routes of docs/backup-api.md: /api/backup_customers and /api/backup_assets with
// their actions, bulk create, compare and sync now (which reaches the portal through
// `factory` with the integration's credentials opened by `vault`).
void RegisterBackupRoutes(
    api::Service& service, http::Router& router, const vault::Vault* vault, ConnectorFactory factory
);

}  // namespace mortar::sync
