// SPDX-License-Identifier: AGPL-3.0-or-later
// ConnectWise Manage (CONNECTORS.md 3): codebase discovery, Basic auth with clientId,
// conditions, forward-only Link-header paging, `lastUpdated > [ts]` incremental.
#include <unordered_set>

#include "connectors/internal/common.hpp"
#include "connectors/internal/parse.hpp"
#include "core/json.hpp"
#include "core/strings.hpp"
#include "net/url.hpp"

namespace mortar::connectors {

namespace {

constexpr int64_t kMaxPageSize = 1000;

std::string MessageOf(const std::string& body) {
    auto doc = json::Parse(body);
    if (doc.ok() && doc->is_object()) {
        if (const auto* m = doc->Find("message"); m != nullptr && m->is_string()) return m->as_string();
    }
    return body.substr(0, 200);
}

Status MapError(const net::HttpResponse& r) {
    const std::string text = MessageOf(r.body);
    switch (r.status) {
        case 401:
            return Status::Unauthenticated("ConnectWise refused the API member's keys or client id: " + text);
        case 403:
            return Status::PermissionDenied("ConnectWise: the API member lacks a permission: " + text);
        case 400:
            return Status::InvalidArgument("ConnectWise refused the query: " + text);
        default:
            if (r.status >= 500)
                return Status::Unavailable("ConnectWise answered HTTP " + std::to_string(r.status) + ": " + text);
            return Status::Internal("ConnectWise answered HTTP " + std::to_string(r.status) + ": " + text);
    }
}

std::string Timestamp(int64_t ms) {
    const std::string s = FormatTimestamp(ms - ((ms % 1000) + 1000) % 1000);
    return s.substr(0, 19) + "Z";
}

std::string InList(std::string_view field, const std::vector<std::string>& ids, Status& bad) {
    std::string out = std::string(field) + " in (";
    for (size_t i = 0; i < ids.size(); ++i) {
        if (!ParseInt64(ids[i])) bad = Status::InvalidArgument("ConnectWise ids are integers: " + ids[i]);
        out += (i ? "," : "") + ids[i];
    }
    return out + ")";
}

class ConnectWiseConnector final : public internal::ConnectorBase {
public:
    ConnectWiseConnector(ConnectWiseConfig config, ConnectorEnv env)
        : ConnectorBase(
              env,
              net::StaticHeaders(
                  {{"Authorization",
                    net::BasicAuthorization(config.company_id + "+" + config.public_key, config.private_key)},
                   {"clientId", config.client_id},
                   {"Accept", "application/vnd.connectwise.com+json; version=2022.1, application/json"}}
              )
          ),
          config_(std::move(config)),
          api_url_(config_.api_url) {
        while (!config_.site_url.empty() && config_.site_url.back() == '/') config_.site_url.pop_back();
        while (!api_url_.empty() && api_url_.back() == '/') api_url_.pop_back();
    }

    std::string_view kind() const override { return "connectwise"; }
    bool Supports(EntityKind kind) const override {
        return kind != EntityKind::kAppliance && kind != EntityKind::kBackup;
    }
    bool SupportsIncremental(EntityKind kind) const override {
        return kind == EntityKind::kCompany || kind == EntityKind::kContact || kind == EntityKind::kConfiguration;
    }

    Status TestCredentials() override {
        MORTAR_RETURN_IF_ERROR(Discover());
        net::HttpRequest req;
        req.url = api_url_ + "/system/info";
        auto resp = transport().Send(req);
        if (!resp.ok()) return resp.status();
        if (resp->status != 200) return MapError(*resp);
        return Status::Ok();
    }

    Status Fetch(EntityKind kind, const FetchOptions& options, const BatchFn& on_batch) override {
        if (!Supports(kind)) {
            return Status::InvalidArgument("ConnectWise has no " + std::string(EntityKindName(kind)) + " list");
        }
        MORTAR_RETURN_IF_ERROR(Discover());
        std::unordered_set<std::string> seen;
        switch (kind) {
            case EntityKind::kCompanyType:
                return List("/company/companies/types", kind, {}, {}, options, seen, on_batch);
            case EntityKind::kConfigurationType:
                return List("/company/configurations/types", kind, {}, {}, options, seen, on_batch);
            case EntityKind::kConfigurationStatus:
                return List("/company/configurations/statuses", kind, {}, {}, options, seen, on_batch);
            case EntityKind::kSite:
                return FetchSites(options, on_batch);
            default:
                break;
        }
        std::vector<std::string> conditions;
        std::string child;
        Status bad;
        if (options.since_ms) conditions.push_back("lastUpdated > [" + Timestamp(*options.since_ms) + "]");
        if (kind == EntityKind::kCompany) {
            if (!options.include_inactive) conditions.push_back("deletedFlag = false");
            if (!options.type_ids.empty()) child = InList("types/id", options.type_ids, bad);
            return bad.ok() ? List("/company/companies", kind, conditions, child, options, seen, on_batch) : bad;
        }
        if (kind == EntityKind::kContact) {
            if (!options.include_inactive) conditions.push_back("inactiveFlag = false");
            return List("/company/contacts", kind, conditions, child, options, seen, on_batch);
        }
        if (!options.include_inactive) conditions.push_back("activeFlag = true");
        if (!options.type_ids.empty()) conditions.push_back(InList("type/id", options.type_ids, bad));
        if (!options.status_ids.empty()) conditions.push_back(InList("status/id", options.status_ids, bad));
        if (!bad.ok()) return bad;
        return List("/company/configurations", kind, conditions, child, options, seen, on_batch);
    }

private:
    Status Discover() {
        if (!api_url_.empty()) return Status::Ok();
        net::HttpRequest req;
        req.url = config_.site_url + "/login/companyinfo/" + net::UrlEncode(config_.company_id);
        auto resp = transport().SendUnauthenticated(req);
        if (!resp.ok()) return resp.status();
        if (resp->status != 200) return MapError(*resp);
        auto doc = json::Parse(resp->body);
        if (!doc.ok()) return Status::Internal("ConnectWise company information is not JSON");
        if (doc->is_null()) {
            return Status::Unauthenticated("ConnectWise does not know the company id " + config_.company_id);
        }
        const json::Value* codebase = doc->is_object() ? doc->Find("Codebase") : nullptr;
        std::string cb = codebase != nullptr && codebase->is_string() ? codebase->as_string() : "v4_6_release/";
        if (cb.empty() || cb.back() != '/') cb.push_back('/');
        api_url_ = config_.site_url + "/" + cb + "apis/3.0";
        return Status::Ok();
    }

    Status List(
        std::string_view path,
        EntityKind kind,
        const std::vector<std::string>& conditions,
        const std::string& child,
        const FetchOptions& options,
        std::unordered_set<std::string>& seen,
        const BatchFn& on_batch
    ) {
        const int64_t page_size = options.page_size > 0 ? std::min(options.page_size, kMaxPageSize) : kMaxPageSize;
        std::string url = api_url_ + std::string(path);
        url = net::AppendQuery(url, "pageSize", std::to_string(page_size));
        if (!conditions.empty()) {
            std::string all;
            for (const auto& c : conditions) all += (all.empty() ? "" : " and ") + ("(" + c + ")");
            url = net::AppendQuery(url, "conditions", all);
        }
        if (!child.empty()) url = net::AppendQuery(url, "childConditions", child);
        net::HttpRequest first;
        first.url = url;
        first.SetHeader("pagination-type", "forward-only");
        auto pager = net::LinkHeaderPager(first, page_size);
        std::vector<ExternalRecord> page;
        net::PageCallbacks cb;
        cb.check = MapError;
        cb.parse = [&](net::HttpResponse& r, net::PageResult& result) -> Status {
            page.clear();
            MORTAR_RETURN_IF_ERROR(internal::ParseConnectWiseArray(parser_, r.body, kind, page));
            result.records = static_cast<int64_t>(page.size());
            return Deliver(page, seen, on_batch);
        };
        return net::Paginate(transport(), *pager, cb);
    }

    // Sites hang under their company: list the company ids, then each company's sites.
    Status FetchSites(const FetchOptions& options, const BatchFn& on_batch) {
        std::vector<std::string> company_ids;
        FetchOptions companies = options;
        companies.since_ms.reset();
        companies.include_inactive = true;  // a deleted company's sites are still listed
        std::unordered_set<std::string> seen_companies;
        MORTAR_RETURN_IF_ERROR(List(
            "/company/companies",
            EntityKind::kCompany,
            {},
            {},
            companies,
            seen_companies,
            [&](std::span<const ExternalRecord> batch) {
                for (const auto& c : batch) company_ids.push_back(c.external_id);
                return Status::Ok();
            }
        ));
        std::unordered_set<std::string> seen;
        std::vector<std::string> conditions;
        if (!options.include_inactive) conditions.push_back("inactiveFlag = false");
        for (const auto& id : company_ids) {
            BatchFn with_parent = [&](std::span<const ExternalRecord> batch) {
                std::vector<ExternalRecord> copy(batch.begin(), batch.end());
                for (auto& r : copy) {
                    if (r.parent_external_id.empty()) {
                        r.parent_external_id = id;
                        FinishRecord(r);
                    }
                }
                if (options.since_ms) {
                    std::erase_if(copy, [&](const ExternalRecord& r) { return r.updated_at_ms <= *options.since_ms; });
                }
                return copy.empty() ? Status::Ok() : on_batch(copy);
            };
            MORTAR_RETURN_IF_ERROR(List(
                "/company/companies/" + id + "/sites", EntityKind::kSite, conditions, {}, options, seen, with_parent
            ));
        }
        return Status::Ok();
    }

    ConnectWiseConfig config_;
    std::string api_url_;
};

}  // namespace

std::unique_ptr<Connector> NewConnectWiseConnector(ConnectWiseConfig config, ConnectorEnv env) {
    return std::make_unique<ConnectWiseConnector>(std::move(config), env);
}

}  // namespace mortar::connectors
