// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/json_writer.hpp"
#include "core/status.hpp"
#include "http/response.hpp"
#include "jsonapi/query.hpp"

namespace mortar::jsonapi {

// Maps a Code to its HTTP status (see core/status.hpp) and title ("Unprocessable Entity").
int HttpStatusOf(Code code);
std::string_view TitleOf(int http_status);

// The one error body shape of API.md 2.9:
// {"errors":[{"status":422,"title":"Unprocessable Entity","detail":"...","source":{"pointer":"..."}}]}
// `source` only when a pointer is given.
std::string ErrorBody(int http_status, std::string_view detail, std::string_view pointer = {});
http::Response ErrorResponse(int http_status, std::string_view detail, std::string_view pointer = {});
http::Response ErrorResponse(const Status& status);

// Pagination figures for a collection.
struct Page {
    int64_t number = 1;
    int64_t size = 50;
    int64_t total_count = 0;
    int64_t total_pages() const { return total_count == 0 ? 0 : (total_count + size - 1) / size; }
};

// Writes the "meta" and "links" members of a collection document (the writer must
// be inside the top-level object). meta: current-page, next-page, prev-page (null at
// the ends), total-pages, total-count, filters {}. links: absolute URLs built from
// `base_url` ("http://host:8080/api/organizations", already including /api and the
// path) plus the request's query pairs in their order with page[number] replaced (or
// added) and page[size] kept or added; self, first, last always; prev omitted on the
// first page, next omitted on the last.
void WritePageMetaAndLinks(json::Writer& w, const Page& page, std::string_view base_url, const QueryPairs& query);

}  // namespace mortar::jsonapi
