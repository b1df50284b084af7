// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "db/database.hpp"

// Multi-row statements: one INSERT ... VALUES (...), (...) or one IN (...) list for many
// rows instead of one statement (and on PostgreSQL one round trip) per row. Rows are
// split into statements of power-of-two sizes, so a writer sees at most a dozen distinct
// statement texts per table (each prepared and cached once per connection), and no
// statement binds more parameters than either engine allows.
namespace mortar::db {

// SQLite allows 32,766 parameters per statement, PostgreSQL 65,535.
inline constexpr std::size_t kMaxBatchParams = 32000;

// Rows per statement at most. PostgreSQL: many, as each statement is a round trip.
// SQLite: a few dozen, enough to spread the fixed cost of running a statement; its
// parser looks numbered parameters up one by one, so preparing a statement of n
// parameters costs O(n^2), which thousands of them make felt.
std::size_t MaxBatchRows(Dialect dialect);

// The rows of each statement for `rows` rows of `params_per_row` parameters: largest
// first, each a power of two, at most `max_rows` rows and kMaxBatchParams parameters.
std::vector<std::size_t> BatchSizes(std::size_t rows, std::size_t params_per_row, std::size_t max_rows = 1024);

// "($first, ..., $first+width-1), (...)" for `rows` rows.
std::string ValuesPlaceholders(std::size_t rows, std::size_t width, std::size_t first = 1);
// "$first, ..., $first+n-1".
std::string ListPlaceholders(std::size_t n, std::size_t first = 1);

}  // namespace mortar::db
