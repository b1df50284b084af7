// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace mortar::json {

class Value;

// A streaming JSON writer appending compact JSON to a string it owns. It is the hot path
// of list responses, so it is hand-written (about twice as fast as RapidJSON's Writer,
// see json_writer.cpp) and allocates only when its buffer doubles.
//
// Misuse is a bug and throws LogicError through MORTAR_CHECK: unbalanced Begin/End, a
// value in an object without a Key before it, a Key outside an object, or a second
// top-level value.
//
// Output rules: strings and keys are escaped as JSON requires ('"', '\\', and control
// characters as \b \f \n \r \t or \u00XX; '/' and non-ASCII are written as is).
// Ill-formed UTF-8 in a string or key is replaced by U+FFFD per maximal ill-formed
// subsequence, so the output is always valid UTF-8 JSON. Doubles are written in the
// shortest form that reads back as the same double, with ".0" added when that form has
// no '.' or exponent (1.0 -> "1.0"); NaN and infinities are written as null.
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
    // Inserts already-serialised JSON verbatim. It must be exactly one valid JSON value;
    // this is not checked (only that it is not empty).
    void Raw(std::string_view json);
    // Makes room for `bytes` more bytes of output, so that a caller who knows the rough
    // size of a document (a list page) avoids the buffer's doublings. Only a hint.
    void Reserve(std::size_t bytes);

    // The text written so far. Meant for the end of writing and tests: the next write
    // after it pays to re-grow the buffer.
    const std::string& str() const;
    // Moves the text out and resets the writer to its initial, empty state.
    std::string Take();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mortar::json
