// Containers (operating-system-level virtualisation: Linux namespaces and
// cgroups, as Docker and LXC use them). There is no guest kernel and no
// monitor: the kernel runs natively as the *host* kernel — ring 0, the
// physical devices, its own trap table — and the user programs run in ring 3
// as its processes, each container in its own namespace, with its own
// process ids and its own console stream. A system call goes straight to
// the host kernel, as natively. What a container gives up against a virtual
// machine is a kernel of its own: every container shares the host's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "native.h"

namespace ringsim {

class ContainerMonitor : public NativeMonitor {
public:
    static constexpr uint32_t kDefaultContainer = 1;

    using NativeMonitor::NativeMonitor;
    std::string_view mode() const override { return "container"; }
    // Which container each program starts in (0 = a host process), set before
    // start(). By default every program is in container 1.
    void setContainers(std::vector<uint32_t> containers) { containers_ = std::move(containers); }
    // Boots the host kernel with the programs in their containers. Throws
    // InputError for the paravirtual kernel build: containers run on the
    // host's own, native kernel.
    void start(const GuestImages& guest) override;

    // The container whose stream is "the guest's console": the first program's.
    uint32_t shownContainer() const { return shown_; }
    std::string_view consoleText() const override { return machine_.devices.console.streamText(shown_); }
    std::string_view hostConsoleText() const override { return machine_.devices.console.streamText(0); }

private:
    std::vector<uint32_t> containers_;
    uint32_t shown_ = kDefaultContainer;
};

// What a container's console shows of the same programs run natively: the
// console without the kernel's own lines ("kernel: ..."), which a host kernel
// writes to the host's stream instead.
std::string withoutKernelLines(std::string_view console);

}  // namespace ringsim
