// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mortar::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view MethodName(Method m);

// One HTTP request as the handlers see it: no Beast type. Header names are stored
// lower-cased; the path is the raw (still percent-encoded) part of the target before
// '?', the query the raw part after it.
// Thread safety: thread-compatible.
struct Request {
    Method method = Method::kGet;
    std::string target;                                        // as received: "/api/organizations?page%5Bsize%5D=5"
    std::string path;                                          // "/api/organizations"
    std::string query;                                         // "page%5Bsize%5D=5" (no '?')
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
    std::string body;
    std::string remote_address;
    // Path parameters filled by the Router: {"id", "42"}.
    std::vector<std::pair<std::string, std::string>> params;

    // The first header of that (case-insensitive) name, or "" when absent.
    std::string_view Header(std::string_view name) const;
    // The path parameter of that name, or "" when absent.
    std::string_view Param(std::string_view name) const;
};

}  // namespace mortar::http
