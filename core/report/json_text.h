// Text from a guest, as JSON can carry it: a console is bytes, JSON strings are UTF-8.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace ringsim {

// Each byte as one character U+0000..U+00FF (Latin-1), so any byte survives and a
// reader gets the bytes back by encoding the string as Latin-1.
std::string bytesAsJsonText(std::string_view bytes);

// JSON as ASCII (\u00XX escapes), never aborting: a stray invalid byte in a name
// or message becomes U+FFFD. indent -1: all on one line.
std::string dumpJson(const nlohmann::json& j, int indent = 2);

}  // namespace ringsim
