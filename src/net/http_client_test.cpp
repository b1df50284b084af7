// SPDX-License-Identifier: AGPL-3.0-or-later
// The libcurl client against the project's own server over loopback.
#include "net/http_client.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "http/router.hpp"
#include "http/server.hpp"

namespace mortar::net {
namespace {

class Gate {
public:
    void Open() {
        std::lock_guard lock(mu_);
        open_ = true;
        cv_.notify_all();
    }
    bool Wait() {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return open_; });
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    bool open_ = false;
};

class LoopbackServer {
public:
    explicit LoopbackServer(http::Router& router) {
        http::ServerOptions o;
        o.port = 0;
        o.worker_threads = 2;
        o.shutdown_grace = std::chrono::milliseconds(2000);
        server_ = std::make_unique<http::Server>(o, [&router](http::Request& r) { return router.Dispatch(r); });
        EXPECT_TRUE(server_->Start().ok());
        thread_ = std::thread([this] { server_->Run(); });
    }
    ~LoopbackServer() {
        server_->Stop();
        thread_.join();
    }
    std::string url(std::string_view path) const {
        return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(path);
    }

private:
    std::unique_ptr<http::Server> server_;
    std::thread thread_;
};

TEST(CurlClientTest, SendsMethodHeadersAndBodyAndReadsTheResponse) {
    http::Router router;
    router.Add(http::Method::kPost, "/echo", [](http::Request& r) {
        http::Response resp = http::Response::Text(201, std::string(r.Header("x-test")) + "|" + r.body + "|" + r.query);
        resp.SetHeader("Retry-After", "7");
        return resp;
    });
    LoopbackServer server(router);
    auto client = NewCurlClient();
    HttpRequest req;
    req.method = "POST";
    req.url = server.url("/echo?a=1");
    req.SetHeader("X-Test", "hello");
    req.SetHeader("Content-Type", "application/json");
    req.body = R"({"k":1})";
    for (int i = 0; i < 3; ++i) {  // the same handle, a kept-alive connection
        auto resp = client->Send(req);
        ASSERT_TRUE(resp.ok()) << resp.status().message();
        EXPECT_EQ(resp->status, 201);
        EXPECT_EQ(resp->body, R"(hello|{"k":1}|a=1)");
        EXPECT_EQ(resp->Header("retry-after"), "7");
        EXPECT_EQ(resp->Header("Retry-After"), "7");
        EXPECT_GE(resp->body.capacity(), resp->body.size() + 64);
    }
}

TEST(CurlClientTest, ATimeoutIsDeadlineExceededAndARefusedConnectionUnavailable) {
    Gate release;
    http::Router router;
    router.Add(http::Method::kGet, "/slow", [&](http::Request&) {
        release.Wait();
        return http::Response::Text(200, "late");
    });
    {
        LoopbackServer server(router);
        ClientOptions o;
        o.timeout = std::chrono::milliseconds(200);
        auto client = NewCurlClient(o);
        HttpRequest req;
        req.url = server.url("/slow");
        auto resp = client->Send(req);
        release.Open();
        ASSERT_FALSE(resp.ok());
        EXPECT_EQ(resp.status().code(), Code::kDeadlineExceeded);
    }
    // A port nothing listens on: bind one, then close it.
    uint16_t port = 0;
    {
        http::Router r2;
        http::ServerOptions o;
        o.port = 0;
        http::Server s(o, [&r2](http::Request& r) { return r2.Dispatch(r); });
        ASSERT_TRUE(s.Start().ok());
        port = s.port();
    }
    auto client = NewCurlClient();
    HttpRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(port) + "/";
    auto resp = client->Send(req);
    ASSERT_FALSE(resp.ok());
    EXPECT_EQ(resp.status().code(), Code::kUnavailable);
    req.url = "notaurl://x";
    EXPECT_FALSE(client->Send(req).ok());
}

}  // namespace
}  // namespace mortar::net
