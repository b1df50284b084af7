// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>

#include "core/status.hpp"
#include "db/database.hpp"
#include "sim/simulator.hpp"

// `mortar demo`: a Mortar with every screen full of realistic data. An Autotask and a
// UniView simulator run in this process on loopback with the demo data profile
// (sim/profile.hpp); the server is the normal `mortar serve`, and once it listens the
// demo sets itself up through the public API with a setup key it revokes afterwards:
// the administrator, the two integrations pointed at the simulators, their first syncs
// through the job queue, interfaces on the synced configurations and documentation of
// every kind. Everything is found by name first, so a second start on the same data
// directory adds nothing.
namespace mortar::demo {

// The administrator the demo signs in as.
inline constexpr const char* kAdminEmail = "admin@demo-msp.example";
inline constexpr const char* kAdminName = "Alex Admin";
// The line printed once the demo is ready (for scripts and tests to wait for).
inline constexpr const char* kReadyLine = "mortar demo: ready";

// The two simulators, started on 127.0.0.1 with ephemeral ports.
// Thread safety: thread-safe once started.
struct Simulators {
    std::unique_ptr<sim::Simulator> autotask;
    std::unique_ptr<sim::Simulator> uniview;

    static Result<Simulators> Start();
    // Stops both (idempotent).
    void Stop();
};

// --fresh: removes the demo's store and master key from `data_dir` (nothing else).
Status RemoveStore(const std::string& data_dir);

// A password for the administrator: 20 letters and digits from the system's random source.
std::string GeneratePassword();

struct SetupOptions {
    std::string base_url;                         // the running server, "http://127.0.0.1:PORT"
    std::string password;                         // the administrator's password (set on every start)
    bool print_password = true;                   // false when the user chose it: it is not echoed
    const std::atomic<bool>* stopping = nullptr;  // true once the server stops: give up
    std::FILE* out = stdout;                      // where the URL, login and ready line go
};

// Sets the demo up in the server's store (idempotent) and prints the URL, the login and
// kReadyLine. Blocks until the first syncs have finished.
Status Setup(db::Database& db, Simulators& sims, const SetupOptions& options);

}  // namespace mortar::demo
