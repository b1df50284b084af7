// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/plan.hpp"

#include <unordered_map>

namespace mortar::sync {

std::string_view LinkStateName(LinkState state) {
    switch (state) {
        case LinkState::kSyncing:
            return "syncing";
        case LinkState::kOrphaned:
            return "orphaned";
        case LinkState::kDisabled:
            return "disabled";
        case LinkState::kError:
            return "error";
        case LinkState::kDisconnected:
            return "disconnected";
    }
    return "syncing";
}

std::optional<LinkState> LinkStateFromName(std::string_view name) {
    for (LinkState s :
         {LinkState::kSyncing,
          LinkState::kOrphaned,
          LinkState::kDisabled,
          LinkState::kError,
          LinkState::kDisconnected}) {
        if (LinkStateName(s) == name) return s;
    }
    return std::nullopt;
}

std::string_view ActionName(Action action) {
    switch (action) {
        case Action::kCreate:
            return "create";
        case Action::kUpdate:
            return "update";
        case Action::kUnchanged:
            return "unchanged";
        case Action::kReturn:
            return "return";
        case Action::kSkip:
            return "skip";
        case Action::kOrphan:
            return "orphan";
    }
    return "skip";
}

Action DecideRecord(const LinkView* link, const PlanRecord& record) {
    if (record.disconnected) return Action::kSkip;
    if (!link) return record.meets_settings ? Action::kCreate : Action::kSkip;
    switch (link->state) {
        case LinkState::kDisabled:
        case LinkState::kDisconnected:
            return Action::kSkip;
        default:
            break;
    }
    // A record that no longer meets the settings is absent for this run: a full
    // listing orphans its link, an incremental one leaves it alone.
    if (!record.meets_settings) return Action::kSkip;
    switch (link->state) {
        case LinkState::kOrphaned:
            return Action::kReturn;
        case LinkState::kError:
            return Action::kUpdate;  // the last apply failed: retry whatever the hash
        case LinkState::kSyncing:
            return !link->payload_hash.empty() && link->payload_hash == record.payload_hash ? Action::kUnchanged
                                                                                            : Action::kUpdate;
        default:
            return Action::kSkip;
    }
}

OrphanPlan PlanOrphans(const OrphanInput& input) {
    OrphanPlan plan;
    if (!input.links) return plan;
    std::vector<const LinkView*> candidates;
    for (const LinkView& link : *input.links) {
        if (link.state != LinkState::kSyncing && link.state != LinkState::kError) continue;
        ++plan.linked;
        if (!input.listing_complete || !input.full || !input.listed) continue;
        if (input.listed->count(link.external_id) == 0) candidates.push_back(&link);
    }
    plan.would_orphan = static_cast<int64_t>(candidates.size());
    if (candidates.empty()) return plan;
    // More than the share (integer arithmetic: n / linked > p / 100).
    const bool too_many = plan.would_orphan * 100 > static_cast<int64_t>(input.orphan_share_percent) * plan.linked;
    if (too_many && input.confirmed < plan.would_orphan) {
        plan.blocked = true;
        return plan;
    }
    plan.orphans = std::move(candidates);
    return plan;
}

int64_t Plan::Count(Action action) const {
    if (action == Action::kOrphan) return static_cast<int64_t>(orphans.orphans.size());
    int64_t n = 0;
    for (Action a : records) n += a == action;
    return n;
}

Plan MakePlan(
    const std::vector<LinkView>& links,
    const std::vector<PlanRecord>& records,
    bool listing_complete,
    bool full,
    int orphan_share_percent,
    int64_t confirmed
) {
    std::unordered_map<std::string, const LinkView*> by_external;
    for (const LinkView& link : links) by_external.emplace(link.external_id, &link);
    Plan plan;
    std::unordered_set<std::string> listed;
    for (const PlanRecord& record : records) {
        auto it = by_external.find(record.external_id);
        plan.records.push_back(DecideRecord(it == by_external.end() ? nullptr : it->second, record));
        if (CountsAsListed(record)) listed.insert(record.external_id);
    }
    plan.orphans = PlanOrphans(OrphanInput{
        .links = &links,
        .listed = &listed,
        .listing_complete = listing_complete,
        .full = full,
        .orphan_share_percent = orphan_share_percent,
        .confirmed = confirmed});
    return plan;
}

}  // namespace mortar::sync
