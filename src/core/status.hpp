// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace mortar {

// The portable error codes of Mortar. Each maps to exactly one HTTP status in
// http::StatusFromCode (400, 401, 403, 404, 409, 415, 422, 429, 503, 504, 500).
enum class Code {
    kOk,
    kInvalidArgument,    // malformed input: 400
    kUnauthenticated,    // no or unknown credentials: 401
    kPermissionDenied,   // valid credentials lacking a permission: 403
    kNotFound,           // unknown record or route: 404
    kConflict,           // a state conflict the caller can resolve: 409
    kUnsupportedMedia,   // body media type not accepted: 415
    kUnprocessable,      // validation failure on well-formed input: 422
    kResourceExhausted,  // rate limit: 429
    kUnavailable,        // database busy, pool exhausted, upstream down: 503
    kDeadlineExceeded,   // timeout: 504
    kInternal,           // a bug or an unexpected fault: 500
};

// A Status is the outcome of an operation that can fail for reasons outside the
// program: bad input, a missing row, a busy database. It carries a code, a message
// fit to show a user (never a secret), and for validation failures the JSON pointer
// of the offending input ("/data/attributes/name").
// Thread safety: thread-compatible.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Code code, std::string message, std::string pointer = {})
        : code_(code), message_(std::move(message)), pointer_(std::move(pointer)) {}

    static Status Ok() { return {}; }
    static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
    static Status Unauthenticated(std::string m) { return {Code::kUnauthenticated, std::move(m)}; }
    static Status PermissionDenied(std::string m) { return {Code::kPermissionDenied, std::move(m)}; }
    static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
    static Status Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
    static Status Unprocessable(std::string m, std::string pointer = {}) {
        return {Code::kUnprocessable, std::move(m), std::move(pointer)};
    }
    static Status ResourceExhausted(std::string m) { return {Code::kResourceExhausted, std::move(m)}; }
    static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
    static Status DeadlineExceeded(std::string m) { return {Code::kDeadlineExceeded, std::move(m)}; }
    static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

    bool ok() const { return code_ == Code::kOk; }
    Code code() const { return code_; }
    const std::string& message() const { return message_; }
    const std::string& pointer() const { return pointer_; }

private:
    Code code_ = Code::kOk;
    std::string message_;
    std::string pointer_;
};

// A Result<T> holds a T or a non-OK Status.
// Thread safety: thread-compatible.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
    Result(Status status) : v_(std::move(status)) {}  // NOLINT: implicit by design

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    const Status& status() const {
        static const Status kOkStatus;
        return ok() ? kOkStatus : std::get<1>(v_);
    }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, Status> v_;
};

// Thrown by MORTAR_CHECK on a broken invariant: a bug, not a runtime condition.
// Only request and job boundaries catch it.
class LogicError : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

}  // namespace mortar

#define MORTAR_CHECK(cond, why)                                                                              \
    do {                                                                                                     \
        if (!(cond))                                                                                         \
            throw ::mortar::LogicError(                                                                      \
                std::string(__FILE__ ":") + std::to_string(__LINE__) + ": check failed: " #cond ": " + (why) \
            );                                                                                               \
    } while (0)

// Returns early with the Status of a failed Status or Result expression.
#define MORTAR_RETURN_IF_ERROR(expr)                                                   \
    do {                                                                               \
        auto&& mortar_status_ = (expr);                                                \
        if (!mortar_status_.ok()) return ::mortar::internal::ToStatus(mortar_status_); \
    } while (0)

namespace mortar::internal {
inline const Status& ToStatus(const Status& s) {
    return s;
}
template <class T>
const Status& ToStatus(const Result<T>& r) {
    return r.status();
}
}  // namespace mortar::internal
