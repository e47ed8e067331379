// What the panels share besides the simulation: the selected event (click it
// in one view, it is selected in every view), the user's settings, and the
// fonts. View state only; the simulation's state is read from SimController.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app_shell.h"
#include "background_compare.h"
#include "comparison.h"
#include "deck_controller.h"
#include "panel_states.h"
#include "sim_controller.h"

namespace ringsim::gui {

struct Selection {
    // The selected event's number in the machine's event log (EventLog::at).
    std::optional<uint64_t> event;
    // Set by the view that made the selection; the other views bring it into
    // view once, then clear their own copy of the serial.
    uint64_t serial = 0;
    void select(uint64_t number) {
        event = number;
        ++serial;
    }
    void clear() {
        event.reset();
        ++serial;
    }
};

// Everything the user chooses that outlives a run (persisted by settings.cpp).
struct Settings {
    bool darkTheme = true;
    bool presentation = false;  // large fonts, high contrast, enlarged rings, tour and counters
    bool layoutLocked = false;  // panels cannot be moved or resized (for a lecture)
    float fontScale = 1.0f;
    std::string lastScenario;
    std::string lastMode;
    bool operator==(const Settings&) const = default;
};

// The tour stops the window has gone to (tour_follow.cpp).
struct TourFollow {
    size_t shown = 0;     // SimController::shownStops() when last followed
    uint64_t serial = 0;  // SimController::sessionSerial() then
};

struct Ui {
    SimController& sim;
    const Fonts& fonts;
    Selection selection;
    Settings settings;
    bool helpOpen = false;  // the help window (F1)
    // Every mode of the open scenario, compared in the background (the Counters panel's chart).
    BackgroundCompare allModes{};
    // The Compare panel's two modes side by side; the frame loop advances it, the panel only reads it.
    Comparison comparison{};
    PanelStates panels{};
    TourFollow tourFollow{};
    // The lecture deck, when one is open (--lecture, File > Lecture deck).
    DeckController deck{};
};

}  // namespace ringsim::gui
