// SPDX-License-Identifier: AGPL-3.0-or-later
// HaloPSA (CONNECTORS.md 2): OAuth2 client credentials, pageinate/page_no paging, each
// listing checked against an idonly listing. Halo has no reliable modified-since filter,
// so every fetch is a full listing; `since_ms` is applied to the records' last-update
// stamps on this side.
#include <unordered_set>

#include "connectors/internal/common.hpp"
#include "connectors/internal/parse.hpp"
#include "core/strings.hpp"
#include "net/url.hpp"

namespace mortar::connectors {

namespace {

constexpr int64_t kPageSize = 1000;
// Records a listing may have missed and fetches one by one before giving up.
constexpr size_t kMaxRepairs = 100;

Status MapError(const net::HttpResponse& r) {
    const std::string text = r.body.substr(0, 200);
    if (r.status == 401) return Status::Unauthenticated("HaloPSA refused the access token: " + text);
    if (r.status == 403)
        return Status::PermissionDenied("HaloPSA: the application or agent lacks a permission: " + text);
    if (r.status == 400) return Status::InvalidArgument("HaloPSA refused the request: " + text);
    if (r.status >= 500) return Status::Unavailable("HaloPSA answered HTTP " + std::to_string(r.status) + ": " + text);
    return Status::Internal("HaloPSA answered HTTP " + std::to_string(r.status) + ": " + text);
}

std::string TrimSlash(std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
}

std::shared_ptr<net::AuthStrategy> Auth(const HaloPsaConfig& c, const ConnectorEnv& env) {
    net::ClientCredentials cc;
    cc.token_url = TrimSlash(c.auth_url) + "/token";
    cc.client_id = c.client_id;
    cc.client_secret = c.client_secret;
    cc.scope = c.scope;
    if (!c.tenant.empty()) cc.extra_form.emplace_back("tenant", c.tenant);
    return net::OAuth2ClientCredentials(cc, env.clock != nullptr ? *env.clock : Clock::Real());
}

class HaloPsaConnector final : public internal::ConnectorBase {
public:
    HaloPsaConnector(HaloPsaConfig config, ConnectorEnv env)
        : ConnectorBase(env, Auth(config, env)), api_(TrimSlash(config.resource_url)) {}

    std::string_view kind() const override { return "halopsa"; }
    bool Supports(EntityKind kind) const override {
        return kind == EntityKind::kCompany || kind == EntityKind::kSite || kind == EntityKind::kContact ||
               kind == EntityKind::kConfiguration || kind == EntityKind::kConfigurationType;
    }
    bool SupportsIncremental(EntityKind) const override { return false; }

    Status TestCredentials() override {
        net::HttpRequest req;
        req.url = api_ + "/AssetType";
        auto resp = transport().Send(req);
        if (!resp.ok()) return resp.status();
        if (resp->status != 200) return MapError(*resp);
        return Status::Ok();
    }

    Status Fetch(EntityKind kind, const FetchOptions& options, const BatchFn& on_batch) override {
        std::unordered_set<std::string> seen;
        switch (kind) {
            case EntityKind::kCompany:
                return List("/Client", kind, {}, options, seen, on_batch);
            case EntityKind::kSite:
                return List("/Site", kind, {}, options, seen, on_batch);
            case EntityKind::kContact:
                return List("/Users", kind, {}, options, seen, on_batch);
            case EntityKind::kConfigurationType:
                return Types(seen, on_batch);
            case EntityKind::kConfiguration:
                break;
            default:
                return Status::InvalidArgument(
                    "HaloPSA has no list of " + std::string(EntityKindName(kind)) + "s; use the names on the records"
                );
        }
        // Custom fields (serial, MAC) come only per asset type: one listing per type.
        std::vector<std::string> types = options.type_ids;
        if (types.empty()) {
            std::unordered_set<std::string> seen_types;
            MORTAR_RETURN_IF_ERROR(Types(seen_types, [&](std::span<const ExternalRecord> batch) {
                for (const auto& t : batch) types.push_back(t.external_id);
                return Status::Ok();
            }));
        }
        for (const auto& type : types) {
            if (!ParseInt64(type)) return Status::InvalidArgument("HaloPSA asset type ids are integers: " + type);
            MORTAR_RETURN_IF_ERROR(
                List("/Asset", kind, {{"assettype_id", type}, {"includeassetfields", "true"}}, options, seen, on_batch)
            );
        }
        return Status::Ok();
    }

private:
    Status Types(std::unordered_set<std::string>& seen, const BatchFn& on_batch) {
        net::HttpRequest req;
        req.url = api_ + "/AssetType";
        auto resp = transport().Send(req);
        if (!resp.ok()) return resp.status();
        if (resp->status != 200) return MapError(*resp);
        std::vector<ExternalRecord> page;
        std::optional<int64_t> count;
        MORTAR_RETURN_IF_ERROR(internal::ParseHaloList(parser_, resp->body, EntityKind::kConfigurationType, page, count)
        );
        return Deliver(page, seen, on_batch);
    }

    Status List(
        std::string_view path,
        EntityKind kind,
        const net::Pairs& extra,
        const FetchOptions& options,
        std::unordered_set<std::string>& seen,
        const BatchFn& on_batch
    ) {
        const int64_t page_size = options.page_size > 0 ? options.page_size : kPageSize;
        net::Pairs query = extra;
        if (options.include_inactive) query.emplace_back("includeinactive", "true");
        query.emplace_back("order", "id");
        query.emplace_back("pageinate", "true");
        query.emplace_back("page_size", std::to_string(page_size));
        net::HttpRequest first;
        first.url = api_ + std::string(path) + "?" + net::EncodeForm(query);
        // Page numbers shift when records before the current page disappear, so the
        // listing is checked against the ids the PSA holds at its end (below).
        auto pager = net::PageNumberPager(first, "page_no", page_size, /*fail_on_total_change=*/false);
        std::unordered_set<std::string> listed;
        std::vector<ExternalRecord> page;
        net::PageCallbacks cb;
        cb.check = MapError;
        cb.parse = [&](net::HttpResponse& r, net::PageResult& result) -> Status {
            page.clear();
            std::optional<int64_t> count;
            MORTAR_RETURN_IF_ERROR(internal::ParseHaloList(parser_, r.body, kind, page, count));
            result.records = static_cast<int64_t>(page.size());
            result.total = count;
            for (const auto& rec : page) listed.insert(rec.external_id);
            return Filtered(kind, options, page, seen, on_batch);
        };
        MORTAR_RETURN_IF_ERROR(net::Paginate(transport(), *pager, cb));
        return Verify(path, kind, extra, options, listed, seen, on_batch);
    }

    // Asks for the ids alone (one call, no paging) and fetches the few records the pages
    // missed because others moved under them; too many missed is kUnavailable.
    Status Verify(
        std::string_view path,
        EntityKind kind,
        const net::Pairs& extra,
        const FetchOptions& options,
        const std::unordered_set<std::string>& listed,
        std::unordered_set<std::string>& seen,
        const BatchFn& on_batch
    ) {
        net::Pairs query = extra;
        std::erase_if(query, [](const auto& kv) { return kv.first == "includeassetfields"; });
        if (options.include_inactive) query.emplace_back("includeinactive", "true");
        query.emplace_back("idonly", "true");
        net::HttpRequest req;
        req.url = api_ + std::string(path) + "?" + net::EncodeForm(query);
        auto resp = transport().Send(req);
        if (!resp.ok()) return resp.status();
        if (resp->status != 200) return MapError(*resp);
        std::vector<ExternalRecord> ids;
        std::optional<int64_t> count;
        MORTAR_RETURN_IF_ERROR(internal::ParseHaloList(parser_, resp->body, kind, ids, count));
        std::vector<std::string> missing;
        for (const auto& r : ids) {
            if (listed.count(r.external_id) == 0) missing.push_back(r.external_id);
        }
        if (missing.size() > kMaxRepairs) {
            return Status::Unavailable(
                "HaloPSA records moved during paging (" + std::to_string(missing.size()) +
                " not listed); the listing is incomplete"
            );
        }
        for (const auto& id : missing) {
            net::HttpRequest one;
            one.url = api_ + std::string(path) + "/" + id;
            auto r = transport().Send(one);
            if (!r.ok()) return r.status();
            if (r->status == 404) continue;  // deleted since
            if (r->status != 200) return MapError(*r);
            std::string body = "[" + r->body + "]";
            std::vector<ExternalRecord> page;
            MORTAR_RETURN_IF_ERROR(internal::ParseHaloList(parser_, body, kind, page, count));
            MORTAR_RETURN_IF_ERROR(Filtered(kind, options, page, seen, on_batch));
        }
        return Status::Ok();
    }

    // Applies the filters Halo cannot (since, statuses) and delivers.
    Status Filtered(
        EntityKind kind,
        const FetchOptions& options,
        std::vector<ExternalRecord>& page,
        std::unordered_set<std::string>& seen,
        const BatchFn& on_batch
    ) {
        std::erase_if(page, [&](const ExternalRecord& rec) {
            if (options.since_ms && rec.updated_at_ms <= *options.since_ms) return true;
            if (!options.status_ids.empty() && kind == EntityKind::kConfiguration) {
                std::string_view status;
                for (const auto& [k, v] : rec.fields) {
                    if (k == "status_id") status = v;
                }
                bool wanted = false;
                for (const auto& s : options.status_ids) wanted = wanted || s == status;
                return !wanted;
            }
            return false;
        });
        return Deliver(page, seen, on_batch);
    }

    const std::string api_;
};

}  // namespace

std::unique_ptr<Connector> NewHaloPsaConnector(HaloPsaConfig config, ConnectorEnv env) {
    return std::make_unique<HaloPsaConnector>(std::move(config), env);
}

}  // namespace mortar::connectors
