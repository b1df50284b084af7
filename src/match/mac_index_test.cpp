// SPDX-License-Identifier: AGPL-3.0-or-later
#include "match/mac_index.hpp"

#include <gtest/gtest.h>

namespace mortar::match {
namespace {

std::vector<Configuration> Configurations() {
    return {
        {101,
         1,
         "CONTOSO-DC01",
         "dc01.contoso.local",
         "",
         {{"LAN", "3C:52:82:10:AA:01"}, {"iLO", "3c-52-82-10-aa-02"}}},
        {102, 1, "CONTOSO-FS01", "fs01.contoso.local", "3c52.8210.aa03", {}},
        {103, 1, "Reception PC", "recep-pc", "", {{"Ethernet", "3C528210AA04"}}},
        // The same MAC on two configurations of one organization (a cloned VM).
        {104, 1, "VM-A", "vm-a", "", {{"vNIC", "00:15:5d:00:00:01"}}},
        {105, 1, "VM-B", "vm-b", "", {{"vNIC", "00-15-5D-00-00-01"}}},
        // Another organization's device with a MAC also used in organization 1.
        {201, 2, "FABRIKAM-PC", "fab-pc", "", {{"LAN", "3c:52:82:10:aa:04"}}},
        {202, 2, "Broken", "broken", "not-a-mac", {{"LAN", "zz:zz"}}},
    };
}

TEST(ParseMacTest, AllSpellingsAreEqual) {
    const auto want = ParseMac("3c528210aa01");
    ASSERT_TRUE(want.has_value());
    for (const char* s :
         {"3C:52:82:10:AA:01", "3c:52:82:10:aa:01", "3C-52-82-10-AA-01", "3c52.8210.aa01", "3C528210AA01"}) {
        EXPECT_EQ(ParseMac(s), want) << s;
    }
    EXPECT_FALSE(ParseMac("3C:52:82:10:AA").has_value());
    EXPECT_EQ(DisplayMac(*want), "3C:52:82:10:AA:01");
}

TEST(ConfigurationIndexTest, OneHitIsAMatchWithTheInterface) {
    ConfigurationIndex index(Configurations());
    for (const char* spelling : {"3c:52:82:10:aa:01", "3C-52-82-10-AA-01", "3c52.8210.aa01", "3C528210AA01"}) {
        const MatchResult r = index.Match(1, Asset{"dc01", "", {spelling}});
        EXPECT_EQ(r.decision, Decision::kAuto) << spelling;
        ASSERT_EQ(r.candidates.size(), 1u);
        EXPECT_EQ(r.candidates.front().id, 101);
        EXPECT_EQ(r.reason, "MAC 3C:52:82:10:AA:01 on interface LAN");
    }
    // Two MACs of the same configuration are still one configuration.
    const MatchResult both = index.Match(1, Asset{"", "", {"3c:52:82:10:aa:01", "3c:52:82:10:aa:02"}});
    EXPECT_EQ(both.decision, Decision::kAuto);
    EXPECT_EQ(both.candidates.size(), 1u);
    // The configuration's own MAC field counts too.
    const MatchResult own = index.Match(1, Asset{"", "", {"3C:52:82:10:AA:03"}});
    EXPECT_EQ(own.decision, Decision::kAuto);
    EXPECT_EQ(own.candidates.front().id, 102);
    EXPECT_EQ(own.reason, "MAC 3C:52:82:10:AA:03 of the configuration");
}

TEST(ConfigurationIndexTest, SeveralHitsAreAmbiguous) {
    ConfigurationIndex index(Configurations());
    const MatchResult r = index.Match(1, Asset{"vm", "", {"00155d000001"}});
    EXPECT_EQ(r.decision, Decision::kSuggest);
    EXPECT_EQ(r.reason, "ambiguous: MAC hits 2 configurations");
    ASSERT_EQ(r.candidates.size(), 2u);
    EXPECT_EQ(r.candidates[0].id, 104);
    EXPECT_EQ(r.candidates[1].id, 105);
    EXPECT_EQ(r.candidates[0].reason, "MAC 00:15:5D:00:00:01 on interface vNIC");
}

TEST(ConfigurationIndexTest, OnlyWithinTheOrganization) {
    ConfigurationIndex index(Configurations());
    EXPECT_EQ(index.Match(1, Asset{"", "", {"3c528210aa04"}}).candidates.front().id, 103);
    EXPECT_EQ(index.Match(2, Asset{"", "", {"3c528210aa04"}}).candidates.front().id, 201);
    // Without an organization, the MAC is on two organizations' devices: ambiguous.
    EXPECT_EQ(index.Match(0, Asset{"", "", {"3c528210aa04"}}).decision, Decision::kSuggest);
}

TEST(ConfigurationIndexTest, NoMacOrNoHitFallsBackToNames) {
    ConfigurationIndex index(Configurations());
    MatchResult r = index.Match(1, Asset{"", "FS01.contoso.local", {}});
    EXPECT_EQ(r.decision, Decision::kSuggest);
    EXPECT_EQ(r.candidates.front().id, 102);
    EXPECT_EQ(r.reason, "no MAC; same name 'fs01'");
    r = index.Match(1, Asset{"Reception-PC", "", {"aa:bb:cc:dd:ee:ff"}});
    EXPECT_EQ(r.decision, Decision::kSuggest);
    EXPECT_EQ(r.candidates.front().id, 103);
    EXPECT_EQ(r.reason, "no configuration has its MAC; same name 'receptionpc'");
    r = index.Match(1, Asset{"Totally Different", "", {}});
    EXPECT_EQ(r.decision, Decision::kNone);
    EXPECT_EQ(index.Match(0, Asset{"CONTOSO-DC01", "", {}}).decision, Decision::kNone);
}

// Host names alike but numbered differently are different devices: no suggestion.
TEST(ConfigurationIndexTest, DifferentlyNumberedNamesAreNotSuggested) {
    ConfigurationIndex index(Configurations());
    MatchResult r = index.Match(1, Asset{"CONTOSO-DC02", "", {}});
    EXPECT_EQ(r.decision, Decision::kNone) << r.reason;
    r = index.Match(1, Asset{"contoso-dc1", "", {}});
    EXPECT_EQ(r.decision, Decision::kSuggest) << r.reason;
    EXPECT_EQ(r.candidates.front().id, 101);
    r = index.Match(1, Asset{"CONTOSO-DC01-OLD", "", {}});
    EXPECT_EQ(r.decision, Decision::kSuggest) << r.reason;
    EXPECT_EQ(r.candidates.front().id, 101);
}

TEST(ConfigurationIndexTest, InvalidMacsAreCountedNotIndexed) {
    ConfigurationIndex index(Configurations());
    EXPECT_EQ(index.invalid_macs(), 2u);
    EXPECT_EQ(index.mac_count(), 7u);
    EXPECT_EQ(index.Match(2, Asset{"", "", {"zz:zz"}}).reason, "no MAC and no name");
    EXPECT_EQ(index.Match(2, Asset{"Printer", "", {"zz:zz"}}).reason, "no MAC; no configuration with a similar name");
}

}  // namespace
}  // namespace mortar::match
