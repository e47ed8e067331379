// Containers (operating-system-level virtualisation: Linux namespaces and
// cgroups, as Docker and LXC use them). There is no guest kernel and no
// monitor: the kernel runs natively as the *host* kernel — ring 0, the
// physical devices, its own trap table — and the user programs run in ring 3
// as its processes, each container in its own namespace, with its own
// process ids and its own console stream. A system call goes straight to
// the host kernel, as natively. What a container gives up against a virtual
// machine is a kernel of its own: every container shares the host's.
//
// The cgroup side: each container has a CPU weight (the kernel shares the
// CPU among containers in proportion), the kernel counts the frames each
// container's processes hold (its memory.current and memory.peak), and the
// kernel's scheduler writes the container port whenever it switches between
// containers — where this platform charges the switch and from where on it
// counts the cycles as that container's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "monitors/guest_result.h"
#include "monitors/native.h"

namespace ringsim {

class ContainerMonitor : public NativeMonitor {
public:
    static constexpr uint32_t kDefaultContainer = 1;

    using NativeMonitor::NativeMonitor;
    Mode mode() const override { return Mode::Container; }
    // Where each program starts: its container (0 = a host process) and that
    // container's CPU weight. Set before start(). By default every program is
    // in container 1 with the default weight; programs without an entry are
    // host processes.
    void setContainers(std::vector<ProgramPlacement> placements) override { placements_ = std::move(placements); }
    // Boots the host kernel with the programs in their containers. Throws
    // InputError for the paravirtual kernel build (containers run on the
    // host's own, native kernel) and for bad placements (Machine::boot).
    void start(const GuestImages& guest) override;
    // The container port (isa::port::Container) is the host kernel saying it
    // switches to another container's process: the switch costs
    // container_switch cycles of host-kernel time (charged to the container
    // switched to), is logged as a context-switch event (detail = the new
    // container, extra = the one before), and every later event and cycle is
    // that container's. Other ports behave as natively.
    void portOut(Cpu& cpu, uint32_t port, uint32_t value) override;

    // The containers the programs run in, each once, in ascending order, and
    // each one's name in results ("container1").
    std::vector<uint32_t> containers() const;
    static std::string containerName(uint32_t container);

    // The container whose stream is "the guest's console": the first program's.
    uint32_t shownContainer() const { return shown_; }
    std::string_view consoleText() const override { return machine_.devices.console.streamText(shown_); }
    std::string_view hostConsoleText() const override { return machine_.devices.console.streamText(0); }

    // The container the host kernel runs for now: 0 (the host's own
    // processes, and the kernel itself) until its first switch.
    uint32_t runningContainer() const { return running_; }
    uint64_t guestSwitches() const override { return switches_; }

    // One result per container that has programs, by ascending id, named
    // "container<N>": its stream, its share of the cycles and instructions
    // (what ran between a switch to it and the next switch; the host kernel's
    // work before the first switch is container 0's), its events, and its
    // footprint: pages = the most frames its processes held at once (the
    // kernel's cgroup_peak) plus the pages of its programs' images as the
    // loader placed them; startup = the cycles from the host kernel setting
    // out to start the programs (its "kernel: starting" line) to its
    // stream's first line: a container starts in a running host kernel,
    // whose own boot is the platform's, as a monitor's is (container 0, the
    // host's own processes: to their first line that is not the kernel's).
    // Complete at any point of a run, including the cycles since the last
    // switch: no call to finish first.
    std::optional<std::vector<GuestResult>> guestResults() const override;
    // Pages the host kernel uses for itself: its image (code, data, static
    // tables), the boot-information block, and any frames in use that no
    // container is charged for (none with the bundled kernel, which keeps
    // all its tables in its image).
    uint64_t hostKernelPages() const override;

private:
    // Entry `index` of one of the kernel's per-namespace tables (0 if the kernel has no such table).
    uint64_t kernelWord(const std::optional<uint32_t>& table, uint32_t index) const;
    Footprint containerFootprint(uint32_t container) const;

    std::vector<ProgramPlacement> placements_;  // as given; start() fills in the defaults
    uint32_t shown_ = kDefaultContainer;
    uint32_t running_ = 0;
    uint64_t switches_ = 0;
    CycleAttribution attribution_;

    // What start() learnt of the host kernel and the loader's layout.
    std::vector<uint64_t> imagePages_;    // per program
    uint64_t kernelImagePages_ = 0;
    uint64_t bootInfoPages_ = 0;
    uint32_t namespaces_ = 0;             // the kernel's NNS: how many entries its tables have
    std::optional<uint32_t> cgroupPages_, cgroupPeak_, freeCount_, freeAtBoot_;  // label addresses
};

// What a container's console shows of the same programs run natively: the
// console without the kernel's own lines ("kernel: ..."), which a host kernel
// writes to the host's stream instead.
std::string withoutKernelLines(std::string_view console);

}  // namespace ringsim
