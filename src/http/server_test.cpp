// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests http::Server over real loopback sockets with a small blocking client. Waits
// are bounded by deadlines on socket reads or on explicit gates, never by sleeps.
#include "http/server.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/router.hpp"

namespace mortar::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kDeadline = 10s;

// A one-shot gate a handler can wait on; Open() may be called any number of times.
class Gate {
public:
    void Open() {
        std::lock_guard lock(mu_);
        open_ = true;
        cv_.notify_all();
    }
    // Returns false when the gate stayed shut for `timeout`.
    bool Wait(std::chrono::milliseconds timeout = kDeadline) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, timeout, [&] { return open_; });
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    bool open_ = false;
};

struct RawResponse {
    std::string status_line;
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
    std::string body;

    std::optional<std::string> Header(std::string_view name) const {
        for (const auto& [k, v] : headers) {
            if (k == name) return v;
        }
        return std::nullopt;
    }
};

// A blocking HTTP/1.1 client over a plain POSIX socket; every read has a deadline.
class Client {
public:
    // Connects to 127.0.0.1:port. Returns nullptr and sets `error` (an errno) on failure.
    static std::unique_ptr<Client> Connect(uint16_t port, int* error = nullptr) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) return nullptr;
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            if (error) *error = errno;
            ::close(fd);
            return nullptr;
        }
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        return std::unique_ptr<Client>(new Client(fd));
    }

    ~Client() { ::close(fd_); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    bool Send(std::string_view data) {
        while (!data.empty()) {
            const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }

    // Reads one response. `head` says the request was HEAD (no body follows).
    std::optional<RawResponse> Read(bool head = false) {
        const auto deadline = Clock::now() + kDeadline;
        std::size_t header_end;
        while ((header_end = pending_.find("\r\n\r\n")) == std::string::npos) {
            if (!Fill(deadline)) return std::nullopt;
        }
        RawResponse resp;
        std::string_view head_block(pending_.data(), header_end);
        std::size_t line_end = head_block.find("\r\n");
        resp.status_line = std::string(head_block.substr(0, line_end));
        if (resp.status_line.size() < 12) return std::nullopt;
        resp.status = std::stoi(resp.status_line.substr(9, 3));
        while (line_end != std::string_view::npos) {
            const std::size_t start = line_end + 2;
            line_end = head_block.find("\r\n", start);
            std::string_view line =
                head_block.substr(start, line_end == std::string_view::npos ? line_end : line_end - start);
            const std::size_t colon = line.find(':');
            if (colon == std::string_view::npos) return std::nullopt;
            std::string name(line.substr(0, colon));
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            resp.headers.emplace_back(std::move(name), std::string(value));
        }
        pending_.erase(0, header_end + 4);
        std::size_t length = 0;
        if (auto cl = resp.Header("content-length");
            cl && !head && resp.status != 204 && resp.status != 304 && resp.status >= 200) {
            length = std::stoul(*cl);
        }
        while (pending_.size() < length) {
            if (!Fill(deadline)) return std::nullopt;
        }
        resp.body = pending_.substr(0, length);
        pending_.erase(0, length);
        return resp;
    }

    // Waits until the server closes the connection (EOF or reset) and returns true, or
    // returns false after `timeout`. Bytes that arrive meanwhile are kept in `extra`.
    bool WaitClosed(std::chrono::milliseconds timeout = kDeadline, std::string* extra = nullptr) {
        const auto deadline = Clock::now() + timeout;
        for (;;) {
            const std::size_t before = pending_.size();
            if (!Fill(deadline)) {
                if (extra) *extra = pending_;
                return closed_;
            }
            if (pending_.size() == before) return true;
        }
    }

    int fd() const { return fd_; }

private:
    explicit Client(int fd) : fd_(fd) {}

    // Appends what arrives before the deadline; false on timeout, EOF or error.
    bool Fill(Clock::time_point deadline) {
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) return false;
            pollfd p{fd_, POLLIN, 0};
            const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
            if (ready < 0 && errno == EINTR) continue;
            if (ready <= 0) return false;
            char buf[65536];
            const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                closed_ = true;
                return false;
            }
            pending_.append(buf, static_cast<std::size_t>(n));
            return true;
        }
    }

    int fd_;
    std::string pending_;
    bool closed_ = false;
};

std::string Get(std::string_view target, std::string_view extra_headers = "") {
    return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) + "\r\n";
}

std::string Post(std::string_view target, std::string_view body) {
    return "POST " + std::string(target) + " HTTP/1.1\r\nHost: test\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + std::string(body);
}

bool ConnectionCloses(const RawResponse& resp) {
    auto connection = resp.Header("connection");
    return connection && *connection == "close";
}

// Echoes "<METHOD> <path>" so tests can see which request an answer belongs to.
Response Echo(Request& req) {
    return Response::Text(200, std::string(MethodName(req.method)) + " " + req.path);
}

class ServerTest : public ::testing::Test {
protected:
    static ServerOptions Options() {
        ServerOptions options;
        options.host = "127.0.0.1";
        options.port = 0;
        options.io_threads = 1;
        options.worker_threads = 2;
        options.read_timeout = 5s;
        options.write_timeout = 5s;
        options.idle_timeout = 10s;
        options.shutdown_grace = 10s;
        return options;
    }

    void Serve(ServerOptions options, std::function<Response(Request&)> handler) {
        server_ = std::make_unique<Server>(std::move(options), std::move(handler));
        const Status status = server_->Start();
        ASSERT_TRUE(status.ok()) << status.message();
        ASSERT_NE(server_->port(), 0);
        run_ = std::async(std::launch::async, [this] { server_->Run(); });
    }

    std::unique_ptr<Client> Connect() {
        auto client = Client::Connect(server_->port());
        EXPECT_NE(client, nullptr);
        return client;
    }

    bool RunReturned(std::chrono::milliseconds timeout = kDeadline) {
        return run_.wait_for(timeout) == std::future_status::ready;
    }

    void TearDown() override {
        gate_.Open();
        if (server_) {
            server_->Stop();
            EXPECT_TRUE(RunReturned()) << "Run() did not return after Stop()";
        }
    }

    Gate gate_;
    std::unique_ptr<Server> server_;
    std::future<void> run_;
};

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    std::atomic<int> count{0};
    std::string remote;
    Serve(Options(), [&](Request& req) {
        remote = req.remote_address;
        return Response::Text(200, "request " + std::to_string(++count));
    });
    auto client = Connect();
    ASSERT_TRUE(client);
    for (int idx = 1; idx <= 3; ++idx) {
        ASSERT_TRUE(client->Send(Get("/")));
        auto resp = client->Read();
        ASSERT_TRUE(resp) << "request " << idx;
        EXPECT_EQ(resp->status, 200);
        EXPECT_EQ(resp->body, "request " + std::to_string(idx));
        EXPECT_FALSE(ConnectionCloses(*resp));
        EXPECT_EQ(resp->Header("content-length"), std::to_string(resp->body.size()));
        EXPECT_EQ(resp->Header("content-type"), "text/plain; charset=utf-8");
    }
    EXPECT_EQ(remote, "127.0.0.1");
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
    Serve(Options(), [](Request& req) {
        if (req.method == Method::kPost) return Response::Text(200, "posted " + req.body);
        return Echo(req);
    });
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send(Get("/one") + Post("/two", "payload") + Get("/three") + Get("/four")));
    for (const char* expected : {"GET /one", "posted payload", "GET /three", "GET /four"}) {
        auto resp = client->Read();
        ASSERT_TRUE(resp) << expected;
        EXPECT_EQ(resp->body, expected);
    }
}

TEST_F(ServerTest, BodyOverLimitAnswers413AndServerKeepsServing) {
    ServerOptions options = Options();
    options.body_limit = 1024;
    Serve(options, [](Request& req) { return Response::Text(200, std::to_string(req.body.size())); });

    auto big = Connect();
    ASSERT_TRUE(big);
    ASSERT_TRUE(
        big->Send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 100000\r\n\r\n" + std::string(512, 'x'))
    );
    auto resp = big->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->status, 413);
    EXPECT_EQ(resp->Header("content-type"), std::string(kJsonApiContentType));
    EXPECT_NE(resp->body.find(R"({"errors":[{"status":413,"title":"Payload Too Large","detail":")"), std::string::npos)
        << resp->body;
    EXPECT_TRUE(ConnectionCloses(*resp));
    EXPECT_TRUE(big->WaitClosed());

    // A chunked body over the limit is refused the same way.
    auto chunked = Connect();
    ASSERT_TRUE(chunked);
    ASSERT_TRUE(chunked->Send(
        "POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + std::string(2048, 'y') +
        "\r\n0\r\n\r\n"
    ));
    auto chunked_resp = chunked->Read();
    ASSERT_TRUE(chunked_resp);
    EXPECT_EQ(chunked_resp->status, 413);

    auto small = Connect();
    ASSERT_TRUE(small);
    ASSERT_TRUE(small->Send(Post("/upload", std::string(1024, 'z'))));
    auto ok = small->Read();
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
    EXPECT_EQ(ok->body, "1024");
}

TEST_F(ServerTest, MalformedRequestLineAnswers400AndCloses) {
    std::atomic<int> calls{0};
    Serve(Options(), [&](Request& req) {
        ++calls;
        return Echo(req);
    });
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send("THIS IS NOT HTTP\r\n\r\n"));
    auto resp = client->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->status, 400);
    EXPECT_NE(resp->body.find(R"({"errors":[{"status":400,"title":"Bad Request")"), std::string::npos) << resp->body;
    EXPECT_TRUE(ConnectionCloses(*resp));
    EXPECT_TRUE(client->WaitClosed());
    EXPECT_EQ(calls.load(), 0);
}

TEST_F(ServerTest, OversizedHeaderAnswers431) {
    Serve(Options(), Echo);
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send(Get("/", "X-Big: " + std::string(70000, 'h') + "\r\n")));
    auto resp = client->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->status, 431);
    EXPECT_TRUE(client->WaitClosed());
}

TEST_F(ServerTest, HandlerExceptionAnswers500JsonAndConnectionSurvives) {
    Serve(Options(), [](Request& req) -> Response {
        if (req.path == "/boom") throw std::runtime_error("database on fire");
        return Echo(req);
    });
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send(Get("/boom")));
    auto resp = client->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->status, 500);
    EXPECT_EQ(resp->Header("content-type"), std::string(kJsonApiContentType));
    EXPECT_NE(resp->body.find(R"({"errors":[{"status":500,"title":"Internal Server Error")"), std::string::npos)
        << resp->body;
    EXPECT_EQ(resp->body.find("database on fire"), std::string::npos) << "exception text leaked to the client";

    ASSERT_TRUE(client->Send(Get("/after")));
    auto after = client->Read();
    ASSERT_TRUE(after);
    EXPECT_EQ(after->body, "GET /after");
}

TEST_F(ServerTest, CustomErrorResponseIsUsed) {
    ServerOptions options = Options();
    options.error_response = [](int status, std::string_view detail) {
        return Response::Text(status, "custom: " + std::string(detail));
    };
    Serve(options, [](Request&) -> Response { throw std::logic_error("bug"); });
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send(Get("/")));
    auto resp = client->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->status, 500);
    EXPECT_EQ(resp->body.rfind("custom: ", 0), 0u) << resp->body;
}

TEST_F(ServerTest, ReadTimeoutDisconnectsHalfSentRequest) {
    ServerOptions options = Options();
    options.read_timeout = 200ms;
    std::atomic<int> calls{0};
    Serve(options, [&](Request& req) {
        ++calls;
        return Echo(req);
    });
    auto client = Connect();
    ASSERT_TRUE(client);
    const auto start = Clock::now();
    ASSERT_TRUE(client->Send("GET /slowloris HTTP/1.1\r\nHost: test\r\nX-Partial: "));
    std::string extra;
    EXPECT_TRUE(client->WaitClosed(kDeadline, &extra));
    EXPECT_GE(Clock::now() - start, 150ms);
    EXPECT_EQ(extra, "");
    EXPECT_EQ(calls.load(), 0);
}

TEST_F(ServerTest, IdleTimeoutClosesQuietKeepAliveConnection) {
    ServerOptions options = Options();
    options.idle_timeout = 200ms;
    Serve(options, Echo);
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send(Get("/")));
    ASSERT_TRUE(client->Read());
    EXPECT_TRUE(client->WaitClosed());
}

TEST_F(ServerTest, SlowHandlerDoesNotBlockOtherConnections) {
    Gate entered;
    Serve(Options(), [&](Request& req) {
        if (req.path == "/slow") {
            entered.Open();
            gate_.Wait();
        }
        return Echo(req);
    });
    auto slow = Connect();
    ASSERT_TRUE(slow);
    ASSERT_TRUE(slow->Send(Get("/slow")));
    ASSERT_TRUE(entered.Wait());

    auto fast = Connect();
    ASSERT_TRUE(fast);
    for (int idx = 0; idx < 3; ++idx) {
        ASSERT_TRUE(fast->Send(Get("/fast")));
        auto resp = fast->Read();
        ASSERT_TRUE(resp);
        EXPECT_EQ(resp->body, "GET /fast");
    }

    gate_.Open();
    auto resp = slow->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->body, "GET /slow");
}

TEST_F(ServerTest, StopFinishesInFlightRequestsAndRefusesNewOnes) {
    Gate entered;
    const std::string big(60 * 1024, 'b');
    Serve(Options(), [&](Request& req) {
        if (req.path == "/slow") {
            entered.Open();
            gate_.Wait();
            return Response::Text(200, big);
        }
        return Echo(req);
    });

    auto idle = Connect();
    ASSERT_TRUE(idle);
    ASSERT_TRUE(idle->Send(Get("/warm-up")));
    ASSERT_TRUE(idle->Read());

    auto busy = Connect();
    ASSERT_TRUE(busy);
    ASSERT_TRUE(busy->Send(Get("/slow")));
    ASSERT_TRUE(entered.Wait());

    // Stop from another thread, twice: both calls return at once.
    std::thread stopper([&] { server_->Stop(); });
    stopper.join();
    server_->Stop();

    int error = 0;
    EXPECT_EQ(Client::Connect(server_->port(), &error), nullptr);
    EXPECT_EQ(error, ECONNREFUSED);

    std::string leftover;
    EXPECT_TRUE(idle->WaitClosed(kDeadline, &leftover)) << "idle keep-alive connection was not closed";
    EXPECT_EQ(leftover, "");
    EXPECT_FALSE(RunReturned(0ms)) << "Run() returned while a request was in flight";

    gate_.Open();
    auto resp = busy->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->status, 200);
    EXPECT_EQ(resp->body, big);
    EXPECT_TRUE(ConnectionCloses(*resp));
    EXPECT_TRUE(busy->WaitClosed());
    EXPECT_TRUE(RunReturned());
}

TEST_F(ServerTest, StopOnBusyConnectionRefusesPipelinedFollowUps) {
    Gate entered;
    std::atomic<int> calls{0};
    Serve(Options(), [&](Request& req) {
        ++calls;
        if (req.path == "/slow") {
            entered.Open();
            gate_.Wait();
        }
        return Echo(req);
    });
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send(Get("/slow")));
    ASSERT_TRUE(entered.Wait());
    ASSERT_TRUE(client->Send(Get("/next")));
    server_->Stop();
    gate_.Open();
    auto resp = client->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->body, "GET /slow");
    EXPECT_TRUE(ConnectionCloses(*resp));
    std::string extra;
    EXPECT_TRUE(client->WaitClosed(kDeadline, &extra));
    EXPECT_EQ(extra, "");
    EXPECT_TRUE(RunReturned());
    EXPECT_EQ(calls.load(), 1);
}

TEST_F(ServerTest, ShutdownGraceClosesConnectionsThatTakeTooLong) {
    ServerOptions options = Options();
    options.shutdown_grace = 100ms;
    Serve(options, Echo);
    auto client = Connect();
    ASSERT_TRUE(client);
    // A request that never finishes keeps the connection busy past the grace period.
    ASSERT_TRUE(client->Send("GET / HTTP/1.1\r\nHost: test\r\n"));
    ASSERT_TRUE(client->Send("X-Still-Typing: 1\r\n"));
    server_->Stop();
    EXPECT_TRUE(client->WaitClosed());
    EXPECT_TRUE(RunReturned());
}

TEST(ServerLifecycle, StopBeforeRunMakesRunReturn) {
    ServerOptions options;
    options.port = 0;
    Server server(options, Echo);
    ASSERT_TRUE(server.Start().ok());
    server.Stop();
    auto run = std::async(std::launch::async, [&] { server.Run(); });
    EXPECT_EQ(run.wait_for(kDeadline), std::future_status::ready);
}

TEST(ServerLifecycle, StartOnBusyPortReturnsUnavailable) {
    ServerOptions options;
    options.port = 0;
    Server first(options, Echo);
    ASSERT_TRUE(first.Start().ok());
    options.port = first.port();
    Server second(options, Echo);
    const Status status = second.Start();
    EXPECT_EQ(status.code(), Code::kUnavailable);
    EXPECT_NE(status.message().find(std::to_string(first.port())), std::string::npos) << status.message();
    EXPECT_NE(status.message().find("bind"), std::string::npos) << status.message();
}

TEST(ServerLifecycle, StartOnUnknownHostReturnsUnavailable) {
    ServerOptions options;
    options.host = "no-such-host.invalid";
    options.port = 0;
    Server server(options, Echo);
    EXPECT_EQ(server.Start().code(), Code::kUnavailable);
}

TEST(ServerLifecycle, StopOnSignalsStopsOnSigterm) {
    ServerOptions options;
    options.port = 0;
    Server server(options, Echo);
    ASSERT_TRUE(server.Start().ok());
    server.StopOnSignals();
    auto run = std::async(std::launch::async, [&] { server.Run(); });
    ASSERT_EQ(::raise(SIGTERM), 0);
    EXPECT_EQ(run.wait_for(kDeadline), std::future_status::ready);
}

TEST_F(ServerTest, HeadThroughRouterSendsLengthButNoBody) {
    auto router = std::make_shared<Router>();
    router->Add(Method::kGet, "/items", [](Request&) { return Response::JsonApi(200, R"({"data":[1,2,3]})"); });
    Serve(Options(), [router](Request& req) { return router->Dispatch(req); });
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send("HEAD /items HTTP/1.1\r\nHost: test\r\n\r\n"));
    auto head = client->Read(/*head=*/true);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->Header("content-length"), "16");
    EXPECT_EQ(head->Header("content-type"), std::string(kJsonApiContentType));
    // The next answer on the connection starts right after the HEAD header block.
    ASSERT_TRUE(client->Send(Get("/items")));
    auto get = client->Read();
    ASSERT_TRUE(get);
    EXPECT_EQ(get->body, R"({"data":[1,2,3]})");
}

TEST_F(ServerTest, HeadNeverSendsABodyEvenIfTheHandlerMadeOne) {
    Serve(Options(), [](Request&) { return Response::Text(200, "abc"); });
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send("HEAD / HTTP/1.1\r\nHost: test\r\n\r\n" + Get("/")));
    auto head = client->Read(/*head=*/true);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->Header("content-length"), "3");
    auto get = client->Read();
    ASSERT_TRUE(get);
    EXPECT_EQ(get->status_line, "HTTP/1.1 200 OK");
    EXPECT_EQ(get->body, "abc");
}

TEST_F(ServerTest, SplitsTargetAndLowerCasesHeaderNames) {
    std::mutex mu;
    Request seen;
    Serve(Options(), [&](Request& req) {
        std::lock_guard lock(mu);
        seen = req;
        return Response::Text(200, std::string(req.Header("X-CUSTOM")));
    });
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send(Get("/api/organizations?page%5Bsize%5D=5&q=a?b", "X-CuStOm: Mixed Value\r\n")));
    auto resp = client->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->body, "Mixed Value");
    std::lock_guard lock(mu);
    EXPECT_EQ(seen.method, Method::kGet);
    EXPECT_EQ(seen.target, "/api/organizations?page%5Bsize%5D=5&q=a?b");
    EXPECT_EQ(seen.path, "/api/organizations");
    EXPECT_EQ(seen.query, "page%5Bsize%5D=5&q=a?b");
    EXPECT_EQ(seen.Header("x-custom"), "Mixed Value");
    EXPECT_EQ(seen.Header("host"), "test");
    for (const auto& [name, value] : seen.headers) {
        for (char c : name) EXPECT_FALSE(std::isupper(static_cast<unsigned char>(c))) << name;
    }
}

TEST_F(ServerTest, MapsMethodsAndAbsoluteFormTargets) {
    std::mutex mu;
    std::vector<std::pair<Method, std::string>> seen;
    Serve(Options(), [&](Request& req) {
        std::lock_guard lock(mu);
        seen.emplace_back(req.method, req.path + "|" + req.query);
        return Response::NoContent();
    });
    auto client = Connect();
    ASSERT_TRUE(client);
    const std::string tail = " HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n";
    ASSERT_TRUE(client->Send(
        "PUT /a" + tail + "PATCH /b" + tail + "DELETE /c" + tail + "OPTIONS /d" + tail + "TRACE /e" + tail +
        "GET http://test/f?x=1" + tail + "GET /" + tail
    ));
    for (int idx = 0; idx < 7; ++idx) {
        auto resp = client->Read();
        ASSERT_TRUE(resp) << idx;
        EXPECT_EQ(resp->status, 204);
        EXPECT_FALSE(resp->Header("content-length")) << "204 must not carry Content-Length";
    }
    std::lock_guard lock(mu);
    const std::vector<std::pair<Method, std::string>> expected = {
        {Method::kPut, "/a|"},
        {Method::kPatch, "/b|"},
        {Method::kDelete, "/c|"},
        {Method::kOptions, "/d|"},
        {Method::kOther, "/e|"},
        {Method::kGet, "/f|x=1"},
        {Method::kGet, "/|"},
    };
    EXPECT_EQ(seen, expected);
}

TEST_F(ServerTest, ServerOwnsFramingHeaders) {
    Serve(Options(), [](Request&) {
        Response resp = Response::JsonApi(201, "{}");
        resp.SetHeader("Content-Length", "999");
        resp.SetHeader("Connection", "close");
        resp.SetHeader("X-Request-Id", "abc");
        resp.SetHeader("X-Split", "a\r\nInjected: yes");
        return resp;
    });
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send(Get("/")));
    auto resp = client->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->status, 201);
    EXPECT_EQ(resp->body, "{}");
    EXPECT_EQ(resp->Header("content-length"), "2");
    EXPECT_FALSE(ConnectionCloses(*resp));
    EXPECT_EQ(resp->Header("x-request-id"), "abc");
    EXPECT_FALSE(resp->Header("x-split"));
    EXPECT_FALSE(resp->Header("injected"));
}

TEST_F(ServerTest, InvalidHandlerStatusBecomes500) {
    Serve(Options(), [](Request&) { return Response::Text(42, "odd"); });
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send(Get("/")));
    auto resp = client->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->status, 500);
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAliveIsAsked) {
    Serve(Options(), Echo);
    auto plain = Connect();
    ASSERT_TRUE(plain);
    ASSERT_TRUE(plain->Send("GET /old HTTP/1.0\r\n\r\n"));
    auto resp = plain->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->status_line.substr(0, 8), "HTTP/1.0");
    EXPECT_EQ(resp->body, "GET /old");
    EXPECT_TRUE(plain->WaitClosed());

    auto kept = Connect();
    ASSERT_TRUE(kept);
    for (int idx = 0; idx < 2; ++idx) {
        ASSERT_TRUE(kept->Send("GET /kept HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        auto again = kept->Read();
        ASSERT_TRUE(again) << idx;
        EXPECT_EQ(again->body, "GET /kept");
        EXPECT_EQ(again->Header("connection"), "keep-alive");
    }
}

TEST_F(ServerTest, ConnectionCloseRequestIsHonoured) {
    Serve(Options(), Echo);
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send(Get("/bye", "Connection: close\r\n")));
    auto resp = client->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->body, "GET /bye");
    EXPECT_TRUE(ConnectionCloses(*resp));
    EXPECT_TRUE(client->WaitClosed());
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponse) {
    Serve(Options(), [](Request& req) { return Response::Text(200, "got " + req.body); });
    auto client = Connect();
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
    );
    auto interim = client->Read();
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    ASSERT_TRUE(client->Send("hello"));
    auto resp = client->Read();
    ASSERT_TRUE(resp);
    EXPECT_EQ(resp->body, "got hello");
}

TEST_F(ServerTest, LargeBodiesRoundTrip) {
    std::string big(256 * 1024, '\0');
    for (std::size_t idx = 0; idx < big.size(); ++idx) big[idx] = static_cast<char>('a' + idx % 26);
    Serve(Options(), [](Request& req) { return Response::Text(200, req.body); });
    auto client = Connect();
    ASSERT_TRUE(client);
    for (int idx = 0; idx < 2; ++idx) {
        ASSERT_TRUE(client->Send(Post("/echo", big)));
        auto resp = client->Read();
        ASSERT_TRUE(resp);
        EXPECT_EQ(resp->body.size(), big.size());
        EXPECT_TRUE(resp->body == big);
    }
}

TEST_F(ServerTest, ManyConnectionsOnSeveralIoThreads) {
    ServerOptions options = Options();
    options.io_threads = 2;
    options.worker_threads = 3;
    Serve(options, Echo);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int thread_idx = 0; thread_idx < 8; ++thread_idx) {
        threads.emplace_back([&, thread_idx] {
            auto client = Client::Connect(server_->port());
            if (!client) return;
            for (int request_idx = 0; request_idx < 50; ++request_idx) {
                const std::string path = "/t" + std::to_string(thread_idx) + "/" + std::to_string(request_idx);
                if (!client->Send(Get(path))) return;
                auto resp = client->Read();
                if (!resp || resp->body != "GET " + path) return;
                ++ok;
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(ok.load(), 8 * 50);
}

}  // namespace
}  // namespace mortar::http
