// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <functional>

#include "api/service.hpp"
#include "http/router.hpp"

// The sync engine's API (Mortar extensions, API.md section 5), in the JSON:API envelope
// under /api with names IT Glue does not use:
//   /api/integrations                      CRUD; credentials are write-only
//   PATCH /api/integrations/{id}/pause|resume
//   POST /api/integrations/{id}/sync        "Start manual sync" (a full run), 202
//   /api/sync_runs, /api/integrations/{id}/relationships/sync_runs
//   /api/sync_run_errors, /api/sync_runs/{id}/relationships/sync_run_errors
//   /api/sync_jobs[/{id}]                  queued, running and finished jobs (read-only)
//   /api/manage_data_items[/{id}]           counts per integration x data type x state
//   POST /api/manage_data_items/{id}/disconnect|reconnect|delete_orphaned
//   /api/manage_data_records[/{id}]         linked records; filter by integration, type, state
//   PATCH /api/manage_data_records/{id}/disable|enable|reconnect
namespace mortar::sync {

// `on_enqueue` is called after a manual sync was queued (wakes this process's runner).
void RegisterRoutes(api::Service& service, http::Router& router, std::function<void()> on_enqueue);

}  // namespace mortar::sync
