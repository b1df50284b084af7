// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace mortar::match {

// Reads one CSV record (RFC 4180: fields in double quotes may hold commas, line breaks and ""
// for a quote; CRLF or LF line ends). Returns false at the end of input; a record with an
// unterminated quote is an error.
Result<bool> ReadCsvRecord(std::istream& in, std::vector<std::string>& fields);
// A field quoted when it needs to be.
std::string CsvField(std::string_view value);

// `mortar match pairs`: reads `name1,name2` records and writes `name1,name2,score,decision`, the
// decision being the engine's for name1 against an organization set holding only name2. A first
// record `name1,name2` is taken as a header and echoed with the two new columns. Output is written
// only when the whole input is well-formed.
Status RunPairs(std::istream& in, std::ostream& out);

}  // namespace mortar::match
