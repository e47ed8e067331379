#include "breakpoint_options.h"

#include <cstdio>

#include "guest_symbols.h"

namespace ringsim::gui {

bool applyBreakpointOptions(SimController& sim, const std::vector<std::string>& specs, bool runToBreakpoint) {
    if (!sim.session()) {
        std::fprintf(stderr, "ringsim-gui: no run to set breakpoints in: %s\n", sim.error().c_str());
        return !runToBreakpoint && specs.empty();
    }
    std::vector<uint32_t> pcs;
    for (const std::string& spec : specs) {
        std::string error;
        const auto address = symbolsOf(sim).resolve(spec, error);
        if (!address) {
            std::fprintf(stderr, "ringsim-gui: --breakpoint %s: %s\n", spec.c_str(), error.c_str());
            return false;
        }
        pcs.push_back(*address);
    }
    sim.setBreakpoints(pcs);
    if (!runToBreakpoint) return true;
    if (sim.runToBreakpoint()) {
        std::printf("%s\n", breakpointStopText(sim).c_str());
    } else {
        const std::string_view why = stopReasonName(sim.session()->lastStop());
        std::printf("no breakpoint was reached: the run ended (%.*s)\n", int(why.size()), why.data());
    }
    std::fflush(stdout);
    return true;
}

}  // namespace ringsim::gui
