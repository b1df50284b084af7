// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/status.hpp"
#include "net/http_client.hpp"
#include "net/transport.hpp"

namespace mortar::net {

// What a vendor's page parser learned from one page.
struct PageResult {
    int64_t records = 0;                  // records on this page
    std::optional<std::string> next_url;  // next-URL style: the body's link to the next page
    std::optional<int64_t> total;         // page-number style: the total the API reports
};

// Decides the request of each page. Vendors pick one of the three styles below and
// only map protocol and fields.
class Pager {
public:
    virtual ~Pager() = default;
    virtual HttpRequest First() = 0;
    // The request after `last` (its parsed `page`), nullopt when it was the final page,
    // or an error when the listing cannot be continued safely.
    virtual Result<std::optional<HttpRequest>> Next(const HttpResponse& last, const PageResult& page) = 0;
};

// Next-URL style (Autotask): follows PageResult::next_url, repeating the first request's
// method, headers and body; stops when there is none.
std::unique_ptr<Pager> NextUrlPager(HttpRequest first);

// Link-header style (ConnectWise): follows the Link header's rel="next"; stops when it is
// missing or a page has fewer than `page_size` records (an empty page included).
std::unique_ptr<Pager> LinkHeaderPager(HttpRequest first, int64_t page_size);

// Page-number style (HaloPSA): adds `page_param`=1, 2, … to the first request's URL;
// stops when page * page_size reaches the reported total, or at a short page. With
// `fail_on_total_change`, a total that changes between pages is an error (kUnavailable):
// records moved between pages, so the listing may have skipped or repeated some. Callers
// that verify the listing otherwise pass false.
std::unique_ptr<Pager> PageNumberPager(
    HttpRequest first, std::string page_param, int64_t page_size, bool fail_on_total_change = true
);

struct PageCallbacks {
    // Maps a response that is not 2xx to an error (the vendor's error envelope).
    std::function<Status(const HttpResponse&)> check;
    // Parses one 2xx page: hands its records on and fills `page`.
    std::function<Status(HttpResponse& response, PageResult& page)> parse;
};

// Fetches every page. The first failure (transport, vendor error, parse, callback) stops
// the listing and is returned: a listing is complete only when this returns Ok.
Status Paginate(Transport& transport, Pager& pager, const PageCallbacks& callbacks, int64_t max_pages = 10'000'000);

}  // namespace mortar::net
