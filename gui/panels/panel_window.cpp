// The opening every panel that shows the run has in common.
#include <imgui.h>

#include "../layout.h"
#include "panels.h"

namespace ringsim::gui {

Session* beginRunPanel(Ui& ui, PanelSlot slot, const char* title) {
    placeNextWindow(slot);
    ImGui::Begin(title);
    Session* session = ui.sim.session();
    if (!session) {
        // Why there is no run is said in Controls and Tour; here, only that there is none.
        ImGui::TextDisabled("no run");
        ImGui::End();
    }
    return session;
}

}  // namespace ringsim::gui
