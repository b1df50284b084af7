// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/rate_limiter.hpp"

namespace mortar::auth {

RateLimiter::RateLimiter(int64_t limit, int64_t window_seconds, const Clock& clock)
    : limit_(limit), window_ms_(window_seconds * 1000), clock_(clock) {}

int64_t RateLimiter::Acquire(int64_t account_id) {
    if (limit_ <= 0 || window_ms_ <= 0) return 0;
    const int64_t now = clock_.NowMillis();
    std::lock_guard lock(mu_);
    Window& w = windows_[account_id];
    if (now - w.start_ms >= window_ms_) {
        w.start_ms = now;
        w.count = 0;
    }
    if (w.count < limit_) {
        ++w.count;
        return 0;
    }
    const int64_t remaining_ms = w.start_ms + window_ms_ - now;
    return remaining_ms <= 0 ? 1 : (remaining_ms + 999) / 1000;
}

}  // namespace mortar::auth
