// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace mortar::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 8080;  // 0: pick a free port (see Server::port())
    int io_threads = 1;
    int worker_threads = 4;  // handlers run here: they may block on the store
    std::size_t body_limit = 8 * 1024 * 1024;
    std::chrono::milliseconds read_timeout{30000};    // for one whole request once its first byte arrived
    std::chrono::milliseconds write_timeout{30000};   // for one whole response
    std::chrono::milliseconds idle_timeout{60000};    // keep-alive wait for the next request
    std::chrono::milliseconds shutdown_grace{30000};  // in-flight requests get this long on Stop()
    // Builds the errors the server itself answers (400 unparsable request, 413 body
    // too large, 431 header too large, 500 handler threw). Default: a JSON:API errors
    // body, {"errors":[{"status":413,"title":"Payload Too Large","detail":"..."}]}.
    // Called on IO and worker threads; must be thread-safe.
    std::function<Response(int status, std::string_view detail)> error_response;
};

// An HTTP/1.1 server (Boost.Beast + Asio with C++20 coroutines underneath; no Boost
// type leaks here). IO threads read and write; every request is handed to the worker
// pool, where `handler` runs and may block. Keep-alive (HTTP/1.0 too, when asked),
// pipelined requests answered in order, a body-size limit (413), read/write/idle
// timeouts. An exception escaping `handler` is logged and answered with a 500.
// The server owns Content-Length, Connection and Transfer-Encoding; for HEAD it sends
// the handler's Content-Length header if there is one (see Router::Dispatch), else the
// body's size, and never a body. 204 and 304 go out without a body or length.
// Stop() is graceful: it stops accepting, lets in-flight requests finish (up to
// shutdown_grace) and closes idle connections.
// Thread safety: Start/StopOnSignals/Run from one thread; Stop() may be called from
// any thread, any number of times, and runs on SIGTERM/SIGINT after StopOnSignals().
class Server {
public:
    Server(ServerOptions options, std::function<Response(Request&)> handler);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds (with SO_REUSEADDR) and listens; serving starts with Run(). Returns
    // kUnavailable, naming the address and the reason, when the host cannot be resolved
    // or the address cannot be bound. Call at most once successfully.
    Status Start();
    // The bound port (after Start()); the chosen one when options.port was 0.
    uint16_t port() const;
    // Also stop gracefully on SIGTERM and SIGINT. Call after Start() and before Run().
    void StopOnSignals();
    // Serves on options.io_threads threads (this one included) until Stop(). Returns
    // once every connection is closed and no handler is running; a handler still
    // running after shutdown_grace (its connection is closed then) delays the return
    // until it finishes. Returns at once if Start() did not succeed. Call once.
    void Run();
    // Refuses new connections at once, closes idle keep-alive connections, and lets a
    // request being read or handled finish and be answered with "Connection: close";
    // pipelined requests behind it are not served. After shutdown_grace the remaining
    // connections are closed. Never blocks.
    void Stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mortar::http
