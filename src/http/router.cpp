// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/router.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include "core/status.hpp"

namespace mortar::http {

namespace {

constexpr std::size_t kMethodCount = static_cast<std::size_t>(Method::kOther) + 1;

// Patterns deeper than this are rejected by Add(); it bounds the capture buffer that
// Dispatch() keeps on the stack.
constexpr std::size_t kMaxPatternSegments = 32;

std::size_t MethodIndex(Method m) {
    return static_cast<std::size_t>(m);
}

// Walks the '/'-separated segments of a raw path, skipping empty ones. Skipping empty
// segments is exactly NormalisePath(): "//" collapses and a trailing '/' vanishes.
class SegmentCursor {
public:
    explicit SegmentCursor(std::string_view path) : path_(path) {}

    // Returns false at the end; otherwise stores the next segment.
    bool Next(std::string_view& segment) {
        while (pos_ < path_.size() && path_[pos_] == '/') ++pos_;
        if (pos_ >= path_.size()) return false;
        std::size_t end = path_.find('/', pos_);
        if (end == std::string_view::npos) end = path_.size();
        segment = path_.substr(pos_, end - pos_);
        pos_ = end;
        return true;
    }

    std::size_t position() const { return pos_; }
    void Reset(std::size_t pos) { pos_ = pos; }

private:
    std::string_view path_;
    std::size_t pos_ = 0;
};

bool IsCapture(std::string_view segment) {
    return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

bool HasBody(int status) {
    return status >= 200 && status != 204 && status != 304;
}

Response DefaultFallback(Request&, bool /*known_path*/) {
    return Response::Text(404, "Not Found\n");
}

// What Match() looks for: a route of one method, or any route at all.
struct MatchState {
    std::size_t method_idx = 0;
    bool any_method = false;
    std::array<std::string_view, kMaxPatternSegments> captures{};
    std::size_t capture_count = 0;
};

}  // namespace

// One trie node per path position. Literal children are kept sorted for binary search;
// all captures at a position share one child, because the capture names belong to
// the route (two routes may name the same position differently).
struct Router::Node {
    struct Route {
        Handler handler;
        std::vector<std::string> param_names;  // one per capture, in path order
    };

    std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
    std::unique_ptr<Node> capture;
    std::array<Route, kMethodCount> routes;
    bool has_route = false;

    Node* FindLiteral(std::string_view segment) const {
        auto it =
            std::lower_bound(literals.begin(), literals.end(), segment, [](const auto& child, std::string_view s) {
                return std::string_view(child.first) < s;
            });
        if (it == literals.end() || it->first != segment) return nullptr;
        return it->second.get();
    }

    Node& LiteralChild(std::string_view segment) {
        auto it =
            std::lower_bound(literals.begin(), literals.end(), segment, [](const auto& child, std::string_view s) {
                return std::string_view(child.first) < s;
            });
        if (it == literals.end() || it->first != segment) {
            it = literals.emplace(it, std::string(segment), std::make_unique<Node>());
        }
        return *it->second;
    }

    // Depth-first search that tries the literal child before the capture child, and
    // backs off to the capture when the literal branch has no route for the method.
    // Recursion depth is bounded by the trie depth, not by the request path.
    const Node* Match(SegmentCursor& cursor, MatchState& state) const;
};

Router::Router() : root_(std::make_unique<Node>()), fallback_(DefaultFallback) {}

Router::~Router() = default;

void Router::Add(Method method, std::string_view pattern, Handler handler) {
    MORTAR_CHECK(handler != nullptr, "route handler for " + std::string(pattern) + " is empty");
    Node* node = root_.get();
    std::vector<std::string> param_names;
    SegmentCursor cursor(pattern);
    std::string_view segment;
    std::size_t depth = 0;
    while (cursor.Next(segment)) {
        ++depth;
        MORTAR_CHECK(depth <= kMaxPatternSegments, "route pattern " + std::string(pattern) + " is too deep");
        if (IsCapture(segment)) {
            std::string name(segment.substr(1, segment.size() - 2));
            MORTAR_CHECK(!name.empty(), "route pattern " + std::string(pattern) + " has an unnamed capture");
            MORTAR_CHECK(
                std::find(param_names.begin(), param_names.end(), name) == param_names.end(),
                "route pattern " + std::string(pattern) + " repeats capture " + name
            );
            param_names.push_back(std::move(name));
            if (!node->capture) node->capture = std::make_unique<Node>();
            node = node->capture.get();
        } else {
            MORTAR_CHECK(
                segment.find_first_of("{}") == std::string_view::npos,
                "route pattern " + std::string(pattern) + " has a brace inside a literal segment"
            );
            node = &node->LiteralChild(segment);
        }
    }
    Node::Route& route = node->routes[MethodIndex(method)];
    MORTAR_CHECK(
        route.handler == nullptr,
        "route " + std::string(MethodName(method)) + " " + std::string(pattern) + " is registered twice"
    );
    route.handler = std::move(handler);
    route.param_names = std::move(param_names);
    node->has_route = true;
}

void Router::SetFallback(std::function<Response(Request&, bool known_path)> fallback) {
    fallback_ = fallback ? std::move(fallback) : DefaultFallback;
}

const Router::Node* Router::Node::Match(SegmentCursor& cursor, MatchState& state) const {
    std::string_view segment;
    const std::size_t start = cursor.position();
    if (!cursor.Next(segment)) {
        if (state.any_method) return has_route ? this : nullptr;
        return routes[state.method_idx].handler ? this : nullptr;
    }
    const std::size_t after = cursor.position();
    if (const Router::Node* literal = FindLiteral(segment)) {
        if (const Router::Node* found = literal->Match(cursor, state)) return found;
        cursor.Reset(after);
    }
    if (capture) {
        const std::size_t slot = state.capture_count;
        state.captures[slot] = segment;
        ++state.capture_count;
        if (const Router::Node* found = capture->Match(cursor, state)) return found;
        state.capture_count = slot;
    }
    cursor.Reset(start);
    return nullptr;
}

Response Router::Dispatch(Request& req) const {
    MatchState state;
    const Node* node = nullptr;
    bool head_via_get = false;

    auto try_method = [&](Method m) {
        state.method_idx = MethodIndex(m);
        state.capture_count = 0;
        SegmentCursor cursor(req.path);
        node = root_->Match(cursor, state);
    };
    try_method(req.method);
    if (node == nullptr && req.method == Method::kHead) {
        try_method(Method::kGet);
        head_via_get = node != nullptr;
    }

    if (node == nullptr) {
        state.any_method = true;
        state.capture_count = 0;
        SegmentCursor cursor(req.path);
        const bool known_path = root_->Match(cursor, state) != nullptr;
        return fallback_(req, known_path);
    }

    const Node::Route& route = node->routes[state.method_idx];
    req.params.clear();
    req.params.reserve(state.capture_count);
    for (std::size_t idx = 0; idx < state.capture_count; ++idx) {
        req.params.emplace_back(route.param_names[idx], std::string(state.captures[idx]));
    }
    Response resp = route.handler(req);
    if (head_via_get) {
        if (HasBody(resp.status)) resp.SetHeader("Content-Length", std::to_string(resp.body.size()));
        std::string().swap(resp.body);
    }
    return resp;
}

std::string Router::NormalisePath(std::string_view path) {
    std::string out;
    out.reserve(path.size());
    for (char c : path) {
        if (c == '/' && !out.empty() && out.back() == '/') continue;
        out.push_back(c);
    }
    if (out.size() > 1 && out.back() == '/') out.pop_back();
    return out;
}

}  // namespace mortar::http
