// SPDX-License-Identifier: AGPL-3.0-or-later
// Every transition of SPEC SYNC-3 (syncing, orphaned, disabled, error) and SYNC-6
// (disconnected), the safety valve of SYNC-9 and the rule that only a complete, full
// listing orphans.
#include "sync/plan.hpp"

#include <gtest/gtest.h>

namespace mortar::sync {
namespace {

enum class Listed { kNo, kSameHash, kNewHash, kNotMeeting, kDisconnectedRule };
enum class Fetch { kFull, kIncremental, kFailedFull };

struct Case {
    const char* name;
    std::optional<LinkState> link;  // nullopt: no link yet
    Listed listed;
    Fetch fetch;
    std::optional<Action> record_action;  // nullopt: not listed
    bool orphaned;                        // the link is orphaned by this run
};

const Case kCases[] = {
    // No link yet.
    {"new_record_is_created", std::nullopt, Listed::kNewHash, Fetch::kFull, Action::kCreate, false},
    {"new_record_created_by_incremental", std::nullopt, Listed::kNewHash, Fetch::kIncremental, Action::kCreate, false},
    {"new_record_not_meeting_settings_skipped", std::nullopt, Listed::kNotMeeting, Fetch::kFull, Action::kSkip, false},
    {"new_record_of_disconnected_type_skipped",
     std::nullopt,
     Listed::kDisconnectedRule,
     Fetch::kFull,
     Action::kSkip,
     false},
    {"new_record_from_failed_fetch_still_created",
     std::nullopt,
     Listed::kNewHash,
     Fetch::kFailedFull,
     Action::kCreate,
     false},
    // syncing
    {"syncing_same_hash_unchanged", LinkState::kSyncing, Listed::kSameHash, Fetch::kFull, Action::kUnchanged, false},
    {"syncing_new_hash_updated", LinkState::kSyncing, Listed::kNewHash, Fetch::kFull, Action::kUpdate, false},
    {"syncing_absent_full_orphaned", LinkState::kSyncing, Listed::kNo, Fetch::kFull, std::nullopt, true},
    {"syncing_absent_incremental_kept", LinkState::kSyncing, Listed::kNo, Fetch::kIncremental, std::nullopt, false},
    {"syncing_absent_failed_fetch_kept", LinkState::kSyncing, Listed::kNo, Fetch::kFailedFull, std::nullopt, false},
    {"syncing_not_meeting_full_orphaned", LinkState::kSyncing, Listed::kNotMeeting, Fetch::kFull, Action::kSkip, true},
    {"syncing_not_meeting_incremental_kept",
     LinkState::kSyncing,
     Listed::kNotMeeting,
     Fetch::kIncremental,
     Action::kSkip,
     false},
    {"syncing_under_disconnect_rule_left_alone",
     LinkState::kSyncing,
     Listed::kDisconnectedRule,
     Fetch::kFull,
     Action::kSkip,
     false},
    // orphaned
    {"orphaned_listed_again_returns", LinkState::kOrphaned, Listed::kSameHash, Fetch::kFull, Action::kReturn, false},
    {"orphaned_listed_by_incremental_returns",
     LinkState::kOrphaned,
     Listed::kNewHash,
     Fetch::kIncremental,
     Action::kReturn,
     false},
    {"orphaned_still_absent_not_counted_again", LinkState::kOrphaned, Listed::kNo, Fetch::kFull, std::nullopt, false},
    {"orphaned_still_not_meeting_stays", LinkState::kOrphaned, Listed::kNotMeeting, Fetch::kFull, Action::kSkip, false},
    // disabled
    {"disabled_listed_skipped", LinkState::kDisabled, Listed::kNewHash, Fetch::kFull, Action::kSkip, false},
    {"disabled_absent_not_orphaned", LinkState::kDisabled, Listed::kNo, Fetch::kFull, std::nullopt, false},
    // error
    {"error_listed_retried_even_if_same_hash",
     LinkState::kError,
     Listed::kSameHash,
     Fetch::kFull,
     Action::kUpdate,
     false},
    {"error_absent_full_orphaned", LinkState::kError, Listed::kNo, Fetch::kFull, std::nullopt, true},
    {"error_absent_incremental_kept", LinkState::kError, Listed::kNo, Fetch::kIncremental, std::nullopt, false},
    // disconnected (paused)
    {"disconnected_listed_skipped", LinkState::kDisconnected, Listed::kNewHash, Fetch::kFull, Action::kSkip, false},
    {"disconnected_absent_not_orphaned", LinkState::kDisconnected, Listed::kNo, Fetch::kFull, std::nullopt, false},
};

class PlanTransitionTest : public ::testing::TestWithParam<Case> {};

TEST_P(PlanTransitionTest, Decides) {
    const Case& c = GetParam();
    // The record under test ("x") plus enough plain syncing links listed unchanged that
    // one orphan never trips the safety valve.
    std::vector<LinkView> links;
    std::vector<PlanRecord> records;
    for (int i = 0; i < 4; ++i) {
        const std::string id = "other" + std::to_string(i);
        links.push_back(LinkView{.link_id = 100 + i, .external_id = id, .local_id = 200 + i, .payload_hash = "h" + id});
        records.push_back(PlanRecord{.external_id = id, .payload_hash = "h" + id});
    }
    if (c.link) {
        links.push_back(LinkView{
            .link_id = 1,
            .external_id = "x",
            .local_id = 9,
            .state = *c.link,
            .payload_hash = *c.link == LinkState::kError ? "" : "hash-old"});
    }
    if (c.listed != Listed::kNo) {
        PlanRecord r{.external_id = "x", .payload_hash = c.listed == Listed::kSameHash ? "hash-old" : "hash-new"};
        r.meets_settings = c.listed != Listed::kNotMeeting;
        r.disconnected = c.listed == Listed::kDisconnectedRule;
        records.push_back(r);
    }
    const Plan plan = MakePlan(links, records, c.fetch != Fetch::kFailedFull, c.fetch != Fetch::kIncremental);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(plan.records[i], Action::kUnchanged);
    if (c.record_action) {
        ASSERT_EQ(plan.records.size(), 5u);
        EXPECT_EQ(ActionName(plan.records[4]), ActionName(*c.record_action));
    } else {
        EXPECT_EQ(plan.records.size(), 4u);
    }
    EXPECT_FALSE(plan.orphans.blocked);
    bool orphaned = false;
    for (const LinkView* l : plan.orphans.orphans) {
        EXPECT_EQ(l->external_id, "x");
        orphaned = true;
    }
    EXPECT_EQ(orphaned, c.orphaned);
}

INSTANTIATE_TEST_SUITE_P(Sync3And6, PlanTransitionTest, ::testing::ValuesIn(kCases), [](const auto& info) {
    return info.param.name;
});

std::vector<LinkView> SyncingLinks(int n) {
    std::vector<LinkView> links;
    for (int i = 0; i < n; ++i) {
        links.push_back(LinkView{
            .link_id = i + 1, .external_id = std::to_string(i), .local_id = i + 1, .payload_hash = "h"});
    }
    return links;
}

std::vector<PlanRecord> Listing(int from, int to) {
    std::vector<PlanRecord> records;
    for (int i = from; i < to; ++i)
        records.push_back(PlanRecord{.external_id = std::to_string(i), .payload_hash = "h"});
    return records;
}

struct ValveCase {
    const char* name;
    int linked;
    int still_listed;  // the first N are listed again
    int share_percent;
    int64_t confirmed;
    bool blocked;
};

const ValveCase kValveCases[] = {
    {"half_is_not_more_than_half", 4, 2, 50, 0, false},
    {"three_of_four_blocks", 4, 1, 50, 0, true},
    {"everything_gone_blocks", 10, 0, 50, 0, true},
    {"confirmed_count_lets_it_through", 4, 1, 50, 3, false},
    {"confirming_fewer_than_shown_still_blocks", 4, 1, 50, 2, true},
    {"share_of_100_never_blocks", 4, 0, 100, 0, false},
    {"share_of_0_blocks_any_orphan", 10, 9, 0, 0, true},
    {"lone_record_gone_blocks", 1, 0, 50, 0, true},
    {"nothing_gone_never_blocks", 3, 3, 0, 0, false},
};

class SafetyValveTest : public ::testing::TestWithParam<ValveCase> {};

TEST_P(SafetyValveTest, StopsMassOrphaning) {
    const ValveCase& c = GetParam();
    const auto links = SyncingLinks(c.linked);
    const Plan plan = MakePlan(links, Listing(0, c.still_listed), true, true, c.share_percent, c.confirmed);
    EXPECT_EQ(plan.orphans.would_orphan, c.linked - c.still_listed);
    EXPECT_EQ(plan.orphans.linked, c.linked);
    EXPECT_EQ(plan.orphans.blocked, c.blocked);
    EXPECT_EQ(plan.Count(Action::kOrphan), c.blocked ? 0 : c.linked - c.still_listed);
}

INSTANTIATE_TEST_SUITE_P(Sync9, SafetyValveTest, ::testing::ValuesIn(kValveCases), [](const auto& info) {
    return info.param.name;
});

TEST(PlanTest, IncompleteListingNeverOrphansEvenWithConfirmation) {
    const auto links = SyncingLinks(5);
    const Plan plan = MakePlan(links, Listing(0, 1), false, true, 50, 100);
    EXPECT_EQ(plan.orphans.would_orphan, 0);
    EXPECT_TRUE(plan.orphans.orphans.empty());
    EXPECT_FALSE(plan.orphans.blocked);
}

TEST(PlanTest, StatesRoundTripByName) {
    for (LinkState s :
         {LinkState::kSyncing,
          LinkState::kOrphaned,
          LinkState::kDisabled,
          LinkState::kError,
          LinkState::kDisconnected}) {
        EXPECT_EQ(LinkStateFromName(LinkStateName(s)), s);
    }
    EXPECT_EQ(LinkStateFromName("gone"), std::nullopt);
}

}  // namespace
}  // namespace mortar::sync
