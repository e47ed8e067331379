// The shared frame of the mechanism views, and the "Mechanism" window that
// stands in their place in modes that have none of them.
#include "mechanism_panels.h"

#include <imgui.h>

#include <fmt/format.h>

#include <array>
#include <string>
#include <vector>

#include "../elide.h"
#include "../layout.h"
#include "monitors/modes.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

struct PanelFacts {
    const char* title;
    MechanismView view;    // the mode table's word for the modes it belongs to
    const char* modesAre;  // what those modes are, for the message shown in other modes
};
constexpr PanelFacts kPanels[] = {
    {"Translation cache", MechanismView::TranslationCache, "the modes that translate guest code"},
    {"Hypercalls", MechanismView::Hypercalls, "the mode whose modified kernel calls the monitor"},
    {"Exit controls", MechanismView::ExitControls, "the mode in which the CPU exits to the monitor on the events they select"},
};
static_assert(std::size(kPanels) == size_t(MechanismPanel::Count));
static_assert(std::tuple_size_v<decltype(MechanismPanelsState::opened)> == size_t(MechanismPanel::Count));

// "binary-translation and emulation, the modes that translate guest code": from the mode table.
std::string belongsToText(const PanelFacts& facts) {
    std::vector<std::string_view> names;
    for (const ModeInfo& m : modeTable())
        if (m.view == facts.view) names.push_back(m.name);
    std::string out;
    for (size_t i = 0; i < names.size(); ++i)
        out += fmt::format("{}{}", i == 0 ? "" : i + 1 == names.size() ? " and " : ", ", names[i]);
    return fmt::format("{}, {}", out, facts.modesAre);
}

// What a mode without a mechanism view does instead, in a sentence: its row of the mode table.
std::string mechanismOf(Mode mode) {
    const ModeInfo& info = modeInfo(mode);
    return fmt::format("{}: {}.", info.title, info.summary);
}

}  // namespace

bool mechanismBelongsTo(MechanismPanel panel, Mode mode) {
    return panel != MechanismPanel::Count && modeInfo(mode).view == kPanels[size_t(panel)].view;
}

void openMechanismPanel(Ui& ui, MechanismPanel panel) { ui.panels.mechanisms.opened[size_t(panel)] = true; }
bool mechanismPanelOpened(const Ui& ui, MechanismPanel panel) { return ui.panels.mechanisms.opened[size_t(panel)]; }

bool beginMechanismPanel(Ui& ui, MechanismPanel panel) {
    const bool belongs = mechanismBelongsTo(panel, ui.sim.mode());
    bool& open = ui.panels.mechanisms.opened[size_t(panel)];
    if (!belongs && !open) return false;
    placeNextWindow(PanelSlot::Mechanism);
    // In its own mode the panel is always there; elsewhere it can be closed.
    if (!ImGui::Begin(kPanels[size_t(panel)].title, belongs ? nullptr : &open)) {
        ImGui::End();
        return false;
    }
    if (!belongs) {
        ImGui::TextWrapped("This view belongs to %s. The run is in %s mode, so there is nothing to show here.",
                           belongsToText(kPanels[size_t(panel)]).c_str(), std::string(modeName(ui.sim.mode())).c_str());
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
    const Mode mode = ui.sim.mode();
    for (size_t p = 0; p < size_t(MechanismPanel::Count); ++p)
        if (ui.panels.mechanisms.opened[p] || mechanismBelongsTo(MechanismPanel(p), mode)) return;
    placeNextWindow(PanelSlot::Mechanism);
    ImGui::Begin("Mechanism");
    if (!ui.sim.session()) {
        ImGui::TextDisabled("no run");
        ImGui::End();
        return;
    }
    ImGui::TextWrapped("%s", mechanismOf(mode).c_str());
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("The views of the other modes' mechanisms:");
    ImGui::PopStyleColor();
    for (size_t p = 0; p < size_t(MechanismPanel::Count); ++p) {
        if (p > 0) sameLineIfFits(ImGui::CalcTextSize(kPanels[p].title).x + ImGui::GetStyle().FramePadding.x * 2);
        if (ImGui::Button(kPanels[p].title)) openMechanismPanel(ui, MechanismPanel(p));
    }
    ImGui::End();
}

}  // namespace ringsim::gui
