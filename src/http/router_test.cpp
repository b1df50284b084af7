// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/router.hpp"

#include <string>

#include <gtest/gtest.h>

#include "core/status.hpp"

namespace mortar::http {
namespace {

Request MakeRequest(Method method, std::string path) {
    Request req;
    req.method = method;
    req.target = path;
    req.path = std::move(path);
    return req;
}

// A handler that answers with a fixed tag, so a test can tell which route ran.
Handler Tag(std::string tag) {
    return [tag = std::move(tag)](Request&) { return Response::Text(200, tag); };
}

TEST(RouterNormalisePath, CollapsesSlashesAndDropsOneTrailingSlash) {
    EXPECT_EQ(Router::NormalisePath("/"), "/");
    EXPECT_EQ(Router::NormalisePath("//"), "/");
    EXPECT_EQ(Router::NormalisePath(""), "");
    EXPECT_EQ(Router::NormalisePath("/api/organizations"), "/api/organizations");
    EXPECT_EQ(Router::NormalisePath("/api/organizations/"), "/api/organizations");
    EXPECT_EQ(Router::NormalisePath("/api//organizations/"), "/api/organizations");
    EXPECT_EQ(Router::NormalisePath("///api///organizations///"), "/api/organizations");
    EXPECT_EQ(Router::NormalisePath("/a/%2F/b"), "/a/%2F/b");
}

TEST(Router, MatchesLiteralPathsPerMethod) {
    Router router;
    router.Add(Method::kGet, "/api/organizations", Tag("list"));
    router.Add(Method::kPost, "/api/organizations", Tag("create"));
    router.Add(Method::kGet, "/", Tag("root"));

    Request get = MakeRequest(Method::kGet, "/api/organizations");
    EXPECT_EQ(router.Dispatch(get).body, "list");
    Request post = MakeRequest(Method::kPost, "/api/organizations");
    EXPECT_EQ(router.Dispatch(post).body, "create");
    Request root = MakeRequest(Method::kGet, "/");
    EXPECT_EQ(router.Dispatch(root).body, "root");
}

TEST(Router, MatchesNormalisedPaths) {
    Router router;
    router.Add(Method::kGet, "/api/organizations", Tag("list"));
    for (const char* path : {"/api//organizations/", "/api/organizations/", "//api/organizations"}) {
        Request req = MakeRequest(Method::kGet, path);
        Response resp = router.Dispatch(req);
        EXPECT_EQ(resp.status, 200) << path;
        EXPECT_EQ(resp.body, "list") << path;
    }
}

TEST(Router, CapturesOneSegmentRaw) {
    Router router;
    router.Add(Method::kGet, "/api/organizations/{id}", [](Request& req) {
        return Response::Text(200, std::string(req.Param("id")));
    });
    Request req = MakeRequest(Method::kGet, "/api/organizations/42");
    EXPECT_EQ(router.Dispatch(req).body, "42");
    ASSERT_EQ(req.params.size(), 1u);
    EXPECT_EQ(req.params[0].first, "id");

    // Captured values stay percent-encoded; the API layer validates them.
    Request encoded = MakeRequest(Method::kGet, "/api/organizations/a%2Fb");
    EXPECT_EQ(router.Dispatch(encoded).body, "a%2Fb");

    // A capture is exactly one segment.
    Request deeper = MakeRequest(Method::kGet, "/api/organizations/42/extra");
    EXPECT_EQ(router.Dispatch(deeper).status, 404);
    Request shorter = MakeRequest(Method::kGet, "/api/organizations");
    EXPECT_EQ(router.Dispatch(shorter).status, 404);
}

TEST(Router, CapturesSeveralSegments) {
    Router router;
    router.Add(Method::kGet, "/api/organizations/{org}/relationships/{kind}", [](Request& req) {
        return Response::Text(200, std::string(req.Param("org")) + ":" + std::string(req.Param("kind")));
    });
    Request req = MakeRequest(Method::kGet, "/api/organizations/7/relationships/configurations");
    EXPECT_EQ(router.Dispatch(req).body, "7:configurations");
    ASSERT_EQ(req.params.size(), 2u);
    EXPECT_EQ(req.params[0], (std::pair<std::string, std::string>{"org", "7"}));
    EXPECT_EQ(req.params[1], (std::pair<std::string, std::string>{"kind", "configurations"}));
}

TEST(Router, LiteralBeatsCaptureRegardlessOfOrder) {
    Router router;
    router.Add(Method::kGet, "/api/organizations/{id}", Tag("show"));
    router.Add(Method::kGet, "/api/organizations/count", Tag("count"));

    Request count = MakeRequest(Method::kGet, "/api/organizations/count");
    EXPECT_EQ(router.Dispatch(count).body, "count");
    EXPECT_TRUE(count.params.empty());
    Request show = MakeRequest(Method::kGet, "/api/organizations/12");
    EXPECT_EQ(router.Dispatch(show).body, "show");
}

TEST(Router, BacksOffToCaptureWhenLiteralBranchDeadEnds) {
    Router router;
    router.Add(Method::kGet, "/a/b/c", Tag("literal"));
    router.Add(Method::kGet, "/a/{x}/d", [](Request& req) {
        return Response::Text(200, "capture " + std::string(req.Param("x")));
    });
    Request literal = MakeRequest(Method::kGet, "/a/b/c");
    EXPECT_EQ(router.Dispatch(literal).body, "literal");
    Request capture = MakeRequest(Method::kGet, "/a/b/d");
    EXPECT_EQ(router.Dispatch(capture).body, "capture b");
    ASSERT_EQ(capture.params.size(), 1u);
}

TEST(Router, BacksOffToCaptureWhenLiteralLacksTheMethod) {
    Router router;
    router.Add(Method::kPost, "/api/organizations/bulk", Tag("bulk"));
    router.Add(Method::kGet, "/api/organizations/{id}", Tag("show"));
    Request get = MakeRequest(Method::kGet, "/api/organizations/bulk");
    EXPECT_EQ(router.Dispatch(get).body, "show");
    Request post = MakeRequest(Method::kPost, "/api/organizations/bulk");
    EXPECT_EQ(router.Dispatch(post).body, "bulk");
}

TEST(Router, CaptureNamesBelongToTheRoute) {
    Router router;
    router.Add(Method::kGet, "/things/{id}", [](Request& req) {
        return Response::Text(200, std::string(req.Param("id")));
    });
    router.Add(Method::kDelete, "/things/{thing_id}", [](Request& req) {
        return Response::Text(200, std::string(req.Param("thing_id")));
    });
    Request get = MakeRequest(Method::kGet, "/things/3");
    EXPECT_EQ(router.Dispatch(get).body, "3");
    Request del = MakeRequest(Method::kDelete, "/things/4");
    EXPECT_EQ(router.Dispatch(del).body, "4");
    EXPECT_EQ(del.Param("id"), "");
}

TEST(Router, DispatchReplacesStaleParams) {
    Router router;
    router.Add(Method::kGet, "/things/{id}", Tag("show"));
    Request req = MakeRequest(Method::kGet, "/things/9");
    req.params.emplace_back("stale", "1");
    router.Dispatch(req);
    ASSERT_EQ(req.params.size(), 1u);
    EXPECT_EQ(req.Param("id"), "9");
}

TEST(Router, DefaultFallbackIs404) {
    Router router;
    router.Add(Method::kGet, "/api/organizations", Tag("list"));
    Request req = MakeRequest(Method::kGet, "/api/nothing");
    Response resp = router.Dispatch(req);
    EXPECT_EQ(resp.status, 404);
}

TEST(Router, FallbackKnowsWhetherThePathExistsForAnotherMethod) {
    Router router;
    router.Add(Method::kGet, "/api/organizations/{id}", Tag("show"));
    router.Add(Method::kPost, "/api/organizations", Tag("create"));
    router.SetFallback([](Request&, bool known_path) {
        return known_path ? Response::Text(405, "method") : Response::Text(404, "path");
    });

    Request del = MakeRequest(Method::kDelete, "/api/organizations/5");
    EXPECT_EQ(router.Dispatch(del).status, 405);
    Request get_list = MakeRequest(Method::kGet, "/api/organizations/");
    EXPECT_EQ(router.Dispatch(get_list).status, 405);
    Request unknown = MakeRequest(Method::kGet, "/api/organizations/5/extra");
    EXPECT_EQ(router.Dispatch(unknown).status, 404);
    // An inner trie node that ends no pattern is not a known path.
    Request inner = MakeRequest(Method::kGet, "/api");
    EXPECT_EQ(router.Dispatch(inner).status, 404);
}

TEST(Router, ResettingTheFallbackRestoresTheDefault) {
    Router router;
    router.SetFallback([](Request&, bool) { return Response::Text(418, "teapot"); });
    router.SetFallback(nullptr);
    Request req = MakeRequest(Method::kGet, "/");
    EXPECT_EQ(router.Dispatch(req).status, 404);
}

TEST(Router, HeadUsesGetHandlerWithoutBodyButWithItsLength) {
    Router router;
    bool saw_head = false;
    router.Add(Method::kGet, "/api/organizations", [&](Request& req) {
        saw_head = req.method == Method::kHead;
        return Response::JsonApi(200, R"({"data":[]})");
    });
    Request req = MakeRequest(Method::kHead, "/api/organizations");
    Response resp = router.Dispatch(req);
    EXPECT_TRUE(saw_head);
    EXPECT_EQ(resp.status, 200);
    EXPECT_TRUE(resp.body.empty());
    EXPECT_EQ(resp.Header("content-length"), "11");
    EXPECT_EQ(resp.Header("Content-Type"), kJsonApiContentType);
}

TEST(Router, HeadOfNoContentGetsNoLength) {
    Router router;
    router.Add(Method::kGet, "/empty", [](Request&) { return Response::NoContent(); });
    Request req = MakeRequest(Method::kHead, "/empty");
    Response resp = router.Dispatch(req);
    EXPECT_EQ(resp.status, 204);
    EXPECT_EQ(resp.Header("Content-Length"), "");
}

TEST(Router, ExplicitHeadHandlerWins) {
    Router router;
    router.Add(Method::kGet, "/x", Tag("get"));
    router.Add(Method::kHead, "/x", [](Request&) { return Response::Text(200, "").SetHeader("X-Head", "1"); });
    Request req = MakeRequest(Method::kHead, "/x");
    Response resp = router.Dispatch(req);
    EXPECT_EQ(resp.Header("X-Head"), "1");
    EXPECT_EQ(resp.Header("Content-Length"), "");
}

TEST(Router, HeadWithoutGetFallsBack) {
    Router router;
    router.Add(Method::kPost, "/x", Tag("post"));
    bool known = false;
    router.SetFallback([&](Request&, bool known_path) {
        known = known_path;
        return Response::Text(405, "");
    });
    Request req = MakeRequest(Method::kHead, "/x");
    EXPECT_EQ(router.Dispatch(req).status, 405);
    EXPECT_TRUE(known);
}

TEST(Router, HandlerExceptionsPropagate) {
    Router router;
    router.Add(Method::kGet, "/boom", [](Request&) -> Response { throw std::runtime_error("boom"); });
    Request req = MakeRequest(Method::kGet, "/boom");
    EXPECT_THROW(router.Dispatch(req), std::runtime_error);
}

TEST(Router, RejectsBrokenPatterns) {
    Router router;
    router.Add(Method::kGet, "/a/{id}", Tag("a"));
    EXPECT_THROW(router.Add(Method::kGet, "/a/{id}", Tag("again")), LogicError);
    EXPECT_THROW(router.Add(Method::kGet, "/a/{other}", Tag("same shape")), LogicError);
    EXPECT_THROW(router.Add(Method::kGet, "/b/{}", Tag("unnamed")), LogicError);
    EXPECT_THROW(router.Add(Method::kGet, "/c/{id}/{id}", Tag("repeated")), LogicError);
    EXPECT_THROW(router.Add(Method::kGet, "/d/x{id}", Tag("partial")), LogicError);
    EXPECT_THROW(router.Add(Method::kGet, "/e", Handler{}), LogicError);
    std::string deep;
    for (int idx = 0; idx < 40; ++idx) deep += "/s";
    EXPECT_THROW(router.Add(Method::kGet, deep, Tag("deep")), LogicError);
}

TEST(Router, LongRequestPathsDoNotRecurseDeeply) {
    Router router;
    router.Add(Method::kGet, "/{a}/{b}", Tag("two"));
    std::string path;
    for (int idx = 0; idx < 100000; ++idx) path += "/x";
    Request req = MakeRequest(Method::kGet, path);
    EXPECT_EQ(router.Dispatch(req).status, 404);
}

}  // namespace
}  // namespace mortar::http
