// SPDX-License-Identifier: AGPL-3.0-or-later
// Unitrends UniView public API (CONNECTORS.md 4): OAuth2 client credentials with HTTP
// Basic client authentication on the token origin, Bearer on the API origin, bare
// arrays paged by page_number/page_size with Paging-* headers. Read-only.
#include <unordered_set>

#include "connectors/internal/common.hpp"
#include "connectors/internal/parse.hpp"
#include "core/strings.hpp"
#include "net/url.hpp"

namespace mortar::connectors {

namespace {

constexpr int64_t kPageSize = 500;

Status MapError(const net::HttpResponse& r) {
    const std::string text = r.body.substr(0, 200);
    if (r.status == 401) return Status::Unauthenticated("UniView refused the access token");
    if (r.status == 403) return Status::PermissionDenied("UniView: the API client lacks a permission: " + text);
    if (r.status == 400) return Status::InvalidArgument("UniView refused the request: " + text);
    if (r.status >= 500) return Status::Unavailable("UniView answered HTTP " + std::to_string(r.status) + ": " + text);
    return Status::Internal("UniView answered HTTP " + std::to_string(r.status) + ": " + text);
}

std::string TrimSlash(std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
}

std::shared_ptr<net::AuthStrategy> Auth(const UniViewConfig& c, const ConnectorEnv& env) {
    net::ClientCredentials cc;
    cc.token_url = c.token_url;
    cc.client_id = c.client_id;
    cc.client_secret = c.client_secret;
    cc.basic_client_auth = true;  // no scope is needed
    return net::OAuth2ClientCredentials(cc, env.clock != nullptr ? *env.clock : Clock::Real());
}

class UniViewConnector final : public internal::ConnectorBase {
public:
    UniViewConnector(UniViewConfig config, ConnectorEnv env)
        : ConnectorBase(env, Auth(config, env)), api_(TrimSlash(config.api_url)) {}

    std::string_view kind() const override { return "uniview"; }
    bool Supports(EntityKind kind) const override {
        return kind == EntityKind::kCompany || kind == EntityKind::kAppliance || kind == EntityKind::kConfiguration ||
               kind == EntityKind::kBackup;
    }
    bool SupportsIncremental(EntityKind kind) const override { return kind == EntityKind::kBackup; }

    Status TestCredentials() override {
        net::HttpRequest req;
        req.url = api_ + "/v1/customers?page_size=1";
        auto resp = transport().Send(req);
        if (!resp.ok()) return resp.status();
        if (resp->status != 200) return MapError(*resp);
        return Status::Ok();
    }

    Status Fetch(EntityKind kind, const FetchOptions& options, const BatchFn& on_batch) override {
        net::Pairs query;
        std::string path;
        switch (kind) {
            case EntityKind::kCompany:
                path = "/v1/customers";
                break;
            case EntityKind::kAppliance:
                path = "/v1/appliances";
                break;
            case EntityKind::kConfiguration:
                path = "/v1/assets";
                query.emplace_back("include[backups]", "last");
                if (!options.asset_key.empty()) query.emplace_back("key", options.asset_key);
                break;
            case EntityKind::kBackup:
                path = "/v1/backups";
                // The engine passes its watermark minus a safety margin: jobs still in
                // progress finish later.
                if (options.since_ms) query.emplace_back("start_time_from", FormatTimestamp(*options.since_ms));
                if (!options.asset_key.empty()) query.emplace_back("asset_key", options.asset_key);
                query.emplace_back("order_by", "start_time");
                break;
            default:
                return Status::InvalidArgument("UniView has no " + std::string(EntityKindName(kind)) + "s");
        }
        const int64_t page_size = options.page_size > 0 ? options.page_size : kPageSize;
        query.emplace_back("page_size", std::to_string(page_size));
        net::HttpRequest first;
        first.url = api_ + path + "?" + net::EncodeForm(query);
        // A changing total means records moved between pages: the listing fails rather
        // than skip one (there is no id-only listing to check against).
        auto pager = net::PageNumberPager(first, "page_number", page_size, /*fail_on_total_change=*/true);
        std::unordered_set<std::string> seen;
        std::vector<ExternalRecord> page;
        net::PageCallbacks cb;
        cb.check = MapError;
        cb.parse = [&](net::HttpResponse& r, net::PageResult& result) -> Status {
            page.clear();
            MORTAR_RETURN_IF_ERROR(internal::ParseUniViewArray(parser_, r.body, kind, page));
            result.records = static_cast<int64_t>(page.size());
            if (auto total = ParseInt64(Trim(r.Header("paging-total-records")))) result.total = *total;
            return Deliver(page, seen, on_batch);
        };
        return net::Paginate(transport(), *pager, cb);
    }

private:
    const std::string api_;
};

}  // namespace

std::unique_ptr<Connector> NewUniViewConnector(UniViewConfig config, ConnectorEnv env) {
    return std::make_unique<UniViewConnector>(std::move(config), env);
}

}  // namespace mortar::connectors
