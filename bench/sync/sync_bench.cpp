// SPDX-License-Identifier: AGPL-3.0-or-later
// Fetch speed of the connectors: each vendor's simulator runs as its own `mortar sim`
// process; this process is only the client, so its CPU time is the connector's cost
// (transport, libcurl, simdjson parsing, normalising, hashing).
//
//   build/bench/sync/sync_bench [N] [vendor...]      (defaults: 200000, all three)
//
// Prints records/s, API calls against the minimum, client CPU µs per record, and one
// JSON line of every figure at the end.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "connectors/connector.hpp"
#include "sim/dataset.hpp"

namespace {

using namespace mortar;

struct SimProcess {
    pid_t pid = -1;
    std::map<std::string, std::string> settings;
};

// Starts `mortar sim` and reads its URL and credential lines.
bool StartSim(const std::string& vendor, int64_t n, SimProcess& out) {
    int fds[2];
    if (pipe(fds) != 0) return false;
    const std::string configs = std::to_string(n);
    out.pid = fork();
    if (out.pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl(
            MORTAR_BIN,
            "mortar",
            "sim",
            vendor.c_str(),
            "--listen",
            "127.0.0.1:0",
            "--companies",
            "2000",
            "--contacts",
            "0",
            "--configurations",
            configs.c_str(),
            "--rate-limit",
            "0",
            "--seed",
            "1",
            static_cast<char*>(nullptr)
        );
        _exit(127);
    }
    close(fds[1]);
    FILE* f = fdopen(fds[0], "r");
    const size_t expected = vendor == "autotask" ? 4 : vendor == "connectwise" ? 5 : 6;
    char line[1024];
    while (out.settings.size() < expected && std::fgets(line, sizeof line, f) != nullptr) {
        std::string s(line);
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
        const size_t colon = s.find(": ");
        if (s.rfind("mortar sim", 0) == 0 || colon == std::string::npos) continue;
        out.settings[s.substr(0, colon)] = s.substr(colon + 2);
    }
    fclose(f);
    return out.settings.size() == expected;
}

double CpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

int64_t Ceil(int64_t n, int64_t d) {
    return std::max<int64_t>(1, (n + d - 1) / d);
}

// The fewest calls a complete listing of every configuration item takes.
int64_t MinimumCalls(const std::string& vendor, int64_t n) {
    if (vendor == "autotask") return 1 + Ceil(n, 500);      // zone lookup, pages of 500
    if (vendor == "connectwise") return 1 + Ceil(n, 1000);  // codebase lookup, pages of 1000
    // Halo: token, asset types, and per type its pages of 1000 plus the idonly check.
    sim::DatasetOptions o;
    o.companies = 2000;
    o.contacts = 0;
    o.configurations = n;
    o.seed = 1;
    sim::Dataset d(o);
    std::map<int, int64_t> per_type;
    for (int64_t id = 1; id <= n; ++id) ++per_type[d.Get(sim::Kind::kConfiguration, id)->type_id];
    int64_t calls = 2;
    for (const auto& t : sim::ConfigurationTypes()) calls += Ceil(per_type[t.id], 1000) + 1;
    return calls;
}

}  // namespace

int main(int argc, char** argv) {
    int64_t n = 200000;
    std::vector<std::string> vendors;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (!a.empty() && std::isdigit(static_cast<unsigned char>(a[0]))) {
            n = std::stoll(a);
        } else {
            vendors.push_back(a);
        }
    }
    if (vendors.empty()) vendors = {"autotask", "connectwise", "halopsa"};
    std::string json = "{\"records\":" + std::to_string(n) + ",\"vendors\":{";
    int failures = 0;
    for (const auto& vendor : vendors) {
        SimProcess sim;
        if (!StartSim(vendor, n, sim)) {
            std::fprintf(stderr, "%s: the simulator did not start\n", vendor.c_str());
            return 1;
        }
        auto c = connectors::MakeConnector(vendor, sim.settings);
        if (!c.ok()) {
            std::fprintf(stderr, "%s: %s\n", vendor.c_str(), c.status().message().c_str());
            return 1;
        }
        connectors::FetchOptions options;
        options.include_inactive = true;
        int64_t records = 0;
        int64_t batches = 0;
        const double cpu0 = CpuSeconds();
        const auto t0 = std::chrono::steady_clock::now();
        Status s = (*c)->Fetch(connectors::EntityKind::kConfiguration, options, [&](auto batch) {
            records += static_cast<int64_t>(batch.size());
            ++batches;
            return Status::Ok();
        });
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const double cpu = CpuSeconds() - cpu0;
        kill(sim.pid, SIGTERM);
        waitpid(sim.pid, nullptr, 0);
        if (!s.ok() || records != n) {
            std::fprintf(
                stderr,
                "%s: fetch failed after %lld records: %s\n",
                vendor.c_str(),
                static_cast<long long>(records),
                s.message().c_str()
            );
            ++failures;
            continue;
        }
        const int64_t calls = (*c)->stats().calls;
        const int64_t minimum = MinimumCalls(vendor, n);
        const double rps = static_cast<double>(records) / wall;
        const double us = cpu * 1e6 / static_cast<double>(records);
        std::printf(
            "%-12s %8lld records in %6.2f s = %9.0f records/s; API calls %lld (minimum %lld); client CPU %.2f "
            "us/record\n",
            vendor.c_str(),
            static_cast<long long>(records),
            wall,
            rps,
            static_cast<long long>(calls),
            static_cast<long long>(minimum),
            us
        );
        char buf[256];
        std::snprintf(
            buf,
            sizeof buf,
            "%s\"%s\":{\"seconds\":%.3f,\"records_per_s\":%.0f,\"calls\":%lld,\"minimum_calls\":%lld,"
            "\"client_cpu_us_per_record\":%.3f}",
            json.back() == '{' ? "" : ",",
            vendor.c_str(),
            wall,
            rps,
            static_cast<long long>(calls),
            static_cast<long long>(minimum),
            us
        );
        json += buf;
    }
    json += "}}";
    std::printf("%s\n", json.c_str());
    return failures == 0 ? 0 : 1;
}
