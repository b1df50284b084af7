// SPDX-License-Identifier: AGPL-3.0-or-later
// The one translation unit that includes Boost.Beast: http::Server on Beast + Asio with
// C++20 coroutines. Everything Beast-shaped stays in this file.
//
// Compile time matters here, so the file instantiates as few composed operations as it
// can: all reads go through tcp_stream::async_read_some into Beast's request_parser (our
// own loop instead of http::async_read), and responses are written as two buffers, a
// head this file formats and the handler's body, with one asio::async_write.
#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <sys/socket.h>

#include "core/log.hpp"
#include "core/status.hpp"
#include "http/server.hpp"

namespace mortar::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// Request line plus header fields; larger headers are answered with 431. Above the API's own
// 16 KiB query-string limit, so an over-long query gets the API's 400 rather than this.
constexpr std::size_t kHeaderLimit = 64 * 1024;
// How much one read asks for while the header is read, and at most while the body is.
constexpr std::size_t kHeaderReadSize = 4 * 1024;
constexpr std::size_t kBodyReadSize = 64 * 1024;
// Before closing after a final response we shut down our side and discard what the
// client still sends, for at most this long and this much, so that the kernel does not
// answer unread input with a reset that could destroy the response in flight.
constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr std::size_t kLingerBytes = 1024 * 1024;
// Back-off when accept() fails for lack of descriptors or memory.
constexpr std::chrono::milliseconds kAcceptBackoff{100};

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

using BeastRequest = bhttp::request<bhttp::string_body>;
using RequestParser = bhttp::request_parser<bhttp::string_body>;

// A response ready for the wire: the formatted status line and header fields, and
// the body, which is written from the handler's string without a copy.
struct WireResponse {
    std::string head;
    std::string body;
};

std::string_view View(beast::string_view s) {
    return {s.data(), s.size()};
}

char AsciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t idx = 0; idx < a.size(); ++idx) {
        if (AsciiLower(a[idx]) != AsciiLower(b[idx])) return false;
    }
    return true;
}

bool HasLineBreak(std::string_view s) {
    return s.find_first_of("\r\n") != std::string_view::npos;
}

// RFC 9110 token: the characters a header field name may use.
bool IsToken(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

Method ToMethod(bhttp::verb verb) {
    switch (verb) {
        case bhttp::verb::get:
            return Method::kGet;
        case bhttp::verb::head:
            return Method::kHead;
        case bhttp::verb::post:
            return Method::kPost;
        case bhttp::verb::put:
            return Method::kPut;
        case bhttp::verb::patch:
            return Method::kPatch;
        case bhttp::verb::delete_:
            return Method::kDelete;
        case bhttp::verb::options:
            return Method::kOptions;
        default:
            return Method::kOther;
    }
}

// Splits an origin-form ("/a?b") or absolute-form ("http://host/a?b") target into
// the raw path and the raw query.
void SplitTarget(std::string_view target, Request& req) {
    std::string_view rest = target;
    const std::size_t scheme_end = rest.find("://");
    if (!rest.empty() && rest.front() != '/' && scheme_end != std::string_view::npos &&
        rest.find_first_of("/?") > scheme_end) {
        rest.remove_prefix(scheme_end + 3);
        const std::size_t path_start = rest.find_first_of("/?");
        rest = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
    }
    const std::size_t question = rest.find('?');
    if (question == std::string_view::npos) {
        req.path.assign(rest);
    } else {
        req.path.assign(rest.substr(0, question));
        req.query.assign(rest.substr(question + 1));
    }
    if (req.path.empty() || req.path.front() != '/') req.path.insert(req.path.begin(), '/');
}

void AppendJsonEscaped(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += "\\u00";
                    out += kHex[(c >> 4) & 0xf];
                    out += kHex[c & 0xf];
                } else {
                    out += c;
                }
        }
    }
}

// {"errors":[{"status":413,"title":"Payload Too Large","detail":"..."}]}
Response DefaultErrorResponse(int status, std::string_view detail) {
    const beast::string_view title = bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(status)));
    std::string body;
    body.reserve(64 + title.size() + detail.size());
    body += R"({"errors":[{"status":)";
    body += std::to_string(status);
    body += R"(,"title":")";
    AppendJsonEscaped(body, View(title));
    body += R"(","detail":")";
    AppendJsonEscaped(body, detail);
    body += R"("}]})";
    return Response::JsonApi(status, std::move(body));
}

std::string RemoteAddress(const tcp::socket& socket) {
    beast::error_code ec;
    const tcp::endpoint endpoint = socket.remote_endpoint(ec);
    if (ec) return {};
    asio::ip::address address = endpoint.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    return address.to_string();
}

void LogCoroutineFailure(std::string_view what, std::exception_ptr failure) {
    if (!failure) return;
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& e) {
        log::error("http: {} ended by an exception: {}", what, e.what());
    } catch (...) {
        log::error("http: {} ended by an unknown exception", what);
    }
}

}  // namespace

// Threads and ownership: the io_context runs on options.io_threads threads. Each
// connection is a coroutine on its own strand that owns its Session in its frame. The
// accept loop, the shutdown timer and the signal set share the `control_` strand.
// Handlers run on `workers_`; their results are posted back to the connection strand.
struct Server::Impl {
    // One client connection. Lives in the frame of its ServeConnection coroutine and is
    // touched only on its strand (`executor`), except for the registry entry.
    struct Session {
        explicit Session(tcp::socket socket) : executor(socket.get_executor()), stream(std::move(socket)) {}

        const asio::any_io_executor executor;  // the connection strand
        beast::tcp_stream stream;
        beast::flat_buffer buffer;
        std::string remote_address;
        // True while the session waits for a next request or lingers before closing:
        // Stop() may then close the connection at once.
        bool idle = false;
    };

    // Registers a session for Stop() while it lives; refuses once stopping.
    class Registration {
    public:
        Registration(Impl& impl, Session& session) : impl_(impl) {
            std::lock_guard lock(impl_.sessions_mu_);
            if (impl_.stopping_.load()) return;
            id_ = ++impl_.next_session_id_;
            impl_.sessions_.emplace(id_, &session);
        }
        ~Registration() {
            if (id_ == 0) return;
            bool last = false;
            {
                std::lock_guard lock(impl_.sessions_mu_);
                impl_.sessions_.erase(id_);
                last = impl_.sessions_.empty() && impl_.stopping_.load();
            }
            if (last && !impl_.destroying_.load()) {
                asio::post(impl_.control_, [impl = &impl_] { impl->grace_timer_.cancel(); });
            }
        }
        Registration(const Registration&) = delete;
        Registration& operator=(const Registration&) = delete;

        bool registered() const { return id_ != 0; }

    private:
        Impl& impl_;
        uint64_t id_ = 0;
    };

    Impl(ServerOptions options, std::function<Response(Request&)> handler)
        : options_(Normalise(std::move(options))),
          handler_(std::move(handler)),
          ioc_(options_.io_threads),
          control_(asio::make_strand(ioc_)),
          acceptor_(control_),
          grace_timer_(control_),
          workers_(static_cast<std::size_t>(options_.worker_threads)) {}

    ~Impl() {
        destroying_.store(true);
        // Handlers still running hold work on ioc_ and post to it: let them finish
        // before the io_context and the sessions in its queues go away.
        workers_.join();
    }

    static ServerOptions Normalise(ServerOptions options) {
        options.io_threads = std::max(options.io_threads, 1);
        options.worker_threads = std::max(options.worker_threads, 1);
        if (!options.error_response) options.error_response = DefaultErrorResponse;
        return options;
    }

    Status Start() {
        MORTAR_CHECK(!started_, "http::Server::Start() called twice");
        beast::error_code ec;
        tcp::endpoint endpoint;
        const asio::ip::address address = asio::ip::make_address(options_.host, ec);
        if (!ec) {
            endpoint = tcp::endpoint(address, options_.port);
        } else {
            tcp::resolver resolver(ioc_);
            auto results = resolver.resolve(options_.host, std::to_string(options_.port), ec);
            if (ec || results.empty()) {
                return Status::Unavailable(
                    "http: cannot resolve listen address " + options_.host + ": " +
                    (ec ? ec.message() : std::string("no address"))
                );
            }
            endpoint = results.begin()->endpoint();
        }
        const std::string where = options_.host + ":" + std::to_string(options_.port);
        auto fail = [&](std::string_view step) {
            beast::error_code ignored;
            acceptor_.close(ignored);
            return Status::Unavailable("http: cannot " + std::string(step) + " " + where + ": " + ec.message());
        };
        if (acceptor_.open(endpoint.protocol(), ec)) return fail("open a socket for");
        if (acceptor_.set_option(asio::socket_base::reuse_address(true), ec)) return fail("set SO_REUSEADDR on");
        if (acceptor_.bind(endpoint, ec)) return fail("bind");
        if (acceptor_.listen(asio::socket_base::max_listen_connections, ec)) return fail("listen on");
        const tcp::endpoint local = acceptor_.local_endpoint(ec);
        if (ec) return fail("query the port of");
        port_ = local.port();
        {
            std::lock_guard lock(listen_mu_);
            listen_fd_ = acceptor_.native_handle();
        }
        started_ = true;
        asio::co_spawn(control_, AcceptLoop(), [](std::exception_ptr e) { LogCoroutineFailure("accept loop", e); });
        log::info("http: listening on {}:{}", local.address().to_string(), port_);
        return Status::Ok();
    }

    void StopOnSignals() {
        if (signals_ || stopping_.load()) return;
        signals_.emplace(control_, SIGINT, SIGTERM);
        signals_->async_wait([this](const beast::error_code& ec, int signal_number) {
            if (ec) return;
            log::info("http: signal {} received, stopping", signal_number);
            Stop();
        });
    }

    void Run() {
        std::vector<std::thread> extra;
        extra.reserve(static_cast<std::size_t>(options_.io_threads - 1));
        for (int idx = 1; idx < options_.io_threads; ++idx) extra.emplace_back([this] { RunIo(); });
        RunIo();
        for (std::thread& thread : extra) thread.join();
    }

    void RunIo() {
        for (;;) {
            try {
                ioc_.run();
                return;
            } catch (const std::exception& e) {
                log::error("http: io thread caught an exception: {}", e.what());
            }
        }
    }

    void Stop() {
        if (stopping_.exchange(true)) return;
        {
            // Refuse new connections right now: shutting the listening socket down takes
            // it out of LISTEN state (and wakes the pending accept); the acceptor itself
            // is closed on its strand.
            std::lock_guard lock(listen_mu_);
            if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
        }
        asio::post(control_, [this] { BeginShutdown(); });
    }

    // On control_.
    void CloseAcceptor() {
        std::lock_guard lock(listen_mu_);
        listen_fd_ = -1;
        beast::error_code ignored;
        acceptor_.close(ignored);
    }

    // On control_.
    void BeginShutdown() {
        CloseAcceptor();
        if (signals_) {
            beast::error_code ignored;
            signals_->cancel(ignored);
        }
        std::vector<std::pair<uint64_t, asio::any_io_executor>> targets;
        {
            std::lock_guard lock(sessions_mu_);
            targets.reserve(sessions_.size());
            for (const auto& [id, session] : sessions_) targets.emplace_back(id, session->executor);
        }
        if (targets.empty()) return;
        log::info("http: stopping; {} connections open", targets.size());
        for (const auto& [id, executor] : targets) {
            asio::post(executor, [this, id = id] {
                WithSession(id, [](Session& session) {
                    if (session.idle) session.stream.cancel();
                });
            });
        }
        grace_timer_.expires_after(options_.shutdown_grace);
        grace_timer_.async_wait([this](const beast::error_code& ec) {
            if (!ec) ForceClose();
        });
    }

    // On control_, when shutdown_grace has passed.
    void ForceClose() {
        std::vector<std::pair<uint64_t, asio::any_io_executor>> targets;
        {
            std::lock_guard lock(sessions_mu_);
            for (const auto& [id, session] : sessions_) targets.emplace_back(id, session->executor);
        }
        if (targets.empty()) return;
        log::warn("http: shutdown grace expired; closing {} connections", targets.size());
        for (const auto& [id, executor] : targets) {
            asio::post(executor, [this, id = id] {
                WithSession(id, [](Session& session) { session.stream.close(); });
            });
        }
    }

    // Runs fn on the session `id` if it is still registered. Must run on that session's
    // strand: the session cannot end while its strand is busy here.
    template <class Fn>
    void WithSession(uint64_t id, Fn&& fn) {
        std::lock_guard lock(sessions_mu_);
        auto it = sessions_.find(id);
        if (it != sessions_.end()) fn(*it->second);
    }

    asio::awaitable<void> AcceptLoop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(asio::any_io_executor(asio::make_strand(ioc_)), kAwait);
            if (stopping_.load()) break;
            if (ec) {
                if (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor) break;
                log::warn("http: accept failed: {}", ec.message());
                if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
                    ec == asio::error::no_memory) {
                    asio::steady_timer backoff(control_, kAcceptBackoff);
                    co_await backoff.async_wait(kAwait);
                }
                continue;
            }
            beast::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            const asio::any_io_executor executor = socket.get_executor();
            asio::co_spawn(executor, ServeConnection(std::move(socket)), [](std::exception_ptr e) {
                LogCoroutineFailure("connection", e);
            });
        }
        CloseAcceptor();
    }

    // Runs the handler on the worker pool and completes on the caller's executor.
    template <class Token>
    auto AsyncHandle(Request request, Token&& token) {
        return asio::async_initiate<Token, void(Response)>(
            [this](auto completion, Request request) {
                auto work = asio::make_work_guard(completion);
                asio::post(
                    workers_,
                    [this, request = std::move(request), completion = std::move(completion), work = std::move(work)](
                    ) mutable {
                        Response response = CallHandler(request);
                        asio::post(
                            work.get_executor(),
                            [completion = std::move(completion), response = std::move(response)]() mutable {
                                std::move(completion)(std::move(response));
                            }
                        );
                    }
                );
            },
            token,
            std::move(request)
        );
    }

    asio::awaitable<void> ServeConnection(tcp::socket socket) {
        Session session(std::move(socket));
        session.remote_address = RemoteAddress(session.stream.socket());
        Registration registration(*this, session);
        while (registration.registered() && !stopping_.load()) {
            if (session.buffer.size() == 0) {
                session.idle = true;
                session.stream.expires_after(options_.idle_timeout);
                auto [ec, n] = co_await session.stream.async_read_some(session.buffer.prepare(kHeaderReadSize), kAwait);
                session.idle = false;
                if (ec) break;
                session.buffer.commit(n);
            }
            if (!co_await ServeRequest(session)) break;
        }
        beast::error_code ignored;
        session.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        session.stream.close();
    }

    // Reads one request, runs the handler on the worker pool and writes the response.
    // Returns whether the connection stays open for another request.
    asio::awaitable<bool> ServeRequest(Session& session) {
        std::optional<RequestParser> parser(std::in_place);
        parser->header_limit(kHeaderLimit);
        parser->body_limit(options_.body_limit);
        session.stream.expires_after(options_.read_timeout);
        beast::error_code ec = co_await ReadParsed(session, *parser, /*header_only=*/true);
        if (!ec && !parser->is_done()) {
            if (parser->get().version() >= 11 &&
                EqualsIgnoreCase(View(parser->get()[bhttp::field::expect]), "100-continue")) {
                session.stream.expires_after(options_.write_timeout);
                if (!co_await Write(session, std::string(kContinue), {})) co_return false;
                session.stream.expires_after(options_.read_timeout);
            }
            ec = co_await ReadParsed(session, *parser, /*header_only=*/false);
        }
        if (ec) {
            co_await AnswerReadError(session, ec, parser->is_header_done() ? parser->get().version() : 11);
            co_return false;
        }

        BeastRequest& beast_request = parser->get();
        const unsigned version = beast_request.version();
        const bool head = beast_request.method() == bhttp::verb::head;
        bool keep_alive = beast_request.keep_alive();
        Request request = ToRequest(beast_request, session.remote_address);
        parser.reset();

        Response response = co_await AsyncHandle(std::move(request), asio::use_awaitable);

        keep_alive = keep_alive && !stopping_.load();
        WireResponse wire = ToWire(std::move(response), version, head, keep_alive);
        session.stream.expires_after(options_.write_timeout);
        if (!co_await Write(session, std::move(wire.head), std::move(wire.body))) co_return false;
        if (!keep_alive) {
            co_await Linger(session);
            co_return false;
        }
        co_return true;
    }

    // Feeds the session buffer to the parser, reading more as needed, until the header
    // (header_only) or the whole message is parsed. Returns the parser's or the
    // stream's error; http::error::end_of_stream when the peer closed before sending
    // anything, http::error::partial_message when it closed mid-request.
    asio::awaitable<beast::error_code> ReadParsed(Session& session, RequestParser& parser, bool header_only) {
        for (;;) {
            if (header_only ? parser.is_header_done() : parser.is_done()) co_return beast::error_code{};
            if (session.buffer.size() > 0) {
                beast::error_code ec;
                const std::size_t used = parser.put(session.buffer.data(), ec);
                session.buffer.consume(used);
                if (ec && ec != bhttp::error::need_more) co_return ec;
                if (!ec && used > 0) continue;
            }
            std::size_t want = kHeaderReadSize;
            if (parser.is_header_done()) {
                const auto remaining = parser.content_length_remaining();  // boost::optional
                want = remaining
                           ? static_cast<std::size_t>(std::clamp<uint64_t>(*remaining, kHeaderReadSize, kBodyReadSize))
                           : kBodyReadSize;
            }
            auto [ec, n] = co_await session.stream.async_read_some(session.buffer.prepare(want), kAwait);
            if (ec == asio::error::eof) {
                if (!parser.got_some()) co_return bhttp::error::end_of_stream;
                beast::error_code eof_ec;
                parser.put_eof(eof_ec);
                co_return eof_ec ? eof_ec : beast::error_code(bhttp::error::partial_message);
            }
            if (ec) co_return ec;
            session.buffer.commit(n);
        }
    }

    // Writes head then body. Returns false when the write failed or timed out.
    asio::awaitable<bool> Write(Session& session, std::string head, std::string body) {
        const std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body)};
        auto [ec, n] = co_await asio::async_write(session.stream, buffers, kAwait);
        co_return !ec;
    }

    asio::awaitable<void> AnswerReadError(Session& session, const beast::error_code& ec, unsigned version) {
        int status = 0;
        std::string detail;
        if (ec == bhttp::error::body_limit) {
            status = 413;
            detail = "The request body exceeds the limit of " + std::to_string(options_.body_limit) + " bytes.";
        } else if (ec == bhttp::error::header_limit) {
            status = 431;
            detail = "The request line and header fields exceed " + std::to_string(kHeaderLimit) + " bytes.";
        } else if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
            status = 0;  // the client went away
        } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
            status = 400;
            detail = "The request is not valid HTTP/1.1: " + ec.message() + ".";
        }
        if (status == 0) co_return;
        WireResponse wire = ToWire(ErrorResponse(status, detail), version, false, false);
        session.stream.expires_after(options_.write_timeout);
        if (co_await Write(session, std::move(wire.head), std::move(wire.body))) co_await Linger(session);
    }

    // Half-closes the connection and discards what the client still sends, until it
    // closes its side, kLingerTime passes or Stop() cuts it short.
    asio::awaitable<void> Linger(Session& session) {
        beast::error_code ec;
        session.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        if (ec) co_return;
        session.idle = true;
        session.stream.expires_after(std::min<std::chrono::milliseconds>(options_.read_timeout, kLingerTime));
        std::size_t drained = 0;
        while (drained < kLingerBytes) {
            session.buffer.clear();
            auto [rec, n] = co_await session.stream.async_read_some(session.buffer.prepare(kHeaderReadSize), kAwait);
            if (rec) break;
            drained += n;
        }
        session.buffer.clear();
    }

    // On a worker thread. Turns anything the handler throws into a logged 500.
    Response CallHandler(Request& request) {
        try {
            return handler_(request);
        } catch (const std::exception& e) {
            log::error("http: handler for {} {} threw: {}", MethodName(request.method), request.path, e.what());
        } catch (...) {
            log::error(
                "http: handler for {} {} threw a non-standard exception", MethodName(request.method), request.path
            );
        }
        return ErrorResponse(500, "The server failed to handle the request.");
    }

    Response ErrorResponse(int status, std::string_view detail) const {
        try {
            return options_.error_response(status, detail);
        } catch (const std::exception& e) {
            log::error("http: error_response threw: {}", e.what());
        } catch (...) {
            log::error("http: error_response threw a non-standard exception");
        }
        return DefaultErrorResponse(status, detail);
    }

    static Request ToRequest(BeastRequest& beast_request, const std::string& remote_address) {
        Request request;
        request.method = ToMethod(beast_request.method());
        request.target.assign(View(beast_request.target()));
        SplitTarget(request.target, request);
        std::size_t field_count = 0;
        for (auto it = beast_request.begin(); it != beast_request.end(); ++it) ++field_count;
        request.headers.reserve(field_count);
        for (const auto& field : beast_request) {
            const std::string_view name = View(field.name_string());
            std::string lower(name.size(), '\0');
            std::transform(name.begin(), name.end(), lower.begin(), AsciiLower);
            request.headers.emplace_back(std::move(lower), std::string(View(field.value())));
        }
        request.body = std::move(beast_request.body());
        request.remote_address = remote_address;
        return request;
    }

    // Formats the status line and header fields and hands the body over. The server owns
    // Content-Length, Connection and Transfer-Encoding; for HEAD it announces the length
    // of the body a GET would have had (a Content-Length the handler set, else the size
    // of the body it made) and sends no body.
    WireResponse ToWire(Response response, unsigned version, bool head, bool keep_alive) const {
        if (response.status < 200 || response.status > 599) {
            log::error("http: handler answered with invalid status {}", response.status);
            response = ErrorResponse(500, "The server produced an invalid response.");
        }
        const unsigned status = static_cast<unsigned>(response.status);
        const bhttp::status known = bhttp::int_to_status(status);
        const std::string_view reason = known == bhttp::status::unknown ? "" : View(bhttp::obsolete_reason(known));

        WireResponse wire;
        std::string& out = wire.head;
        out.reserve(128 + response.headers.size() * 48);
        out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
        out += std::to_string(status);
        out += ' ';
        out += reason;
        out += "\r\n";
        std::optional<uint64_t> head_length;
        for (const auto& [name, value] : response.headers) {
            if (EqualsIgnoreCase(name, "content-length")) {
                uint64_t length = 0;
                const auto [end, err] = std::from_chars(value.data(), value.data() + value.size(), length);
                if (head && err == std::errc() && end == value.data() + value.size()) head_length = length;
                continue;
            }
            if (EqualsIgnoreCase(name, "connection") || EqualsIgnoreCase(name, "transfer-encoding") ||
                EqualsIgnoreCase(name, "keep-alive")) {
                continue;
            }
            if (!IsToken(name) || HasLineBreak(value)) {
                log::warn("http: dropped a response header with an invalid name or a line break");
                continue;
            }
            out += name;
            out += ": ";
            out += value;
            out += "\r\n";
        }
        const bool bodyless = status == 204 || status == 304;
        if (!bodyless) {
            const uint64_t length = head ? head_length.value_or(response.body.size()) : response.body.size();
            out += "Content-Length: ";
            out += std::to_string(length);
            out += "\r\n";
            if (!head) wire.body = std::move(response.body);
        }
        if (version >= 11 && !keep_alive) out += "Connection: close\r\n";
        if (version < 11 && keep_alive) out += "Connection: keep-alive\r\n";
        out += "\r\n";
        return wire;
    }

    // Declared first so that they outlive ioc_: coroutine frames destroyed with ioc_
    // unregister their sessions.
    std::mutex sessions_mu_;
    std::unordered_map<uint64_t, Session*> sessions_;  // guarded by sessions_mu_
    uint64_t next_session_id_ = 0;                     // guarded by sessions_mu_
    std::atomic<bool> stopping_{false};
    std::atomic<bool> destroying_{false};

    const ServerOptions options_;
    const std::function<Response(Request&)> handler_;
    bool started_ = false;
    uint16_t port_ = 0;

    std::mutex listen_mu_;
    int listen_fd_ = -1;  // guarded by listen_mu_; the acceptor's descriptor while open

    asio::io_context ioc_;
    asio::strand<asio::io_context::executor_type> control_;
    tcp::acceptor acceptor_;                   // on control_
    asio::steady_timer grace_timer_;           // on control_
    std::optional<asio::signal_set> signals_;  // on control_
    // Declared last: destroyed (joined) first, while ioc_ still exists.
    asio::thread_pool workers_;
};

Server::Server(ServerOptions options, std::function<Response(Request&)> handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

Status Server::Start() {
    return impl_->Start();
}

uint16_t Server::port() const {
    return impl_->port_;
}

void Server::StopOnSignals() {
    impl_->StopOnSignals();
}

void Server::Run() {
    impl_->Run();
}

void Server::Stop() {
    impl_->Stop();
}

}  // namespace mortar::http
