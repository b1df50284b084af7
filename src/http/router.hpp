// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace mortar::http {

using Handler = std::function<Response(Request&)>;

// Maps (method, path pattern) to handlers. Patterns are literal segments and
// "{name}" captures of one segment: "/api/organizations/{id}". Literal segments win
// over captures at the same position. Matching works on the raw path after
// collapsing repeated slashes and dropping one trailing slash, so
// "/api//organizations/" finds "/api/organizations".
// Thread safety: Add() before serving; Dispatch() is then thread-safe (read-only).
class Router {
public:
    Router();
    ~Router();
    Router(const Router&) = delete;
    Router& operator=(const Router&) = delete;

    void Add(Method method, std::string_view pattern, Handler handler);

    // Called when no pattern matches the path: `known_path` is true when the path
    // matched a pattern but not for this method.
    void SetFallback(std::function<Response(Request&, bool known_path)> fallback);

    // Finds the handler, fills req.params and calls it; otherwise calls the fallback
    // (default: 404 text). HEAD falls back to GET handlers with the body dropped.
    Response Dispatch(Request& req) const;

    // Collapses "//" and removes one trailing '/' (not from "/").
    static std::string NormalisePath(std::string_view path);

private:
    struct Node;
    std::unique_ptr<Node> root_;
    std::function<Response(Request&, bool)> fallback_;
};

}  // namespace mortar::http
