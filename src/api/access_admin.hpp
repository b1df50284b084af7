// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "api/service.hpp"
#include "http/router.hpp"

// The administration API of users, groups and API keys (administrators only):
//   /api/mortar_users   (type mortar-users)   list, show, create, update, delete
//   /api/mortar_groups  (type mortar-groups)  list, show, create, update, delete
//   /api/api_keys       (type api-keys)       list, show, create (the key shown once), delete (revoke)
// and the web session routes (api/web_sessions.hpp). Users and groups run on the
// resource engine, so they get its filters, paging and activity log.
namespace mortar::api {

void RegisterAccessAdministration(Service& service, http::Router& router);

}  // namespace mortar::api
