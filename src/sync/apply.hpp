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
    void Unclaim(int64_t organization_id) { claimed_.erase(organization_id); }

private:
    std::unique_ptr<match::NameIndex> index_;
    std::unordered_set<int64_t> claimed_;
};

// Applies the records of one kind for one run, a batch at a time: each transaction
// writes its records, links, activity events and search entries with a few multi-row
// statements (db/batch.hpp) rather than several statements per record.
// Thread safety: confined to one thread.
class KindApplier {
public:
    KindApplier(db::Database& db, ApplyScope scope, EntityKind kind, const Settings& settings);

    // Loads what the run needs up front. With `all_links` (a complete listing: full runs
    // and first runs) every link of the kind and the maps to the parents' Mortar records,
    // which orphan detection needs; without (an incremental listing) nothing, and each
    // batch reads only the links and parents of its own records.
    Status Load(bool all_links = true);
    // Plans and applies one batch. Returns a non-OK Status only for store failures that
    // stop the run; a record that cannot be applied is an item error (counted, recorded
    // in sync_run_errors, its link marked error) and the batch goes on. A record listed
    // twice in one batch is applied once, as last listed.
    Status ApplyBatch(std::span<const ExternalRecord> records);
    // After the listing: orphans what a complete, full listing no longer has, unless the
    // safety valve blocks it. The plan returned carries the numbers, not the links.
    Result<OrphanPlan> FinishOrphans(bool listing_complete, bool full, int64_t confirmed);

    const Counts& counts() const { return counts_; }
    // The largest vendor stamp applied, and the smallest of a record that failed (0: none).
    int64_t max_updated_ms() const { return max_updated_ms_; }
    int64_t min_failed_updated_ms() const { return min_failed_updated_ms_; }
    // Records written per transaction (tests make it small; default 2,000).
    void set_batch_records(std::size_t n) { batch_records_ = n > 0 ? n : 1; }

private:
    struct Pending;
    struct Prepared;
    struct Work {
        const ExternalRecord* record;
        Action action;
        const LinkRow* link;
        std::string type_id, status_id;
    };
    Status LoadLinks(db::Tx& tx, std::span<const std::string> external_ids);
    Status LoadParents(
        db::Tx& tx,
        std::string_view external_type,
        std::unordered_map<std::string, int64_t>& out,
        std::span<const std::string> external_ids
    );
    Status FetchForBatch(std::span<const ExternalRecord> records);
    Status ApplyChunk(
        db::Tx& tx,
        std::span<const Work> work,
        std::vector<Pending>& pending,
        Counts& c,
        std::vector<std::pair<std::size_t, Status>>& item_errors
    );
    Status PrepareValues(db::Tx& tx, const ExternalRecord& r, Prepared& p);
    Status RecordItemError(const ExternalRecord& r, const LinkRow* link, const Status& error);
    void Merge(std::vector<Pending>& pending);
    void ForgetTx();
    Result<std::optional<int64_t>> Lookup(db::Tx& tx, std::string_view table, std::string_view name);
    std::string Now() const;

    db::Database& db_;
    ApplyScope scope_;
    EntityKind kind_;
    const Settings& settings_;
    std::string local_type_;
    std::string external_type_;
    std::size_t batch_records_ = 2000;
    bool all_links_ = false;  // links_ and the parent maps hold everything (Load(true))
    // Links by external id: every link of the kind, or (incremental) those read so far.
    // Node-based, so the Work of a batch may point into it while other links are added.
    std::unordered_map<std::string, LinkRow> links_;
    // Parents' Mortar ids by external id: companies, sites, contacts; 0: not linked.
    std::unordered_map<std::string, int64_t> organizations_, locations_, contacts_;
    OrganizationMatcher matcher_;
    // Lookup ids by table and case-folded name, confirmed committed.
    std::map<std::string, std::unordered_map<std::string, int64_t>> lookups_;
    std::vector<std::pair<std::string, std::string>> lookups_in_tx_;
    std::vector<int64_t> claims_in_tx_;  // organizations matched by the open transaction
    std::unordered_set<std::string> listed_;
    Counts counts_;
    int64_t max_updated_ms_ = 0;
    int64_t min_failed_updated_ms_ = 0;
};

}  // namespace mortar::sync
