// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

// The plan step of a sync run (DESIGN "Integration model"): a pure function from the
// integration's links of one external type and the records a fetch delivered to what the
// apply step must do. No store, no clock: "Compare data" is the plan of one record.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/connector.hpp"

namespace mortar::sync {

// sync_links.state (SYNC-3).
enum class LinkState { kSyncing, kOrphaned, kDisabled, kError, kDisconnected };
std::string_view LinkStateName(LinkState state);  // "syncing", ..., as stored
std::optional<LinkState> LinkStateFromName(std::string_view name);

// One row of sync_links, as far as planning needs it.
struct Link {
    std::string external_id;
    int64_t local_id = 0;
    LinkState state = LinkState::kSyncing;
    std::string payload_hash;  // of the payload last applied; empty when none was
};

enum class Action {
    kCreate,     // no link: create the Mortar record (or link a matched one) and link it
    kUpdate,     // linked, payload changed (or the last attempt failed): apply it
    kUnchanged,  // linked, same payload hash: nothing to write
    kOrphan,     // linked and syncing/error, absent from a complete listing: mark orphaned
    kReturn,     // orphaned and listed again: apply and mark syncing
    kSkip,       // sync disabled or disconnected for this record: leave it alone
};
std::string_view ActionName(Action action);

struct PlanItem {
    Action action;
    std::string external_id;
    int64_t local_id = 0;                                // 0 for kCreate
    const connectors::ExternalRecord* record = nullptr;  // null for kOrphan; points into `fetched`
};

struct PlanCounts {
    int64_t created = 0, updated = 0, unchanged = 0, orphaned = 0, returned = 0, skipped = 0;
};

struct Plan {
    std::vector<PlanItem> items;  // fetched records in their order, then the orphans by external id
    PlanCounts counts;
    // Links in the syncing or error state before the run: the base of the orphan guard.
    int64_t live_links = 0;
    // SYNC-9: orphans exceed the allowed share of live links; apply nothing, ask first.
    bool needs_confirmation = false;
};

struct PlanOptions {
    // True when `fetched` is a complete listing (a full fetch that returned Ok): only then
    // can absence prove deletion. Incremental and failed fetches never orphan.
    bool complete_listing = false;
    // The largest share of live links one run may orphan without confirmation (0.5 = 50 %).
    double orphan_guard_share = 0.5;
};

// Plans one external type. `links` are every link of that type of the integration, in
// any order; `fetched` the records one fetch delivered (a record repeated in `fetched`
// is planned once, at its first position). The plan refers to `fetched`, which must
// outlive it.
Plan MakePlan(
    std::span<const Link> links, std::span<const connectors::ExternalRecord> fetched, const PlanOptions& options
);

}  // namespace mortar::sync
