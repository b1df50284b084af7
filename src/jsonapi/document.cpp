// SPDX-License-Identifier: AGPL-3.0-or-later
#include "jsonapi/document.hpp"

#include <algorithm>

namespace mortar::jsonapi {

namespace {

// Appends "key=value&" pieces of a link's query string.
void AppendPair(std::string& out, std::string_view key, std::string_view value) {
    if (!out.empty()) out.push_back('&');
    out += EncodeQueryComponent(key);
    out.push_back('=');
    out += EncodeQueryComponent(value);
}

constexpr std::string_view kPageNumberKey = "page[number]";
constexpr std::string_view kPageSizeKey = "page[size]";

}  // namespace

int HttpStatusOf(Code code) {
    switch (code) {
        case Code::kOk:
            return 200;
        case Code::kInvalidArgument:
            return 400;
        case Code::kUnauthenticated:
            return 401;
        case Code::kPermissionDenied:
            return 403;
        case Code::kNotFound:
            return 404;
        case Code::kConflict:
            return 409;
        case Code::kUnsupportedMedia:
            return 415;
        case Code::kUnprocessable:
            return 422;
        case Code::kResourceExhausted:
            return 429;
        case Code::kUnavailable:
            return 503;
        case Code::kDeadlineExceeded:
            return 504;
        case Code::kInternal:
            return 500;
    }
    return 500;
}

std::string_view TitleOf(int http_status) {
    switch (http_status) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 204:
            return "No Content";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 406:
            return "Not Acceptable";
        case 409:
            return "Conflict";
        case 413:
            return "Payload Too Large";
        case 414:
            return "URI Too Long";
        case 415:
            return "Unsupported Media Type";
        case 422:
            return "Unprocessable Entity";
        case 431:
            return "Request Header Fields Too Large";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        case 504:
            return "Gateway Timeout";
        default:
            break;
    }
    if (http_status >= 500) return "Internal Server Error";
    if (http_status >= 400) return "Bad Request";
    return "Unknown Status";
}

namespace {

std::string ErrorBodyWithMeta(
    int http_status, std::string_view detail, std::string_view pointer, std::string_view meta
) {
    const std::string_view title = TitleOf(http_status);
    json::Writer w;
    w.BeginObject();
    w.Key("errors");
    w.BeginArray();
    w.BeginObject();
    w.Key("status");
    w.Int(http_status);
    w.Key("title");
    w.String(title);
    w.Key("detail");
    // node-it-glue shows errors[0].detail; never leave it empty.
    w.String(detail.empty() ? title : detail);
    if (!pointer.empty()) {
        w.Key("source");
        w.BeginObject();
        w.Key("pointer");
        w.String(pointer);
        w.EndObject();
    }
    w.EndObject();
    w.EndArray();
    if (!meta.empty()) {
        w.Key("meta");
        w.Raw(meta);
    }
    w.EndObject();
    return w.Take();
}

}  // namespace

std::string ErrorBody(int http_status, std::string_view detail, std::string_view pointer) {
    return ErrorBodyWithMeta(http_status, detail, pointer, {});
}

http::Response ErrorResponse(int http_status, std::string_view detail, std::string_view pointer) {
    return http::Response::JsonApi(http_status, ErrorBody(http_status, detail, pointer));
}

http::Response ErrorResponse(const Status& status) {
    MORTAR_CHECK(!status.ok(), "ErrorResponse needs a failed Status");
    return ErrorResponse(HttpStatusOf(status.code()), status.message(), status.pointer());
}

http::Response ErrorResponse(const Status& status, std::string_view meta_json) {
    MORTAR_CHECK(!status.ok(), "ErrorResponse needs a failed Status");
    const int http_status = HttpStatusOf(status.code());
    return http::Response::JsonApi(
        http_status, ErrorBodyWithMeta(http_status, status.message(), status.pointer(), meta_json)
    );
}

void WritePageMetaAndLinks(json::Writer& w, const Page& page, std::string_view base_url, const QueryPairs& query) {
    MORTAR_CHECK(page.size > 0 && page.number > 0, "a Page needs a positive number and size");
    const int64_t total_pages = page.total_pages();
    const int64_t number = page.number;
    // Beyond the last page, prev leads back to the last page that has data (page 1 when
    // there is none), and last is page 1 for an empty collection: page 0 does not exist.
    const int64_t last = std::max<int64_t>(total_pages, 1);
    const bool has_prev = number > 1;
    const int64_t prev = std::min(number - 1, last);
    const bool has_next = number < total_pages;

    w.Key("meta");
    w.BeginObject();
    w.Key("current-page");
    w.Int(number);
    w.Key("next-page");
    if (has_next) {
        w.Int(number + 1);
    } else {
        w.Null();
    }
    w.Key("prev-page");
    if (has_prev) {
        w.Int(prev);
    } else {
        w.Null();
    }
    w.Key("total-pages");
    w.Int(total_pages);
    w.Key("total-count");
    w.Int(page.total_count);
    w.Key("filters");
    w.BeginObject();
    w.EndObject();
    w.EndObject();

    // The query of every link: the request's parameters in order, page[number] in the
    // place of the first one sent (or just before page[size], or at the end), later
    // duplicates of either page parameter dropped, page[size] kept or added.
    const bool number_sent =
        std::any_of(query.begin(), query.end(), [](const auto& kv) { return kv.first == kPageNumberKey; });
    const std::string size_text = std::to_string(page.size);
    std::string before;  // pairs before page[number]'s value
    std::string after;   // pairs after it
    bool number_placed = false, size_placed = false;
    for (const auto& [key, value] : query) {
        std::string& out = number_placed ? after : before;
        if (key == kPageNumberKey) {
            if (number_placed) continue;
            number_placed = true;
            continue;
        }
        if (key == kPageSizeKey) {
            if (size_placed) continue;
            if (!number_sent && !number_placed) number_placed = true;
            AppendPair(number_placed ? after : before, key, size_text);
            size_placed = true;
            continue;
        }
        AppendPair(out, key, value);
    }
    if (!size_placed) {
        number_placed = true;
        AppendPair(after, kPageSizeKey, size_text);
    }
    const std::string encoded_number_key = EncodeQueryComponent(kPageNumberKey);
    const char separator = base_url.find('?') == std::string_view::npos ? '?' : '&';
    auto link = [&](int64_t n) {
        std::string url;
        url.reserve(base_url.size() + before.size() + after.size() + 48);
        url.append(base_url);
        url.push_back(separator);
        url += before;
        if (!before.empty()) url.push_back('&');
        url += encoded_number_key;
        url.push_back('=');
        url += std::to_string(n);
        if (!after.empty()) url.push_back('&');
        url += after;
        return url;
    };

    w.Key("links");
    w.BeginObject();
    w.Key("self");
    w.String(link(number));
    w.Key("first");
    w.String(link(1));
    if (has_prev) {
        w.Key("prev");
        w.String(link(prev));
    }
    if (has_next) {
        w.Key("next");
        w.String(link(number + 1));
    }
    w.Key("last");
    w.String(link(last));
    w.EndObject();
}

}  // namespace mortar::jsonapi
