// SPDX-License-Identifier: AGPL-3.0-or-later
// The three connectors against the simulators over real loopback HTTP. Back-off waits
// go to a recording sleeper, so 429 storms cost no time; changes "during" a listing are
// made from the batch callback, which runs between two pages.
#include <algorithm>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "connectors/connector.hpp"
#include "core/json.hpp"
#include "core/strings.hpp"
#include "net/url.hpp"
#include "sim/simulator.hpp"

namespace mortar::connectors {
namespace {

using sim::Kind;

class RecordingSleeper : public net::Sleeper {
public:
    void SleepMillis(int64_t ms) override {
        std::lock_guard lock(mu);
        waits.push_back(ms);
    }
    std::vector<int64_t> Waits() {
        std::lock_guard lock(mu);
        return waits;
    }
    std::mutex mu;
    std::vector<int64_t> waits;
};

class SettableClock : public Clock {
public:
    int64_t NowMillis() const override { return Clock::Real().NowMillis() + offset.load(); }
    std::atomic<int64_t> offset{0};
};

struct Fetched {
    Status status;
    std::vector<ExternalRecord> records;
    int batches = 0;
    std::set<std::string> Ids() const {
        std::set<std::string> ids;
        for (const auto& r : records) ids.insert(r.external_id);
        return ids;
    }
    bool Unique() const { return Ids().size() == records.size(); }
};

Fetched FetchAll(
    Connector& c, EntityKind kind, const FetchOptions& options = {}, const std::function<void(int)>& between = {}
) {
    Fetched f;
    f.status = c.Fetch(kind, options, [&](std::span<const ExternalRecord> batch) {
        f.records.insert(f.records.end(), batch.begin(), batch.end());
        if (between) between(f.batches);
        ++f.batches;
        return Status::Ok();
    });
    return f;
}

Kind SimKind(EntityKind k) {
    switch (k) {
        case EntityKind::kCompany:
            return Kind::kCompany;
        case EntityKind::kSite:
            return Kind::kSite;
        case EntityKind::kContact:
            return Kind::kContact;
        default:
            return Kind::kConfiguration;
    }
}

int64_t Ceil(int64_t n, int64_t d) {
    return std::max<int64_t>(1, (n + d - 1) / d);
}

class ConnectorTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        sim::SimOptions o;
        o.data.companies = 40;
        o.data.contacts = 300;
        o.data.configurations = 2600;
        o.data.seed = 7;
        o.rate_limit = 0;
        auto s = sim::Simulator::Create(GetParam(), o);
        ASSERT_TRUE(s.ok()) << s.status().message();
        sim_ = std::move(*s);
        ASSERT_TRUE(sim_->Start("127.0.0.1", 0).ok());
        sim_->ServeInBackground();
        for (const auto& [k, v] : sim_->Credentials()) settings_[k] = v;
    }
    void TearDown() override {
        if (sim_) sim_->Stop();
    }

    std::unique_ptr<Connector> Make(std::map<std::string, std::string> overrides = {}, net::RetryPolicy retry = {}) {
        auto settings = settings_;
        for (auto& [k, v] : overrides) settings[k] = v;
        ConnectorEnv env;
        env.sleeper = &sleeper_;
        env.clock = &clock_;
        env.retry = retry;
        env.seed = 1;
        env.client_options = client_options_;
        auto c = MakeConnector(GetParam(), settings, env);
        EXPECT_TRUE(c.ok()) << c.status().message();
        return c.ok() ? std::move(*c) : nullptr;
    }

    // Ids of the simulator's records of `kind` that pass `keep`.
    std::set<std::string> Expected(EntityKind kind, const std::function<bool(const sim::Record&)>& keep) {
        std::set<std::string> ids;
        auto all = sim_->data().Matching(SimKind(kind), "", nullptr);
        for (int64_t id : *all) {
            auto r = sim_->data().Get(SimKind(kind), id);
            if (r && keep(*r)) ids.insert(std::to_string(id));
        }
        return ids;
    }
    std::set<std::string> Active(EntityKind kind) {
        return Expected(kind, [](const sim::Record& r) { return r.active; });
    }

    // The fewest calls a full fetch of `kind` can take: discovery or token, then pages
    // at the vendor's largest page size.
    int64_t MinimumCalls(EntityKind kind, const std::function<bool(const sim::Record&)>& keep) {
        const int64_t n = static_cast<int64_t>(Expected(kind, keep).size());
        if (GetParam() == "autotask") return 1 + Ceil(n, 500);
        if (GetParam() == "connectwise") return 1 + Ceil(n, 1000);
        // Halo: the token, then per listing its pages and one idonly check.
        if (kind != EntityKind::kConfiguration) return 1 + Ceil(n, 1000) + 1;
        int64_t calls = 2;  // token, asset types
        for (const auto& t : sim::ConfigurationTypes()) {
            const int64_t nt = static_cast<int64_t>(Expected(kind, [&](const sim::Record& r) {
                                                        return keep(r) && r.type_id == t.id;
                                                    }).size());
            calls += Ceil(nt, 1000) + 1;
        }
        return calls;
    }

    int64_t ApiRequests() const { return static_cast<int64_t>(sim_->Log().size()); }

    std::unique_ptr<sim::Simulator> sim_;
    std::map<std::string, std::string> settings_;
    RecordingSleeper sleeper_;
    SettableClock clock_;
    net::ClientOptions client_options_;
};

auto IsActive = [](const sim::Record& r) { return r.active; };

TEST_P(ConnectorTest, TestCredentialsSucceedsAndABadSecretIsCredentialsInvalid) {
    auto c = Make();
    EXPECT_TRUE(c->TestCredentials().ok());
    std::map<std::string, std::string> bad;
    if (GetParam() == "autotask") bad["secret"] = "wrong";
    if (GetParam() == "connectwise") bad["private_key"] = "wrong";
    if (GetParam() == "halopsa") bad["client_secret"] = "wrong";
    auto b = Make(bad);
    Status s = b->TestCredentials();
    EXPECT_EQ(s.code(), Code::kUnauthenticated) << s.message();
    EXPECT_EQ(s.message().find("wrong"), std::string::npos) << s.message();
    auto f = FetchAll(*b, EntityKind::kConfiguration);
    EXPECT_EQ(f.status.code(), Code::kUnauthenticated) << f.status.message();
    EXPECT_TRUE(f.records.empty());
    EXPECT_TRUE(sleeper_.Waits().empty());  // credentials are not retried
}

TEST_P(ConnectorTest, FullFetchOfEveryKindIsCompleteUniqueAndUsesTheFewestCalls) {
    for (EntityKind kind :
         {EntityKind::kCompany, EntityKind::kSite, EntityKind::kContact, EntityKind::kConfiguration}) {
        if (GetParam() == "connectwise" && kind == EntityKind::kSite) continue;  // per company; below
        auto c = Make();
        sim_->ClearLog();
        auto f = FetchAll(*c, kind);
        ASSERT_TRUE(f.status.ok()) << EntityKindName(kind) << ": " << f.status.message();
        EXPECT_TRUE(f.Unique());
        EXPECT_EQ(f.Ids(), Active(kind)) << EntityKindName(kind);
        const int64_t expected_calls = MinimumCalls(kind, IsActive);
        EXPECT_EQ(c->stats().calls, expected_calls) << EntityKindName(kind);
        EXPECT_EQ(ApiRequests(), expected_calls) << EntityKindName(kind);
        EXPECT_EQ(c->stats().retries, 0);
        for (const auto& r : f.records) {
            ASSERT_EQ(r.kind, kind);
            ASSERT_EQ(r.payload_hash.size(), 16u);
            ASSERT_FALSE(r.name.empty()) << r.external_id;
            if (kind != EntityKind::kCompany) {
                ASSERT_FALSE(r.parent_external_id.empty()) << r.external_id;
            }
            if (!(GetParam() == "autotask" && kind == EntityKind::kSite)) {  // locations carry no stamp
                ASSERT_GT(r.updated_at_ms, 0);
            }
        }
    }
}

TEST_P(ConnectorTest, ConfigurationFieldsAreNormalised) {
    auto c = Make();
    auto f = FetchAll(*c, EntityKind::kConfiguration);
    ASSERT_TRUE(f.status.ok()) << f.status.message();
    int checked = 0;
    for (const auto& r : f.records) {
        auto src = sim_->data().Get(Kind::kConfiguration, std::stoll(r.external_id));
        ASSERT_TRUE(src);
        EXPECT_EQ(r.name, src->name);
        EXPECT_EQ(r.parent_external_id, std::to_string(src->company_id));
        EXPECT_EQ(r.Field("hostname"), src->name);
        EXPECT_EQ(r.Field("serial_number"), src->serial);
        EXPECT_EQ(r.Field("mac_address"), src->mac);
        EXPECT_EQ(r.Field("ip_address"), src->ip);
        EXPECT_EQ(r.Field("type_id"), std::to_string(src->type_id));
        EXPECT_EQ(r.Field("site_id"), src->site_id ? std::to_string(src->site_id) : "");
        if (GetParam() == "autotask" && !src->mac2.empty()) {
            EXPECT_EQ(r.Field("mac_addresses"), src->mac + ", " + src->mac2);
        }
        if (GetParam() != "autotask") {
            EXPECT_EQ(r.Field("type_name"), sim::LookupName(sim::ConfigurationTypes(), src->type_id));
        }
        if (++checked == 200) break;
    }
    EXPECT_EQ(checked, 200);
}

TEST_P(ConnectorTest, InactiveRecordsAndTypeFiltersFollowTheSettings) {
    auto c = Make();
    FetchOptions o;
    o.include_inactive = true;
    o.type_ids = {"2", "7"};
    auto f = FetchAll(*c, EntityKind::kConfiguration, o);
    ASSERT_TRUE(f.status.ok()) << f.status.message();
    EXPECT_EQ(f.Ids(), Expected(EntityKind::kConfiguration, [](const sim::Record& r) {
                  return r.type_id == 2 || r.type_id == 7;
              }));
    bool saw_inactive = false;
    for (const auto& r : f.records) saw_inactive = saw_inactive || !r.active;
    EXPECT_TRUE(saw_inactive);
    FetchOptions all;
    all.include_inactive = true;
    auto companies = FetchAll(*c, EntityKind::kCompany, all);
    ASSERT_TRUE(companies.status.ok());
    EXPECT_EQ(companies.records.size(), 40u);
}

TEST_P(ConnectorTest, IncrementalFetchReturnsOnlyWhatChangedSinceTheWatermark) {
    auto c = Make();
    auto full = FetchAll(*c, EntityKind::kConfiguration);
    ASSERT_TRUE(full.status.ok());
    int64_t watermark = 0;
    for (const auto& r : full.records) watermark = std::max(watermark, r.updated_at_ms);
    auto active = Active(EntityKind::kConfiguration);
    std::vector<int64_t> changed;
    for (auto it = active.begin(); changed.size() < 3; std::advance(it, 97)) changed.push_back(std::stoll(*it));
    for (int64_t id : changed) {
        ASSERT_TRUE(
            sim_->data()
                .Update(
                    Kind::kConfiguration, id, json::Value(json::Value::Object{{"serial", "NEW"}}), sim_->NowMillis()
                )
                .ok()
        );
    }
    sim_->ClearLog();
    FetchOptions o;
    o.since_ms = watermark;
    auto inc = FetchAll(*c, EntityKind::kConfiguration, o);
    ASSERT_TRUE(inc.status.ok()) << inc.status.message();
    std::set<std::string> want;
    for (int64_t id : changed) want.insert(std::to_string(id));
    EXPECT_EQ(inc.Ids(), want);
    for (const auto& r : inc.records) EXPECT_EQ(r.Field("serial_number"), "NEW");
    if (c->SupportsIncremental(EntityKind::kConfiguration)) {
        EXPECT_EQ(ApiRequests(), 1);  // one page, filtered by the PSA
        const auto log = sim_->Log();
        const std::string sent = log.at(0).body + net::UrlDecode(log.at(0).query);
        EXPECT_TRUE(
            sent.find("lastModifiedTime") != std::string::npos || sent.find("lastUpdated > [") != std::string::npos
        ) << sent;
    } else {
        EXPECT_GT(ApiRequests(), 2);  // a full listing, filtered here
    }
}

TEST_P(ConnectorTest, ThrottlingStormIsRetriedHonouringRetryAfter) {
    auto c = Make();
    sim_->WithFaults([](sim::Faults& f) {
        f.throttle_count = 5;
        f.retry_after = "2";
    });
    auto f = FetchAll(*c, EntityKind::kConfiguration);
    ASSERT_TRUE(f.status.ok()) << f.status.message();
    EXPECT_EQ(f.Ids(), Active(EntityKind::kConfiguration));
    EXPECT_EQ(sleeper_.Waits(), std::vector<int64_t>(5, 2000));
    EXPECT_EQ(c->stats().calls, MinimumCalls(EntityKind::kConfiguration, IsActive) + 5);
    EXPECT_EQ(c->stats().retries, 5);
}

TEST_P(ConnectorTest, ServerErrorBurstIsRetriedWithBackoff) {
    auto c = Make();
    sim_->WithFaults([](sim::Faults& f) {
        f.error_count = 3;
        f.error_status = 503;
    });
    auto f = FetchAll(*c, EntityKind::kContact);
    ASSERT_TRUE(f.status.ok()) << f.status.message();
    EXPECT_EQ(f.Ids(), Active(EntityKind::kContact));
    const auto waits = sleeper_.Waits();
    ASSERT_EQ(waits.size(), 3u);
    for (size_t i = 0; i < waits.size(); ++i) EXPECT_LE(waits[i], 500LL << i);
    EXPECT_EQ(c->stats().calls, MinimumCalls(EntityKind::kContact, IsActive) + 3);
}

TEST_P(ConnectorTest, ASlowResponseTimesOutAndIsRetried) {
    client_options_.timeout = std::chrono::milliseconds(300);
    auto c = Make();
    ASSERT_TRUE(c->TestCredentials().ok());  // discovery and token before the slow one
    sim_->WithFaults([](sim::Faults& f) {
        f.slow_count = 1;
        f.slow_ms = 1500;
    });
    auto f = FetchAll(*c, EntityKind::kCompany);
    ASSERT_TRUE(f.status.ok()) << f.status.message();
    EXPECT_EQ(f.Ids(), Active(EntityKind::kCompany));
    EXPECT_EQ(c->stats().retries, 1);
}

TEST_P(ConnectorTest, ExhaustedRetriesFailTheFetchWithTheirCode) {
    net::RetryPolicy retry;
    retry.max_attempts = 3;
    auto c = Make({}, retry);
    ASSERT_TRUE(c->TestCredentials().ok());
    sim_->WithFaults([](sim::Faults& f) { f.throttle_count = 100; });
    auto f = FetchAll(*c, EntityKind::kConfiguration);
    EXPECT_EQ(f.status.code(), Code::kResourceExhausted) << f.status.message();
    sim_->WithFaults([](sim::Faults& f) {
        f.throttle_count = 0;
        f.error_count = 100;
        f.error_status = 502;
    });
    f = FetchAll(*c, EntityKind::kConfiguration);
    EXPECT_EQ(f.status.code(), Code::kUnavailable) << f.status.message();
}

TEST_P(ConnectorTest, AFailurePartWayThroughIsAnErrorAfterThePagesBefore) {
    auto c = Make();
    auto f = FetchAll(*c, EntityKind::kConfiguration, {}, [&](int batch) {
        if (batch == 0)
            sim_->WithFaults([](sim::Faults& x) {
                x.error_count = 100;
                x.error_status = 500;
            });
    });
    EXPECT_FALSE(f.status.ok());
    EXPECT_GT(f.records.size(), 0u);
    EXPECT_LT(f.records.size(), Active(EntityKind::kConfiguration).size());
}

TEST_P(ConnectorTest, DataChangingMidPaginationLosesAndRepeatsNothingOrFailsCleanly) {
    auto c = Make();
    const auto before = Active(EntityKind::kConfiguration);
    const std::string highest = *std::max_element(before.begin(), before.end(), [](const auto& a, const auto& b) {
        return std::stoll(a) < std::stoll(b);
    });
    std::string added;
    FetchOptions small;
    small.page_size = 200;
    std::string early;  // a record of the first page, deleted after it was listed
    auto f = FetchAll(*c, EntityKind::kConfiguration, small, [&](int batch) {
        if (batch != 0) return;
        const int64_t now = sim_->NowMillis();
        std::vector<int64_t> numeric;
        for (const auto& id : before) numeric.push_back(std::stoll(id));
        std::sort(numeric.begin(), numeric.end());
        const int64_t first = numeric[0];
        early = std::to_string(numeric[5]);  // on the first page of 200
        ASSERT_TRUE(sim_->data().Delete(Kind::kConfiguration, std::stoll(early)).ok());
        ASSERT_TRUE(sim_->data()
                        .Update(Kind::kConfiguration, first, json::Value(json::Value::Object{{"name", "Renamed"}}), now)
                        .ok());
        ASSERT_TRUE(sim_->data().Delete(Kind::kConfiguration, std::stoll(highest)).ok());
        auto id = sim_->data().Add(
            Kind::kConfiguration,
            json::Value(json::Value::Object{{"name", "NEW-WS-1"}, {"type_id", 1}, {"status_id", 1}}),
            now
        );
        ASSERT_TRUE(id.ok());
        added = std::to_string(*id);
    });
    EXPECT_TRUE(f.Unique());
    ASSERT_TRUE(f.status.ok()) << f.status.message();
    // Everything that exists at the end was delivered; the record deleted after it was
    // listed was delivered too (a later full sync orphans it); the one deleted before
    // its page was not.
    auto want = before;
    want.erase(highest);
    want.insert(added);
    EXPECT_EQ(f.Ids(), want);
    auto now = Active(EntityKind::kConfiguration);
    now.insert(early);
    EXPECT_EQ(now, want);
    if (GetParam() == "halopsa") {
        // The deletion shifted the later pages: the idonly check found the record that
        // slipped between two pages and fetched it alone.
        EXPECT_GE(sim_->CountRequests("/api/Asset/"), 1);
    }
}

TEST_P(ConnectorTest, TheMutateAfterFaultChangesDataBetweenPages) {
    auto c = Make();
    sim_->WithFaults([](sim::Faults& f) { f.mutate_after_pages = 1; });
    auto f = FetchAll(*c, EntityKind::kConfiguration);
    EXPECT_TRUE(f.Unique());
    ASSERT_TRUE(f.status.ok()) << f.status.message();
    // After page 1 the lowest record was renamed, the highest deleted, one added.
    EXPECT_EQ(f.Ids(), Active(EntityKind::kConfiguration));
}

TEST_P(ConnectorTest, LookupsForTypeMapping) {
    auto c = Make();
    auto types = FetchAll(*c, EntityKind::kConfigurationType);
    ASSERT_TRUE(types.status.ok()) << types.status.message();
    ASSERT_EQ(types.records.size(), sim::ConfigurationTypes().size());
    EXPECT_EQ(types.records[0].name, "Workstation");
    EXPECT_EQ(c->Supports(EntityKind::kConfigurationStatus), GetParam() == "connectwise");
    if (c->Supports(EntityKind::kConfigurationStatus)) {
        auto statuses = FetchAll(*c, EntityKind::kConfigurationStatus);
        ASSERT_TRUE(statuses.status.ok());
        EXPECT_EQ(statuses.records.size(), sim::ConfigurationStatuses().size());
    } else {
        EXPECT_EQ(FetchAll(*c, EntityKind::kConfigurationStatus).status.code(), Code::kInvalidArgument);
    }
    if (c->Supports(EntityKind::kCompanyType)) {
        auto ct = FetchAll(*c, EntityKind::kCompanyType);
        ASSERT_TRUE(ct.status.ok()) << ct.status.message();
        EXPECT_EQ(ct.records.size(), sim::CompanyTypes().size());
    }
}

TEST_P(ConnectorTest, BatchCallbackErrorsStopTheFetch) {
    auto c = Make();
    int batches = 0;
    Status s = c->Fetch(EntityKind::kConfiguration, {}, [&](std::span<const ExternalRecord>) {
        ++batches;
        return Status::Conflict("stop here");
    });
    EXPECT_EQ(s.code(), Code::kConflict);
    EXPECT_EQ(s.message(), "stop here");
    EXPECT_EQ(batches, 1);
}

INSTANTIATE_TEST_SUITE_P(
    Vendors,
    ConnectorTest,
    ::testing::Values("autotask", "connectwise", "halopsa"),
    [](const auto& info) { return info.param; }
);

// ---- vendor specifics ----

class VendorTest : public ::testing::Test {
protected:
    std::unique_ptr<sim::Simulator> Start(const std::string& vendor, sim::SimOptions o = {}) {
        o.data.companies = 30;
        o.data.configurations = o.data.configurations == 200 ? 1200 : o.data.configurations;
        auto s = sim::Simulator::Create(vendor, o);
        EXPECT_TRUE(s.ok());
        EXPECT_TRUE((*s)->Start("127.0.0.1", 0).ok());
        (*s)->ServeInBackground();
        for (const auto& [k, v] : (*s)->Credentials()) settings[k] = v;
        return std::move(*s);
    }
    std::unique_ptr<Connector> Make(const std::string& vendor) {
        ConnectorEnv env;
        env.sleeper = &sleeper;
        env.clock = &clock;
        auto c = MakeConnector(vendor, settings, env);
        EXPECT_TRUE(c.ok());
        return std::move(*c);
    }
    std::map<std::string, std::string> settings;
    RecordingSleeper sleeper;
    SettableClock clock;
};

TEST_F(VendorTest, AutotaskIdentityErrorsAreCredentialsInvalidWithoutRetries) {
    auto s = Start("autotask");
    settings["integration_code"] = "WRONG";
    auto c = Make("autotask");
    EXPECT_EQ(c->TestCredentials().code(), Code::kUnauthenticated);
    EXPECT_EQ(c->stats().calls, 2);  // zone, one refused call: a 500 naming the code is not retried
    settings["integration_code"] = s->Credentials()[3].second;
    settings["username"] = "nobody@example.test";
    auto d = Make("autotask");
    Status st = d->TestCredentials();
    EXPECT_EQ(st.code(), Code::kUnauthenticated) << st.message();
    EXPECT_EQ(d->stats().calls, 1);
    EXPECT_TRUE(sleeper.Waits().empty());
}

TEST_F(VendorTest, AutotaskContinuesPostQueriesWithPostAndTheSameBody) {
    auto s = Start("autotask");
    auto c = Make("autotask");
    FetchOptions o;
    o.include_inactive = true;
    auto f = FetchAll(*c, EntityKind::kConfiguration, o);
    ASSERT_TRUE(f.status.ok());
    EXPECT_EQ(f.records.size(), 1200u);
    auto log = s->Log();
    ASSERT_EQ(log.size(), 4u);  // zone + 3 pages of 500
    EXPECT_EQ(log[0].method, "GET");
    for (size_t i = 1; i < log.size(); ++i) {
        EXPECT_EQ(log[i].method, "POST");
        EXPECT_EQ(log[i].body, log[1].body);
        EXPECT_EQ(log[i].path.find("/query/next") != std::string::npos, i > 1) << log[i].path;
    }
    // A GET on the continuation of a POST query is refused, as the service does.
    auto client = net::NewCurlClient();
    net::HttpRequest req;
    req.url = s->base_url() + log[2].path + "?" + log[2].query;
    for (const auto& [k, v] : log[2].headers) {
        if (k == "username" || k == "secret" || k == "apiintegrationcode") req.SetHeader(k, v);
    }
    auto resp = client->Send(req);
    ASSERT_TRUE(resp.ok());
    EXPECT_EQ(resp->status, 405);
    EXPECT_NE(resp->body.find("\"errors\""), std::string::npos);
}

TEST_F(VendorTest, AutotaskFollowsTheTenantToANewZone) {
    auto s = Start("autotask");
    auto c = Make("autotask");
    ASSERT_TRUE(c->TestCredentials().ok());  // zone 1, cached
    s->MoveZone();
    FetchOptions o;
    o.include_inactive = true;
    auto f = FetchAll(*c, EntityKind::kConfiguration, o);
    ASSERT_TRUE(f.status.ok()) << f.status.message();
    EXPECT_EQ(f.records.size(), 1200u);
    // zone, threshold; the refused page in the old zone, zone again, three pages in zone 2
    EXPECT_EQ(c->stats().calls, 2 + 1 + 1 + 3);
    EXPECT_EQ(s->CountRequests("zoneInformation"), 2);
    // Moved in the middle of a listing: incomplete, then fine in the new zone.
    auto g = FetchAll(*c, EntityKind::kConfiguration, o, [&](int batch) {
        if (batch == 0) s->MoveZone();
    });
    EXPECT_EQ(g.status.code(), Code::kUnavailable) << g.status.message();
    auto h = FetchAll(*c, EntityKind::kConfiguration, o);
    ASSERT_TRUE(h.status.ok()) << h.status.message();
    EXPECT_EQ(h.records.size(), 1200u);
}

TEST_F(VendorTest, AutotaskQueriesStartedWithGetContinueWithGetAndOrLimits) {
    auto s = Start("autotask");
    auto client = net::NewCurlClient();
    auto zone = s->base_url() + "/atsim-zone1/ATServicesRest/V1.0/";
    auto send = [&](std::string method, std::string url, std::string body = {}) {
        net::HttpRequest req;
        req.method = std::move(method);
        req.url = std::move(url);
        req.body = std::move(body);
        req.SetHeader("ApiIntegrationcode", "MORTARSIMINTEGRATION");
        req.SetHeader("UserName", "api-user@mortar-sim.test");
        req.SetHeader("Secret", "sim-autotask-secret");
        req.SetHeader("Content-Type", "application/json");
        auto r = client->Send(req);
        EXPECT_TRUE(r.ok());
        return *r;
    };
    const std::string search =
        R"({"filter":[{"op":"lte","field":"ID","value":700}],"MaxRecords":500,"IncludeFields":["id","referenceTitle"]})";
    auto first = send("GET", zone + "configurationitems/query?search=" + net::UrlEncode(search));
    ASSERT_EQ(first.status, 200) << first.body;
    auto doc = json::Parse(first.body);
    ASSERT_TRUE(doc.ok());
    const auto& items = doc->Find("items")->as_array();
    EXPECT_EQ(items.size(), 500u);
    EXPECT_EQ(items[0].as_object().size(), 2u);  // IncludeFields, case-insensitive
    const std::string next = doc->Find("pageDetails")->Find("nextPageUrl")->as_string();
    EXPECT_NE(next.find("&search="), std::string::npos);
    auto second = send("GET", next);
    ASSERT_EQ(second.status, 200);
    EXPECT_EQ(json::Parse(second.body)->Find("items")->as_array().size(), 200u);
    EXPECT_EQ(send("POST", next, search).status, 405);
    // More than 500 OR conditions, a missing filter, a bad MaxRecords: errors in the envelope.
    std::string ors = R"({"filter":[{"op":"or","items":[)";
    for (int i = 0; i < 501; ++i)
        ors += std::string(i ? "," : "") + R"({"op":"eq","field":"id","value":)" + std::to_string(i) + "}";
    ors += "]}]}";
    auto many = send("POST", zone + "ConfigurationItems/query", ors);
    EXPECT_EQ(many.status, 500);
    EXPECT_NE(many.body.find("500 or fewer 'OR' conditions"), std::string::npos);
    EXPECT_EQ(send("POST", zone + "Companies/query", "{}").status, 500);
    EXPECT_EQ(
        send("POST", zone + "Companies/query", R"({"filter":[{"op":"gte","field":"id","value":0}],"MaxRecords":501})")
            .status,
        500
    );
    auto count =
        send("POST", zone + "Contacts/query/count", R"({"filter":[{"op":"eq","field":"isActive","value":1}]})");
    EXPECT_EQ(count.status, 200);
    EXPECT_NE(count.body.find("queryCount"), std::string::npos);
    EXPECT_EQ(send("GET", zone + "Companies/99999").body, R"({"item":null})");
    auto created = send("POST", zone + "Companies/3/Contacts", R"({"firstName":"Ada","lastName":"Lovelace"})");
    EXPECT_EQ(created.status, 200);
    EXPECT_NE(created.body.find("itemId"), std::string::npos);
    auto threshold = send("GET", zone + "ThresholdInformation");
    EXPECT_NE(threshold.body.find("\"externalRequestThreshold\":10000"), std::string::npos) << threshold.body;
}

TEST_F(VendorTest, HaloRateWindowAnswers429WithRetryAfter) {
    sim::SimOptions o;
    o.rate_limit = 3;
    o.rate_window_s = 300;
    auto s = Start("halopsa", o);
    auto c = Make("halopsa");
    ASSERT_TRUE(c->TestCredentials().ok());       // token + asset types: 2 of 3
    auto f = FetchAll(*c, EntityKind::kCompany);  // one page, then the idonly check is refused
    EXPECT_EQ(f.status.code(), Code::kResourceExhausted) << f.status.message();
    const auto log = s->Log();
    ASSERT_EQ(log.back().status, 429);
    EXPECT_TRUE(sleeper.Waits().empty());  // Retry-After of ~300 s is beyond the budget: no waiting
}

TEST_F(VendorTest, UniViewListsEverythingWithTheFewestCalls) {
    auto s = Start("uniview");
    EXPECT_NE(net::OriginOf(settings["token_url"]), net::OriginOf(settings["api_url"]));  // two origins
    auto c = Make("uniview");
    struct Want {
        EntityKind kind;
        size_t records;
    };
    int64_t calls = 1;  // the token
    for (const Want& w :
         {Want{EntityKind::kCompany, 30},
          Want{EntityKind::kAppliance, 30},
          Want{EntityKind::kConfiguration, 1200},
          Want{EntityKind::kBackup, 3600}}) {
        auto f = FetchAll(*c, w.kind);
        ASSERT_TRUE(f.status.ok()) << EntityKindName(w.kind) << ": " << f.status.message();
        EXPECT_EQ(f.records.size(), w.records) << EntityKindName(w.kind);
        EXPECT_TRUE(f.Unique());
        calls += (static_cast<int64_t>(w.records) + 499) / 500;
        EXPECT_EQ(c->stats().calls, calls) << EntityKindName(w.kind);
        if (w.kind != EntityKind::kConfiguration) continue;
        for (const auto& r : f.records) {
            const std::string_view status = r.Field("last_backup_status");
            ASSERT_TRUE(
                status == "Successful" || status == "Warning" || status == "Failed" || status == "InProgress" ||
                status == "Unknown"
            ) << status;
            if (status == "InProgress") {
                EXPECT_EQ(r.Field("last_backup_at"), r.Field("last_backup_started_at"));
            }
            ASSERT_FALSE(r.Field("mac_address").empty());
        }
        // Same seed, same machines as the PSA simulators: names, MACs and IPs match.
        std::map<std::string, const ExternalRecord*> by_name;
        for (const auto& r : f.records) by_name[r.name] = &r;
        for (int64_t id : {1, 2, 600, 1200}) {
            auto src = s->data().Get(Kind::kConfiguration, id);
            ASSERT_TRUE(src && by_name.count(src->name)) << id;
            EXPECT_EQ(by_name[src->name]->Field("mac_address"), src->mac);
            EXPECT_EQ(by_name[src->name]->Field("ip_address"), src->ip);
        }
    }
    EXPECT_FALSE(c->Supports(EntityKind::kContact));
    EXPECT_EQ(FetchAll(*c, EntityKind::kContact).status.code(), Code::kInvalidArgument);
}

TEST_F(VendorTest, UniViewBackupsSinceAWatermark) {
    auto s = Start("uniview");
    auto c = Make("uniview");
    auto all = FetchAll(*c, EntityKind::kBackup);
    ASSERT_TRUE(all.status.ok());
    const int64_t since = *ParseTimestamp("2025-05-31T00:00:00Z");
    size_t want = 0;
    for (const auto& r : all.records) want += *ParseTimestamp(r.Field("started_at")) >= since ? 1 : 0;
    ASSERT_GT(want, 0u);
    ASSERT_LT(want, all.records.size());
    FetchOptions o;
    o.since_ms = since;
    auto inc = FetchAll(*c, EntityKind::kBackup, o);
    ASSERT_TRUE(inc.status.ok()) << inc.status.message();
    EXPECT_EQ(inc.records.size(), want);
    EXPECT_TRUE(c->SupportsIncremental(EntityKind::kBackup));
    EXPECT_FALSE(c->SupportsIncremental(EntityKind::kConfiguration));
}

TEST_F(VendorTest, UniViewCredentialsTokensAndFaults) {
    auto s = Start("uniview");
    settings["client_secret"] = "wrong";
    Status bad = Make("uniview")->TestCredentials();
    EXPECT_EQ(bad.code(), Code::kUnauthenticated) << bad.message();
    EXPECT_EQ(bad.message().find("wrong"), std::string::npos);
    settings["client_secret"] = s->Credentials()[3].second;
    auto c = Make("uniview");
    // Throttling with Retry-After, then a token that expires in the middle of a listing.
    s->WithFaults([](sim::Faults& f) {
        f.throttle_count = 2;
        f.retry_after = "4";
    });
    FetchOptions small;
    small.page_size = 100;
    auto f = FetchAll(*c, EntityKind::kConfiguration, small, [&](int batch) {
        if (batch == 2) s->AdvanceClock(2 * 3600 * 1000);
    });
    ASSERT_TRUE(f.status.ok()) << f.status.message();
    EXPECT_EQ(f.records.size(), 1200u);
    EXPECT_EQ(sleeper.Waits(), (std::vector<int64_t>{4000, 4000}));
    // The refused one above; two throttled and one issued; one more after the expiry.
    EXPECT_EQ(s->CountRequests("/connect/token"), 5);
    // Records moving between pages: a changed total fails the listing instead of skipping.
    auto g = FetchAll(*c, EntityKind::kConfiguration, small, [&](int batch) {
        if (batch == 0) {
            ASSERT_TRUE(s->data().Delete(Kind::kConfiguration, 5).ok());
        }
    });
    EXPECT_EQ(g.status.code(), Code::kUnavailable) << g.status.message();
    EXPECT_TRUE(g.Unique());
}

TEST_F(VendorTest, UniViewProtocolDetails) {
    auto s = Start("uniview");
    auto client = net::NewCurlClient();
    net::HttpRequest req;
    req.url = s->base_url() + "/v1/customers";
    auto resp = client->Send(req);
    ASSERT_TRUE(resp.ok());
    EXPECT_EQ(resp->status, 401);
    EXPECT_EQ(resp->Header("www-authenticate").substr(0, 6), "Bearer");
    net::HttpRequest token;
    token.method = "POST";
    token.url = s->Credentials()[0].second;
    token.SetHeader("Content-Type", "application/x-www-form-urlencoded");
    token.SetHeader("Authorization", net::BasicAuthorization("mortar-sim-uniview", "sim-uniview-secret"));
    token.body = "grant_type=client_credentials";
    auto t = client->Send(token);
    ASSERT_TRUE(t.ok());
    ASSERT_EQ(t->status, 200) << t->body;
    const std::string bearer = "Bearer " + json::Parse(t->body)->Find("access_token")->as_string();
    token.body = "grant_type=password";
    EXPECT_EQ(client->Send(token)->body, R"({"error":"unsupported_grant_type"})");
    req.SetHeader("Authorization", bearer);
    req.url = s->base_url() + "/v1/appliances?page_size=7&page_number=2&order_by=name&order_direction=desc";
    resp = client->Send(req);
    ASSERT_EQ(resp->status, 200) << resp->body;
    EXPECT_EQ(resp->Header("paging-page-size"), "7");
    EXPECT_EQ(resp->Header("paging-page-number"), "2");
    EXPECT_EQ(resp->Header("paging-total-records"), "30");
    EXPECT_EQ(resp->Header("paging-total-pages"), "5");
    EXPECT_EQ(json::Parse(resp->body)->as_array().size(), 7u);
    req.url = s->base_url() + "/v1/appliances?page_number=99";
    EXPECT_EQ(client->Send(req)->body, "[]");
    req.url = s->base_url() + "/v1/assets?order_by=colour";
    EXPECT_EQ(client->Send(req)->status, 400);
    req.url = s->base_url() + "/v1/assets?page_size=2";
    auto plain = json::Parse(client->Send(req)->body);
    EXPECT_EQ(plain->as_array()[0].Find("last_backup"), nullptr);  // only when asked for
    req.url = s->base_url() + "/v1/assets?page_size=2&include%5Bbackups%5D=last&include%5Blinks%5D=all";
    auto full = json::Parse(client->Send(req)->body);
    EXPECT_NE(full->as_array()[0].Find("last_backup"), nullptr);
    EXPECT_NE(full->as_array()[0].Find("links"), nullptr);
    const std::string key = full->as_array()[0].Find("key")->as_string();
    req.url = s->base_url() + "/v1/backups?asset_key=" + key + "&status=Successful";
    auto backups = json::Parse(client->Send(req)->body);
    for (const auto& b : backups->as_array()) EXPECT_EQ(b.Find("status")->as_string(), "Successful");
    req.url = s->base_url() + "/api/epb/v1/assets?page_size=1";
    auto epb = json::Parse(client->Send(req)->body);
    ASSERT_EQ(epb->as_array().size(), 1u);
    EXPECT_NE(epb->as_array()[0].Find("storageUsedBytes"), nullptr);
    req.method = "DELETE";
    req.url = s->base_url() + "/v1/customers";
    EXPECT_EQ(client->Send(req)->status, 405);
}

TEST_F(VendorTest, ConnectWiseOrderByAndFieldsProjection) {
    auto s = Start("connectwise");
    auto client = net::NewCurlClient();
    net::HttpRequest req;
    req.url = s->base_url() +
              "/v4_6_release/apis/3.0/company/companies?pageSize=5&orderBy=" + net::UrlEncode("name desc") +
              "&fields=id,name";
    req.SetHeader("Authorization", net::BasicAuthorization("mortarsim+simPublicKey01", "simPrivateKey01"));
    req.SetHeader("clientId", s->Credentials()[4].second);
    auto resp = client->Send(req);
    ASSERT_TRUE(resp.ok());
    ASSERT_EQ(resp->status, 200) << resp->body;
    auto doc = json::Parse(resp->body);
    ASSERT_TRUE(doc.ok() && doc->is_array());
    ASSERT_EQ(doc->as_array().size(), 5u);
    std::vector<std::string> names;
    for (const auto& c : doc->as_array()) {
        EXPECT_EQ(c.as_object().size(), 2u);  // id and name only
        names.push_back(ToLower(c.Find("name")->as_string()));
    }
    EXPECT_TRUE(std::is_sorted(names.rbegin(), names.rend()));
    req.url = s->base_url() +
              "/v4_6_release/apis/3.0/company/companies/count?conditions=" + net::UrlEncode("deletedFlag = false");
    resp = client->Send(req);
    ASSERT_TRUE(resp.ok());
    EXPECT_NE(resp->body.find("\"count\":"), std::string::npos);
    req.url = s->base_url() + "/v4_6_release/apis/3.0/company/companies/99999";
    resp = client->Send(req);
    EXPECT_EQ(resp->status, 404);
    EXPECT_NE(resp->body.find("\"NotFound\""), std::string::npos);
}

TEST_F(VendorTest, HaloAssetPostCreatesAndUpdates) {
    auto s = Start("halopsa");
    auto client = net::NewCurlClient();
    net::HttpRequest token;
    token.method = "POST";
    token.url = s->base_url() + "/auth/token?tenant=mortarsim";
    token.SetHeader("Content-Type", "application/x-www-form-urlencoded");
    token.body = "grant_type=client_credentials&client_id=mortar-sim-client&client_secret=sim-halo-secret&scope=all";
    auto t = client->Send(token);
    ASSERT_TRUE(t.ok());
    ASSERT_EQ(t->status, 200) << t->body;
    const std::string bearer = "Bearer " + json::Parse(t->body)->Find("access_token")->as_string();
    net::HttpRequest post;
    post.method = "POST";
    post.url = s->base_url() + "/api/Asset";
    post.SetHeader("Authorization", bearer);
    post.SetHeader("Content-Type", "application/json");
    post.body =
        R"([{"site_id":3,"assettype_name":"workstation","inventory_number":"ACME-WS-900","key_field":"ACME-WS-900",
                    "fields":[{"name":"Serial Number","value":"5CD9"},{"id":102,"value":"00:1A:2B:3C:4D:5E"}]}])";
    auto created = client->Send(post);
    ASSERT_TRUE(created.ok());
    ASSERT_EQ(created->status, 200) << created->body;
    auto doc = json::Parse(created->body);
    const int64_t id = doc->Find("id")->as_int();
    EXPECT_EQ(doc->Find("assettype_name")->as_string(), "Workstation");
    EXPECT_EQ(doc->Find("client_id")->as_int(), 3);
    auto stored = s->data().Get(Kind::kConfiguration, id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->serial, "5CD9");
    EXPECT_EQ(stored->mac, "00:1A:2B:3C:4D:5E");
    post.body = "[{\"id\":" + std::to_string(id) + ",\"key_field\":\"RENAMED\"}]";
    auto updated = client->Send(post);
    ASSERT_EQ(updated->status, 200) << updated->body;
    EXPECT_EQ(s->data().Get(Kind::kConfiguration, id)->name, "RENAMED");
    post.body = R"([{"site_id":3,"assettype_name":"Toaster"}])";
    EXPECT_EQ(client->Send(post)->status, 400);
    token.body = "grant_type=password&client_id=mortar-sim-client&client_secret=sim-halo-secret";
    auto refused = client->Send(token);
    EXPECT_EQ(refused->status, 400);
    EXPECT_EQ(refused->body, R"({"error":"unsupported_grant_type"})");
}

TEST_F(VendorTest, ConnectWiseUnknownCompanyAndBadConditions) {
    auto s = Start("connectwise");
    settings["company_id"] = "nosuchco";
    auto c = Make("connectwise");
    Status st = c->TestCredentials();
    EXPECT_EQ(st.code(), Code::kUnauthenticated) << st.message();
    settings["company_id"] = "mortarsim";
    settings["client_id"] = "";
    EXPECT_FALSE(MakeConnector("connectwise", settings).ok());  // a missing setting
    // Navigable paging and a condition syntax error straight against the simulator.
    auto client = net::NewCurlClient();
    net::HttpRequest req;
    req.url = s->base_url() + "/v4_6_release/apis/3.0/company/configurations?pageSize=500&page=2&conditions=" +
              net::UrlEncode("type/name = \"Workstation\" and activeFlag = true");
    req.SetHeader("Authorization", net::BasicAuthorization("mortarsim+simPublicKey01", "simPrivateKey01"));
    req.SetHeader("clientId", s->Credentials()[4].second);
    auto resp = client->Send(req);
    ASSERT_TRUE(resp.ok());
    EXPECT_EQ(resp->status, 200);
    const std::string link(resp->Header("link"));
    EXPECT_NE(link.find("rel=\"prev\""), std::string::npos) << link;
    EXPECT_NE(link.find("rel=\"first\""), std::string::npos) << link;
    EXPECT_FALSE(resp->Header("api-current-version").empty());
    req.url =
        s->base_url() + "/v4_6_release/apis/3.0/company/configurations?conditions=" + net::UrlEncode("name = = 1");
    resp = client->Send(req);
    ASSERT_TRUE(resp.ok());
    EXPECT_EQ(resp->status, 400);
    EXPECT_NE(resp->body.find("\"InvalidObject\""), std::string::npos);
    req.headers.clear();
    resp = client->Send(req);
    EXPECT_EQ(resp->status, 401);
    EXPECT_NE(resp->body.find("\"Unauthorized\""), std::string::npos);
}

TEST_F(VendorTest, ConnectWiseSitesComeFromEachCompany) {
    auto s = Start("connectwise");
    auto c = Make("connectwise");
    FetchOptions o;
    o.include_inactive = true;
    auto f = FetchAll(*c, EntityKind::kSite, o);
    ASSERT_TRUE(f.status.ok()) << f.status.message();
    EXPECT_EQ(f.records.size(), 60u);  // two per company
    for (const auto& r : f.records) {
        auto src = s->data().Get(Kind::kSite, std::stoll(r.external_id));
        ASSERT_TRUE(src);
        EXPECT_EQ(r.parent_external_id, std::to_string(src->company_id));
    }
    EXPECT_EQ(c->stats().calls, 1 + 1 + 30);  // companyinfo, the company ids, one page per company
}

TEST_F(VendorTest, HaloTokenExpiryIsRefreshedAndRetriedOnce) {
    auto s = Start("halopsa");
    auto c = Make("halopsa");
    // The server's clock jumps past the token's lifetime in the middle of the listing.
    auto f = FetchAll(*c, EntityKind::kConfiguration, {}, [&](int batch) {
        if (batch == 0) s->AdvanceClock(2 * 3600 * 1000);
    });
    ASSERT_TRUE(f.status.ok()) << f.status.message();
    EXPECT_EQ(s->CountRequests("/auth/token"), 2);
    // Revoked tokens: the same.
    FetchOptions small;
    small.page_size = 20;
    auto g = FetchAll(*c, EntityKind::kContact, small, [&](int batch) {
        if (batch == 0) s->ExpireTokens();
    });
    ASSERT_TRUE(g.status.ok()) << g.status.message();
    EXPECT_EQ(s->CountRequests("/auth/token"), 3);
}

TEST_F(VendorTest, HaloTokenIsRenewedBeforeItExpires) {
    sim::SimOptions o;
    o.token_lifetime_s = 600;
    auto s = Start("halopsa", o);
    auto c = Make("halopsa");
    ASSERT_TRUE(c->TestCredentials().ok());
    clock.offset = 541 * 1000;  // within the 60 s refresh margin
    ASSERT_TRUE(c->TestCredentials().ok());
    EXPECT_EQ(s->CountRequests("/auth/token"), 2);
    for (const auto& r : s->Log()) EXPECT_NE(r.status, 401) << r.path;
}

TEST_F(VendorTest, HaloExpiredTokenFaultAndTokenEndpointErrors) {
    sim::SimOptions o;
    o.faults = "expired-token";
    auto s = Start("halopsa", o);
    auto c = Make("halopsa");
    auto f = FetchAll(*c, EntityKind::kConfiguration);  // 11 calls: a token lasts 3
    ASSERT_TRUE(f.status.ok()) << f.status.message();
    EXPECT_GE(s->CountRequests("/auth/token"), 3);
    settings["scope"] = "read:everything";
    EXPECT_EQ(Make("halopsa")->TestCredentials().code(), Code::kPermissionDenied);
    settings["scope"] = "read:customers";  // no asset rights: 403 from the API
    EXPECT_EQ(Make("halopsa")->TestCredentials().code(), Code::kPermissionDenied);
}

TEST_F(VendorTest, ControlApiOverHttp) {
    auto s = Start("halopsa");
    auto client = net::NewCurlClient();
    net::HttpRequest req;
    req.method = "POST";
    req.url = s->base_url() + "/_sim/faults";
    req.body = R"({"throttle":{"count":2,"retry_after":"3"}})";
    auto resp = client->Send(req);
    ASSERT_TRUE(resp.ok());
    EXPECT_EQ(resp->status, 200);
    req.url = s->base_url() + "/_sim/mutate";
    req.body = R"({"kind":"configurations","op":"update","id":5,"set":{"serial":"ABC"}})";
    resp = client->Send(req);
    EXPECT_EQ(resp->status, 200);
    EXPECT_EQ(s->data().Get(Kind::kConfiguration, 5)->serial, "ABC");
    req.body = R"({"kind":"configurations","op":"delete","id":99999})";
    EXPECT_EQ(client->Send(req)->status, 404);
    auto c = Make("halopsa");
    EXPECT_TRUE(c->TestCredentials().ok());
    EXPECT_EQ(sleeper.Waits(), (std::vector<int64_t>{3000, 3000}));
    net::HttpRequest log;
    log.url = s->base_url() + "/_sim/log";
    resp = client->Send(log);
    ASSERT_TRUE(resp.ok());
    auto doc = json::Parse(resp->body);
    ASSERT_TRUE(doc.ok());
    const auto& requests = doc->Find("requests")->as_array();
    ASSERT_EQ(requests.size(), 4u);  // two 429s, the token, the call
    EXPECT_EQ(requests[0].Find("status")->as_int(), 429);
    EXPECT_EQ(requests[3].Find("path")->as_string(), "/api/AssetType");
}

}  // namespace
}  // namespace mortar::connectors
