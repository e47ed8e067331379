// Numbers as a scenario file writes them: whole numbers in decimal or 0x hex
// with '_' between digits (2_000_000), and decimals for expectations.
// Internal to core/scenario.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ringsim::scenario_detail {

struct Whole {
    bool ok = false;        // digits (0x.. hex, '_' between digits allowed)
    bool negative = false;  // it had a leading '-'
    bool tooLarge = false;  // more than 64 bits
    uint64_t value = 0;
};

Whole parseWhole(std::string_view s);
// A whole number, or a decimal (no infinities, no NaN).
std::optional<double> parseNumber(std::string_view s);

}  // namespace ringsim::scenario_detail
