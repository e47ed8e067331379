// Console patterns (expect: console: matches:) are checked before std::regex
// sees them. Internal to core/scenario.
#pragma once

#include <string>
#include <string_view>

namespace ringsim::scenario_detail {

// libstdc++'s std::regex compiles and matches recursively and copies a
// counted repetition once per count: a deeply nested or hugely repeated
// pattern would exhaust the stack or the memory. Console patterns are short,
// so such patterns are refused before they are compiled. Returns why, or "".
std::string regexTooComplex(std::string_view re);

}  // namespace ringsim::scenario_detail
