// Event log: every retained event, one row each, virtualised with
// ImGuiListClipper so only the visible rows are formatted.
#include <imgui.h>

#include <string>

#include "../layout.h"
#include "panels.h"

namespace ringsim::gui {

void drawEventLogPanel(SimController& sim, EventLogView& view) {
    placeNextWindow(PanelSlot::EventLog);
    ImGui::Begin("Event log");
    const std::vector<Event>& events = sim.events();
    uint64_t total = 0;
    if (Session* session = sim.session()) {
        total = session->machine().events.total();
        ImGui::Text("%zu shown of %llu events (the newest %zu are kept)", events.size(),
                    static_cast<unsigned long long>(total), session->machine().events.capacity());
    }
    // Filter: a popup of kinds to show, and one guest or all.
    if (ImGui::Button("Kinds...")) ImGui::OpenPopup("kinds");
    if (ImGui::BeginPopup("kinds")) {
        if (ImGui::SmallButton("all")) view.showKind.fill(true), view.filterChanged = true;
        ImGui::SameLine();
        if (ImGui::SmallButton("none")) view.showKind.fill(false), view.filterChanged = true;
        for (size_t k = 0; k < kEventKindCount; ++k) {
            const std::string name(eventKindName(EventKind(k)));
            bool on = view.showKind[k];
            if (ImGui::Checkbox(name.c_str(), &on)) view.showKind[k] = on, view.filterChanged = true;
        }
        ImGui::EndPopup();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(120);
    if (ImGui::InputInt("guest (-1 all)", &view.guest)) {
        if (view.guest < -1) view.guest = -1;
        view.filterChanged = true;
    }
    if (view.filterChanged || view.rowsForTotal != total) {
        view.rows.clear();
        for (size_t i = 0; i < events.size(); ++i) {
            const Event& e = events[i];
            if (size_t(e.kind) < kEventKindCount && !view.showKind[size_t(e.kind)]) continue;
            if (view.guest >= 0 && e.vm != uint16_t(view.guest)) continue;
            view.rows.push_back(uint32_t(i));
        }
        view.rowsForTotal = total;
        view.filterChanged = false;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
    if (ImGui::BeginTable("events", 5, flags)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        // Widths from the widest value each column can hold, not from the
        // rows that happen to be visible (the clipper formats only those).
        const auto fixed = ImGuiTableColumnFlags_WidthFixed;
        ImGui::TableSetupColumn("cycle", fixed, ImGui::CalcTextSize("000000000").x);
        ImGui::TableSetupColumn("vm", fixed, ImGui::CalcTextSize("host").x);
        ImGui::TableSetupColumn("ring", fixed, ImGui::CalcTextSize("-1 -> -1").x);
        ImGui::TableSetupColumn("kind", fixed, ImGui::CalcTextSize("sensitive-trapped").x);  // longer kinds are clipped: the detail needs the room
        ImGui::TableSetupColumn("detail", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(int(view.rows.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const Event& e = events[view.rows[size_t(i)]];
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
        // New events (a step, a stop, a running simulation): show the newest.
        if (total != view.lastTotal) view.scrollFrames = 2;
        view.lastTotal = total;
        if (view.scrollFrames > 0) {
            ImGui::SetScrollY(ImGui::GetScrollMaxY() + ImGui::GetTextLineHeightWithSpacing());
            --view.scrollFrames;
        }
        ImGui::EndTable();
    }
    ImGui::End();
}

}  // namespace ringsim::gui
