// SPDX-License-Identifier: AGPL-3.0-or-later
// The Unitrends UniView public API simulator (CONNECTORS.md 4 and 5.4): a token server on
// its own origin (port) and the read-only API on the main one. Customers are the data
// set's companies, appliances one per customer, assets its configurations (same names,
// MACs and IPs as the PSA simulators with the same seed, so matching can be exercised),
// and each asset has three backup jobs.
#include <algorithm>
#include <map>
#include <thread>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "http/server.hpp"
#include "net/transport.hpp"
#include "net/url.hpp"
#include "sim/fields.hpp"
#include "sim/simulator.hpp"

namespace mortar::sim {

namespace {

constexpr std::string_view kClientId = "mortar-sim-uniview";
constexpr std::string_view kClientSecret = "sim-uniview-secret";
constexpr int kUsesWhenExpiring = 3;
constexpr int kBackupsPerAsset = 3;
constexpr int64_t kBaseMillis = 1748736000000;  // 2025-06-01T00:00:00Z: the latest backups start before
constexpr int64_t kDayMillis = 86400000;

uint64_t Mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::string Uuid(uint64_t seed, int kind, int64_t id) {
    const uint64_t a = Mix(seed * 31 + static_cast<uint64_t>(kind) * 1000003ULL + Mix(static_cast<uint64_t>(id)));
    const uint64_t b = Mix(a);
    char buf[40];
    std::snprintf(
        buf,
        sizeof buf,
        "%08x-%04x-4%03x-%04x-%012llx",
        static_cast<unsigned>(a >> 32),
        static_cast<unsigned>((a >> 16) & 0xffff),
        static_cast<unsigned>(a & 0xfff),
        static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
        static_cast<unsigned long long>(b & 0xffffffffffffULL)
    );
    return buf;
}

std::string AssetTag(int64_t company_id) {
    return "8008-100-" + std::to_string(70000 + company_id);
}

std::string AssetType(const Record& r) {
    switch (r.type_id) {
        case 1:
        case 3:
            return "Windows";
        case 2:
            return r.id % 2 == 0 ? "VMware Instance" : "Image Level Instance";
        case 7:
            return "NAS";
        default:
            return "Linux";
    }
}

struct Backup {
    int64_t start_ms = 0;
    int64_t complete_ms = 0;  // 0: still running
    int64_t size_mb = 0;
    std::string type, status, replication;
};

// Backup j (0 = the latest) of asset `r`.
Backup BackupOf(uint64_t seed, int64_t until_ms, const Record& r, int j) {
    const uint64_t h = Mix(seed ^ Mix(static_cast<uint64_t>(r.id) * 8 + static_cast<uint64_t>(j)));
    Backup b;
    b.start_ms = until_ms - j * kDayMillis - static_cast<int64_t>(h % (6 * 3600000ULL));
    const int roll = static_cast<int>((h >> 20) % 100);
    b.status = roll < 80   ? "Successful"
               : roll < 88 ? "Warning"
               : roll < 95 ? "Failed"
               : roll < 98 ? "InProgress"
                           : "Unknown";
    if (j > 0 && b.status == "InProgress") b.status = "Successful";  // only the latest can still run
    b.complete_ms = b.status == "InProgress" ? 0 : b.start_ms + 60000 + static_cast<int64_t>((h >> 30) % 3600000ULL);
    b.size_mb = 500 + static_cast<int64_t>((h >> 40) % 50000);
    b.type = j == kBackupsPerAsset - 1 ? "Full" : "Incremental";
    const int rep = static_cast<int>((h >> 50) % 10);
    b.replication = rep < 7 ? "Successful" : rep < 8 ? "Failed" : "Unknown";
    return b;
}

Val TsOrNull(int64_t ms) {
    return ms == 0 ? Val(Null{}) : Val(FormatTimestamp(ms));
}

std::string BackupJson(const Backup& b) {
    json::Writer w;
    w.BeginObject();
    w.Key("start_time");
    w.String(FormatTimestamp(b.start_ms));
    w.Key("complete_time");
    if (b.complete_ms == 0) {
        w.Null();
    } else {
        w.String(FormatTimestamp(b.complete_ms));
    }
    w.Key("size");
    w.Int(b.size_mb);
    w.Key("type");
    w.String(b.type);
    w.Key("status");
    w.String(b.status);
    w.Key("replication_status");
    w.String(b.replication);
    w.EndObject();
    return w.Take();
}

struct Endpoint {
    std::string_view path;
    std::vector<std::string_view> exact;      // exact-match filters
    std::vector<std::string_view> substring;  // substring filters
    std::vector<std::string_view> ranges;     // X for X_from / X_to
    std::vector<std::string_view> order_by;   // allowed order_by values
};

const Endpoint kCustomers{"/v1/customers", {"id"}, {"name"}, {}, {"id", "name"}};
const Endpoint kAppliances{
    "/v1/appliances",
    {"customer_id", "asset_tag", "is_online", "helix_status"},
    {"name", "version"},
    {"total_mb_size", "total_mb_free"},
    {"asset_tag", "customer_id", "is_online", "name", "total_mb_free", "total_mb_size", "version"}};
const Endpoint kAssets{
    "/v1/assets",
    {"customer_id", "asset_tag", "type", "ip", "mac", "key"},
    {"name"},
    {},
    {"customer_id", "asset_tag", "name", "type", "ip", "mac", "key"}};
const Endpoint kBackups{
    "/v1/backups",
    {"customer_id", "asset_tag", "type", "status", "replication_status", "asset_key"},
    {},
    {"start_time", "complete_time", "size"},
    {"asset_tag",
     "customer_id",
     "start_time",
     "complete_time",
     "size",
     "type",
     "status",
     "replication_status",
     "asset_key"}};
const Endpoint kEpbAssets{"/api/epb/v1/assets", {"id", "customer_id"}, {"name"}, {}, {"name", "id", "status"}};

class UniViewSimulator final : public Simulator {
public:
    explicit UniViewSimulator(SimOptions options) : Simulator(Defaults(std::move(options))) {}
    ~UniViewSimulator() override { StopMore(); }

    std::string_view vendor() const override { return "uniview"; }

    int64_t BackupsUntil() const { return options_.backups_until_ms > 0 ? options_.backups_until_ms : kBaseMillis; }

    std::vector<std::pair<std::string, std::string>> Credentials() const override {
        return {
            {"token_url", token_origin() + "/connect/token"},
            {"api_url", base_url()},
            {"client_id", std::string(kClientId)},
            {"client_secret", std::string(kClientSecret)},
        };
    }

    void ExpireTokens() override {
        std::lock_guard lock(mu_);
        tokens_.clear();
    }

protected:
    Status StartMore(const std::string& host) override {
        http::ServerOptions o;
        o.host = host;
        o.port = 0;
        o.io_threads = 1;
        o.worker_threads = 2;
        o.shutdown_grace = std::chrono::milliseconds(3000);
        token_server_ = std::make_unique<http::Server>(o, [this](http::Request& req) {
            req.headers.emplace_back("x-sim-origin", "token");
            return Handle(req);
        });
        MORTAR_RETURN_IF_ERROR(token_server_->Start());
        token_thread_ = std::thread([this] { token_server_->Run(); });
        return Status::Ok();
    }

    void StopMore() override {
        if (token_server_) token_server_->Stop();
        if (token_thread_.joinable()) token_thread_.join();
    }

    http::Response Error(int status, std::string_view message) const override {
        return http::Response::Text(status, std::string(message));
    }

    http::Response HandleApi(http::Request& req) override {
        const bool token_origin = req.Header("x-sim-origin") == "token";
        if (token_origin) {
            if (req.path == "/connect/token" && req.method == http::Method::kPost) return Token(req);
            if (req.path == "/.well-known/openid-configuration" && req.method == http::Method::kGet) return Discovery();
            return Error(404, "Not found");
        }
        const Endpoint* e = nullptr;
        for (const Endpoint* x : {&kCustomers, &kAppliances, &kAssets, &kBackups, &kEpbAssets}) {
            if (req.path == x->path) e = x;
        }
        if (e == nullptr) return Error(404, "Not found");
        if (req.method != http::Method::kGet && req.method != http::Method::kHead) {
            http::Response r = Error(405, "Method not allowed");
            r.SetHeader("Allow", "GET");
            return r;
        }
        if (auto denied = Guard(req)) return std::move(*denied);
        return List(req, *e);
    }

private:
    static SimOptions Defaults(SimOptions o) {
        if (o.rate_limit < 0) o.rate_limit = 0;
        if (o.rate_window_s < 0) o.rate_window_s = 60;
        return o;
    }

    std::string token_origin() const {
        return "http://127.0.0.1:" + std::to_string(token_server_ ? token_server_->port() : 0);
    }

    static http::Response OAuthError(std::string_view error) {
        return JsonResponse(400, "{\"error\":\"" + std::string(error) + "\"}");
    }

    http::Response Discovery() const {
        const std::string o = token_origin();
        return JsonResponse(
            200,
            "{\"issuer\":\"" + o + "\",\"token_endpoint\":\"" + o +
                "/connect/token\",\"grant_types_supported\":"
                "[\"client_credentials\"],\"token_endpoint_auth_methods_supported\":[\"client_secret_basic\","
                "\"client_secret_post\"],\"scopes_supported\":[\"openid\",\"role\",\"profile\"]}"
        );
    }

    http::Response Token(http::Request& req) {
        const auto form = net::DecodeForm(req.body);
        std::string id = net::FormValue(form, "client_id").value_or("");
        std::string secret = net::FormValue(form, "client_secret").value_or("");
        if (req.Header("authorization") == net::BasicAuthorization(kClientId, kClientSecret)) {
            id = std::string(kClientId);
            secret = std::string(kClientSecret);
        } else if (!req.Header("authorization").empty()) {
            id.clear();  // Basic with other credentials
        }
        if (net::FormValue(form, "grant_type").value_or("") != "client_credentials") {
            return OAuthError("unsupported_grant_type");
        }
        if (id != kClientId || secret != kClientSecret || BadCredentials()) return OAuthError("invalid_client");
        std::string token;
        {
            std::lock_guard lock(mu_);
            token = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzaW0iOiJ1bml2aWV3In0." + std::to_string(++token_seq_) +
                    "x" + std::to_string(NowMillis() % 999983);
            tokens_[token] = {NowMillis() + options_.token_lifetime_s * 1000, 0};
        }
        return JsonResponse(
            200,
            "{\"access_token\":\"" + token + "\",\"expires_in\":" + std::to_string(options_.token_lifetime_s) +
                ",\"token_type\":\"Bearer\",\"scope\":\"openid role profile\"}"
        );
    }

    std::optional<http::Response> Guard(const http::Request& req) {
        auto unauthorized = [this] {
            http::Response r = Error(401, "");
            r.SetHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return r;
        };
        const std::string_view auth = req.Header("authorization");
        if (!IStartsWith(auth, "Bearer ")) return unauthorized();
        const std::string token(Trim(auth.substr(7)));
        {
            std::lock_guard lock(mu_);
            auto it = tokens_.find(token);
            if (it == tokens_.end() || it->second.expires_ms <= NowMillis()) return unauthorized();
            if (expired_token_fault_ && ++it->second.uses > kUsesWhenExpiring) {
                tokens_.erase(it);
                return unauthorized();
            }
        }
        int64_t retry_after = 0;
        if (!CountRate(retry_after)) {
            http::Response r = Error(429, "Too many requests");
            r.SetHeader("Retry-After", std::to_string(retry_after));
            return r;
        }
        return std::nullopt;
    }

    // ---- rendering ----

    Fields Customer(const Record& c) const {
        Fields f;
        f.Add("id", Uuid(options_.data.seed, 0, c.id));
        f.Add("name", c.name);
        return f;
    }

    Fields Appliance(const Record& c) const {
        const uint64_t h = Mix(options_.data.seed ^ static_cast<uint64_t>(c.id) * 77);
        const int64_t size = 2000000 + static_cast<int64_t>(h % 80000000);
        Fields f;
        f.Add("customer_id", Uuid(options_.data.seed, 0, c.id));
        f.Add("asset_tag", AssetTag(c.id));
        f.Add("name", "Appliance " + std::to_string(c.id));
        f.Add("is_online", h % 20 != 0);
        f.Add("version", std::string(h % 3 == 0 ? "10.7.3-1.202304101815.CentOS7" : "10.8.1-2.202402121530.CentOS7"));
        f.Add("total_mb_size", size);
        f.Add("total_mb_free", size / 10 + static_cast<int64_t>((h >> 32) % static_cast<uint64_t>(size / 2)));
        f.Add("helix_status", std::string(h % 4 == 0 ? "Agent" : h % 4 == 1 ? "AutoUpdate" : "None"));
        return f;
    }

    Fields Asset(const Record& r, bool last_backup, bool links) const {
        Fields f;
        f.Add("customer_id", Uuid(options_.data.seed, 0, r.company_id));
        f.Add("asset_tag", AssetTag(r.company_id));
        f.Add("name", r.name);
        f.Add("type", AssetType(r));
        f.Add("ip", r.ip);
        f.Add("mac", r.mac);
        f.Add("key", Uuid(options_.data.seed, 1, r.id));
        if (last_backup) f.Add("last_backup", RawJson{BackupJson(BackupOf(options_.data.seed, BackupsUntil(), r, 0))});
        if (links) {
            f.Add(
                "links",
                RawJson{
                    "[{\"rel\":\"WebInterface\",\"href\":\"https://unitrends.backup.net/links/asset/" +
                    Uuid(options_.data.seed, 1, r.id) + "\"}]"}
            );
        }
        return f;
    }

    Fields BackupRow(const Record& r, int j) const {
        const Backup b = BackupOf(options_.data.seed, BackupsUntil(), r, j);
        Fields f;
        f.Add("customer_id", Uuid(options_.data.seed, 0, r.company_id));
        f.Add("asset_tag", AssetTag(r.company_id));
        f.Add("start_time", FormatTimestamp(b.start_ms));
        f.Add("complete_time", TsOrNull(b.complete_ms));
        f.Add("size", b.size_mb);
        f.Add("type", b.type);
        f.Add("status", b.status);
        f.Add("replication_status", b.replication);
        f.Add("asset_key", Uuid(options_.data.seed, 1, r.id));
        return f;
    }

    Fields Epb(const Record& r) const {
        const Backup b = BackupOf(options_.data.seed, BackupsUntil(), r, 0);
        Fields f;
        f.Add("id", "EPB" + std::to_string(r.id));
        f.Add("name", r.name);
        f.Add("licenseType", std::string("Endpoint"));
        f.Add("customerName", Null{});
        f.Add("customerId", Uuid(options_.data.seed, 0, r.company_id));
        f.Add("policyId", std::string("00000000-0000-0000-0000-000000000000"));
        f.Add("storageUsedBytes", b.size_mb * 1024 * 1024);
        f.Add("status", std::string(b.status == "Successful" ? "Protected" : "AtRisk"));
        f.Add("os", r.os);
        f.Add("backupEnabled", true);
        f.Add("hasCustomerManagedKey", false);
        f.Add("mac", r.mac);
        f.Add("timeZoneOffsetMinutes", int64_t{0});
        f.Add("createdTimestamp", FormatTimestamp(r.created_ms));
        f.Add("lastSuccessfulBackupTimestamp", TsOrNull(b.status == "Successful" ? b.complete_ms : 0));
        f.Add("lastOnlineTimestamp", FormatTimestamp(b.start_ms));
        return f;
    }

    // The row of virtual id `v` of endpoint `e` (backups: asset * 4 + job).
    std::optional<Fields> Row(const Endpoint& e, int64_t v, bool last_backup, bool links) const {
        if (&e == &kCustomers || &e == &kAppliances) {
            auto c = data_.Get(Kind::kCompany, v);
            if (!c) return std::nullopt;
            return &e == &kCustomers ? Customer(*c) : Appliance(*c);
        }
        const int64_t id = &e == &kBackups ? v / 4 : v;
        auto r = data_.Get(Kind::kConfiguration, id);
        if (!r) return std::nullopt;
        if (&e == &kBackups) return BackupRow(*r, static_cast<int>(v % 4));
        if (&e == &kEpbAssets) return Epb(*r);
        return Asset(*r, last_backup, links);
    }

    // Virtual ids of the endpoint's rows, in the default order.
    std::vector<int64_t> AllIds(const Endpoint& e) const {
        const Kind kind = &e == &kCustomers || &e == &kAppliances ? Kind::kCompany : Kind::kConfiguration;
        auto ids = data_.Matching(kind, "", nullptr);
        std::vector<int64_t> out;
        if (&e == &kBackups) {
            out.reserve(ids->size() * kBackupsPerAsset);
            for (int64_t id : *ids) {
                for (int j = 0; j < kBackupsPerAsset; ++j) out.push_back(id * 4 + j);
            }
            return out;
        }
        if (&e == &kEpbAssets) {
            for (int64_t id : *ids) {
                auto r = data_.Get(Kind::kConfiguration, id);
                if (r && r->type_id == 3) out.push_back(id);  // laptops run the endpoint agent
            }
            return out;
        }
        return std::vector<int64_t>(ids->begin(), ids->end());
    }

    http::Response List(http::Request& req, const Endpoint& e) {
        const auto form = net::DecodeForm(req.query);
        const bool last_backup = net::FormValue(form, "include[backups]").value_or("") == "last";
        const bool links = net::FormValue(form, "include[links]").value_or("") == "all";
        int64_t page_number = 1, page_size = 50;
        if (auto p = net::FormValue(form, "page_number")) page_number = ParseInt64(*p).value_or(0);
        if (auto p = net::FormValue(form, "page_size")) page_size = ParseInt64(*p).value_or(0);
        if (page_number < 1 || page_size < 1) return Error(400, "page_number and page_size must be at least 1");
        // Filters.
        std::vector<std::pair<std::string, Val>> exact;
        std::vector<std::pair<std::string, std::string>> substring;
        std::vector<std::tuple<std::string, Val, bool>> ranges;  // field, bound, is_from
        for (const auto& [k, v] : form) {
            if (std::find(e.exact.begin(), e.exact.end(), k) != e.exact.end()) {
                if (v == "true" || v == "false") {
                    exact.emplace_back(k, Val(v == "true"));
                } else if (auto n = ParseInt64(v)) {
                    exact.emplace_back(k, Val(*n));
                } else {
                    exact.emplace_back(k, Val(v));
                }
            } else if (std::find(e.substring.begin(), e.substring.end(), k) != e.substring.end()) {
                substring.emplace_back(k, v);
            } else {
                for (auto r : e.ranges) {
                    const bool from = k == std::string(r) + "_from";
                    if (!from && k != std::string(r) + "_to") continue;
                    auto n = ParseInt64(v);
                    if (!n && !ParseTimestamp(v).ok()) return Error(400, "bad value for " + k);
                    ranges.emplace_back(std::string(r), n ? Val(*n) : Val(v), from);
                }
            }
        }
        std::string order_by = net::FormValue(form, "order_by").value_or("");
        if (!order_by.empty() && std::find(e.order_by.begin(), e.order_by.end(), order_by) == e.order_by.end()) {
            return Error(400, "order_by must be one of the listed values");
        }
        const bool desc = IEquals(net::FormValue(form, "order_direction").value_or("asc"), "desc");
        const bool filtered = !exact.empty() || !substring.empty() || !ranges.empty();
        std::vector<int64_t> ids;
        std::vector<std::pair<Val, int64_t>> keyed;
        const int64_t version = data_.version();
        // The listing's filters and order, not its page: paging through it sorts it once.
        std::string signature(e.path);
        for (const auto& [k, v] : form) {
            if (k == "page_number" || k == "page_size" || k.starts_with("include[")) continue;
            signature += "|" + k + "=" + v;
        }
        {
            std::lock_guard lock(mu_);
            auto it = cache_.find(signature);
            if (it != cache_.end() && it->second.first == version) ids = it->second.second;
        }
        if (ids.empty()) {
            for (int64_t v : AllIds(e)) {
                if (!filtered && order_by.empty()) {
                    ids.push_back(v);
                    continue;
                }
                auto row = Row(e, v, false, false);
                if (!row) continue;
                bool keep = true;
                for (const auto& [k, want] : exact) {
                    const Val* have = row->Find(k);
                    keep = keep && have != nullptr && Compare(*have, want) == 0;
                }
                for (const auto& [k, want] : substring) {
                    const Val* have = row->Find(k);
                    keep = keep && have != nullptr && IContains(TextOf(*have), want);
                }
                for (const auto& [k, bound, from] : ranges) {
                    const Val* have = row->Find(k);
                    auto c = have != nullptr ? Compare(*have, bound) : std::nullopt;
                    keep = keep && c && (from ? *c >= 0 : *c <= 0);
                }
                if (!keep) continue;
                if (order_by.empty()) {
                    ids.push_back(v);
                } else {
                    const Val* key = row->Find(order_by);
                    keyed.emplace_back(key != nullptr ? *key : Val(Null{}), v);
                }
            }
            if (!order_by.empty()) {
                std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
                    auto c = Compare(a.first, b.first);
                    return c && *c < 0;
                });
                for (const auto& kv : keyed) ids.push_back(kv.second);
            }
            if (desc) std::reverse(ids.begin(), ids.end());
            std::lock_guard lock(mu_);
            if (cache_.size() > 16) cache_.clear();
            cache_[signature] = {version, ids};
        }
        const int64_t total = static_cast<int64_t>(ids.size());
        const size_t start = static_cast<size_t>(std::min<int64_t>((page_number - 1) * page_size, total));
        const size_t end = std::min(ids.size(), start + static_cast<size_t>(page_size));
        json::Writer w;
        w.Reserve((end - start) * 500);
        w.BeginArray();
        for (size_t i = start; i < end; ++i) {
            auto row = Row(e, ids[i], last_backup, links);
            if (!row) continue;
            w.BeginObject();
            for (const auto& [k, v] : row->items) {
                w.Key(k);
                WriteVal(w, v);
            }
            w.EndObject();
        }
        w.EndArray();
        http::Response r = JsonResponse(200, w.Take());
        r.SetHeader("Paging-Page-Size", std::to_string(page_size));
        r.SetHeader("Paging-Page-Number", std::to_string(page_number));
        r.SetHeader("Paging-Total-Records", std::to_string(total));
        r.SetHeader("Paging-Total-Pages", std::to_string((total + page_size - 1) / page_size));
        OnListPage(&e == &kCustomers || &e == &kAppliances ? Kind::kCompany : Kind::kConfiguration);
        return r;
    }

    struct TokenInfo {
        int64_t expires_ms;
        int uses;
    };
    std::map<std::string, TokenInfo> tokens_;
    int64_t token_seq_ = 0;
    std::map<std::string, std::pair<int64_t, std::vector<int64_t>>> cache_;
    std::unique_ptr<http::Server> token_server_;
    std::thread token_thread_;
};

}  // namespace

std::unique_ptr<Simulator> NewUniViewSimulator(SimOptions options) {
    return std::make_unique<UniViewSimulator>(std::move(options));
}

}  // namespace mortar::sim
