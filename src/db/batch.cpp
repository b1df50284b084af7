// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/batch.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace mortar::db {

std::size_t MaxBatchRows(Dialect dialect) {
    return dialect == Dialect::kPostgres ? 1024 : 32;
}

std::vector<std::size_t> BatchSizes(std::size_t rows, std::size_t params_per_row, std::size_t max_rows) {
    std::size_t cap =
        std::max<std::size_t>(1, std::min(max_rows, kMaxBatchParams / std::max<std::size_t>(1, params_per_row)));
    std::size_t largest = 1;
    while (largest * 2 <= cap) largest *= 2;
    std::vector<std::size_t> sizes;
    for (std::size_t size = largest; rows > 0; size /= 2) {
        while (rows >= size) {
            sizes.push_back(size);
            rows -= size;
        }
    }
    return sizes;
}

std::string ValuesPlaceholders(std::size_t rows, std::size_t width, std::size_t first) {
    // Writers ask for the same few shapes again and again (a power of two of rows, a
    // table's width): each thread keeps the texts it built.
    thread_local std::map<std::tuple<std::size_t, std::size_t, std::size_t>, std::string> built;
    auto key = std::make_tuple(rows, width, first);
    if (auto it = built.find(key); it != built.end()) return it->second;
    std::string out;
    out.reserve(rows * width * 7);
    std::size_t n = first;
    for (std::size_t r = 0; r < rows; ++r) {
        out += r ? ", (" : "(";
        for (std::size_t c = 0; c < width; ++c) {
            if (c) out += ", ";
            out += '$';
            out += std::to_string(n++);
        }
        out += ')';
    }
    if (built.size() < 256) built.emplace(key, out);
    return out;
}

std::string ListPlaceholders(std::size_t n, std::size_t first) {
    std::string out;
    out.reserve(n * 7);
    for (std::size_t i = 0; i < n; ++i) {
        if (i) out += ", ";
        out += '$';
        out += std::to_string(first + i);
    }
    return out;
}

}  // namespace mortar::db
