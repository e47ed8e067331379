// The shared frame of the mechanism views, and the "Mechanism" window that
// stands in their place in modes that have none of them.
#include "mechanism_panels.h"

#include <imgui.h>

#include <array>

#include "../layout.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

struct PanelFacts {
    const char* title;
    const char* belongsTo;  // for the message shown in other modes
};
constexpr PanelFacts kPanels[] = {
    {"Translation cache", "binary-translation and emulation, the modes that translate guest code"},
    {"Hypercalls", "paravirt, the mode whose modified kernel calls the monitor"},
    {"Exit controls", "hw-assist, the mode in which the CPU exits to the monitor on the events they select"},
};
static_assert(std::size(kPanels) == size_t(MechanismPanel::Count));

std::array<bool, size_t(MechanismPanel::Count)> opened{};

// What each mode without a mechanism view has instead, in a sentence.
const char* mechanismOf(std::string_view mode) {
    if (mode == "native") return "Native: the kernel runs in ring 0 on the CPU itself; there is no monitor.";
    if (mode == "trap-emulate")
        return "Trap-and-emulate: the kernel runs deprivileged and its privileged instructions fault to the monitor "
               "(sensitive-trapped events); sensitive-unprivileged ones run silently (sensitive-silent events).";
    if (mode == "container")
        return "Containers: every program runs on one host kernel in its own namespace; there is no monitor.";
    return "This mode has no mechanism view of its own.";
}

}  // namespace

bool mechanismBelongsTo(MechanismPanel panel, std::string_view mode) {
    switch (panel) {
    case MechanismPanel::TranslationCache: return mode == "binary-translation" || mode == "emulation";
    case MechanismPanel::Hypercalls: return mode == "paravirt";
    case MechanismPanel::ExitControls: return mode == "hw-assist";
    case MechanismPanel::Count: break;
    }
    return false;
}

void openMechanismPanel(MechanismPanel panel) { opened[size_t(panel)] = true; }
bool mechanismPanelOpened(MechanismPanel panel) { return opened[size_t(panel)]; }

bool beginMechanismPanel(Ui& ui, MechanismPanel panel) {
    const bool belongs = mechanismBelongsTo(panel, ui.sim.mode());
    bool& open = opened[size_t(panel)];
    if (!belongs && !open) return false;
    placeNextWindow(PanelSlot::Mechanism);
    // In its own mode the panel is always there; elsewhere it can be closed.
    if (!ImGui::Begin(kPanels[size_t(panel)].title, belongs ? nullptr : &open)) {
        ImGui::End();
        return false;
    }
    if (!belongs) {
        ImGui::TextWrapped("This view belongs to %s. The run is in %s mode, so there is nothing to show here.",
                           kPanels[size_t(panel)].belongsTo, ui.sim.mode().c_str());
        ImGui::End();
        return false;
    }
    if (!ui.sim.session()) {
        ImGui::TextDisabled("no run");
        ImGui::End();
        return false;
    }
    return true;
}

void drawMechanismPlaceholderPanel(Ui& ui) {
    const std::string& mode = ui.sim.mode();
    for (size_t p = 0; p < size_t(MechanismPanel::Count); ++p)
        if (opened[p] || mechanismBelongsTo(MechanismPanel(p), mode)) return;
    placeNextWindow(PanelSlot::Mechanism);
    ImGui::Begin("Mechanism");
    if (!ui.sim.session()) {
        ImGui::TextDisabled("no run");
        ImGui::End();
        return;
    }
    ImGui::TextWrapped("%s", mechanismOf(mode));
    ImGui::Spacing();
    ImGui::TextDisabled("The views of the other modes' mechanisms:");
    for (size_t p = 0; p < size_t(MechanismPanel::Count); ++p) {
        if (p > 0) ImGui::SameLine();
        if (ImGui::Button(kPanels[p].title)) openMechanismPanel(MechanismPanel(p));
    }
    ImGui::End();
}

}  // namespace ringsim::gui
