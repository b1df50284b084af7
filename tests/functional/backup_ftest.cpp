// SPDX-License-Identifier: AGPL-3.0-or-later
//
// UniView integrations end to end (SPEC BACKUP-1..3, MATCH-1..5; docs/backup-api.md): a
// real `mortar serve` syncs from the UniView simulator over loopback HTTP, decides the
// matches of customers and assets, and answers the matching workflow and the backup data
// of configurations. Each test has its own account and its own simulator.

#include <chrono>
#include <thread>

#include "browser.hpp"
#include "core/clock.hpp"
#include "resource_test_base.hpp"
#include "sim/simulator.hpp"

namespace mortar::ftest {
namespace {

constexpr const char* kPassword = "backup password 123";

std::string S(int64_t v) {
    return std::to_string(v);
}

class BackupTest : public BackendTest {
protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        account_ = "backup-" + tag_;
        std::string error;
        auto key = server_->CreateApiKey(account_, false, &error);
        ASSERT_TRUE(key.has_value()) << error;
        api_ = std::make_unique<HttpClient>(server_->base_url(), *key);
    }
    void TearDown() override {
        for (auto& sim : sims_) sim->Stop();
        BackendTest::TearDown();
    }

    // A UniView simulator whose companies and configurations carry the given names and
    // MACs (configuration index -> fields).
    sim::Simulator* StartSim(sim::DatasetOptions data) {
        sim::SimOptions options;
        options.data = data;
        options.rate_limit = 0;
        auto made = sim::Simulator::Create("uniview", options);
        EXPECT_TRUE(made.ok()) << made.status().message();
        if (!made.ok()) return nullptr;
        Status started = (*made)->Start("127.0.0.1", 0);
        EXPECT_TRUE(started.ok()) << started.message();
        (*made)->ServeInBackground();
        sims_.push_back(std::move(*made));
        return sims_.back().get();
    }
    void SetSim(sim::Simulator& sim, sim::Kind kind, int64_t id, JObject fields) {
        Status s = sim.data().Update(kind, id, json::Value(std::move(fields)), sim.NowMillis());
        ASSERT_TRUE(s.ok()) << s.message();
    }

    int64_t CreateIntegration(sim::Simulator& sim, bool wrong_secret = false) {
        JObject connection, credentials;
        for (const auto& [k, v] : sim.Credentials()) {
            std::string key = k;
            std::replace(key.begin(), key.end(), '_', '-');
            if (k == "client_secret") {
                credentials.emplace_back(key, json::Value(wrong_secret ? v + "-wrong" : v));
            } else {
                connection.emplace_back(key, json::Value(v));
            }
        }
        HttpResponse r = api_->Post(
            "/api/integrations",
            Doc("integrations",
                {{"kind", "uniview"},
                 {"name", "Unitrends " + tag_},
                 {"connection", json::Value(connection)},
                 {"credentials", json::Value(credentials)}})
        );
        EXPECT_EQ(r.status, 201) << r.Describe();
        if (r.status != 201) return 0;
        EXPECT_EQ(r.body.find("sim-uniview-secret"), std::string::npos);
        return IdOf(*r.Json().Find("data"));
    }

    // Starts a sync and waits for its run to finish; returns the run's attributes.
    json::Value Sync(int64_t integration) {
        const int64_t before = LastRunId(integration);
        HttpResponse r = api_->Post("/api/integrations/" + S(integration) + "/sync", "");
        EXPECT_EQ(r.status, 202) << r.Describe();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (std::chrono::steady_clock::now() < deadline) {
            HttpResponse runs = api_->Get("/api/sync_runs?filter[integration_id]=" + S(integration) + "&sort=-id");
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
        HttpResponse runs = api_->Get("/api/sync_runs?filter[integration_id]=" + S(integration) + "&sort=-id");
        const json::Value data = ValueAt(runs.Json(), "data");
        return data.is_array() && !data.as_array().empty() ? IdOf(data.as_array().front()) : 0;
    }

    int64_t Org(const std::string& name) {
        HttpResponse r = api_->Post("/api/organizations", Doc("organizations", {{"name", name}}));
        EXPECT_EQ(r.status, 201) << r.Describe();
        return r.status == 201 ? IdOf(*r.Json().Find("data")) : 0;
    }
    int64_t Configuration(int64_t org, const std::string& name, JObject extra = {}, JArray interfaces = {}) {
        if (configuration_type_ == 0) {
            HttpResponse t =
                api_->Post("/api/configuration_types", Doc("configuration-types", {{"name", "Workstation"}}));
            EXPECT_EQ(t.status, 201) << t.Describe();
            configuration_type_ = t.status == 201 ? IdOf(*t.Json().Find("data")) : 0;
        }
        JObject attributes{{"organization-id", org}, {"name", name}, {"configuration-type-id", configuration_type_}};
        for (auto& kv : extra) attributes.push_back(kv);
        json::Value doc = json::Value(JObject{
            {"data",
             JObject{
                 {"type", "configurations"},
                 {"attributes", json::Value(attributes)},
                 {"relationships",
                  JObject{{"configuration_interfaces", JObject{{"data", json::Value(std::move(interfaces))}}}}}}}});
        HttpResponse r = api_->Post("/api/configurations", doc.Dump());
        EXPECT_EQ(r.status, 201) << r.Describe();
        return r.status == 201 ? IdOf(*r.Json().Find("data")) : 0;
    }
    static json::Value Interface(const std::string& name, const std::string& mac) {
        return json::Value(JObject{
            {"type", "configuration-interfaces"}, {"attributes", JObject{{"name", name}, {"mac-address", mac}}}});
    }

    // Every row of a list (one page of up to 1000).
    std::vector<json::Value> List(const std::string& target) {
        HttpResponse r = api_->Get(target + (target.find('?') == std::string::npos ? "?" : "&") + "page[size]=1000");
        EXPECT_EQ(r.status, 200) << r.Describe();
        std::vector<json::Value> out;
        const json::Value data = ValueAt(r.Json(), "data");
        if (data.is_array()) out = data.as_array();
        return out;
    }
    // The row named `name` of a list of backup customers or assets.
    json::Value Named(const std::string& target, const std::string& name) {
        for (const json::Value& row : List(target)) {
            if (StringAt(row, "attributes.name") == name) return row;
        }
        ADD_FAILURE() << "no " << name << " in " << target;
        return json::Value();
    }
    json::Value Action(
        const std::string& path, int64_t id, const std::string& action, JObject attributes = {}, long expect = 200
    ) {
        HttpResponse r = api_->Post(
            "/api/" + path + "/" + S(id) + "/actions/" + action,
            attributes.empty()
                ? std::string()
                : Doc(path == "backup_customers" ? "backup-customers" : "backup-assets", std::move(attributes))
        );
        EXPECT_EQ(r.status, expect) << r.Describe();
        return r.Json();
    }
    json::Value Show(const std::string& path, int64_t id) {
        HttpResponse r = api_->Get("/api/" + path + "/" + S(id));
        EXPECT_EQ(r.status, 200) << r.Describe();
        return ValueAt(r.Json(), "data");
    }
    json::Value Integration(int64_t id) {
        HttpResponse r = api_->Get("/api/integrations/" + S(id));
        EXPECT_EQ(r.status, 200) << r.Describe();
        return ValueAt(r.Json(), "data.attributes");
    }
    // Signs in a new user of this test's account with `role`.
    std::unique_ptr<Browser> User(const std::string& role) {
        std::string error;
        const std::string email = role + "-" + S(++users_) + "-" + tag_ + "@example.test";
        auto id = server_->CreateUser(email, "User " + role, role, kPassword, account_, &error);
        EXPECT_TRUE(id.has_value()) << error;
        auto b = std::make_unique<Browser>(server_->base_url());
        HttpResponse r = b->Login(email, kPassword);
        EXPECT_EQ(r.status, 201) << r.Describe();
        return b;
    }

    std::string account_;
    int64_t configuration_type_ = 0;
    int users_ = 0;
    std::unique_ptr<HttpClient> api_;
    std::vector<std::unique_ptr<sim::Simulator>> sims_;
};

// MATCH-1 and MATCH-3: auto only when certain, suggestions with score and reason, the
// rest unmatched; manual and ignored decisions survive later syncs.
TEST_P(BackupTest, CustomerDecisionsAndManualActionsSurviveSyncs) {
    sim::Simulator* sim = StartSim({.companies = 4, .sites = 0, .contacts = 0, .configurations = 4});
    ASSERT_NE(sim, nullptr);
    SetSim(*sim, sim::Kind::kCompany, 1, {{"name", "Contoso Dental, Inc."}});
    SetSim(*sim, sim::Kind::kCompany, 2, {{"name", "Fabrikam Holdings"}});
    SetSim(*sim, sim::Kind::kCompany, 3, {{"name", "Qwxyz Bakery"}});
    SetSim(*sim, sim::Kind::kCompany, 4, {{"name", "Tailspin Toys"}});
    const int64_t contoso = Org("Contoso Dental");
    const int64_t fabrikam = Org("Fabrikam Logistics");
    const int64_t integration = CreateIntegration(*sim);
    ASSERT_NE(integration, 0);
    json::Value run = Sync(integration);
    ASSERT_EQ(StringAt(run, "outcome"), "ok") << run.Dump();
    EXPECT_EQ(IntAt(run, "created-count") > 0, true) << run.Dump();
    const std::string customers = "/api/backup_customers?filter[integration_id]=" + S(integration);
    ASSERT_EQ(List(customers).size(), 4u);

    json::Value c1 = Named(customers, "Contoso Dental, Inc.");
    EXPECT_EQ(StringAt(c1, "attributes.state"), "auto") << c1.Dump();
    EXPECT_EQ(IntAt(c1, "attributes.organization-id"), contoso);
    EXPECT_EQ(StringAt(c1, "attributes.organization-name"), "Contoso Dental");
    EXPECT_NE(StringAt(c1, "attributes.reason").find("Inc"), std::string::npos) << c1.Dump();
    EXPECT_TRUE(ValueAt(c1, "attributes.suggestion").is_null());
    json::Value c2 = Named(customers, "Fabrikam Holdings");
    EXPECT_EQ(StringAt(c2, "attributes.state"), "suggested") << c2.Dump();
    EXPECT_EQ(IntAt(c2, "attributes.suggestion.organization-id"), fabrikam) << c2.Dump();
    EXPECT_GT(ValueAt(c2, "attributes.suggestion.score").as_double(), 0.0);
    EXPECT_LT(ValueAt(c2, "attributes.suggestion.score").as_double(), 1.0);
    EXPECT_FALSE(StringAt(c2, "attributes.suggestion.reason").empty());
    EXPECT_TRUE(ValueAt(c2, "attributes.organization-id").is_null());
    json::Value c3 = Named(customers, "Qwxyz Bakery");
    EXPECT_EQ(StringAt(c3, "attributes.state"), "unmatched") << c3.Dump();
    EXPECT_TRUE(ValueAt(c3, "attributes.suggestion").is_null());
    EXPECT_EQ(IntAt(c3, "attributes.appliance-count"), 1);
    EXPECT_EQ(IntAt(Integration(integration), "unmatched-customer-count"), 3);
    EXPECT_EQ(List(customers + "&filter[state]=unmatched").size(), 3u);
    EXPECT_EQ(List(customers + "&filter[state]=matched").size(), 1u);
    // filter[name] finds a part of the name, case-insensitively; % and _ are plain characters.
    EXPECT_EQ(List(customers + "&filter[name]=DENTAL").size(), 1u);
    EXPECT_EQ(List(customers + "&filter[name]=%25").size(), 0u);
    EXPECT_EQ(List(customers + "&filter[name]=_").size(), 0u);
    EXPECT_EQ(List(customers + "&filter[name]=t_y").size(), 0u);

    // Ignore survives a later sync and is not counted; unignore hands it back to the engine.
    const int64_t c3_id = IdOf(c3);
    EXPECT_EQ(StringAt(Action("backup_customers", c3_id, "ignore"), "data.attributes.state"), "ignored");
    EXPECT_EQ(IntAt(Integration(integration), "unmatched-customer-count"), 2);
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    EXPECT_EQ(StringAt(Show("backup_customers", c3_id), "attributes.state"), "ignored");
    EXPECT_EQ(List(customers + "&filter[state]=ignored").size(), 1u);
    EXPECT_EQ(StringAt(Action("backup_customers", c3_id, "unignore"), "data.attributes.state"), "unmatched");
    Action("backup_customers", IdOf(c2), "unignore", {}, 422);

    // Accept needs a suggestion; accepting makes a manual match by the user.
    Action("backup_customers", c3_id, "accept", {}, 422);
    json::Value accepted = Action("backup_customers", IdOf(c2), "accept");
    EXPECT_EQ(StringAt(accepted, "data.attributes.state"), "manual") << accepted.Dump();
    EXPECT_EQ(IntAt(accepted, "data.attributes.organization-id"), fabrikam);
    EXPECT_TRUE(ValueAt(accepted, "data.attributes.score").is_null());
    EXPECT_EQ(StringAt(accepted, "data.attributes.reason").rfind("matched by ", 0), 0u) << accepted.Dump();

    // Change match of an auto match; it survives the next sync. Several customers may
    // feed one organization.
    Action("backup_customers", IdOf(c1), "match", {{"organization-id", 999999999}}, 422);
    json::Value changed = Action("backup_customers", IdOf(c1), "match", {{"organization-id", fabrikam}});
    EXPECT_EQ(StringAt(changed, "data.attributes.state"), "manual");
    EXPECT_EQ(StringAt(changed, "data.attributes.organization-name"), "Fabrikam Logistics");
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    EXPECT_EQ(IntAt(Show("backup_customers", IdOf(c1)), "attributes.organization-id"), fabrikam);
    EXPECT_EQ(StringAt(Show("backup_customers", IdOf(c1)), "attributes.state"), "manual");
    // Unmatch returns it to the engine's decision.
    EXPECT_EQ(StringAt(Action("backup_customers", IdOf(c1), "unmatch"), "data.attributes.state"), "auto");

    // Create organization: a similar one exists -> 409 with the list; confirmed -> created.
    const int64_t similar = Org("Qwxyz Bakeries");
    json::Value shown = Show("backup_customers", c3_id);
    ASSERT_TRUE(ValueAt(shown, "attributes.similar-organizations").is_array()) << shown.Dump();
    ASSERT_FALSE(ValueAt(shown, "attributes.similar-organizations").as_array().empty()) << shown.Dump();
    EXPECT_EQ(IntAt(shown, "attributes.similar-organizations.0.organization-id"), similar);
    HttpResponse conflict = api_->Post("/api/backup_customers/" + S(c3_id) + "/actions/create_organization", "");
    ASSERT_EQ(conflict.status, 409) << conflict.Describe();
    EXPECT_EQ(
        StringAt(conflict.Json(), "errors.0.detail"), "A similar organization already exists: \"Qwxyz Bakeries\""
    );
    EXPECT_EQ(IntAt(conflict.Json(), "meta.similar-organizations.0.organization-id"), similar);
    json::Value created = Action("backup_customers", c3_id, "create_organization", {{"confirm-duplicate", true}});
    EXPECT_EQ(StringAt(created, "data.attributes.state"), "manual");
    const int64_t new_org = IntAt(created, "data.attributes.organization-id");
    EXPECT_NE(new_org, similar);
    EXPECT_EQ(StringAt(Show("organizations", new_org), "attributes.name"), "Qwxyz Bakery");
    // Without similar organizations, no confirmation is needed; the name may be given.
    json::Value c4 = Named(customers, "Tailspin Toys");
    json::Value made = Action("backup_customers", IdOf(c4), "create_organization", {{"name", "Tailspin Toys Europe"}});
    EXPECT_EQ(StringAt(made, "data.attributes.organization-name"), "Tailspin Toys Europe") << made.Dump();

    // A customer gone from the portal stays, marked not seen, and is not counted.
    ASSERT_TRUE(sim->data().Delete(sim::Kind::kCompany, 2).ok());
    Action("backup_customers", IdOf(c2), "unmatch");
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    json::Value gone = Show("backup_customers", IdOf(c2));
    EXPECT_FALSE(ValueAt(gone, "attributes.seen").as_bool()) << gone.Dump();
    EXPECT_EQ(IntAt(Integration(integration), "unmatched-customer-count"), 0);
    EXPECT_EQ(List(customers + "&filter[state]=unmatched").size(), 0u);
    EXPECT_EQ(List(customers).size(), 4u);
}

// MATCH-2 and MATCH-4: assets by MAC (any spelling, own field or interface) within the
// customer's organization; several hits are ambiguous; no MAC -> by name.
TEST_P(BackupTest, AssetsMatchByMacWithinTheOrganizationThenByName) {
    sim::Simulator* sim = StartSim({.companies = 1, .sites = 0, .contacts = 0, .configurations = 7});
    ASSERT_NE(sim, nullptr);
    SetSim(*sim, sim::Kind::kCompany, 1, {{"name", "Northwind Traders"}});
    const std::vector<std::pair<std::string, std::string>> assets = {
        {"own-mac-" + tag_, "3C:52:82:10:AA:01"},
        {"iface-mac-" + tag_, "3C:52:82:10:AA:02"},
        {"two-macs-" + tag_, "3C:52:82:10:AA:03"},
        {"ACCT-WS-07", ""},
        {"nothing-" + tag_, "3C:52:82:10:AA:05"},
        {"other-org-" + tag_, "3C:52:82:10:AA:06"},
        {"ignored-" + tag_, "3C:52:82:10:AA:07"},
    };
    for (std::size_t i = 0; i < assets.size(); ++i) {
        SetSim(
            *sim,
            sim::Kind::kConfiguration,
            static_cast<int64_t>(i) + 1,
            {{"name", assets[i].first}, {"mac", assets[i].second}, {"mac2", ""}, {"company_id", 1}}
        );
    }
    const int64_t org = Org("Northwind Traders");
    const int64_t other = Org("Litware " + tag_);
    const int64_t own = Configuration(org, "Reception PC", {{"mac-address", "3c-52-82-10-aa-01"}});
    const int64_t iface = Configuration(org, "File server", {}, {Interface("LAN", "3c52.8210.aa02")});
    const int64_t twin1 = Configuration(org, "Twin A", {{"mac-address", "3c528210aa03"}});
    const int64_t twin2 = Configuration(org, "Twin B", {}, {Interface("WAN", "3c:52:82:10:aa:03")});
    const int64_t named = Configuration(org, "acct-ws-07");
    const int64_t elsewhere = Configuration(other, "Elsewhere", {{"mac-address", "3C:52:82:10:AA:06"}});
    (void)twin1;
    const int64_t integration = CreateIntegration(*sim);
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    const std::string list = "/api/backup_assets?filter[integration_id]=" + S(integration);
    ASSERT_EQ(List(list).size(), 7u);

    json::Value a = Named(list, assets[0].first);
    EXPECT_EQ(StringAt(a, "attributes.state"), "auto") << a.Dump();
    EXPECT_EQ(IntAt(a, "attributes.configuration-id"), own);
    EXPECT_EQ(StringAt(a, "attributes.reason"), "MAC 3C:52:82:10:AA:01 of the configuration");
    EXPECT_EQ(IntAt(a, "attributes.organization-id"), org);
    EXPECT_EQ(StringAt(a, "attributes.mac-addresses.0"), "3C:52:82:10:AA:01");
    EXPECT_FALSE(StringAt(a, "attributes.last-backup-status").empty()) << a.Dump();
    EXPECT_FALSE(ValueAt(a, "attributes.recent-backups").as_array().empty()) << a.Dump();
    json::Value b = Named(list, assets[1].first);
    EXPECT_EQ(StringAt(b, "attributes.state"), "auto") << b.Dump();
    EXPECT_EQ(IntAt(b, "attributes.configuration-id"), iface);
    EXPECT_EQ(StringAt(b, "attributes.reason"), "MAC 3C:52:82:10:AA:02 on interface LAN");
    json::Value c = Named(list, assets[2].first);
    EXPECT_EQ(StringAt(c, "attributes.state"), "ambiguous") << c.Dump();
    ASSERT_EQ(ValueAt(c, "attributes.candidates").as_array().size(), 2u) << c.Dump();
    EXPECT_TRUE(ValueAt(c, "attributes.configuration-id").is_null());
    EXPECT_NE(StringAt(c, "attributes.candidates.1.reason").find("3C:52:82:10:AA:03"), std::string::npos);
    json::Value d = Named(list, "ACCT-WS-07");
    EXPECT_EQ(StringAt(d, "attributes.state"), "suggested") << d.Dump();
    EXPECT_EQ(IntAt(d, "attributes.suggestion.configuration-id"), named);
    json::Value e = Named(list, assets[4].first);
    EXPECT_EQ(StringAt(e, "attributes.state"), "unmatched") << e.Dump();
    json::Value f = Named(list, assets[5].first);
    EXPECT_EQ(StringAt(f, "attributes.state"), "unmatched") << f.Dump();  // its MAC is in another organization
    EXPECT_EQ(IntAt(Integration(integration), "unmatched-asset-count"), 5);
    EXPECT_EQ(List(list + "&filter[state]=matched").size(), 2u);
    EXPECT_EQ(List(list + "&filter[configuration_id]=" + S(own)).size(), 1u);

    // Decisions: ambiguous needs a choice; the choice must be in the organization.
    Action("backup_assets", IdOf(c), "accept", {}, 422);
    Action("backup_assets", IdOf(c), "match", {{"configuration-id", elsewhere}}, 422);
    json::Value chosen = Action("backup_assets", IdOf(c), "match", {{"configuration-id", twin2}});
    EXPECT_EQ(StringAt(chosen, "data.attributes.state"), "manual") << chosen.Dump();
    EXPECT_TRUE(ValueAt(chosen, "data.attributes.candidates").as_array().empty());
    EXPECT_EQ(StringAt(Action("backup_assets", IdOf(d), "accept"), "data.attributes.state"), "manual");
    json::Value g = Named(list, assets[6].first);
    EXPECT_EQ(StringAt(Action("backup_assets", IdOf(g), "ignore"), "data.attributes.state"), "ignored");
    // Create configuration from the backup data.
    json::Value made = Action("backup_assets", IdOf(e), "create_configuration");
    EXPECT_EQ(StringAt(made, "data.attributes.state"), "created") << made.Dump();
    EXPECT_EQ(
        StringAt(made, "meta.warning"),
        "Configurations created from backup data do not sync to the PSA unless you save them there manually."
    );
    const int64_t created = IntAt(made, "data.attributes.configuration-id");
    json::Value config = Show("configurations", created);
    EXPECT_EQ(StringAt(config, "attributes.name"), assets[4].first);
    EXPECT_EQ(IntAt(config, "attributes.organization-id"), org);
    HttpResponse by_mac = api_->Get("/api/configurations?filter[mac_address]=3c528210aa05");
    EXPECT_EQ(IntAt(by_mac.Json(), "meta.total-count"), 1) << by_mac.Describe();
    Action("backup_assets", IdOf(e), "create_configuration", {}, 422);

    // Everything survives a later sync; the portal renaming an asset updates its data.
    SetSim(*sim, sim::Kind::kConfiguration, 1, {{"ip", "10.9.8.7"}});
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    EXPECT_EQ(IntAt(Show("backup_assets", IdOf(c)), "attributes.configuration-id"), twin2);
    EXPECT_EQ(StringAt(Show("backup_assets", IdOf(d)), "attributes.state"), "manual");
    EXPECT_EQ(StringAt(Show("backup_assets", IdOf(e)), "attributes.state"), "created");
    EXPECT_EQ(StringAt(Show("backup_assets", IdOf(g)), "attributes.state"), "ignored");
    EXPECT_EQ(StringAt(Show("backup_assets", IdOf(a)), "attributes.ip-address"), "10.9.8.7");
    EXPECT_EQ(IntAt(Integration(integration), "unmatched-asset-count"), 1);
    EXPECT_EQ(StringAt(Action("backup_assets", IdOf(g), "unignore"), "data.attributes.state"), "unmatched");
    EXPECT_EQ(StringAt(Action("backup_assets", IdOf(d), "unmatch"), "data.attributes.state"), "suggested");

    // Compare data: rows for each field, differing ones marked.
    HttpResponse compared = api_->Get("/api/backup_assets/" + S(IdOf(a)) + "/compare");
    ASSERT_EQ(compared.status, 200) << compared.Describe();
    EXPECT_EQ(StringAt(compared.Json(), "data.type"), "backup-comparisons");
    const json::Value rows = ValueAt(compared.Json(), "data.attributes.rows");
    ASSERT_EQ(rows.as_array().size(), 6u) << compared.Describe();
    EXPECT_EQ(StringAt(rows, "0.label"), "Name");
    EXPECT_EQ(StringAt(rows, "0.mortar"), "Reception PC");
    EXPECT_EQ(StringAt(rows, "0.portal"), assets[0].first);
    EXPECT_TRUE(ValueAt(rows, "0.differs").as_bool());
    EXPECT_EQ(StringAt(rows, "3.label"), "MAC addresses");
    EXPECT_FALSE(ValueAt(rows, "3.differs").as_bool()) << compared.Describe();
    EXPECT_EQ(StringAt(rows, "5.mortar"), "Northwind Traders");
    EXPECT_FALSE(ValueAt(rows, "5.differs").as_bool());
    EXPECT_EQ(api_->Get("/api/backup_assets/" + S(IdOf(f)) + "/compare").status, 422);
}

// Bulk create: ids (one failing item does not stop the others) and all.
TEST_P(BackupTest, BulkCreateConfigurations) {
    sim::Simulator* sim = StartSim({.companies = 1, .sites = 0, .contacts = 0, .configurations = 5});
    ASSERT_NE(sim, nullptr);
    SetSim(*sim, sim::Kind::kCompany, 1, {{"name", "Adventure Works"}});
    for (int64_t i = 1; i <= 5; ++i) {
        SetSim(
            *sim,
            sim::Kind::kConfiguration,
            i,
            {{"name", "bulk-" + S(i) + "-" + tag_},
             {"mac", "02:00:00:00:0" + S(i) + ":01"},
             {"mac2", ""},
             {"company_id", 1}}
        );
    }
    const int64_t org = Org("Adventure Works");
    const int64_t existing = Configuration(org, "Already here", {{"mac-address", "02:00:00:00:01:01"}});
    const int64_t integration = CreateIntegration(*sim);
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    const std::string list = "/api/backup_assets?filter[integration_id]=" + S(integration);
    const int64_t matched = IdOf(Named(list, "bulk-1-" + tag_));
    EXPECT_EQ(IntAt(Show("backup_assets", matched), "attributes.configuration-id"), existing);
    const int64_t two = IdOf(Named(list, "bulk-2-" + tag_));
    const int64_t three = IdOf(Named(list, "bulk-3-" + tag_));
    const int64_t customer = IntAt(Show("backup_assets", two), "attributes.customer-id");
    HttpResponse r = api_->Post(
        "/api/backup_assets/actions/create_configurations",
        Doc("backup-assets", {{"customer-id", customer}, {"ids", JArray{two, matched, three}}})
    );
    ASSERT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(IntAt(r.Json(), "meta.created"), 2) << r.Describe();
    ASSERT_EQ(ValueAt(r.Json(), "meta.failed").as_array().size(), 1u) << r.Describe();
    EXPECT_EQ(StringAt(r.Json(), "meta.failed.0.id"), S(matched));
    EXPECT_FALSE(StringAt(r.Json(), "meta.failed.0.detail").empty());
    EXPECT_FALSE(StringAt(r.Json(), "meta.warning").empty());
    EXPECT_EQ(StringAt(r.Json(), "data.0.attributes.state"), "created");
    EXPECT_EQ(StringAt(Show("backup_assets", three), "attributes.state"), "created");
    // all: the remaining unmatched ones.
    r = api_->Post(
        "/api/backup_assets/actions/create_configurations",
        json::Value(JObject{{"customer-id", customer}, {"all", true}}).Dump()
    );
    ASSERT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(IntAt(r.Json(), "meta.created"), 2) << r.Describe();
    EXPECT_EQ(IntAt(Integration(integration), "unmatched-asset-count"), 0);
    EXPECT_EQ(IntAt(api_->Get("/api/configurations?filter[organization_id]=" + S(org)).Json(), "meta.total-count"), 5);
    // Bad bodies.
    EXPECT_EQ(
        api_->Post(
                "/api/backup_assets/actions/create_configurations", Doc("backup-assets", {{"customer-id", customer}})
        ).status,
        422
    );
    EXPECT_EQ(
        api_->Post(
                "/api/backup_assets/actions/create_configurations",
                Doc("backup-assets", {{"customer-id", 999999999}, {"all", true}})
        ).status,
        422
    );
}

// BACKUP-1 and SYNC-11: validation, refused credentials stop the schedule until they are
// re-entered; Sync now refreshes one asset, and answers 502 / 409 when it cannot.
TEST_P(BackupTest, CredentialsAndSyncNow) {
    sim::Simulator* sim = StartSim({.companies = 1, .sites = 0, .contacts = 0, .configurations = 2});
    ASSERT_NE(sim, nullptr);
    HttpResponse bad = api_->Post(
        "/api/integrations",
        Doc("integrations", {{"kind", "uniview"}, {"name", "x"}, {"credentials", JObject{{"client-secret", "s"}}}})
    );
    EXPECT_EQ(bad.status, 422) << bad.Describe();
    EXPECT_EQ(StringAt(bad.Json(), "errors.0.source.pointer"), "/data/attributes/connection/client-id");
    bad = api_->Post(
        "/api/integrations",
        Doc("integrations", {{"kind", "uniview"}, {"name", "x"}, {"connection", JObject{{"client-id", "c"}}}})
    );
    EXPECT_EQ(bad.status, 422) << bad.Describe();
    EXPECT_EQ(StringAt(bad.Json(), "errors.0.source.pointer"), "/data/attributes/credentials/client-secret");
    bad = api_->Post(
        "/api/integrations",
        Doc("integrations",
            {{"kind", "uniview"},
             {"name", "x"},
             {"connection", JObject{{"client-id", "c"}, {"token-url", "ftp://x"}}},
             {"credentials", JObject{{"client-secret", "s"}}}})
    );
    EXPECT_EQ(StringAt(bad.Json(), "errors.0.source.pointer"), "/data/attributes/connection/token-url");

    const int64_t integration = CreateIntegration(*sim, /*wrong_secret=*/true);
    json::Value run = Sync(integration);
    EXPECT_EQ(StringAt(run, "outcome"), "credentials_invalid") << run.Dump();
    EXPECT_EQ(StringAt(Integration(integration), "status"), "credentials_invalid");
    EXPECT_EQ(StringAt(run, "detail").find("-wrong"), std::string::npos);
    HttpResponse patched = api_->Patch(
        "/api/integrations/" + S(integration),
        Doc("integrations", {{"credentials", JObject{{"client-secret", "sim-uniview-secret"}}}})
    );
    ASSERT_EQ(patched.status, 200) << patched.Describe();
    EXPECT_EQ(StringAt(patched.Json(), "data.attributes.status"), "never");
    run = Sync(integration);
    ASSERT_EQ(StringAt(run, "outcome"), "ok") << run.Dump();
    EXPECT_EQ(StringAt(Integration(integration), "status"), "ok");
    // Backups are listed incrementally: from the latest start seen, less a safety margin.
    auto backup_queries = [&] {
        std::vector<std::string> out;
        for (const sim::LoggedRequest& r : sim->Log()) {
            if (r.path == "/v1/backups") out.push_back(r.query);
        }
        return out;
    };
    ASSERT_FALSE(backup_queries().empty());
    for (const std::string& q : backup_queries()) EXPECT_EQ(q.find("start_time_from"), std::string::npos) << q;
    const std::size_t listed = backup_queries().size();
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    const std::vector<std::string> queries = backup_queries();
    ASSERT_GT(queries.size(), listed);
    EXPECT_NE(queries.back().find("start_time_from="), std::string::npos) << queries.back();
    // No Manage Data for a backup portal.
    HttpResponse items = api_->Get("/api/manage_data_items?filter[integration_id]=" + S(integration));
    EXPECT_EQ(IntAt(items.Json(), "meta.total-count"), 0) << items.Describe();

    const std::string list = "/api/backup_assets?filter[integration_id]=" + S(integration);
    const std::vector<json::Value> rows = List(list);
    ASSERT_EQ(rows.size(), 2u);
    // The watermark is the latest start, held back to a job still running.
    int64_t latest = 0, running = 0;
    for (const json::Value& row : rows) {
        const json::Value backups = ValueAt(row, "attributes.recent-backups");
        for (const json::Value& b : backups.as_array()) {
            auto ms = ParseTimestamp(StringAt(b, "started-at"));
            ASSERT_TRUE(ms.ok()) << b.Dump();
            latest = std::max(latest, *ms);
            if (StringAt(b, "status") == "InProgress" && (running == 0 || *ms < running)) running = *ms;
        }
    }
    const int64_t mark = running > 0 ? std::min(latest, running) : latest;
    std::string from;
    for (const auto& [k, v] : DecodeForm(queries.back())) {
        if (k == "start_time_from") from = v;
    }
    auto from_ms = ParseTimestamp(from);
    ASSERT_TRUE(from_ms.ok()) << from;
    EXPECT_EQ(*from_ms, mark - 24 * 3600 * 1000) << from;
    const int64_t asset = IdOf(rows.front());
    const std::string before_synced = StringAt(rows.front(), "attributes.last-synced-at");
    const std::string name = StringAt(rows.front(), "attributes.name");
    int64_t config_id = 0;
    for (int64_t i = 1; i <= 2; ++i) {
        if (sim->data().Get(sim::Kind::kConfiguration, i)->name == name) config_id = i;
    }
    ASSERT_NE(config_id, 0);
    SetSim(*sim, sim::Kind::kConfiguration, config_id, {{"name", "renamed-" + tag_}, {"ip", "192.0.2.44"}});
    HttpResponse now = api_->Post("/api/backup_assets/" + S(asset) + "/actions/sync_now", "");
    ASSERT_EQ(now.status, 200) << now.Describe();
    EXPECT_EQ(StringAt(now.Json(), "data.attributes.name"), "renamed-" + tag_);
    EXPECT_EQ(StringAt(now.Json(), "data.attributes.ip-address"), "192.0.2.44");
    EXPECT_TRUE(IsTimestamp(ValueAt(now.Json(), "data.attributes.last-synced-at")));
    EXPECT_GE(StringAt(now.Json(), "data.attributes.last-synced-at"), before_synced);
    EXPECT_FALSE(ValueAt(now.Json(), "data.attributes.recent-backups").as_array().empty());

    // Refused credentials: 409, and the integration needs them re-entered.
    sim->WithFaults([](sim::Faults& f) { f.bad_credentials = true; });
    sim->ExpireTokens();
    now = api_->Post("/api/backup_assets/" + S(asset) + "/actions/sync_now", "");
    EXPECT_EQ(now.status, 409) << now.Describe();
    EXPECT_EQ(StringAt(now.Json(), "errors.0.detail"), "Credentials invalid: re-enter them in the integration");
    EXPECT_EQ(StringAt(Integration(integration), "status"), "credentials_invalid");
    sim->WithFaults([](sim::Faults& f) { f.bad_credentials = false; });
    // Unreachable: 502 with a detail and no secret.
    sim->Stop();
    now = api_->Post("/api/backup_assets/" + S(asset) + "/actions/sync_now", "");
    EXPECT_EQ(now.status, 502) << now.Describe();
    EXPECT_NE(StringAt(now.Json(), "errors.0.detail").find("UniView"), std::string::npos);
    EXPECT_EQ(now.body.find("sim-uniview-secret"), std::string::npos);
    EXPECT_EQ(api_->Post("/api/backup_assets/999999999/actions/sync_now", "").status, 404);
}

// Roles: matching is for administrators and managers; backup data follows the
// configuration's visibility; Sync now needs Editor.
TEST_P(BackupTest, RolesAndVisibility) {
    sim::Simulator* sim = StartSim({.companies = 1, .sites = 0, .contacts = 0, .configurations = 1});
    ASSERT_NE(sim, nullptr);
    SetSim(*sim, sim::Kind::kCompany, 1, {{"name", "Wide World Importers"}});
    SetSim(*sim, sim::Kind::kConfiguration, 1, {{"mac", "02:11:22:33:44:55"}, {"mac2", ""}, {"company_id", 1}});
    const int64_t org = Org("Wide World Importers");
    const int64_t config = Configuration(org, "Importer PC", {{"mac-address", "02:11:22:33:44:55"}});
    const int64_t integration = CreateIntegration(*sim);
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    const std::vector<json::Value> customers = List("/api/backup_customers?filter[integration_id]=" + S(integration));
    ASSERT_EQ(customers.size(), 1u);
    const int64_t customer = IdOf(customers.front());
    const std::vector<json::Value> assets = List("/api/backup_assets?filter[integration_id]=" + S(integration));
    ASSERT_EQ(assets.size(), 1u);
    const int64_t asset = IdOf(assets.front());
    ASSERT_EQ(IntAt(assets.front(), "attributes.configuration-id"), config) << assets.front().Dump();

    auto manager = User("manager");
    EXPECT_EQ(manager->Get("/api/backup_customers?filter[integration_id]=" + S(integration)).status, 200);
    EXPECT_EQ(manager->Post("/api/backup_customers/" + S(customer) + "/actions/ignore", "").status, 200);
    EXPECT_EQ(manager->Post("/api/backup_customers/" + S(customer) + "/actions/unignore", "").status, 200);
    for (const char* role : {"lite", "read-only"}) {
        SCOPED_TRACE(role);
        auto user = User(role);
        EXPECT_EQ(user->Get("/api/backup_customers").status, 403);
        EXPECT_EQ(user->Get("/api/backup_customers/" + S(customer)).status, 403);
        EXPECT_EQ(user->Post("/api/backup_customers/" + S(customer) + "/actions/ignore", "").status, 403);
        EXPECT_EQ(user->Get("/api/backup_assets?filter[integration_id]=" + S(integration)).status, 403);
        EXPECT_EQ(user->Post("/api/backup_assets/" + S(asset) + "/actions/ignore", "").status, 403);
        EXPECT_EQ(
            user->Post(
                    "/api/backup_assets/actions/create_configurations", Doc("backup-assets", {{"all", true}})
            ).status,
            403
        );
        // The configuration's backup data is theirs to read.
        HttpResponse data = user->Get("/api/backup_assets?filter[configuration_id]=" + S(config));
        EXPECT_EQ(data.status, 200) << data.Describe();
        EXPECT_EQ(IntAt(data.Json(), "meta.total-count"), 1) << data.Describe();
        EXPECT_EQ(user->Get("/api/backup_assets/" + S(asset)).status, 200);
        EXPECT_EQ(user->Get("/api/backup_assets/" + S(asset) + "/compare").status, 200);
        EXPECT_EQ(user->Post("/api/backup_assets/" + S(asset) + "/actions/sync_now", "").status, 403);
    }
    auto editor = User("editor");
    EXPECT_EQ(editor->Post("/api/backup_assets/" + S(asset) + "/actions/sync_now", "").status, 200);
    EXPECT_EQ(editor->Get("/api/backup_assets?filter[integration_id]=" + S(integration)).status, 403);
    // A restricted configuration is invisible: its backup data answers like a missing one.
    HttpResponse restricted =
        api_->Patch("/api/configurations/" + S(config), Doc("configurations", {{"restricted", true}}));
    ASSERT_EQ(restricted.status, 200) << restricted.Describe();
    // A manager still matches the asset but does not see the restricted configuration's name.
    HttpResponse managed = manager->Get("/api/backup_assets/" + S(asset));
    ASSERT_EQ(managed.status, 200) << managed.Describe();
    EXPECT_EQ(IntAt(managed.Json(), "data.attributes.configuration-id"), config);
    EXPECT_TRUE(ValueAt(managed.Json(), "data.attributes.configuration-name").is_null()) << managed.Describe();
    EXPECT_EQ(
        StringAt(api_->Get("/api/backup_assets/" + S(asset)).Json(), "data.attributes.configuration-name"),
        "Importer PC"
    );
    auto reader = User("read-only");
    EXPECT_EQ(reader->Get("/api/backup_assets/" + S(asset)).status, 404);
    EXPECT_EQ(reader->Get("/api/backup_assets/" + S(asset) + "/compare").status, 404);
    EXPECT_EQ(
        IntAt(reader->Get("/api/backup_assets?filter[configuration_id]=" + S(config)).Json(), "meta.total-count"), 0
    );
    EXPECT_EQ(editor->Post("/api/backup_assets/" + S(asset) + "/actions/sync_now", "").status, 404);
    // Another account sees nothing.
    EXPECT_EQ(clients_->a.Get("/api/backup_assets/" + S(asset)).status, 404);
    EXPECT_EQ(clients_->a.Get("/api/backup_customers/" + S(customer)).status, 404);
}

// Deleting an organization or configuration leaves the matching rows unmatched, never
// pointing at a missing record.
TEST_P(BackupTest, DeletionsLeaveRowsUnmatched) {
    sim::Simulator* sim = StartSim({.companies = 1, .sites = 0, .contacts = 0, .configurations = 3});
    ASSERT_NE(sim, nullptr);
    SetSim(*sim, sim::Kind::kCompany, 1, {{"name", "Blue Yonder Airlines"}});
    SetSim(*sim, sim::Kind::kConfiguration, 1, {{"mac", "02:aa:00:00:00:01"}, {"mac2", ""}, {"company_id", 1}});
    SetSim(*sim, sim::Kind::kConfiguration, 2, {{"mac", "02:aa:00:00:00:02"}, {"mac2", ""}, {"company_id", 1}});
    SetSim(*sim, sim::Kind::kConfiguration, 3, {{"mac", "02:aa:00:00:00:03"}, {"mac2", ""}, {"company_id", 1}});
    const int64_t org = Org("Blue Yonder Airlines");
    const int64_t one = Configuration(org, "One", {{"mac-address", "02:aa:00:00:00:01"}});
    Configuration(org, "Two", {{"mac-address", "02:aa:00:00:00:02"}});
    const int64_t twin_a = Configuration(org, "Three A", {{"mac-address", "02:aa:00:00:00:03"}});
    Configuration(org, "Three B", {}, {Interface("LAN", "02:aa:00:00:00:03")});
    const int64_t integration = CreateIntegration(*sim);
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    const std::string list = "/api/backup_assets?filter[integration_id]=" + S(integration);
    auto find = [&](int64_t config) -> json::Value {
        for (const json::Value& row : List(list)) {
            if (!ValueAt(row, "attributes.configuration-id").is_null() &&
                IntAt(row, "attributes.configuration-id") == config)
                return row;
        }
        return json::Value();
    };
    const json::Value matched = find(one);
    ASSERT_FALSE(matched.is_null());
    json::Value ambiguous;
    for (const json::Value& row : List(list)) {
        if (StringAt(row, "attributes.state") == "ambiguous") ambiguous = row;
    }
    ASSERT_FALSE(ambiguous.is_null());
    ASSERT_EQ(ValueAt(ambiguous, "attributes.candidates").as_array().size(), 2u);

    ASSERT_EQ(api_->Delete("/api/configurations/" + S(one)).status, 204);
    json::Value after = Show("backup_assets", IdOf(matched));
    EXPECT_EQ(StringAt(after, "attributes.state"), "unmatched") << after.Dump();
    EXPECT_TRUE(ValueAt(after, "attributes.configuration-id").is_null());
    ASSERT_EQ(api_->Delete("/api/configurations/" + S(twin_a)).status, 204);
    after = Show("backup_assets", IdOf(ambiguous));
    ASSERT_EQ(ValueAt(after, "attributes.candidates").as_array().size(), 1u) << after.Dump();
    // The only candidate left may be accepted.
    EXPECT_EQ(StringAt(Action("backup_assets", IdOf(ambiguous), "accept"), "data.attributes.state"), "manual");

    const std::vector<json::Value> customers = List("/api/backup_customers?filter[integration_id]=" + S(integration));
    ASSERT_EQ(customers.size(), 1u);
    ASSERT_EQ(StringAt(customers.front(), "attributes.state"), "auto");
    ASSERT_EQ(api_->Delete("/api/organizations/" + S(org)).status, 204);
    json::Value customer = Show("backup_customers", IdOf(customers.front()));
    EXPECT_EQ(StringAt(customer, "attributes.state"), "unmatched") << customer.Dump();
    EXPECT_TRUE(ValueAt(customer, "attributes.organization-id").is_null());
    for (const json::Value& row : List(list)) {
        EXPECT_EQ(StringAt(row, "attributes.state"), "unmatched") << row.Dump();
        EXPECT_TRUE(ValueAt(row, "attributes.configuration-id").is_null());
        EXPECT_TRUE(ValueAt(row, "attributes.organization-id").is_null());
    }
    // The next sync decides again, and nothing points at the deleted records.
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    EXPECT_EQ(StringAt(Show("backup_customers", IdOf(customers.front())), "attributes.state"), "unmatched");
    // Assets of an unmatched customer wait for the customer's decision: not counted.
    EXPECT_EQ(IntAt(Integration(integration), "unmatched-asset-count"), 0);
    EXPECT_EQ(IntAt(Show("backup_customers", IdOf(customers.front())), "attributes.unmatched-asset-count"), 3);
}

// BACKUP-3: while a backup runs, the last backup is the previous finished job.
TEST_P(BackupTest, RunningBackupShowsThePreviousFinishedOne) {
    sim::Simulator* sim = StartSim({.companies = 2, .sites = 0, .contacts = 0, .configurations = 200});
    ASSERT_NE(sim, nullptr);
    const int64_t integration = CreateIntegration(*sim);
    ASSERT_EQ(StringAt(Sync(integration), "outcome"), "ok");
    int running = 0;
    for (const json::Value& row : List("/api/backup_assets?filter[integration_id]=" + S(integration))) {
        const json::Value backups = ValueAt(row, "attributes.recent-backups");
        ASSERT_FALSE(backups.as_array().empty()) << row.Dump();
        if (StringAt(row, "attributes.last-backup-status") != "InProgress") {
            EXPECT_EQ(StringAt(row, "attributes.last-backup-at"), StringAt(backups, "0.completed-at")) << row.Dump();
            continue;
        }
        ++running;
        EXPECT_EQ(StringAt(backups, "0.status"), "InProgress") << row.Dump();
        EXPECT_TRUE(ValueAt(backups, "0.completed-at").is_null()) << row.Dump();
        EXPECT_EQ(StringAt(row, "attributes.last-backup-at"), StringAt(backups, "1.completed-at")) << row.Dump();
        EXPECT_TRUE(ValueAt(row, "attributes.last-backup-successful").is_null());
    }
    // The simulator's seeded data has jobs still running among 200 assets.
    EXPECT_GT(running, 0);
}

INSTANTIATE_TEST_SUITE_P(All, BackupTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName);

}  // namespace
}  // namespace mortar::ftest
