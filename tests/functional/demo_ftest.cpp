// SPDX-License-Identifier: AGPL-3.0-or-later
//
// `mortar demo` as a process: it prints its URL, login and ready line; signed in with
// that login, every screen's API has data (dozens of organizations, thousands of
// configurations and contacts, documentation of each kind, integrations in state ok); a
// second start on the same store adds nothing; SIGINT stops it and its simulators.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api_checks.hpp"
#include "browser.hpp"
#include "harness.hpp"
#include "resource_test_base.hpp"
#include "sim/profile.hpp"

namespace mortar::ftest {
namespace {

using Steady = std::chrono::steady_clock;

constexpr auto kReadyDeadline = std::chrono::minutes(10);
constexpr auto kStopDeadline = std::chrono::seconds(60);
constexpr std::string_view kReadyLine = "mortar demo: ready";

// One `mortar demo` process and what it printed.
struct Demo {
    pid_t pid = -1;
    int out = -1;
    std::string stdout_text;
    std::string url, email, password, autotask_url, uniview_url;
    std::string log_path;

    ~Demo() {
        if (pid > 0) {
            kill(pid, SIGKILL);
            WaitForProcess(pid, kStopDeadline);
        }
        if (out >= 0) close(out);
    }

    // The value after `prefix` on the printed line starting with it (after spaces).
    std::string After(std::string_view prefix, std::string_view until = "") const {
        size_t pos = 0;
        while (pos < stdout_text.size()) {
            size_t nl = stdout_text.find('\n', pos);
            if (nl == std::string::npos) nl = stdout_text.size();
            std::string line = stdout_text.substr(pos, nl - pos);
            pos = nl + 1;
            const size_t start = line.find_first_not_of(' ');
            if (start == std::string::npos || line.compare(start, prefix.size(), prefix) != 0) continue;
            std::string rest = line.substr(start + prefix.size());
            if (!until.empty()) rest = rest.substr(0, rest.find(until));
            return rest;
        }
        return "";
    }

    // Starts the demo and reads its stdout up to the ready line. With `chosen_password`, it
    // is given on stdin (--password-stdin) and must not be printed.
    ::testing::AssertionResult Start(
        std::vector<std::string> args, const std::string& log, const std::string& chosen_password = ""
    ) {
        log_path = log;
        const char* bin = std::getenv("MORTAR_BIN");
        if (bin == nullptr) return ::testing::AssertionFailure() << "MORTAR_BIN is not set";
        std::vector<std::string> argv = {bin, "demo", "--listen", "127.0.0.1:0"};
        argv.insert(argv.end(), args.begin(), args.end());
        std::string error;
        const std::string input = chosen_password + "\n";
        if (!chosen_password.empty()) argv.push_back("--password-stdin");
        pid = SpawnProcess(argv, log_path, &out, &error, chosen_password.empty() ? nullptr : &input);
        if (pid < 0) return ::testing::AssertionFailure() << error;
        const auto deadline = Steady::now() + kReadyDeadline;
        while (stdout_text.find(std::string(kReadyLine) + "\n") == std::string::npos) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now()).count();
            if (left <= 0) return ::testing::AssertionFailure() << "no ready line; stdout: " << stdout_text << Tail();
            pollfd p{out, POLLIN, 0};
            const int ready = poll(&p, 1, static_cast<int>(left));
            if (ready < 0 && errno == EINTR) continue;
            if (ready <= 0) continue;
            char buf[4096];
            const ssize_t n = read(out, buf, sizeof buf);
            if (n <= 0) return ::testing::AssertionFailure() << "the demo exited; stdout: " << stdout_text << Tail();
            stdout_text.append(buf, static_cast<size_t>(n));
        }
        url = After("Mortar demo: ");
        email = After("sign in as ", " ");
        password = After("with password ");
        if (const size_t at = stdout_text.find(" with password "); at != std::string::npos) {
            password = stdout_text.substr(at + 15, stdout_text.find('\n', at) - at - 15);
        }
        if (!chosen_password.empty()) {
            if (stdout_text.find(chosen_password) != std::string::npos) {
                return ::testing::AssertionFailure() << "the chosen password was printed";
            }
            password = chosen_password;
        }
        autotask_url = After("Autotask simulator: ", " ");
        uniview_url = After("UniView simulator:  ", " ");
        if (url.rfind("http://127.0.0.1:", 0) != 0 || email.empty() || password.size() < 12 || autotask_url.empty() ||
            uniview_url.empty()) {
            return ::testing::AssertionFailure() << "unexpected output: " << stdout_text;
        }
        return ::testing::AssertionSuccess();
    }

    // SIGINT, then the exit status within the deadline.
    ::testing::AssertionResult Interrupt() {
        if (kill(pid, SIGINT) != 0) return ::testing::AssertionFailure() << "kill failed";
        std::optional<int> status = WaitForProcess(pid, kStopDeadline);
        if (!status) return ::testing::AssertionFailure() << "still running after SIGINT" << Tail();
        pid = -1;
        if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
            return ::testing::AssertionFailure() << "exit status " << *status << Tail();
        }
        return ::testing::AssertionSuccess();
    }

    std::string Tail() const {
        std::string log;
        if (FILE* f = std::fopen(log_path.c_str(), "r")) {
            char buf[4096];
            size_t n;
            while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) log.append(buf, n);
            std::fclose(f);
        }
        return "\nlog: " + log.substr(log.size() > 4000 ? log.size() - 4000 : 0);
    }
};

int64_t Total(Browser& b, const std::string& target) {
    HttpResponse r = b.Get(target + (target.find('?') == std::string::npos ? "?" : "&") + "page[size]=1");
    EXPECT_EQ(r.status, 200) << r.Describe();
    return IntAt(r.Json(), "meta.total-count");
}

// The processes whose parent is `pid` (from /proc).
std::vector<pid_t> ChildrenOf(pid_t pid) {
    std::vector<pid_t> out;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        std::getline(stat, line);
        const size_t close_paren = line.rfind(')');
        if (close_paren == std::string::npos) continue;
        std::istringstream rest(line.substr(close_paren + 2));
        std::string state;
        long ppid = 0;
        rest >> state >> ppid;
        if (ppid == pid) out.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return out;
}

// The lists behind every screen, and how many records each must at least have.
const std::vector<std::pair<std::string, int64_t>>& Screens() {
    static const std::vector<std::pair<std::string, int64_t>> screens{
        {"/api/organizations", 24},
        {"/api/configurations", 2000},
        {"/api/contacts", 1000},
        {"/api/locations", 40},
        {"/api/passwords", 5},
        {"/api/password_categories", 2},
        {"/api/documents", 3},
        {"/api/checklists", 1},
        {"/api/checklist_templates", 1},
        {"/api/flexible_asset_types", 1},
        {"/api/configuration_types", 8},
        {"/api/activity_events", 10},
        {"/api/integrations", 1},
        {"/api/sync_runs", 1},
        {"/api/manage_data_items", 4},
        {"/api/manage_data_records", 2000},
        {"/api/mortar_users", 4},
        {"/api/mortar_groups", 1},
        {"/api/search_results?q=acme", 1},
        {"/api/backup_customers", 30},
        {"/api/backup_assets", 300},
    };
    return screens;
}

class DemoTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        if (GetParam() == Backend::kPostgres && !PostgresAvailable()) GTEST_SKIP() << "MORTAR_TEST_PG_DSN is not set";
    }
};

TEST_P(DemoTest, EveryScreenHasDataASecondStartAddsNothingAndSigintStopsIt) {
    char templ[] = "/tmp/mortar-demo-ft-XXXXXX";
    ASSERT_NE(mkdtemp(templ), nullptr);
    const std::string dir = templ;
    std::vector<std::string> args = {"--data-dir", dir + "/data"};
    std::string pg_db;
    if (GetParam() == Backend::kPostgres) {
        pg_db = "mortar_demo_ft_" + std::to_string(getpid());
        std::string error;
        auto conninfo = CreateTestDatabase(pg_db, &error);
        ASSERT_TRUE(conninfo.has_value()) << error;
        args.push_back("--db");
        args.push_back(*conninfo);
    }

    std::map<std::string, int64_t> first_counts;
    std::string first_uniview_status;
    {
        Demo demo;
        ASSERT_TRUE(demo.Start(args, dir + "/first.log"));
        Browser browser(demo.url);
        HttpResponse login = browser.Login(demo.email, demo.password);
        ASSERT_EQ(login.status, 201) << login.Describe();
        EXPECT_EQ(StringAt(login.Json(), "data.attributes.role"), "administrator") << login.Describe();

        for (const auto& [target, at_least] : Screens()) {
            const int64_t n = Total(browser, target);
            EXPECT_GE(n, at_least) << target;
            first_counts[target] = n;
        }
        EXPECT_LE(first_counts["/api/organizations"], 60) << "dozens of organizations";
        EXPECT_GE(first_counts["/api/configurations"], 2500) << "thousands of devices";

        // Documentation of each kind, a restricted password among it.
        EXPECT_GE(Total(browser, "/api/passwords?filter[name]=Microsoft%20365%20global%20admin"), 1);
        HttpResponse passwords = browser.Get("/api/passwords?page[size]=100");
        int restricted = 0;
        const json::Value password_list = ValueAt(passwords.Json(), "data");
        ASSERT_TRUE(password_list.is_array()) << passwords.Describe();
        for (const json::Value& p : password_list.as_array()) {
            restricted +=
                ValueAt(p, "attributes.restricted").is_bool() && ValueAt(p, "attributes.restricted").as_bool();
        }
        EXPECT_EQ(restricted, 1) << passwords.body;
        HttpResponse types = browser.Get("/api/flexible_asset_types?filter[name]=Wi-Fi");
        ASSERT_EQ(types.status, 200);
        const int64_t wifi = IdOf(ValueAt(types.Json(), "data.0"));
        ASSERT_NE(wifi, 0) << types.body;
        EXPECT_GE(Total(browser, "/api/flexible_assets?filter[flexible_asset_type_id]=" + std::to_string(wifi)), 4);
        EXPECT_GE(Total(browser, "/api/documents?filter[published]=true"), 1);

        // Configurations carry interfaces: LAN, and LAN 2 when the device has a second MAC.
        HttpResponse server = browser.Get("/api/configurations?page[size]=1000&sort=id");
        ASSERT_EQ(server.status, 200);
        int with_interfaces = 0, with_two = 0;
        const json::Value config_list = ValueAt(server.Json(), "data");
        ASSERT_TRUE(config_list.is_array()) << server.Describe();
        const JArray& configs = config_list.as_array();
        for (size_t i = 0; i < configs.size() && i < 40; ++i) {
            HttpResponse ifs = browser.Get(
                "/api/configurations/" + std::to_string(IdOf(configs[i])) + "/relationships/configuration_interfaces"
            );
            ASSERT_EQ(ifs.status, 200) << ifs.Describe();
            const json::Value interfaces = ValueAt(ifs.Json(), "data");
            ASSERT_TRUE(interfaces.is_array()) << ifs.Describe();
            const size_t n = interfaces.as_array().size();
            with_interfaces += n >= 1;
            with_two += n == 2;
        }
        EXPECT_EQ(with_interfaces, std::min<int>(40, static_cast<int>(configs.size())));
        EXPECT_GT(with_two, 0);

        // The integrations synced through the job queue and are ok.
        HttpResponse integrations = browser.Get("/api/integrations");
        ASSERT_EQ(integrations.status, 200);
        int autotask = 0;
        const json::Value integration_list = ValueAt(integrations.Json(), "data");
        ASSERT_TRUE(integration_list.is_array()) << integrations.Describe();
        for (const json::Value& i : integration_list.as_array()) {
            EXPECT_EQ(StringAt(i, "attributes.status"), "ok") << i.Dump();
            autotask += StringAt(i, "attributes.kind") == "autotask";
            if (StringAt(i, "attributes.kind") == "uniview") first_uniview_status = StringAt(i, "attributes.status");
        }
        EXPECT_EQ(autotask, 1);
        EXPECT_EQ(first_uniview_status, "ok") << "the UniView integration synced";

        // UniView matched partly: customers auto, suggested and unmatched (the customers
        // without a counterpart and the internal one); assets auto, suggested and
        // ambiguous (the four MACs two devices share).
        std::map<std::string, int> customer_states, asset_states;
        HttpResponse customers = browser.Get("/api/backup_customers?page[size]=1000");
        ASSERT_EQ(customers.status, 200) << customers.Describe();
        const json::Value customer_list = ValueAt(customers.Json(), "data");
        ASSERT_TRUE(customer_list.is_array());
        // Each customer as the profile planned it: the same name matched, a variant matched
        // or suggested to its company, no counterpart unmatched.
        auto plan = sim::MakeDemoPlan(sim::DemoDatasetOptions());
        ASSERT_TRUE(plan.ok());
        std::map<std::string, sim::DemoCustomer> planned;
        for (const sim::DemoCustomer& c : plan->customers) planned[c.name] = c;
        for (const json::Value& c : customer_list.as_array()) {
            const std::string state = StringAt(c, "attributes.state");
            ++customer_states[state];
            const std::string name = StringAt(c, "attributes.name");
            ASSERT_EQ(planned.count(name), 1u) << name;
            const sim::DemoCustomer& want = planned[name];
            const std::string company =
                want.company_id == 0 ? "" : plan->company_names[static_cast<size_t>(want.company_id - 1)];
            switch (want.kind) {
                case sim::CustomerCase::kExact:
                    EXPECT_EQ(state, "auto") << c.Dump();
                    EXPECT_EQ(StringAt(c, "attributes.organization-name"), company) << c.Dump();
                    break;
                case sim::CustomerCase::kVariant:
                    EXPECT_TRUE(state == "auto" || state == "suggested") << want.variant << ": " << c.Dump();
                    EXPECT_EQ(
                        StringAt(
                            c,
                            state == "auto" ? "attributes.organization-name" : "attributes.suggestion.organization-name"
                        ),
                        company
                    ) << c.Dump();
                    break;
                case sim::CustomerCase::kNoCounterpart:
                case sim::CustomerCase::kInternal:
                    EXPECT_EQ(state, "unmatched") << c.Dump();
                    break;
            }
        }
        EXPECT_GE(customer_states["auto"], 20) << customers.body.substr(0, 2000);
        EXPECT_GE(customer_states["suggested"], 1);
        EXPECT_EQ(customer_states["unmatched"], 5);
        HttpResponse assets = browser.Get("/api/backup_assets?page[size]=1000");
        ASSERT_EQ(assets.status, 200) << assets.Describe();
        const json::Value asset_list = ValueAt(assets.Json(), "data");
        ASSERT_TRUE(asset_list.is_array());
        int64_t matched_configuration = 0;
        for (const json::Value& a : asset_list.as_array()) {
            const std::string state = StringAt(a, "attributes.state");
            ++asset_states[state];
            if (state == "ambiguous") {
                const json::Value candidates = ValueAt(a, "attributes.candidates");
                EXPECT_TRUE(candidates.is_array() && candidates.as_array().size() == 2) << a.Dump();
            }
            if (state == "auto" && matched_configuration == 0) {
                matched_configuration = IntAt(a, "attributes.configuration-id");
            }
        }
        EXPECT_GE(asset_states["auto"], 200);
        EXPECT_GE(asset_states["suggested"], 10);
        EXPECT_EQ(asset_states["ambiguous"], 4);
        // The configuration page's backup panel has data.
        ASSERT_NE(matched_configuration, 0);
        EXPECT_EQ(
            Total(browser, "/api/backup_assets?filter[configuration_id]=" + std::to_string(matched_configuration)), 1
        );
        EXPECT_GE(Total(browser, "/api/sync_runs?filter[outcome]=ok"), 1);
        EXPECT_EQ(Total(browser, "/api/sync_jobs?filter[state]=queued,running"), 0);
        // The setup key is revoked: no usable key is left behind.
        HttpResponse keys = browser.Get("/api/api_keys");
        ASSERT_EQ(keys.status, 200) << keys.Describe();
        const json::Value key_list = ValueAt(keys.Json(), "data");
        ASSERT_TRUE(key_list.is_array()) << keys.Describe();
        for (const json::Value& k : key_list.as_array()) {
            EXPECT_FALSE(ValueAt(k, "attributes.revoked-at").is_null()) << k.Dump();
        }
        // The simulators answer while the demo runs.
        HttpClient autotask_sim(demo.autotask_url, "");
        EXPECT_EQ(autotask_sim.Get("/_sim/credentials").status, 200);

        // SIGINT stops the demo, its simulators and anything it started.
        const std::vector<pid_t> children = ChildrenOf(demo.pid);
        ASSERT_TRUE(demo.Interrupt());
        for (pid_t child : children) EXPECT_NE(kill(child, 0), 0) << "process " << child << " outlived the demo";
        HttpClient after(demo.autotask_url, "");
        EXPECT_EQ(after.Get("/_sim/credentials").status, 0) << "the Autotask simulator stopped";
        HttpClient uniview_after(demo.uniview_url, "");
        EXPECT_EQ(uniview_after.Get("/v1/customers").status, 0) << "the UniView simulator stopped";
    }

    // A second start on the same store: same records, the password given on stdin.
    {
        Demo demo;
        ASSERT_TRUE(demo.Start(args, dir + "/second.log", "a password of my own"));
        EXPECT_NE(demo.stdout_text.find("with the password read from stdin"), std::string::npos) << demo.stdout_text;
        Browser browser(demo.url);
        HttpResponse login = browser.Login(demo.email, demo.password);
        ASSERT_EQ(login.status, 201) << login.Describe();
        for (const auto& [target, n] : first_counts) {
            if (target == "/api/sync_runs" || target == "/api/activity_events") continue;
            EXPECT_EQ(Total(browser, target), n) << target << " after a second start";
        }
        EXPECT_GT(Total(browser, "/api/sync_runs"), first_counts["/api/sync_runs"]) << "it synced again";
        HttpResponse integrations = browser.Get("/api/integrations");
        const json::Value integration_list = ValueAt(integrations.Json(), "data");
        ASSERT_TRUE(integration_list.is_array()) << integrations.Describe();
        for (const json::Value& i : integration_list.as_array()) {
            EXPECT_EQ(StringAt(i, "attributes.status"), "ok") << i.Dump();
        }
        ASSERT_TRUE(demo.Interrupt());
    }
    (void)first_uniview_status;
    if (!pg_db.empty()) DropTestDatabase(pg_db);
    std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(All, DemoTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName);

}  // namespace
}  // namespace mortar::ftest
