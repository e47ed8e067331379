// The panels: each draws one view of the simulation (or one set of
// controls) as its own ImGui window, reading the SimController every frame
// through the Ui it is given. View state a panel keeps between frames
// (scroll, filters, zoom) is the Ui's (`Ui::panels`, panel_states.h); the
// panels' own files hold none.
#pragma once

#include <string>

#include "../layout.h"
#include "../ui.h"

namespace ringsim::gui {

// Places and opens the panel's window and returns the run to show; with no
// run it says so, closes the window and returns null. Otherwise the caller
// ends the window (ImGui::End).
Session* beginRunPanel(Ui& ui, PanelSlot slot, const char* title);

// Every panel below, in drawing order (all_panels.cpp).
void drawAllPanels(Ui& ui);

void drawControlsPanel(Ui& ui);
void drawStagePanel(Ui& ui);
void drawTourPanel(Ui& ui);
// Inside the Tour panel (title_card.cpp): the lesson's place in the lecture
// deck, and its title card while that is up (true: the card took the panel).
bool drawDeckInTour(Ui& ui);
void drawEventLogPanel(Ui& ui);
void drawCpuPanel(Ui& ui);
// The virtual CPU the monitor keeps for the guest, beside the real CPU (virtual_cpu.cpp).
void drawVirtualCpuPanel(Ui& ui);
// One line for tests: "virtual-cpu none", or "virtual-cpu monitor|hardware differs NAME,NAME|none".
std::string virtualCpuSummary(Ui& ui);
void drawCountersPanel(Ui& ui);
void drawTimelinePanel(Ui& ui);
// The question of "predict, then reveal", over everything, when one is open.
void drawPredictPanel(Ui& ui);
// The mechanism views (mechanism_panels.h): each in its own modes, the
// placeholder "Mechanism" window in modes that have none.
void drawTranslationCachePanel(Ui& ui);
void drawHypercallsPanel(Ui& ui);
void drawExitControlsPanel(Ui& ui);
void drawMechanismPlaceholderPanel(Ui& ui);
void drawComparePanel(Ui& ui);

// The Compare panel from the command line (--compare): compares two modes of
// the open scenario to the end before the first frame; false with the reason
// in `error` if it cannot. popOutComparePanel() shows the panel large.
bool compareModesNow(Ui& ui, Mode modeA, Mode modeB, std::string& error);
void popOutComparePanel(Ui& ui);
// One line for tests: "compare A,B rows N partings P difference D first-divergence R|none done 0|1".
std::string compareSummary(Ui& ui);
void drawWhyPanel(Ui& ui);
// Each guest's console as it is written, native's beside it when the scenario compares modes.
void drawConsolePanel(Ui& ui);
// For tests: "console NAME lines N differing D native-beside 0|1 following 0|1", a line per guest (and the host's stream).
std::string consoleSummary(Ui& ui);
void drawSourcePanel(Ui& ui);

}  // namespace ringsim::gui
