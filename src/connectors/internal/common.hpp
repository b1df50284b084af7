// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

// Shared by the vendor files of this module only: simdjson helpers and the base of
// every connector.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <simdjson.h>

#include "connectors/connector.hpp"
#include "net/paginator.hpp"

namespace mortar::connectors::internal {

namespace od = simdjson::ondemand;

// A value as text: strings unescaped, numbers and booleans as written, null and
// objects or arrays as nullopt (the latter skipped).
std::optional<std::string> Scalar(od::value v);
// Booleans, 0/1 integers and "true"/"false" strings; nullopt otherwise.
std::optional<bool> Bool(od::value v);

// Parses a page body in place (responses carry simdjson's padding) and calls `fn` with
// the document. simdjson errors become kInternal naming `what`.
Status ParseBody(
    od::parser& parser, std::string& body, std::string_view what, const std::function<Status(od::document&)>& fn
);

// A timestamp as milliseconds, accepting a missing zone as UTC; 0 when unparsable.
int64_t Millis(std::string_view text);

// Adds a field when the value is present and not empty.
void Put(ExternalRecord& r, std::string name, std::optional<std::string> value);

// Holds the transport and the per-fetch de-duplication shared by all vendors.
class ConnectorBase : public Connector {
public:
    net::TransportStats stats() const override { return transport_->stats(); }

protected:
    ConnectorBase(
        ConnectorEnv env,
        std::shared_ptr<net::AuthStrategy> auth,
        std::function<bool(const net::HttpResponse&)> permanent = {}
    );

    const Clock& clock() const { return *clock_; }
    net::Transport& transport() { return *transport_; }

    // Delivers the records of one page: finishes them, drops ids already delivered in
    // this fetch and records the page. `seen` belongs to the caller's fetch.
    Status Deliver(std::vector<ExternalRecord>& page, std::unordered_set<std::string>& seen, const BatchFn& on_batch);

    od::parser parser_;

private:
    std::unique_ptr<net::HttpClient> owned_client_;
    const Clock* clock_;
    std::unique_ptr<net::Transport> transport_;
};

}  // namespace mortar::connectors::internal
