// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/status.hpp"

namespace mortar::db::internal {

// A bounded pool of connections of type Conn, opened lazily by a factory. Acquire()
// hands out a Lease that returns the connection when destroyed, or drops it when the
// holder marked it broken. The pool is shared by the Database and every live Lease,
// so a Lease that outlives its Database stays valid.
// Thread safety: thread-safe.
template <class Conn>
class ConnectionPool : public std::enable_shared_from_this<ConnectionPool<Conn>> {
public:
    using Factory = std::function<Result<std::unique_ptr<Conn>>()>;

    // Exclusive use of one connection until destroyed.
    // Thread safety: confined to one thread.
    class Lease {
    public:
        Lease() = default;
        Lease(std::shared_ptr<ConnectionPool> pool, std::unique_ptr<Conn> conn)
            : pool_(std::move(pool)), conn_(std::move(conn)) {}
        Lease(Lease&&) noexcept = default;
        Lease& operator=(Lease&& other) noexcept {
            if (this != &other) {
                Return();
                pool_ = std::move(other.pool_);
                conn_ = std::move(other.conn_);
                broken_ = other.broken_;
            }
            return *this;
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() { Return(); }

        Conn* get() const { return conn_.get(); }
        Conn* operator->() const { return conn_.get(); }
        Conn& operator*() const { return *conn_; }
        explicit operator bool() const { return conn_ != nullptr; }
        // The connection is closed instead of returned to the pool.
        void MarkBroken() { broken_ = true; }

    private:
        void Return() {
            if (conn_) pool_->Release(std::move(conn_), !broken_);
            pool_.reset();
            broken_ = false;
        }
        std::shared_ptr<ConnectionPool> pool_;
        std::unique_ptr<Conn> conn_;
        bool broken_ = false;
    };

    static std::shared_ptr<ConnectionPool> Create(int capacity, Factory factory) {
        return std::shared_ptr<ConnectionPool>(new ConnectionPool(capacity, std::move(factory)));
    }

    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // Puts an already opened connection into the pool (counts against the capacity).
    void Adopt(std::unique_ptr<Conn> conn) {
        std::lock_guard lock(mu_);
        ++open_;
        idle_.push_back(std::move(conn));
        cv_.notify_one();
    }

    // Returns an idle connection, opens a new one while below capacity, or waits for one
    // to be returned until `deadline`. Returns kUnavailable on timeout and the factory's
    // Status when opening fails. Blocks on the pool and on the factory.
    Result<Lease> Acquire(std::chrono::steady_clock::time_point deadline) {
        std::unique_lock lock(mu_);
        while (true) {
            if (!idle_.empty()) {
                std::unique_ptr<Conn> conn = std::move(idle_.back());
                idle_.pop_back();
                return Lease(this->shared_from_this(), std::move(conn));
            }
            if (open_ < capacity_) {
                ++open_;
                lock.unlock();
                Result<std::unique_ptr<Conn>> conn = factory_();
                if (!conn.ok()) {
                    lock.lock();
                    --open_;
                    cv_.notify_one();
                    return conn.status();
                }
                return Lease(this->shared_from_this(), std::move(conn).value());
            }
            if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= capacity_) {
                return Status::Unavailable(
                    "no free database connection (all " + std::to_string(capacity_) + " in use)"
                );
            }
        }
    }

    int capacity() const { return capacity_; }

private:
    ConnectionPool(int capacity, Factory factory) : capacity_(capacity), factory_(std::move(factory)) {}

    void Release(std::unique_ptr<Conn> conn, bool reusable) {
        std::unique_ptr<Conn> doomed;  // closed outside the lock
        {
            std::lock_guard lock(mu_);
            if (reusable) {
                idle_.push_back(std::move(conn));
            } else {
                doomed = std::move(conn);
                --open_;
            }
        }
        cv_.notify_one();
    }

    const int capacity_;
    const Factory factory_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Conn>> idle_;  // guarded by mu_
    int open_ = 0;                             // guarded by mu_: idle plus leased
};

}  // namespace mortar::db::internal
