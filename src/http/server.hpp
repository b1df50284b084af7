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
    // Builds the body of errors the server itself answers (400 unparsable request,
    // 413 body too large, 503 shutting down). Default: a JSON:API errors body.
    std::function<Response(int status, std::string_view detail)> error_response;
};

// An HTTP/1.1 server (Boost.Beast + Asio with C++20 coroutines underneath; no Boost
// type leaks here). IO threads read and write; every request is handed to the worker
// pool, where `handler` runs and may block. Keep-alive, a body-size limit (413),
// read/write/idle timeouts. Stop() is graceful: it stops accepting, lets in-flight
// requests finish (up to shutdown_grace) and closes idle connections.
// Thread safety: Start/Run from one thread; Stop() may be called from any thread
// and from a signal-handling context via RequestStopOnSignals().
class Server {
public:
    Server(ServerOptions options, std::function<Response(Request&)> handler);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and listens. Returns kUnavailable when the address cannot be bound.
    Status Start();
    // The bound port (after Start()).
    uint16_t port() const;
    // Also stop gracefully on SIGTERM and SIGINT.
    void StopOnSignals();
    // Serves until Stop(); returns once in-flight requests have finished.
    void Run();
    void Stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mortar::http
