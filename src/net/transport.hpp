// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "net/http_client.hpp"

namespace mortar::net {

// Waits. Tests substitute one that advances a fake clock instead.
// Thread safety: implementations are thread-safe.
class Sleeper {
public:
    virtual ~Sleeper() = default;
    virtual void SleepMillis(int64_t ms) = 0;
    static Sleeper& Real();
};

// When and how often a request is tried again.
struct RetryPolicy {
    int max_attempts = 6;                 // tries of one request, the first included
    int64_t base_delay_ms = 500;          // back-off before the first retry is drawn from [0, base]
    int64_t max_delay_ms = 30000;         // cap of one back-off draw
    int64_t max_total_ms = 300000;        // one request's whole budget, waits included
    int64_t max_retry_after_ms = 120000;  // a longer Retry-After gives up at once
};

// Full-jitter exponential back-off: a delay drawn uniformly from
// [0, min(max_delay, base * 2^retry)], `retry` counting from 0. `random` is any 64-bit
// random number (the caller's generator), so the function is pure.
int64_t BackoffDelay(const RetryPolicy& policy, int retry, uint64_t random);

// Parses an HTTP-date (RFC 9110: IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", and the
// obsolete RFC 850 and asctime forms) into milliseconds since the epoch.
std::optional<int64_t> ParseHttpDate(std::string_view text);

// The wait a Retry-After value asks for, in milliseconds from `now_ms`: delay-seconds
// ("120") or an HTTP-date (a date in the past means 0). nullopt when unparsable.
std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_ms);

// Sends a request without authentication, with the transport's retries.
using SendFn = std::function<Result<HttpResponse>(const HttpRequest&)>;

// Adds credentials to requests.
// Thread safety: implementations are thread-safe.
class AuthStrategy {
public:
    virtual ~AuthStrategy() = default;
    // Adds credentials to `request`; may call `send` to obtain them (a token). A failure
    // here is the request's failure: kUnauthenticated when the credentials are refused.
    virtual Status Apply(HttpRequest& request, const SendFn& send) = 0;
    // Called after a 401 to a request carrying credentials from Apply. Returns true when
    // one retry with fresh credentials may succeed (a cached token was dropped).
    virtual bool Invalidate() { return false; }
};

// Fixed headers on every request (API keys, HTTP Basic).
std::shared_ptr<AuthStrategy> StaticHeaders(std::vector<std::pair<std::string, std::string>> headers);

// "Basic base64(user:password)".
std::string BasicAuthorization(std::string_view user, std::string_view password);

struct ClientCredentials {
    std::string token_url;
    std::string client_id;
    std::string client_secret;
    std::string scope;  // empty: not sent
    // Extra form fields (Halo's tenant).
    std::vector<std::pair<std::string, std::string>> extra_form;
    // Authenticate the client with HTTP Basic instead of form fields.
    bool basic_client_auth = false;
    // Fetch a new token this long before the old one expires.
    int64_t refresh_margin_ms = 60000;
};

// OAuth2 client credentials: a Bearer token fetched on first use, refreshed shortly
// before expiry and after a 401. Token endpoint errors map to kUnauthenticated
// (invalid_client, unauthorized_client, 401), kPermissionDenied (invalid_scope) or
// kInvalidArgument (other 4xx); the secret never appears in a message.
std::shared_ptr<AuthStrategy> OAuth2ClientCredentials(ClientCredentials credentials, const Clock& clock);

struct TransportOptions {
    RetryPolicy retry;
    const Clock* clock = nullptr;  // default: the real clock
    Sleeper* sleeper = nullptr;    // default: the real sleeper
    uint64_t seed = 0;             // jitter seed; 0: random
    // A response (status >= 500) this says is permanent is returned at once instead of
    // retried: a vendor's configuration error spelled as a 500.
    std::function<bool(const HttpResponse&)> permanent;
};

// What one Transport has done, for sync-run records and benchmarks.
struct TransportStats {
    int64_t calls = 0;    // requests sent, retries and token requests included
    int64_t retries = 0;  // of those, retries
    int64_t waited_ms = 0;
};

// The shared policy over an HttpClient: authentication, retries with back-off and
// jitter for 429, 5xx (except `permanent` ones), timeouts and connection failures,
// Retry-After (seconds or HTTP-date), an attempts and total-time budget, one retry with
// fresh credentials after a 401, and a count of calls.
//
// Send returns the response for any status that is not retried (2xx, 3xx, 4xx including
// a 401 that persisted, permanent 5xx). When the budget runs out it returns a Status:
// kResourceExhausted after 429s, kUnavailable after 5xx or connection failures,
// kDeadlineExceeded after timeouts. Vendor code maps the remaining statuses.
// Thread safety: thread-safe.
class Transport {
public:
    Transport(HttpClient& client, TransportOptions options, std::shared_ptr<AuthStrategy> auth = nullptr);

    Result<HttpResponse> Send(const HttpRequest& request);
    // Sends without authentication (zone and codebase discovery), with retries.
    Result<HttpResponse> SendUnauthenticated(const HttpRequest& request);

    TransportStats stats() const;
    const Clock& clock() const { return *clock_; }

private:
    Result<HttpResponse> SendWithRetry(const HttpRequest& request);

    HttpClient& client_;
    TransportOptions options_;
    std::shared_ptr<AuthStrategy> auth_;
    const Clock* clock_;
    Sleeper* sleeper_;
    std::mutex rng_mu_;
    std::mt19937_64 rng_;
    std::atomic<int64_t> calls_{0};
    std::atomic<int64_t> retries_{0};
    std::atomic<int64_t> waited_ms_{0};
};

}  // namespace mortar::net
