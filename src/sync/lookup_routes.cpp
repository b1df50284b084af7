// SPDX-License-Identifier: AGPL-3.0-or-later
// The PSA's lookup lists for an integration's setup (sync/connect.hpp).
#include <algorithm>
#include <vector>

#include "api/access.hpp"
#include "api/service.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "http/router.hpp"
#include "jsonapi/document.hpp"
#include "jsonapi/query.hpp"
#include "sync/connect.hpp"

namespace mortar::sync {
namespace {

using connectors::EntityKind;

constexpr EntityKind kLookupKinds[] = {
    EntityKind::kCompanyType, EntityKind::kConfigurationType, EntityKind::kConfigurationStatus};

struct Entry {
    std::string kind, id, name;
    bool active = true;
};

}  // namespace

void RegisterLookupRoutes(
    api::Service& svc, http::Router& router, const vault::Vault* vault, ConnectorFactory factory
) {
    svc.Add(
        router,
        http::Method::kGet,
        "/api/integrations/{id}/psa_lookups",
        [&svc, vault, factory](http::Request& req, api::Context& ctx) {
            if (Status s =
                    api::CheckRole(ctx.principal, api::AccessClass::kAdministration, api::Op::kRead, "integrations");
                !s.ok())
                return jsonapi::ErrorResponse(s);
            auto id = ParseInt64(req.Param("id"));
            if (!id || *id <= 0) {
                return jsonapi::ErrorResponse(
                    Status::NotFound("integration " + std::string(req.Param("id")) + " not found")
                );
            }
            auto lq = jsonapi::ParseListQuery(ctx.query);
            if (!lq) return jsonapi::ErrorResponse(lq.status());
            std::vector<EntityKind> asked;
            for (const jsonapi::Filter& f : lq->filters) {
                if (f.field != "kind" || f.op != jsonapi::FilterOp::kEq) continue;
                for (const std::string& piece : jsonapi::SplitFilterValue(f.value)) {
                    auto kind = connectors::EntityKindFromName(piece);
                    if (!kind ||
                        std::find(std::begin(kLookupKinds), std::end(kLookupKinds), *kind) == std::end(kLookupKinds)) {
                        return jsonapi::ErrorResponse(Status::InvalidArgument(
                            "filter[kind] must be company_type, configuration_type or configuration_status"
                        ));
                    }
                    asked.push_back(*kind);
                }
            }
            if (asked.empty()) asked.assign(std::begin(kLookupKinds), std::end(kLookupKinds));

            IntegrationConnection how;
            {
                auto tx = svc.db().Begin(db::TxMode::kRead);
                if (!tx) return jsonapi::ErrorResponse(tx.status());
                auto loaded = LoadIntegrationConnection(*tx, ctx.principal.account_id, *id);
                if (!loaded) return jsonapi::ErrorResponse(loaded.status());
                how = std::move(*loaded);
            }
            const std::string_view vendor = VendorDisplayName(how.kind);
            if (how.kind == "uniview") {
                return jsonapi::ErrorResponse(422, "UniView is a backup portal: it has no PSA types or statuses");
            }
            // The vendor is asked after the read transaction ends: no store connection is
            // held while waiting on the network.
            auto connector = OpenConnector(vault, factory, ctx.principal.account_id, *id, how);
            if (!connector) return VendorErrorResponse(vendor, connector.status());
            std::vector<Entry> entries;
            std::vector<std::string_view> supported;
            for (EntityKind kind : asked) {
                if (!(*connector)->Supports(kind)) continue;
                supported.push_back(connectors::EntityKindName(kind));
                connectors::FetchOptions fetch;
                fetch.include_inactive = true;
                Status s = (*connector)->Fetch(kind, fetch, [&](std::span<const connectors::ExternalRecord> batch) {
                    for (const auto& r : batch) {
                        entries.push_back(
                            {std::string(connectors::EntityKindName(kind)), r.external_id, r.name, r.active}
                        );
                    }
                    return Status::Ok();
                });
                if (!s.ok()) return VendorErrorResponse(vendor, s);
            }
            json::Writer w;
            w.BeginObject();
            w.Key("data");
            w.BeginArray();
            for (const Entry& e : entries) {
                w.BeginObject();
                w.Key("id");
                w.String(e.kind + ":" + e.id);
                w.Key("type");
                w.String("psa-lookups");
                w.Key("attributes");
                w.BeginObject();
                w.Key("kind");
                w.String(e.kind);
                w.Key("psa-id");
                w.String(e.id);
                w.Key("name");
                w.String(e.name);
                w.Key("active");
                w.Bool(e.active);
                w.EndObject();
                w.EndObject();
            }
            w.EndArray();
            w.Key("meta");
            w.BeginObject();
            w.Key("psa");
            w.String(vendor);
            // The kinds this PSA has lists of; the others are entered as ids.
            w.Key("supported-kinds");
            w.BeginArray();
            for (std::string_view k : supported) w.String(k);
            w.EndArray();
            w.Key("total-count");
            w.Int(static_cast<int64_t>(entries.size()));
            w.EndObject();
            w.EndObject();
            return http::Response::JsonApi(200, w.Take());
        }
    );
}

}  // namespace mortar::sync
