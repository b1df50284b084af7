// SPDX-License-Identifier: AGPL-3.0-or-later
#include "net/transport.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <thread>

#include "core/json.hpp"
#include "core/strings.hpp"
#include "net/url.hpp"

namespace mortar::net {

namespace {

class RealSleeper final : public Sleeper {
public:
    void SleepMillis(int64_t ms) override {
        if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
};

int MonthNumber(std::string_view m) {
    static constexpr std::string_view kMonths[] = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i) {
        if (m == kMonths[i]) return i + 1;
    }
    return 0;
}

std::vector<std::string_view> Words(std::string_view s) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == ',')) ++i;
        size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != ',') ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

bool AllDigits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int64_t> FromParts(int year, int month, int day, std::string_view hms) {
    if (month == 0 || hms.size() != 8 || hms[2] != ':' || hms[5] != ':') return std::nullopt;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%.*sZ", year, month, day, 8, hms.data());
    auto parsed = ParseTimestamp(buf);
    if (!parsed.ok()) return std::nullopt;
    return *parsed;
}

class StaticHeaderAuth final : public AuthStrategy {
public:
    explicit StaticHeaderAuth(std::vector<std::pair<std::string, std::string>> headers)
        : headers_(std::move(headers)) {}
    Status Apply(HttpRequest& request, const SendFn&) override {
        for (const auto& [k, v] : headers_) request.SetHeader(k, v);
        return Status::Ok();
    }

private:
    const std::vector<std::pair<std::string, std::string>> headers_;
};

class ClientCredentialsAuth final : public AuthStrategy {
public:
    ClientCredentialsAuth(ClientCredentials c, const Clock& clock) : c_(std::move(c)), clock_(clock) {}

    Status Apply(HttpRequest& request, const SendFn& send) override {
        std::lock_guard lock(mu_);
        if (token_.empty() || clock_.NowMillis() >= expires_at_ms_ - c_.refresh_margin_ms) {
            token_.clear();
            MORTAR_RETURN_IF_ERROR(FetchToken(send));
        }
        request.SetHeader("Authorization", "Bearer " + token_);
        return Status::Ok();
    }

    bool Invalidate() override {
        std::lock_guard lock(mu_);
        token_.clear();
        return true;
    }

private:
    Status FetchToken(const SendFn& send) {
        Pairs form{{"grant_type", "client_credentials"}};
        HttpRequest req;
        req.method = "POST";
        req.url = c_.token_url;
        if (c_.basic_client_auth) {
            req.SetHeader("Authorization", BasicAuthorization(c_.client_id, c_.client_secret));
        } else {
            form.emplace_back("client_id", c_.client_id);
            form.emplace_back("client_secret", c_.client_secret);
        }
        if (!c_.scope.empty()) form.emplace_back("scope", c_.scope);
        for (const auto& kv : c_.extra_form) form.push_back(kv);
        req.body = EncodeForm(form);
        req.SetHeader("Content-Type", "application/x-www-form-urlencoded");
        req.SetHeader("Accept", "application/json");
        auto resp = send(req);
        if (!resp.ok()) return resp.status();
        auto body = json::Parse(resp->body);
        std::string error;
        if (body.ok() && body->is_object()) {
            if (const json::Value* e = body->Find("error"); e != nullptr && e->is_string()) error = e->as_string();
        }
        if (resp->status != 200) {
            const std::string what = "token endpoint answered HTTP " + std::to_string(resp->status) +
                                     (error.empty() ? "" : " (" + error + ")");
            if (error == "invalid_client" || error == "unauthorized_client" || resp->status == 401) {
                return Status::Unauthenticated("client credentials refused: " + what);
            }
            if (error == "invalid_scope") return Status::PermissionDenied("scope refused: " + what);
            if (resp->status >= 500) return Status::Unavailable(what);
            return Status::InvalidArgument(what);
        }
        const json::Value* token = body.ok() && body->is_object() ? body->Find("access_token") : nullptr;
        if (token == nullptr || !token->is_string() || token->as_string().empty()) {
            return Status::Unavailable("token endpoint answered without an access_token");
        }
        int64_t expires_in = 3600;
        if (const json::Value* e = body->Find("expires_in"); e != nullptr && e->is_number()) {
            expires_in = static_cast<int64_t>(e->as_double());
        }
        token_ = token->as_string();
        expires_at_ms_ = clock_.NowMillis() + expires_in * 1000;
        return Status::Ok();
    }

    const ClientCredentials c_;
    const Clock& clock_;
    std::mutex mu_;
    std::string token_;
    int64_t expires_at_ms_ = 0;
};

bool IsTransientFailure(const Status& s) {
    return s.code() == Code::kDeadlineExceeded || s.code() == Code::kUnavailable;
}

std::string Snippet(const std::string& body) {
    std::string s = body.substr(0, 200);
    for (char& c : s) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return s;
}

}  // namespace

Sleeper& Sleeper::Real() {
    static RealSleeper sleeper;
    return sleeper;
}

int64_t BackoffDelay(const RetryPolicy& policy, int retry, uint64_t random) {
    int64_t cap = std::max<int64_t>(policy.base_delay_ms, 0);
    for (int i = 0; i < retry && cap < policy.max_delay_ms; ++i) cap *= 2;
    cap = std::min(cap, policy.max_delay_ms);
    if (cap <= 0) return 0;
    return static_cast<int64_t>(random % static_cast<uint64_t>(cap + 1));
}

std::optional<int64_t> ParseHttpDate(std::string_view text) {
    auto w = Words(text);
    if (w.size() == 6 && w[5] == "GMT" && AllDigits(w[1]) && AllDigits(w[3]) && w[3].size() == 4) {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        return FromParts(std::stoi(std::string(w[3])), MonthNumber(w[2]), std::stoi(std::string(w[1])), w[4]);
    }
    if (w.size() == 4 && w[3] == "GMT" && w[1].size() == 9 && w[1][2] == '-' && w[1][6] == '-') {
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        std::string_view d = w[1].substr(0, 2), m = w[1].substr(3, 3), y = w[1].substr(7, 2);
        if (!AllDigits(d) || !AllDigits(y)) return std::nullopt;
        int year = std::stoi(std::string(y));
        year += year < 70 ? 2000 : 1900;
        return FromParts(year, MonthNumber(m), std::stoi(std::string(d)), w[2]);
    }
    if (w.size() == 5 && AllDigits(w[2]) && AllDigits(w[4]) && w[4].size() == 4) {
        // asctime: Sun Nov  6 08:49:37 1994
        return FromParts(std::stoi(std::string(w[4])), MonthNumber(w[1]), std::stoi(std::string(w[2])), w[3]);
    }
    return std::nullopt;
}

std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_ms) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (AllDigits(value)) {
        if (value.size() > 9) return std::nullopt;
        return std::stoll(std::string(value)) * 1000;
    }
    auto when = ParseHttpDate(value);
    if (!when) return std::nullopt;
    return std::max<int64_t>(0, *when - now_ms);
}

std::string BasicAuthorization(std::string_view user, std::string_view password) {
    std::string pair(user);
    pair.push_back(':');
    pair.append(password);
    return "Basic " + Base64Encode(pair);
}

std::shared_ptr<AuthStrategy> StaticHeaders(std::vector<std::pair<std::string, std::string>> headers) {
    return std::make_shared<StaticHeaderAuth>(std::move(headers));
}

std::shared_ptr<AuthStrategy> OAuth2ClientCredentials(ClientCredentials credentials, const Clock& clock) {
    return std::make_shared<ClientCredentialsAuth>(std::move(credentials), clock);
}

Transport::Transport(HttpClient& client, TransportOptions options, std::shared_ptr<AuthStrategy> auth)
    : client_(client),
      options_(std::move(options)),
      auth_(std::move(auth)),
      clock_(options_.clock != nullptr ? options_.clock : &Clock::Real()),
      sleeper_(options_.sleeper != nullptr ? options_.sleeper : &Sleeper::Real()),
      rng_(options_.seed != 0 ? options_.seed : std::random_device{}()) {}

TransportStats Transport::stats() const {
    return {calls_.load(), retries_.load(), waited_ms_.load()};
}

Result<HttpResponse> Transport::SendUnauthenticated(const HttpRequest& request) {
    return SendWithRetry(request);
}

Result<HttpResponse> Transport::Send(const HttpRequest& request) {
    if (auth_ == nullptr) return SendWithRetry(request);
    const SendFn send = [this](const HttpRequest& r) { return SendWithRetry(r); };
    for (int round = 0;; ++round) {
        HttpRequest authed = request;
        MORTAR_RETURN_IF_ERROR(auth_->Apply(authed, send));
        auto resp = SendWithRetry(authed);
        if (resp.ok() && resp->status == 401 && round == 0 && auth_->Invalidate()) continue;
        return resp;
    }
}

Result<HttpResponse> Transport::SendWithRetry(const HttpRequest& request) {
    const RetryPolicy& policy = options_.retry;
    const int64_t start = clock_->NowMillis();
    Status last_failure;
    for (int attempt = 1;; ++attempt) {
        ++calls_;
        if (attempt > 1) ++retries_;
        Result<HttpResponse> resp = client_.Send(request);
        std::optional<int64_t> asked;  // a Retry-After wait
        if (resp.ok()) {
            const int status = resp->status;
            const bool retriable = status == 429 || (status >= 500 && status != 501 && status != 505 &&
                                                     !(options_.permanent && options_.permanent(*resp)));
            if (!retriable) return resp;
            if (std::string_view ra = resp->Header("retry-after"); !ra.empty()) {
                asked = ParseRetryAfter(ra, clock_->NowMillis());
            }
            const std::string base = "HTTP " + std::to_string(status) + " from " + std::string(OriginOf(request.url));
            last_failure = status == 429
                               ? Status::ResourceExhausted(base + ": throttled")
                               : Status::Unavailable(base + (resp->body.empty() ? "" : ": " + Snippet(resp->body)));
        } else {
            if (!IsTransientFailure(resp.status())) return resp.status();
            last_failure = resp.status();
        }
        if (attempt >= policy.max_attempts) {
            return Status(
                last_failure.code(),
                last_failure.message() + " (gave up after " + std::to_string(attempt) + " attempts)"
            );
        }
        int64_t delay = 0;
        if (asked) {
            if (*asked > policy.max_retry_after_ms) {
                return Status(
                    last_failure.code(),
                    last_failure.message() + " (Retry-After of " + std::to_string(*asked / 1000) + " s is too long)"
                );
            }
            delay = *asked;
        } else {
            std::lock_guard lock(rng_mu_);
            delay = BackoffDelay(policy, attempt - 1, rng_());
        }
        const int64_t elapsed = clock_->NowMillis() - start;
        if (elapsed + delay > policy.max_total_ms) {
            return Status(
                last_failure.code(),
                last_failure.message() + " (gave up after " + std::to_string(attempt) + " attempts, time budget spent)"
            );
        }
        waited_ms_ += delay;
        sleeper_->SleepMillis(delay);
    }
}

}  // namespace mortar::net
