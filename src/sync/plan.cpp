// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/plan.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace mortar::sync {

namespace {

constexpr std::pair<LinkState, std::string_view> kStates[] = {
    {LinkState::kSyncing, "syncing"},
    {LinkState::kOrphaned, "orphaned"},
    {LinkState::kDisabled, "disabled"},
    {LinkState::kError, "error"},
    {LinkState::kDisconnected, "disconnected"},
};

bool Live(LinkState s) {
    return s == LinkState::kSyncing || s == LinkState::kError;
}

}  // namespace

std::string_view LinkStateName(LinkState state) {
    for (const auto& [s, n] : kStates) {
        if (s == state) return n;
    }
    return "?";
}

std::optional<LinkState> LinkStateFromName(std::string_view name) {
    for (const auto& [s, n] : kStates) {
        if (n == name) return s;
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
        case Action::kOrphan:
            return "orphan";
        case Action::kReturn:
            return "return";
        case Action::kSkip:
            return "skip";
    }
    return "?";
}

Plan MakePlan(
    std::span<const Link> links, std::span<const connectors::ExternalRecord> fetched, const PlanOptions& options
) {
    Plan plan;
    std::unordered_map<std::string_view, const Link*> by_id;
    by_id.reserve(links.size());
    for (const auto& l : links) {
        by_id.emplace(l.external_id, &l);
        if (Live(l.state)) ++plan.live_links;
    }
    std::unordered_set<std::string_view> listed;
    listed.reserve(fetched.size());
    plan.items.reserve(fetched.size());
    for (const auto& r : fetched) {
        if (!listed.insert(r.external_id).second) continue;
        PlanItem item{Action::kCreate, r.external_id, 0, &r};
        auto it = by_id.find(r.external_id);
        if (it == by_id.end()) {
            ++plan.counts.created;
        } else {
            const Link& l = *it->second;
            item.local_id = l.local_id;
            switch (l.state) {
                case LinkState::kSyncing:
                    item.action = l.payload_hash == r.payload_hash && !l.payload_hash.empty() ? Action::kUnchanged
                                                                                              : Action::kUpdate;
                    break;
                case LinkState::kError:
                    item.action = Action::kUpdate;  // the next run retries (SYNC-3)
                    break;
                case LinkState::kOrphaned:
                    item.action = Action::kReturn;
                    break;
                case LinkState::kDisabled:
                case LinkState::kDisconnected:
                    item.action = Action::kSkip;
                    break;
            }
            switch (item.action) {
                case Action::kUpdate:
                    ++plan.counts.updated;
                    break;
                case Action::kUnchanged:
                    ++plan.counts.unchanged;
                    break;
                case Action::kReturn:
                    ++plan.counts.returned;
                    break;
                default:
                    ++plan.counts.skipped;
            }
        }
        plan.items.push_back(item);
    }
    if (options.complete_listing) {
        std::vector<const Link*> gone;
        for (const auto& l : links) {
            if (Live(l.state) && listed.count(l.external_id) == 0) gone.push_back(&l);
        }
        std::sort(gone.begin(), gone.end(), [](const Link* a, const Link* b) {
            return a->external_id < b->external_id;
        });
        for (const Link* l : gone) plan.items.push_back({Action::kOrphan, l->external_id, l->local_id, nullptr});
        plan.counts.orphaned = static_cast<int64_t>(gone.size());
        plan.needs_confirmation =
            plan.counts.orphaned > 0 && static_cast<double>(plan.counts.orphaned) >
                                            options.orphan_guard_share * static_cast<double>(plan.live_links);
    }
    return plan;
}

}  // namespace mortar::sync
