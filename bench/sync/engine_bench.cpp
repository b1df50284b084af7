// SPDX-License-Identifier: AGPL-3.0-or-later
// Full and incremental sync through the real sync::Engine: the Autotask simulator runs
// as its own `mortar sim` process (its CPU is not counted); this process runs the
// engine against SQLite and, given a DSN, PostgreSQL.
//
//   build/bench/sync/sync_engine_bench [--scale F] [--runs N] [--pg DSN] [--no-sqlite]
//
// Per store and run: a full sync into an empty store, then 1 % of every kind changed
// through the simulator's control API and an incremental sync. Printed per run: wall
// time, records/s, this process's CPU µs per record (getrusage; on PostgreSQL the
// server's CPU is separate and measured from /proc when the server is local), API calls
// against the minimum, peak RSS; the connector fetch alone (same simulator, same run) is
// the baseline the ratios compare to. Ends with one JSON line.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "connectors/connector.hpp"
#include "core/clock.hpp"
#include "db/database.hpp"
#include "db/internal/test_support.hpp"
#include "net/http_client.hpp"
#include "sync/engine.hpp"

namespace {

using namespace mortar;
using connectors::EntityKind;

constexpr EntityKind kKinds[] = {
    EntityKind::kCompany, EntityKind::kSite, EntityKind::kContact, EntityKind::kConfiguration};
constexpr const char* kSimKinds[] = {"companies", "sites", "contacts", "configurations"};
constexpr int64_t kPage = 500;  // Autotask's largest page

struct SimProcess {
    pid_t pid = -1;
    std::map<std::string, std::string> settings;
    std::string base_url;
};

bool StartSim(int64_t companies, int64_t contacts, int64_t configurations, SimProcess& out) {
    int fds[2];
    if (pipe(fds) != 0) return false;
    const std::string a = std::to_string(companies), b = std::to_string(contacts), c = std::to_string(configurations);
    out.pid = fork();
    if (out.pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl(
            MORTAR_BIN,
            "mortar",
            "sim",
            "autotask",
            "--listen",
            "127.0.0.1:0",
            "--companies",
            a.c_str(),
            "--contacts",
            b.c_str(),
            "--configurations",
            c.c_str(),
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
    char line[1024];
    while (out.settings.size() < 4 && std::fgets(line, sizeof line, f) != nullptr) {
        std::string s(line);
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
        const size_t colon = s.find(": ");
        if (s.rfind("mortar sim", 0) == 0 || colon == std::string::npos) continue;
        out.settings[s.substr(0, colon)] = s.substr(colon + 2);
    }
    fclose(f);
    const std::string& url = out.settings["zone_lookup_url"];
    const size_t slash = url.find('/', url.find("//") + 2);
    out.base_url = url.substr(0, slash);
    return out.settings.size() == 4 && !out.base_url.empty();
}

struct Usage {
    double cpu = 0;      // user + system seconds of this process
    int64_t rss_kb = 0;  // peak resident set so far
};

Usage Self() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return Usage{
        static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
            static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6,
        static_cast<int64_t>(u.ru_maxrss)};
}

// utime, stime, cutime, cstime of /proc/PID/stat in seconds, and its parent.
bool ProcStat(pid_t pid, double& own, double& children, pid_t& parent) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t close_paren = text.rfind(')');
    if (close_paren == std::string::npos) return false;
    std::istringstream fields(text.substr(close_paren + 2));
    std::vector<std::string> f;
    std::string x;
    while (fields >> x) f.push_back(x);
    if (f.size() < 15) return false;  // f[0] is field 3 (state)
    const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    parent = static_cast<pid_t>(std::stol(f[1]));
    own = (std::stod(f[11]) + std::stod(f[12])) / tick;
    children = (std::stod(f[13]) + std::stod(f[14])) / tick;
    return true;
}

// The CPU seconds of a local PostgreSQL server: its postmaster (with the children it
// reaped) and every live child. -1 when it cannot be read (a remote server).
double ServerCpu(pid_t postmaster) {
    if (postmaster <= 0) return -1;
    double own = 0, reaped = 0;
    pid_t parent = 0;
    if (!ProcStat(postmaster, own, reaped, parent)) return -1;
    double total = own + reaped;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
        double o = 0, c = 0;
        pid_t p = 0;
        if (ProcStat(static_cast<pid_t>(std::stol(name)), o, c, p) && p == postmaster) total += o;
    }
    return total;
}

pid_t Postmaster(db::Database& db) {
    auto tx = db.Begin(db::TxMode::kRead);
    if (!tx.ok()) return -1;
    auto stmt = tx->PrepareDynamic("SELECT pg_backend_pid()");
    if (!stmt.ok()) return -1;
    auto step = stmt->Step();
    if (!step.ok() || !*step) return -1;
    const pid_t backend = static_cast<pid_t>(stmt->row().GetInt(0));
    tx->Rollback();
    double own = 0, children = 0;
    pid_t parent = 0;
    return ProcStat(backend, own, children, parent) ? parent : -1;
}

Status Exec(db::Database& db, const std::string& sql) {
    auto tx = db.Begin(db::TxMode::kWrite);
    if (!tx.ok()) return tx.status();
    auto stmt = tx->PrepareDynamic(sql);
    if (!stmt.ok()) return stmt.status();
    if (auto n = stmt->Execute(); !n.ok()) return n.status();
    return tx->Commit();
}

std::string JsonString(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

struct Figures {
    double wall = 0;
    double cpu = 0;
    double server_cpu = -1;
    int64_t records = 0;
    int64_t calls = 0;
    int64_t minimum_calls = 0;
    int64_t rss_kb = 0;
    std::string outcome;
    sync::Counts counts;
};

double Median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

int64_t Pages(int64_t n) {
    return std::max<int64_t>(1, (n + kPage - 1) / kPage);
}

void Print(const char* store, const char* what, const Figures& f, double baseline_cpu_us) {
    const double us = f.records ? f.cpu * 1e6 / static_cast<double>(f.records) : 0;
    std::printf(
        "%-8s %-11s %7lld records in %7.2f s = %8.0f records/s; Mortar CPU %6.2f us/record",
        store,
        what,
        static_cast<long long>(f.records),
        f.wall,
        f.records ? static_cast<double>(f.records) / f.wall : 0,
        us
    );
    if (f.server_cpu >= 0) {
        std::printf(
            " (server, separate: %.2f us/record)",
            f.server_cpu * 1e6 / static_cast<double>(std::max<int64_t>(1, f.records))
        );
    }
    if (baseline_cpu_us > 0) std::printf(" = %.1fx the fetch alone", us / baseline_cpu_us);
    std::printf(
        "; API calls %lld (minimum %lld); peak RSS %lld MiB; %s (created %lld, updated %lld, unchanged %lld, errors "
        "%lld)\n",
        static_cast<long long>(f.calls),
        static_cast<long long>(f.minimum_calls),
        static_cast<long long>(f.rss_kb / 1024),
        f.outcome.c_str(),
        static_cast<long long>(f.counts.created),
        static_cast<long long>(f.counts.updated),
        static_cast<long long>(f.counts.unchanged),
        static_cast<long long>(f.counts.errors)
    );
    std::fflush(stdout);
}

std::string FiguresJson(const Figures& f) {
    char buf[512];
    const double n = static_cast<double>(std::max<int64_t>(1, f.records));
    std::snprintf(
        buf,
        sizeof buf,
        "{\"records\":%lld,\"seconds\":%.3f,\"records_per_s\":%.0f,\"cpu_us_per_record\":%.3f,"
        "\"server_cpu_us_per_record\":%s,\"calls\":%lld,\"minimum_calls\":%lld,\"peak_rss_mib\":%lld,"
        "\"outcome\":%s,\"created\":%lld,\"updated\":%lld,\"unchanged\":%lld,\"errors\":%lld}",
        static_cast<long long>(f.records),
        f.wall,
        f.records ? static_cast<double>(f.records) / f.wall : 0,
        f.cpu * 1e6 / n,
        f.server_cpu >= 0 ? std::to_string(f.server_cpu * 1e6 / n).c_str() : "null",
        static_cast<long long>(f.calls),
        static_cast<long long>(f.minimum_calls),
        static_cast<long long>(f.rss_kb / 1024),
        JsonString(f.outcome).c_str(),
        static_cast<long long>(f.counts.created),
        static_cast<long long>(f.counts.updated),
        static_cast<long long>(f.counts.unchanged),
        static_cast<long long>(f.counts.errors)
    );
    return buf;
}

class Bench {
public:
    Bench(SimProcess& sim, int64_t per_kind[4]) : sim_(sim) {
        for (int k = 0; k < 4; ++k) per_kind_[k] = per_kind[k];
        client_ = net::NewCurlClient();
    }

    // The connector's fetch of every kind alone: the baseline.
    Figures Fetch() {
        Figures f;
        auto c = connectors::MakeConnector("autotask", sim_.settings);
        if (!c.ok()) {
            f.outcome = c.status().message();
            return f;
        }
        connectors::FetchOptions options;
        options.include_inactive = true;
        const Usage u0 = Self();
        const auto t0 = std::chrono::steady_clock::now();
        int64_t minimum = 1;  // zone lookup
        f.outcome = "ok";
        for (int k = 0; k < 4; ++k) {
            int64_t n = 0;
            Status s = (*c)->Fetch(kKinds[k], options, [&](auto batch) {
                n += static_cast<int64_t>(batch.size());
                return Status::Ok();
            });
            if (!s.ok()) f.outcome = s.message();
            listed_[k] = n;
            incremental_[k] = (*c)->SupportsIncremental(kKinds[k]);
            type_lists_ += (*c)->TypeNamesFrom(kKinds[k]) ? 1 : 0;
            minimum += Pages(n);
            f.records += n;
        }
        f.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const Usage u1 = Self();
        f.cpu = u1.cpu - u0.cpu;
        f.rss_kb = u1.rss_kb;
        f.calls = (*c)->stats().calls;
        f.minimum_calls = minimum;
        return f;
    }

    // Changes 1 % of every kind (at least one record) through the control API.
    Result<int64_t> Change(int round) {
        int64_t changed = 0;
        for (int k = 0; k < 4; ++k) {
            const int64_t n = per_kind_[k];
            const int64_t count = std::max<int64_t>(1, n / 100);
            changed_[k] = count;
            for (int64_t i = 0; i < count; ++i) {
                const int64_t id = 1 + i * (n / count);
                net::HttpRequest req;
                req.method = "POST";
                req.url = sim_.base_url + "/_sim/mutate";
                req.SetHeader("Content-Type", "application/json");
                const std::string value = "Changed " + std::to_string(round) + " " + std::to_string(id);
                const std::string field = k == 2 ? "last_name" : "name";
                req.body = std::string("{\"kind\":\"") + kSimKinds[k] +
                           "\",\"op\":\"update\",\"id\":" + std::to_string(id) + ",\"set\":{\"" + field +
                           "\":" + JsonString(value) + "}}";
                auto r = client_->Send(req);
                if (!r.ok()) return r.status();
                if (r->status != 200)
                    return Status::Internal("mutate answered " + std::to_string(r->status) + ": " + r->body);
                ++changed;
            }
        }
        return changed;
    }

    // One engine run on `db` for integration `integration`.
    Figures Run(db::Database& db, int64_t account, int64_t integration, bool full, pid_t postmaster) {
        Figures f;
        sync::Engine engine(db, nullptr, Clock::Real(), [](std::string_view kind, const auto& settings) {
            return connectors::MakeConnector(kind, settings);
        });
        const double s0 = ServerCpu(postmaster);
        const Usage u0 = Self();
        const auto t0 = std::chrono::steady_clock::now();
        sync::RunOptions options;
        options.account_id = account;
        options.integration_id = integration;
        options.full = full;
        auto summary = engine.Run(options);
        f.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const Usage u1 = Self();
        const double s1 = ServerCpu(postmaster);
        f.cpu = u1.cpu - u0.cpu;
        f.rss_kb = u1.rss_kb;
        if (s0 >= 0 && s1 >= 0) f.server_cpu = s1 - s0;
        if (!summary.ok()) {
            f.outcome = summary.status().message();
            return f;
        }
        f.outcome = summary->outcome;
        f.counts = summary->counts;
        f.records = f.counts.created + f.counts.updated + f.counts.unchanged + f.counts.returned + f.counts.errors;
        f.calls = summary->api_calls;
        // The zone lookup, and the type lists that name picklist ids (Autotask: company and
        // configuration item types), one call each per run.
        f.minimum_calls = 1 + type_lists_;
        // An incremental run lists the changed records of a kind the vendor can filter by
        // change stamp, and the whole kind otherwise (Autotask: sites).
        for (int k = 0; k < 4; ++k) f.minimum_calls += Pages(full || !incremental_[k] ? listed_[k] : changed_[k]);
        return f;
    }

    // Creates the account and the integration (all settings in the connection: no vault).
    Status Prepare(db::Database& db, int64_t account, int64_t integration) {
        const std::string id = std::to_string(account);
        MORTAR_RETURN_IF_ERROR(Exec(
            db,
            "INSERT INTO accounts (id, name, created_at, updated_at) VALUES (" + id + ", 'bench " + id +
                "', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
        ));
        std::string connection = "{";
        for (const auto& [k, v] : sim_.settings) {
            connection += (connection.size() > 1 ? "," : "") + JsonString(k) + ":" + JsonString(v);
        }
        connection += "}";
        std::string settings = "{";
        for (const char* t : {"organizations", "locations", "contacts", "configurations"}) {
            settings += std::string(settings.size() > 1 ? "," : "") + "\"" + t + "\":{\"include_inactive\":true}";
        }
        settings += "}";
        auto quote = [](const std::string& s) {
            std::string out = "'";
            for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
            return out + "'";
        };
        return Exec(
            db,
            "INSERT INTO integrations (id, account_id, kind, name, connection, settings, created_at, updated_at) "
            "VALUES (" +
                std::to_string(integration) + ", " + id + ", 'autotask', 'bench', " + quote(connection) + ", " +
                quote(settings) + ", '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
        );
    }

    const int64_t* changed() const { return changed_; }

private:
    SimProcess& sim_;
    int64_t per_kind_[4] = {};
    int64_t listed_[4] = {};
    int64_t changed_[4] = {};
    bool incremental_[4] = {};
    int64_t type_lists_ = 0;  // lookup lists a sync run reads to name type ids
    std::unique_ptr<net::HttpClient> client_;
};

}  // namespace

int main(int argc, char** argv) {
    double scale = 1.0;
    int runs = 1;
    std::string pg_dsn;
    bool sqlite = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--scale" && i + 1 < argc) {
            scale = std::stod(argv[++i]);
        } else if (a == "--runs" && i + 1 < argc) {
            runs = std::max(1, std::stoi(argv[++i]));
        } else if (a == "--pg" && i + 1 < argc) {
            pg_dsn = argv[++i];
        } else if (a == "--no-sqlite") {
            sqlite = false;
        } else {
            std::fprintf(stderr, "usage: %s [--scale F] [--runs N] [--pg DSN] [--no-sqlite]\n", argv[0]);
            return 2;
        }
    }
    auto scaled = [&](int64_t n) { return std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(n) * scale)); };
    const int64_t companies = scaled(2000), contacts = scaled(50000), configurations = scaled(200000);
    int64_t per_kind[4] = {companies, companies * 2, contacts, configurations};  // two sites per company
    SimProcess sim;
    if (!StartSim(companies, contacts, configurations, sim)) {
        std::fprintf(stderr, "the simulator did not start\n");
        return 1;
    }
    std::printf(
        "Autotask simulator (own process): %lld companies, %lld sites, %lld contacts, %lld configuration items\n",
        static_cast<long long>(per_kind[0]),
        static_cast<long long>(per_kind[1]),
        static_cast<long long>(per_kind[2]),
        static_cast<long long>(per_kind[3])
    );
    Bench bench(sim, per_kind);
    const Figures fetch = bench.Fetch();
    const double fetch_us = fetch.records ? fetch.cpu * 1e6 / static_cast<double>(fetch.records) : 0;
    Print("client", "fetch alone", fetch, 0);
    std::string json = "{\"bench\":\"sync\",\"scale\":" + std::to_string(scale) + ",\"runs\":" + std::to_string(runs) +
                       ",\"records\":" + std::to_string(fetch.records) + ",\"fetch\":" + FiguresJson(fetch);
    bool ok = fetch.outcome == "ok";
    int round = 0;
    double sqlite_full = 0, sqlite_cpu = 0;
    auto run_store = [&](const char* store, db::Dialect dialect) {
        std::vector<double> full_wall, full_cpu, incr_wall, incr_cpu, full_server, incr_server;
        std::string runs_json;
        for (int r = 0; r < runs; ++r) {
            std::string why;
            auto test_db = db::testing::TestDatabase::Create(dialect, &why);
            if (!test_db) {
                std::fprintf(stderr, "%s: %s\n", store, why.c_str());
                ok = false;
                return;
            }
            auto opened = test_db->Open();
            if (!opened.ok()) {
                std::fprintf(stderr, "%s: %s\n", store, opened.status().message().c_str());
                ok = false;
                return;
            }
            db::Database& db = **opened;
            if (auto m = db.Migrate(); !m.ok()) {
                std::fprintf(stderr, "%s: %s\n", store, m.status().message().c_str());
                ok = false;
                return;
            }
            if (Status s = bench.Prepare(db, 1, 1); !s.ok()) {
                std::fprintf(stderr, "%s: %s\n", store, s.message().c_str());
                ok = false;
                return;
            }
            const pid_t postmaster = dialect == db::Dialect::kPostgres ? Postmaster(db) : -1;
            const Figures full = bench.Run(db, 1, 1, true, postmaster);
            Print(store, "full", full, fetch_us);
            auto changed = bench.Change(++round);
            if (!changed.ok()) {
                std::fprintf(stderr, "changing records: %s\n", changed.status().message().c_str());
                ok = false;
                return;
            }
            const Figures incr = bench.Run(db, 1, 1, false, postmaster);
            Print(store, "incremental", incr, fetch_us);
            ok = ok && full.outcome == "ok" && incr.outcome == "ok";
            full_wall.push_back(full.wall);
            full_cpu.push_back(full.cpu * 1e6 / static_cast<double>(std::max<int64_t>(1, full.records)));
            incr_wall.push_back(incr.wall);
            incr_cpu.push_back(incr.cpu * 1e6 / static_cast<double>(std::max<int64_t>(1, incr.records)));
            if (full.server_cpu >= 0) full_server.push_back(full.server_cpu * 1e6 / static_cast<double>(full.records));
            if (incr.server_cpu >= 0) incr_server.push_back(incr.server_cpu * 1e6 / static_cast<double>(incr.records));
            runs_json += std::string(runs_json.empty() ? "" : ",") + "{\"full\":" + FiguresJson(full) +
                         ",\"incremental\":" + FiguresJson(incr) + "}";
        }
        const double fw = Median(full_wall), fc = Median(full_cpu), iw = Median(incr_wall), ic = Median(incr_cpu);
        std::printf(
            "%-8s median of %d: full %.2f s wall (%.1fx the fetch alone), %.2f us/record CPU (%.1fx the fetch alone); "
            "incremental %.2f s wall (%.3f of the full run), %.2f us/record CPU\n",
            store,
            runs,
            fw,
            fetch.wall > 0 ? fw / fetch.wall : 0,
            fc,
            fetch_us > 0 ? fc / fetch_us : 0,
            iw,
            fw > 0 ? iw / fw : 0,
            ic
        );
        char buf[768];
        std::snprintf(
            buf,
            sizeof buf,
            ",\"%s\":{\"full_seconds\":%.3f,\"full_cpu_us_per_record\":%.3f,\"full_server_cpu_us_per_record\":%s,"
            "\"incremental_seconds\":%.3f,\"incremental_cpu_us_per_record\":%.3f,"
            "\"incremental_server_cpu_us_per_record\":%s,\"full_wall_ratio_vs_fetch\":%.3f,"
            "\"full_cpu_ratio_vs_fetch\":%.3f,\"incremental_wall_ratio_vs_full\":%.4f,\"runs\":[",
            store,
            fw,
            fc,
            full_server.empty() ? "null" : std::to_string(Median(full_server)).c_str(),
            iw,
            ic,
            incr_server.empty() ? "null" : std::to_string(Median(incr_server)).c_str(),
            fetch.wall > 0 ? fw / fetch.wall : 0,
            fetch_us > 0 ? fc / fetch_us : 0,
            fw > 0 ? iw / fw : 0
        );
        json += buf + runs_json + "]}";
        if (std::string(store) == "sqlite") sqlite_full = fw, sqlite_cpu = fc;
    };
    if (sqlite) run_store("sqlite", db::Dialect::kSqlite);
    if (!pg_dsn.empty()) {
        setenv("MORTAR_TEST_PG_DSN", pg_dsn.c_str(), 1);
        run_store("postgres", db::Dialect::kPostgres);
    } else {
        json += ",\"postgres\":null";
    }
    const int64_t total_changed = bench.changed()[0] + bench.changed()[1] + bench.changed()[2] + bench.changed()[3];
    json += ",\"changed_per_round\":" + std::to_string(total_changed);
    char tail[256];
    std::snprintf(
        tail,
        sizeof tail,
        ",\"targets\":{\"sqlite_full_seconds\":30,\"cpu_us_per_record\":10,\"met\":%s}}",
        sqlite && sqlite_full <= 30 && sqlite_cpu <= 10 ? "true" : "false"
    );
    json += tail;
    kill(sim.pid, SIGTERM);
    waitpid(sim.pid, nullptr, 0);
    std::printf("%s\n", json.c_str());
    return ok ? 0 : 1;
}
