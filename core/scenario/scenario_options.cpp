// What a scenario gives a run: its RunOptions for one mode and preset, and the
// guest sources that mode assembles.
#include "monitors/modes.h"
#include "scenario/scenario.h"

namespace ringsim {

RunOptions Scenario::optionsFor(Mode mode, const std::string& preset) const {
    const ModeInfo& info = modeInfo(mode);
    RunOptions o;
    o.mode = mode;
    o.preset = preset.empty() ? machine.preset : preset;
    o.costOverrides = machine.costOverrides;
    o.maxCycles = machine.maxCycles;
    o.memoryBytes = machine.memoryBytes;
    o.strict = machine.strict;
    o.hardwareAssist = machine.hardwareAssist;
    o.paging = machine.paging;
    o.nic = machine.nic;
    o.diskFrontEnd = machine.disk;
    o.instances = guests.instances;
    o.sliceCycles = guests.sliceCycles;
    // Weights belong to the kind of instance they were written for.
    const bool container = info.containers;
    const bool apply = guests.countedAs == ScenarioGuests::Count::Vms          ? info.virtualMachine
                       : guests.countedAs == ScenarioGuests::Count::Containers ? container
                                                                               : info.virtualMachine || container;
    if (apply) o.weights = guests.weights;
    o.programsPerInstance = guests.programsPerInstance;
    return o;
}

GuestSources Scenario::sourcesFor(Mode mode) const {
    GuestSources sources{guests.kernel, guests.programs, guests.defines, guests.includeDirs};
    if (guests.paravirtualKernel || modeInfo(mode).needsParavirtKernel) sources.defines["PARAVIRT"] = 1;
    if (!machine.nic.empty()) sources.defines["NET"] = 1;  // the kernel with the NIC's driver (kernel/net.s)
    if (machine.disk != DiskFrontEndKind::None) sources.defines["FILESTORE"] = 1;  // the kernel's file store finds it
    return sources;
}

}  // namespace ringsim
