// Checks across sections, once the sections are read: the guests against the
// modes that run them, a tour's labels against the guest as assembled for its
// modes, and the machine each run will build.
#include <fmt/format.h>

#include <set>

#include "machine/errors.h"
#include "machine/guest.h"
#include "monitors/modes.h"
#include "run/run.h"
#include "run/vm_host.h"
#include "scenario/scenario_loader.h"
#include "scenario/scenario_words.h"

namespace ringsim::scenario_detail {

void Loader::checkGuestsAgainstModes(const Scenario& s, const GuestKeys& keys) const {
    const ScenarioGuests& g = s.guests;
    const Value& at = keys.count ? *keys.count : keys.self;
    bool vmMode = false, containerMode = false, oneKernel = false;
    for (const auto& m : s.modes) {
        const ModeInfo& info = modeInfo(m);
        vmMode |= info.virtualMachine;
        containerMode |= info.containers;
        oneKernel |= !info.virtualMachine;
    }
    if (g.countedAs == ScenarioGuests::Count::Vms && !vmMode)
        fail(at, fmt::format("VMs need a mode that runs them, but the modes are {}", joined(s.modes)));
    if (g.countedAs == ScenarioGuests::Count::Containers && !containerMode)
        fail(at, fmt::format("containers need the container mode, but the modes are {}", joined(s.modes)));
    if (keys.weights && !vmMode && !containerMode)
        fail(*keys.weights, fmt::format("weights share the CPU among VMs or containers, but the modes are {}",
                                        joined(s.modes)));
    // Natively and in containers every instance's programs are processes of one kernel.
    const size_t programs = g.programs.size() * g.instances;
    if (oneKernel && (g.instances > 1 || containerMode) && programs > bootinfo::kMaxPrograms)
        fail(at, fmt::format("{} instances of {} programs make {} processes on one kernel in native or container "
                             "mode; the kernel starts at most {}",
                             g.instances, g.programs.size(), programs, bootinfo::kMaxPrograms));
    if (vmMode) {
        try {
            machineBytesForVms(g.instances, s.machine.memoryBytes);
        } catch (const InputError& e) {
            fail(at, e.what());
        }
    }
}

void Loader::checkLabel(const Value& v, const Scenario& s, const Tour& tour, const std::string& label) const {
    const size_t colon = label.find(':');
    const std::string program = colon == std::string::npos ? "" : label.substr(0, colon);
    const std::string name = colon == std::string::npos ? label : label.substr(colon + 1);
    if (name.empty() || (colon != std::string::npos && program.empty()))
        fail(v, "expects a label, or \"program.s:label\" for one in a user program");
    // The unmodified build serves every mode but paravirt, which assembles with PARAVIRT=1.
    bool need[2] = {false, false};
    for (const auto& m : tour.modes) need[modeInfo(m).needsParavirtKernel ? 1 : 0] = true;
    for (int build = 0; build < 2; ++build) {
        if (!need[build]) continue;
        if (!builds_[build]) {
            GuestSources sources{s.guests.kernel, s.guests.programs, s.guests.defines, s.guests.includeDirs};
            if (build) sources.defines["PARAVIRT"] = 1;
            if (!s.machine.nic.empty()) sources.defines["NET"] = 1;  // as sourcesFor builds it
            if (s.machine.disk != DiskFrontEndKind::None) sources.defines["FILESTORE"] = 1;  // as sourcesFor builds it
            try {
                builds_[build] = assembleGuest(sources);
            } catch (const InputError& e) {
                fail(v, fmt::format("cannot look the label up: the guest{} does not assemble:\n{}",
                                    build ? " (paravirtual build, PARAVIRT=1)" : "", e.what()));
            }
        }
        const GuestImages& images = *builds_[build];
        const assembler::Program* where = &images.kernel;
        std::string inFile = fs::path(s.guests.kernel).filename().string();
        if (!program.empty()) {
            where = nullptr;
            for (size_t i = 0; i < images.programs.size() && !where; ++i)
                if (images.programNames[i] == program) where = &images.programs[i];
            if (!where)
                fail(v, fmt::format("no program {} among guests.programs{}", quote(program),
                                    hint(program, images.programNames)));
            inFile = program;
        }
        if (!where->labels.count(name)) {
            std::vector<std::string> labels;
            for (const auto& [l, address] : where->labels) labels.push_back(l);
            fail(v, fmt::format("no label {} in {}{}{}", quote(name), inFile,
                                build ? " as assembled for paravirt (PARAVIRT=1)" : "", hint(name, labels, false)));
        }
    }
}

// The machine each run will build, checked now: whatever slipped past the
// checks above is still reported against the file instead of at run time.
void Loader::checkNic(const Scenario& s, int nicLine) const {
    if (s.guests.instances > 1)
        fail(nicLine, "machine.nic",
             fmt::format("a NIC is for one guest; the scenario runs {} instances", s.guests.instances));
    if (s.guests.paravirtualKernel)
        fail(nicLine, "machine.nic", "the paravirtual kernel has no driver for an emulated NIC");
    for (Mode m : s.modes)
        if (modeInfo(m).needsParavirtKernel)
            fail(nicLine, "machine.nic",
                 fmt::format("{} runs the paravirtual kernel, which has no driver for an emulated NIC; leave it out "
                             "of modes",
                             m));
}

void Loader::checkRuns(const Scenario& s, int machineLine) const {
    std::set<std::string> presetsUsed = {""};
    for (const auto& e : s.expectations) presetsUsed.insert(e.preset);
    for (const auto& preset : presetsUsed)
        for (const auto& m : s.modes) {
            try {
                machineConfigFor(s.optionsFor(m, preset));
            } catch (const InputError& e) {
                fail(machineLine, "machine", fmt::format("{}{}: {}", m, preset.empty() ? "" : " (" + preset + ")", e.what()));
            }
        }
}

}  // namespace ringsim::scenario_detail
