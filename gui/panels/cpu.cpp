// CPU: the architectural state of the physical CPU as it is now.
#include <imgui.h>

#include <string>

#include "../layout.h"
#include "panels.h"

namespace ringsim::gui {

void drawCpuPanel(Ui& ui) {
    SimController& sim = ui.sim;
    const Fonts& fonts = ui.fonts;
    placeNextWindow(PanelSlot::Cpu);
    ImGui::Begin("CPU");
    Session* session = sim.session();
    if (!session) {
        ImGui::TextDisabled("no run");
        ImGui::End();
        return;
    }
    const Cpu& cpu = session->machine().cpu;
    const ArchState& s = cpu.state;
    ImGui::PushFont(fonts.mono);
    ImGui::Text("pc %08x  cpl %d  %s", s.pc, int(s.cpl),
                s.rootMode ? "root (ring -1)" : s.nonRoot ? "non-root (guest)" : "");
    ImGui::Text("flags %08x  %s%s%s%s%s", s.flags, s.flags & isa::flag::Zero ? "Z " : "", s.flags & isa::flag::Negative ? "N " : "",
                s.flags & isa::flag::Carry ? "C " : "", s.flags & isa::flag::Overflow ? "V " : "",
                s.interruptsEnabled() ? "IF" : "");
    // Two columns: r0-r7 beside r8-sp.
    if (ImGui::BeginTable("regs", 2, ImGuiTableFlags_BordersInnerV)) {
        for (int row = 0; row < isa::kRegisterCount; ++row) {
            const int i = row % 2 == 0 ? row / 2 : row / 2 + isa::kRegisterCount / 2;
            ImGui::TableNextColumn();
            if (i == isa::kStackPointer) ImGui::Text("sp  %08x", s.r[size_t(i)]);
            else ImGui::Text("r%-2d %08x", i, s.r[size_t(i)]);
        }
        ImGui::EndTable();
    }
    ImGui::Separator();
    for (int c = 0; c < isa::kControlRegisterCount; ++c) {
        const std::string_view name = isa::controlRegisterName(isa::ControlRegister(c));
        ImGui::Text("%-6.*s %08x", int(name.size()), name.data(), s.cr[size_t(c)]);
        if (c % 2 == 0) ImGui::SameLine(ImGui::GetContentRegionAvail().x * 0.5f + ImGui::GetStyle().WindowPadding.x);
    }
    ImGui::PopFont();
    ImGui::End();
}

}  // namespace ringsim::gui
