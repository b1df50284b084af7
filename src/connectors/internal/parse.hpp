// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

// The vendors' page parsers (simdjson On-Demand), separate from the protocol code so
// tests can feed them the fixtures in connectors/fixtures/. Records are appended to
// `out` unfinished (FinishRecord is the caller's).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/internal/common.hpp"

namespace mortar::connectors::internal {

// Autotask {"items":[...],"pageDetails":{"nextPageUrl":...}} of Companies,
// CompanyLocations, Contacts or ConfigurationItems.
Status ParseAutotaskPage(
    od::parser& parser,
    std::string& body,
    EntityKind kind,
    std::vector<ExternalRecord>& out,
    std::optional<std::string>& next_url
);
// The picklist of `field` in an entityInformation/fields response, as lookups of `kind`.
Status ParseAutotaskPicklist(
    od::parser& parser, std::string& body, std::string_view field, EntityKind kind, std::vector<ExternalRecord>& out
);

// A ConnectWise bare array of companies, sites, contacts, configurations, company
// types, configuration types or statuses.
Status ParseConnectWiseArray(od::parser& parser, std::string& body, EntityKind kind, std::vector<ExternalRecord>& out);

// A HaloPSA list {"record_count":N,"<key>":[...]} (or a plain array, as /AssetType
// answers) of clients, sites, users, assets or asset types. `record_count` is set when
// the body has one.
Status ParseHaloList(
    od::parser& parser,
    std::string& body,
    EntityKind kind,
    std::vector<ExternalRecord>& out,
    std::optional<int64_t>& record_count
);

// A UniView bare array of customers, appliances, assets (/v1/assets, with or without
// last_backup) or backups.
Status ParseUniViewArray(od::parser& parser, std::string& body, EntityKind kind, std::vector<ExternalRecord>& out);

// "[AA:BB…, CC:DD…]" or "AA:BB…" into the MACs it holds.
std::vector<std::string> SplitMacs(std::string_view text);

}  // namespace mortar::connectors::internal
