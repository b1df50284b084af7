// SPDX-License-Identifier: AGPL-3.0-or-later
#include "match/pairs.hpp"

#include <cstdio>

#include "match/name_index.hpp"

namespace mortar::match {

Result<bool> ReadCsvRecord(std::istream& in, std::vector<std::string>& fields) {
    fields.clear();
    int c = in.get();
    if (c == EOF) return false;
    std::string field;
    bool quoted = false;
    bool was_quoted = false;
    for (;; c = in.get()) {
        if (quoted) {
            if (c == EOF) return Status::InvalidArgument("unterminated quoted field");
            if (c == '"') {
                if (in.peek() == '"') {
                    in.get();
                    field += '"';
                } else {
                    quoted = false;
                }
            } else {
                field += static_cast<char>(c);
            }
            continue;
        }
        if (c == EOF || c == '\n') break;
        if (c == '\r') {
            if (in.peek() == '\n') in.get();
            break;
        }
        if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
            was_quoted = false;
        } else if (c == '"' && field.empty() && !was_quoted) {
            quoted = true;
            was_quoted = true;
        } else {
            field += static_cast<char>(c);
        }
    }
    fields.push_back(std::move(field));
    return true;
}

std::string CsvField(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

Status RunPairs(std::istream& in, std::ostream& out) {
    std::string buffer;
    std::vector<std::string> fields;
    for (int record = 1;; ++record) {
        auto more = ReadCsvRecord(in, fields);
        if (!more) return Status::InvalidArgument("record " + std::to_string(record) + ": " + more.status().message());
        if (!*more) break;
        if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
        if (fields.size() != 2) {
            return Status::InvalidArgument(
                "record " + std::to_string(record) + ": expected 2 fields (name1,name2), got " +
                std::to_string(fields.size())
            );
        }
        if (record == 1 && fields[0] == "name1" && fields[1] == "name2") {
            buffer += "name1,name2,score,decision\n";
            continue;
        }
        NameIndex index({Record{1, fields[1]}});
        const MatchResult r = index.Match(fields[0]);
        char score[16];
        std::snprintf(score, sizeof score, "%.3f", r.score);
        buffer += CsvField(fields[0]) + "," + CsvField(fields[1]) + "," + score + "," +
                  std::string(DecisionName(r.decision)) + "\n";
    }
    out << buffer;
    out.flush();
    return Status::Ok();
}

}  // namespace mortar::match
