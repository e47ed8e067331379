// What a mode that virtualises faithfully prints, given what native prints:
// the rule every comparison with native uses (compare's "same console"
// column, a scenario's diverges_from_native, the tests).
#pragma once

#include <string>
#include <string_view>

#include "monitors/modes.h"

namespace ringsim {

// Native's console as `mode` should show it: the same, except that a
// container's stream lacks the kernel's lines (the host's), and that the
// bundled kernel's paravirtual build, which knows it was written for a
// monitor, reports ring 1, deprivileged, where the native build reports ring 0.
std::string consoleExpectedIn(Mode mode, std::string_view nativeConsole);

}  // namespace ringsim
