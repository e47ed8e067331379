#include "run/run.h"

#include <fmt/format.h>

#include "machine/errors.h"
#include "machine/machine.h"
#include "monitors/monitor.h"
#include "run/session.h"

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

uint32_t instanceCount(const RunOptions& options) {
    if (options.instances == 0) throw InputError("the number of instances must be at least 1");
    if (!options.weights.empty() && options.weights.size() != options.instances)
        throw InputError(fmt::format("{} weights for {} instances: give one weight per instance", options.weights.size(),
                                     options.instances));
    if (!options.programsPerInstance.empty() && options.programsPerInstance.size() != options.instances)
        throw InputError(fmt::format("programs are given for {} instances, but there are {}",
                                     options.programsPerInstance.size(), options.instances));
    return options.instances;
}

MachineConfig machineConfigFor(const RunOptions& options) {
    const ModeInfo* mode = &modeInfo(options.mode);
    if (options.memoryBytes < isa::kPageSize * 4 || options.memoryBytes % isa::kPageSize)
        throw InputError(fmt::format("memory size {} must be a multiple of 4096 and at least 16384 bytes",
                                     options.memoryBytes));
    if (options.memoryBytes > kMaxMachineBytes)
        throw InputError(fmt::format("memory size {} is more than the machine's limit of {} bytes (1 GiB), the same "
                                     "in every mode",
                                     options.memoryBytes, kMaxMachineBytes));
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
    config.cpu.taggedTlb = !preset || preset->taggedTlb;
    config.costs = resolveCosts(options.preset, options.costOverrides);
    config.eventCapacity = options.eventCapacity;
    if (options.exitControls && !mode->needsHardwareAssist)
        throw InputError(fmt::format("exit controls are hardware assistance's: {} has none (use hw-assist)", options.mode));
    config.exitControls = options.exitControls;
    config.diskFrontEnd = options.diskFrontEnd;
    if (options.diskBackend && instanceCount(options) > 1)
        throw InputError("one disk cannot be written by several instances: give each its own (or run one)");
    config.diskBackend = options.diskBackend;
    return config;
}

RunResult runVms(std::vector<VmSpec> vms, const RunOptions& options, const EventListener& listener) {
    Session session(std::move(vms), options);
    session.setListener(listener);
    session.run();
    return session.result();
}

RunResult runGuest(const GuestImages& guest, const RunOptions& options, const EventListener& listener) {
    Session session(guest, options);
    session.setListener(listener);
    session.run();
    return session.result();
}

}  // namespace ringsim
