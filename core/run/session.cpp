#include "run/session.h"

#include <algorithm>

#include <fmt/format.h>

#include "monitors/container.h"
#include "machine/errors.h"

namespace ringsim {

namespace {

// The machine-wide figures every run reports, whatever ran on it.
RunResult machineTotals(Machine& machine, const MachineConfig& config, const RunOptions& options) {
    RunResult result;
    result.mode = options.mode;
    result.preset = options.preset;
    result.costs = machine.costs;
    result.stopReason = machine.cpu.stopReason();
    result.stopMessage = machine.cpu.stopMessage();
    result.instructions = machine.cpu.stats().instructions;
    result.totalCycles = machine.cpu.account.now;
    result.cycles = machine.cpu.account.totals();
    result.events = machine.events.counts();
    result.tlbMisses = machine.cpu.stats().tlbMisses;
    result.tlbFlushes = machine.cpu.stats().tlbFlushes;
    result.pageWalkRefs = machine.cpu.stats().pageWalkRefs;
    // The real devices' accesses: under a monitor the guest's in and out reach emulated devices instead.
    result.portAccesses = machine.devices.accesses();
    result.finalState = machine.cpu.state;
    result.hardwareAssist = config.cpu.hardwareAssist;
    result.nestedPaging = modeInfo(options.mode).needsHardwareAssist && config.cpu.nestedPaging;
    result.memoryBytes = options.memoryBytes;
    result.strict = options.strict;
    return result;
}

// The whole machine's footprint: the guests' pages plus what they share (the
// monitor's reserve, or the host kernel), and when the last one got going.
Footprint totalFootprint(const std::vector<GuestResult>& guests, uint64_t sharedPages) {
    Footprint total;
    total.pages = sharedPages;
    uint64_t last = 0;
    bool all = !guests.empty();
    for (const auto& g : guests) {
        total.pages += g.footprint.pages;
        if (g.footprint.startupCycles)
            last = std::max(last, *g.footprint.startupCycles);
        else
            all = false;
    }
    if (all) total.startupCycles = last;
    return total;
}

}  // namespace


namespace {

// The programs instance `i` runs, as indices into the guest's programs.
std::vector<uint32_t> programsOf(const RunOptions& options, const GuestImages& guest, uint32_t i) {
    if (options.programsPerInstance.empty()) {
        std::vector<uint32_t> all(guest.programs.size());
        for (uint32_t p = 0; p < all.size(); ++p) all[p] = p;
        return all;
    }
    for (uint32_t p : options.programsPerInstance.at(i))
        if (p >= guest.programs.size())
            throw InputError(fmt::format("instance {} runs program {}, but the guest has {} programs", i, p,
                                         guest.programs.size()));
    return options.programsPerInstance[i];
}

GuestImages withPrograms(const GuestImages& guest, const std::vector<uint32_t>& programs) {
    GuestImages images;
    images.kernel = guest.kernel;
    for (uint32_t p : programs) {
        images.programs.push_back(guest.programs[p]);
        images.programNames.push_back(guest.programNames[p]);
    }
    return images;
}

}  // namespace

Session::Session(const GuestImages& guest, const RunOptions& options) : options_(options) {
    const uint32_t instances = instanceCount(options_);
    const ModeInfo& mode = modeInfo(options_.mode);
    if (mode.virtualMachine) {
        std::vector<VmSpec> vms;
        for (uint32_t i = 0; i < instances; ++i)
            vms.push_back(VmSpec{options_.programsPerInstance.empty() ? guest
                                                                      : withPrograms(guest, programsOf(options_, guest, i)),
                                 kDefaultVmWeight});
        for (size_t i = 0; i < options_.weights.size(); ++i) vms[i].weight = options_.weights[i];
        startVms(std::move(vms));
        return;
    }
    const bool containers = options_.mode == Mode::Container;
    if (!containers && !options_.weights.empty())
        throw InputError(
            fmt::format("{}: CPU weights need VMs (a VM mode) or containers (container mode)", options_.mode));

    // Several instances on one kernel: every program once per instance, as
    // processes of the native kernel or in one container each.
    // A container is a group of processes: with no program there would be nothing in it.
    if (containers && guest.programs.empty())
        throw InputError("containers need programs: container mode runs the programs (-p FILE) in containers on the "
                         "host's kernel, and with none it would run no container at all");
    GuestImages images = guest;
    std::vector<ProgramPlacement> placements;
    if (instances > 1 || containers || !options_.programsPerInstance.empty()) {
        images.programs.clear();
        images.programNames.clear();
        for (uint32_t i = 0; i < instances; ++i) {
            for (uint32_t p : programsOf(options_, guest, i)) {
                images.programs.push_back(guest.programs[p]);
                images.programNames.push_back(guest.programNames[p]);
                ProgramPlacement placement;
                if (containers) {
                    placement.container = i + 1;
                    if (!options_.weights.empty()) placement.weight = options_.weights[i];
                }
                placements.push_back(placement);
            }
        }
        if (images.programs.size() > bootinfo::kMaxPrograms)
            throw InputError(fmt::format("{} instances of {} programs make {} programs; the kernel takes at most {}",
                                         instances, guest.programs.size(), images.programs.size(),
                                         bootinfo::kMaxPrograms));
    }
    config_ = machineConfigFor(options_);
    machine_ = std::make_unique<Machine>(config_);
    attachNetwork();
    monitor_ = makeMonitor(options_.mode, *machine_);
    machine_->cpu.setHooks(monitor_.get());
    monitor_->setContainers(placements);
    monitor_->start(images);
    startTimeline();
}

Session::Session(std::vector<VmSpec> vms, const RunOptions& options) : options_(options) {
    startVms(std::move(vms));
}

void Session::startVms(std::vector<VmSpec> vms) {
    options_.instances = uint32_t(vms.size());
    options_.weights.clear();
    options_.programsPerInstance.clear();
    for (const auto& vm : vms) options_.weights.push_back(vm.weight);
    config_ = machineConfigFor(options_);
    machine_ = std::make_unique<Machine>(config_);
    attachNetwork();
    host_ = std::make_unique<VmHost>(*machine_, options_.mode, options_.memoryBytes, options_.sliceCycles);
    host_->start(std::move(vms));
    startTimeline();
}

// The NIC is the machine's own device natively and on a host kernel; under
// a monitor each VM's virtual devices take it from the machine (machine.nic).
void Session::attachNetwork() {
    if (options_.nic.empty()) return;
    if (options_.instances > 1)
        throw InputError(fmt::format("--nic gives one guest a NIC; {} instances would share it", options_.instances));
    // The paravirtual kernel reaches devices by hypercall only; its NIC is the paravirtual one (virtio-net-like, to come).
    if (modeInfo(options_.mode).needsParavirtKernel)
        throw InputError(fmt::format("--nic {}: {} runs the paravirtual kernel, which has no driver for an emulated "
                                     "NIC (it traps on port I/O); use another mode",
                                     options_.nic, options_.mode));
    network_ = std::make_unique<NicNetwork>(options_.nic, options_.pcap);
    machine_->nic = &network_->nic();
    if (!modeInfo(options_.mode).virtualMachine) machine_->devices.nic = machine_->nic;
}

void Session::startTimeline() {
    if (options_.timelineCapacity == 0) return;
    CycleAccount& account = machine_->cpu.account;
    timeline_ = std::make_unique<Timeline>(machine_->currentGuest, options_.timelineCapacity, account.now);
    account.setObserver(timeline_.get());
}

Session::~Session() = default;

void Session::setListener(EventListener listener) {
    if (!listener) {
        machine_->events.setListener({});
        return;
    }
    machine_->events.setListener([this, listener = std::move(listener)](const Event& e) {
        if (!listener(e)) requestStop();
    });
}

void Session::requestStop() {
    if (host_)
        host_->requestStop();
    else
        machine_->cpu.requestStop();
}

StopReason Session::run(uint64_t stopAt) {
    lastStop_ = host_ ? host_->run(options_.maxCycles, stopAt) : monitor_->run(options_.maxCycles, stopAt);
    // The timeline shows every cycle run so far, up to this one.
    if (timeline_) machine_->cpu.account.settleRunning();
    return lastStop_;
}

bool Session::toggleBreakpoint(uint32_t pc) {
    std::vector<uint32_t> pcs = breakpoints();
    const auto it = std::find(pcs.begin(), pcs.end(), pc);
    const bool set = it == pcs.end();
    if (set) pcs.push_back(pc);
    else pcs.erase(it);
    setBreakpoints(std::move(pcs));
    return set;
}

bool Session::finished() const {
    return lastStop_ == StopReason::Halted || lastStop_ == StopReason::GuestFault ||
           lastStop_ == StopReason::CycleBudget;
}

RunResult Session::counters() {
    RunResult result = machineTotals(*machine_, config_, options_);
    result.instances = options_.instances;
    if (host_)
        for (size_t i = 0; i < host_->size(); ++i) result.monitor += host_->monitor(i).counters();
    else
        result.monitor = monitor_->counters();
    if (network_) result.network = network_->result();
    return result;
}

RunResult Session::result() {
    Machine& machine = *machine_;
    RunResult result = counters();
    if (host_) {
        const StopReason stop = lastStop_;
        result.guests = host_->results();
        result.hostCycles = host_->hostCycles();
        result.guestSwitches = host_->switches();
        result.stopReason = stop;
        // One guest stands for the run: the first VM (the only one, usually).
        const GuestResult& first = result.guests.front();
        result.console = first.console;
        result.consoleTruncated = first.consoleTruncated;
        if (stop == StopReason::CycleBudget) {
            result.stopMessage = result.guests.size() == 1
                                     ? machine.cpu.stopMessage()
                                     : fmt::format("the cycle budget ran out at cycle {}", machine.cpu.account.now);
        } else if (stop == StopReason::StopRequested || stop == StopReason::Breakpoint) {
            result.stopMessage.clear();
        } else {
            // Every VM has stopped: say why each that did not halt cleanly stopped.
            result.stopMessage.clear();
            for (const auto& g : result.guests)
                if (g.stopReason != StopReason::Halted)
                    result.stopMessage += fmt::format("{}{}: {}", result.stopMessage.empty() ? "" : "; ",
                                                      result.guests.size() > 1 ? g.name : "", g.stopMessage);
            if (result.guests.size() == 1) result.stopMessage = first.stopMessage;
        }
        result.footprint = totalFootprint(result.guests, kMonitorReserve / isa::kPageSize);
        for (size_t vm = 0; vm < result.guests.size(); ++vm)
            addStorage(result.storage, storageResultOf(host_->monitor(vm).guestDevices(), options_.mode));
        return result;
    }
    Monitor& monitor = *monitor_;
    result.console = monitor.consoleText();
    result.consoleTruncated = monitor.consoleTruncated();
    result.hostConsole = monitor.hostConsoleText();
    if (auto guests = monitor.guestResults()) {
        result.guests = std::move(*guests);
        result.guestSwitches = monitor.guestSwitches();
        result.footprint = totalFootprint(result.guests, monitor.hostKernelPages());
    } else {
        GuestResult g;
        g.name = "native";
        g.console = result.console;
        g.consoleTruncated = result.consoleTruncated;
        g.stopReason = result.stopReason;
        g.stopMessage = result.stopMessage;
        g.instructions = result.instructions;
        g.cycles = result.cycles;
        g.events = result.events;
        g.footprint = monitor.footprint();
        result.guests.push_back(g);
        result.footprint = g.footprint;
    }
    result.storage = storageResultOf(monitor.guestDevices(), options_.mode);
    return result;
}

}  // namespace ringsim
