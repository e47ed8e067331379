// Tour: the scenario's guided tour. The stop reached last is shown in large
// text, for a lecture hall; the scenario's summary before the first stop.
#include <imgui.h>

#include "../layout.h"
#include "panels.h"

namespace ringsim::gui {

void drawTourPanel(SimController& sim, const Fonts& fonts) {
    placeNextWindow(PanelSlot::Tour);
    ImGui::Begin("Tour");
    const Scenario* scenario = sim.scenario();
    if (!scenario) {
        ImGui::TextWrapped("No scenario is loaded.");
        ImGui::End();
        return;
    }
    const TourCursor& tour = sim.tour();
    if (!sim.tourNote().empty()) ImGui::TextDisabled("%s", sim.tourNote().c_str());
    if (tour.active()) ImGui::Text("stop %zu of %zu", tour.reached().size(), tour.stops());
    ImGui::Separator();
    ImGui::PushFont(fonts.large);
    if (!tour.reached().empty())
        ImGui::TextWrapped("%s", tour.reached().back().text.c_str());
    else
        ImGui::TextWrapped("%s", scenario->title.c_str());
    ImGui::PopFont();
    if (tour.reached().empty()) ImGui::TextWrapped("%s", scenario->summary.c_str());
    ImGui::End();
}

}  // namespace ringsim::gui
