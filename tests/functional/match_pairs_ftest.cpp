// SPDX-License-Identifier: AGPL-3.0-or-later
// `mortar match pairs`: the built binary scoring CSV pairs from stdin.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "harness.hpp"

namespace mortar::ftest {
namespace {

// Runs `mortar match pairs` with `input` on stdin; returns the exit code, stdout in `out`.
int RunPairs(const std::string& input, std::string* out) {
    const char* bin = std::getenv("MORTAR_BIN");
    if (bin == nullptr) return -1;
    const auto dir = std::filesystem::temp_directory_path() / ("mortar-pairs-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string in_path = (dir / "in.csv").string();
    std::ofstream(in_path) << input;
    const int rc = RunCommand(
        {"/bin/sh", "-c", std::string("\"") + bin + "\" match pairs < \"" + in_path + "\""},
        (dir / "log.txt").string(),
        out,
        std::chrono::seconds(30)
    );
    std::filesystem::remove_all(dir);
    return rc;
}

TEST(MatchPairsCommand, WritesScoreAndDecisionPerPair) {
    ASSERT_NE(std::getenv("MORTAR_BIN"), nullptr) << "MORTAR_BIN is not set; run through ctest";
    std::string out;
    const int rc = RunPairs(
        "name1,name2\n"
        "\"AKZO NOBEL, INC.\",Akzo Nobel N.V.\n"
        "Woodgrove Bank,Contoso Dental\n",
        &out
    );
    EXPECT_EQ(rc, 0) << out;
    EXPECT_EQ(
        out,
        "name1,name2,score,decision\n"
        "\"AKZO NOBEL, INC.\",Akzo Nobel N.V.,1.000,auto\n"
        "Woodgrove Bank,Contoso Dental,0.000,none\n"
    );
}

TEST(MatchPairsCommand, MalformedInputFailsWithoutOutput) {
    ASSERT_NE(std::getenv("MORTAR_BIN"), nullptr) << "MORTAR_BIN is not set; run through ctest";
    std::string out;
    const int rc = RunPairs("a,b\n\"unterminated,c\n", &out);
    EXPECT_NE(rc, 0);
    EXPECT_TRUE(out.empty()) << out;
}

}  // namespace
}  // namespace mortar::ftest
