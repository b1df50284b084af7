// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "connectors/connector.hpp"
#include "core/clock.hpp"
#include "core/status.hpp"
#include "db/database.hpp"
#include "sync/apply.hpp"

namespace mortar::vault {
class Vault;
}

// One sync run of an integration (DESIGN "Integration model"): fetch every kind from the
// PSA (companies, then sites, contacts and configuration items, streamed in batches) ->
// plan -> apply in transactions -> record the run. Watermarks advance only after the
// kind's records are committed; only a complete full listing orphans (SPEC SYNC-9, 10).
namespace mortar::sync {

// Makes the connector of an integration from its kind and its connection settings
// merged with its opened credentials (connectors::MakeConnector in production).
using ConnectorFactory = std::function<Result<std::unique_ptr<connectors::Connector>>(
    std::string_view kind, const std::map<std::string, std::string>& settings
)>;

struct RunOptions {
    int64_t account_id = 0;
    int64_t integration_id = 0;
    bool full = true;
    std::string trigger = "manual";  // "manual" or "schedule"
    int64_t job_id = 0;
    std::string worker;  // the job runner's id, recorded on the run
    // Checked between batches: set, the run stops (outcome error, "interrupted").
    const std::atomic<bool>* stop = nullptr;
    // Called between batches (the job runner extends its lease).
    std::function<void()> heartbeat;
};

struct RunSummary {
    int64_t run_id = 0;
    std::string outcome;  // ok, error, credentials_invalid, needs_confirmation
    std::string detail;
    Counts counts;
    int64_t api_calls = 0;
};

// The vault context of an integration's credentials.
std::string CredentialsContext(int64_t account_id, int64_t integration_id);

// Thread safety: Run may be called concurrently for different integrations.
class Engine {
public:
    Engine(db::Database& db, const vault::Vault* vault, const Clock& clock, ConnectorFactory factory);
    // Runs one sync of the integration. A non-OK Status means the run could not be
    // recorded at all (store down); every other failure is the run's outcome.
    Result<RunSummary> Run(const RunOptions& options);

private:
    db::Database& db_;
    const vault::Vault* vault_;
    const Clock& clock_;
    ConnectorFactory factory_;
};

}  // namespace mortar::sync
