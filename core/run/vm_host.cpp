#include "run/vm_host.h"

#include <fmt/format.h>

#include "machine/errors.h"
#include "monitors/monitor_receipts.h"
#include "run/guest_names.h"

namespace ringsim {

namespace {
constexpr size_t kMaxVms = 256;
constexpr size_t kNone = SIZE_MAX;
}  // namespace

uint64_t machineBytesForVms(size_t vms, uint32_t partitionBytes) {
    if (vms == 0) throw InputError("the number of VMs must be at least 1");
    if (vms > kMaxVms) throw InputError(fmt::format("{} VMs: the limit is {} VMs on one machine", vms, kMaxVms));
    const uint64_t bytes = kMonitorReserve + uint64_t(vms) * partitionBytes;
    if (bytes > kMaxMachineBytes)
        throw InputError(fmt::format("{} VMs of {} KiB need {} KiB of physical memory with the monitor's {} KiB, more "
                                     "than the machine's limit of {} KiB: use fewer VMs or less memory per VM "
                                     "(at most {} VMs of this size)",
                                     vms, partitionBytes / 1024, bytes / 1024, kMonitorReserve / 1024,
                                     kMaxMachineBytes / 1024, (kMaxMachineBytes - kMonitorReserve) / partitionBytes));
    return bytes;
}

VmHost::VmHost(Machine& machine, Mode mode, uint32_t partitionBytes, uint64_t sliceCycles)
    : machine_(machine), mode_(mode), partitionBytes_(partitionBytes), slice_(sliceCycles) {
    if (!modeInfo(mode).virtualMachine) {
        std::string vmModes;
        for (const ModeInfo& m : modeTable())
            if (m.virtualMachine) vmModes += fmt::format("{}{}", vmModes.empty() ? "" : ", ", m.name);
        throw InputError(fmt::format("{} runs no virtual machines: several VMs need a monitor ({}){}", mode, vmModes,
                                     modeInfo(mode).containers ? "; for several containers use --containers" : ""));
    }
    if (slice_ == 0) throw InputError("the scheduler's time slice must be at least 1 cycle");
}

void VmHost::start(std::vector<VmSpec> specs) {
    const uint64_t needed = machineBytesForVms(specs.size(), partitionBytes_);
    if (needed > machine_.memory.size())
        throw InputError(fmt::format("{} VMs of {} KiB need {} KiB of physical memory; the machine has {} KiB",
                                     specs.size(), partitionBytes_ / 1024, needed / 1024,
                                     machine_.memory.size() / 1024));
    vms_.clear();
    vms_.reserve(specs.size());
    attribution_.resize(specs.size() + 1);
    Cpu& cpu = machine_.cpu;
    for (size_t i = 0; i < specs.size(); ++i) {
        if (specs[i].weight == 0 || specs[i].weight > kMaxVmWeight)
            throw InputError(fmt::format("vm{}: weight {} is out of range: a VM's weight is 1 to {} (default {})", i,
                                         specs[i].weight, kMaxVmWeight, kDefaultVmWeight));
        Vm vm;
        vm.weight = specs[i].weight;
        vm.partition = {uint32_t(kMonitorReserve + i * partitionBytes_), partitionBytes_};
        vm.monitor = makeMonitor(mode_, machine_);
        vm.monitor->setPartition(vm.partition);
        machine_.switchGuest(uint16_t(i));
        cpu.setHooks(vm.monitor.get());
        try {
            vm.monitor->start(specs[i].guest);
        } catch (const InputError& e) {
            throw InputError(specs.size() > 1 ? fmt::format("vm{}: {}", i, e.what()) : std::string(e.what()));
        }
        vm.context = cpu.saveContext();
        vms_.push_back(std::move(vm));
    }
    // The first VM's context is the one on the CPU; booting cost nothing yet.
    current_ = 0;
    cpu.restoreContext(vms_[0].context);
    cpu.setHooks(vms_[0].monitor.get());
    machine_.switchGuest(0);
    attribution_.settle(kNone, cpu.account, cpu.stats().instructions);
}

void VmHost::requestStop() {
    stopRequested_ = true;
    machine_.cpu.requestStop();
}

uint64_t VmHost::consumed(size_t vm) const {
    uint64_t n = 0;
    for (auto c : attribution_.cycles(vm)) n += c;
    return n;
}

size_t VmHost::runnable() const {
    size_t n = 0;
    for (const auto& vm : vms_) n += !vm.done;
    return n;
}

size_t VmHost::pickNext() const {
    size_t best = kNone;
    for (size_t i = 0; i < vms_.size(); ++i) {
        if (vms_[i].done) continue;
        // consumed(i)/weight(i) < consumed(best)/weight(best), without division;
        // ties go to the lower index, which makes equal weights round robin.
        if (best == kNone || (unsigned __int128)consumed(i) * vms_[best].weight <
                                 (unsigned __int128)consumed(best) * vms_[i].weight)
            best = i;
    }
    return best;
}

void VmHost::switchTo(size_t next) {
    Cpu& cpu = machine_.cpu;
    const size_t previous = current_;
    attribution_.settle(previous, cpu.account, cpu.stats().instructions);
    vms_[previous].context = cpu.saveContext();
    const int8_t ringBefore = int8_t(cpu.ring());
    const uint32_t pcBefore = cpu.state.pc;
    cpu.restoreContext(vms_[next].context);
    cpu.setHooks(vms_[next].monitor.get());
    current_ = next;
    ++switches_;
    // The switch itself is the monitor's work, not either VM's.
    const uint32_t cost = machine_.costs.vmSwitch;
    machine_.switchGuest(kHostGuest);
    cpu.charge(CycleCategory::WorldSwitch, cost);
    Receipt receipt(Mechanism::VmSwitch);
    receipt.via(ringBefore, actorAt(ringBefore)).via(monitorRing(vms_[next].monitor->mode()), Actor::Monitor);
    receipt.via(cpu.ring(), actorAt(cpu.ring())).in(&Costs::vmSwitch, cost);
    machine_.record(EventKind::ContextSwitch, ringBefore, int8_t(cpu.ring()), pcBefore, receipt, uint32_t(previous),
                    uint32_t(next), cost);
    machine_.switchGuest(uint16_t(next));
    attribution_.settle(host(), cpu.account, cpu.stats().instructions);
}

StopReason VmHost::run(uint64_t budgetEnd, uint64_t stopAt) {
    Cpu& cpu = machine_.cpu;
    stopRequested_ = false;
    for (;;) {
        if (vms_[current_].done) {
            attribution_.settle(current_, cpu.account, cpu.stats().instructions);
            const size_t next = pickNext();
            if (next == kNone) break;
            switchTo(next);
        }
        // Alone, a VM runs without slices (and without switches).
        if (runnable() <= 1)
            sliceEnd_ = UINT64_MAX;
        else if (sliceEnd_ == UINT64_MAX || sliceEnd_ == 0)
            sliceEnd_ = cpu.account.now + slice_;
        const uint64_t sliceEnd = sliceEnd_;
        // A stop asked for by the switch's own event (a tour stop at a VM
        // switch): the CPU's run would start by clearing it.
        if (stopRequested_) {
            attribution_.settle(current_, cpu.account, cpu.stats().instructions);
            lastStop_ = StopReason::StopRequested;
            lastStopMessage_.clear();
            return lastStop_;
        }
        const StopReason r = vms_[current_].monitor->run(budgetEnd, std::min(stopAt, sliceEnd));
        if (r == StopReason::Halted || r == StopReason::GuestFault) {
            vms_[current_].done = true;  // it stops alone; the others go on
            vms_[current_].context = cpu.saveContext();
            sliceEnd_ = 0;  // the next VM gets a whole slice
            if (stopRequested_) break;  // paused at this VM's end (a tour stop at its halt); the next run switches
            continue;
        }
        if (r == StopReason::Breakpoint) {  // this VM's pc: it resumes first, in the same slice
            attribution_.settle(current_, cpu.account, cpu.stats().instructions);
            lastStop_ = r;
            lastStopMessage_.clear();
            return lastStop_;
        }
        if (r == StopReason::CycleBudget || stopRequested_ || cpu.account.now >= stopAt) {
            attribution_.settle(current_, cpu.account, cpu.stats().instructions);
            lastStop_ = r == StopReason::CycleBudget ? r : StopReason::StopRequested;
            lastStopMessage_ = r == StopReason::CycleBudget ? cpu.stopMessage() : std::string();
            return lastStop_;
        }
        if (r == StopReason::StopRequested && cpu.account.now >= sliceEnd) {
            attribution_.settle(current_, cpu.account, cpu.stats().instructions);
            const size_t next = pickNext();
            if (next != current_) switchTo(next);
            sliceEnd_ = cpu.account.now + slice_;
        }
    }
    attribution_.settle(current_, cpu.account, cpu.stats().instructions);
    if (stopRequested_ && pickNext() != kNone) {
        lastStop_ = StopReason::StopRequested;
        lastStopMessage_.clear();
        return lastStop_;
    }
    lastStop_ = StopReason::Halted;
    for (const auto& vm : vms_)
        if (vm.context.stopReason == StopReason::GuestFault) lastStop_ = StopReason::GuestFault;
    return lastStop_;
}

std::array<uint64_t, kCycleCategoryCount> VmHost::hostCycles() {
    attribution_.settle(current_, machine_.cpu.account, machine_.cpu.stats().instructions);
    return attribution_.cycles(host());
}

std::string vmName(size_t vm) { return fmt::format("vm{}", vm); }

std::vector<GuestResult> VmHost::results() {
    Cpu& cpu = machine_.cpu;
    attribution_.settle(current_, cpu.account, cpu.stats().instructions);
    vms_[current_].context = cpu.saveContext();
    std::vector<GuestResult> out;
    for (size_t i = 0; i < vms_.size(); ++i) {
        const Vm& vm = vms_[i];
        GuestResult g;
        g.name = vmName(i);
        g.id = uint16_t(i);
        g.weight = vm.weight;
        g.console = std::string(vm.monitor->consoleText());
        g.consoleTruncated = vm.monitor->consoleTruncated();
        // A VM still running stopped with the machine (budget, or the caller's stop).
        g.stopReason = vm.done ? vm.context.stopReason : lastStop_;
        g.stopMessage = vm.done ? vm.context.stopMessage : lastStopMessage_;
        g.instructions = attribution_.instructions(i);
        g.cycles = attribution_.cycles(i);
        g.events = machine_.events.countsFor(uint16_t(i));
        g.monitor = vm.monitor->counters();
        g.footprint = vm.monitor->footprint();
        out.push_back(std::move(g));
    }
    return out;
}

}  // namespace ringsim
