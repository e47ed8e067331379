#include "container.h"

#include "errors.h"
#include "paravirt.h"

namespace ringsim {

// Switching between processes of different containers costs a real host
// kernel its cgroup bookkeeping (the container_switch cost). This kernel does
// not tell the platform when it crosses containers, and with every program in
// one container it never does; the charge belongs with running several
// containers side by side.
void ContainerMonitor::start(const GuestImages& guest) {
    if (isParavirtualKernel(guest.kernel))
        throw InputError(
            "container: this is the paravirtual kernel build (PARAVIRT=1), which runs only under a paravirtualising "
            "monitor. Containers have no guest kernel: their programs run as processes of the host's own kernel, "
            "natively. Build the kernel without -D PARAVIRT=1.");
    std::vector<uint32_t> containers = containers_;
    if (containers.empty()) containers.assign(guest.programs.size(), kDefaultContainer);
    if (!containers.empty()) shown_ = containers.front();
    machine_.boot(guest, 0, 0, containers);
}

std::string withoutKernelLines(std::string_view console) {
    std::string out;
    while (!console.empty()) {
        const size_t end = console.find('\n');
        const std::string_view line = console.substr(0, end == std::string_view::npos ? console.size() : end + 1);
        if (!line.starts_with("kernel: ")) out += line;
        console.remove_prefix(line.size());
    }
    return out;
}

}  // namespace ringsim
