// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

// The harness of the HTTP functional tests: it runs the real `mortar` binary (path in
// MORTAR_BIN) as a child process on a fresh data directory or a fresh PostgreSQL
// database, creates API keys with `mortar admin create-api-key`, and talks to it over
// loopback HTTP with a small libcurl client. Nothing here knows about any resource.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/types.h>

#include "core/json.hpp"

namespace mortar::ftest {

// The store a server under test runs on.
enum class Backend { kSqlite, kPostgres };

// "Sqlite" or "Postgres": used in parameterised test names.
std::string BackendName(Backend backend);

// True when MORTAR_TEST_PG_DSN is set, i.e. PostgreSQL instantiations can run.
bool PostgresAvailable();

// One HTTP response as received: status, header fields (names lower-cased, in
// order), body bytes.
struct HttpResponse {
    long status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // Set when the request could not be sent or no response was read.
    std::string transport_error;

    // The value of the first header field with this name (case-insensitive), or nullptr.
    const std::string* Header(std::string_view name) const;
    // The body parsed as JSON (once; the reference lives as long as this response). A
    // body that does not parse is a test failure (reported with the body) and yields null.
    const json::Value& Json() const;
    // "GET /api/x -> 404 {...}": for failure messages.
    std::string Describe() const;
    std::string request_line;  // "GET /api/x", filled by HttpClient

private:
    mutable std::optional<json::Value> parsed_;
};

// Extra request header fields, sent as given.
using Headers = std::vector<std::pair<std::string, std::string>>;

// A minimal HTTP/1.1 client over one libcurl easy handle, so consecutive requests reuse
// one keep-alive connection. Targets are sent byte for byte (no URL normalisation, no
// dot-segment removal), so raw and hostile query strings reach the server unchanged.
// Thread safety: confined to one thread.
class HttpClient {
public:
    // `base_url` is "http://127.0.0.1:PORT". `api_key`, when not empty, is sent as
    // `x-api-key` on every request.
    HttpClient(std::string base_url, std::string api_key);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Sends `method` to base_url + `target` (a path with an optional raw query). A non-empty
    // body is sent with `Content-Type: application/vnd.api+json` unless `headers` names a
    // Content-Type (an empty value there suppresses the header; a name ending in ';' with
    // an empty value sends the header empty, as libcurl spells it). With `no_api_key` the
    // x-api-key header is left out. Never throws; transport failures land in
    // HttpResponse::transport_error with status 0.
    HttpResponse Send(
        std::string_view method,
        std::string_view target,
        std::string_view body = {},
        const Headers& headers = {},
        bool no_api_key = false
    );

    HttpResponse Get(std::string_view target) { return Send("GET", target); }
    HttpResponse Post(std::string_view target, std::string_view body) { return Send("POST", target, body); }
    HttpResponse Patch(std::string_view target, std::string_view body) { return Send("PATCH", target, body); }
    HttpResponse Delete(std::string_view target, std::string_view body = {}) { return Send("DELETE", target, body); }

    // Fetches an absolute URL exactly as given (how itglue-py follows links.next). The
    // URL must start with this client's base URL; anything else is a failed response.
    HttpResponse GetAbsolute(const std::string& url);

    const std::string& base_url() const { return base_url_; }
    const std::string& api_key() const { return api_key_; }

private:
    void* curl_ = nullptr;  // CURL*, kept out of this header
    std::string base_url_;
    std::string api_key_;
};

// Options of one `mortar serve` process.
struct ServerOptions {
    Backend backend = Backend::kSqlite;
    // Extra `serve` arguments, e.g. {"--rate-limit", "20", "--rate-window-seconds", "60"}.
    std::vector<std::string> extra_args;
    // Run `mortar migrate` and create key A before serving (the shared servers); otherwise
    // serve starts on an empty store, which it must migrate by itself, and both keys are
    // created while it runs.
    bool migrate_first = false;
    // Serve the store (database or data directory) and master key of this running or
    // killed server instead of a fresh one; that server keeps owning them.
    const class MortarServer* store_of = nullptr;
};

// A running `mortar serve` on 127.0.0.1 and an ephemeral port, with its own temporary
// data directory (and, on PostgreSQL, its own database created from MORTAR_TEST_PG_DSN).
// Start() returns once the server printed its listening line and the API keys of account
// A (the default account) and B ("other") exist.
// Stop() sends SIGTERM, expects exit status 0 and removes the directory and database.
// Thread safety: confined to one thread.
class MortarServer {
public:
    ~MortarServer();
    MortarServer(const MortarServer&) = delete;
    MortarServer& operator=(const MortarServer&) = delete;

    // Starts a server. On failure returns nullptr and `error` says why (with the tail of
    // the server's log).
    static std::unique_ptr<MortarServer> Start(const ServerOptions& options, std::string* error);

    // Stops the server with SIGTERM and waits for it. Returns an empty string when it
    // exited with status 0 within the deadline and printed nothing more on stdout,
    // otherwise what went wrong. Idempotent.
    std::string Stop();
    // Kills the server with SIGKILL (a crash) and reaps it; the store stays for a
    // server started with ServerOptions::store_of.
    void Kill();

    // "http://127.0.0.1:PORT".
    const std::string& base_url() const { return base_url_; }
    // Keys of the default account (A) and of the account "other" (B).
    const std::string& key_a() const { return key_a_; }
    const std::string& key_b() const { return key_b_; }
    // Runs `mortar admin create-api-key` against this server's store; nullopt on failure.
    std::optional<std::string> CreateApiKey(const std::string& account, bool password_access, std::string* error);
    // Runs `mortar admin create-user` (the password on stdin); the new user's id, or
    // nullopt with `error` set.
    std::optional<int64_t> CreateUser(
        const std::string& email,
        const std::string& name,
        const std::string& role,
        const std::string& password,
        const std::string& account,
        std::string* error
    );
    // The last `max_bytes` of the server's stderr log.
    std::string LogTail(size_t max_bytes = 4000) const;
    // The --db / --data-dir arguments of this server's store.
    std::vector<std::string> StoreArgs() const;

private:
    MortarServer() = default;

    Backend backend_ = Backend::kSqlite;
    std::string dir_;    // temporary directory (data dir and logs)
    std::string pg_db_;  // database name on PostgreSQL, empty on SQLite
    std::string pg_conninfo_;
    std::string data_dir_;  // the data directory (SQLite store, master key)
    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::string base_url_;
    std::string key_a_;
    std::string key_b_;
    bool stopped_ = false;
};

// The shared server of a backend in this test binary: started on first use, stopped
// (and its exit status checked) by a gtest Environment at the end of the run. Returns
// nullptr when it could not start; `error` then says why.
MortarServer* SharedServer(Backend backend, std::string* error);

// Runs `argv` (argv[0] a path) with stdout captured and stderr appended to `log_path`;
// returns the exit status (or -1) and fills `out`. Fails after `timeout`. With `input`,
// the command reads it on stdin (else /dev/null).
int RunCommand(
    const std::vector<std::string>& argv,
    const std::string& log_path,
    std::string* out,
    std::chrono::milliseconds timeout,
    const std::string* input = nullptr
);

// Decodes a query string as form data ('+' is a space, %XX escapes). Malformed escapes
// are kept literally: this is for reading the server's own links.
std::vector<std::pair<std::string, std::string>> DecodeForm(std::string_view query);

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view s);

// Starts `argv` (argv[0] a path) with stdout on a pipe (*stdout_fd, to read and close),
// stderr appended to `log_path`, stdin reading `input` (or /dev/null). The child gets
// SIGTERM if this process dies. Returns its pid, or -1 with `error` set.
pid_t SpawnProcess(
    const std::vector<std::string>& argv,
    const std::string& log_path,
    int* stdout_fd,
    std::string* error,
    const std::string* input = nullptr
);
// Waits for a spawned process to exit; its wait status, or nullopt after `timeout`.
std::optional<int> WaitForProcess(pid_t pid, std::chrono::milliseconds timeout);

// Creates (afresh) a database of this name on MORTAR_TEST_PG_DSN's server and returns
// its conninfo; nullopt with `error` set when it cannot. DropTestDatabase removes it.
std::optional<std::string> CreateTestDatabase(const std::string& name, std::string* error);
void DropTestDatabase(const std::string& name);

}  // namespace mortar::ftest
