// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace mortar::json {

class Value;

// A streaming JSON writer (RapidJSON underneath) appending to a string. The caller
// is responsible for balanced Begin/End calls; Key must precede each object member.
// It is the hot path of list responses, so it avoids allocation per value.
// Thread safety: confined to one thread.
class Writer {
public:
    Writer();
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    void BeginObject();
    void EndObject();
    void BeginArray();
    void EndArray();
    void Key(std::string_view k);
    void String(std::string_view s);
    void Int(int64_t i);
    void Double(double d);
    void Bool(bool b);
    void Null();
    // Writes an owned Value.
    void WriteValue(const Value& v);
    // Inserts already-serialised JSON verbatim (must be one valid value).
    void Raw(std::string_view json);

    // The text written so far.
    const std::string& str() const;
    std::string Take();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mortar::json
