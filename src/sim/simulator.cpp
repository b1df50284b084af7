// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sim/simulator.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "http/server.hpp"
#include "net/url.hpp"
#include "sim/profile.hpp"

namespace mortar::sim {

namespace {

constexpr size_t kMaxLog = 200000;
constexpr size_t kMaxLoggedBody = 4096;

bool IsLoopback(std::string_view address) {
    return address == "127.0.0.1" || address == "::1" || address.rfind("127.", 0) == 0;
}

int CountOf(std::string_view text) {
    auto n = ParseInt64(text);
    return n && *n >= 0 && *n < 1000000 ? static_cast<int>(*n) : -1;
}

}  // namespace

bool IEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

bool IContains(std::string_view haystack, std::string_view needle) {
    if (needle.empty()) return true;
    if (needle.size() > haystack.size()) return false;
    for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
        if (IEquals(haystack.substr(i, needle.size()), needle)) return true;
    }
    return false;
}

bool IStartsWith(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && IEquals(s.substr(0, prefix.size()), prefix);
}

bool IEndsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && IEquals(s.substr(s.size() - suffix.size()), suffix);
}

http::Response JsonResponse(int status, std::string body) {
    return http::Response::Text(status, std::move(body), "application/json; charset=utf-8");
}

Status ParseFaults(std::string_view text, Faults& faults, bool& expired_token) {
    for (std::string_view item : Split(text, ',')) {
        item = Trim(item);
        if (item.empty()) continue;
        const size_t eq = item.find('=');
        const std::string_view name = item.substr(0, eq);
        const std::string_view value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
        const size_t colon = value.find_first_of(":x");
        const std::string_view first = value.substr(0, colon);
        const std::string_view second = colon == std::string_view::npos ? std::string_view() : value.substr(colon + 1);
        if (name == "bad-credentials" && value.empty()) {
            faults.bad_credentials = true;
        } else if (name == "expired-token" && value.empty()) {
            expired_token = true;
        } else if (name == "429" && CountOf(first) >= 0) {
            faults.throttle_count = CountOf(first);
            if (!second.empty()) faults.retry_after = std::string(second);
        } else if (name == "5xx" && CountOf(first) >= 0) {
            faults.error_count = CountOf(first);
            if (!second.empty()) {
                const int status = CountOf(second);
                if (status < 500 || status > 599)
                    return Status::InvalidArgument("--faults: 5xx status must be 500-599");
                faults.error_status = status;
            }
        } else if (name == "slow" && CountOf(first) >= 0) {
            faults.slow_ms = CountOf(first);
            faults.slow_count = second.empty() ? 1000000 : CountOf(second);
        } else if (name == "mutate-after" && CountOf(first) > 0) {
            faults.mutate_after_pages = CountOf(first);
        } else if (name == "garbage" && CountOf(first) >= 0) {
            faults.garbage_count = CountOf(first);
        } else {
            return Status::InvalidArgument(
                "--faults: unknown item '" + std::string(item) +
                "' (known: bad-credentials, expired-token, 429=N[:RETRY_AFTER], 5xx=N[:STATUS], slow=MS[xN], "
                "mutate-after=PAGES, garbage=N)"
            );
        }
    }
    return Status::Ok();
}

Simulator::Simulator(SimOptions options) : options_(std::move(options)), data_(options_.data) {}

Simulator::~Simulator() {
    Stop();
}

Result<std::unique_ptr<Simulator>> Simulator::Create(std::string_view vendor, SimOptions options) {
    Faults faults;
    bool expired = false;
    MORTAR_RETURN_IF_ERROR(ParseFaults(options.faults, faults, expired));
    const std::string profile = options.profile;
    std::unique_ptr<Simulator> sim;
    if (vendor == "autotask") {
        sim = NewAutotaskSimulator(std::move(options));
    } else if (vendor == "connectwise") {
        sim = NewConnectWiseSimulator(std::move(options));
    } else if (vendor == "halopsa") {
        sim = NewHaloPsaSimulator(std::move(options));
    } else if (vendor == "uniview") {
        sim = NewUniViewSimulator(std::move(options));
    } else {
        return Status::InvalidArgument(
            "unknown simulator '" + std::string(vendor) + "' (autotask, connectwise, halopsa, uniview)"
        );
    }
    MORTAR_RETURN_IF_ERROR(ApplyProfile(profile, vendor, sim->data_));
    sim->faults_ = faults;
    sim->expired_token_fault_ = expired;
    return sim;
}

Status Simulator::Start(const std::string& host, uint16_t port) {
    if (host != "127.0.0.1" && host != "localhost" && host != "::1") {
        return Status::InvalidArgument("simulators listen on loopback only (127.0.0.1)");
    }
    host_ = host == "localhost" ? "127.0.0.1" : host;
    http::ServerOptions o;
    o.host = host_;
    o.port = port;
    o.io_threads = 1;
    o.worker_threads = std::max(1, options_.worker_threads);
    o.shutdown_grace = std::chrono::milliseconds(3000);
    o.body_limit = 16 * 1024 * 1024;
    o.error_response = [this](int status, std::string_view detail) { return Error(status, detail); };
    server_ = std::make_unique<http::Server>(o, [this](http::Request& req) { return Handle(req); });
    MORTAR_RETURN_IF_ERROR(server_->Start());
    return StartMore(host_);
}

void Simulator::StopOnSignals() {
    if (server_) server_->StopOnSignals();
}

void Simulator::Run() {
    if (server_) server_->Run();
}

void Simulator::ServeInBackground() {
    thread_ = std::thread([this] { Run(); });
}

void Simulator::Stop() {
    StopMore();
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
}

uint16_t Simulator::port() const {
    return server_ ? server_->port() : 0;
}

std::string Simulator::base_url() const {
    return "http://" + (host_ == "::1" ? std::string("[::1]") : host_) + ":" + std::to_string(port());
}

int64_t Simulator::NowMillis() const {
    return Clock::Real().NowMillis() + clock_offset_ms_.load();
}

void Simulator::AdvanceClock(int64_t ms) {
    clock_offset_ms_ += ms;
}

bool Simulator::BadCredentials() const {
    std::lock_guard lock(mu_);
    return faults_.bad_credentials;
}

int64_t Simulator::RateWindowCount() const {
    std::lock_guard lock(mu_);
    return static_cast<int64_t>(window_.size());
}

std::vector<LoggedRequest> Simulator::Log(int64_t since) const {
    std::lock_guard lock(mu_);
    std::vector<LoggedRequest> out;
    for (const auto& r : log_) {
        if (r.seq > since) out.push_back(r);
    }
    return out;
}

void Simulator::ClearLog() {
    std::lock_guard lock(mu_);
    log_.clear();
}

int64_t Simulator::CountRequests(std::string_view fragment) const {
    std::lock_guard lock(mu_);
    return std::count_if(log_.begin(), log_.end(), [&](const LoggedRequest& r) { return IContains(r.path, fragment); });
}

void Simulator::OnListPage(Kind kind) {
    {
        std::lock_guard lock(mu_);
        if (faults_.mutate_after_pages <= 0 || ++list_pages_ != faults_.mutate_after_pages) return;
        faults_.mutate_after_pages = 0;
        list_pages_ = 0;
    }
    auto ids = data_.Matching(kind, "", nullptr);
    if (ids->size() < 2) return;
    const int64_t now = NowMillis();
    const json::Value renamed(json::Value::Object{{"name", json::Value("Changed during paging")}});
    (void)data_.Update(kind, ids->front(), renamed, now);
    (void)data_.Delete(kind, ids->back());
    auto added = data_.Add(
        kind,
        json::Value(json::Value::Object{
            {"name", json::Value("Added during paging")}, {"type_id", json::Value(1)}, {"status_id", json::Value(1)}}),
        now
    );
    (void)added;
}

std::optional<double> Simulator::CountRate(int64_t& retry_after_s) {
    const int64_t limit = options_.rate_limit;
    if (limit <= 0) return 0.0;
    const int64_t window_ms = std::max<int64_t>(1, options_.rate_window_s) * 1000;
    const int64_t now = NowMillis();
    std::lock_guard lock(mu_);
    while (!window_.empty() && window_.front() <= now - window_ms) window_.pop_front();
    if (static_cast<int64_t>(window_.size()) >= limit) {
        retry_after_s = std::max<int64_t>(1, (window_.front() + window_ms - now + 999) / 1000);
        return std::nullopt;
    }
    const double used = static_cast<double>(window_.size()) / static_cast<double>(limit);
    window_.push_back(now);
    return used;
}

http::Response Simulator::Handle(http::Request& req) {
    if (req.path.rfind("/_sim/", 0) == 0) {
        if (!IsLoopback(req.remote_address)) return Error(403, "the control API answers loopback peers only");
        return Control(req);
    }
    int64_t seq;
    {
        std::lock_guard lock(mu_);
        seq = ++seq_;
        LoggedRequest entry;
        entry.seq = seq;
        entry.method = std::string(http::MethodName(req.method));
        entry.path = req.path;
        entry.query = req.query;
        entry.headers = req.headers;
        entry.body = req.body.substr(0, kMaxLoggedBody);
        log_.push_back(std::move(entry));
        if (log_.size() > kMaxLog) log_.pop_front();
    }
    int64_t delay = 0;
    std::optional<http::Response> injected;
    {
        std::lock_guard lock(mu_);
        if (faults_.slow_count > 0) {
            --faults_.slow_count;
            delay = faults_.slow_ms;
        }
        if (faults_.throttle_count > 0) {
            --faults_.throttle_count;
            injected = Error(429, "API request threshold exceeded (injected)");
            if (!faults_.retry_after.empty()) injected->SetHeader("Retry-After", faults_.retry_after);
        } else if (faults_.error_count > 0) {
            --faults_.error_count;
            injected = Error(faults_.error_status, "service unavailable (injected)");
        }
    }
    // The injected delay is the fault itself: a slow upstream the client must time out on.
    if (delay > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    http::Response resp = injected ? std::move(*injected) : HandleApi(req);
    std::lock_guard lock(mu_);
    if (!injected && faults_.garbage_count > 0 && resp.status == 200) {
        --faults_.garbage_count;
        resp.body.resize(resp.body.size() / 2);
    }
    for (auto it = log_.rbegin(); it != log_.rend(); ++it) {
        if (it->seq == seq) {
            it->status = resp.status;
            break;
        }
        if (it->seq < seq) break;
    }
    return resp;
}

http::Response Simulator::Control(http::Request& req) {
    const std::string_view path = req.path;
    if (path == "/_sim/log" && req.method == http::Method::kDelete) {
        ClearLog();
        return JsonResponse(200, "{\"cleared\":true}");
    }
    if (path == "/_sim/log" && req.method == http::Method::kGet) {
        int64_t since = 0;
        if (auto s = net::FormValue(net::DecodeForm(req.query), "since")) since = ParseInt64(*s).value_or(0);
        json::Writer w;
        w.BeginObject();
        w.Key("requests");
        w.BeginArray();
        for (const auto& r : Log(since)) {
            w.BeginObject();
            w.Key("seq");
            w.Int(r.seq);
            w.Key("method");
            w.String(r.method);
            w.Key("path");
            w.String(r.path);
            w.Key("query");
            w.String(r.query);
            w.Key("status");
            w.Int(r.status);
            w.Key("headers");
            w.BeginObject();
            for (const auto& [k, v] : r.headers) {
                w.Key(k);
                w.String(v);
            }
            w.EndObject();
            w.Key("body");
            w.String(r.body);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
        return JsonResponse(200, w.Take());
    }
    if (path == "/_sim/credentials" && req.method == http::Method::kGet) {
        json::Writer w;
        w.BeginObject();
        w.Key("vendor");
        w.String(vendor());
        for (const auto& [k, v] : Credentials()) {
            w.Key(k);
            w.String(v);
        }
        w.EndObject();
        return JsonResponse(200, w.Take());
    }
    if (req.method != http::Method::kPost) return Error(404, "unknown control route");
    auto body = json::Parse(req.body.empty() ? "{}" : req.body);
    if (!body.ok() || !body->is_object()) return Error(400, "control bodies are JSON objects");
    const json::Value& b = *body;
    auto int_of = [](const json::Value* v, int64_t dflt) { return v != nullptr && v->is_int() ? v->as_int() : dflt; };
    if (path == "/_sim/faults") {
        bool expire = false;
        bool move = false;
        {
            std::lock_guard lock(mu_);
            if (const auto* v = b.Find("bad_credentials"); v != nullptr && v->is_bool())
                faults_.bad_credentials = v->as_bool();
            if (const auto* t = b.Find("throttle"); t != nullptr && t->is_object()) {
                faults_.throttle_count = static_cast<int>(int_of(t->Find("count"), 1));
                if (const auto* ra = t->Find("retry_after"); ra != nullptr && ra->is_string())
                    faults_.retry_after = ra->as_string();
            }
            if (const auto* e = b.Find("errors"); e != nullptr && e->is_object()) {
                faults_.error_count = static_cast<int>(int_of(e->Find("count"), 1));
                faults_.error_status = static_cast<int>(int_of(e->Find("status"), 503));
            }
            if (const auto* g = b.Find("garbage"); g != nullptr && g->is_object()) {
                faults_.garbage_count = static_cast<int>(int_of(g->Find("count"), 1));
            }
            if (const auto* s = b.Find("slow"); s != nullptr && s->is_object()) {
                faults_.slow_count = static_cast<int>(int_of(s->Find("count"), 1));
                faults_.slow_ms = int_of(s->Find("ms"), 1000);
            }
            if (const auto* m = b.Find("mutate_after_pages"); m != nullptr && m->is_int()) {
                faults_.mutate_after_pages = static_cast<int>(m->as_int());
                list_pages_ = 0;
            }
            if (const auto* x = b.Find("expire_tokens"); x != nullptr && x->is_bool()) expire = x->as_bool();
            if (const auto* z = b.Find("move_zone"); z != nullptr && z->is_bool()) move = z->as_bool();
        }
        if (expire) ExpireTokens();
        if (move) MoveZone();
        return JsonResponse(200, "{\"ok\":true}");
    }
    if (path == "/_sim/clock") {
        AdvanceClock(int_of(b.Find("advance_s"), 0) * 1000);
        return JsonResponse(200, "{\"now\":\"" + FormatTimestamp(NowMillis()) + "\"}");
    }
    if (path == "/_sim/mutate") {
        const auto* kind_v = b.Find("kind");
        const auto* op_v = b.Find("op");
        auto kind = kind_v != nullptr && kind_v->is_string() ? KindFromName(kind_v->as_string()) : std::nullopt;
        if (!kind || op_v == nullptr || !op_v->is_string()) {
            return Error(400, "mutate needs kind (companies, sites, contacts, configurations) and op");
        }
        const std::string& op = op_v->as_string();
        const int64_t id = int_of(b.Find("id"), 0);
        const json::Value empty(json::Value::Object{});
        const json::Value* set = b.Find("set");
        if (set == nullptr) set = &empty;
        Status s;
        int64_t result_id = id;
        if (op == "update") {
            s = data_.Update(*kind, id, *set, NowMillis());
        } else if (op == "delete") {
            s = data_.Delete(*kind, id);
        } else if (op == "add") {
            auto added = data_.Add(*kind, *set, NowMillis());
            s = added.status();
            if (added.ok()) result_id = *added;
        } else {
            return Error(400, "op must be update, delete or add");
        }
        if (!s.ok()) return Error(s.code() == Code::kNotFound ? 404 : 400, s.message());
        return JsonResponse(200, "{\"id\":" + std::to_string(result_id) + "}");
    }
    return Error(404, "unknown control route");
}

}  // namespace mortar::sim
