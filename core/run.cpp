#include "run.h"

#include <fmt/format.h>

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

MachineConfig machineConfigFor(const RunOptions& options) {
    const ModeInfo* mode = &requireMode(options.mode);
    if (options.memoryBytes < isa::kPageSize * 4 || options.memoryBytes % isa::kPageSize)
        throw InputError(fmt::format("memory size {} must be a multiple of 4096 and at least 16384 bytes",
                                     options.memoryBytes));
    MachineConfig config;
    // A VM's guest gets the memory asked for; the monitor keeps its own beside it.
    config.memoryBytes = options.memoryBytes + (mode->virtualMachine ? kMonitorReserve : 0);
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

RunResult runGuest(const GuestImages& guest, const RunOptions& options,
                   const std::function<bool(const Event&)>& listener) {
    const MachineConfig config = machineConfigFor(options);
    Machine machine(config);
    auto monitor = makeMonitor(options.mode, machine);
    machine.cpu.setHooks(monitor.get());
    if (listener)
        machine.events.setListener([&](const Event& e) {
            if (!listener(e)) machine.cpu.requestStop();
        });
    monitor->start(guest);
    monitor->run(options.maxCycles);

    RunResult result;
    result.mode = options.mode;
    result.preset = options.preset;
    result.costs = machine.costs;
    result.console = monitor->consoleText();
    result.consoleTruncated = monitor->consoleTruncated();
    result.hostConsole = monitor->hostConsoleText();
    result.monitor = monitor->counters();
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

}  // namespace ringsim
