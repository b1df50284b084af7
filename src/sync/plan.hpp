// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

// The plan step of a sync run (SPEC SYNC-3, SYNC-6, SYNC-9): given the links of one
// entity kind and what the PSA listed, decide per record what the apply step does.
// Pure: no store, no clock, no network. "Compare data" is the plan of one record.
namespace mortar::sync {

// A link's sync state (SPEC SYNC-3, SYNC-6).
enum class LinkState { kSyncing, kOrphaned, kDisabled, kError, kDisconnected };
std::string_view LinkStateName(LinkState state);  // "syncing", "orphaned", ...
std::optional<LinkState> LinkStateFromName(std::string_view name);

// What the plan needs of a link.
struct LinkView {
    int64_t link_id = 0;
    std::string external_id;
    int64_t local_id = 0;
    LinkState state = LinkState::kSyncing;
    std::string payload_hash;  // of the last external payload applied; "" after an error
};

// What the plan needs of a fetched record.
struct PlanRecord {
    std::string external_id;
    std::string payload_hash;
    // False when the record no longer meets the integration's sync settings (inactive,
    // a type or status not synced, its company not synced): it is then treated as absent.
    bool meets_settings = true;
    // True when its data type (or PSA type/status) is disconnected (paused or
    // permanently): sync leaves it and its link alone.
    bool disconnected = false;
};

enum class Action {
    kCreate,     // no link: link to an existing record or create one
    kUpdate,     // syncing (or error: retried) and the payload changed
    kUnchanged,  // syncing and the payload hash is the one last applied
    kReturn,     // orphaned and listed again: apply and mark syncing
    kSkip,       // disabled, disconnected, or not meeting the settings
    kOrphan,     // linked, not listed by a complete full listing
};
std::string_view ActionName(Action action);

// The decision for one listed record, `link` being its link (null: none).
Action DecideRecord(const LinkView* link, const PlanRecord& record);

// Whether a listed record counts as present for orphan detection.
inline bool CountsAsListed(const PlanRecord& record) {
    return record.meets_settings || record.disconnected;
}

struct OrphanInput {
    // The links of the kind, any state.
    const std::vector<LinkView>* links = nullptr;
    // External ids of the records that count as listed (CountsAsListed).
    const std::unordered_set<std::string>* listed = nullptr;
    bool listing_complete = false;  // the fetch returned Ok
    bool full = false;              // a full reconciliation, not an incremental run
    int orphan_share_percent = 50;  // the safety valve (SYNC-9)
    // Orphans an administrator confirmed for this kind (the count shown to them); 0: none.
    int64_t confirmed = 0;
};

struct OrphanPlan {
    std::vector<const LinkView*> orphans;  // to mark orphaned (empty when blocked)
    int64_t would_orphan = 0;              // how many the listing proves gone
    int64_t linked = 0;                    // active links (syncing or error) of the kind
    // The safety valve fired: more than the share would be orphaned and no administrator
    // confirmed that number. Nothing is orphaned.
    bool blocked = false;
};

// Links (syncing or error) whose record a complete, full listing no longer has. A
// failed or incremental listing never orphans.
OrphanPlan PlanOrphans(const OrphanInput& input);

// The whole plan of one kind at once (tests, "Compare data").
struct Plan {
    std::vector<Action> records;  // one per input record, in order
    OrphanPlan orphans;
    int64_t Count(Action action) const;
};
Plan MakePlan(
    const std::vector<LinkView>& links,
    const std::vector<PlanRecord>& records,
    bool listing_complete,
    bool full,
    int orphan_share_percent = 50,
    int64_t confirmed = 0
);

}  // namespace mortar::sync
