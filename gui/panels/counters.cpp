// Counters: where the cycles went (by category, as bars), events by kind,
// VM exits by reason and hypercalls: the figures a comparison of modes is about.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "../colours.h"
#include "../layout.h"
#include "core/hypercalls.h"
#include "cpu-model/vmx.h"
#include "panels.h"

namespace ringsim::gui {


void drawCountersPanel(Ui& ui) {
    SimController& sim = ui.sim;
    placeNextWindow(PanelSlot::Counters);
    ImGui::Begin("Counters");
    Session* session = sim.session();
    if (!session) {
        ImGui::TextDisabled("no run");
        ImGui::End();
        return;
    }
    const RunResult result = session->counters();  // not result(): no memory scans per frame
    ImGui::Text("%llu cycles, %llu instructions", static_cast<unsigned long long>(result.totalCycles),
                static_cast<unsigned long long>(result.instructions));
    if (ImGui::CollapsingHeader("Cycles by category", ImGuiTreeNodeFlags_DefaultOpen)) {
        const double total = double(std::max<uint64_t>(result.totalCycles, 1));
        for (size_t c = 0; c < kCycleCategoryCount; ++c) {
            const std::string_view label = categoryLabel(CycleCategory(c));
            const float share = float(double(result.cycles[c]) / total);
            ImGui::PushStyleColor(ImGuiCol_PlotHistogram, categoryColour(CycleCategory(c)));
            const std::string overlay = std::to_string(result.cycles[c]);
            ImGui::ProgressBar(share, ImVec2(170, 0), overlay.c_str());
            ImGui::PopStyleColor();
            ImGui::SameLine();
            ImGui::Text("%.*s %.1f%%", int(label.size()), label.data(), share * 100.0f);
        }
    }
    if (ImGui::CollapsingHeader("Events by kind", ImGuiTreeNodeFlags_DefaultOpen)) {
        for (size_t k = 0; k < kEventKindCount; ++k) {
            if (!result.events[k]) continue;
            const std::string_view name = eventKindName(EventKind(k));
            ImGui::Text("%-24.*s %llu", int(name.size()), name.data(), static_cast<unsigned long long>(result.events[k]));
        }
    }
    if (result.monitor.totalExits() && ImGui::CollapsingHeader("VM exits by reason", ImGuiTreeNodeFlags_DefaultOpen)) {
        for (size_t r = 0; r < result.monitor.exits.size(); ++r) {
            if (!result.monitor.exits[r]) continue;
            const std::string_view name = vmExitReasonName(VmExitReason(r));
            ImGui::Text("%-24.*s %llu", int(name.size()), name.data(), static_cast<unsigned long long>(result.monitor.exits[r]));
        }
    }
    if (!result.monitor.hypercalls.empty() && ImGui::CollapsingHeader("Hypercalls", ImGuiTreeNodeFlags_DefaultOpen)) {
        for (const auto& [number, count] : result.monitor.hypercalls) {
            const HypercallInfo* info = hypercallByNumber(number);
            const std::string_view name = info ? info->name : "unknown";
            ImGui::Text("%-16.*s (%2u) %llu", int(name.size()), name.data(), number, static_cast<unsigned long long>(count));
        }
    }
    ImGui::End();
}

}  // namespace ringsim::gui
