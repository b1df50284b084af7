// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace mortar {

// A Clock tells the time; tests substitute a FakeClock.
// Thread safety: implementations are thread-safe.
class Clock {
public:
    virtual ~Clock() = default;
    // Milliseconds since the Unix epoch, UTC.
    virtual int64_t NowMillis() const = 0;
    // The process-wide real clock.
    static const Clock& Real();
};

// Formats milliseconds since the epoch as RFC 3339 UTC with milliseconds:
// "2024-05-02T14:03:11.000Z".
std::string FormatTimestamp(int64_t epoch_millis);

// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.fff]Z" or with a "+HH:MM" offset into
// milliseconds since the epoch. Returns kInvalidArgument for anything else.
Result<int64_t> ParseTimestamp(std::string_view text);

// Checks a date-only value "YYYY-MM-DD" (a real calendar date). Returns kInvalidArgument otherwise.
Status ValidateDate(std::string_view text);

}  // namespace mortar
