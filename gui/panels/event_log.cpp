// Event log: every retained event, one row each, virtualised with
// ImGuiListClipper so only the visible rows are formatted; reads the log in
// place (no copy), so a million rows cost what the visible dozen cost.
// Clicking a row selects that event in every view.
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <deque>
#include <string>

#include "../elide.h"
#include "../layout.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

bool filtersNothing(const EventLogPanelState& v) {
    if (v.guest >= 0) return false;
    for (bool on : v.showKind)
        if (!on) return false;
    return true;
}

bool passes(const EventLogPanelState& v, const Event& e) {
    if (size_t(e.kind) < kEventKindCount && !v.showKind[size_t(e.kind)]) return false;
    return v.guest < 0 || e.vm == uint16_t(v.guest);
}

// Brings `rows` up to date with the log: only the new events are looked at.
void refreshRows(EventLogPanelState& v, const EventLog& log) {
    if (v.filterChanged || v.rowsOf != &log || v.rowsUpTo > log.total()) {
        v.rows.clear();
        v.rowsUpTo = log.firstRetained();
        v.rowsOf = &log;
        v.filterChanged = false;
    }
    if (v.rowsUpTo < log.firstRetained()) v.rowsUpTo = log.firstRetained();
    for (uint64_t n = v.rowsUpTo; n < log.total(); ++n)
        if (passes(v, log.at(n))) v.rows.push_back(n);
    v.rowsUpTo = log.total();
    while (!v.rows.empty() && v.rows.front() < log.firstRetained()) v.rows.pop_front();
}


}  // namespace

void drawEventLogPanel(Ui& ui) {
    EventLogPanelState& view = ui.panels.eventLog;
    Session* session = beginRunPanel(ui, PanelSlot::EventLog, "Event log");
    if (!session) return;
    const EventLog& log = session->machine().events;
    const uint64_t total = log.total();
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
    const float guestWidth = ImGui::CalcTextSize("-1").x + ImGui::GetFrameHeight() * 2 + ImGui::GetStyle().ItemInnerSpacing.x * 3;
    sameLineIfFits(guestWidth + ImGui::CalcTextSize("guest (-1 all)").x);
    ImGui::SetNextItemWidth(guestWidth);
    if (ImGui::InputInt("guest (-1 all)", &view.guest)) {
        if (view.guest < -1) view.guest = -1;
        view.filterChanged = true;
    }
    const bool everything = filtersNothing(view);
    if (!everything) refreshRows(view, log);
    const size_t rowCount = everything ? log.retained() : view.rows.size();
    auto rowEvent = [&](size_t row) { return everything ? log.firstRetained() + row : view.rows[row]; };
    char shown[96];
    std::snprintf(shown, sizeof shown, "%zu of %llu (newest %zu kept)", rowCount, static_cast<unsigned long long>(total),
                  log.capacity());
    sameLineIfFits(ImGui::CalcTextSize(shown).x);
    ImGui::TextDisabled("%s", shown);

    // The selected event's row, when another view selected it: scroll there once.
    int revealRow = -1;
    if (ui.selection.serial != view.selectionSeen) {
        view.selectionSeen = ui.selection.serial;
        if (ui.selection.event && *ui.selection.event >= log.firstRetained() && *ui.selection.event < total) {
            if (everything) {
                revealRow = int(*ui.selection.event - log.firstRetained());
            } else {
                const auto it = std::lower_bound(view.rows.begin(), view.rows.end(), *ui.selection.event);
                if (it != view.rows.end() && *it == *ui.selection.event) revealRow = int(it - view.rows.begin());
            }
        }
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
        const float rowHeight = ImGui::GetTextLineHeightWithSpacing();
        if (revealRow >= 0) {
            ImGui::SetScrollY(std::max(0.0f, float(revealRow) * rowHeight - ImGui::GetWindowHeight() * 0.4f));
            view.scrollFrames = 0;
        }
        ImGuiListClipper clipper;
        clipper.Begin(int(rowCount), rowHeight);
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const uint64_t number = rowEvent(size_t(i));
                const Event& e = log.at(number);
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(i);
                const bool selected = ui.selection.event == number;
                char cycle[24];
                std::snprintf(cycle, sizeof cycle, "%llu", static_cast<unsigned long long>(e.cycle));
                if (ImGui::Selectable(cycle, selected, ImGuiSelectableFlags_SpanAllColumns)) {
                    ui.selection.select(number);
                    view.selectionSeen = ui.selection.serial;  // it is in view already
                }
                ImGui::PopID();
                ImGui::TableNextColumn();
                if (e.vm == kHostGuest) ImGui::TextUnformatted("host");
                else ImGui::Text("%u", unsigned(e.vm));
                ImGui::TableNextColumn();
                ImGui::Text("%d -> %d", int(e.ringBefore), int(e.ringAfter));
                ImGui::TableNextColumn();
                const std::string_view kind = eventKindName(e.kind);
                textElided(kind);
                ImGui::TableNextColumn();
                textElided(eventDetail(e));
            }
        }
        // New events (a step, a stop, a running simulation): show the newest,
        // unless the user is looking at a selected event.
        if (total != view.lastTotal && revealRow < 0 && !ui.selection.event) view.scrollFrames = 2;
        view.lastTotal = total;
        if (view.scrollFrames > 0) {
            ImGui::SetScrollY(ImGui::GetScrollMaxY() + rowHeight);
            --view.scrollFrames;
        }
        ImGui::EndTable();
    }
    ImGui::End();
}

}  // namespace ringsim::gui
