#include "run/consoles.h"

#include "monitors/container.h"
#include "run/guest_names.h"
#include "run/session.h"

namespace ringsim {

std::vector<LiveConsole> liveConsoles(Session& session) {
    std::vector<LiveConsole> out;
    if (VmHost* host = session.host()) {
        for (size_t vm = 0; vm < host->size(); ++vm) {
            const Monitor& monitor = host->monitor(vm);
            out.push_back({vmName(vm), monitor.consoleText(), monitor.consoleTruncated()});
        }
        return out;
    }
    Monitor* monitor = session.monitor();
    if (!monitor) return out;
    const Console& console = session.machine().devices.console;
    if (const auto* containers = dynamic_cast<const ContainerMonitor*>(monitor);
        containers && !containers->containers().empty()) {
        for (uint32_t id : containers->containers())
            out.push_back({ContainerMonitor::containerName(id), console.streamText(id), console.truncated()});
        out.push_back({"host kernel", monitor->hostConsoleText(), console.truncated(), true});
        return out;
    }
    // One guest on the machine itself: Session::result() calls it "native".
    out.push_back({"native", monitor->consoleText(), monitor->consoleTruncated()});
    return out;
}

}  // namespace ringsim
