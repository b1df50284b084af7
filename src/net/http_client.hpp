// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"

namespace mortar::net {

// One outbound request. Header names are sent as given.
struct HttpRequest {
    std::string method = "GET";
    std::string url;  // absolute: "https://host/path?query"
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    HttpRequest& SetHeader(std::string name, std::string value);
    // The first header of that (case-insensitive) name, or "".
    std::string_view Header(std::string_view name) const;
};

// One response as received. Header names are lower-cased. The body's capacity always
// leaves at least 64 spare bytes after its end, so simdjson can parse it in place.
struct HttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    // The first header of that (case-insensitive) name, or "".
    std::string_view Header(std::string_view name) const;
};

struct ClientOptions {
    std::chrono::milliseconds connect_timeout{10000};
    std::chrono::milliseconds timeout{60000};  // for one whole exchange
    bool verify_tls = true;
    std::string ca_file;  // empty: the system's CA store
    // Empty: libcurl's environment variables (http_proxy, https_proxy, no_proxy) decide.
    std::string proxy;
    std::string user_agent = "mortar";
    // Easy handles kept for reuse (each keeps its keep-alive connections).
    int max_idle_handles = 8;
};

// Sends requests. Non-2xx statuses are responses, not errors: a failed Result means no
// response was read — kDeadlineExceeded for a timeout, kUnavailable for a connection
// failure (refused, reset, DNS), kInvalidArgument for a malformed URL, kInternal else.
// Messages name the host but never header values or bodies.
// Thread safety: implementations are thread-safe.
class HttpClient {
public:
    virtual ~HttpClient() = default;
    virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

// The libcurl client. Connections are reused across requests (keep-alive); concurrent
// callers each get their own easy handle from a small pool. HTTP/2 is used over TLS
// when the server offers it.
std::unique_ptr<HttpClient> NewCurlClient(ClientOptions options = {});

}  // namespace mortar::net
