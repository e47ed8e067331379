#include "run.h"

#include <fmt/format.h>

#include "errors.h"
#include "machine.h"
#include "native.h"

namespace ringsim {

const std::vector<std::string>& modeNames() {
    static const std::vector<std::string> names = {"native"};
    return names;
}

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

RunResult runGuest(const GuestImages& guest, const RunOptions& options,
                   const std::function<bool(const Event&)>& listener) {
    const auto& modes = modeNames();
    if (std::find(modes.begin(), modes.end(), options.mode) == modes.end()) {
        std::string known;
        for (const auto& m : modes) known += fmt::format("{}{}", known.empty() ? "" : ", ", m);
        throw InputError(fmt::format("unknown mode '{}' (known: {})", options.mode, known));
    }
    if (options.memoryBytes < isa::kPageSize * 4 || options.memoryBytes % isa::kPageSize)
        throw InputError(fmt::format("memory size {} must be a multiple of 4096 and at least 16384 bytes",
                                     options.memoryBytes));

    MachineConfig config;
    config.memoryBytes = options.memoryBytes;
    config.cpu.strict = options.strict;
    config.costs = resolveCosts(options.preset, options.costOverrides);
    config.eventCapacity = options.eventCapacity;
    Machine machine(config);
    NativePlatform platform(machine);
    machine.cpu.setHooks(&platform);
    if (listener)
        machine.events.setListener([&](const Event& e) {
            if (!listener(e)) machine.cpu.requestStop();
        });
    machine.boot(guest);
    machine.cpu.run(options.maxCycles);

    RunResult result;
    result.mode = options.mode;
    result.preset = options.preset;
    result.costs = machine.costs;
    result.console = machine.devices.console.text();
    result.consoleTruncated = machine.devices.console.truncated();
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
    return result;
}

}  // namespace ringsim
