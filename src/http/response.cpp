// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/response.hpp"

#include <strings.h>

namespace mortar::http {

Response& Response::SetHeader(std::string name, std::string value) {
    for (auto& [k, v] : headers) {
        if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), k.size()) == 0) {
            v = std::move(value);
            return *this;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

std::string_view Response::Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
    }
    return {};
}

Response Response::JsonApi(int status, std::string body) {
    Response r;
    r.status = status;
    r.headers.emplace_back("Content-Type", std::string(kJsonApiContentType));
    r.body = std::move(body);
    return r;
}

Response Response::NoContent() {
    Response r;
    r.status = 204;
    return r;
}

Response Response::Text(int status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.headers.emplace_back("Content-Type", std::move(content_type));
    r.body = std::move(body);
    return r;
}

}  // namespace mortar::http
