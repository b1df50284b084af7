// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/plan.hpp"

#include <gtest/gtest.h>

namespace mortar::sync {
namespace {

using connectors::ExternalRecord;

ExternalRecord Rec(std::string id, std::string hash) {
    ExternalRecord r;
    r.kind = connectors::EntityKind::kConfiguration;
    r.external_id = std::move(id);
    r.payload_hash = std::move(hash);
    return r;
}

Link L(std::string id, int64_t local, LinkState state, std::string hash = "h1") {
    return {std::move(id), local, state, std::move(hash)};
}

// "action:external_id:local_id" for every item, in plan order.
std::vector<std::string> Describe(const Plan& p) {
    std::vector<std::string> out;
    for (const auto& i : p.items) {
        out.push_back(std::string(ActionName(i.action)) + ":" + i.external_id + ":" + std::to_string(i.local_id));
    }
    return out;
}

struct Case {
    const char* name;
    std::vector<Link> links;
    std::vector<ExternalRecord> fetched;
    bool complete;
    std::vector<std::string> want;
    PlanCounts counts;
    bool needs_confirmation = false;
};

class PlanTest : public ::testing::TestWithParam<Case> {};

TEST_P(PlanTest, PlansEachRecordOnce) {
    const Case& c = GetParam();
    PlanOptions o;
    o.complete_listing = c.complete;
    const Plan p = MakePlan(c.links, c.fetched, o);
    EXPECT_EQ(Describe(p), c.want);
    EXPECT_EQ(p.counts.created, c.counts.created);
    EXPECT_EQ(p.counts.updated, c.counts.updated);
    EXPECT_EQ(p.counts.unchanged, c.counts.unchanged);
    EXPECT_EQ(p.counts.orphaned, c.counts.orphaned);
    EXPECT_EQ(p.counts.returned, c.counts.returned);
    EXPECT_EQ(p.counts.skipped, c.counts.skipped);
    EXPECT_EQ(p.needs_confirmation, c.needs_confirmation);
    for (const auto& item : p.items) {
        if (item.action == Action::kOrphan) {
            EXPECT_EQ(item.record, nullptr);
        } else {
            ASSERT_NE(item.record, nullptr);
            EXPECT_EQ(item.record->external_id, item.external_id);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Cases,
    PlanTest,
    ::testing::Values(
        Case{"FirstRunCreatesEverything", {}, {Rec("1", "a"), Rec("2", "b")}, true, {"create:1:0", "create:2:0"}, {2}},
        Case{
            "SameHashIsUnchangedOtherHashIsUpdate",
            {L("1", 10, LinkState::kSyncing, "a"), L("2", 20, LinkState::kSyncing, "b")},
            {Rec("1", "a"), Rec("2", "B")},
            true,
            {"unchanged:1:10", "update:2:20"},
            {0, 1, 1}},
        Case{
            "ALinkWithoutHashIsUpdated",
            {L("1", 10, LinkState::kSyncing, "")},
            {Rec("1", "")},
            true,
            {"update:1:10"},
            {0, 1}},
        Case{
            "ErrorLinksAreRetriedEvenWhenUnchanged",
            {L("1", 10, LinkState::kError, "a")},
            {Rec("1", "a")},
            false,
            {"update:1:10"},
            {0, 1}},
        Case{
            "AbsentFromACompleteListingIsOrphaned",
            {L("1", 10, LinkState::kSyncing, "a"), L("2", 20, LinkState::kSyncing), L("3", 30, LinkState::kError)},
            {Rec("1", "a")},
            true,
            {"unchanged:1:10", "orphan:2:20", "orphan:3:30"},
            {0, 0, 1, 2},
            true},  // 2 of 3 live links: above half
        Case{
            "IncrementalOrFailedListingsNeverOrphan",
            {L("1", 10, LinkState::kSyncing, "a"), L("2", 20, LinkState::kSyncing)},
            {Rec("1", "a")},
            false,
            {"unchanged:1:10"},
            {0, 0, 1}},
        Case{
            "OrphanedAndListedAgainReturns",
            {L("1", 10, LinkState::kOrphaned, "a"), L("2", 20, LinkState::kOrphaned)},
            {Rec("1", "a")},
            true,
            {"return:1:10"},  // 2 stays orphaned: nothing to do
            {0, 0, 0, 0, 1}},
        Case{
            "DisabledAndDisconnectedAreLeftAloneAndNeverOrphaned",
            {L("1", 10, LinkState::kDisabled, "a"),
             L("2", 20, LinkState::kDisconnected),
             L("3", 30, LinkState::kDisabled)},
            {Rec("1", "changed"), Rec("2", "x")},
            true,
            {"skip:1:10", "skip:2:20"},
            {0, 0, 0, 0, 0, 2}},
        Case{
            "ARepeatedRecordIsPlannedOnce",
            {L("1", 10, LinkState::kSyncing, "a")},
            {Rec("1", "a"), Rec("2", "b"), Rec("1", "z"), Rec("2", "b")},
            true,
            {"unchanged:1:10", "create:2:0"},
            {1, 0, 1}},
        Case{
            "OrphansUpToHalfNeedNoConfirmation",
            {L("1", 1, LinkState::kSyncing, "a"),
             L("2", 2, LinkState::kSyncing, "a"),
             L("3", 3, LinkState::kSyncing, "a"),
             L("4", 4, LinkState::kSyncing, "a")},
            {Rec("1", "a"), Rec("3", "a")},
            true,
            {"unchanged:1:1", "unchanged:3:3", "orphan:2:2", "orphan:4:4"},
            {0, 0, 2, 2},
            false},
        Case{
            "AnEmptyCompleteListingOrphansAllAndAsks",
            {L("1", 1, LinkState::kSyncing), L("2", 2, LinkState::kOrphaned)},
            {},
            true,
            {"orphan:1:1"},
            {0, 0, 0, 1},
            true},
        Case{"NothingLinkedNothingFetched", {}, {}, true, {}, {}}
    ),
    [](const auto& info) { return std::string(info.param.name); }
);

TEST(PlanOptionsTest, TheGuardShareIsConfigurable) {
    std::vector<Link> links{
        L("1", 1, LinkState::kSyncing),
        L("2", 2, LinkState::kSyncing),
        L("3", 3, LinkState::kSyncing),
        L("4", 4, LinkState::kSyncing)};
    std::vector<ExternalRecord> fetched{Rec("1", "h1"), Rec("2", "h1"), Rec("3", "h1")};
    PlanOptions o;
    o.complete_listing = true;
    o.orphan_guard_share = 0.2;  // 1 of 4 is 25 %
    EXPECT_TRUE(MakePlan(links, fetched, o).needs_confirmation);
    o.orphan_guard_share = 0.25;
    EXPECT_FALSE(MakePlan(links, fetched, o).needs_confirmation);
    o.orphan_guard_share = 0;
    EXPECT_TRUE(MakePlan(links, fetched, o).needs_confirmation);
    fetched.push_back(Rec("4", "h1"));
    EXPECT_FALSE(MakePlan(links, fetched, o).needs_confirmation);  // nothing orphaned
}

TEST(PlanNamesTest, StatesRoundTripAsStored) {
    for (auto s :
         {LinkState::kSyncing,
          LinkState::kOrphaned,
          LinkState::kDisabled,
          LinkState::kError,
          LinkState::kDisconnected}) {
        EXPECT_EQ(LinkStateFromName(LinkStateName(s)), s);
    }
    EXPECT_EQ(LinkStateFromName("paused"), std::nullopt);
}

}  // namespace
}  // namespace mortar::sync
