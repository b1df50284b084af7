// SPDX-License-Identifier: AGPL-3.0-or-later
#include "connectors/connector.hpp"

#include <algorithm>

#include "connectors/internal/common.hpp"
#include "core/clock.hpp"

namespace mortar::connectors {

namespace {

constexpr std::pair<EntityKind, std::string_view> kNames[] = {
    {EntityKind::kCompany, "company"},
    {EntityKind::kSite, "site"},
    {EntityKind::kContact, "contact"},
    {EntityKind::kConfiguration, "configuration"},
    {EntityKind::kCompanyType, "company_type"},
    {EntityKind::kConfigurationType, "configuration_type"},
    {EntityKind::kConfigurationStatus, "configuration_status"},
    {EntityKind::kAppliance, "appliance"},
    {EntityKind::kBackup, "backup"},
};

void Hash(uint64_t& h, std::string_view s) {
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    h ^= 0xff;  // a separator no UTF-8 text contains
    h *= 0x100000001b3ULL;
}

}  // namespace

std::string_view EntityKindName(EntityKind kind) {
    for (const auto& [k, n] : kNames) {
        if (k == kind) return n;
    }
    return "?";
}

std::optional<EntityKind> EntityKindFromName(std::string_view name) {
    for (const auto& [k, n] : kNames) {
        if (n == name) return k;
    }
    return std::nullopt;
}

std::string_view ExternalRecord::Field(std::string_view name) const {
    auto it = std::lower_bound(fields.begin(), fields.end(), name, [](const auto& f, std::string_view n) {
        return f.first < n;
    });
    return it != fields.end() && it->first == name ? std::string_view(it->second) : std::string_view();
}

void FinishRecord(ExternalRecord& r) {
    std::erase_if(r.fields, [](const auto& f) { return f.second.empty(); });
    std::stable_sort(r.fields.begin(), r.fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    r.fields.erase(
        std::unique(r.fields.begin(), r.fields.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
        r.fields.end()
    );
    uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64
    Hash(h, EntityKindName(r.kind));
    Hash(h, r.external_id);
    Hash(h, r.parent_external_id);
    Hash(h, r.name);
    Hash(h, r.active ? "1" : "0");
    for (const auto& [k, v] : r.fields) {
        Hash(h, k);
        Hash(h, v);
    }
    static constexpr char kHex[] = "0123456789abcdef";
    r.payload_hash.assign(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) r.payload_hash[i] = kHex[h & 15];
}

Result<std::unique_ptr<Connector>> MakeConnector(
    std::string_view kind, const std::map<std::string, std::string>& settings, ConnectorEnv env
) {
    std::string missing;
    auto get = [&](const char* key, bool required = true) {
        auto it = settings.find(key);
        if (it == settings.end() || it->second.empty()) {
            if (required && missing.empty()) missing = key;
            return std::string();
        }
        return it->second;
    };
    std::unique_ptr<Connector> c;
    if (kind == "autotask") {
        AutotaskConfig a;
        if (auto url = get("zone_lookup_url", false); !url.empty()) a.zone_lookup_url = url;
        a.username = get("username");
        a.secret = get("secret");
        a.integration_code = get("integration_code");
        a.zone_url = get("zone_url", false);
        c = NewAutotaskConnector(std::move(a), env);
    } else if (kind == "connectwise") {
        ConnectWiseConfig w;
        w.site_url = get("site_url");
        w.api_url = get("api_url", false);
        w.company_id = get("company_id");
        w.public_key = get("public_key");
        w.private_key = get("private_key");
        w.client_id = get("client_id");
        c = NewConnectWiseConnector(std::move(w), env);
    } else if (kind == "halopsa") {
        HaloPsaConfig h;
        h.auth_url = get("auth_url");
        h.resource_url = get("resource_url");
        h.client_id = get("client_id");
        h.client_secret = get("client_secret");
        if (auto scope = get("scope", false); !scope.empty()) h.scope = scope;
        h.tenant = get("tenant", false);
        c = NewHaloPsaConnector(std::move(h), env);
    } else if (kind == "uniview") {
        UniViewConfig u;
        if (auto url = get("token_url", false); !url.empty()) u.token_url = url;
        if (auto url = get("api_url", false); !url.empty()) u.api_url = url;
        u.client_id = get("client_id");
        u.client_secret = get("client_secret");
        c = NewUniViewConnector(std::move(u), env);
    } else {
        return Status::InvalidArgument("unknown connector kind '" + std::string(kind) + "'");
    }
    if (!missing.empty())
        return Status::InvalidArgument("the " + std::string(kind) + " setting " + missing + " is missing");
    return c;
}

namespace internal {

std::optional<std::string> Scalar(od::value v) {
    switch (v.type()) {
        case od::json_type::string:
            return std::string(std::string_view(v.get_string()));
        case od::json_type::number: {
            std::string_view raw = v.raw_json_token();
            while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')
            ) {
                raw.remove_suffix(1);
            }
            return std::string(raw);
        }
        case od::json_type::boolean:
            return std::string(v.get_bool() ? "true" : "false");
        default:
            return std::nullopt;
    }
}

std::optional<bool> Bool(od::value v) {
    switch (v.type()) {
        case od::json_type::boolean:
            return bool(v.get_bool());
        case od::json_type::number: {
            int64_t n = v.get_int64();
            if (n == 0 || n == 1) return n == 1;
            return std::nullopt;
        }
        case od::json_type::string: {
            std::string_view s = v.get_string();
            if (s == "true" || s == "1") return true;
            if (s == "false" || s == "0") return false;
            return std::nullopt;
        }
        default:
            return std::nullopt;
    }
}

Status ParseBody(
    od::parser& parser, std::string& body, std::string_view what, const std::function<Status(od::document&)>& fn
) {
    try {
        simdjson::padded_string copy;
        simdjson::padded_string_view view;
        if (body.capacity() >= body.size() + simdjson::SIMDJSON_PADDING) {
            view = simdjson::padded_string_view(body.data(), body.size(), body.capacity());
        } else {
            copy = simdjson::padded_string(body);
            view = copy;
        }
        od::document doc = parser.iterate(view);
        return fn(doc);
    } catch (const simdjson::simdjson_error& e) {
        return Status::Internal("malformed " + std::string(what) + ": " + e.what());
    }
}

int64_t Millis(std::string_view text) {
    if (text.empty()) return 0;
    auto t = ParseTimestamp(text);
    if (t.ok()) return *t;
    // Halo writes local-looking stamps without a zone; they are UTC.
    t = ParseTimestamp(std::string(text) + "Z");
    return t.ok() ? *t : 0;
}

void Put(ExternalRecord& r, std::string name, std::optional<std::string> value) {
    if (value && !value->empty()) r.fields.emplace_back(std::move(name), std::move(*value));
}

ConnectorBase::ConnectorBase(
    ConnectorEnv env, std::shared_ptr<net::AuthStrategy> auth, std::function<bool(const net::HttpResponse&)> permanent
)
    : clock_(env.clock != nullptr ? env.clock : &Clock::Real()) {
    net::HttpClient* client = env.client;
    if (client == nullptr) {
        owned_client_ = net::NewCurlClient(env.client_options);
        client = owned_client_.get();
    }
    net::TransportOptions o;
    o.retry = env.retry;
    o.clock = clock_;
    o.sleeper = env.sleeper;
    o.seed = env.seed;
    o.permanent = std::move(permanent);
    transport_ = std::make_unique<net::Transport>(*client, std::move(o), std::move(auth));
}

Status ConnectorBase::Deliver(
    std::vector<ExternalRecord>& page, std::unordered_set<std::string>& seen, const BatchFn& on_batch
) {
    size_t kept = 0;
    for (auto& r : page) {
        if (!seen.insert(r.external_id).second) continue;
        FinishRecord(r);
        if (&page[kept] != &r) page[kept] = std::move(r);
        ++kept;
    }
    page.resize(kept);
    if (page.empty()) return Status::Ok();
    return on_batch(std::span<const ExternalRecord>(page.data(), page.size()));
}

}  // namespace internal

}  // namespace mortar::connectors
