// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"

namespace mortar::sim {

enum class Kind { kCompany, kSite, kContact, kConfiguration };
inline constexpr int kKinds = 4;

// "companies", "sites", "contacts", "configurations"; and back (nullopt when unknown).
std::string_view KindName(Kind kind);
std::optional<Kind> KindFromName(std::string_view name);

// One record of the simulated PSA, vendor-neutral: each simulator renders it in its
// vendor's field names and types. Unused fields stay empty for a kind.
struct Record {
    Kind kind = Kind::kCompany;
    int64_t id = 0;
    int64_t company_id = 0;  // sites, contacts, configurations
    int64_t site_id = 0;     // contacts, configurations (0: none)
    int64_t contact_id = 0;  // configurations (0: none)
    std::string name;        // company, site, configuration name; contact "first last"
    std::string first_name, last_name, title, email, phone, mobile;
    std::string number, address1, address2, city, state, postal_code, country, website;
    std::string serial, mac, mac2, ip, os, asset_tag, model;
    int type_id = 0;    // company type or configuration type
    int status_id = 0;  // configuration status
    int manufacturer_id = 0;
    bool active = true;
    bool primary = false;  // the primary site of its company
    int64_t created_ms = 0, updated_ms = 0, install_ms = 0, warranty_ms = 0;
};

struct Lookup {
    int id;
    std::string name;
    bool active;
};
const std::vector<Lookup>& CompanyTypes();
const std::vector<Lookup>& ConfigurationTypes();
const std::vector<Lookup>& ConfigurationStatuses();
const std::vector<Lookup>& Manufacturers();
// The name of a lookup id, "" when unknown.
std::string LookupName(const std::vector<Lookup>& table, int id);

struct DatasetOptions {
    int64_t companies = 20;
    int64_t sites = -1;  // -1: two per company
    int64_t contacts = 100;
    int64_t configurations = 200;
    uint64_t seed = 1;
};

// The simulated PSA's data: generated from the seed on demand (record i is a pure
// function of seed and i), with an overlay of changes (updates, deletions, additions),
// so 200,000 configuration items cost nothing until asked for. Ids are 1..count per
// kind; added records get the next ids. Every change bumps version().
// Thread safety: thread-safe.
class Dataset {
public:
    explicit Dataset(DatasetOptions options);

    const DatasetOptions& options() const { return options_; }
    int64_t version() const;

    std::optional<Record> Get(Kind kind, int64_t id) const;

    // The ids of records of `kind` for which `match` holds, ascending. `signature` names
    // the predicate (same signature, same predicate): the list is cached per data
    // version, so paging through a filtered listing does not rescan. A null `match`
    // matches everything.
    std::shared_ptr<const std::vector<int64_t>> Matching(
        Kind kind, const std::string& signature, const std::function<bool(const Record&)>& match
    ) const;

    // Changes. `fields` names Record members as in the JSON of the control endpoint
    // ("name", "active", "type_id", "serial", "mac", "company_id", ...). Updates stamp
    // updated_ms with `now_ms`. Unknown ids are kNotFound, unknown fields kInvalidArgument.
    Status Update(Kind kind, int64_t id, const json::Value& fields, int64_t now_ms);
    Status Delete(Kind kind, int64_t id);
    Result<int64_t> Add(Kind kind, const json::Value& fields, int64_t now_ms);
    // Replaces a record as a whole (vendor write paths); stamps updated_ms.
    Status Put(Record record, int64_t now_ms);

private:
    Record Generate(Kind kind, int64_t id) const;
    int64_t BaseCount(Kind kind) const;

    DatasetOptions options_;
    mutable std::mutex mu_;
    int64_t version_ = 1;
    std::map<int64_t, Record> overrides_[kKinds];
    std::set<int64_t> deleted_[kKinds];
    int64_t next_id_[kKinds];
    struct Cached {
        int64_t version;
        std::shared_ptr<const std::vector<int64_t>> ids;
    };
    mutable std::map<std::string, Cached> cache_;
};

// Applies the members of `fields` to `r`; kInvalidArgument names an unknown member or a
// wrong type.
Status ApplyFields(Record& r, const json::Value& fields);

}  // namespace mortar::sim
