// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Background jobs across processes (SPEC OPS-3) and crash safety of sync runs (QA-2):
// two `mortar serve` processes on one PostgreSQL claim every job exactly once; a server
// killed at random points of a large sync, again and again, leaves a store the next run
// converges from, with no lost edit and no duplicate link or record.

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "api_checks.hpp"
#include "harness.hpp"
#include "sim/simulator.hpp"

namespace mortar::ftest {
namespace {

using Steady = std::chrono::steady_clock;

std::unique_ptr<sim::Simulator> StartSim(sim::DatasetOptions data) {
    sim::SimOptions options;
    options.data = data;
    options.rate_limit = 0;
    auto made = sim::Simulator::Create("autotask", options);
    if (!made.ok()) return nullptr;
    if (!(*made)->Start("127.0.0.1", 0).ok()) return nullptr;
    (*made)->ServeInBackground();
    return std::move(*made);
}

int64_t CreateIntegration(HttpClient& api, sim::Simulator& sim, const std::string& name) {
    JObject connection, credentials;
    for (const auto& [k, v] : sim.Credentials()) {
        (k == "secret" ? credentials : connection).emplace_back(k, json::Value(v));
    }
    HttpResponse r = api.Post(
        "/api/integrations",
        Doc("integrations",
            {{"kind", "autotask"},
             {"name", name},
             {"connection", json::Value(connection)},
             {"credentials", json::Value(credentials)},
             {"settings",
              JObject{
                  {"organizations", JObject{{"include_inactive", true}}},
                  {"configurations", JObject{{"include_inactive", true}}},
                  {"contacts", JObject{{"include_inactive", true}}}}}})
    );
    EXPECT_EQ(r.status, 201) << r.Describe();
    return r.status == 201 ? IdOf(*r.Json().Find("data")) : 0;
}

// Every page of a list, as data objects.
std::vector<json::Value> All(HttpClient& api, const std::string& target) {
    std::vector<json::Value> out;
    for (int page = 1; page < 1000; ++page) {
        HttpResponse r = api.Get(
            target + (target.find('?') == std::string::npos ? "?" : "&") +
            "page[size]=1000&page[number]=" + std::to_string(page)
        );
        const json::Value data = ValueAt(r.Json(), "data");
        if (r.status != 200 || !data.is_array()) {
            ADD_FAILURE() << r.Describe();
            return out;
        }
        for (const json::Value& d : data.as_array()) out.push_back(d);
        if (ValueAt(r.Json(), "meta.next-page").is_null()) break;
    }
    return out;
}

int64_t Total(HttpClient& api, const std::string& target) {
    HttpResponse r = api.Get(target);
    EXPECT_EQ(r.status, 200) << r.Describe();
    return IntAt(r.Json(), "meta.total-count");
}

TEST(SyncJobsTest, TwoProcessesClaimEveryJobExactlyOnce) {
    if (!PostgresAvailable()) GTEST_SKIP() << "MORTAR_TEST_PG_DSN is not set";
    auto sim = StartSim({.companies = 2, .sites = 0, .contacts = 2, .configurations = 3});
    ASSERT_NE(sim, nullptr);
    std::string error;
    ServerOptions first_options{.backend = Backend::kPostgres, .extra_args = {"--job-poll-ms", "20"}};
    auto first = MortarServer::Start(first_options, &error);
    ASSERT_NE(first, nullptr) << error;
    ServerOptions second_options = first_options;
    second_options.store_of = first.get();
    auto second = MortarServer::Start(second_options, &error);
    ASSERT_NE(second, nullptr) << error;
    auto key = first->CreateApiKey("jobs", false, &error);
    ASSERT_TRUE(key.has_value()) << error;
    HttpClient a(first->base_url(), *key);
    HttpClient b(second->base_url(), *key);

    constexpr int kIntegrations = 24;
    std::vector<int64_t> ids;
    for (int i = 0; i < kIntegrations; ++i) {
        ids.push_back(CreateIntegration(i % 2 ? b : a, *sim, "PSA " + std::to_string(i)));
        ASSERT_NE(ids.back(), 0);
    }
    // Manual syncs through both processes, twice each: a second ask while one is queued
    // or running never makes a second concurrent job.
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < kIntegrations; ++i) {
            HttpResponse r = (i % 2 ? a : b).Post("/api/integrations/" + std::to_string(ids[i]) + "/sync", "");
            ASSERT_EQ(r.status, 202) << r.Describe();
        }
    }
    // Wait until no job is queued or running (polling the API).
    const auto deadline = Steady::now() + std::chrono::seconds(180);
    while (Steady::now() < deadline) {
        // One query, one snapshot: two counts could miss a follow-up job queued between them.
        if (Total(a, "/api/sync_jobs?filter[state]=queued,running") == 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const std::vector<json::Value> jobs = All(a, "/api/sync_jobs");
    const std::vector<json::Value> runs = All(a, "/api/sync_runs");
    std::map<int64_t, int> runs_per_job;
    std::set<std::string> workers;
    for (const json::Value& run : runs) {
        ++runs_per_job[IntAt(run, "attributes.job-id")];
        workers.insert(StringAt(run, "attributes.worker"));
        EXPECT_EQ(StringAt(run, "attributes.outcome"), "ok") << run.Dump();
    }
    ASSERT_GE(jobs.size(), static_cast<std::size_t>(kIntegrations));
    for (const json::Value& job : jobs) {
        EXPECT_EQ(StringAt(job, "attributes.state"), "done") << job.Dump();
        EXPECT_EQ(IntAt(job, "attributes.attempts"), 1) << job.Dump();
        EXPECT_EQ(runs_per_job[IdOf(job)], 1) << "job " << IdOf(job) << " ran " << runs_per_job[IdOf(job)] << " times";
    }
    EXPECT_EQ(runs.size(), jobs.size());
    // Every integration ran, and its runs never overlapped.
    std::map<int64_t, std::vector<std::pair<std::string, std::string>>> spans;
    for (const json::Value& run : runs) {
        spans[IntAt(run, "attributes.integration-id")].emplace_back(
            StringAt(run, "attributes.started-at"), StringAt(run, "attributes.finished-at")
        );
    }
    EXPECT_EQ(spans.size(), static_cast<std::size_t>(kIntegrations));
    for (auto& [integration, list] : spans) {
        std::sort(list.begin(), list.end());
        for (std::size_t i = 1; i < list.size(); ++i) {
            EXPECT_LE(list[i - 1].second, list[i].first) << "integration " << integration << " ran twice at once";
        }
    }
    std::cerr << "jobs: " << jobs.size() << ", runs: " << runs.size() << ", processes that ran jobs: " << workers.size()
              << "\n";
    EXPECT_EQ(second->Stop(), "");
    EXPECT_EQ(first->Stop(), "");
}

class SyncCrashTest : public ::testing::TestWithParam<Backend> {};

TEST_P(SyncCrashTest, KilledAtRandomPointsConverges) {
    if (GetParam() == Backend::kPostgres && !PostgresAvailable()) GTEST_SKIP() << "MORTAR_TEST_PG_DSN is not set";
    constexpr int64_t kCompanies = 15, kContacts = 400, kConfigurations = 4000;
    auto sim =
        StartSim({.companies = kCompanies, .sites = 0, .contacts = kContacts, .configurations = kConfigurations});
    ASSERT_NE(sim, nullptr);
    std::string error;
    // The owner of the store serves the API but runs no jobs; the servers that sync are
    // started on its store and killed.
    auto owner = MortarServer::Start({.backend = GetParam(), .extra_args = {"--no-jobs"}}, &error);
    ASSERT_NE(owner, nullptr) << error;
    auto key = owner->CreateApiKey("crash", false, &error);
    ASSERT_TRUE(key.has_value()) << error;
    HttpClient api(owner->base_url(), *key);
    const int64_t integration = CreateIntegration(api, *sim, "Crash");
    ASSERT_NE(integration, 0);
    const std::vector<std::string> worker_args = {"--job-poll-ms", "20", "--job-lease-seconds", "2"};

    const unsigned seed = std::random_device{}();
    std::mt19937 rng(seed);
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::map<int64_t, std::string> edits;  // configuration id -> notes set in Mortar
    // Every PSA request takes a while, so runs last long enough to be killed part-way.
    sim->WithFaults([](sim::Faults& f) {
        f.slow_count = 1 << 30;
        f.slow_ms = 120;
    });
    int64_t last_run = 0;
    for (int kill = 0; kill < 20; ++kill) {
        auto worker = MortarServer::Start({.extra_args = worker_args, .store_of = owner.get()}, &error);
        ASSERT_NE(worker, nullptr) << error;
        HttpClient w(worker->base_url(), *key);
        ASSERT_EQ(w.Post("/api/integrations/" + std::to_string(integration) + "/sync", "").status, 202);
        // Upstream changes, so every run has work to do.
        for (int i = 0; i < 30; ++i) {
            const int64_t id = 1 + static_cast<int64_t>(rng() % kConfigurations);
            json::Value set = JObject{{"name", "cfg " + std::to_string(id) + " v" + std::to_string(kill)}};
            ASSERT_TRUE(sim->data().Update(sim::Kind::kConfiguration, id, set, sim->NowMillis()).ok());
        }
        // A Mortar-only edit on a synced record while syncs run.
        const json::Value page = ValueAt(api.Get("/api/configurations?page[size]=50&sort=id").Json(), "data");
        if (page.is_array() && !page.as_array().empty()) {
            const json::Value& cfg = page.as_array()[rng() % page.as_array().size()];
            const std::string notes = "edit " + std::to_string(kill);
            HttpResponse r = api.Patch(
                "/api/configurations/" + std::to_string(IdOf(cfg)), Doc("configurations", {{"notes", notes}})
            );
            if (r.status == 200) edits[IdOf(cfg)] = notes;
        }
        // Wait for this server's run to start (a killed server's job is taken over once
        // its 2 s lease expires), then kill it at a random point.
        const auto started_by = Steady::now() + std::chrono::seconds(30);
        while (Steady::now() < started_by) {
            const std::vector<json::Value> runs =
                All(api,
                    "/api/sync_runs?filter[integration_id]=" + std::to_string(integration) +
                        "&sort=-id&filter[outcome]=running");
            if (!runs.empty() && IdOf(runs.front()) > last_run) {
                last_run = IdOf(runs.front());
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling the API for the run's start
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 1500)(rng)));
        worker->Kill();
    }
    sim->WithFaults([](sim::Faults& f) { f.slow_count = 0; });
    // A last server finishes: the next run converges.
    auto last = MortarServer::Start({.extra_args = worker_args, .store_of = owner.get()}, &error);
    ASSERT_NE(last, nullptr) << error;
    HttpClient w(last->base_url(), *key);
    ASSERT_EQ(w.Post("/api/integrations/" + std::to_string(integration) + "/sync", "").status, 202);
    const auto deadline = Steady::now() + std::chrono::seconds(300);
    json::Value final_run;
    while (Steady::now() < deadline) {
        const std::vector<json::Value> runs =
            All(api, "/api/sync_runs?filter[integration_id]=" + std::to_string(integration) + "&filter[outcome]=ok");
        bool done = !runs.empty() && Total(api, "/api/sync_jobs?filter[state]=queued,running") == 0;
        if (done) {
            final_run = runs.back();
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(final_run.is_object()) << "no run completed; log: " << last->LogTail();
    // One more full run: everything is unchanged, nothing created.
    ASSERT_EQ(w.Post("/api/integrations/" + std::to_string(integration) + "/sync", "").status, 202);
    const int64_t before = IdOf(final_run);
    json::Value check;
    while (Steady::now() < deadline) {
        const std::vector<json::Value> runs =
            All(api, "/api/sync_runs?filter[integration_id]=" + std::to_string(integration) + "&sort=-id");
        if (!runs.empty() && IdOf(runs.front()) > before && StringAt(runs.front(), "attributes.outcome") != "running") {
            check = runs.front();
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(check.is_object());
    EXPECT_EQ(StringAt(check, "attributes.outcome"), "ok") << check.Dump();
    EXPECT_EQ(IntAt(check, "attributes.created-count"), 0) << check.Dump();
    EXPECT_EQ(IntAt(check, "attributes.updated-count"), 0) << check.Dump();
    // No duplicate record or link.
    EXPECT_EQ(Total(api, "/api/organizations"), kCompanies);
    EXPECT_EQ(Total(api, "/api/contacts"), kContacts);
    EXPECT_EQ(Total(api, "/api/configurations"), kConfigurations);
    EXPECT_EQ(
        Total(api, "/api/manage_data_records?filter[data_type]=configurations&filter[state]=syncing"), kConfigurations
    );
    EXPECT_EQ(Total(api, "/api/manage_data_records"), kCompanies + kContacts + kConfigurations);
    // No lost edit.
    for (const auto& [id, notes] : edits) {
        EXPECT_EQ(
            StringAt(api.Get("/api/configurations/" + std::to_string(id)).Json(), "data.attributes.notes"), notes
        );
    }
    std::cerr << "kills: 20, edits kept: " << edits.size() << ", runs: " << Total(api, "/api/sync_runs")
              << ", interrupted: " << Total(api, "/api/sync_runs?filter[outcome]=interrupted")
              << ", ok: " << Total(api, "/api/sync_runs?filter[outcome]=ok")
              << "; the last full run: " << StringAt(check, "attributes.started-at") << " .. "
              << StringAt(check, "attributes.finished-at") << "\n";
    EXPECT_EQ(last->Stop(), "");
    EXPECT_EQ(owner->Stop(), "");
}

INSTANTIATE_TEST_SUITE_P(
    All,
    SyncCrashTest,
    ::testing::Values(Backend::kSqlite, Backend::kPostgres),
    [](const auto& info) { return BackendName(info.param); }
);

}  // namespace
}  // namespace mortar::ftest
