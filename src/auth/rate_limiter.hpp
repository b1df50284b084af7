// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "core/clock.hpp"

namespace mortar::auth {

// A fixed-window request counter per account, like IT Glue's 3000 requests per
// 5 minutes. The count is per process (several processes behind a load balancer
// each allow the limit; documented in ARCHITECTURE.md).
// Thread safety: thread-safe.
class RateLimiter {
public:
    // limit 0 disables limiting.
    RateLimiter(int64_t limit, int64_t window_seconds, const Clock& clock);

    // Counts one request. Returns 0 when it is allowed, otherwise the number of whole
    // seconds (at least 1) until the window resets, for Retry-After.
    int64_t Acquire(int64_t account_id);

private:
    struct Window {
        int64_t start_ms = 0;
        int64_t count = 0;
    };
    const int64_t limit_;
    const int64_t window_ms_;
    const Clock& clock_;
    std::mutex mu_;
    std::unordered_map<int64_t, Window> windows_;  // GUARDED_BY(mu_)
};

}  // namespace mortar::auth
