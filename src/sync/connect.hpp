// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "connectors/connector.hpp"
#include "core/status.hpp"
#include "db/database.hpp"
#include "http/response.hpp"
#include "sync/engine.hpp"

namespace mortar::vault {
class Vault;
}

// Reaching the vendor of an integration outside a sync run (and inside one): the one
// place that merges the stored connection settings with the credentials the vault opens,
// and the one way a request that waits on a vendor answers the vendor's failure.
namespace mortar::sync {

// What an integration row holds to make its connector.
struct IntegrationConnection {
    std::string kind;
    std::string connection_json = "{}";   // integrations.connection
    std::optional<std::string> envelope;  // integrations.credentials_envelope
};

// Reads the integration's kind, connection and sealed credentials; kNotFound when the
// account has no such integration.
Result<IntegrationConnection> LoadIntegrationConnection(db::Tx& tx, int64_t account_id, int64_t integration_id);

// The connector of an integration: its non-secret connection settings merged with its
// credentials opened by the vault, made by `factory`. Errors never carry a secret.
Result<std::unique_ptr<connectors::Connector>> OpenConnector(
    const vault::Vault* vault,
    const ConnectorFactory& factory,
    int64_t account_id,
    int64_t integration_id,
    const IntegrationConnection& in
);

// The answer of a request that waited on the vendor and failed: credentials refused ->
// 409 telling the administrator to re-enter them; the vendor unreachable or failing ->
// 502 naming the vendor; wrong settings -> 422.
http::Response VendorErrorResponse(std::string_view vendor_name, const Status& status);

// "Autotask", "ConnectWise Manage", "HaloPSA", "UniView".
std::string_view VendorDisplayName(std::string_view kind);

}  // namespace mortar::sync

namespace mortar::api {
class Service;
}
namespace mortar::http {
class Router;
}

namespace mortar::sync {

// GET /api/integrations/{id}/psa_lookups[?filter[kind]=company_type|configuration_type|
// configuration_status]: the PSA's own lists of company types, configuration types and
// configuration statuses, read from the PSA now, for the type filters and the type mapping
// of the integration's setup (SPEC SYNC-1). Administrators only.
void RegisterLookupRoutes(
    api::Service& service, http::Router& router, const vault::Vault* vault, ConnectorFactory factory
);

}  // namespace mortar::sync
