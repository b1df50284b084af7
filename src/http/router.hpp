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
// over captures at the same position; when the literal branch has no route for the
// method, the capture is tried. Matching works on the raw path after collapsing
// repeated slashes and dropping one trailing slash, so "/api//organizations/" finds
// "/api/organizations"; captured values stay raw (still percent-encoded).
// Thread safety: Add() before serving; Dispatch() is then thread-safe (read-only).
class Router {
public:
    Router();
    ~Router();
    Router(const Router&) = delete;
    Router& operator=(const Router&) = delete;

    // Registers `handler` for `method` on `pattern`. Throws LogicError for a route
    // registered twice (capture names don't count: "/a/{x}" and "/a/{y}" are one shape),
    // an empty handler, an empty or repeated capture name, a brace inside a literal
    // segment, or more than 32 segments.
    void Add(Method method, std::string_view pattern, Handler handler);

    // Called when no pattern matches the path: `known_path` is true when the path
    // matched a pattern but not for this method.
    void SetFallback(std::function<Response(Request&, bool known_path)> fallback);

    // Finds the handler, replaces req.params with the captures and calls it; otherwise
    // calls the fallback (default: 404 text). HEAD falls back to GET handlers: the body
    // is dropped and its size kept in a Content-Length header, which the server sends
    // for HEAD. Exceptions from handlers propagate. Allocates only for the captures.
    Response Dispatch(Request& req) const;

    // Collapses "//" and removes one trailing '/' (not from "/").
    static std::string NormalisePath(std::string_view path);

private:
    struct Node;
    std::unique_ptr<Node> root_;
    std::function<Response(Request&, bool)> fallback_;
};

}  // namespace mortar::http
