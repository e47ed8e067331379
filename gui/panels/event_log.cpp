// Event log: every retained event, one row each, virtualised with
// ImGuiListClipper so only the visible rows are formatted.
#include <imgui.h>

#include <string>

#include "../layout.h"
#include "panels.h"

namespace ringsim::gui {

void drawEventLogPanel(SimController& sim) {
    placeNextWindow(PanelSlot::EventLog);
    ImGui::Begin("Event log");
    const std::vector<Event>& events = sim.events();
    if (Session* session = sim.session())
        ImGui::Text("%zu shown of %llu events", events.size(),
                    static_cast<unsigned long long>(session->machine().events.total()));
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
    if (ImGui::BeginTable("events", 5, flags)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("cycle");
        ImGui::TableSetupColumn("vm");
        ImGui::TableSetupColumn("ring");
        ImGui::TableSetupColumn("kind");
        ImGui::TableSetupColumn("detail", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(int(events.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const Event& e = events[size_t(i)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::Text("%llu", static_cast<unsigned long long>(e.cycle));
                ImGui::TableNextColumn();
                if (e.vm == kHostGuest) ImGui::TextUnformatted("host");
                else ImGui::Text("%u", unsigned(e.vm));
                ImGui::TableNextColumn();
                ImGui::Text("%d -> %d", int(e.ringBefore), int(e.ringAfter));
                ImGui::TableNextColumn();
                const std::string_view kind = eventKindName(e.kind);
                ImGui::TextUnformatted(kind.data(), kind.data() + kind.size());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(eventDetail(e).c_str());
            }
        }
        // Follow the newest events while the view is at the bottom.
        if (sim.busy() && ImGui::GetScrollY() >= ImGui::GetScrollMaxY()) ImGui::SetScrollHereY(1.0f);
        ImGui::EndTable();
    }
    ImGui::End();
}

}  // namespace ringsim::gui
