// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The PSA sync engine end to end (SPEC SYNC-1..11): a real `mortar serve` syncs from the
// Autotask, ConnectWise Manage and HaloPSA simulators over loopback HTTP. Each test has
// its own account and its own simulator, so tests never see each other's records.

#include <chrono>
#include <cstring>
#include <map>
#include <set>
#include <thread>

#include "resource_test_base.hpp"
#include "sim/simulator.hpp"

namespace mortar::ftest {
namespace {

constexpr const char* kVendors[] = {"autotask", "connectwise", "halopsa"};

std::string PsaType(std::string_view vendor) {
    return vendor == "connectwise" ? "manage" : std::string(vendor);
}

// Whether a simulator credential is secret (goes to write-only credentials).
bool IsSecret(std::string_view key) {
    return key.find("secret") != std::string_view::npos || key.find("private") != std::string_view::npos ||
           key == "public_key";
}

class SyncTest : public BackendTest {
protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        NewAccount();
    }
    // Talks to the server as a new account of its own from now on.
    void NewAccount() {
        std::string error;
        auto key = server_->CreateApiKey("sync-" + tag_ + "-" + std::to_string(++accounts_), false, &error);
        ASSERT_TRUE(key.has_value()) << error;
        api_ = std::make_unique<HttpClient>(server_->base_url(), *key);
    }
    int accounts_ = 0;
    void TearDown() override {
        for (auto& sim : sims_) sim->Stop();
        BackendTest::TearDown();
    }

    sim::Simulator* StartSim(const std::string& vendor, sim::DatasetOptions data) {
        sim::SimOptions options;
        options.data = data;
        options.rate_limit = 0;
        auto made = sim::Simulator::Create(vendor, options);
        EXPECT_TRUE(made.ok()) << made.status().message();
        if (!made.ok()) return nullptr;
        Status started = (*made)->Start("127.0.0.1", 0);
        EXPECT_TRUE(started.ok()) << started.message();
        (*made)->ServeInBackground();
        sims_.push_back(std::move(*made));
        return sims_.back().get();
    }

    // Creates an integration for the simulator; `wrong_secret` spoils its secrets.
    int64_t CreateIntegration(sim::Simulator& sim, JObject settings = {}, bool wrong_secret = false) {
        JObject connection, credentials;
        for (const auto& [k, v] : sim.Credentials()) {
            if (IsSecret(k)) {
                credentials.emplace_back(k, json::Value(wrong_secret ? v + "-wrong" : v));
            } else {
                connection.emplace_back(k, json::Value(v));
            }
        }
        HttpResponse r = api_->Post(
            "/api/integrations",
            Doc("integrations",
                {{"kind", std::string(sim.vendor())},
                 {"name", "PSA " + tag_},
                 {"connection", json::Value(connection)},
                 {"credentials", json::Value(credentials)},
                 {"settings", json::Value(settings)}})
        );
        EXPECT_EQ(r.status, 201) << r.Describe();
        if (r.status != 201) return 0;
        // Credentials are write-only: never echoed, only that they are set.
        EXPECT_EQ(
            r.body.find(credentials.empty() ? std::string("\x01") : credentials.front().second.as_string()),
            std::string::npos
        );
        EXPECT_TRUE(ValueAt(r.Json(), "data.attributes.credentials-set").as_bool()) << r.Describe();
        return IdOf(*r.Json().Find("data"));
    }

    // Starts a sync and waits for its run to finish; returns the run's attributes.
    json::Value Sync(int64_t integration, JObject attributes = {}) {
        const int64_t before = LastRunId(integration);
        HttpResponse r = api_->Post(
            "/api/integrations/" + std::to_string(integration) + "/sync",
            attributes.empty() ? std::string() : Doc("integrations", std::move(attributes))
        );
        EXPECT_EQ(r.status, 202) << r.Describe();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (std::chrono::steady_clock::now() < deadline) {
            HttpResponse runs =
                api_->Get("/api/sync_runs?filter[integration_id]=" + std::to_string(integration) + "&sort=-id");
            const json::Value data = ValueAt(runs.Json(), "data");
            if (data.is_array() && !data.as_array().empty()) {
                const json::Value& last = data.as_array().front();
                if (IdOf(last) > before && StringAt(last, "attributes.outcome") != "running") {
                    return ValueAt(last, "attributes");
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling the API for the run's end
        }
        ADD_FAILURE() << "the sync run did not finish in time";
        return json::Value();
    }

    int64_t LastRunId(int64_t integration) {
        HttpResponse runs =
            api_->Get("/api/sync_runs?filter[integration_id]=" + std::to_string(integration) + "&sort=-id");
        const json::Value data = ValueAt(runs.Json(), "data");
        return data.is_array() && !data.as_array().empty() ? IdOf(data.as_array().front()) : 0;
    }

    int64_t Total(const std::string& target) {
        HttpResponse r = api_->Get(target);
        EXPECT_EQ(r.status, 200) << r.Describe();
        return IntAt(r.Json(), "meta.total-count");
    }

    // The manage-data item of the integration and type.
    json::Value Item(int64_t integration, std::string_view type) {
        HttpResponse r = api_->Get(
            "/api/manage_data_items?filter[integration_id]=" + std::to_string(integration) +
            "&filter[data_type]=" + std::string(type)
        );
        EXPECT_EQ(r.status, 200) << r.Describe();
        const json::Value data = ValueAt(r.Json(), "data");
        if (!data.is_array() || data.as_array().size() != 1) {
            ADD_FAILURE() << r.Describe();
            return json::Value();
        }
        return data.as_array().front();
    }

    // The Mortar record linked to a PSA record (0 when none).
    int64_t Linked(const std::string& path, std::string_view vendor, int64_t psa_id) {
        HttpResponse r = api_->Get(
            path + "?filter[psa_id]=" + std::to_string(psa_id) + "&filter[psa_integration_type]=" + PsaType(vendor)
        );
        const json::Value data = ValueAt(r.Json(), "data");
        if (r.status != 200 || !data.is_array()) {
            ADD_FAILURE() << r.Describe();
            return 0;
        }
        return data.as_array().size() == 1 ? IdOf(data.as_array().front()) : 0;
    }

    // The manage-data record (link) of a Mortar record.
    int64_t LinkOf(int64_t integration, std::string_view type, int64_t record_id) {
        HttpResponse r = api_->Get(
            "/api/manage_data_records?page[size]=1000&filter[integration_id]=" + std::to_string(integration) +
            "&filter[data_type]=" + std::string(type)
        );
        const json::Value data = ValueAt(r.Json(), "data");
        if (!data.is_array()) {
            ADD_FAILURE() << r.Describe();
            return 0;
        }
        for (const json::Value& d : data.as_array()) {
            if (IntAt(d, "attributes.record-id") == record_id) return IdOf(d);
        }
        ADD_FAILURE() << "no link for " << type << " " << record_id << ": " << r.Describe();
        return 0;
    }

    std::unique_ptr<HttpClient> api_;
    std::vector<std::unique_ptr<sim::Simulator>> sims_;
};

// Full and incremental runs per vendor; the first sync links to an existing organization.
TEST_P(SyncTest, FullAndIncrementalRunsPerVendor) {
    for (const char* vendor : kVendors) {
        SCOPED_TRACE(vendor);
        NewAccount();
        sim::Simulator* sim = StartSim(vendor, {.companies = 5, .sites = -1, .contacts = 12, .configurations = 20});
        ASSERT_NE(sim, nullptr);
        // SYNC-2: an organization that already exists under the PSA company's name (in
        // another case and spacing) is linked, not duplicated.
        const auto company1 = sim->data().Get(sim::Kind::kCompany, 1);
        ASSERT_TRUE(company1.has_value());
        std::string spelled;
        for (char c : company1->name) spelled += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        HttpResponse existing = api_->Post("/api/organizations", Doc("organizations", {{"name", "  " + spelled}}));
        ASSERT_EQ(existing.status, 201) << existing.Describe();
        const int64_t existing_id = IdOf(*existing.Json().Find("data"));
        // The matching engine links one written without its legal form, too.
        int64_t variant_company = 0, variant_id = 0;
        for (int64_t c = 2; c <= 5 && !variant_company; ++c) {
            const auto company = sim->data().Get(sim::Kind::kCompany, c);
            ASSERT_TRUE(company.has_value());
            for (const char* form : {" Ltd", " LLC", " Inc", " GmbH", " BV"}) {
                if (!company->name.ends_with(form)) continue;
                const std::string base = company->name.substr(0, company->name.size() - std::strlen(form));
                HttpResponse made = api_->Post("/api/organizations", Doc("organizations", {{"name", base}}));
                ASSERT_EQ(made.status, 201) << made.Describe();
                variant_company = c;
                variant_id = IdOf(*made.Json().Find("data"));
            }
        }
        const int64_t before_orgs = Total("/api/organizations");

        const int64_t integration = CreateIntegration(
            *sim,
            {{"organizations", JObject{{"include_inactive", true}}},
             {"configurations", JObject{{"include_inactive", true}}},
             {"contacts", JObject{{"include_inactive", true}}},
             {"locations", JObject{{"include_inactive", true}}}}
        );
        ASSERT_NE(integration, 0);
        json::Value run = Sync(integration);
        ASSERT_EQ(StringAt(run, "outcome"), "ok") << run.Dump();
        EXPECT_TRUE(ValueAt(run, "full").as_bool());
        EXPECT_GT(IntAt(run, "api-calls"), 0);
        EXPECT_EQ(IntAt(run, "error-count"), 0) << run.Dump();
        EXPECT_EQ(Linked("/api/organizations", vendor, 1), existing_id);
        ASSERT_NE(variant_company, 0) << "the seeded companies 2-5 hold a legal form";
        EXPECT_EQ(Linked("/api/organizations", vendor, variant_company), variant_id);
        EXPECT_EQ(Total("/api/organizations"), before_orgs + 3);  // five companies, two matched
        EXPECT_EQ(IntAt(Item(integration, "organizations"), "attributes.syncing-count"), 5);
        EXPECT_EQ(IntAt(Item(integration, "configurations"), "attributes.syncing-count"), 20);
        EXPECT_EQ(IntAt(Item(integration, "contacts"), "attributes.syncing-count"), 12);
        EXPECT_EQ(Total("/api/configurations"), 20);
        EXPECT_GE(IntAt(run, "created-count"), 5 + 12 + 20) << run.Dump();  // sites where the vendor has them
        const int64_t config3 = Linked("/api/configurations", vendor, 3);
        ASSERT_NE(config3, 0);
        HttpResponse shown = api_->Get("/api/configurations/" + std::to_string(config3));
        EXPECT_EQ(StringAt(shown.Json(), "data.attributes.psa-integration"), PsaType(vendor));
        const auto psa3 = sim->data().Get(sim::Kind::kConfiguration, 3);
        EXPECT_EQ(StringAt(shown.Json(), "data.attributes.name"), psa3->name);
        // Typed with the PSA's own type name, also where the records carry only its id
        // (Autotask's picklists are read for it).
        EXPECT_EQ(
            StringAt(shown.Json(), "data.attributes.configuration-type-name"),
            sim::LookupName(sim::ConfigurationTypes(), psa3->type_id)
        ) << shown.body;
        if (std::string_view(vendor) == "autotask") {
            const int64_t org1 = Linked("/api/organizations", vendor, 1);
            const std::string org_type = StringAt(
                api_->Get("/api/organizations/" + std::to_string(org1)).Json(), "data.attributes.organization-type-name"
            );
            EXPECT_EQ(org_type, sim::LookupName(sim::CompanyTypes(), company1->type_id));
        }

        // A second full run changes nothing.
        json::Value again = Sync(integration);
        EXPECT_EQ(StringAt(again, "outcome"), "ok") << again.Dump();
        EXPECT_EQ(IntAt(again, "created-count"), 0);
        EXPECT_EQ(IntAt(again, "updated-count"), 0) << again.Dump();
        EXPECT_GT(IntAt(again, "unchanged-count"), 30);

        // An incremental run applies what changed upstream, and a deletion it cannot see
        // orphans nothing.
        json::Value rename = JObject{{"name", "Renamed " + tag_}};
        ASSERT_TRUE(sim->data().Update(sim::Kind::kConfiguration, 3, rename, sim->NowMillis() + 1000).ok());
        ASSERT_TRUE(sim->data().Delete(sim::Kind::kConfiguration, 4).ok());
        json::Value inc = Sync(integration, {{"full", false}});
        EXPECT_EQ(StringAt(inc, "outcome"), "ok") << inc.Dump();
        EXPECT_FALSE(ValueAt(inc, "full").as_bool());
        EXPECT_EQ(IntAt(inc, "orphaned-count"), 0);
        EXPECT_GE(IntAt(inc, "updated-count"), 1) << inc.Dump();
        shown = api_->Get("/api/configurations/" + std::to_string(config3));
        EXPECT_EQ(StringAt(shown.Json(), "data.attributes.name"), "Renamed " + tag_);
        EXPECT_EQ(IntAt(Item(integration, "configurations"), "attributes.orphaned-count"), 0);
        // The full run then sees the deletion.
        json::Value full = Sync(integration);
        EXPECT_EQ(IntAt(full, "orphaned-count"), 1) << full.Dump();
        EXPECT_EQ(IntAt(Item(integration, "configurations"), "attributes.orphaned-count"), 1);
    }
}

// SYNC-3 orphan and return; SYNC-4/5 edits and deletes; per-record disable.
TEST_P(SyncTest, OrphansReturnAndSyncedRecordsAreProtected) {
    sim::Simulator* sim = StartSim("autotask", {.companies = 3, .sites = -1, .contacts = 6, .configurations = 10});
    ASSERT_NE(sim, nullptr);
    const int64_t integration = CreateIntegration(*sim, {{"configurations", JObject{{"include_inactive", false}}}});
    ASSERT_NE(integration, 0);
    ASSERT_TRUE(sim->data().Update(sim::Kind::kConfiguration, 2, JObject{{"active", true}}, sim->NowMillis()).ok());
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    const int64_t org = Linked("/api/organizations", "autotask", 1);
    const int64_t cfg = Linked("/api/configurations", "autotask", 2);
    ASSERT_NE(org, 0);
    ASSERT_NE(cfg, 0);

    // SYNC-4: PSA-owned fields are read-only, Mortar-only ones editable; an echo of the
    // current values is fine.
    HttpResponse r = api_->Patch("/api/organizations/" + std::to_string(org), Doc("organizations", {{"name", "Mine"}}));
    EXPECT_EQ(r.status, 422) << r.Describe();
    EXPECT_NE(r.body.find("Autotask"), std::string::npos) << r.body;
    EXPECT_EQ(StringAt(r.Json(), "errors.0.source.pointer"), "/data/attributes/name");
    r = api_->Patch(
        "/api/organizations/" + std::to_string(org),
        Doc("organizations", {{"alert", "call first"}, {"quick-notes", "x"}})
    );
    EXPECT_EQ(r.status, 200) << r.Describe();
    const std::string current =
        StringAt(api_->Get("/api/configurations/" + std::to_string(cfg)).Json(), "data.attributes.name");
    r = api_->Patch(
        "/api/configurations/" + std::to_string(cfg), Doc("configurations", {{"name", current}, {"notes", "rack 4"}})
    );
    EXPECT_EQ(r.status, 200) << r.Describe();
    r = api_->Patch("/api/configurations/" + std::to_string(cfg), Doc("configurations", {{"serial-number", "X1"}}));
    EXPECT_EQ(r.status, 422) << r.Describe();
    // SYNC-5: no delete while syncing.
    r = api_->Delete("/api/configurations/" + std::to_string(cfg));
    EXPECT_EQ(r.status, 422) << r.Describe();
    EXPECT_NE(r.body.find("disable sync"), std::string::npos) << r.body;
    r = api_->Delete("/api/organizations", BulkDoc({ftest::Item("organizations", {{"id", org}})}));
    EXPECT_EQ(r.status, 422) << r.Describe();

    // Filtered out upstream (inactive) -> orphaned by the next full run; the record and
    // its Mortar-only edits stay; active again -> returns to syncing.
    ASSERT_TRUE(
        sim->data().Update(sim::Kind::kConfiguration, 2, JObject{{"active", false}}, sim->NowMillis() + 1000).ok()
    );
    json::Value run = Sync(integration);
    EXPECT_EQ(IntAt(run, "orphaned-count"), 1) << run.Dump();
    EXPECT_EQ(Linked("/api/configurations", "autotask", 2), 0);
    HttpResponse shown = api_->Get("/api/configurations/" + std::to_string(cfg));
    EXPECT_EQ(shown.status, 200);
    EXPECT_EQ(StringAt(shown.Json(), "data.attributes.notes"), "rack 4");
    EXPECT_TRUE(ValueAt(shown.Json(), "data.attributes.psa-integration").is_null());
    const int64_t link = LinkOf(integration, "configurations", cfg);
    EXPECT_EQ(
        StringAt(api_->Get("/api/manage_data_records/" + std::to_string(link)).Json(), "data.attributes.state"),
        "orphaned"
    );
    ASSERT_TRUE(
        sim->data().Update(sim::Kind::kConfiguration, 2, JObject{{"active", true}}, sim->NowMillis() + 2000).ok()
    );
    run = Sync(integration);
    EXPECT_EQ(IntAt(run, "returned-count"), 1) << run.Dump();
    EXPECT_EQ(Linked("/api/configurations", "autotask", 2), cfg);
    EXPECT_EQ(
        StringAt(api_->Get("/api/configurations/" + std::to_string(cfg)).Json(), "data.attributes.notes"), "rack 4"
    );

    // Disable sync on the record: sync leaves it alone, it can be edited and deleted.
    r = api_->Patch("/api/manage_data_records/" + std::to_string(link) + "/disable", "");
    ASSERT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(StringAt(r.Json(), "data.attributes.state"), "disabled");
    r = api_->Patch("/api/configurations/" + std::to_string(cfg), Doc("configurations", {{"serial-number", "MINE"}}));
    EXPECT_EQ(r.status, 200) << r.Describe();
    run = Sync(integration);
    EXPECT_EQ(
        StringAt(api_->Get("/api/configurations/" + std::to_string(cfg)).Json(), "data.attributes.serial-number"),
        "MINE"
    );
    r = api_->Delete("/api/configurations/" + std::to_string(cfg));
    EXPECT_EQ(r.status, 204) << r.Describe();
    run = Sync(integration);
    EXPECT_EQ(IntAt(run, "created-count"), 0) << "a disabled record deleted in Mortar stays deleted: " << run.Dump();
}

// SYNC-6 and SYNC-7: pause and reconnect a type, delete all orphaned behind the count.
TEST_P(SyncTest, DisconnectReconnectAndDeleteAllOrphaned) {
    sim::Simulator* sim = StartSim("connectwise", {.companies = 2, .sites = -1, .contacts = 4, .configurations = 8});
    ASSERT_NE(sim, nullptr);
    const int64_t integration = CreateIntegration(*sim, {{"configurations", JObject{{"include_inactive", true}}}});
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    const int64_t item_id = IdOf(Item(integration, "configurations"));
    const std::string base = "/api/manage_data_items/" + std::to_string(item_id);
    HttpResponse r = api_->Post(base + "/disconnect", Doc("manage_data_items", {{"mode", "pause"}}));
    ASSERT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(IntAt(r.Json(), "data.attributes.disconnected-count"), 8);
    EXPECT_EQ(IntAt(r.Json(), "data.attributes.syncing-count"), 0);
    // Paused records are editable and deletable, and sync leaves them alone.
    const int64_t cfg = IdOf(ValueAt(api_->Get("/api/configurations?sort=id").Json(), "data.0"));
    r = api_->Patch("/api/configurations/" + std::to_string(cfg), Doc("configurations", {{"name", "Local " + tag_}}));
    EXPECT_EQ(r.status, 200) << r.Describe();
    json::Value run = Sync(integration);
    EXPECT_EQ(
        StringAt(api_->Get("/api/configurations/" + std::to_string(cfg)).Json(), "data.attributes.name"),
        "Local " + tag_
    );
    // Reconnect: syncing again, the PSA's data applied again.
    r = api_->Post(base + "/reconnect", "");
    ASSERT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(IntAt(r.Json(), "data.attributes.syncing-count"), 8);
    run = Sync(integration);
    EXPECT_NE(
        StringAt(api_->Get("/api/configurations/" + std::to_string(cfg)).Json(), "data.attributes.name"),
        "Local " + tag_
    );

    // Orphan 3 (of 8: under the valve), then delete all orphaned with the right count.
    for (int64_t id : {6, 7, 8}) ASSERT_TRUE(sim->data().Delete(sim::Kind::kConfiguration, id).ok());
    run = Sync(integration);
    EXPECT_EQ(IntAt(run, "orphaned-count"), 3) << run.Dump();
    r = api_->Post(base + "/delete_orphaned", Doc("manage_data_items", {{"count", 2}}));
    EXPECT_EQ(r.status, 422) << r.Describe();
    EXPECT_NE(r.body.find("3"), std::string::npos);
    EXPECT_EQ(Total("/api/configurations"), 8);
    r = api_->Post(base + "/delete_orphaned", Doc("manage_data_items", {{"count", 3}}));
    ASSERT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(IntAt(r.Json(), "data.attributes.orphaned-count"), 0);
    EXPECT_EQ(Total("/api/configurations"), 5);

    // Permanently disconnect: links go, the records stay as unsynced records.
    r = api_->Post(base + "/disconnect", Doc("manage_data_items", {{"mode", "permanent"}}));
    ASSERT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(IntAt(r.Json(), "data.attributes.total-count"), 0);
    EXPECT_EQ(Total("/api/configurations"), 5);
    run = Sync(integration);
    EXPECT_EQ(Total("/api/configurations"), 5) << run.Dump();
    r = api_->Delete("/api/configurations/" + std::to_string(cfg));
    EXPECT_EQ(r.status, 204) << r.Describe();
}

// SYNC-6: a disconnect narrowed to one PSA type touches only that type's records, keeps
// new records of that type out, and a narrowed reconnect brings back only them.
TEST_P(SyncTest, DisconnectNarrowedToAPsaType) {
    sim::Simulator* sim = StartSim("connectwise", {.companies = 2, .sites = -1, .contacts = 2, .configurations = 16});
    ASSERT_NE(sim, nullptr);
    const int64_t integration = CreateIntegration(*sim, {{"configurations", JObject{{"include_inactive", true}}}});
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    // The configurations by PSA type, as Manage Data lists them.
    auto by_type = [&](std::string_view state) {
        std::map<std::string, std::vector<int64_t>> out;
        HttpResponse r = api_->Get(
            "/api/manage_data_records?page[size]=1000&filter[integration_id]=" + std::to_string(integration) +
            "&filter[data_type]=configurations&filter[state]=" + std::string(state)
        );
        EXPECT_EQ(r.status, 200) << r.Describe();
        const json::Value data = ValueAt(r.Json(), "data");
        if (!data.is_array()) return out;
        for (const json::Value& d : data.as_array()) {
            out[StringAt(d, "attributes.psa-type-id")].push_back(std::stoll(StringAt(d, "attributes.psa-id")));
        }
        return out;
    };
    const auto types = by_type("syncing");
    ASSERT_GE(types.size(), 2u) << "the data set needs configurations of two PSA types";
    const std::string type = types.begin()->first;
    const std::vector<int64_t>& of_type = types.begin()->second;
    const int64_t others = 16 - static_cast<int64_t>(of_type.size());
    const int64_t item_id = IdOf(Item(integration, "configurations"));
    const std::string base = "/api/manage_data_items/" + std::to_string(item_id);

    HttpResponse r = api_->Post(
        base + "/disconnect", Doc("manage_data_items", {{"mode", "pause"}, {"psa_type_id", json::Value(type)}})
    );
    ASSERT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(IntAt(r.Json(), "data.attributes.disconnected-count"), static_cast<int64_t>(of_type.size()));
    EXPECT_EQ(IntAt(r.Json(), "data.attributes.syncing-count"), others);
    EXPECT_EQ(StringAt(r.Json(), "data.attributes.disconnected-rules.0.psa-type-id"), type) << r.Describe();
    EXPECT_EQ(by_type("disconnected").size(), 1u);

    // Upstream changes: the paused type is left alone, the others sync, and a new record
    // of the paused type is not created.
    const int64_t paused_psa = of_type.front();
    const int64_t paused_local = Linked("/api/configurations", "connectwise", paused_psa);
    const int64_t other_psa = std::next(types.begin())->second.front();
    const int64_t other_local = Linked("/api/configurations", "connectwise", other_psa);
    ASSERT_NE(paused_local, 0);
    ASSERT_NE(other_local, 0);
    const int64_t later = sim->NowMillis() + 1000;
    ASSERT_TRUE(sim->data().Update(sim::Kind::kConfiguration, paused_psa, JObject{{"name", "P " + tag_}}, later).ok());
    ASSERT_TRUE(sim->data().Update(sim::Kind::kConfiguration, other_psa, JObject{{"name", "O " + tag_}}, later).ok());
    auto added = sim->data().Add(
        sim::Kind::kConfiguration,
        JObject{{"company_id", 1}, {"type_id", std::stoi(type)}, {"name", "New " + tag_}},
        later
    );
    ASSERT_TRUE(added.ok()) << added.status().message();
    json::Value run = Sync(integration);
    EXPECT_EQ(StringAt(run, "outcome"), "ok") << run.Dump();
    auto name_of = [&](int64_t id) {
        return StringAt(api_->Get("/api/configurations/" + std::to_string(id)).Json(), "data.attributes.name");
    };
    EXPECT_NE(name_of(paused_local), "P " + tag_);
    EXPECT_EQ(name_of(other_local), "O " + tag_);
    EXPECT_EQ(Total("/api/configurations?filter[name]=New%20" + tag_), 0);

    // Reconnect narrowed to the type: its records sync again, the new one is created.
    r = api_->Post(base + "/reconnect", Doc("manage_data_items", {{"psa_type_id", json::Value(type)}}));
    ASSERT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(IntAt(r.Json(), "data.attributes.disconnected-count"), 0);
    const json::Value rules = ValueAt(r.Json(), "data.attributes.disconnected-rules");
    EXPECT_TRUE(rules.is_array() && rules.as_array().empty()) << r.Describe();
    run = Sync(integration);
    EXPECT_EQ(StringAt(run, "outcome"), "ok") << run.Dump();
    EXPECT_EQ(name_of(paused_local), "P " + tag_);
    EXPECT_EQ(Total("/api/configurations?filter[name]=New%20" + tag_), 1);

    // Permanently disconnecting one type removes only its links; its records stay.
    r = api_->Post(
        base + "/disconnect", Doc("manage_data_items", {{"mode", "permanent"}, {"psa_type_id", json::Value(type)}})
    );
    ASSERT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(IntAt(r.Json(), "data.attributes.total-count"), others);
    EXPECT_EQ(Total("/api/configurations"), 17);
    EXPECT_EQ(api_->Delete("/api/configurations/" + std::to_string(paused_local)).status, 204);
    EXPECT_EQ(api_->Delete("/api/configurations/" + std::to_string(other_local)).status, 422);
}

// SYNC-1: the setup screen offers the PSA's own type and status lists, read from the PSA.
TEST_P(SyncTest, PsaLookupListsComeFromThePsa) {
    for (const char* vendor : kVendors) {
        SCOPED_TRACE(vendor);
        sim::Simulator* sim = StartSim(vendor, {.companies = 1, .sites = 0, .contacts = 0, .configurations = 1});
        ASSERT_NE(sim, nullptr);
        const int64_t integration = CreateIntegration(*sim);
        const std::string base = "/api/integrations/" + std::to_string(integration) + "/psa_lookups";
        HttpResponse r = api_->Get(base + "?filter[kind]=configuration_type");
        ASSERT_EQ(r.status, 200) << r.Describe();
        std::set<std::string> names;
        const json::Value data = ValueAt(r.Json(), "data");
        ASSERT_TRUE(data.is_array()) << r.Describe();
        for (const json::Value& d : data.as_array()) {
            EXPECT_EQ(StringAt(d, "type"), "psa-lookups");
            EXPECT_EQ(StringAt(d, "attributes.kind"), "configuration_type");
            EXPECT_FALSE(StringAt(d, "attributes.psa-id").empty());
            names.insert(StringAt(d, "attributes.name"));
        }
        std::set<std::string> expected;
        for (const sim::Lookup& l : sim::ConfigurationTypes()) expected.insert(l.name);
        EXPECT_EQ(names, expected) << r.Describe();
        // Every list the vendor has, and which kinds those are.
        r = api_->Get(base);
        ASSERT_EQ(r.status, 200) << r.Describe();
        const json::Value kinds = ValueAt(r.Json(), "meta.supported-kinds");
        ASSERT_TRUE(kinds.is_array()) << r.Describe();
        EXPECT_GE(kinds.as_array().size(), 1u);
        EXPECT_EQ(
            IntAt(r.Json(), "meta.total-count"), static_cast<int64_t>(ValueAt(r.Json(), "data").as_array().size())
        );
        EXPECT_TRUE(IsErrorResponse(api_->Get(base + "?filter[kind]=contact"), 400));
        // Credentials refused: 409 saying to re-enter them; no secret in the answer.
        sim->WithFaults([](sim::Faults& f) { f.bad_credentials = true; });
        r = api_->Get(base + "?filter[kind]=configuration_type");
        EXPECT_TRUE(IsErrorResponse(r, 409)) << r.Describe();
        EXPECT_NE(r.body.find("re-enter"), std::string::npos) << r.body;
        for (const auto& [k, v] : sim->Credentials()) {
            if (!IsSecret(k)) continue;
            EXPECT_EQ(r.body.find(v), std::string::npos) << k;
        }
        sim->WithFaults([](sim::Faults& f) { f.bad_credentials = false; });
        // The PSA gone: 502 naming it.
        sim->Stop();
        r = api_->Get(base + "?filter[kind]=configuration_type");
        EXPECT_TRUE(IsErrorResponse(r, 502)) << r.Describe();
        EXPECT_NE(r.body.find("could not be reached"), std::string::npos) << r.body;
    }
    // Another account's integration is a missing one.
    const int64_t theirs = IdOf(ValueAt(api_->Get("/api/integrations").Json(), "data.0"));
    NewAccount();
    EXPECT_TRUE(IsErrorResponse(api_->Get("/api/integrations/" + std::to_string(theirs) + "/psa_lookups"), 404));
}

// SYNC-9: a run that would orphan most of a type stops and asks for confirmation.
TEST_P(SyncTest, SafetyValveNeedsConfirmation) {
    sim::Simulator* sim = StartSim("halopsa", {.companies = 2, .sites = -1, .contacts = 4, .configurations = 10});
    ASSERT_NE(sim, nullptr);
    const int64_t integration = CreateIntegration(*sim, {{"configurations", JObject{{"include_inactive", true}}}});
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    for (int64_t id = 1; id <= 7; ++id) ASSERT_TRUE(sim->data().Delete(sim::Kind::kConfiguration, id).ok());
    json::Value run = Sync(integration);
    EXPECT_EQ(StringAt(run, "outcome"), "needs_confirmation") << run.Dump();
    EXPECT_EQ(IntAt(run, "orphaned-count"), 0);
    EXPECT_NE(StringAt(run, "detail").find("7 of 10"), std::string::npos) << run.Dump();
    HttpResponse shown = api_->Get("/api/integrations/" + std::to_string(integration));
    EXPECT_EQ(StringAt(shown.Json(), "data.attributes.status"), "error");
    EXPECT_EQ(IntAt(Item(integration, "configurations"), "attributes.syncing-count"), 10);
    run = Sync(integration, {{"confirm_orphans", JObject{{"configurations", 7}}}});
    EXPECT_EQ(StringAt(run, "outcome"), "ok") << run.Dump();
    EXPECT_EQ(IntAt(run, "orphaned-count"), 7);
    EXPECT_EQ(IntAt(Item(integration, "configurations"), "attributes.orphaned-count"), 7);
}

// SYNC-11: refused credentials -> Credentials invalid, until they are re-entered.
TEST_P(SyncTest, BadCredentialsMakeTheIntegrationCredentialsInvalid) {
    for (const char* vendor : kVendors) {
        SCOPED_TRACE(vendor);
        sim::Simulator* sim = StartSim(vendor, {.companies = 2, .sites = -1, .contacts = 2, .configurations = 2});
        ASSERT_NE(sim, nullptr);
        const int64_t integration = CreateIntegration(*sim, {}, /*wrong_secret=*/true);
        json::Value run = Sync(integration);
        EXPECT_EQ(StringAt(run, "outcome"), "credentials_invalid") << run.Dump();
        HttpResponse shown = api_->Get("/api/integrations/" + std::to_string(integration));
        EXPECT_EQ(StringAt(shown.Json(), "data.attributes.status"), "credentials_invalid") << shown.Describe();
        EXPECT_EQ(Total("/api/organizations?filter[psa_integration_type]=" + PsaType(vendor)), 0);
        // Re-entering them clears the state; the next run works.
        JObject credentials;
        for (const auto& [k, v] : sim->Credentials()) {
            if (IsSecret(k)) credentials.emplace_back(k, json::Value(v));
        }
        HttpResponse patched = api_->Patch(
            "/api/integrations/" + std::to_string(integration),
            Doc("integrations", {{"credentials", json::Value(credentials)}})
        );
        ASSERT_EQ(patched.status, 200) << patched.Describe();
        EXPECT_EQ(StringAt(patched.Json(), "data.attributes.status"), "never");
        run = Sync(integration);
        EXPECT_EQ(StringAt(run, "outcome"), "ok") << run.Dump();
    }
}

// SYNC-3 sync error: a record that cannot be applied fails alone, with its detail; the
// next run retries it. SYNC-11: throttling and 5xx answers are retried.
TEST_P(SyncTest, ItemErrorsFailAloneAndTransientFaultsAreRetried) {
    sim::Simulator* sim = StartSim("autotask", {.companies = 3, .sites = 0, .contacts = 3, .configurations = 6});
    ASSERT_NE(sim, nullptr);
    const int64_t integration = CreateIntegration(
        *sim,
        {{"organizations", JObject{{"include_inactive", true}}},
         {"contacts", JObject{{"include_inactive", true}}},
         {"configurations", JObject{{"include_inactive", true}}}}
    );
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    const int64_t org = Linked("/api/organizations", "autotask", 2);
    ASSERT_NE(org, 0);
    const std::string good_name =
        StringAt(api_->Get("/api/organizations/" + std::to_string(org)).Json(), "data.attributes.name");
    ASSERT_TRUE(sim->data().Update(sim::Kind::kCompany, 2, JObject{{"name", ""}}, sim->NowMillis() + 1000).ok());
    ASSERT_TRUE(
        sim->data()
            .Update(sim::Kind::kConfiguration, 1, JObject{{"name", "still syncs " + tag_}}, sim->NowMillis() + 1000)
            .ok()
    );
    json::Value run = Sync(integration);
    EXPECT_EQ(IntAt(run, "error-count"), 1) << run.Dump();
    EXPECT_GE(IntAt(run, "updated-count"), 1) << run.Dump();
    const int64_t link = LinkOf(integration, "organizations", org);
    HttpResponse shown = api_->Get("/api/manage_data_records/" + std::to_string(link));
    EXPECT_EQ(StringAt(shown.Json(), "data.attributes.state"), "error") << shown.Describe();
    EXPECT_NE(StringAt(shown.Json(), "data.attributes.error-detail").find("no name"), std::string::npos)
        << shown.Describe();
    HttpResponse errors =
        api_->Get("/api/sync_run_errors?filter[sync_run_id]=" + std::to_string(LastRunId(integration)));
    EXPECT_EQ(IntAt(errors.Json(), "meta.total-count"), 1) << errors.Describe();
    EXPECT_EQ(StringAt(errors.Json(), "data.0.attributes.psa-id"), "2");
    // The Mortar record kept its data, and in error state it may be edited.
    EXPECT_EQ(
        StringAt(api_->Get("/api/organizations/" + std::to_string(org)).Json(), "data.attributes.name"), good_name
    );
    // Fixed upstream, and with throttling and server errors on the way: retried, applied.
    ASSERT_TRUE(
        sim->data().Update(sim::Kind::kCompany, 2, JObject{{"name", "Fixed " + tag_}}, sim->NowMillis() + 2000).ok()
    );
    sim->WithFaults([](sim::Faults& f) {
        f.throttle_count = 2;
        f.retry_after = "0";
        f.error_count = 2;
        f.error_status = 503;
    });
    run = Sync(integration);
    EXPECT_EQ(StringAt(run, "outcome"), "ok") << run.Dump();
    EXPECT_EQ(IntAt(run, "error-count"), 0) << run.Dump();
    EXPECT_EQ(
        StringAt(api_->Get("/api/manage_data_records/" + std::to_string(link)).Json(), "data.attributes.state"),
        "syncing"
    );
    EXPECT_EQ(
        StringAt(api_->Get("/api/organizations/" + std::to_string(org)).Json(), "data.attributes.name"), "Fixed " + tag_
    );
}

TEST_P(SyncTest, IntegrationsValidateAndStayInTheirAccount) {
    HttpResponse r = api_->Post("/api/integrations", Doc("integrations", {{"kind", "tigerpaw"}, {"name", "x"}}));
    EXPECT_EQ(r.status, 422) << r.Describe();
    r = api_->Post(
        "/api/integrations",
        Doc("integrations", {{"kind", "autotask"}, {"name", "x"}, {"settings", JObject{{"orphan_share_percent", 150}}}})
    );
    EXPECT_EQ(r.status, 422) << r.Describe();
    r = api_->Post(
        "/api/integrations",
        Doc("integrations",
            {{"kind", "autotask"}, {"name", "x"}, {"credentials", JObject{{"secret", "s3cr3t-" + tag_}}}})
    );
    ASSERT_EQ(r.status, 201) << r.Describe();
    EXPECT_EQ(r.body.find("s3cr3t-" + tag_), std::string::npos);
    const int64_t id = IdOf(*r.Json().Find("data"));
    EXPECT_EQ(clients_->a.Get("/api/integrations/" + std::to_string(id)).status, 404);
    EXPECT_EQ(clients_->a.Post("/api/integrations/" + std::to_string(id) + "/sync", "").status, 404);
    r = api_->Get("/api/activity_events?page[size]=1000");
    EXPECT_EQ(r.body.find("s3cr3t-" + tag_), std::string::npos);
    EXPECT_EQ(api_->Get("/api/organizations?filter[psa_id]=1").status, 400);
    EXPECT_EQ(Total("/api/organizations?filter[psa_id]=1&filter[psa_integration_type]=tigerpaw"), 0);
}

INSTANTIATE_TEST_SUITE_P(All, SyncTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName);

}  // namespace
}  // namespace mortar::ftest
