// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <spdlog/spdlog.h>

// Logging goes through spdlog's default logger, configured once by app/main.cpp
// (human-readable or JSON lines on stderr). Never log request bodies, secrets or keys.
namespace mortar::log {
using spdlog::debug;
using spdlog::error;
using spdlog::info;
using spdlog::warn;
}  // namespace mortar::log
