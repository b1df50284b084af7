// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mortar::http {

inline constexpr std::string_view kJsonApiContentType = "application/vnd.api+json; charset=utf-8";

// One HTTP response. The server adds Content-Length, Date-free minimal headers and
// keep-alive handling itself.
// Thread safety: thread-compatible.
struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    Response& SetHeader(std::string name, std::string value);
    std::string_view Header(std::string_view name) const;

    // A response with the JSON:API content type.
    static Response JsonApi(int status, std::string body);
    // A response with no body (204).
    static Response NoContent();
    static Response Text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
};

}  // namespace mortar::http
