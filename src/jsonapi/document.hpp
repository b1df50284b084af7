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

// Maps a Code to its HTTP status (see core/status.hpp); kOk is 200.
int HttpStatusOf(Code code);
// The standard reason phrase of a status ("Unprocessable Entity"), used as an error's
// title. Unlisted statuses get "Bad Request" (4xx), "Internal Server Error" (5xx) or
// "Unknown Status".
std::string_view TitleOf(int http_status);

// The one error body shape of API.md 2.9:
// {"errors":[{"status":422,"title":"Unprocessable Entity","detail":"...","source":{"pointer":"..."}}]}
// `source` only when a pointer is given; an empty detail is replaced by the title, since
// node-it-glue shows errors[0].detail.
std::string ErrorBody(int http_status, std::string_view detail, std::string_view pointer = {});
// The same body with Content-Type application/vnd.api+json; charset=utf-8.
http::Response ErrorResponse(int http_status, std::string_view detail, std::string_view pointer = {});
// The error response of a failed Status: HttpStatusOf(code), its message as detail and
// its pointer as source. Passing an OK Status is a bug (MORTAR_CHECK).
http::Response ErrorResponse(const Status& status);
// The same with a top-level "meta" member (`meta_json`, a JSON object) beside "errors",
// for an error that carries what the client needs to decide (the similar organizations
// of a duplicate warning).
http::Response ErrorResponse(const Status& status, std::string_view meta_json);

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
// first page, next omitted on the last. Keys and values are re-encoded with
// EncodeQueryComponent (page%5Bnumber%5D=2), and page[size] carries page.size (the
// capped value). When page[number] was not sent it goes just before page[size], or at
// the end: "?filter%5Bx%5D=1&page%5Bnumber%5D=2&page%5Bsize%5D=2&sort=-name".
// Beyond the last page, prev (link and prev-page) is the last page that has data, and
// for an empty collection last is page 1 while total-pages is 0. `base_url` must not
// carry a query. MORTAR_CHECKs that page.number and page.size are positive.
void WritePageMetaAndLinks(json::Writer& w, const Page& page, std::string_view base_url, const QueryPairs& query);

}  // namespace mortar::jsonapi
