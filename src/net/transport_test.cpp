// SPDX-License-Identifier: AGPL-3.0-or-later
// The transport's policy against a scripted client and a fake clock: back-off is checked
// by the waits the sleeper is asked for, so nothing really waits.
#include "net/transport.hpp"

#include <deque>

#include <gtest/gtest.h>

#include "net/paginator.hpp"
#include "net/url.hpp"

namespace mortar::net {
namespace {

class FakeClock : public Clock {
public:
    int64_t NowMillis() const override { return now; }
    int64_t now = 1'700'000'000'000;
};

// Records each wait and moves the fake clock by it.
class FakeSleeper : public Sleeper {
public:
    explicit FakeSleeper(FakeClock& clock) : clock_(clock) {}
    void SleepMillis(int64_t ms) override {
        waits.push_back(ms);
        clock_.now += ms;
    }
    std::vector<int64_t> waits;

private:
    FakeClock& clock_;
};

// Answers from a script; records every request.
class ScriptedClient : public HttpClient {
public:
    Result<HttpResponse> Send(const HttpRequest& request) override {
        sent.push_back(request);
        if (script.empty()) return Status::Internal("script exhausted");
        auto next = std::move(script.front());
        script.pop_front();
        return next;
    }
    void Reply(int status, std::string body = "{}", std::vector<std::pair<std::string, std::string>> headers = {}) {
        HttpResponse r;
        r.status = status;
        r.body = std::move(body);
        r.headers = std::move(headers);
        script.emplace_back(std::move(r));
    }
    void Fail(Status s) { script.emplace_back(std::move(s)); }

    std::deque<Result<HttpResponse>> script;
    std::vector<HttpRequest> sent;
};

struct Fixture {
    FakeClock clock;
    FakeSleeper sleeper{clock};
    ScriptedClient client;

    TransportOptions Options(RetryPolicy policy = {}) {
        TransportOptions o;
        o.retry = policy;
        o.clock = &clock;
        o.sleeper = &sleeper;
        o.seed = 42;
        return o;
    }
};

HttpRequest Get(std::string url = "http://sim.test/x") {
    HttpRequest r;
    r.url = std::move(url);
    return r;
}

TEST(BackoffTest, FullJitterStaysWithinTheDoublingCap) {
    RetryPolicy p;
    p.base_delay_ms = 100;
    p.max_delay_ms = 1000;
    EXPECT_EQ(BackoffDelay(p, 0, 0), 0);
    EXPECT_EQ(BackoffDelay(p, 0, 100), 100);  // cap 100: draws in [0, 100]
    EXPECT_EQ(BackoffDelay(p, 0, 101), 0);
    EXPECT_EQ(BackoffDelay(p, 1, 200), 200);     // cap 200
    EXPECT_EQ(BackoffDelay(p, 3, 800), 800);     // cap 800
    EXPECT_EQ(BackoffDelay(p, 4, 1000), 1000);   // 1600 capped at 1000
    EXPECT_EQ(BackoffDelay(p, 60, 1000), 1000);  // no overflow for large retry counts
    EXPECT_EQ(BackoffDelay(p, 60, 1001), 0);
    std::mt19937_64 rng(1);
    for (int retry = 0; retry < 10; ++retry) {
        const int64_t cap = std::min<int64_t>(1000, 100LL << retry);
        for (int i = 0; i < 200; ++i) {
            const int64_t d = BackoffDelay(p, retry, rng());
            EXPECT_GE(d, 0);
            EXPECT_LE(d, cap);
        }
    }
}

TEST(RetryAfterTest, ParsesSecondsAndTheThreeHttpDateForms) {
    const int64_t now = *ParseTimestamp("1994-11-06T08:49:30Z");
    EXPECT_EQ(ParseRetryAfter("120", now), 120000);
    EXPECT_EQ(ParseRetryAfter(" 0 ", now), 0);
    EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now), 7000);
    EXPECT_EQ(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now), 7000);
    EXPECT_EQ(ParseRetryAfter("Sun Nov  6 08:49:37 1994", now), 7000);
    EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:00 GMT", now), 0);  // in the past
    EXPECT_EQ(ParseRetryAfter("soon", now), std::nullopt);
    EXPECT_EQ(ParseRetryAfter("-5", now), std::nullopt);
    EXPECT_EQ(ParseRetryAfter("Sun, 06 Foo 1994 08:49:37 GMT", now), std::nullopt);
    EXPECT_EQ(ParseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
}

TEST(TransportTest, RetriesThrottlingHonouringRetryAfterSecondsAndDates) {
    Fixture f;
    f.client.Reply(429, R"({"errors":["threshold"]})", {{"retry-after", "3"}});
    f.client.Reply(503, "", {{"retry-after", "Tue, 14 Nov 2023 22:13:35 GMT"}});  // now + 12 s after the first wait
    f.client.Reply(200, "ok");
    f.clock.now = *ParseTimestamp("2023-11-14T22:13:20Z");
    Transport t(f.client, f.Options());
    auto r = t.Send(Get());
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->body, "ok");
    EXPECT_EQ(f.sleeper.waits, (std::vector<int64_t>{3000, 12000}));
    EXPECT_EQ(t.stats().calls, 3);
    EXPECT_EQ(t.stats().retries, 2);
    EXPECT_EQ(t.stats().waited_ms, 15000);
}

TEST(TransportTest, BacksOffWithJitterOnServerErrorsAndConnectionFailures) {
    Fixture f;
    RetryPolicy p;
    p.base_delay_ms = 100;
    p.max_delay_ms = 10000;
    f.client.Reply(500, "oops");
    f.client.Fail(Status::Unavailable("cannot reach sim.test: refused"));
    f.client.Fail(Status::DeadlineExceeded("request to sim.test timed out"));
    f.client.Reply(502);
    f.client.Reply(200, "ok");
    Transport t(f.client, f.Options(p));
    auto r = t.Send(Get());
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(f.sleeper.waits.size(), 4u);
    for (size_t i = 0; i < f.sleeper.waits.size(); ++i) {
        EXPECT_GE(f.sleeper.waits[i], 0);
        EXPECT_LE(f.sleeper.waits[i], 100LL << i) << "retry " << i;
    }
    EXPECT_EQ(t.stats().calls, 5);
}

TEST(TransportTest, GivesUpAfterMaxAttemptsWithTheCodeOfTheLastFailure) {
    Fixture f;
    RetryPolicy p;
    p.max_attempts = 3;
    for (int i = 0; i < 3; ++i) f.client.Reply(429, "", {{"retry-after", "1"}});
    Transport t(f.client, f.Options(p));
    auto r = t.Send(Get());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
    EXPECT_NE(r.status().message().find("3 attempts"), std::string::npos) << r.status().message();
    EXPECT_EQ(f.client.sent.size(), 3u);
    EXPECT_EQ(f.sleeper.waits, (std::vector<int64_t>{1000, 1000}));

    Fixture g;
    for (int i = 0; i < 6; ++i) g.client.Reply(503, "down");
    Transport t2(g.client, g.Options());
    auto r2 = t2.Send(Get());
    EXPECT_EQ(r2.status().code(), Code::kUnavailable);

    Fixture h;
    for (int i = 0; i < 6; ++i) h.client.Fail(Status::DeadlineExceeded("request to sim.test timed out"));
    Transport t3(h.client, h.Options());
    EXPECT_EQ(t3.Send(Get()).status().code(), Code::kDeadlineExceeded);
}

TEST(TransportTest, StopsWhenTheTimeBudgetOrRetryAfterIsTooLong) {
    Fixture f;
    RetryPolicy p;
    p.max_total_ms = 10000;
    f.client.Reply(429, "", {{"retry-after", "6"}});
    f.client.Reply(429, "", {{"retry-after", "6"}});  // 6 + 6 > 10: no second wait
    Transport t(f.client, f.Options(p));
    auto r = t.Send(Get());
    EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
    EXPECT_EQ(f.sleeper.waits, (std::vector<int64_t>{6000}));
    EXPECT_NE(r.status().message().find("time budget"), std::string::npos);

    Fixture g;
    g.client.Reply(429, "", {{"retry-after", "3600"}});
    Transport t2(g.client, g.Options());
    auto r2 = t2.Send(Get());
    EXPECT_EQ(r2.status().code(), Code::kResourceExhausted);
    EXPECT_TRUE(g.sleeper.waits.empty());
}

TEST(TransportTest, ReturnsClientErrorsAndPermanentServerErrorsAtOnce) {
    Fixture f;
    f.client.Reply(404, "{}");
    f.client.Reply(500, R"({"errors":["IntegrationCode is invalid."]})");
    auto options = f.Options();
    options.permanent = [](const HttpResponse& r) { return r.body.find("IntegrationCode") != std::string::npos; };
    Transport t(f.client, options);
    auto r = t.Send(Get());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 404);
    auto r2 = t.Send(Get());
    ASSERT_TRUE(r2.ok());
    EXPECT_EQ(r2->status, 500);
    EXPECT_TRUE(f.sleeper.waits.empty());
    EXPECT_EQ(t.stats().calls, 2);

    Fixture g;
    g.client.Fail(Status::InvalidArgument("bad URL"));
    Transport t2(g.client, g.Options());
    EXPECT_EQ(t2.Send(Get()).status().code(), Code::kInvalidArgument);
    EXPECT_EQ(g.client.sent.size(), 1u);
}

TEST(TransportTest, StaticHeadersAreSentAndA401IsNotRetried) {
    Fixture f;
    f.client.Reply(401, R"({"code":"Unauthorized"})");
    Transport t(
        f.client, f.Options(), StaticHeaders({{"clientId", "abc"}, {"Authorization", BasicAuthorization("a+b", "c")}})
    );
    auto r = t.Send(Get());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 401);
    ASSERT_EQ(f.client.sent.size(), 1u);
    EXPECT_EQ(f.client.sent[0].Header("clientid"), "abc");
    EXPECT_EQ(f.client.sent[0].Header("authorization"), "Basic YStiOmM=");
}

TEST(TransportTest, ClientCredentialsFetchesReusesAndRefreshesTheToken) {
    Fixture f;
    ClientCredentials c;
    c.token_url = "http://sim.test/auth/token";
    c.client_id = "id";
    c.client_secret = "s3cret&=";
    c.scope = "all";
    c.extra_form = {{"tenant", "acme"}};
    c.refresh_margin_ms = 60000;
    auto auth = OAuth2ClientCredentials(c, f.clock);
    Transport t(f.client, f.Options(), auth);
    f.client.Reply(200, R"({"access_token":"T1","token_type":"Bearer","expires_in":3600})");
    f.client.Reply(200, "a");
    f.client.Reply(200, "b");
    ASSERT_TRUE(t.Send(Get()).ok());
    ASSERT_TRUE(t.Send(Get()).ok());
    ASSERT_EQ(f.client.sent.size(), 3u);
    EXPECT_EQ(f.client.sent[0].method, "POST");
    EXPECT_EQ(f.client.sent[0].Header("content-type"), "application/x-www-form-urlencoded");
    auto form = DecodeForm(f.client.sent[0].body);
    EXPECT_EQ(FormValue(form, "grant_type"), "client_credentials");
    EXPECT_EQ(FormValue(form, "client_secret"), "s3cret&=");
    EXPECT_EQ(FormValue(form, "scope"), "all");
    EXPECT_EQ(FormValue(form, "tenant"), "acme");
    EXPECT_EQ(f.client.sent[1].Header("authorization"), "Bearer T1");
    EXPECT_EQ(f.client.sent[2].Header("authorization"), "Bearer T1");

    // Within the refresh margin of expiry: a new token before the call.
    f.clock.now += 3600 * 1000 - 59000;
    f.client.Reply(200, R"({"access_token":"T2","expires_in":3600})");
    f.client.Reply(200, "c");
    ASSERT_TRUE(t.Send(Get()).ok());
    ASSERT_EQ(f.client.sent.size(), 5u);
    EXPECT_EQ(f.client.sent[3].url, "http://sim.test/auth/token");
    EXPECT_EQ(f.client.sent[4].Header("authorization"), "Bearer T2");

    // A 401 (the server revoked the token early): one fresh token, one retry.
    f.client.Reply(401);
    f.client.Reply(200, R"({"access_token":"T3","expires_in":3600})");
    f.client.Reply(200, "d");
    auto r = t.Send(Get());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->body, "d");
    EXPECT_EQ(f.client.sent.back().Header("authorization"), "Bearer T3");

    // A 401 that persists with a fresh token is returned, not looped on.
    f.client.Reply(401);
    f.client.Reply(200, R"({"access_token":"T4","expires_in":3600})");
    f.client.Reply(401);
    auto r2 = t.Send(Get());
    ASSERT_TRUE(r2.ok());
    EXPECT_EQ(r2->status, 401);
    EXPECT_EQ(t.stats().calls, 11);  // 3 + 2 + 3 + 3
}

TEST(TransportTest, TokenEndpointRefusalsMapToCredentialCodes) {
    struct Case {
        int status;
        std::string body;
        Code code;
    };
    for (const Case& c : std::vector<Case>{
             {401, R"({"error":"invalid_client"})", Code::kUnauthenticated},
             {400, R"({"error":"invalid_client"})", Code::kUnauthenticated},
             {400, R"({"error":"invalid_scope"})", Code::kPermissionDenied},
             {400, R"({"error":"unsupported_grant_type"})", Code::kInvalidArgument},
         }) {
        Fixture f;
        ClientCredentials cc;
        cc.token_url = "http://sim.test/auth/token";
        cc.client_id = "id";
        cc.client_secret = "TOPSECRET";
        Transport t(f.client, f.Options(), OAuth2ClientCredentials(cc, f.clock));
        f.client.Reply(c.status, c.body);
        auto r = t.Send(Get());
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.status().code(), c.code) << c.body;
        EXPECT_EQ(r.status().message().find("TOPSECRET"), std::string::npos);
        EXPECT_EQ(f.client.sent.size(), 1u);  // the API was never called
    }
}

TEST(PaginatorTest, NextUrlRepeatsMethodAndBody) {
    Fixture f;
    Transport t(f.client, f.Options());
    HttpRequest first;
    first.method = "POST";
    first.url = "http://sim.test/q";
    first.body = R"({"filter":[]})";
    f.client.Reply(200, "http://sim.test/q/next?paging=1");
    f.client.Reply(200, "");
    auto pager = NextUrlPager(first);
    int pages = 0;
    PageCallbacks cb;
    cb.check = [](const HttpResponse&) { return Status::Internal("unexpected"); };
    cb.parse = [&](HttpResponse& r, PageResult& page) {
        ++pages;
        page.records = 1;
        if (!r.body.empty()) page.next_url = r.body;
        return Status::Ok();
    };
    ASSERT_TRUE(Paginate(t, *pager, cb).ok());
    EXPECT_EQ(pages, 2);
    ASSERT_EQ(f.client.sent.size(), 2u);
    EXPECT_EQ(f.client.sent[1].url, "http://sim.test/q/next?paging=1");
    EXPECT_EQ(f.client.sent[1].method, "POST");
    EXPECT_EQ(f.client.sent[1].body, first.body);
}

TEST(PaginatorTest, LinkHeaderStopsWithoutNextOrOnAShortPage) {
    Fixture f;
    Transport t(f.client, f.Options());
    f.client.Reply(
        200, "2", {{"link", R"(<http://sim.test/c?page=2>; rel="next", <http://sim.test/c?page=9>; rel="last")"}}
    );
    f.client.Reply(200, "2", {{"link", R"(<http://sim.test/c?page=1>; rel="first")"}});
    auto pager = LinkHeaderPager(Get("http://sim.test/c?page=1"), 2);
    PageCallbacks cb;
    cb.check = [](const HttpResponse&) { return Status::Ok(); };
    cb.parse = [](HttpResponse& r, PageResult& page) {
        page.records = std::stoi(r.body);
        return Status::Ok();
    };
    ASSERT_TRUE(Paginate(t, *pager, cb).ok());
    ASSERT_EQ(f.client.sent.size(), 2u);
    EXPECT_EQ(f.client.sent[1].url, "http://sim.test/c?page=2");

    Fixture g;
    Transport t2(g.client, g.Options());
    g.client.Reply(200, "1", {{"link", R"(<http://sim.test/c?page=2>; rel="next")"}});
    auto pager2 = LinkHeaderPager(Get("http://sim.test/c"), 2);
    ASSERT_TRUE(Paginate(t2, *pager2, cb).ok());
    EXPECT_EQ(g.client.sent.size(), 1u);  // short page: done even with a next link
}

TEST(PaginatorTest, PageNumberStopsAtTheTotalAndRefusesAChangingTotal) {
    Fixture f;
    Transport t(f.client, f.Options());
    f.client.Reply(200, "2");
    f.client.Reply(200, "2");
    auto pager = PageNumberPager(Get("http://sim.test/a?pageinate=true&page_size=2"), "page_no", 2);
    PageCallbacks cb;
    cb.check = [](const HttpResponse& r) { return Status::Unavailable("HTTP " + std::to_string(r.status)); };
    int64_t total = 4;
    cb.parse = [&](HttpResponse& r, PageResult& page) {
        page.records = std::stoi(r.body);
        page.total = total;
        return Status::Ok();
    };
    ASSERT_TRUE(Paginate(t, *pager, cb).ok());
    ASSERT_EQ(f.client.sent.size(), 2u);  // 2 * 2 reached the total of 4
    EXPECT_EQ(f.client.sent[0].url, "http://sim.test/a?pageinate=true&page_size=2&page_no=1");
    EXPECT_EQ(f.client.sent[1].url, "http://sim.test/a?pageinate=true&page_size=2&page_no=2");

    Fixture g;
    Transport t2(g.client, g.Options());
    g.client.Reply(200, "2");
    g.client.Reply(200, "2");
    auto pager2 = PageNumberPager(Get("http://sim.test/a"), "page_no", 2);
    int calls = 0;
    cb.parse = [&](HttpResponse& r, PageResult& page) {
        page.records = std::stoi(r.body);
        page.total = ++calls == 1 ? 6 : 5;
        return Status::Ok();
    };
    Status s = Paginate(t2, *pager2, cb);
    EXPECT_EQ(s.code(), Code::kUnavailable);
    EXPECT_NE(s.message().find("changed"), std::string::npos);

    Fixture h;
    Transport t3(h.client, h.Options());
    h.client.Reply(403, "{}");
    auto pager3 = PageNumberPager(Get("http://sim.test/a"), "page_no", 2);
    EXPECT_EQ(Paginate(t3, *pager3, cb).code(), Code::kUnavailable);
}

TEST(UrlTest, FormsLinksAndQueries) {
    EXPECT_EQ(UrlEncode("a b/+é"), "a%20b%2F%2B%C3%A9");
    EXPECT_EQ(UrlDecode("a+b%2F%zz%4"), "a b/%zz%4");
    auto form = DecodeForm("a=1&b=x%20y&&c");
    ASSERT_EQ(form.size(), 3u);
    EXPECT_EQ(form[1].second, "x y");
    EXPECT_EQ(form[2].first, "c");
    EXPECT_EQ(EncodeForm({{"k", "v w"}}), "k=v%20w");
    EXPECT_EQ(AppendQuery("http://h/p", "a", "1"), "http://h/p?a=1");
    EXPECT_EQ(AppendQuery("http://h/p?x=1", "a", "1"), "http://h/p?x=1&a=1");
    EXPECT_EQ(QueryOf("http://h/p?x=1#f"), "x=1");
    EXPECT_EQ(OriginOf("http://127.0.0.1:99/a/b"), "http://127.0.0.1:99");
    auto links = ParseLinkHeader(R"(<http://h/c?page=2&conditions=a,b>; rel="next", <http://h/c?page=5>; rel=last)");
    ASSERT_EQ(links.size(), 2u);
    EXPECT_EQ(links[0].url, "http://h/c?page=2&conditions=a,b");
    EXPECT_EQ(links[1].rel, "last");
    EXPECT_EQ(FindLink(R"(<http://h/x>; rel="prev next")", "next"), "http://h/x");
    EXPECT_EQ(FindLink("", "next"), std::nullopt);
}

}  // namespace
}  // namespace mortar::net
