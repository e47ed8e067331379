// A scenario: one lesson as a file. It names the machine, the guest software,
// the modes worth comparing, the outcomes a test can check, and a guided
// tour — stops in the run, each with a short explanation for the lecturer.
// The format is YAML, documented in docs/scenarios.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "machine/guest.h"
#include "run/run.h"

namespace ringsim {

// Where a value came from in the file, for messages ("file:line: key: ...").
struct ScenarioLocation {
    std::string file;
    int line = 0;  // 1-based; 0 if unknown
    std::string key;  // dotted path of the key, e.g. "tour.stops[2].when.event"
};

struct ScenarioMachine {
    uint32_t memoryBytes = 4u << 20;  // per VM with several VMs
    bool strict = false;
    bool hardwareAssist = true;
    std::string paging = "auto";      // auto | nested | shadow
    DiskFrontEndKind disk = DiskFrontEndKind::None;  // a front end for the kernel's file store (FILESTORE=1)
    std::string preset = "modern";
    std::vector<std::string> costOverrides;  // "name=value", checked at load time
    uint64_t maxCycles = kDefaultMaxCycles;
    std::string nic;  // "e1000": the guest has a NIC on a switch with the outside peer (kernel built with NET=1)
};

struct ScenarioGuests {
    std::string kernel;                     // absolute path (resolved against the scenario's folder)
    std::vector<std::string> programs;      // absolute paths
    std::map<std::string, int64_t> defines; // assembler defines (PARAVIRT is added for paravirt)
    std::vector<std::string> includeDirs;    // -I folders, for a scenario made from the command line
    uint32_t instances = 1;                 // VMs in VM modes, containers in container mode, processes natively
    std::vector<uint32_t> weights;          // one per instance, or empty
    uint64_t sliceCycles = kDefaultSliceCycles;
    // `paravirtual_kernel: true`: every mode gets the PARAVIRT=1 build (to
    // show it cannot run on bare hardware); normally only paravirt does.
    bool paravirtualKernel = false;
    // `per_instance`: which of `programs` each instance runs (indices); empty = all of them in every instance.
    std::vector<std::vector<uint32_t>> programsPerInstance;
    // How the file counted the instances: `vms: N` (weights apply in the VM
    // modes), `containers: N` (weights apply in container mode) or
    // `instances: N` / nothing (weights apply in both). optionsFor() passes
    // the weights only to the modes they apply to.
    enum class Count { Instances, Vms, Containers };
    Count countedAs = Count::Instances;
};

// A checkable fact about the runs of a scenario.
struct Expectation {
    enum class Kind {
        Console,        // the console text equals `text` exactly, or contains it, or matches the regex
        Diverges,       // diverges_from_native is `diverges` in mode `mode`
        Counter,        // counter `counter` (a dotted path: cycles.total, vm_exits.io_instruction, overhead_percent, ...) `op` `value`
        Order,          // the modes in `order` have ascending total cycles
    };
    Kind kind = Kind::Console;
    std::vector<Mode> modes;  // the modes it applies to (empty: every mode the scenario runs)
    std::string preset;              // "" = every preset the comparison runs
    // Console
    enum class Match { Exact, Contains, Regex };
    Match match = Match::Contains;
    std::string text;
    std::string guest;  // "" = the run's console; "vm1", "container2" = that guest's
    // Diverges
    bool diverges = false;
    // Counter
    std::string counter;
    std::string op;  // one of < <= > >= == !=
    double value = 0;
    // Order
    std::vector<Mode> order;
    ScenarioLocation where;
    std::string describe() const;  // one line: "hw-assist: vm_exits.io_instruction >= 100"
};

// When a tour stop is reached.
struct StopCondition {
    enum class Kind {
        Event,       // the nth event of `eventKind` (nth from 1)
        ExitReason,  // the nth VM exit with reason `exitReason`
        Hypercall,   // the nth hypercall with number `number`
        Label,       // the pc reaches `label` (in the kernel, or "program.s:label" in a program) for the nth time
        RingChange,  // the nth transition from ring `fromRing` to ring `toRing` (-1 = root mode)
        Cycle,       // the machine's cycle count reaches `cycle`
    };
    Kind kind = Kind::Event;
    uint64_t nth = 1;
    std::string eventKind;   // an eventKindName
    std::string exitReason;  // a vmExitReasonName
    uint32_t number = 0;     // hypercall number (a name in the file is resolved at load time)
    std::string label;
    int fromRing = 0, toRing = 0;
    uint64_t cycle = 0;
};

struct TourStop {
    StopCondition when;
    // One to four sentences. Placeholders filled from the event that
    // reached the stop: {cycle} {ring_before} {ring_after} {kind} {pc}
    // {detail} {reason} {cost} {vector} {vm} {mode}.
    std::string say;
    ScenarioLocation where;
};

struct Tour {
    std::vector<Mode> modes;  // the modes it is written for (reaches every stop in each)
    std::vector<TourStop> stops;     // 4-10 for a bundled scenario
};

struct Scenario {
    std::string path;   // the file it was loaded from
    std::string name;   // the file name without folder and .yaml
    std::string title;
    std::string summary;
    ScenarioMachine machine;
    ScenarioGuests guests;
    std::vector<Mode> modes;  // to compare, expanded ("all" -> every mode), never empty
    Mode defaultMode = Mode::Native;  // the mode `run` and the GUI start in (default: the first of `modes`)
    std::vector<Expectation> expectations;
    std::optional<Tour> tour;
    // The GUI starts in "predict, then reveal": it asks before it shows what a transition did.
    bool predict = false;

    // The run options for one mode and preset.
    RunOptions optionsFor(Mode mode, const std::string& preset = "") const;
    // The guest sources for one mode: the defines plus PARAVIRT=1 where the
    // mode needs the paravirtual kernel.
    GuestSources sourcesFor(Mode mode) const;
};

// Loads and checks a scenario. Throws InputError with "file:line: key: problem"
// for a YAML syntax error, an unknown key (with "did you mean ...?" when one is
// close), a wrong type, a missing or unreadable file, an unknown mode, preset,
// cost, event kind, exit reason, hypercall or counter, and a tour condition
// that can never match (e.g. a hypercall in a tour for modes without paravirt).
// Sources are assembled later, when a run needs them.
Scenario loadScenario(const std::string& path);
// The same from text (tests, fuzzing); `path` names it in messages and is the
// folder relative paths are resolved against.
Scenario parseScenario(const std::string& text, const std::string& path);

// Every counter name an expectation may use, e.g. "cycles.total", "events.syscall",
// "vm_exits.io_instruction", "hypercalls.console_write", "overhead_percent".
const std::vector<std::string>& knownCounters();

}  // namespace ringsim
