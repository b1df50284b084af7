// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "connectors/connector.hpp"
#include "core/clock.hpp"
#include "core/status.hpp"
#include "db/database.hpp"
#include "match/name_index.hpp"
#include "sync/plan.hpp"
#include "sync/settings.hpp"

// The apply step of a sync run: writes what the plan decided into Mortar's own tables
// with SQL (companies -> organizations, sites -> locations, contacts -> contacts,
// configuration items -> configurations) together with their links, in transactions of
// at most a few thousand records. Every transaction bumps the account's data version,
// records activity events and keeps the search index, as an API write would. Re-running
// after a crash converges: a record and its link are written in one transaction and the
// links' unique keys make a second link impossible.
namespace mortar::sync {

using connectors::EntityKind;
using connectors::ExternalRecord;

// The Mortar data type a PSA kind feeds: "organizations", "locations", "contacts",
// "configurations"; empty for lookups.
std::string_view LocalTypeOf(EntityKind kind);
std::optional<EntityKind> KindOfLocalType(std::string_view local_type);

struct Counts {
    int64_t created = 0;
    int64_t updated = 0;
    int64_t unchanged = 0;
    int64_t orphaned = 0;
    int64_t returned = 0;
    int64_t errors = 0;
    Counts& operator+=(const Counts& o);
};

// A link as the apply step keeps it.
struct LinkRow : LinkView {
    std::string psa_type_id;
    std::string psa_status_id;
};

// The run a batch belongs to.
struct ApplyScope {
    int64_t account_id = 0;
    int64_t integration_id = 0;
    int64_t run_id = 0;
    const Clock* clock = nullptr;
};

// The PSA type and status of a record, as the settings and disconnect rules see them.
std::string PsaTypeId(const ExternalRecord& r);
std::string PsaStatusId(const ExternalRecord& r);

// Finds the Mortar organization a PSA company should link to on the first sync instead
// of creating a duplicate (SPEC SYNC-2): today equality of normalised names, unique and
// not yet linked by this integration. The one place a matching engine plugs in.
class OrganizationMatcher {
public:
    Status Load(db::Tx& tx, int64_t account_id, int64_t integration_id);
    // The organization the matching engine auto-matches the PSA company to (the same
    // name once legal forms, case, accents and punctuation are set aside, and no other
    // organization as good), unless another company of this run took it already.
    std::optional<int64_t> Find(std::string_view psa_name) const;
    void Claim(int64_t organization_id) { claimed_.insert(organization_id); }

private:
    std::unique_ptr<match::NameIndex> index_;
    std::unordered_set<int64_t> claimed_;
};

// Applies the records of one kind for one run.
// Thread safety: confined to one thread.
class KindApplier {
public:
    KindApplier(db::Database& db, ApplyScope scope, EntityKind kind, const Settings& settings);

    // Loads the links of the kind and the maps to the parents' Mortar records.
    Status Load();
    // Plans and applies one batch. Returns a non-OK Status only for store failures that
    // stop the run; a record that cannot be applied is an item error (counted, recorded
    // in sync_run_errors, its link marked error) and the batch goes on.
    Status ApplyBatch(std::span<const ExternalRecord> records);
    // After the listing: orphans what a complete, full listing no longer has, unless the
    // safety valve blocks it. The plan returned carries the numbers, not the links.
    Result<OrphanPlan> FinishOrphans(bool listing_complete, bool full, int64_t confirmed);

    const Counts& counts() const { return counts_; }
    // The largest vendor stamp applied, and the smallest of a record that failed (0: none).
    int64_t max_updated_ms() const { return max_updated_ms_; }
    int64_t min_failed_updated_ms() const { return min_failed_updated_ms_; }

private:
    struct Pending;
    Status ApplyInTx(
        db::Tx& tx, std::span<const ExternalRecord* const> records, std::vector<Pending>& pending, Counts& c
    );
    Status ApplyOne(
        db::Tx& tx,
        const ExternalRecord& r,
        Action action,
        const LinkRow* link,
        std::vector<Pending>& pending,
        Counts& c
    );
    Status RecordItemError(const ExternalRecord& r, const LinkRow* link, const Status& error);
    Result<std::optional<int64_t>> Lookup(db::Tx& tx, std::string_view table, std::string_view name);
    std::string Now() const;

    db::Database& db_;
    ApplyScope scope_;
    EntityKind kind_;
    const Settings& settings_;
    std::string local_type_;
    std::string external_type_;
    std::vector<LinkRow> links_;
    std::unordered_map<std::string, std::size_t> link_index_;  // external id -> links_
    // Parents' Mortar ids by external id: companies, sites, contacts.
    std::unordered_map<std::string, int64_t> organizations_, locations_, contacts_;
    OrganizationMatcher matcher_;
    // Lookup ids by table and case-folded name, confirmed committed.
    std::map<std::string, std::unordered_map<std::string, int64_t>> lookups_;
    std::vector<std::pair<std::string, std::string>> lookups_in_tx_;
    std::unordered_set<std::string> listed_;
    Counts counts_;
    int64_t max_updated_ms_ = 0;
    int64_t min_failed_updated_ms_ = 0;
};

}  // namespace mortar::sync
