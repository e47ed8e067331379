// The `network` object of a run's JSON and its line in the text report: what
// the run's NIC sent and received, what the switch and the outside peer saw,
// and what each packet cost in register accesses (each one an exit under
// hw-assist, a callout under binary translation, a trap under trap-emulate).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "run/run.h"

namespace ringsim {

nlohmann::json networkJson(const NetworkResult& n);
std::string networkText(const NetworkResult& n);
// Register accesses per packet sent or received (0 with no packets).
double registerAccessesPerPacket(const NetworkResult& n);

}  // namespace ringsim
