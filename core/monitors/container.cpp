#include "monitors/container.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "machine/errors.h"
#include "monitors/paravirt.h"

namespace ringsim {

namespace {
uint64_t pagesFor(uint64_t bytes) { return (bytes + isa::kPageSize - 1) / isa::kPageSize; }

std::optional<uint32_t> labelAddress(const assembler::Program& kernel, const char* name) {
    auto it = kernel.labels.find(name);
    if (it == kernel.labels.end()) return std::nullopt;
    return it->second;
}
}  // namespace

void ContainerMonitor::start(const GuestImages& guest) {
    if (isParavirtualKernel(guest.kernel))
        throw InputError(
            "container: this is the paravirtual kernel build (PARAVIRT=1), which runs only under a paravirtualising "
            "monitor. Containers have no guest kernel: their programs run as processes of the host's own kernel, "
            "natively. Build the kernel without -D PARAVIRT=1.");
    if (placements_.empty()) placements_.assign(guest.programs.size(), ProgramPlacement{kDefaultContainer});
    machine_.boot(guest, 0, 0, placements_);
    // Programs without a placement are host processes, as the loader took them.
    placements_.resize(guest.programs.size());
    if (!placements_.empty()) shown_ = placements_.front().container;

    uint32_t highest = 0;
    for (const auto& p : placements_) highest = std::max(highest, p.container);
    attribution_ = CycleAttribution(size_t(highest) + 1);
    attribution_.settle(SIZE_MAX, machine_.cpu.account, machine_.cpu.stats().instructions);
    running_ = 0;
    switches_ = 0;
    machine_.switchGuest(0);

    // The layout, for the footprints: the loader put the kernel at its
    // origin, each program's image on pages of its own, then the boot
    // information up to the first free page.
    imagePages_.clear();
    for (const auto& program : guest.programs) imagePages_.push_back(pagesFor(program.image.size()));
    kernelImagePages_ = pagesFor(uint64_t(guest.kernel.origin) + guest.kernel.image.size());
    const uint32_t info = machine_.cpu.state.r[1];
    bootInfoPages_ = pagesFor(machine_.memory.read32(info + bootinfo::kFirstFreeOffset) - uint64_t(info));
    // The kernel's cgroup tables and frame counts. A kernel without them
    // (not the bundled one) simply reports no frames.
    auto nns = guest.kernel.constants.find("NNS");
    namespaces_ = nns == guest.kernel.constants.end() ? 0 : uint32_t(nns->second);
    cgroupPages_ = labelAddress(guest.kernel, "cgroup_pages");
    cgroupPeak_ = labelAddress(guest.kernel, "cgroup_peak");
    freeCount_ = labelAddress(guest.kernel, "free_count");
    freeAtBoot_ = labelAddress(guest.kernel, "free_at_boot");
}

void ContainerMonitor::portOut(Cpu& cpu, uint32_t port, uint32_t value) {
    if (port != isa::port::Container) {
        NativeMonitor::portOut(cpu, port, value);
        return;
    }
    // The device keeps the register (a read returns it), but the write stands
    // for the host kernel's cgroup bookkeeping: it costs container_switch
    // cycles of host-kernel time instead of a device access. What ran until
    // now was the previous container's; the switch itself is the new one's.
    DmaWindow dma{&cpu.memory(), cpu.windowBase(), cpu.windowLimit()};
    machine_.devices.out(port, value, dma, cpu.account.now);
    attribution_.settle(running_, cpu.account, cpu.stats().instructions);
    const uint32_t previous = running_;
    running_ = value;
    ++switches_;
    // kHostGuest is the platform's own stamp: a (bad) container id that large is kept just below it.
    machine_.switchGuest(uint16_t(std::min<uint32_t>(value, kHostGuest - 1)));
    const uint32_t cost = machine_.costs.containerSwitch;
    cpu.charge(CycleCategory::GuestKernel, cost);
    Receipt receipt(Mechanism::ContainerSwitch);
    receipt.via(cpu.ring(), Actor::Kernel).in(&Costs::containerSwitch, cost);
    record(EventKind::ContextSwitch, int8_t(cpu.ring()), int8_t(cpu.ring()), cpu.state.pc, receipt, value, previous, cost);
}

uint64_t ContainerMonitor::kernelWord(const std::optional<uint32_t>& table, uint32_t index) const {
    if (!table || index >= namespaces_) return 0;
    const uint64_t address = uint64_t(*table) + uint64_t(index) * 4;
    if (address + 4 > machine_.memory.size()) return 0;
    return machine_.memory.read32(uint32_t(address));
}

Footprint ContainerMonitor::containerFootprint(uint32_t container) const {
    Footprint f;
    f.pages = kernelWord(cgroupPeak_, container);
    for (size_t i = 0; i < placements_.size() && i < imagePages_.size(); ++i)
        if (placements_[i].container == container) f.pages += imagePages_[i];
    // The host's stream also carries the kernel's own lines: its processes
    // have started when the first line that is not the kernel's appears.
    f.startupCycles = machine_.devices.console.firstLineCycle(container, container == 0 ? "kernel: " : "");
    const auto hostReady = machine_.devices.console.lineCycle(0, kKernelStartingLine);
    if (f.startupCycles && hostReady && *hostReady <= *f.startupCycles)
        *f.startupCycles -= *hostReady;
    return f;
}

std::vector<uint32_t> ContainerMonitor::containers() const {
    std::set<uint32_t> ids;
    for (const auto& p : placements_) ids.insert(p.container);
    return {ids.begin(), ids.end()};
}

std::string ContainerMonitor::containerName(uint32_t container) { return fmt::format("container{}", container); }

std::optional<std::vector<GuestResult>> ContainerMonitor::guestResults() const {
    // Settle a copy, so the cycles since the last switch count too and the
    // monitor's own record is left as the switches made it.
    CycleAttribution attribution = attribution_;
    attribution.settle(running_, machine_.cpu.account, machine_.cpu.stats().instructions);
    const auto& console = machine_.devices.console;
    std::vector<GuestResult> results;
    for (uint32_t id : containers()) {
        GuestResult r;
        r.name = containerName(id);
        r.id = uint16_t(std::min<uint32_t>(id, kHostGuest - 1));
        r.weight = std::find_if(placements_.begin(), placements_.end(), [&](const ProgramPlacement& p) {
                       return p.container == id;
                   })->weight;
        r.console = console.streamText(id);
        r.consoleTruncated = console.truncated();
        r.stopReason = machine_.cpu.stopReason();
        r.stopMessage = machine_.cpu.stopMessage();
        r.instructions = attribution.instructions(id);
        r.cycles = attribution.cycles(id);
        r.events = machine_.events.countsFor(r.id);
        r.footprint = containerFootprint(id);
        results.push_back(std::move(r));
    }
    return results;
}

uint64_t ContainerMonitor::hostKernelPages() const {
    uint64_t pages = kernelImagePages_ + bootInfoPages_;
    if (freeCount_ && freeAtBoot_) {
        const int64_t inUse = int64_t(machine_.memory.read32(*freeAtBoot_)) - machine_.memory.read32(*freeCount_);
        int64_t charged = 0;
        for (uint32_t ns = 0; ns < namespaces_; ++ns) charged += int64_t(kernelWord(cgroupPages_, ns));
        if (inUse > charged) pages += uint64_t(inUse - charged);
    }
    return pages;
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
