// SPDX-License-Identifier: AGPL-3.0-or-later
// Autotask PSA (CONNECTORS.md 1): zone discovery, three static headers, JSON query
// filters, absolute nextPageUrl paging.
#include <unordered_set>

#include "connectors/internal/common.hpp"
#include "connectors/internal/parse.hpp"
#include "core/json.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "net/url.hpp"

namespace mortar::connectors {

namespace {

constexpr int64_t kMaxRecords = 500;

struct EntitySpec {
    std::string_view path;
    std::string_view since_field;  // empty: no incremental filter
    bool active_is_int;
};

std::optional<EntitySpec> SpecOf(EntityKind kind) {
    switch (kind) {
        case EntityKind::kCompany:
            return EntitySpec{"Companies", "lastTrackedModifiedDateTime", false};
        case EntityKind::kSite:
            return EntitySpec{"CompanyLocations", "", false};
        case EntityKind::kContact:
            return EntitySpec{"Contacts", "lastModifiedDate", true};
        case EntityKind::kConfiguration:
            return EntitySpec{"ConfigurationItems", "lastModifiedTime", false};
        default:
            return std::nullopt;
    }
}

// The text of {"errors":[...]} joined, or the body's start.
std::string ErrorsText(const std::string& body) {
    auto doc = json::Parse(body);
    std::string out;
    if (doc.ok() && doc->is_object()) {
        if (const auto* e = doc->Find("errors"); e != nullptr && e->is_array()) {
            for (const auto& m : e->as_array()) {
                if (!m.is_string()) continue;
                if (!out.empty()) out += "; ";
                out += m.as_string();
            }
        }
    }
    return out.empty() ? body.substr(0, 200) : out;
}

bool IsConfigurationError(const std::string& text) {
    const std::string t = ToLower(text);
    return t.find("integrationcode") != std::string::npos || t.find("integration code") != std::string::npos ||
           t.find("zone") != std::string::npos || t.find("user name") != std::string::npos ||
           t.find("resource") != std::string::npos || t.find("permission") != std::string::npos ||
           t.find("query syntax") != std::string::npos || t.find("requires a filter") != std::string::npos;
}

Status MapError(const net::HttpResponse& r) {
    const std::string text = ErrorsText(r.body);
    const std::string lower = ToLower(text);
    if (r.status == 401) return Status::Unauthenticated("Autotask refused the API user's secret: " + text);
    if (r.status == 403 || lower.find("permission") != std::string::npos) {
        return Status::PermissionDenied("Autotask: the API user lacks a permission: " + text);
    }
    if (lower.find("integrationcode") != std::string::npos || lower.find("user name") != std::string::npos ||
        lower.find("zone information") != std::string::npos) {
        return Status::Unauthenticated("Autotask refused the credentials: " + text);
    }
    if (lower.find("query") != std::string::npos || lower.find("filter") != std::string::npos) {
        return Status::InvalidArgument("Autotask refused the query: " + text);
    }
    if (r.status >= 500) return Status::Unavailable("Autotask answered HTTP " + std::to_string(r.status) + ": " + text);
    return Status::Internal("Autotask answered HTTP " + std::to_string(r.status) + ": " + text);
}

void WriteCondition(json::Writer& w, std::string_view op, std::string_view field) {
    w.Key("op");
    w.String(op);
    w.Key("field");
    w.String(field);
    w.Key("value");
}

class AutotaskConnector final : public internal::ConnectorBase {
public:
    AutotaskConnector(AutotaskConfig config, ConnectorEnv env)
        : ConnectorBase(
              env,
              net::StaticHeaders(
                  {{"ApiIntegrationCode", config.integration_code},
                   {"UserName", config.username},
                   {"Secret", config.secret},
                   {"Content-Type", "application/json"}}
              ),
              [](const net::HttpResponse& r) { return IsConfigurationError(ErrorsText(r.body)); }
          ),
          config_(std::move(config)),
          zone_url_(config_.zone_url) {}

    std::string_view kind() const override { return "autotask"; }

    bool Supports(EntityKind kind) const override {
        return SpecOf(kind).has_value() || kind == EntityKind::kCompanyType || kind == EntityKind::kConfigurationType;
    }

    // Companies and configuration items carry their type as a picklist id.
    std::optional<EntityKind> TypeNamesFrom(EntityKind kind) const override {
        if (kind == EntityKind::kCompany) return EntityKind::kCompanyType;
        if (kind == EntityKind::kConfiguration) return EntityKind::kConfigurationType;
        return std::nullopt;
    }

    bool SupportsIncremental(EntityKind kind) const override {
        auto spec = SpecOf(kind);
        return spec && !spec->since_field.empty();
    }

    Status TestCredentials() override {
        return WithZone([&]() -> Status {
            net::HttpRequest req;
            req.url = zone_url_ + "V1.0/ThresholdInformation";
            auto resp = transport().Send(req);
            if (!resp.ok()) return resp.status();
            last_status_ = resp->status;
            if (resp->status != 200) return MapError(*resp);
            return Status::Ok();
        });
    }

    Status Fetch(EntityKind kind, const FetchOptions& options, const BatchFn& on_batch) override {
        bool delivered = false;
        BatchFn counting = [&](std::span<const ExternalRecord> batch) {
            delivered = true;
            return on_batch(batch);
        };
        return WithZone(
            [&]() -> Status {
                if (kind == EntityKind::kConfigurationType || kind == EntityKind::kCompanyType) {
                    return FetchPicklist(kind, counting);
                }
                if (!Supports(kind)) {
                    return Status::InvalidArgument("Autotask has no " + std::string(EntityKindName(kind)) + " list");
                }
                return FetchEntity(kind, options, counting);
            },
            &delivered
        );
    }

private:
    Status Discover() {
        net::HttpRequest req;
        req.url = net::AppendQuery(config_.zone_lookup_url, "user", config_.username);
        auto resp = transport().SendUnauthenticated(req);
        if (!resp.ok()) return resp.status();
        if (resp->status != 200) {
            const std::string text = ErrorsText(resp->body);
            if (resp->status == 500 && ToLower(text).find("zone") != std::string::npos) {
                return Status::Unauthenticated("Autotask does not know the API user name: " + text);
            }
            return MapError(*resp);
        }
        auto doc = json::Parse(resp->body);
        const json::Value* url = doc.ok() && doc->is_object() ? doc->Find("url") : nullptr;
        if (url == nullptr || !url->is_string() || url->as_string().empty()) {
            return Status::Internal("Autotask zone information has no url");
        }
        zone_url_ = url->as_string();
        if (zone_url_.back() != '/') zone_url_.push_back('/');
        return Status::Ok();
    }

    // Runs `fn` with a known zone. After a 401 the zone is discovered again: if it moved,
    // `fn` runs once more, unless records were already delivered (then the listing is
    // incomplete: kUnavailable, and the next fetch starts in the new zone). An unchanged
    // zone leaves the 401: the secret was refused.
    Status WithZone(const std::function<Status()>& fn, const bool* delivered = nullptr) {
        if (zone_url_.empty()) MORTAR_RETURN_IF_ERROR(Discover());
        Status s = fn();
        if (s.code() != Code::kUnauthenticated || last_status_ != 401) return s;
        const std::string before = zone_url_;
        if (!Discover().ok() || zone_url_ == before) return s;
        if (delivered != nullptr && *delivered) {
            return Status::Unavailable("Autotask moved the tenant to another zone during the listing; retry");
        }
        return fn();
    }

    Status FetchEntity(EntityKind kind, const FetchOptions& options, const BatchFn& on_batch) {
        const EntitySpec spec = *SpecOf(kind);
        json::Writer w;
        w.BeginObject();
        w.Key("filter");
        w.BeginArray();
        w.BeginObject();
        w.Key("op");
        w.String("and");
        w.Key("items");
        w.BeginArray();
        w.BeginObject();
        WriteCondition(w, "gte", "id");
        w.Int(0);
        w.EndObject();
        if (!options.include_inactive) {
            w.BeginObject();
            WriteCondition(w, "eq", "isActive");
            if (spec.active_is_int) {
                w.Int(1);
            } else {
                w.Bool(true);
            }
            w.EndObject();
        }
        if (options.since_ms && !spec.since_field.empty()) {
            w.BeginObject();
            WriteCondition(w, "gt", spec.since_field);
            w.String(FormatTimestamp(*options.since_ms));
            w.EndObject();
        }
        const std::string_view type_field = kind == EntityKind::kCompany         ? "companyType"
                                            : kind == EntityKind::kConfiguration ? "configurationItemType"
                                                                                 : "";
        if (!options.type_ids.empty() && !type_field.empty()) {
            w.BeginObject();
            WriteCondition(w, "in", type_field);
            w.BeginArray();
            for (const auto& id : options.type_ids) {
                auto n = ParseInt64(id);
                if (!n) return Status::InvalidArgument("Autotask type ids are integers: " + id);
                w.Int(*n);
            }
            w.EndArray();
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
        w.EndArray();
        const int64_t page_size = options.page_size > 0 ? std::min(options.page_size, kMaxRecords) : kMaxRecords;
        w.Key("MaxRecords");
        w.Int(page_size);
        w.EndObject();

        net::HttpRequest first;
        first.method = "POST";
        first.url = zone_url_ + "V1.0/" + std::string(spec.path) + "/query";
        first.body = w.Take();
        auto pager = net::NextUrlPager(first);
        std::unordered_set<std::string> seen;
        std::vector<ExternalRecord> page;
        net::PageCallbacks cb;
        cb.check = [this](const net::HttpResponse& r) {
            last_status_ = r.status;
            return MapError(r);
        };
        cb.parse = [&](net::HttpResponse& r, net::PageResult& result) -> Status {
            page.clear();
            std::optional<std::string> next;
            MORTAR_RETURN_IF_ERROR(internal::ParseAutotaskPage(parser_, r.body, kind, page, next));
            result.records = static_cast<int64_t>(page.size());
            result.next_url = std::move(next);
            if (options.since_ms && spec.since_field.empty()) {
                std::erase_if(page, [&](const ExternalRecord& rec) { return rec.updated_at_ms <= *options.since_ms; });
            }
            return Deliver(page, seen, on_batch);
        };
        last_status_ = 0;
        return net::Paginate(transport(), *pager, cb);
    }

    // Company types and configuration item types are picklists in entity metadata.
    Status FetchPicklist(EntityKind kind, const BatchFn& on_batch) {
        net::HttpRequest req;
        const bool types = kind == EntityKind::kConfigurationType;
        req.url = zone_url_ + "V1.0/" + (types ? "ConfigurationItems" : "Companies") + "/entityInformation/fields";
        auto resp = transport().Send(req);
        if (!resp.ok()) return resp.status();
        if (resp->status != 200) {
            last_status_ = resp->status;
            return MapError(*resp);
        }
        std::vector<ExternalRecord> page;
        MORTAR_RETURN_IF_ERROR(internal::ParseAutotaskPicklist(
            parser_, resp->body, types ? "configurationItemType" : "companyType", kind, page
        ));
        std::unordered_set<std::string> seen;
        return Deliver(page, seen, on_batch);
    }

    const AutotaskConfig config_;
    std::string zone_url_;
    int last_status_ = 0;
};

}  // namespace

std::unique_ptr<Connector> NewAutotaskConnector(AutotaskConfig config, ConnectorEnv env) {
    return std::make_unique<AutotaskConnector>(std::move(config), env);
}

}  // namespace mortar::connectors
