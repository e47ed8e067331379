// Numbers a lecture hall can read: 1234567 -> "1,234,567".
#pragma once

#include <cstdint>
#include <string>

namespace ringsim {

// Digits in groups of three; `sign` writes a '+' before a number that is not
// negative (for differences: "+1,024", "-96").
std::string grouped(int64_t n, bool sign = false);

}  // namespace ringsim
