// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sync/connect.hpp"

#include <map>

#include "api/psa_links.hpp"
#include "core/json.hpp"
#include "jsonapi/document.hpp"
#include "vault/vault.hpp"

namespace mortar::sync {
namespace {

constexpr db::Query kLoadConnection{
    "integrations.load_connection",
    "SELECT kind, connection, credentials_envelope FROM integrations WHERE account_id = $1 AND id = $2"};

// Adds the string (or integer) members of a JSON object to `out`.
Status ReadStringObject(std::string_view text, std::map<std::string, std::string>& out, const char* what) {
    auto parsed = json::Parse(text);
    if (!parsed || !parsed->is_object()) return Status::Internal(std::string(what) + " is not a JSON object");
    for (const auto& [k, v] : parsed->as_object()) {
        if (v.is_string())
            out[k] = v.as_string();
        else if (v.is_int())
            out[k] = std::to_string(v.as_int());
    }
    return Status::Ok();
}

}  // namespace

Result<IntegrationConnection> LoadIntegrationConnection(db::Tx& tx, int64_t account_id, int64_t integration_id) {
    auto stmt = tx.Prepare(kLoadConnection);
    if (!stmt) return stmt.status();
    stmt->Bind(1, account_id).Bind(2, integration_id);
    auto step = stmt->Step();
    if (!step) return step.status();
    if (!*step) return Status::NotFound("integration " + std::to_string(integration_id) + " not found");
    const db::Row& row = stmt->row();
    IntegrationConnection in;
    in.kind = std::string(row.GetText(0));
    in.connection_json = std::string(row.GetText(1));
    if (!row.IsNull(2)) in.envelope = std::string(row.GetText(2));
    return in;
}

Result<std::unique_ptr<connectors::Connector>> OpenConnector(
    const vault::Vault* vault,
    const ConnectorFactory& factory,
    int64_t account_id,
    int64_t integration_id,
    const IntegrationConnection& in
) {
    std::map<std::string, std::string> settings;
    MORTAR_RETURN_IF_ERROR(ReadStringObject(in.connection_json, settings, "the connection"));
    if (in.envelope) {
        if (!vault) return Status::Unavailable("the vault is not configured");
        auto plain = vault->Open(*in.envelope, CredentialsContext(account_id, integration_id));
        if (!plain) return Status::Internal("the stored credentials cannot be opened");
        MORTAR_RETURN_IF_ERROR(ReadStringObject(*plain, settings, "the credentials"));
    }
    return factory(in.kind, settings);
}

http::Response VendorErrorResponse(std::string_view vendor_name, const Status& status) {
    switch (status.code()) {
        case Code::kUnauthenticated:
            return jsonapi::ErrorResponse(Status::Conflict("Credentials invalid: re-enter them in the integration"));
        case Code::kInvalidArgument:
        case Code::kUnprocessable:
            return jsonapi::ErrorResponse(422, std::string(vendor_name) + " refused the request: " + status.message());
        case Code::kNotFound:
            return jsonapi::ErrorResponse(status);
        default:
            return jsonapi::ErrorResponse(502, std::string(vendor_name) + " could not be reached: " + status.message());
    }
}

std::string_view VendorDisplayName(std::string_view kind) {
    if (kind == "uniview") return "UniView";
    return api::PsaDisplayName(kind);
}

}  // namespace mortar::sync
