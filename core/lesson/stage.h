// The lecture stage's content: what the central picture shows at one moment,
// read from the events' receipts. The GUI draws it and prints it
// (`ringsim-gui --print-stage`); tests compare it with the receipts. Nothing
// here knows how it is drawn.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "machine/events.h"
#include "lesson/tour_cursor.h"
#include "machine/timeline.h"
#include "monitors/modes.h"

namespace ringsim {

// An event that stays in one ring, shown where it happened.
struct StageMark {
    uint64_t number = 0;  // in the event log
    EventKind kind = EventKind::Count;
    Mechanism mechanism = Mechanism::Count;
    int ring = 0;
    Actor who = Actor::Kernel;
    std::string text;      // "getcpl read 1; the kernel believes it runs in 0"
    bool warning = false;  // something went wrong that nobody saw (a sensitive instruction ran silently)
};

// Transitions of one kind along one route, over a recent window (the flow
// the stage shows at full speed) and for the whole run.
struct StageFlow {
    EventKind kind = EventKind::Count;
    Mechanism mechanism = Mechanism::Count;
    std::vector<Hop> route;
    uint64_t recent = 0;  // events in the window
};

// Who is drawn in a band: a VM (its kernel or its programs, as its CPU
// state says), a container, the monitor, the host kernel, or natively the
// kernel and the program. Lit: its code runs now.
struct StageOccupant {
    std::string name;  // "vm0 kernel", "container1", "monitor"
    int ring = 0;
    bool lit = false;
};

// One row of the virtual CPU beside the real one, as the Virtual CPU panel
// has it (lesson/virtual_cpu_view): the stage shows IF and the CPL.
struct StageCpuRow {
    std::string name;  // "IF", "ring (CPL)"
    std::string guest, real;
    bool differs = false;
};

struct StageView {
    // The event the picture is about (none before the first event, or at a
    // stop the run reached by label or cycle).
    std::optional<uint64_t> number;
    Event event;               // kind Count when there is none
    bool current = true;       // false: newer events have happened since (the picture says so)
    std::vector<Hop> route;    // the rings control passed through; one hop: it stayed
    int litRing = 0;           // the ring lit: where control is, or the monitor's while it works
    bool monitorWorking = false;
    std::vector<StageMark> marks;  // events at the same moment that stayed in one ring
    std::string caption;       // "syscall: to the monitor, passed on to the guest kernel"
    std::vector<std::string> hopLabels;  // route.size()-1 words, one per hop: "trap", "reflected"
    std::string device;        // the device the event reached or came from ("console", "disk", "timer"); empty: none
    // Filled by surroundStage from the session: who runs where, the virtual
    // CPU beside the real one, and where the CPU is.
    std::vector<StageOccupant> occupants;
    std::vector<StageCpuRow> virtualCpu;  // empty where no monitor keeps one
    uint64_t virtualCpuAt = 0;            // the cycle the virtual and real CPUs were read at (the session's now)
    std::string cpuLine;                  // "CPU in ring 1 (vm0 kernel)"
};

// What the stage shows for event `number` of `log` (it must be retained), in
// `mode`. Marks: the event itself if it stayed in one ring, and the other
// one-ring events recorded at the same cycle.
StageView stageForEvent(const EventLog& log, uint64_t number);
// The stage with no event to show: control is in `ring`.
StageView stageAtRest(int ring);
// What the stage shows at a tour stop just reached: the stop's event; for a
// stop reached by label or cycle, the newest event (or, before any, control
// at rest in `cpuRing`). The stop is the moment on screen: current.
StageView stageAtStop(const EventLog& log, const ReachedStop& stop, int cpuRing);
// The ring to light at `cycle` of a run: the monitor's while the timeline
// says the monitor (or the translator, or a world switch) was working, else
// `cpuRing`. False in `working` otherwise.
int litRingAt(const Timeline& timeline, uint64_t cycle, Mode mode, int cpuRing, bool& working);
// The flows of the last `window` cycles before `now`, most frequent first
// (at most `limit`; at most `scan` events are read).
std::vector<StageFlow> stageFlows(const EventLog& log, uint64_t now, uint64_t window, size_t limit = 6,
                                  size_t scan = 20000);

// The word on the arrow of hop `hop` (from route[hop] to route[hop+1]) of an
// event handled by `m`: "trap", "reflected", "exit", "entry", "hypercall", "callout".
std::string hopLabel(Mechanism m, EventKind kind, const std::vector<Hop>& route, size_t hop);
// The device an event reached or came from, from its port, vector or
// hypercall: "console", "disk", "timer", "clock"; empty when none.
std::string stageDevice(const Event& e);
// The devices drawn at the stage's edge, top to bottom.
std::span<const std::string_view> stageDevices();

// The short words for a mechanism on the stage: "reflected by the monitor".
std::string_view mechanismCaption(Mechanism m);
// What a sensitive instruction executed silently did wrong, from its event.
std::string silentWarning(const Event& e);

// One JSON object (one line): event {number, kind, mechanism, cycle, pc},
// current, route (rings), route_who, hop_labels, lit_ring, monitor_working,
// marks (kinds), mark_texts, caption, device, occupants [{name, ring, lit}],
// virtual_cpu [{name, guest, real, differs}], virtual_cpu_at, cpu_line.
std::string stageJson(const StageView& view);

}  // namespace ringsim
