// How a run names its VMs, in its results and wherever a front end shows them.
#pragma once

#include <cstddef>
#include <string>

namespace ringsim {

std::string vmName(size_t vm);  // "vm0", "vm1", ...

}  // namespace ringsim
