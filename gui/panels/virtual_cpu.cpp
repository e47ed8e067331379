// Virtual CPU: the privileged state the guest kernel believes its CPU has,
// as its monitor keeps it, beside the real CPU's. A row whose two values
// differ is highlighted and says on hover what the difference means; the
// lesson of trap-and-emulate's popf is the IF row.
#include <imgui.h>

#include <fmt/format.h>

#include "lesson/virtual_cpu_view.h"
#include "../theme.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

void wrappedTooltip(std::string_view text) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

void drawRows(Ui& ui, const VirtualCpuView& view) {
    const ImGuiTableFlags flags = ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_BordersInner;
    if (!ImGui::BeginTable("virtual beside real", 3, flags)) return;
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed);
    // Headers of two short lines: the table stays narrow at presentation size.
    ImGui::TableSetupColumn(view.heldByHardware ? "Guest CPU: held by\nthe real one" : "Virtual CPU: what the\nguest kernel believes",
                            ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("Real CPU", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    const ImU32 highlight = ImGui::ColorConvertFloat4ToU32(palette().differsRow);
    for (const VirtualCpuRow& row : view.rows) {
        ImGui::TableNextRow();
        if (row.differs) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, highlight);
        bool hovered = false;
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(row.name.data(), row.name.data() + row.name.size());
        hovered |= ImGui::IsItemHovered();
        ImGui::PushFont(ui.fonts.mono);
        for (const std::string* value : {&row.guest, &row.real}) {
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(value->c_str());
            hovered |= ImGui::IsItemHovered();
        }
        ImGui::PopFont();
        if (hovered && row.differs) wrappedTooltip(row.why);
    }
    ImGui::EndTable();
}

}  // namespace

void drawVirtualCpuPanel(Ui& ui) {
    Session* session = beginRunPanel(ui, PanelSlot::VirtualCpu, "Virtual CPU");
    if (!session) return;
    const VirtualCpuView view = virtualCpuView(*session);
    if (!view.absent.empty()) {
        ImGui::TextWrapped("%s", view.absent.c_str());
        ImGui::End();
        return;
    }
    if (!view.whose.empty()) ImGui::TextWrapped("%s, the VM on the CPU now:", view.whose.c_str());
    // Rows packed as the CPU panel's registers are, so the table and its note fit at 1280x800.
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(ImGui::GetStyle().CellPadding.x, 0));
    drawRows(ui, view);
    ImGui::PopStyleVar();
    if (!view.note.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, view.anyDifference() ? palette().noticeText : ImGui::GetStyleColorVec4(ImGuiCol_Text));
        ImGui::TextWrapped("%s", view.note.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::End();
}

std::string virtualCpuSummary(Ui& ui) {
    Session* session = ui.sim.session();
    if (!session) return "virtual-cpu none";
    const VirtualCpuView view = virtualCpuView(*session);
    if (!view.absent.empty()) return "virtual-cpu none";
    std::string differs;
    for (const VirtualCpuRow& row : view.rows)
        if (row.differs) differs += fmt::format("{}{}", differs.empty() ? "" : ",", row.name);
    return fmt::format("virtual-cpu {} differs {}", view.heldByHardware ? "hardware" : "monitor",
                       differs.empty() ? "none" : differs);
}

}  // namespace ringsim::gui
