// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "api/service.hpp"
#include "http/router.hpp"

namespace mortar::domains {

// Registers the routes of every documentation resource (API.md section 3) on the router.
void RegisterAll(api::Service& service, http::Router& router);

}  // namespace mortar::domains
