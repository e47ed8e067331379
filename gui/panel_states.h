// What panels remember between frames (selection, scroll, pop-out, windows
// opened), one struct per panel, owned by the Ui and handed to the panel's
// draw function; the panels keep none of it in their own files, so two Uis
// (or a test's) never share it.
#pragma once

#include <imgui.h>

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "cpu-model/vmx.h"
#include "machine/events.h"
#include "monitors/modes.h"

namespace ringsim {
class Session;
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

// The Rings panel (panels/rings.cpp): when the newest transition appeared, for its arrow's pulse.
struct RingsPanelState {
    uint64_t newestSeen = UINT64_MAX;  // the event log's total when last seen
    double newestAt = 0.0;             // ImGui time it changed
};

// The Counters panel (panels/counters.cpp).
struct CountersPanelState {
    bool chartTabChosen = false;  // the chart's tab is chosen once, on the first frame
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
    // The theme's dimming colour while a question darkens it (restored after).
    std::optional<ImVec4> themeDim;
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

struct PanelStates {
    ComparePanelState compare;
    MechanismPanelsState mechanisms;
    RingsPanelState rings;
    CountersPanelState counters;
    ExitControlsPanelState exitControls;
    PredictPanelState predict;
    EventLogPanelState eventLog;
};

}  // namespace ringsim::gui
