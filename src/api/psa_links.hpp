// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/resource.hpp"
#include "core/status.hpp"
#include "db/database.hpp"

// What the resource engine needs to know about records synced from a PSA (SPEC SYNC-4,
// SYNC-5, API.md section 4). The sync engine (src/sync) writes the links in
// `sync_links`; a record's `local_type` there is its API path ("organizations").
namespace mortar::api {

// IT Glue's psa_integration_type of an integration kind: "manage" for ConnectWise Manage,
// "autotask", "halopsa" (a Mortar extra); and back (nullopt for a type Mortar never
// syncs, such as "tigerpaw").
std::string_view PsaIntegrationType(std::string_view integration_kind);
std::optional<std::string_view> IntegrationKindOfPsaType(std::string_view psa_type);
// "Autotask", "ConnectWise Manage", "HaloPSA".
std::string_view PsaDisplayName(std::string_view integration_kind);

// The SQL of the `psa-integration` attribute of records of `local_type` (alias `t`): the
// PSA type of the record's link, null when it has none or the link is orphaned.
std::string PsaIntegrationSelect(std::string_view local_type);

// A record's PSA link (the oldest, when several integrations link it).
struct PsaLink {
    int64_t link_id = 0;
    std::string state;  // syncing, orphaned, disabled, error, disconnected
    std::string integration_kind;
    std::string integration_name;
};
Result<std::optional<PsaLink>> FindPsaLink(db::Tx& tx, int64_t account_id, std::string_view local_type, int64_t id);

// An attribute the PSA owns, with the column it is written to.
struct PsaOwnedField {
    std::string attribute;  // snake_case: "name"
    std::string column;     // "name", "is_primary"
};

// A before_write hook: on update of a record whose link is syncing, changing any of the
// `owned` fields is 422 naming the PSA, with the attribute's pointer (a body that echoes
// the current value back, as itglue-py's save() does, is fine).
std::function<Status(db::Tx&, WriteContext&)> RefusePsaOwnedChanges(
    std::string table, std::string local_type, std::vector<PsaOwnedField> owned
);

// A before_delete hook: a syncing record cannot be deleted (422: disable sync or
// disconnect first); deleting any other linked record removes its links, except a
// disabled link, which stays so sync keeps leaving that PSA record alone.
// `children` are the (local_type, table) pairs of records belonging to it
// (organizations: their locations, contacts and configurations), which the store
// deletes with it and which are checked and unlinked the same way.
std::function<Status(db::Tx&, int64_t account_id, int64_t id)> RefuseSyncedDelete(
    std::string local_type, std::vector<std::pair<std::string, std::string>> children = {}
);

// Chains two hooks of the same shape: `first` runs, then `second` when it succeeded.
template <class Fn>
Fn ChainHooks(Fn first, Fn second) {
    if (!first) return second;
    if (!second) return first;
    return [first = std::move(first), second = std::move(second)](auto&... args) -> Status {
        MORTAR_RETURN_IF_ERROR(first(args...));
        return second(args...);
    };
}

}  // namespace mortar::api
