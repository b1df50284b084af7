// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/service.hpp"
#include "db/database.hpp"
#include "http/router.hpp"

// Search by name across documented records (SPEC DOC-8). The resource engine keeps one
// entry per searchable record (its title and organization) and the title's words; a
// query matches records having, for every query word, a word starting with it. The
// same tables and SQL serve SQLite and PostgreSQL. Secrets are never indexed: only a
// resource's declared title attribute is.
namespace mortar::api {

// The words of a title: lower-cased ASCII letters and digits and any non-ASCII
// characters, split at everything else. At most 32 words of at most 64 bytes.
std::vector<std::string> SearchWords(std::string_view text);

// Adds or replaces the record's entry and words, inside the writing transaction.
Status IndexRecord(
    db::Tx& tx,
    int64_t account_id,
    std::string_view resource_type,
    int64_t resource_id,
    std::optional<int64_t> organization_id,
    std::string_view title,
    std::string_view now
);
// Removes the record's entry; it is not an error if there was none.
Status UnindexRecord(db::Tx& tx, int64_t account_id, std::string_view resource_type, int64_t resource_id);

// GET /api/search_results?q=<words>[&filter[resource_type]=organizations,contacts]
// [&filter[organization_id]=42]: matches ordered by title, paginated like any list;
// type "search-results" with resource-type, resource-id, title, organization-id,
// organization-name and updated-at. A missing or empty q is 400.
void RegisterSearch(Service& service, http::Router& router);

}  // namespace mortar::api
