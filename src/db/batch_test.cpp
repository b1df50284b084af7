// SPDX-License-Identifier: AGPL-3.0-or-later
#include "db/batch.hpp"

#include <numeric>

#include <gtest/gtest.h>

namespace mortar::db {
namespace {

TEST(BatchSizes, PowersOfTwoLargestFirstWithinTheLimits) {
    EXPECT_EQ(BatchSizes(0, 3), std::vector<std::size_t>{});
    EXPECT_EQ(BatchSizes(1, 3), std::vector<std::size_t>{1});
    EXPECT_EQ(BatchSizes(7, 3), (std::vector<std::size_t>{4, 2, 1}));
    EXPECT_EQ(BatchSizes(2000, 1), (std::vector<std::size_t>{1024, 512, 256, 128, 64, 16}));
    // 20 parameters a row: at most 1,600 rows by parameters, so 1,024.
    EXPECT_EQ(BatchSizes(2048, 20), (std::vector<std::size_t>{1024, 1024}));
    // 40 parameters a row: 800 rows at most, so 512.
    const std::vector<std::size_t> sizes = BatchSizes(3000, 40);
    EXPECT_EQ(std::accumulate(sizes.begin(), sizes.end(), std::size_t{0}), 3000u);
    for (std::size_t s : sizes) EXPECT_LE(s * 40, kMaxBatchParams);
    EXPECT_EQ(sizes.front(), 512u);
    EXPECT_EQ(BatchSizes(100, 13, MaxBatchRows(Dialect::kSqlite)), (std::vector<std::size_t>{32, 32, 32, 4}));
    EXPECT_EQ(MaxBatchRows(Dialect::kPostgres), 1024u);
}

TEST(Placeholders, NumberRowsAndListsFromTheFirst) {
    EXPECT_EQ(ValuesPlaceholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
    EXPECT_EQ(ValuesPlaceholders(1, 2, 5), "($5, $6)");
    EXPECT_EQ(ListPlaceholders(3, 2), "$2, $3, $4");
    EXPECT_EQ(ListPlaceholders(0), "");
}

}  // namespace
}  // namespace mortar::db
