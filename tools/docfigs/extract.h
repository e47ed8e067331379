// Inside the library: extraction with the output's JSON parsed once per source.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "docfigs.h"

namespace docfigs {

// `expression` is `KIND ARGS [as FORMAT]`, without the source's name.
std::string extractFrom(const std::string& output, const nlohmann::json* parsed, const std::string& expression);

} // namespace docfigs
