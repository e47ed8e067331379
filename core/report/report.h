// Run results as text a person reads and JSON a program reads.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "run/run.h"

namespace ringsim {

nlohmann::json toJson(const RunResult& result);
std::string toText(const RunResult& result);
// One row per VM or container of a run of several.
std::string guestTable(const RunResult& result);

}  // namespace ringsim
