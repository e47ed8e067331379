// Inside the library: extraction with the output's JSON parsed once per source.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "docfigs.h"

namespace docfigs {

// `expression` is `KIND ARGS [as FORMAT]`, without the source's name.
// Text without the white space around it; text cut at its line ends.
std::string trim(const std::string& s);
std::vector<std::string> splitLines(const std::string& text);

std::string extractFrom(const std::string& output, const nlohmann::json* parsed, const std::string& expression);

} // namespace docfigs
