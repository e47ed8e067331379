#include "run.h"

#include <fmt/format.h>

#include "container.h"
#include "deprivileged.h"
#include "errors.h"
#include "machine.h"
#include "monitor.h"

namespace ringsim {


Costs resolveCosts(const std::string& preset, const std::vector<std::string>& overrides) {
    const Preset* p = presetNamed(preset);
    if (!p) {
        std::string known;
        for (const auto& q : presets()) known += fmt::format("{}{}", known.empty() ? "" : ", ", q.name);
        throw InputError(fmt::format("unknown preset '{}' (known: {})", preset, known));
    }
    Costs costs = p->costs;
    for (const auto& o : overrides)
        if (auto error = applyCostOverride(costs, o)) throw InputError(*error);
    return costs;
}

namespace {

uint32_t instanceCount(const RunOptions& options) {
    if (options.instances == 0) throw InputError("the number of instances must be at least 1");
    if (!options.weights.empty() && options.weights.size() != options.instances)
        throw InputError(fmt::format("{} weights for {} instances: give one weight per instance", options.weights.size(),
                                     options.instances));
    return options.instances;
}

}  // namespace

MachineConfig machineConfigFor(const RunOptions& options) {
    const ModeInfo* mode = &requireMode(options.mode);
    if (options.memoryBytes < isa::kPageSize * 4 || options.memoryBytes % isa::kPageSize)
        throw InputError(fmt::format("memory size {} must be a multiple of 4096 and at least 16384 bytes",
                                     options.memoryBytes));
    MachineConfig config;
    // Each VM's guest gets the memory asked for; the monitor keeps its own beside them.
    config.memoryBytes = mode->virtualMachine ? uint32_t(machineBytesForVms(instanceCount(options), options.memoryBytes))
                                              : options.memoryBytes;
    config.cpu.strict = options.strict;
    config.cpu.hardwareAssist = options.hardwareAssist;
    const Preset* preset = presetNamed(options.preset);
    if (options.paging != "auto" && options.paging != "nested" && options.paging != "shadow")
        throw InputError(fmt::format("unknown paging '{}' (known: auto, nested, shadow)", options.paging));
    const bool presetHasNested = preset && preset->nestedPaging;
    if (options.paging == "nested" && preset && (!presetHasNested || !options.hardwareAssist))
        throw InputError(fmt::format("nested paging needs a CPU with hardware assistance that has it; the '{}' "
                                     "preset's CPU {}",
                                     options.preset, options.hardwareAssist ? "has none" : "has no hardware assistance"));
    config.cpu.nestedPaging = options.paging == "nested" || (options.paging == "auto" && presetHasNested);
    config.costs = resolveCosts(options.preset, options.costOverrides);
    config.eventCapacity = options.eventCapacity;
    return config;
}

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
    result.portAccesses = machine.cpu.stats().portAccesses;
    result.finalState = machine.cpu.state;
    result.hardwareAssist = config.cpu.hardwareAssist;
    result.nestedPaging = requireMode(options.mode).needsHardwareAssist && config.cpu.nestedPaging;
    result.memoryBytes = options.memoryBytes;
    result.strict = options.strict;
    return result;
}

void connectListener(Machine& machine, const EventListener& listener, const std::function<void()>& stop) {
    if (listener)
        machine.events.setListener([&listener, stop](const Event& e) {
            if (!listener(e)) stop();
        });
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

RunResult runVms(std::vector<VmSpec> vms, const RunOptions& vmOptions, const EventListener& listener) {
    RunOptions options = vmOptions;
    options.instances = uint32_t(vms.size());
    options.weights.clear();
    const MachineConfig config = machineConfigFor(options);
    Machine machine(config);
    VmHost host(machine, options.mode, options.memoryBytes, options.sliceCycles);
    connectListener(machine, listener, [&host] { host.requestStop(); });
    host.start(std::move(vms));
    const StopReason stop = host.run(options.maxCycles);

    RunResult result = machineTotals(machine, config, options);
    result.instances = options.instances;
    result.guests = host.results();
    result.hostCycles = host.hostCycles();
    result.guestSwitches = host.switches();
    result.stopReason = stop;
    // One guest stands for the run: the first VM (the only one, usually).
    const GuestResult& first = result.guests.front();
    result.console = first.console;
    result.consoleTruncated = first.consoleTruncated;
    if (stop == StopReason::CycleBudget) {
        result.stopMessage = result.guests.size() == 1
                                 ? machine.cpu.stopMessage()
                                 : fmt::format("the cycle budget ran out at cycle {}", machine.cpu.account.now);
    } else if (stop != StopReason::StopRequested) {
        // Every VM has stopped: say why each that did not halt cleanly stopped.
        result.stopMessage.clear();
        for (const auto& g : result.guests)
            if (g.stopReason != StopReason::Halted)
                result.stopMessage += fmt::format("{}{}: {}", result.stopMessage.empty() ? "" : "; ",
                                                  result.guests.size() > 1 ? g.name : "", g.stopMessage);
        if (result.guests.size() == 1) result.stopMessage = first.stopMessage;
    }
    for (const auto& g : result.guests) result.monitor += g.monitor;
    result.footprint = totalFootprint(result.guests, kMonitorReserve / isa::kPageSize);
    return result;
}

RunResult runGuest(const GuestImages& guest, const RunOptions& options, const EventListener& listener) {
    const uint32_t instances = instanceCount(options);
    const ModeInfo& mode = requireMode(options.mode);
    if (mode.virtualMachine) {
        std::vector<VmSpec> vms(instances, VmSpec{guest, kDefaultVmWeight});
        for (size_t i = 0; i < options.weights.size(); ++i) vms[i].weight = options.weights[i];
        return runVms(std::move(vms), options, listener);
    }
    const bool containers = options.mode == "container";
    if (!containers && !options.weights.empty())
        throw InputError(fmt::format("{}: CPU weights need VMs (a VM mode) or containers (container mode)", options.mode));

    // Several instances on one kernel: every program once per instance, as
    // processes of the native kernel or in one container each.
    GuestImages images = guest;
    std::vector<ProgramPlacement> placements;
    if (instances > 1 || containers) {
        images.programs.clear();
        images.programNames.clear();
        for (uint32_t i = 0; i < instances; ++i) {
            for (size_t p = 0; p < guest.programs.size(); ++p) {
                images.programs.push_back(guest.programs[p]);
                images.programNames.push_back(guest.programNames[p]);
                ProgramPlacement placement;
                if (containers) {
                    placement.container = i + 1;
                    if (!options.weights.empty()) placement.weight = options.weights[i];
                }
                placements.push_back(placement);
            }
        }
        if (images.programs.size() > bootinfo::kMaxPrograms)
            throw InputError(fmt::format("{} instances of {} programs make {} programs; the kernel takes at most {}",
                                         instances, guest.programs.size(), images.programs.size(),
                                         bootinfo::kMaxPrograms));
    }

    const MachineConfig config = machineConfigFor(options);
    Machine machine(config);
    auto monitor = makeMonitor(options.mode, machine);
    machine.cpu.setHooks(monitor.get());
    connectListener(machine, listener, [&machine] { machine.cpu.requestStop(); });
    auto* container = dynamic_cast<ContainerMonitor*>(monitor.get());
    if (container) container->setContainers(placements);
    monitor->start(images);
    monitor->run(options.maxCycles);

    RunResult result = machineTotals(machine, config, options);
    result.instances = instances;
    result.console = monitor->consoleText();
    result.consoleTruncated = monitor->consoleTruncated();
    result.hostConsole = monitor->hostConsoleText();
    result.monitor = monitor->counters();
    if (container) {
        result.guests = container->guestResults();
        result.guestSwitches = container->containerSwitches();
        result.footprint = totalFootprint(result.guests, container->hostKernelPages());
    } else {
        GuestResult g;
        g.name = "native";
        g.weight = 0;
        g.console = result.console;
        g.consoleTruncated = result.consoleTruncated;
        g.stopReason = result.stopReason;
        g.stopMessage = result.stopMessage;
        g.instructions = result.instructions;
        g.cycles = result.cycles;
        g.events = result.events;
        g.footprint = monitor->footprint();
        result.guests.push_back(g);
        result.footprint = g.footprint;
    }
    return result;
}

}  // namespace ringsim
