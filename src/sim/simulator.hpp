// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "sim/dataset.hpp"

namespace mortar::http {
class Server;
}

namespace mortar::sim {

// Switches for injected faults. Counts are "the next N requests" (control requests
// excluded); they run down as requests arrive.
struct Faults {
    bool bad_credentials = false;   // every credential check fails
    int throttle_count = 0;         // answer 429 with the vendor's envelope
    std::string retry_after = "1";  // sent with those 429s ("" for none)
    int error_count = 0;            // answer error_status (5xx)
    int error_status = 503;
    int garbage_count = 0;  // answer 200 with the body cut in half (a broken payload)
    int slow_count = 0;     // delay these requests by slow_ms before answering
    int64_t slow_ms = 0;
    // After this many list pages, change the data of the kind being listed: the record
    // with the lowest id is updated, the one with the highest id deleted, one is added.
    int mutate_after_pages = 0;
};

// Parses the --faults syntax: a comma-separated list of bad-credentials,
// expired-token, 429=N[:RETRY_AFTER], 5xx=N[:STATUS], slow=MS[xN], mutate-after=PAGES,
// garbage=N.
// `expired_token` is set for expired-token.
Status ParseFaults(std::string_view text, Faults& faults, bool& expired_token);

struct SimOptions {
    DatasetOptions data;
    std::string faults;          // --faults syntax
    int64_t rate_limit = -1;     // requests per window; -1: the vendor's default, 0: off
    int64_t rate_window_s = -1;  // -1: the vendor's default
    int64_t token_lifetime_s = 3600;
    int worker_threads = 4;
    // A data profile applied to the data set once built (sim/profile.hpp): "" or "demo".
    std::string profile;
    // UniView: the latest backups start in the hours before this instant (ms); 0: before
    // 2025-06-01, fixed so tests see the same backups every day. The demo uses its start time.
    int64_t backups_until_ms = 0;
};

struct LoggedRequest {
    int64_t seq = 0;
    std::string method;
    std::string path;
    std::string query;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;  // the first 4 KiB
    int status = 0;
};

// One simulated PSA behind the project's HTTP server, on 127.0.0.1 only. Every request
// is logged; /_sim/* is the control API (loopback peers only):
//   GET /_sim/log[?since=SEQ]  the request log; DELETE /_sim/log clears it
//   POST /_sim/faults          {"bad_credentials":true,"throttle":{"count":3,"retry_after":"2"},
//                               "errors":{"count":2,"status":503},"slow":{"count":1,"ms":1500},
//                               "garbage":{"count":1},
//                               "mutate_after_pages":2,"expire_tokens":true,"move_zone":true}
//   POST /_sim/mutate          {"kind":"configurations","op":"update|delete|add","id":7,"set":{...}}
//   POST /_sim/clock           {"advance_s":3600}
//   GET /_sim/credentials      what the simulator accepts
// Thread safety: thread-safe once started.
class Simulator {
public:
    virtual ~Simulator();
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    // "autotask", "connectwise", "halopsa" or "uniview"; kInvalidArgument otherwise or for
    // bad faults.
    static Result<std::unique_ptr<Simulator>> Create(std::string_view vendor, SimOptions options);

    // Binds host:port (0 picks a port). Then either Run() here or Serve() on a thread.
    Status Start(const std::string& host, uint16_t port);
    void StopOnSignals();
    void Run();                // until Stop()
    void ServeInBackground();  // Run() on an own thread; Stop() joins it
    void Stop();
    uint16_t port() const;
    // "http://127.0.0.1:PORT".
    std::string base_url() const;

    virtual std::string_view vendor() const = 0;
    // The credentials and URLs a connector needs, in order, for people and tests.
    virtual std::vector<std::pair<std::string, std::string>> Credentials() const = 0;

    Dataset& data() { return data_; }
    // Changes the faults under the simulator's lock.
    template <class F>
    void WithFaults(F&& f) {
        std::lock_guard lock(mu_);
        f(faults_);
    }
    // Makes every token issued so far invalid (vendors with tokens).
    virtual void ExpireTokens() {}
    // Moves the tenant to another zone (Autotask: the old zone's URLs answer 401) or
    // codebase (ConnectWise: the old codebase's routes answer 404).
    virtual void MoveZone() {}
    std::vector<LoggedRequest> Log(int64_t since = 0) const;
    void ClearLog();
    // Requests logged whose path contains `fragment` (case-insensitive).
    int64_t CountRequests(std::string_view fragment) const;
    // The simulator's clock: real time plus an adjustable offset.
    int64_t NowMillis() const;
    void AdvanceClock(int64_t ms);

    http::Response Handle(http::Request& req);

protected:
    explicit Simulator(SimOptions options);

    virtual http::Response HandleApi(http::Request& req) = 0;
    // A response in the vendor's error envelope.
    virtual http::Response Error(int status, std::string_view message) const = 0;
    // Vendors serving a second origin (UniView's token server) start and stop it here;
    // StartMore runs after the main server bound, StopMore before it is joined. A vendor
    // overriding StopMore calls it from its own destructor too.
    virtual Status StartMore(const std::string& host) {
        (void)host;
        return Status::Ok();
    }
    virtual void StopMore() {}
    // Called by vendors after answering a list page of `kind` (for mutate_after_pages).
    void OnListPage(Kind kind);
    // Counts one request against the rolling window. Returns the fraction of the budget
    // used before this one (0 when off), or nullopt with `retry_after_s` when over.
    std::optional<double> CountRate(int64_t& retry_after_s);
    bool BadCredentials() const;
    // Requests counted in the current rate window.
    int64_t RateWindowCount() const;

    const SimOptions options_;
    Dataset data_;
    mutable std::mutex mu_;
    Faults faults_;
    bool expired_token_fault_ = false;

private:
    http::Response Control(http::Request& req);

    std::atomic<int64_t> clock_offset_ms_{0};
    std::deque<LoggedRequest> log_;
    int64_t seq_ = 0;
    int list_pages_ = 0;
    std::deque<int64_t> window_;  // request times in the rate window
    std::unique_ptr<http::Server> server_;
    std::thread thread_;
    std::string host_ = "127.0.0.1";
};

// Vendor factories (sim/autotask.cpp, sim/connectwise.cpp, sim/halopsa.cpp).
std::unique_ptr<Simulator> NewAutotaskSimulator(SimOptions options);
std::unique_ptr<Simulator> NewConnectWiseSimulator(SimOptions options);
std::unique_ptr<Simulator> NewHaloPsaSimulator(SimOptions options);
std::unique_ptr<Simulator> NewUniViewSimulator(SimOptions options);

// Shared helpers for the vendor files.
http::Response JsonResponse(int status, std::string body);
// Case-insensitive ASCII comparison and search.
bool IEquals(std::string_view a, std::string_view b);
bool IContains(std::string_view haystack, std::string_view needle);
bool IStartsWith(std::string_view s, std::string_view prefix);
bool IEndsWith(std::string_view s, std::string_view suffix);

}  // namespace mortar::sim
