// SPDX-License-Identifier: AGPL-3.0-or-later
// The `mortar` binary: configuration and wiring only.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include "api/access_admin.hpp"
#include "api/service.hpp"
#include "auth/api_keys.hpp"
#include "auth/users.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "db/database.hpp"
#include "demo/demo.hpp"
#include "domains/domains.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "jsonapi/document.hpp"
#include "match/pairs.hpp"
#include "sim/profile.hpp"
#include "sim/simulator.hpp"
#include "sync/routes.hpp"
#ifdef MORTAR_SYNC_ENGINE
#include <random>

#include <unistd.h>

#include "connectors/connector.hpp"
#include "sync/backup.hpp"
#include "sync/connect.hpp"
#include "sync/runner.hpp"
#endif
#include "vault/master_key.hpp"
#include "vault/vault.hpp"

#ifndef MORTAR_VERSION
#define MORTAR_VERSION "0.0.0"
#endif
#ifndef MORTAR_DEFAULT_WEB_DIR
#define MORTAR_DEFAULT_WEB_DIR "web/dist"
#endif

namespace mortar {
namespace {

// Where the data lives: --db wins; otherwise <data-dir>/mortar.db.
struct StoreOptions {
    std::string data_dir = "./data";
    std::string db_url;
    std::string master_key_file;

    // The master key file: --master-key-file, else <data-dir>/master.key.
    std::string MasterKeyPath() const {
        if (!master_key_file.empty()) return master_key_file;
        return (std::filesystem::path(data_dir) / "master.key").string();
    }

    void AddMasterKeyOption(CLI::App* cmd) {
        cmd->add_option(
               "--master-key-file",
               master_key_file,
               "File holding the vault's master key (default: <data-dir>/master.key; keep it outside the data "
               "directory and its backups in production)"
        )
            ->envname("MORTAR_MASTER_KEY_FILE");
    }

    // Opens the vault with the master key file, creating the file when `create` allows.
    // A key that does not match the database is refused before anything is touched.
    Result<std::unique_ptr<vault::Vault>> OpenVault(db::Database& db, bool create) const {
        const std::string path = MasterKeyPath();
        if (create) {
            std::error_code ec;
            std::filesystem::create_directories(
                std::filesystem::path(path).parent_path().empty() ? std::filesystem::path(".")
                                                                  : std::filesystem::path(path).parent_path(),
                ec
            );
        }
        auto key = vault::LoadOrCreateMasterKey(path, create);
        if (!key) return key.status();
        if (key->created) {
            log::warn(
                "created a new vault master key at {} (mode 0600). Back it up: without it no secret can be read. "
                "Production installs should keep it outside the data directory (--master-key-file).",
                path
            );
        }
        if (key->insecure_permissions) log::warn("the master key file {} is readable by other users", path);
        auto opened = vault::Vault::Open(db, key->key);
        if (opened.ok()) return opened;
        std::string message = opened.status().message();
        if (key->created) {
            message += "; a new key file was just created at " + path +
                       " because none was there, so this database's key file is missing: restore it";
        }
        if (std::filesystem::exists(path + ".new")) {
            message +=
                "; " + path + ".new exists: an interrupted rotation can be completed with mortar admin rotate-key";
        }
        return Status(opened.status().code(), message);
    }

    void AddTo(CLI::App* cmd) {
        cmd->add_option("--data-dir", data_dir, "Directory for the embedded SQLite store")
            ->envname("MORTAR_DATA_DIR")
            ->capture_default_str();
        cmd->add_option(
               "--db",
               db_url,
               "Database: a SQLite file path, or postgresql://user@host/dbname (or a libpq key=value string)"
        )
            ->envname("MORTAR_DB");
    }

    // Opens the store, creating the data directory for SQLite, and migrates it.
    Result<std::unique_ptr<db::Database>> Open() const {
        db::Config config;
        if (!db_url.empty()) {
            config.url = db_url;
        } else {
            std::error_code ec;
            std::filesystem::create_directories(data_dir, ec);
            if (ec) return Status::Unavailable("cannot create data directory " + data_dir + ": " + ec.message());
            config.url = (std::filesystem::path(data_dir) / "mortar.db").string();
        }
        auto database = db::Database::Open(config);
        if (!database) return database.status();
        auto applied = (*database)->Migrate();
        if (!applied) return applied.status();
        if (*applied > 0) log::info("applied {} schema migration(s)", *applied);
        return database;
    }
};

// The first line of stdin (without its line end). On a terminal the line is read
// without echo after a prompt on stderr.
std::string ReadPasswordLine() {
    const bool tty = isatty(STDIN_FILENO) != 0;
    termios saved{};
    if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
        std::fprintf(stderr, "Password: ");
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fprintf(stderr, "\n");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

int Fail(const Status& s) {
    std::fprintf(stderr, "mortar: %s\n", s.message().c_str());
    return 1;
}

bool SplitListen(const std::string& listen, std::string& host, uint16_t& port) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) return false;
    host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string p = listen.substr(colon + 1);
    if (p.empty() || p.size() > 5 || !std::all_of(p.begin(), p.end(), ::isdigit)) return false;
    const int n = std::stoi(p);
    if (n > 65535) return false;
    port = static_cast<uint16_t>(n);
    return !host.empty();
}

struct ServeOptions {
    std::string listen = "127.0.0.1:8080";
    std::string public_url;
    int64_t rate_limit = 3000;
    int64_t rate_window_seconds = 300;
    std::size_t max_body_bytes = 8 * 1024 * 1024;
    int workers = 0;
    int io_threads = 0;
    bool no_response_cache = false;
    std::string web_dir = MORTAR_DEFAULT_WEB_DIR;
    int64_t session_idle_minutes = 8 * 60;
    int64_t session_max_hours = 7 * 24;
    bool no_jobs = false;
    int64_t job_poll_ms = 2000;
    int64_t job_lease_seconds = 60;
};

#ifdef MORTAR_SYNC_ENGINE
// This process's job-runner id: host, pid and a random part.
std::string RunnerId() {
    char host[256] = {0};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    std::random_device rd;
    char suffix[9];
    std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(rd()));
    return std::string(host) + ":" + std::to_string(getpid()) + ":" + suffix;
}
#endif

// Run by a command built on `serve` once the server listens and its job runner runs, on
// a thread of its own: `base_url` is the server's, `stopping` turns true when the server
// stops. A failure stops the server.
using AfterStart =
    std::function<Status(db::Database& db, const std::string& base_url, const std::atomic<bool>& stopping)>;

int Serve(const StoreOptions& store, const ServeOptions& opts, const AfterStart& after_start = nullptr) {
    std::string host;
    uint16_t port = 0;
    if (!SplitListen(opts.listen, host, port)) {
        return Fail(Status::InvalidArgument("--listen must be HOST:PORT, for example 127.0.0.1:8080"));
    }
    std::string public_url = opts.public_url;
    while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
    if (!public_url.empty() && public_url.rfind("http://", 0) != 0 && public_url.rfind("https://", 0) != 0) {
        return Fail(Status::InvalidArgument("--public-url must start with http:// or https://"));
    }
    auto database = store.Open();
    if (!database) return Fail(database.status());
    db::Database& db = **database;

    api::ServiceOptions service_options;
    service_options.public_url = public_url;
    service_options.rate_limit = opts.rate_limit;
    service_options.rate_window_seconds = opts.rate_window_seconds;
    service_options.response_cache = !opts.no_response_cache;
    service_options.sessions.idle_seconds = opts.session_idle_minutes * 60;
    service_options.sessions.absolute_seconds = opts.session_max_hours * 3600;
    api::Service service(db, Clock::Real(), service_options);
    auto vault = store.OpenVault(db, true);
    if (!vault) return Fail(vault.status());
    service.set_vault(vault->get());

    http::Router router;
    router.Add(http::Method::kGet, "/healthz", [](http::Request&) {
        return http::Response::Text(200, "{\"status\":\"ok\"}", "application/json");
    });
    router.Add(http::Method::kGet, "/readyz", [&db](http::Request&) {
        if (Status s = db.Ping(); !s.ok()) {
            return http::Response::Text(
                503, "{\"status\":\"unavailable\",\"detail\":\"database\"}", "application/json"
            );
        }
        return http::Response::Text(200, "{\"status\":\"ready\"}", "application/json");
    });
    domains::RegisterAll(service, router);
#ifdef MORTAR_SYNC_ENGINE
    sync::Engine engine(
        db,
        vault->get(),
        Clock::Real(),
        [](std::string_view kind, const std::map<std::string, std::string>& settings) {
            return connectors::MakeConnector(kind, settings);
        }
    );
    std::unique_ptr<sync::JobRunner> runner;
    if (!opts.no_jobs) {
        runner = std::make_unique<sync::JobRunner>(
            db,
            engine,
            Clock::Real(),
            sync::RunnerOptions{
                .owner = RunnerId(), .lease_ms = opts.job_lease_seconds * 1000, .poll_ms = opts.job_poll_ms}
        );
    }
    sync::RegisterRoutes(service, router, [&runner] {
        if (runner) runner->Wake();
    });
    // Requests that wait on a vendor (lookups, Sync now): retried once, briefly.
    const sync::ConnectorFactory interactive = [](std::string_view kind,
                                                  const std::map<std::string, std::string>& settings) {
        connectors::ConnectorEnv env;
        env.retry.max_attempts = 2;
        env.retry.base_delay_ms = 200;
        env.retry.max_total_ms = 20000;
        return connectors::MakeConnector(kind, settings, env);
    };
    sync::RegisterLookupRoutes(service, router, vault->get(), interactive);
    sync::RegisterBackupRoutes(service, router, vault->get(), interactive);
#else
    sync::RegisterRoutes(service, router, nullptr);
#endif
    api::RegisterAccessAdministration(service, router);
    // Every path outside /api belongs to the web UI (API.md 1); /api keeps its JSON 404s.
    http::StaticFiles web_ui(opts.web_dir);
    if (!web_ui.Available()) {
        log::warn("no web UI in {} (index.html missing): / will say so; build it with scripts/build.sh", opts.web_dir);
    }
    router.SetFallback([&service, &web_ui](http::Request& req, bool known) {
        const std::string path = http::Router::NormalisePath(req.path);
        if (path == "/api" || path.rfind("/api/", 0) == 0) return service.Fallback(req, known);
        return web_ui.Serve(req);
    });

    http::ServerOptions server_options;
    server_options.host = host;
    server_options.port = port;
    server_options.body_limit = opts.max_body_bytes;
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    server_options.io_threads = opts.io_threads > 0 ? opts.io_threads : cores;
    server_options.worker_threads = opts.workers > 0 ? opts.workers : std::max(4, cores * 2);
    server_options.error_response = [](int status, std::string_view detail) {
        return jsonapi::ErrorResponse(status, detail);
    };
    http::Server server(server_options, [&router](http::Request& req) {
        return api::Service::Guard([&] { return router.Dispatch(req); }, req);
    });
    if (Status s = server.Start(); !s.ok()) return Fail(s);
    server.StopOnSignals();
    log::info(
        "serving on {}:{} ({} store)",
        host,
        server.port(),
        db.dialect() == db::Dialect::kSqlite ? "SQLite" : "PostgreSQL"
    );
    std::printf("mortar: listening on http://%s:%u\n", host.c_str(), static_cast<unsigned>(server.port()));
    std::fflush(stdout);
#ifdef MORTAR_SYNC_ENGINE
    if (runner) runner->Start();
#endif
    std::atomic<bool> stopping{false};
    std::atomic<bool> failed{false};
    std::thread after;
    if (after_start) {
        // The server's own address: loopback for a wildcard, IPv6 literals in brackets.
        std::string self_host = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host;
        if (self_host.find(':') != std::string::npos) self_host = "[" + self_host + "]";
        const std::string self = "http://" + self_host + ":" + std::to_string(server.port());
        after = std::thread([&, self] {
            Status s = after_start(db, self, stopping);
            if (!s.ok() && !stopping.load()) {
                Fail(s);
                failed = true;
                server.Stop();
            }
        });
    }
    server.Run();
    stopping = true;
    if (after.joinable()) after.join();
#ifdef MORTAR_SYNC_ENGINE
    if (runner) runner->Stop();
#endif
    log::info("stopped");
    return failed.load() ? 1 : 0;
}

struct DemoOptions {
    std::string listen = "127.0.0.1:8080";
    std::string data_dir = "./mortar-demo";
    std::string db_url;
    std::string web_dir = MORTAR_DEFAULT_WEB_DIR;
    bool fresh = false;
    bool password_stdin = false;
};

// `mortar demo`: the simulators in this process, then `serve` on the demo's data
// directory, set up through the API once it listens (demo/demo.hpp).
int RunDemo(const DemoOptions& o) {
#ifndef MORTAR_SYNC_ENGINE
    (void)o;
    return Fail(Status::Unavailable("this build has no sync engine, which the demo needs"));
#else
    std::string password = o.password_stdin ? ReadPasswordLine() : demo::GeneratePassword();
    if (Status s = auth::CheckNewPassword(password, ""); !s.ok()) {
        return Fail(Status::InvalidArgument("the password must have at least 12 characters"));
    }
    if (o.fresh && !o.db_url.empty()) {
        return Fail(Status::InvalidArgument("--fresh starts over in the SQLite data directory; without --db"));
    }
    if (o.fresh) {
        if (Status s = demo::RemoveStore(o.data_dir); !s.ok()) return Fail(s);
    }
    auto sims = demo::Simulators::Start();
    if (!sims) return Fail(sims.status());
    StoreOptions store;
    store.data_dir = o.data_dir;
    store.db_url = o.db_url;
    ServeOptions serve;
    serve.listen = o.listen;
    serve.web_dir = o.web_dir;
    serve.job_poll_ms = 500;
    // The demo writes thousands of interfaces through the API as it sets itself up.
    serve.rate_limit = 0;
    const int rc =
        Serve(store, serve, [&](db::Database& db, const std::string& base_url, const std::atomic<bool>& stopping) {
            return demo::Setup(
                db,
                *sims,
                demo::SetupOptions{
                    .base_url = base_url,
                    .password = password,
                    .print_password = !o.password_stdin,
                    .stopping = &stopping}
            );
        });
    sims->Stop();
    log::info("demo: simulators stopped");
    return rc;
#endif
}

// `mortar sim VENDOR`: a PSA simulator on loopback; prints its URL and credentials.
int RunSimulator(const std::string& vendor, const std::string& listen, sim::SimOptions options) {
    if (options.profile == sim::kDemoProfile) options.data = sim::DemoDatasetOptions(options.data.seed);
    std::string host;
    uint16_t port = 0;
    if (!SplitListen(listen, host, port)) {
        return Fail(Status::InvalidArgument("--listen must be HOST:PORT, for example 127.0.0.1:9001"));
    }
    auto simulator = sim::Simulator::Create(vendor, std::move(options));
    if (!simulator) return Fail(simulator.status());
    if (Status s = (*simulator)->Start(host, port); !s.ok()) return Fail(s);
    (*simulator)->StopOnSignals();
    std::printf("mortar sim %s: listening on %s\n", vendor.c_str(), (*simulator)->base_url().c_str());
    for (const auto& [name, value] : (*simulator)->Credentials()) std::printf("%s: %s\n", name.c_str(), value.c_str());
    std::fflush(stdout);
    (*simulator)->Run();
    return 0;
}

}  // namespace

int Main(int argc, char** argv) {
    auto logger = spdlog::stderr_logger_mt("mortar");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
    if (const char* level = std::getenv("MORTAR_LOG_LEVEL")) spdlog::set_level(spdlog::level::from_str(level));

    CLI::App app{"Mortar: IT documentation and integration hub for managed service providers"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(MORTAR_VERSION));

    StoreOptions store;
    ServeOptions serve_opts;
    CLI::App* serve = app.add_subcommand("serve", "Serve the web UI and the API");
    serve->add_option("--listen", serve_opts.listen, "Address to listen on, HOST:PORT (PORT 0 picks a free port)")
        ->envname("MORTAR_LISTEN")
        ->capture_default_str();
    store.AddTo(serve);
    store.AddMasterKeyOption(serve);
    serve
        ->add_option(
            "--public-url", serve_opts.public_url, "Public base URL used in links, e.g. https://docs.example.com"
        )
        ->envname("MORTAR_PUBLIC_URL");
    serve->add_option("--rate-limit", serve_opts.rate_limit, "API requests allowed per account per window (0: off)")
        ->envname("MORTAR_RATE_LIMIT")
        ->capture_default_str();
    serve->add_option("--rate-window-seconds", serve_opts.rate_window_seconds, "Length of the rate-limit window")
        ->envname("MORTAR_RATE_WINDOW_SECONDS")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve->add_option("--max-body-bytes", serve_opts.max_body_bytes, "Largest request body accepted")
        ->envname("MORTAR_MAX_BODY_BYTES")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve->add_option("--workers", serve_opts.workers, "Worker threads for request handling (default: 2 per core)")
        ->envname("MORTAR_WORKERS");
    serve
        ->add_option(
            "--io-threads", serve_opts.io_threads, "Threads reading and writing sockets (default: one per core)"
        )
        ->envname("MORTAR_IO_THREADS");
    serve->add_option("--web-dir", serve_opts.web_dir, "Directory of the built web UI served at /")
        ->envname("MORTAR_WEB_DIR")
        ->capture_default_str();
    serve->add_flag("--no-response-cache", serve_opts.no_response_cache, "Render every list page afresh")
        ->envname("MORTAR_NO_RESPONSE_CACHE");
    serve
        ->add_option(
            "--session-idle-minutes", serve_opts.session_idle_minutes, "A web session unused this long has ended"
        )
        ->envname("MORTAR_SESSION_IDLE_MINUTES")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve->add_option("--session-max-hours", serve_opts.session_max_hours, "No web session lives longer than this")
        ->envname("MORTAR_SESSION_MAX_HOURS")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    serve->add_flag("--no-jobs", serve_opts.no_jobs, "Run no background jobs (syncs) in this process")
        ->envname("MORTAR_NO_JOBS");
    serve->add_option("--job-poll-ms", serve_opts.job_poll_ms, "How often the job runner looks for queued jobs")
        ->envname("MORTAR_JOB_POLL_MS")
        ->check(CLI::Range(int64_t{10}, int64_t{600000}))
        ->capture_default_str();
    serve
        ->add_option(
            "--job-lease-seconds",
            serve_opts.job_lease_seconds,
            "How long a claimed job stays leased without a heartbeat before another process takes it over"
        )
        ->envname("MORTAR_JOB_LEASE_SECONDS")
        ->check(CLI::Range(int64_t{2}, int64_t{3600}))
        ->capture_default_str();

    CLI::App* migrate = app.add_subcommand("migrate", "Apply pending schema migrations and exit");
    store.AddTo(migrate);

    CLI::App* version = app.add_subcommand("version", "Print the version");

    CLI::App* admin = app.add_subcommand("admin", "Administrative tasks: accounts and API keys");
    admin->require_subcommand(1);
    std::string account;
    std::string key_name;
    bool password_access = false;
    std::string prefix;
    CLI::App* create_account = admin->add_subcommand("create-account", "Create an account (tenant)");
    store.AddTo(create_account);
    create_account->add_option("name", account, "Account name")->required()->envname("MORTAR_ACCOUNT");
    CLI::App* create_key = admin->add_subcommand(
        "create-api-key", "Create an API key and print it once (creates the account when missing)"
    );
    store.AddTo(create_key);
    create_key->add_option("--account", account, "Account name (default: the default account)")
        ->envname("MORTAR_ACCOUNT");
    create_key->add_option("--name", key_name, "A label for the key")->envname("MORTAR_API_KEY_NAME");
    create_key->add_flag("--password-access", password_access, "Allow this key to read password secrets")
        ->envname("MORTAR_PASSWORD_ACCESS");
    CLI::App* revoke_key = admin->add_subcommand("revoke-api-key", "Revoke an API key by its prefix");
    store.AddTo(revoke_key);
    revoke_key->add_option("prefix", prefix, "The key's prefix (the part after ITG.), or the whole key")
        ->required()
        ->envname("MORTAR_API_KEY_PREFIX");
    std::string user_email;
    std::string user_name;
    std::string user_role = "administrator";
    CLI::App* create_user = admin->add_subcommand(
        "create-user",
        "Create a user who signs in to the web UI (the first administrator); reads the password from the first line "
        "of stdin"
    );
    store.AddTo(create_user);
    create_user->add_option("--email", user_email, "The user's email (the login name)")->required();
    create_user->add_option("--name", user_name, "The user's full name")->required();
    create_user->add_option("--role", user_role, "administrator, manager, editor, creator, lite or read-only")
        ->capture_default_str();
    create_user->add_option("--account", account, "Account name (default: the default account)")
        ->envname("MORTAR_ACCOUNT");
    CLI::App* rotate_key = admin->add_subcommand(
        "rotate-key",
        "Replace the vault master key: re-wraps every data key under a new key written to the key file "
        "(running servers keep working; secrets are not re-encrypted)"
    );
    store.AddTo(rotate_key);
    store.AddMasterKeyOption(rotate_key);
    CLI::App* list_keys = admin->add_subcommand("list-api-keys", "List API keys (never their secrets)");
    store.AddTo(list_keys);
    list_keys->add_option("--account", account, "Only this account's keys")->envname("MORTAR_ACCOUNT");

    CLI::App* match = app.add_subcommand("match", "Name matching tools");
    match->require_subcommand(1);
    CLI::App* match_pairs = match->add_subcommand(
        "pairs", "Score name1,name2 CSV records from stdin; writes name1,name2,score,decision (auto/suggest/none)"
    );

    CLI::App* sim_cmd = app.add_subcommand("sim", "Run a PSA simulator for tests and demos (loopback only)");
    std::string sim_vendor;
    std::string sim_listen = "127.0.0.1:0";
    sim::SimOptions sim_opts;
    sim_cmd->add_option("vendor", sim_vendor, "autotask, connectwise, halopsa or uniview")
        ->required()
        ->check(CLI::IsMember({"autotask", "connectwise", "halopsa", "uniview"}));
    sim_cmd->add_option("--listen", sim_listen, "127.0.0.1:PORT (PORT 0 picks a free port)")->capture_default_str();
    sim_cmd->add_option("--companies", sim_opts.data.companies, "Companies to generate")->capture_default_str();
    sim_cmd->add_option("--sites", sim_opts.data.sites, "Sites to generate (-1: two per company)")
        ->capture_default_str();
    sim_cmd->add_option("--contacts", sim_opts.data.contacts, "Contacts to generate")->capture_default_str();
    sim_cmd->add_option("--configurations", sim_opts.data.configurations, "Configuration items to generate")
        ->capture_default_str();
    sim_cmd->add_option("--seed", sim_opts.data.seed, "Seed of the generated data")->capture_default_str();
    sim_cmd->add_option(
        "--faults",
        sim_opts.faults,
        "Faults: bad-credentials,expired-token,429=N[:RETRY_AFTER],5xx=N[:STATUS],slow=MS[xN],mutate-after=PAGES,"
        "garbage=N"
    );
    sim_cmd->add_option("--rate-limit", sim_opts.rate_limit, "Requests per window (-1: the vendor's default, 0: off)")
        ->capture_default_str();
    sim_cmd->add_option("--rate-window-seconds", sim_opts.rate_window_s, "Rate window (-1: the vendor's default)")
        ->capture_default_str();
    sim_cmd
        ->add_option(
            "--profile",
            sim_opts.profile,
            "Data profile: demo (the demo MSP, partly matching across vendors; sets the sizes)"
        )
        ->check(CLI::IsMember({"demo"}));
    sim_cmd->add_option("--token-lifetime-seconds", sim_opts.token_lifetime_s, "Lifetime of issued tokens")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();

    DemoOptions demo_opts;
    CLI::App* demo_cmd = app.add_subcommand(
        "demo",
        "Run a demo on loopback: Autotask and UniView simulators with a realistic MSP, synced into a Mortar with "
        "documentation of every kind; prints the URL and a login"
    );
    demo_cmd->add_option("--listen", demo_opts.listen, "Address to listen on, HOST:PORT (PORT 0 picks a free port)")
        ->capture_default_str();
    demo_cmd->add_option("--data-dir", demo_opts.data_dir, "Directory of the demo's store (reused by the next start)")
        ->capture_default_str();
    demo_cmd->add_option(
        "--db", demo_opts.db_url, "Database instead of the data directory's SQLite: postgresql://user@host/dbname"
    );
    demo_cmd->add_flag(
        "--fresh", demo_opts.fresh, "Start over: remove the demo's store and key from the directory first"
    );
    demo_cmd->add_flag(
        "--password-stdin",
        demo_opts.password_stdin,
        "Read the administrator's password from the first line of stdin (default: a generated one)"
    );
    demo_cmd->add_option("--web-dir", demo_opts.web_dir, "Directory of the built web UI served at /")
        ->capture_default_str();

    CLI11_PARSE(app, argc, argv);

    if (*demo_cmd) return RunDemo(demo_opts);

    if (*sim_cmd) return RunSimulator(sim_vendor, sim_listen, sim_opts);

    if (*match_pairs) {
        if (Status s = match::RunPairs(std::cin, std::cout); !s.ok()) return Fail(s);
        return 0;
    }
    if (*version) {
        std::printf("mortar %s\n", MORTAR_VERSION);
        return 0;
    }
    if (*serve) return Serve(store, serve_opts);
    auto database = store.Open();
    if (!database) return Fail(database.status());
    db::Database& db = **database;
    if (*migrate) {
        std::fprintf(stderr, "mortar: schema is up to date\n");
        return 0;
    }
    if (*create_account) {
        auto id = auth::EnsureAccount(db, account, Clock::Real());
        if (!id) return Fail(id.status());
        std::printf("%lld\n", static_cast<long long>(*id));
        return 0;
    }
    if (*create_key) {
        auto key = auth::CreateApiKey(db, account, key_name, password_access, Clock::Real());
        if (!key) return Fail(key.status());
        std::printf("%s\n", key->c_str());
        return 0;
    }
    if (*create_user) {
        const std::optional<auth::Role> role = auth::ParseRole(user_role);
        if (!role) return Fail(Status::InvalidArgument("--role must be " + auth::RoleChoices()));
        auth::NewUser user{
            .account = account, .email = user_email, .name = user_name, .role = *role, .password = ReadPasswordLine()};
        auto id = auth::CreateUser(db, user, Clock::Real());
        if (!id) return Fail(id.status());
        std::printf("%lld\n", static_cast<long long>(*id));
        return 0;
    }
    if (*revoke_key) {
        if (Status s = auth::RevokeApiKey(db, prefix, Clock::Real()); !s.ok()) return Fail(s);
        std::fprintf(stderr, "mortar: key revoked\n");
        return 0;
    }
    if (*rotate_key) {
        auto rotated = vault::RotateMasterKeyFile(db, store.MasterKeyPath());
        if (!rotated) return Fail(rotated.status());
        std::fprintf(
            stderr,
            "mortar: master key rotated (%d data key(s) re-wrapped%s); the new key is in %s\n",
            rotated->keys_rewrapped,
            rotated->resumed ? ", an interrupted rotation completed" : "",
            store.MasterKeyPath().c_str()
        );
        return 0;
    }
    if (*list_keys) {
        auto keys = auth::ListApiKeys(db, account);
        if (!keys) return Fail(keys.status());
        std::printf("%-8s %-16s %-20s %-8s %-25s %s\n", "ID", "ACCOUNT", "PREFIX", "SECRETS", "CREATED", "REVOKED");
        for (const auto& k : *keys) {
            std::printf(
                "%-8lld %-16s ITG.%-16s %-8s %-25s %s\n",
                static_cast<long long>(k.id),
                k.account_name.c_str(),
                k.prefix.c_str(),
                k.password_access ? "yes" : "no",
                k.created_at.c_str(),
                k.revoked_at.empty() ? "-" : k.revoked_at.c_str()
            );
        }
        return 0;
    }
    return 0;
}

}  // namespace mortar

int main(int argc, char** argv) {
    return mortar::Main(argc, argv);
}
