#include "layout.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <cstdio>
#include <string_view>

namespace ringsim::gui {

namespace {
struct Rect {
    float x, y, w, h;
};
// Designed at 1280x800 below a 20-pixel menu bar, in three columns: what a
// lecturer points at on the left (controls, rings, tour), the story of the
// run in the middle (timeline, event log, why, source and compare), the
// machine on the right (CPU, counters, the mode's own mechanism).
Rect designRect(PanelSlot slot) {
    switch (slot) {
    case PanelSlot::Controls: return {0, 20, 320, 215};
    case PanelSlot::Rings: return {0, 235, 320, 255};
    case PanelSlot::Tour: return {0, 490, 320, 310};
    case PanelSlot::Timeline: return {320, 20, 500, 150};
    case PanelSlot::EventLog: return {320, 170, 500, 250};
    case PanelSlot::Why: return {320, 420, 500, 180};
    case PanelSlot::Source: return {320, 600, 250, 200};
    case PanelSlot::Compare: return {570, 600, 250, 200};
    case PanelSlot::Cpu: return {820, 20, 460, 320};
    case PanelSlot::Counters: return {820, 340, 460, 260};
    case PanelSlot::Mechanism: return {820, 600, 460, 200};
    }
    return {0, 20, 400, 300};
}
}  // namespace

void placeNextWindow(PanelSlot slot) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float sx = display.x / 1280.0f, sy = display.y / 800.0f;
    const Rect r = designRect(slot);
    ImGui::SetNextWindowPos(ImVec2(r.x * sx, r.y * sy), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(r.w * sx, r.h * sy), ImGuiCond_FirstUseEver);
}

void printPanelRects() {
    for (const ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
        if (!w->Active || w->Hidden || (w->Flags & (ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_Tooltip |
                                                    ImGuiWindowFlags_Popup)))
            continue;
        if (std::string_view(w->Name).starts_with("Debug##")) continue;  // ImGui's implicit window, never shown
        std::printf("panel %d %d %d %d %s\n", int(w->Pos.x), int(w->Pos.y), int(w->Size.x), int(w->Size.y), w->Name);
    }
}

}  // namespace ringsim::gui
