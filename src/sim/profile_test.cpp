// SPDX-License-Identifier: AGPL-3.0-or-later
// The demo data profile keeps its promises: the mix of customers (same name, spelt
// otherwise, no counterpart, internal) and of assets (MAC in any spelling, a second
// interface's MAC, no MAC, a MAC two devices share, unknown devices), checked against the
// data the simulators serve and decided by the matching engine.
#include "sim/profile.hpp"

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "core/json.hpp"
#include "core/mac.hpp"
#include "match/mac_index.hpp"
#include "match/name_index.hpp"
#include "net/http_client.hpp"
#include "net/transport.hpp"
#include "sim/simulator.hpp"

namespace mortar::sim {
namespace {

std::unique_ptr<Simulator> Make(std::string_view vendor, std::string profile) {
    SimOptions o;
    o.data = DemoDatasetOptions();
    o.profile = std::move(profile);
    auto made = Simulator::Create(vendor, o);
    EXPECT_TRUE(made.ok()) << made.status().message();
    return made.ok() ? std::move(*made) : nullptr;
}

std::vector<Record> All(const Dataset& data, Kind kind) {
    std::vector<Record> out;
    for (int64_t id : *data.Matching(kind, "", nullptr)) out.push_back(*data.Get(kind, id));
    return out;
}

TEST(DemoProfileTest, IsAPureFunctionOfTheOptions) {
    auto a = MakeDemoPlan(DemoDatasetOptions());
    auto b = MakeDemoPlan(DemoDatasetOptions());
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->customers.size(), b->customers.size());
    for (size_t i = 0; i < a->customers.size(); ++i) EXPECT_EQ(a->customers[i].name, b->customers[i].name);
    ASSERT_EQ(a->assets.size(), b->assets.size());
    for (size_t i = 0; i < a->assets.size(); ++i) EXPECT_EQ(a->assets[i].mac, b->assets[i].mac);
    EXPECT_FALSE(MakeDemoPlan(DatasetOptions{.companies = 5, .configurations = 50}).ok());
    SimOptions bad;
    bad.profile = "huge";
    EXPECT_FALSE(Simulator::Create("autotask", bad).ok());
}

TEST(DemoProfileTest, HasTheSizeOfARealisticMsp) {
    auto psa = Make("autotask", "demo");
    ASSERT_NE(psa, nullptr);
    EXPECT_EQ(All(psa->data(), Kind::kCompany).size(), 40u);
    EXPECT_EQ(All(psa->data(), Kind::kSite).size(), 100u);
    EXPECT_EQ(All(psa->data(), Kind::kContact).size(), 1500u);
    EXPECT_EQ(All(psa->data(), Kind::kConfiguration).size(), 3000u);
}

TEST(DemoProfileTest, OnThePsaSideCompaniesHaveOneTradeEachAndFourDevicesShareAMac) {
    auto plain = Make("autotask", "");
    auto demo = Make("autotask", "demo");
    ASSERT_TRUE(plain && demo);
    auto plan = MakeDemoPlan(DemoDatasetOptions());
    ASSERT_TRUE(plan.ok());
    ASSERT_EQ(plan->shared_macs.size(), 4u);
    std::map<int64_t, int64_t> shared(plan->shared_macs.begin(), plan->shared_macs.end());
    std::map<std::string, int> macs;
    for (const Record& r : All(demo->data(), Kind::kConfiguration)) {
        const Record p = *plain->data().Get(Kind::kConfiguration, r.id);
        EXPECT_EQ(r.name, p.name);
        EXPECT_EQ(r.mac2, p.mac2);
        if (shared.count(r.id) != 0) {
            const Record source = *plain->data().Get(Kind::kConfiguration, shared[r.id]);
            EXPECT_EQ(r.mac, source.mac);
            EXPECT_EQ(r.company_id, source.company_id) << "devices sharing a MAC belong to one company";
        } else {
            EXPECT_EQ(r.mac, p.mac);
        }
        ++macs[r.mac];
    }
    int twice = 0;
    for (const auto& [mac, n] : macs) twice += n == 2 ? 1 : 0;
    EXPECT_EQ(twice, 4);
    // Companies keep their first word (configuration names start with it) and legal form,
    // with one trade each; contacts' e-mails follow the new names.
    std::set<std::string> trades;
    for (const Record& r : All(demo->data(), Kind::kCompany)) {
        const std::string before = plain->data().Get(Kind::kCompany, r.id)->name;
        EXPECT_EQ(r.name, plan->company_names[static_cast<size_t>(r.id - 1)]);
        EXPECT_EQ(r.name.substr(0, r.name.find(' ')), before.substr(0, before.find(' ')));
        EXPECT_EQ(r.name.substr(r.name.rfind(' ')), before.substr(before.rfind(' ')));
        trades.insert(r.name.substr(r.name.find(' ') + 1));
    }
    EXPECT_EQ(trades.size(), 40u);
    for (int64_t id : {1, 77, 1500}) {
        const Record c = *demo->data().Get(Kind::kContact, id);
        std::string domain;
        const std::string company = demo->data().Get(Kind::kCompany, c.company_id)->name;
        for (char ch : company) {
            if (std::isalnum(static_cast<unsigned char>(ch))) domain.push_back(static_cast<char>(std::tolower(ch)));
        }
        EXPECT_EQ(c.email.substr(c.email.find('@') + 1), domain + ".example") << c.email;
    }
}

class DemoMatchTest : public ::testing::Test {
protected:
    void SetUp() override {
        psa_ = Make("autotask", "demo");
        uniview_ = Make("uniview", "demo");
        ASSERT_TRUE(psa_ && uniview_);
        auto plan = MakeDemoPlan(DemoDatasetOptions());
        ASSERT_TRUE(plan.ok());
        plan_ = std::move(*plan);
    }

    std::unique_ptr<Simulator> psa_, uniview_;
    DemoPlan plan_;
};

TEST_F(DemoMatchTest, CustomersMatchExactlyByVariantOrNotAtAll) {
    std::vector<match::Record> organizations;
    for (const Record& c : All(psa_->data(), Kind::kCompany)) organizations.push_back({c.id, c.name});
    match::NameIndex index(organizations);
    std::map<int64_t, DemoCustomer> planned;
    for (const DemoCustomer& c : plan_.customers) planned[c.id] = c;

    std::map<CustomerCase, int> cases;
    std::map<std::string, int> decisions;
    std::set<std::string> variants;
    const std::vector<Record> customers = All(uniview_->data(), Kind::kCompany);
    ASSERT_EQ(customers.size(), plan_.customers.size());
    for (const Record& customer : customers) {
        ASSERT_EQ(planned.count(customer.id), 1u) << customer.name;
        const DemoCustomer& want = planned[customer.id];
        EXPECT_EQ(customer.name, want.name);
        ++cases[want.kind];
        const match::MatchResult m = index.Match(customer.name);
        switch (want.kind) {
            case CustomerCase::kExact:
                EXPECT_EQ(m.decision, match::Decision::kAuto) << customer.name;
                ASSERT_FALSE(m.candidates.empty());
                EXPECT_EQ(m.candidates[0].id, want.company_id);
                break;
            case CustomerCase::kVariant: {
                variants.insert(want.variant);
                const std::string psa_name = psa_->data().Get(Kind::kCompany, want.company_id)->name;
                EXPECT_NE(customer.name, psa_name);
                EXPECT_NE(m.decision, match::Decision::kNone) << customer.name << " (" << want.variant << ")";
                ASSERT_FALSE(m.candidates.empty()) << customer.name;
                EXPECT_EQ(m.candidates[0].id, want.company_id) << customer.name << " ~ " << psa_name;
                ++decisions[std::string(match::DecisionName(m.decision))];
                break;
            }
            case CustomerCase::kNoCounterpart:
            case CustomerCase::kInternal:
                EXPECT_EQ(want.company_id, 0);
                EXPECT_EQ(m.decision, match::Decision::kNone) << customer.name << ": " << m.reason;
                break;
        }
    }
    EXPECT_GE(cases[CustomerCase::kExact], 20);
    EXPECT_EQ(cases[CustomerCase::kVariant], 12);
    EXPECT_EQ(cases[CustomerCase::kNoCounterpart], 4);
    EXPECT_EQ(cases[CustomerCase::kInternal], 1);
    EXPECT_EQ(plan_.companies_without_customer.size(), 8u);
    for (const char* v :
         {"legal form removed",
          "legal form added",
          "upper case",
          "lower case",
          "punctuation",
          "\"&\" spelt \"and\"",
          "typo (a letter missing)",
          "typo (two letters swapped)",
          "a word added",
          "abbreviated"}) {
        EXPECT_EQ(variants.count(v), 1u) << v;
    }
    // Variants include both certain and uncertain spellings.
    EXPECT_GT(decisions["auto"], 0);
    EXPECT_GT(decisions["suggest"], 0);
}

TEST_F(DemoMatchTest, AssetsMatchByMacSecondInterfaceNameOrAmbiguously) {
    // The PSA's configurations as Mortar documents them in the demo: the MAC field and
    // the interfaces LAN (first MAC) and LAN 2 (second).
    std::vector<match::Configuration> configurations;
    for (const Record& r : All(psa_->data(), Kind::kConfiguration)) {
        match::Configuration c;
        c.id = r.id;
        c.organization_id = r.company_id;
        c.name = r.name;
        c.mac = r.mac;
        c.interfaces.push_back({"LAN", r.mac});
        if (!r.mac2.empty()) c.interfaces.push_back({"LAN 2", r.mac2});
        configurations.push_back(std::move(c));
    }
    match::ConfigurationIndex index(configurations);
    std::map<int64_t, DemoAsset> planned;
    for (const DemoAsset& a : plan_.assets) planned[a.id] = a;
    std::map<AssetCase, int> cases;
    std::set<std::string> spellings;
    const std::vector<Record> assets = All(uniview_->data(), Kind::kConfiguration);
    ASSERT_EQ(assets.size(), plan_.assets.size());
    std::set<int64_t> customers;
    for (const Record& c : All(uniview_->data(), Kind::kCompany)) customers.insert(c.id);
    for (const Record& asset : assets) {
        ASSERT_EQ(planned.count(asset.id), 1u) << asset.name;
        const DemoAsset& want = planned[asset.id];
        EXPECT_EQ(asset.mac, want.mac);
        EXPECT_EQ(customers.count(asset.company_id), 1u) << "asset " << asset.name << " of a listed customer";
        ++cases[want.kind];
        if (want.kind == AssetCase::kNoCounterpart && want.psa_company == 0) continue;
        const match::MatchResult m = index.Match(want.psa_company, match::Asset{asset.name, "", {asset.mac}});
        switch (want.kind) {
            case AssetCase::kMac:
            case AssetCase::kSecondMac:
                EXPECT_EQ(m.decision, match::Decision::kAuto) << asset.name << " " << asset.mac;
                ASSERT_EQ(m.candidates.size(), 1u);
                EXPECT_EQ(m.candidates[0].id, want.configurations[0]);
                if (want.kind == AssetCase::kSecondMac) {
                    EXPECT_NE(m.reason.find("LAN 2"), std::string::npos) << m.reason;
                }
                spellings.insert(
                    asset.mac.size() == 14   ? "dotted"
                    : asset.mac.size() == 12 ? "bare"
                                             : asset.mac.substr(2, 1)
                );
                break;
            case AssetCase::kAmbiguous: {
                EXPECT_EQ(m.decision, match::Decision::kSuggest) << asset.name;
                std::set<int64_t> got;
                for (const auto& c : m.candidates) got.insert(c.id);
                EXPECT_EQ(got, std::set<int64_t>(want.configurations.begin(), want.configurations.end()));
                break;
            }
            case AssetCase::kNoMac:
                EXPECT_TRUE(asset.mac.empty());
                EXPECT_EQ(m.decision, match::Decision::kSuggest) << asset.name << ": " << m.reason;
                ASSERT_FALSE(m.candidates.empty());
                EXPECT_EQ(m.candidates[0].id, want.configurations[0]);
                break;
            case AssetCase::kNoCounterpart:
                EXPECT_NE(m.decision, match::Decision::kAuto) << asset.name;
                EXPECT_TRUE(want.configurations.empty());
                break;
        }
    }
    EXPECT_GE(cases[AssetCase::kMac], 200);
    EXPECT_GE(cases[AssetCase::kSecondMac], 10);
    EXPECT_GE(cases[AssetCase::kNoMac], 10);
    EXPECT_EQ(cases[AssetCase::kAmbiguous], 4);
    EXPECT_GE(cases[AssetCase::kNoCounterpart], 20);
    // Every spelling: colons, dashes, dotted, bare.
    EXPECT_EQ(spellings, (std::set<std::string>{":", "-", "dotted", "bare"}));
}

// What a UniView client sees of the demo: the planned customers and assets over the API,
// the assets' last backups mostly successful, some with warnings, some failed.
TEST_F(DemoMatchTest, TheUniViewApiServesThePlanWithAMixOfBackupOutcomes) {
    ASSERT_TRUE(uniview_->Start("127.0.0.1", 0).ok());
    uniview_->ServeInBackground();
    std::map<std::string, std::string> settings;
    for (const auto& [k, v] : uniview_->Credentials()) settings[k] = v;
    auto client = net::NewCurlClient();
    net::HttpRequest token_req;
    token_req.method = "POST";
    token_req.url = settings["token_url"];
    token_req.SetHeader("Authorization", net::BasicAuthorization(settings["client_id"], settings["client_secret"]));
    token_req.SetHeader("Content-Type", "application/x-www-form-urlencoded");
    token_req.body = "grant_type=client_credentials";
    auto token = client->Send(token_req);
    ASSERT_TRUE(token.ok() && token->status == 200) << (token.ok() ? token->body : token.status().message());
    const std::string bearer = "Bearer " + json::Parse(token->body)->Find("access_token")->as_string();
    auto list = [&](const std::string& path) {
        std::vector<json::Value> out;
        for (int page = 1; page < 100; ++page) {
            net::HttpRequest req;
            req.url = settings["api_url"] + path + "page_size=200&page_number=" + std::to_string(page);
            req.SetHeader("Authorization", bearer);
            auto resp = client->Send(req);
            EXPECT_TRUE(resp.ok() && resp->status == 200) << path;
            if (!resp.ok() || resp->status != 200) break;
            auto rows = json::Parse(resp->body);
            EXPECT_TRUE(rows.ok() && rows->is_array());
            if (!rows.ok() || !rows->is_array() || rows->as_array().empty()) break;
            for (const json::Value& r : rows->as_array()) out.push_back(r);
        }
        return out;
    };
    const std::vector<json::Value> customers = list("/v1/customers?");
    EXPECT_EQ(customers.size(), plan_.customers.size());
    std::set<std::string> names;
    for (const json::Value& c : customers) names.insert(c.Find("name")->as_string());
    for (const DemoCustomer& c : plan_.customers) EXPECT_EQ(names.count(c.name), 1u) << c.name;

    const std::vector<json::Value> assets = list("/v1/assets?include%5Bbackups%5D=last&");
    EXPECT_EQ(assets.size(), plan_.assets.size());
    std::map<std::string, int> outcomes;
    int without_mac = 0;
    for (const json::Value& a : assets) {
        const json::Value* last = a.Find("last_backup");
        ASSERT_TRUE(last != nullptr && last->is_object()) << a.Dump();
        ++outcomes[last->Find("status")->as_string()];
        without_mac += a.Find("mac")->as_string().empty() ? 1 : 0;
    }
    EXPECT_GT(outcomes["Successful"], static_cast<int>(assets.size()) / 2);
    EXPECT_GT(outcomes["Warning"], 0);
    EXPECT_GT(outcomes["Failed"], 0);
    EXPECT_GE(without_mac, 10);
    uniview_->Stop();
}

}  // namespace
}  // namespace mortar::sim
