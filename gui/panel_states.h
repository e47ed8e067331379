// What panels remember between frames (selection, scroll, pop-out, windows
// opened), one struct per panel, owned by the Ui and handed to the panel's
// draw function; the panels keep none of it in their own files, so two Uis
// (or a test's) never share it.
#pragma once

#include <imgui.h>

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cpu-model/cpu.h"
#include "cpu-model/disassembler.h"
#include "cpu-model/vmx.h"
#include "lesson/explain.h"
#include "lesson/mechanisms.h"
#include "machine/events.h"
#include "machine/timeline.h"
#include "monitors/modes.h"
#include "stage_pacer.h"

namespace ringsim {
class Session;
struct GuestImages;
}

namespace ringsim::gui {

// The Compare panel (panels/compare.cpp); its comparison is the Ui's `comparison`.
struct ComparePanelState {
    static constexpr int kDefaultRows = 200'000;
    Mode modeA = Mode::Native;
    std::optional<Mode> modeB;
    bool modeBChosen = false;  // else B is the session's mode
    int maxRows = kDefaultRows;
    std::optional<size_t> row;  // the selected row
    // Frames left to scroll the table to the selected row: two, since a
    // scroll lands a frame late and a new table knows its height only then.
    int reveal = 0;
    bool selectFirstParting = false;
    uint64_t selectionSeen = 0;
    std::string note;  // what the last click did
    // Pop out: large over the other panels, then back where it was.
    bool poppedOut = false;
    bool popRequested = false;
    ImVec2 dockedPos, dockedSize;
    bool dockedCollapsed = false;  // a title bar in the row, as the design shows it
    // The range of the difference (for the plot and the column's width), extended as rows come.
    size_t rangeRows = 0;
    int64_t smallest = 0, largest = 0;
    std::string tableId;  // the table drawn last
};

// The mechanism views (panels/mechanism_panels.cpp): which were opened by
// hand in a mode they do not belong to (translation cache, hypercalls, exit controls).
struct MechanismPanelsState {
    std::array<bool, 3> opened{};
};

// The Stage panel (panels/stage.cpp): the event on stage and the pace at
// which events come on, so each route plays once, hop by hop, in turn.
struct StagePanelState {
    uint64_t shownEvent = UINT64_MAX;  // the moment stageNow chose last (UINT64_MAX: none)
    uint64_t shownSerial = 0;          // SimController::sessionSerial() when it came on
    StagePacer pacer;
};

// The Counters panel (panels/counters.cpp).
struct CountersPanelState {
    bool chartTabChosen = false;  // the chart's tab is chosen once, on the first frame
    std::string openTab;          // a tab to bring forward on the next frame ("Footprint"), then cleared
    size_t footprintRows = 0;     // the modes the Footprint tab showed when it was last drawn (for tests)
};

// The Exit controls panel (panels/exit_controls.cpp): the controls being edited, not yet applied.
struct ExitControlsPanelState {
    const Session* shownFor = nullptr;  // the session whose controls `pending` started from
    VmControls pending;
    bool edited = false;
};

// The Predict question (panels/predict.cpp): the student's choices so far.
struct PredictPanelState {
    int ring = 99;  // none chosen yet
    int mechanism = -1;
    uint64_t question = UINT64_MAX;  // the event the choices belong to
};

// The Event log panel (panels/event_log.cpp): its filter and scrolling.
struct EventLogPanelState {
    // The filter: which kinds are shown (all at first), and which guest (-1: every one).
    std::array<bool, kEventKindCount> showKind = [] {
        std::array<bool, kEventKindCount> all{};
        all.fill(true);
        return all;
    }();
    int guest = -1;
    // The event numbers that pass a filter, extended as the log grows and
    // trimmed as it forgets; not used when nothing is filtered out.
    std::deque<uint64_t> rows;
    uint64_t rowsUpTo = 0;  // events before this number have been filtered
    const EventLog* rowsOf = nullptr;
    bool filterChanged = true;
    uint64_t lastTotal = UINT64_MAX;  // the log's size when last drawn: it grew -> show the newest rows
    int scrollFrames = 0;             // frames left to keep the newest rows in view (the table's height settles over two)
    uint64_t selectionSeen = 0;       // Selection::serial last brought into view
};

// The CPU window (panels/cpu.cpp): the machine at the last two pauses, what
// "changed since the last pause or step" compares with. Taken when the
// simulation stands still at a new cycle.
struct CpuPanelState {
    uint64_t serial = ~uint64_t(0);  // the session the snapshots are of
    uint64_t cycle = ~uint64_t(0);   // the cycle of the last pause
    bool haveBefore = false;
    ArchState before, atPause;
    std::vector<uint8_t> memoryBefore, memoryAtPause;
};

// The CPU window's Disassembly tab (panels/disassembly_view.cpp): following
// the pc or anchored where the user went, and the rows built around it.
struct DisassemblyPanelState {
    struct Row {
        enum class Kind : uint8_t { Label, Code, Data, Unmapped };
        Kind kind = Kind::Code;
        uint32_t address = 0;
        uint32_t length = 0;
        const std::string* label = nullptr;  // label rows
    };
    bool follow = true;
    uint32_t anchor = 0;  // what the rows are built around when not following the pc
    bool reveal = true;   // scroll the focus into view on the next frame
    uint32_t lastPc = ~0u;
    uint64_t serial = ~uint64_t(0);
    uint64_t selectionSeen = 0;
    std::string gotoText, gotoError;
    std::vector<Row> rows;  // reused every frame
};

// The CPU window's Memory tab (panels/memory_view.cpp): the address asked for and how it is read.
struct MemoryPanelState {
    bool physical = false;
    uint32_t target = 0;  // the address asked for
    bool reveal = true;
    bool started = false;
    uint64_t serial = ~uint64_t(0);
    std::string text, error;
};

// The Hypercalls panel (panels/hypercalls.cpp): the VM shown, the selected
// call, and the kernel's call sites found once per guest.
struct HypercallsPanelState {
    int vm = 0;
    std::optional<uint64_t> selectedCall;    // number in the HypercallLog
    std::optional<uint32_t> selectedNumber;  // the hypercall shown in the detail
    uint64_t selectionSeen = 0;
    uint64_t lastTotal = UINT64_MAX;
    int scrollFrames = 0;
    // The kernel's call sites, found once per guest.
    const GuestImages* sitesFor = nullptr;
    std::vector<HypercallSite> sites;
    std::map<std::string, std::vector<std::string>> sourceLines;  // by file path
};

// The Source panel (panels/source.cpp): the files in the editor, their edits
// not yet saved, the cursor and the last action's outcome.
struct SourcePanelState {
    struct File {
        std::string path;   // normalised, as the assembler names it
        std::string label;  // short: relative to the kernel's folder
        std::string text;   // the editor's buffer
        std::string disk;   // the file as it is on disk
    };
    uint64_t openCount = UINT64_MAX;  // the SimController::openCount() the files were read for
    std::vector<File> files;
    size_t current = 0;
    std::optional<size_t> selectTab;  // a tab to bring forward on the next frame
    std::optional<int> gotoLine;      // move the cursor there (1-based)
    bool scrollToGoto = false;        // scroll the editor to gotoLine on the next frame
    int cursorLine = 1;
    int lastCursorLine = 0;
    std::string note;                 // the last action's outcome ("saved", "reloaded", why not)
    bool noteIsError = false;
    bool jumpToPc = true;             // show the pc's line (when the files are first shown, at a tour stop)
    uint64_t selectionSeen = 0;       // Selection::serial last brought into view
    size_t markedFile = SIZE_MAX;     // the line last jumped to, outlined until another jump
    int markedLine = 0;
};

// The Timeline panel (panels/timeline.cpp): zoom, pan and the lanes.
struct TimelinePanelState {
    struct Lane {
        uint16_t guest = 0;
        char label[24] = {};
        const char* note = nullptr;  // what the lane holds, when its name does not say it all
    };
    const Timeline* of = nullptr;  // the timeline this view was set up for: a new run starts afresh
    double from = 0;               // the cycle at the left edge
    double cyclesPerPixel = 1;
    bool follow = true;   // keep the newest cycles in view
    bool zoomed = false;  // the user chose a zoom (else it fits the run, up to the default)
    uint64_t selectionSeen = 0;
    std::vector<Lane> lanes;
    std::vector<uint16_t> guests;
    std::vector<ColumnCycles> columns;  // reused every frame
};

// The Translation cache panel (panels/translation_cache.cpp): the VM shown,
// the table's rows, and the selected block decoded once.
struct TranslationCachePanelState {
    struct BlockRow {
        uint32_t physical = 0;
        uint32_t guestPc = 0;
        uint32_t instructions = 0;  // 0 when the block is dropped
        uint32_t rewritten = 0;
        uint64_t hits = 0;
        uint32_t translations = 0;
        const std::string* label = nullptr;
    };
    // What the translation does with one guest instruction.
    struct InstructionFate {
        disassembler::Line line;
        const char* tag = "";    // "copied", "callout", "emulated"
        std::string why;         // one or two sentences, from the instruction's class
        bool rewritten = false;  // highlighted
    };
    int vm = 0;
    std::vector<BlockRow> rows;                        // reused every frame
    std::unordered_map<uint32_t, std::string> labels;  // by physical address, named once
    const void* labelsFor = nullptr;                   // the cache the labels were named for
    std::optional<uint32_t> selected;                  // physical address of the selected block
    // The selected block decoded once: redone when the selection or its translation changes.
    std::vector<InstructionFate> fates;
    uint32_t fatesFor = 0;
    uint64_t fatesTranslatedAt = UINT64_MAX;
    uint64_t selectionSeen = 0;
};

// The "Why did this happen?" panel (panels/why.cpp): the explanation of the
// selected event, worked out once per selection.
struct WhyPanelState {
    const Session* session = nullptr;
    const GuestImages* guest = nullptr;
    uint64_t number = UINT64_MAX;
    uint64_t cycle = 0;
    uint32_t pc = 0;
    EventKind kind = EventKind::Count;
    std::optional<Mode> mode;
    EventExplanation explanation;
    int kindChoice = int(EventKind::VmExit);
    std::string searchNote;  // why "latest of kind" found nothing
};

// The Console panel (panels/console.cpp): whether it keeps the newest lines
// in view. Scrolling up stops that; scrolling back to the bottom resumes it.
struct ConsolePanelState {
    bool following = true;
    uint64_t serial = ~uint64_t(0);  // the session it follows (a new run follows afresh)
    bool jumpToNewest = false;       // the button asked for the bottom on the next frame
};

struct PanelStates {
    ComparePanelState compare;
    MechanismPanelsState mechanisms;
    StagePanelState stage;
    CountersPanelState counters;
    ExitControlsPanelState exitControls;
    PredictPanelState predict;
    EventLogPanelState eventLog;
    CpuPanelState cpu;
    DisassemblyPanelState disassembly;
    MemoryPanelState memory;
    HypercallsPanelState hypercalls;
    SourcePanelState source;
    TimelinePanelState timeline;
    TranslationCachePanelState translationCache;
    WhyPanelState why;
    ConsolePanelState console;
};

}  // namespace ringsim::gui
