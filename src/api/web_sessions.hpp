// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "api/service.hpp"
#include "http/router.hpp"

// The web session routes (SPEC ACL-4), type "web-sessions":
//   POST   /api/web_sessions          email + password -> 201 and the session cookie
//   GET    /api/web_sessions/current  the signed-in session (with its csrf-token), or 401
//   PATCH  /api/web_sessions/current  change the password (ends the user's other sessions)
//   DELETE /api/web_sessions/current  log out: 204, the cookie is cleared
namespace mortar::api {

void RegisterWebSessions(Service& service, http::Router& router);

}  // namespace mortar::api
