// One CSV field, for every CSV the reports write.
#pragma once

#include <string>

namespace ringsim {

// Quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string csvField(const std::string& text);

}  // namespace ringsim
