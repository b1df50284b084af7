// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "net/http_client.hpp"
#include "net/transport.hpp"

namespace mortar::connectors {

// What a PSA holds that Mortar syncs: records, then lookups (for type and status mapping
// in the integration's settings), then what a backup portal adds.
enum class EntityKind {
    kCompany,
    kSite,
    kContact,
    kConfiguration,
    kCompanyType,
    kConfigurationType,
    kConfigurationStatus,
    kAppliance,  // a backup appliance (UniView)
    kBackup,     // one backup job (UniView)
};

// "company", "site", "contact", "configuration", "company_type", "configuration_type",
// "configuration_status"; and back.
std::string_view EntityKindName(EntityKind kind);
std::optional<EntityKind> EntityKindFromName(std::string_view name);

// One PSA record, normalised to Mortar's vocabulary.
//
// Field names (present when the vendor has the value; all values are text):
//   company:       number, type_id, type_name, status_name, phone, address1, address2, city, state,
//                  postal_code, country, website, parent_id
//   site:          primary ("true"/"false"), address1, address2, city, state, postal_code, country, phone
//   contact:       first_name, last_name, title, email, email2, email3, phone, mobile, site_id
//   configuration: hostname, serial_number, mac_address (the first), mac_addresses (all, ", "),
//                  ip_address, type_id, type_name, status_id, status_name, manufacturer_id,
//                  manufacturer_name, model, os, asset_tag, site_id, contact_id, install_date,
//                  warranty_expires_at
//   lookups:       (none; name and active carry them)
// UniView (a backup portal, not a PSA): companies are its customers (uuid ids);
//   configuration: the protected asset: mac_address, mac_addresses, ip_address, type_name,
//                  appliance (the protecting appliance's asset tag), last_backup_at,
//                  last_backup_started_at, last_backup_status, last_replication_status,
//                  last_backup_type, last_backup_size_mb
//   appliance:     (external id = asset tag) version, total_mb, free_mb, used_mb, helix_status;
//                  active = online
//   backup:        (external id = asset key + "@" + start time) asset_key, appliance, started_at,
//                  completed_at, size_mb, type, status, replication_status
// Status strings are the vendor's, exactly (Successful, Warning, Failed, InProgress, Unknown).
// Ids in fields are the vendor's ids of the related records (external ids).
struct ExternalRecord {
    EntityKind kind = EntityKind::kCompany;
    std::string external_id;
    // The company of a site, contact or configuration; empty for companies and lookups.
    std::string parent_external_id;
    std::string name;
    bool active = true;
    std::vector<std::pair<std::string, std::string>> fields;  // sorted by name, no duplicates
    int64_t updated_at_ms = 0;                                // the vendor's last-change stamp; 0 when it has none
    // 16 hex digits over kind, ids, name, active and fields (not updated_at): equal hashes
    // mean nothing Mortar applies has changed.
    std::string payload_hash;

    // The value of a field, "" when absent.
    std::string_view Field(std::string_view name) const;
};

// Sorts the fields, drops empty values and computes payload_hash. Connectors call it
// on every record before handing it on.
void FinishRecord(ExternalRecord& record);

// What to fetch. Filters come from the integration's sync settings.
struct FetchOptions {
    // Only records changed after this instant (the watermark). Honoured where
    // Connector::SupportsIncremental says so; otherwise the listing is complete and
    // filtered on the client side by the vendor's stamp.
    std::optional<int64_t> since_ms;
    bool include_inactive = false;
    // Companies: company type ids. Configurations: configuration type ids. Empty: all.
    std::vector<std::string> type_ids;
    // Configurations: status ids. Empty: all.
    std::vector<std::string> status_ids;
    int64_t page_size = 0;  // 0: the vendor's maximum
    // UniView: only the asset with this key (configurations) or its jobs (backups).
    std::string asset_key;
};

using BatchFn = std::function<Status(std::span<const ExternalRecord> batch)>;

// A PSA connector. The contract the sync engine relies on:
//  - Fetch streams the records of one kind as batches (about one per vendor page), in
//    the vendor's order. A record is delivered at most once per Fetch.
//  - Fetch returns Ok only when the listing is complete: every record that matched at
//    the end of the listing was delivered. Any failure part-way returns an error after
//    some batches may already have been delivered: the engine may apply those records
//    but must never infer deletions (orphans) from an incomplete listing.
//  - Error codes: kUnauthenticated = the credentials (or the account identifiers that
//    go with them) are refused: "Credentials invalid", retrying will not help;
//    kPermissionDenied = valid credentials lacking a permission or scope;
//    kResourceExhausted = still throttled after the retry budget; kUnavailable /
//    kDeadlineExceeded = transient (5xx, connection failures, timeouts, data moving
//    under a page-number listing), retry on the next run; kInvalidArgument = the
//    settings are wrong (a filter the vendor refuses, an unsupported kind);
//    kInternal = the vendor answered something that cannot be parsed.
//  - An error returned by `on_batch` stops the fetch and is returned unchanged.
//  - Secrets never appear in any message.
// Thread safety: one Fetch at a time per connector.
class Connector {
public:
    virtual ~Connector() = default;
    // "autotask", "connectwise", "halopsa", "uniview".
    virtual std::string_view kind() const = 0;
    // One cheap authenticated call (plus discovery and token calls as needed).
    virtual Status TestCredentials() = 0;
    // Whether Fetch of this kind exists for this vendor.
    virtual bool Supports(EntityKind kind) const = 0;
    // Whether the vendor filters by `since_ms` itself (SYNC-10). Deletions are never
    // visible in incremental listings: only a full fetch can orphan.
    virtual bool SupportsIncremental(EntityKind kind) const = 0;
    // The lookup kind that names the `type_id` of records of `kind` when the records carry
    // the id only (Autotask's picklists); nullopt when they carry `type_name` themselves.
    virtual std::optional<EntityKind> TypeNamesFrom(EntityKind) const { return std::nullopt; }
    virtual Status Fetch(EntityKind kind, const FetchOptions& options, const BatchFn& on_batch) = 0;
    // API calls made so far (discovery, tokens and retries included).
    virtual net::TransportStats stats() const = 0;
};

// How a connector reaches the network; defaults are the real ones.
struct ConnectorEnv {
    net::HttpClient* client = nullptr;  // null: the connector owns a libcurl client
    net::ClientOptions client_options;
    net::RetryPolicy retry;
    const Clock* clock = nullptr;
    net::Sleeper* sleeper = nullptr;
    uint64_t seed = 0;
};

struct AutotaskConfig {
    std::string zone_lookup_url = "https://webservices.autotask.net/ATServicesRest/V1.0/zoneInformation";
    std::string username;
    std::string secret;
    std::string integration_code;
    std::string zone_url;  // a cached zone ("https://webservices2.autotask.net/ATServicesRest/"); empty: discover
};

struct ConnectWiseConfig {
    std::string site_url;  // "https://api-na.myconnectwise.net": companyinfo lives here
    std::string api_url;   // ".../v4_6_release/apis/3.0"; empty: from the codebase lookup
    std::string company_id;
    std::string public_key;
    std::string private_key;
    std::string client_id;
};

struct HaloPsaConfig {
    std::string auth_url;      // "https://tenant.halopsa.com/auth"
    std::string resource_url;  // "https://tenant.halopsa.com/api"
    std::string client_id;
    std::string client_secret;
    std::string scope = "all";
    std::string tenant;  // hosted tenants; empty: not sent
};

struct UniViewConfig {
    std::string token_url = "https://login.backup.net/connect/token";
    std::string api_url = "https://public-api.backup.net";
    std::string client_id;
    std::string client_secret;
};

std::unique_ptr<Connector> NewAutotaskConnector(AutotaskConfig config, ConnectorEnv env = {});
std::unique_ptr<Connector> NewConnectWiseConnector(ConnectWiseConfig config, ConnectorEnv env = {});
std::unique_ptr<Connector> NewHaloPsaConnector(HaloPsaConfig config, ConnectorEnv env = {});
std::unique_ptr<Connector> NewUniViewConnector(UniViewConfig config, ConnectorEnv env = {});

// A connector from an integration's kind and settings, with the keys `mortar sim`
// prints: autotask {zone_lookup_url, username, secret, integration_code[, zone_url]};
// connectwise {site_url, company_id, public_key, private_key, client_id[, api_url]};
// halopsa {auth_url, resource_url, client_id, client_secret[, scope, tenant]};
// uniview {client_id, client_secret[, token_url, api_url]}.
// kInvalidArgument names an unknown kind or a missing setting.
Result<std::unique_ptr<Connector>> MakeConnector(
    std::string_view kind, const std::map<std::string, std::string>& settings, ConnectorEnv env = {}
);

}  // namespace mortar::connectors
