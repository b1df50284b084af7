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
// "2024-05-02T14:03:11.000Z". Times before the epoch work; years outside 0000-9999 are
// printed with more digits or a '-' sign, which RFC 3339 cannot express.
std::string FormatTimestamp(int64_t epoch_millis);

// Parses "YYYY-MM-DD" (midnight UTC), "YYYY-MM-DDTHH:MM:SS[.fff]Z" or the same with a
// "+HH:MM"/"-HH:MM" offset into milliseconds since the epoch. As RFC 3339 allows, 't' or a
// space may stand for 'T' and 'z' for 'Z'; the fraction may have any number of digits
// (cut to milliseconds); a leap second ":60" counts as the next second. The date must
// be a real calendar date from year 0001. Returns kInvalidArgument for anything else,
// including a time without a zone.
Result<int64_t> ParseTimestamp(std::string_view text);

// Checks a date-only value "YYYY-MM-DD" (a real calendar date, leap years included, year
// 0001-9999). Returns kInvalidArgument otherwise.
Status ValidateDate(std::string_view text);

}  // namespace mortar
