// SPDX-License-Identifier: AGPL-3.0-or-later
// The HaloPSA REST simulator (CONNECTORS.md 2 and 5.2).
#include <algorithm>
#include <map>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "http/router.hpp"
#include "net/url.hpp"
#include "sim/fields.hpp"
#include "sim/simulator.hpp"

namespace mortar::sim {

namespace {

constexpr std::string_view kClientId = "mortar-sim-client";
constexpr std::string_view kClientSecret = "sim-halo-secret";
constexpr std::string_view kTenant = "mortarsim";
// With the expired-token fault, a token stops working after this many API requests.
constexpr int kUsesWhenExpiring = 3;

struct AssetField {
    int id;
    const char* name;
};
constexpr AssetField kAssetFields[] = {
    {101, "Serial Number"}, {102, "MAC Address"}, {103, "IP Address"}, {104, "Operating System"}, {105, "Model"}};

std::string Ts(int64_t ms) {
    return FormatTimestamp(ms);
}

struct TokenInfo {
    int64_t expires_ms;
    std::string scope;
    int uses = 0;
};

bool ScopeAllows(const std::string& scope, std::string_view area, bool write) {
    for (auto s : Split(scope, ' ')) {
        if (s == "all") return true;
        if (s == std::string("edit:") + std::string(area)) return true;
        if (!write && s == std::string("read:") + std::string(area)) return true;
    }
    return false;
}

bool KnownScope(std::string_view s) {
    static constexpr std::string_view kKnown[] = {
        "all", "read:assets", "edit:assets", "read:customers", "edit:customers"};
    return std::find(std::begin(kKnown), std::end(kKnown), s) != std::end(kKnown);
}

bool Truthy(const std::optional<std::string>& v) {
    return v && (IEquals(*v, "true") || *v == "1");
}

class HaloPsaSimulator final : public Simulator {
public:
    explicit HaloPsaSimulator(SimOptions options) : Simulator(Defaults(std::move(options))) { Routes(); }

    std::string_view vendor() const override { return "halopsa"; }

    std::vector<std::pair<std::string, std::string>> Credentials() const override {
        return {
            {"auth_url", base_url() + "/auth"},
            {"resource_url", base_url() + "/api"},
            {"client_id", std::string(kClientId)},
            {"client_secret", std::string(kClientSecret)},
            {"scope", "all"},
            {"tenant", std::string(kTenant)},
        };
    }

    void ExpireTokens() override {
        std::lock_guard lock(mu_);
        tokens_.clear();
    }

protected:
    http::Response Error(int status, std::string_view message) const override {
        return http::Response::Text(status, std::string(message));
    }

    http::Response HandleApi(http::Request& req) override { return router_.Dispatch(req); }

private:
    static SimOptions Defaults(SimOptions o) {
        if (o.rate_limit < 0) o.rate_limit = 450;
        if (o.rate_window_s < 0) o.rate_window_s = 300;
        return o;
    }

    static http::Response OAuthError(int status, std::string_view error) {
        return JsonResponse(status, "{\"error\":\"" + std::string(error) + "\"}");
    }

    std::optional<http::Response> Throttle() {
        int64_t retry_after = 0;
        if (CountRate(retry_after)) return std::nullopt;
        http::Response r = Error(429, "Too many requests");
        r.SetHeader("Retry-After", std::to_string(retry_after));
        return r;
    }

    http::Response Token(http::Request& req) {
        if (auto t = Throttle()) return std::move(*t);
        auto form = net::DecodeForm(req.body);
        auto tenant = net::FormValue(net::DecodeForm(req.query), "tenant");
        if (!tenant) tenant = net::FormValue(form, "tenant");
        if (tenant && !IEquals(*tenant, kTenant)) return OAuthError(400, "invalid_request");
        if (net::FormValue(form, "grant_type").value_or("") != "client_credentials") {
            return OAuthError(400, "unsupported_grant_type");
        }
        if (net::FormValue(form, "client_id").value_or("") != kClientId ||
            net::FormValue(form, "client_secret").value_or("") != kClientSecret || BadCredentials()) {
            return OAuthError(401, "invalid_client");
        }
        std::string scope = net::FormValue(form, "scope").value_or("all");
        for (auto s : Split(scope, ' ')) {
            if (!s.empty() && !KnownScope(s)) return OAuthError(400, "invalid_scope");
        }
        std::string token;
        {
            std::lock_guard lock(mu_);
            token = "halo-sim-" + std::to_string(options_.data.seed) + "-" + std::to_string(++token_seq_) + "-" +
                    std::to_string(NowMillis() % 1000003);
            tokens_[token] = {NowMillis() + options_.token_lifetime_s * 1000, scope, 0};
        }
        return JsonResponse(
            200,
            "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" +
                std::to_string(options_.token_lifetime_s) + ",\"scope\":\"" + scope + "\"}"
        );
    }

    // Checks the bearer token and its scope; nullopt when allowed.
    std::optional<http::Response> Guard(const http::Request& req, std::string_view area, bool write) {
        std::string_view auth = req.Header("authorization");
        if (!IStartsWith(auth, "Bearer ")) return Error(401, "Unauthorized");
        const std::string token(Trim(auth.substr(7)));
        {
            std::lock_guard lock(mu_);
            auto it = tokens_.find(token);
            if (it == tokens_.end() || it->second.expires_ms <= NowMillis()) return Error(401, "Unauthorized");
            if (expired_token_fault_ && ++it->second.uses > kUsesWhenExpiring) {
                tokens_.erase(it);
                return Error(401, "Unauthorized");
            }
            if (!ScopeAllows(it->second.scope, area, write)) return Error(403, "Forbidden");
        }
        return Throttle();
    }

    void Routes() {
        router_.Add(http::Method::kPost, "/auth/token", [this](http::Request& req) { return Token(req); });
        struct List {
            const char* path;
            Kind kind;
            const char* key;
            const char* area;
        };
        for (const List& l :
             {List{"/api/Client", Kind::kCompany, "clients", "customers"},
              List{"/api/Site", Kind::kSite, "sites", "customers"},
              List{"/api/Users", Kind::kContact, "users", "customers"},
              List{"/api/Asset", Kind::kConfiguration, "assets", "assets"}}) {
            router_.Add(http::Method::kGet, l.path, [this, l](http::Request& req) {
                if (auto denied = Guard(req, l.area, false)) return std::move(*denied);
                return ListRecords(req, l.kind, l.key);
            });
            router_.Add(http::Method::kGet, std::string(l.path) + "/{id}", [this, l](http::Request& req) {
                if (auto denied = Guard(req, l.area, false)) return std::move(*denied);
                auto id = ParseInt64(req.Param("id"));
                auto r = id ? data_.Get(l.kind, *id) : std::nullopt;
                if (!r) return Error(404, "Record not found");
                json::Writer w;
                WriteRecord(w, *r, true);
                return JsonResponse(200, w.Take());
            });
            router_.Add(http::Method::kPost, l.path, [this, l](http::Request& req) {
                if (auto denied = Guard(req, l.area, true)) return std::move(*denied);
                return Save(req, l.kind);
            });
        }
        router_.Add(http::Method::kGet, "/api/AssetType", [this](http::Request& req) {
            if (auto denied = Guard(req, "assets", false)) return std::move(*denied);
            json::Writer w;
            w.BeginArray();
            for (const auto& t : ConfigurationTypes()) WriteType(w, t);
            w.EndArray();
            return JsonResponse(200, w.Take());
        });
        router_.Add(http::Method::kGet, "/api/AssetType/{id}", [this](http::Request& req) {
            if (auto denied = Guard(req, "assets", false)) return std::move(*denied);
            auto id = ParseInt64(req.Param("id"));
            for (const auto& t : ConfigurationTypes()) {
                if (id && t.id == *id) {
                    json::Writer w;
                    WriteType(w, t);
                    return JsonResponse(200, w.Take());
                }
            }
            return Error(404, "Record not found");
        });
        router_.SetFallback([this](http::Request&, bool known) {
            return known ? Error(405, "Method not allowed") : Error(404, "Not found");
        });
    }

    static void WriteType(json::Writer& w, const Lookup& t) {
        w.BeginObject();
        w.Key("id");
        w.Int(t.id);
        w.Key("name");
        w.String(t.name);
        w.Key("assetgroup_id");
        w.Int(t.id <= 3 ? 1 : 2);
        w.Key("assetgroup_name");
        w.String(t.id <= 3 ? "Computers" : "Network");
        w.Key("keyfield_id");
        w.Int(0);
        w.Key("keyfield_name");
        w.String("Device Name");
        w.Key("inactive");
        w.Bool(!t.active);
        w.Key("allowall_status");
        w.Bool(true);
        w.Key("fields");
        w.BeginArray();
        for (const auto& f : kAssetFields) {
            w.BeginObject();
            w.Key("id");
            w.Int(f.id);
            w.Key("name");
            w.String(f.name);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }

    std::string NameOf(Kind kind, int64_t id) const {
        auto r = id != 0 ? data_.Get(kind, id) : std::nullopt;
        return r ? r->name : std::string();
    }

    void WriteRecord(json::Writer& w, const Record& r, bool asset_fields) const {
        auto str = [&](std::string_view k, const std::string& v) {
            w.Key(k);
            w.String(v);
        };
        auto num = [&](std::string_view k, int64_t v) {
            w.Key(k);
            w.Int(v);
        };
        auto boolean = [&](std::string_view k, bool v) {
            w.Key(k);
            w.Bool(v);
        };
        w.BeginObject();
        num("id", r.id);
        switch (r.kind) {
            case Kind::kCompany:
                str("name", r.name);
                boolean("inactive", !r.active);
                num("toplevel_id", 1);
                str("toplevel_name", "Customers");
                str("website", r.website);
                num("main_site_id", r.id <= data_.options().sites ? r.id : 0);
                str("main_site_name", r.id <= data_.options().sites ? "Head Office" : "");
                str("ref", r.number);
                str("accountsid", "ACC" + r.number);
                str("notes", "");
                str("datecreated", Ts(r.created_ms));
                str("alastupdate", Ts(r.updated_ms));
                break;
            case Kind::kSite:
                str("name", r.name);
                num("client_id", r.company_id);
                str("client_name", NameOf(Kind::kCompany, r.company_id));
                boolean("inactive", !r.active);
                str("phonenumber", r.phone);
                str("timezone", "UTC");
                str("notes", "");
                str("slastupdate", Ts(r.updated_ms));
                w.Key("delivery_address");
                w.BeginObject();
                str("line1", r.address1);
                str("line2", r.address2);
                str("line3", r.city);
                str("line4", r.state);
                str("postcode", r.postal_code);
                str("country", r.country);
                w.EndObject();
                break;
            case Kind::kContact:
                str("name", r.name);
                str("firstname", r.first_name);
                str("surname", r.last_name);
                num("client_id", r.company_id);
                str("client_name", NameOf(Kind::kCompany, r.company_id));
                num("site_id", r.site_id);
                str("site_name", NameOf(Kind::kSite, r.site_id));
                str("emailaddress", r.email);
                str("phonenumber", r.phone);
                str("mobilenumber", r.mobile);
                boolean("inactive", !r.active);
                boolean("isimportantcontact", false);
                boolean("isserviceaccount", false);
                str("ulastupdate", Ts(r.updated_ms));
                break;
            case Kind::kConfiguration:
                str("inventory_number", r.asset_tag);
                str("key_field", r.name);
                str("key_field2", "");
                str("key_field3", "");
                num("client_id", r.company_id);
                str("client_name", NameOf(Kind::kCompany, r.company_id));
                num("site_id", r.site_id);
                str("site_name", NameOf(Kind::kSite, r.site_id));
                str("username", NameOf(Kind::kContact, r.contact_id));
                num("assettype_id", r.type_id);
                str("assettype_name", LookupName(ConfigurationTypes(), r.type_id));
                num("status_id", r.status_id);
                str("status_name", LookupName(ConfigurationStatuses(), r.status_id));
                boolean("inactive", !r.active);
                num("third_party_id", 0);
                str("warranty_end", Ts(r.warranty_ms));
                str("datecreated", Ts(r.created_ms));
                str("dlastupdate", Ts(r.updated_ms));
                if (asset_fields) {
                    w.Key("fields");
                    w.BeginArray();
                    const std::string values[] = {r.serial, r.mac, r.ip, r.os, r.model};
                    for (size_t i = 0; i < std::size(kAssetFields); ++i) {
                        w.BeginObject();
                        num("id", kAssetFields[i].id);
                        str("name", kAssetFields[i].name);
                        str("value", values[i]);
                        str("display", values[i]);
                        w.EndObject();
                    }
                    w.EndArray();
                }
                break;
        }
        w.EndObject();
    }

    http::Response ListRecords(http::Request& req, Kind kind, std::string_view key) {
        const auto form = net::DecodeForm(req.query);
        auto id_param = [&](const char* name) -> std::optional<int64_t> {
            auto v = net::FormValue(form, name);
            if (!v) return std::nullopt;
            return ParseInt64(*v).value_or(-1);
        };
        const auto client_id = id_param("client_id");
        const auto site_id = id_param("site_id");
        const auto type_id = kind == Kind::kConfiguration ? id_param("assettype_id") : std::nullopt;
        const std::string search = net::FormValue(form, "search").value_or("");
        bool include_inactive = Truthy(net::FormValue(form, "includeinactive"));
        bool include_active = !net::FormValue(form, "includeactive") || Truthy(net::FormValue(form, "includeactive"));
        if (auto both = net::FormValue(form, "activeinactive")) {
            auto parts = Split(*both, ',');
            include_active = IEquals(Trim(parts[0]), "true");
            include_inactive = parts.size() > 1 && IEquals(Trim(parts[1]), "true");
        }
        const bool everything =
            !client_id && !site_id && !type_id && search.empty() && include_inactive && include_active;
        const std::string signature = "halo|" + std::to_string(client_id.value_or(-2)) + "|" +
                                      std::to_string(site_id.value_or(-2)) + "|" +
                                      std::to_string(type_id.value_or(-2)) + "|" + search + "|" +
                                      (include_active ? "a" : "") + (include_inactive ? "i" : "");
        auto match = [=](const Record& r) {
            if (r.active ? !include_active : !include_inactive) return false;
            if (client_id && r.company_id != *client_id && kind != Kind::kCompany) return false;
            if (client_id && kind == Kind::kCompany && r.id != *client_id) return false;
            if (site_id && r.site_id != *site_id && kind != Kind::kSite) return false;
            if (type_id && r.type_id != *type_id) return false;
            if (!search.empty() && !IContains(r.name, search) && !IContains(r.asset_tag, search)) return false;
            return true;
        };
        auto matching = everything ? data_.Matching(kind, signature, nullptr) : data_.Matching(kind, signature, match);
        std::vector<int64_t> ids(matching->begin(), matching->end());
        const auto order = net::FormValue(form, "order");
        const bool desc = Truthy(net::FormValue(form, "orderdesc"));
        if (order && !IEquals(*order, "id")) {
            std::vector<std::pair<std::string, int64_t>> keyed;
            for (int64_t id : ids) {
                auto r = data_.Get(kind, id);
                keyed.emplace_back(r ? ToLower(r->name) : "", id);
            }
            std::stable_sort(keyed.begin(), keyed.end());
            for (size_t i = 0; i < keyed.size(); ++i) ids[i] = keyed[i].second;
        }
        if (desc) std::reverse(ids.begin(), ids.end());

        if (Truthy(net::FormValue(form, "idonly"))) {
            if (Truthy(net::FormValue(form, "pageinate")))
                return Error(400, "idonly cannot be combined with pageinate");
            json::Writer w;
            w.Reserve(ids.size() * 12 + 64);
            w.BeginObject();
            w.Key("record_count");
            w.Int(static_cast<int64_t>(ids.size()));
            w.Key(key);
            w.BeginArray();
            for (int64_t id : ids) {
                w.BeginObject();
                w.Key("id");
                w.Int(id);
                w.EndObject();
            }
            w.EndArray();
            w.EndObject();
            return JsonResponse(200, w.Take());
        }
        const bool paged = Truthy(net::FormValue(form, "pageinate"));
        size_t start = 0, end = ids.size();
        int64_t page_no = 1, page_size = 50;
        if (paged) {
            if (auto ps = net::FormValue(form, "page_size")) page_size = ParseInt64(*ps).value_or(0);
            if (auto pn = net::FormValue(form, "page_no")) page_no = ParseInt64(*pn).value_or(0);
            if (page_size < 1 || page_no < 1) return Error(400, "page_size and page_no must be positive");
            start = static_cast<size_t>(std::min<int64_t>((page_no - 1) * page_size, static_cast<int64_t>(ids.size())));
            end = std::min(ids.size(), start + static_cast<size_t>(page_size));
        } else if (auto count = net::FormValue(form, "count")) {
            const int64_t n = ParseInt64(*count).value_or(-1);
            if (n < 0) return Error(400, "count must be a number");
            end = std::min(ids.size(), static_cast<size_t>(n));
        }
        const bool asset_fields =
            kind == Kind::kConfiguration && type_id && Truthy(net::FormValue(form, "includeassetfields"));
        json::Writer w;
        w.Reserve((end - start) * 700);
        w.BeginObject();
        if (paged) {
            w.Key("page_no");
            w.Int(page_no);
            w.Key("page_size");
            w.Int(page_size);
        }
        w.Key("record_count");
        w.Int(static_cast<int64_t>(ids.size()));
        w.Key(key);
        w.BeginArray();
        for (size_t i = start; i < end; ++i) {
            auto r = data_.Get(kind, ids[i]);
            if (r) WriteRecord(w, *r, asset_fields);
        }
        w.EndArray();
        w.EndObject();
        OnListPage(kind);
        return JsonResponse(200, w.Take());
    }

    // POST of an array: elements without id create, with id update. Answers the saved
    // object (the first when several were sent).
    http::Response Save(http::Request& req, Kind kind) {
        auto body = json::Parse(req.body);
        if (!body.ok() || !body->is_array() || body->as_array().empty()) {
            return Error(400, "The body must be a JSON array of objects");
        }
        std::optional<Record> first;
        for (const auto& item : body->as_array()) {
            if (!item.is_object()) return Error(400, "The body must be a JSON array of objects");
            Record r;
            r.kind = kind;
            if (const auto* id = item.Find("id"); id != nullptr && id->is_int() && id->as_int() > 0) {
                auto existing = data_.Get(kind, id->as_int());
                if (!existing) return Error(404, "Record not found");
                r = *existing;
            } else {
                r.created_ms = NowMillis();
            }
            auto str = [&](const char* k, std::string& out) {
                if (const auto* v = item.Find(k); v != nullptr && v->is_string()) out = v->as_string();
            };
            str(kind == Kind::kConfiguration ? "key_field" : "name", r.name);
            str("inventory_number", r.asset_tag);
            str("emailaddress", r.email);
            str("firstname", r.first_name);
            str("surname", r.last_name);
            if (const auto* v = item.Find("inactive"); v != nullptr && v->is_bool()) r.active = !v->as_bool();
            if (kind == Kind::kConfiguration) {
                if (const auto* t = item.Find("assettype_id"); t != nullptr && t->is_int()) {
                    r.type_id = static_cast<int>(t->as_int());
                } else if (const auto* n = item.Find("assettype_name"); n != nullptr && n->is_string()) {
                    for (const auto& t : ConfigurationTypes()) {
                        if (IEquals(t.name, n->as_string())) r.type_id = t.id;
                    }
                }
                if (LookupName(ConfigurationTypes(), r.type_id).empty()) return Error(400, "Asset type not found");
                if (const auto* fields = item.Find("fields"); fields != nullptr && fields->is_array()) {
                    for (const auto& f : fields->as_array()) {
                        const auto* value = f.Find("value");
                        if (value == nullptr || !value->is_string()) continue;
                        const auto* fid = f.Find("id");
                        const auto* fname = f.Find("name");
                        for (size_t i = 0; i < std::size(kAssetFields); ++i) {
                            const bool hit = (fid != nullptr && fid->is_int() && fid->as_int() == kAssetFields[i].id) ||
                                             (fname != nullptr && fname->is_string() &&
                                              IEquals(fname->as_string(), kAssetFields[i].name));
                            if (!hit) continue;
                            std::string* targets[] = {&r.serial, &r.mac, &r.ip, &r.os, &r.model};
                            *targets[i] = value->as_string();
                        }
                    }
                }
            }
            if (kind != Kind::kCompany) {
                if (const auto* s = item.Find("site_id"); s != nullptr && s->is_int()) {
                    auto site = data_.Get(Kind::kSite, s->as_int());
                    if (!site) return Error(400, "Site not found");
                    r.site_id = site->id;
                    r.company_id = site->company_id;
                } else if (const auto* c = item.Find("client_id"); c != nullptr && c->is_int()) {
                    r.company_id = c->as_int();
                }
            }
            if (r.id == 0) {
                auto id = data_.Add(kind, json::Value(json::Value::Object{}), NowMillis());
                if (!id.ok()) return Error(400, id.status().message());
                r.id = *id;
            }
            Status s = data_.Put(r, NowMillis());
            if (!s.ok()) return Error(400, s.message());
            if (!first) first = data_.Get(kind, r.id);
        }
        json::Writer w;
        WriteRecord(w, *first, kind == Kind::kConfiguration);
        return JsonResponse(200, w.Take());
    }

    http::Router router_;
    std::map<std::string, TokenInfo> tokens_;
    int64_t token_seq_ = 0;
};

}  // namespace

std::unique_ptr<Simulator> NewHaloPsaSimulator(SimOptions options) {
    return std::make_unique<HaloPsaSimulator>(std::move(options));
}

}  // namespace mortar::sim
