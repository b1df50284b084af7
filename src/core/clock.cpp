// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/clock.hpp"

#include <chrono>
#include <cstdio>

namespace mortar {

namespace {

constexpr int64_t kMillisPerSecond = 1000;
constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kMillisPerDay = kSecondsPerDay * kMillisPerSecond;

class RealClock final : public Clock {
public:
    int64_t NowMillis() const override {
        using std::chrono::duration_cast;
        using std::chrono::milliseconds;
        using std::chrono::system_clock;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }
};

// Floor division, so that times before the epoch land on the right day.
int64_t FloorDiv(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2 ? 1 : 0;
    const int64_t era = FloorDiv(y, 400);
    const int64_t yoe = y - era * 400;                                   // [0, 399]
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  // [0, 365]
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
    return era * 146097 + doe - 719468;
}

// The inverse of DaysFromCivil.
void CivilFromDays(int64_t z, int64_t& y, int64_t& m, int64_t& d) {
    z += 719468;
    const int64_t era = FloorDiv(z, 146097);
    const int64_t doe = z - era * 146097;                                       // [0, 146096]
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
    const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = yoe + era * 400 + (m <= 2 ? 1 : 0);
}

bool IsLeapYear(int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t DaysInMonth(int64_t y, int64_t m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

bool IsDigit(char c) {
    return c >= '0' && c <= '9';
}

// Reads exactly `n` ASCII digits at text[pos]; advances pos. False when they are not all digits.
bool ReadDigits(std::string_view text, std::size_t& pos, int n, int64_t& out) {
    if (text.size() - pos < static_cast<std::size_t>(n)) return false;
    int64_t v = 0;
    for (int i = 0; i < n; ++i) {
        char c = text[pos + i];
        if (!IsDigit(c)) return false;
        v = v * 10 + (c - '0');
    }
    pos += n;
    out = v;
    return true;
}

bool Expect(std::string_view text, std::size_t& pos, char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
}

// Parses "YYYY-MM-DD" at the start of text into days since the epoch; pos ends after it.
bool ParseDatePart(std::string_view text, std::size_t& pos, int64_t& days) {
    int64_t y = 0, m = 0, d = 0;
    if (!ReadDigits(text, pos, 4, y) || !Expect(text, pos, '-') || !ReadDigits(text, pos, 2, m) ||
        !Expect(text, pos, '-') || !ReadDigits(text, pos, 2, d)) {
        return false;
    }
    // Year 0000 is refused: PostgreSQL has no year zero.
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return false;
    days = DaysFromCivil(y, m, d);
    return true;
}

}  // namespace

const Clock& Clock::Real() {
    static const RealClock kReal;
    return kReal;
}

std::string FormatTimestamp(int64_t epoch_millis) {
    const int64_t days = FloorDiv(epoch_millis, kMillisPerDay);
    // Not epoch_millis - days * kMillisPerDay, which overflows near INT64_MIN.
    int64_t ms_of_day = epoch_millis % kMillisPerDay;
    if (ms_of_day < 0) ms_of_day += kMillisPerDay;
    int64_t y = 0, m = 0, d = 0;
    CivilFromDays(days, y, m, d);
    const int64_t ms = ms_of_day % 1000;
    const int64_t s_of_day = ms_of_day / 1000;
    char buf[64];
    // snprintf with integer conversions only is locale-independent.
    int n = std::snprintf(
        buf,
        sizeof buf,
        "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
        static_cast<long long>(y),
        static_cast<long long>(m),
        static_cast<long long>(d),
        static_cast<long long>(s_of_day / 3600),
        static_cast<long long>(s_of_day / 60 % 60),
        static_cast<long long>(s_of_day % 60),
        static_cast<long long>(ms)
    );
    return std::string(buf, static_cast<std::size_t>(n));
}

Result<int64_t> ParseTimestamp(std::string_view text) {
    auto invalid = [&] {
        return Status::InvalidArgument("invalid timestamp: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM)");
    };
    std::size_t pos = 0;
    int64_t days = 0;
    if (!ParseDatePart(text, pos, days)) return invalid();
    if (pos == text.size()) return days * kMillisPerDay;

    // RFC 3339 allows 't' and (in its note) a space for 'T'.
    const char sep = text[pos];
    if (sep != 'T' && sep != 't' && sep != ' ') return invalid();
    ++pos;
    int64_t hh = 0, mm = 0, ss = 0;
    if (!ReadDigits(text, pos, 2, hh) || !Expect(text, pos, ':') || !ReadDigits(text, pos, 2, mm) ||
        !Expect(text, pos, ':') || !ReadDigits(text, pos, 2, ss)) {
        return invalid();
    }
    // A leap second (:60) is accepted and, as in POSIX time, counts as the next second.
    if (hh > 23 || mm > 59 || ss > 60) return invalid();
    int64_t millis = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && IsDigit(text[pos])) {
            // Digits beyond milliseconds are truncated.
            if (digits < 3) millis = millis * 10 + (text[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0) return invalid();
        for (int i = digits; i < 3; ++i) millis *= 10;
    }
    if (pos >= text.size()) return invalid();  // a zone is required
    int64_t offset_minutes = 0;
    const char zone = text[pos++];
    if (zone == 'Z' || zone == 'z') {
        // UTC
    } else if (zone == '+' || zone == '-') {
        int64_t oh = 0, om = 0;
        if (!ReadDigits(text, pos, 2, oh) || !Expect(text, pos, ':') || !ReadDigits(text, pos, 2, om)) {
            return invalid();
        }
        if (oh > 23 || om > 59) return invalid();
        offset_minutes = (oh * 60 + om) * (zone == '+' ? 1 : -1);
    } else {
        return invalid();
    }
    if (pos != text.size()) return invalid();
    const int64_t seconds = days * kSecondsPerDay + hh * 3600 + mm * 60 + ss - offset_minutes * 60;
    return seconds * kMillisPerSecond + millis;
}

Status ValidateDate(std::string_view text) {
    std::size_t pos = 0;
    int64_t days = 0;
    if (!ParseDatePart(text, pos, days) || pos != text.size()) {
        return Status::InvalidArgument("invalid date: expected a calendar date as YYYY-MM-DD");
    }
    return Status::Ok();
}

}  // namespace mortar
