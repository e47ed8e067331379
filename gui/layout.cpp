#include "layout.h"

#include <imgui.h>

namespace ringsim::gui {

namespace {
struct Rect {
    float x, y, w, h;
};
// Designed at 1280x800: the controls and the rings on the left (what a
// lecturer points at), the tour and the event log in the middle, the CPU and
// the counters on the right.
Rect designRect(PanelSlot slot) {
    switch (slot) {
    case PanelSlot::Controls: return {0, 0, 430, 250};
    case PanelSlot::Rings: return {0, 250, 430, 550};
    case PanelSlot::Tour: return {430, 0, 480, 250};
    case PanelSlot::EventLog: return {430, 250, 480, 550};
    case PanelSlot::Cpu: return {910, 0, 370, 330};
    case PanelSlot::Counters: return {910, 330, 370, 470};
    }
    return {0, 0, 400, 300};
}
}  // namespace

void placeNextWindow(PanelSlot slot) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float sx = display.x / 1280.0f, sy = display.y / 800.0f;
    const Rect r = designRect(slot);
    ImGui::SetNextWindowPos(ImVec2(r.x * sx, r.y * sy), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(r.w * sx, r.h * sy), ImGuiCond_FirstUseEver);
}

}  // namespace ringsim::gui
