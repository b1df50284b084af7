// SPDX-License-Identifier: AGPL-3.0-or-later
#include <set>

#include <gtest/gtest.h>

#include "core/mac.hpp"
#include "sim/dataset.hpp"
#include "sim/simulator.hpp"

namespace mortar::sim {
namespace {

TEST(DatasetTest, RecordsAreAPureFunctionOfSeedAndId) {
    DatasetOptions o;
    o.companies = 50;
    o.configurations = 1000;
    Dataset a(o), b(o);
    o.seed = 2;
    Dataset c(o);
    for (int64_t id : {1, 17, 999}) {
        auto x = a.Get(Kind::kConfiguration, id), y = b.Get(Kind::kConfiguration, id),
             z = c.Get(Kind::kConfiguration, id);
        ASSERT_TRUE(x && y && z);
        EXPECT_EQ(x->name, y->name);
        EXPECT_EQ(x->serial, y->serial);
        EXPECT_NE(x->serial, z->serial);
        EXPECT_TRUE(NormalizeMac(x->mac).has_value()) << x->mac;
        EXPECT_GE(x->company_id, 1);
        EXPECT_LE(x->company_id, 50);
        EXPECT_LT(x->updated_ms, 1748736000001);
    }
    EXPECT_FALSE(a.Get(Kind::kConfiguration, 1001));
    std::set<std::string> names, macs;
    for (int64_t id = 1; id <= 50; ++id) names.insert(a.Get(Kind::kCompany, id)->name);
    for (int64_t id = 1; id <= 1000; ++id) macs.insert(a.Get(Kind::kConfiguration, id)->mac);
    EXPECT_EQ(names.size(), 50u);
    EXPECT_EQ(macs.size(), 1000u);
    // Sites, contacts and configurations point at a site of their own company.
    for (int64_t id = 1; id <= 100; ++id) {
        auto ci = a.Get(Kind::kConfiguration, id);
        if (ci->site_id != 0) {
            EXPECT_EQ(a.Get(Kind::kSite, ci->site_id)->company_id, ci->company_id);
        }
    }
}

TEST(DatasetTest, ChangesOverlayTheGeneratedDataAndInvalidateListings) {
    DatasetOptions o;
    o.companies = 3;
    o.configurations = 10;
    Dataset d(o);
    auto all = d.Matching(Kind::kConfiguration, "", nullptr);
    EXPECT_EQ(all->size(), 10u);
    const int64_t v = d.version();
    ASSERT_TRUE(d.Update(Kind::kConfiguration, 2, json::Value(json::Value::Object{{"name", "X"}}), 5).ok());
    ASSERT_TRUE(d.Delete(Kind::kConfiguration, 3).ok());
    auto added = d.Add(Kind::kConfiguration, json::Value(json::Value::Object{{"name", "New"}}), 6);
    ASSERT_TRUE(added.ok());
    EXPECT_EQ(*added, 11);
    EXPECT_GT(d.version(), v);
    EXPECT_EQ(d.Get(Kind::kConfiguration, 2)->name, "X");
    EXPECT_EQ(d.Get(Kind::kConfiguration, 2)->updated_ms, 5);
    EXPECT_FALSE(d.Get(Kind::kConfiguration, 3));
    auto now = d.Matching(Kind::kConfiguration, "", nullptr);
    EXPECT_EQ(*now, (std::vector<int64_t>{1, 2, 4, 5, 6, 7, 8, 9, 10, 11}));
    auto named = d.Matching(Kind::kConfiguration, "x", [](const Record& r) { return r.name == "X"; });
    EXPECT_EQ(*named, (std::vector<int64_t>{2}));
    EXPECT_EQ(d.Update(Kind::kConfiguration, 3, json::Value(json::Value::Object{}), 1).code(), Code::kNotFound);
    EXPECT_EQ(
        d.Update(Kind::kConfiguration, 2, json::Value(json::Value::Object{{"nope", 1}}), 1).code(),
        Code::kInvalidArgument
    );
}

TEST(FaultsTest, ParsesTheCommandLineSyntax) {
    Faults f;
    bool expired = false;
    ASSERT_TRUE(
        ParseFaults("bad-credentials, 429=5:2,5xx=3:502,slow=1500x2,mutate-after=4,expired-token", f, expired).ok()
    );
    EXPECT_TRUE(f.bad_credentials);
    EXPECT_TRUE(expired);
    EXPECT_EQ(f.throttle_count, 5);
    EXPECT_EQ(f.retry_after, "2");
    EXPECT_EQ(f.error_count, 3);
    EXPECT_EQ(f.error_status, 502);
    EXPECT_EQ(f.slow_ms, 1500);
    EXPECT_EQ(f.slow_count, 2);
    EXPECT_EQ(f.mutate_after_pages, 4);
    EXPECT_FALSE(ParseFaults("5xx=1:404", f, expired).ok());
    EXPECT_FALSE(ParseFaults("teapot", f, expired).ok());
    EXPECT_FALSE(Simulator::Create("quickbooks", {}).ok());
}

}  // namespace
}  // namespace mortar::sim
