// The top of the CPU window: pc, ring, root or non-root, whose context is on
// the CPU, FLAGS, the sixteen registers and the control registers, compact
// enough to leave room for the code below. What changed since the last pause
// or step is drawn in the theme's highlight (amber).
#include <imgui.h>

#include <string>

#include "monitors/monitor.h"
#include "../theme.h"
#include "cpu_views.h"

namespace ringsim::gui {

namespace {

void value(uint32_t now, bool changed) {
    if (changed) ImGui::TextColored(palette().changedText, "%08x", now);
    else ImGui::Text("%08x", now);
}

// Who the CPU runs for, in the words of the mode: a VM, a container, the host.
std::string contextName(Session& session) {
    const uint16_t guest = session.machine().currentGuest;
    if (guest == kHostGuest) return "monitor";
    if (session.host()) return session.host()->size() > 1 ? "vm " + std::to_string(guest) : "";
    if (modeInfo(session.options().mode).containers) return guest ? "container " + std::to_string(guest) : "host process";
    return "";
}

}  // namespace

void drawCpuRegisters(Ui& ui, Session& session, const PauseBaseline& baseline) {
    const Cpu& cpu = session.machine().cpu;
    const ArchState& s = cpu.state;
    const ArchState* was = baseline.state;
    ImGui::PushFont(ui.fonts.mono);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(6, 1));
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(3, 0));

    ImGui::TextDisabled("pc");
    ImGui::SameLine();
    value(s.pc, was && was->pc != s.pc);
    ImGui::SameLine(0, 12);
    ImGui::Text("ring %d", cpu.ring());
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("the CPL (current privilege level) is %d; ring -1 is root mode under hardware assistance",
                          int(s.cpl));
    // Root and non-root matter only where the monitor uses hardware assistance.
    const ModeInfo* mode = &modeInfo(session.options().mode);
    if (mode && mode->needsHardwareAssist) {
        ImGui::SameLine(0, 12);
        ImGui::TextColored(s.nonRoot ? ImVec4(0.55f, 0.8f, 1.0f, 1) : ImVec4(1.0f, 0.6f, 0.85f, 1), "%s",
                           s.nonRoot ? "non-root" : "root");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(s.nonRoot ? "non-root mode: a guest runs; the events the VM controls select exit to the monitor"
                                        : "root mode: the monitor's own mode");
    }
    if (const std::string who = contextName(session); !who.empty()) {
        ImGui::SameLine(0, 12);
        ImGui::TextDisabled("%s", who.c_str());
    }

    // FLAGS: its defined bits by name (the word in the tooltip), beside the pc where there is room.
    struct Bit {
        uint32_t mask;
        const char* name;
        const char* meaning;
    };
    static const Bit bits[] = {{isa::flag::Zero, "Z", "zero: the last compare found them equal"},
                               {isa::flag::Negative, "N", "negative: the last compare's difference was negative"},
                               {isa::flag::Carry, "C", "carry: unsigned borrow (a < b) in the last compare"},
                               {isa::flag::Overflow, "V", "overflow: signed overflow in the last compare"},
                               {isa::flag::InterruptEnable, "IF", "interrupts enabled (cli / sti; popf keeps it outside ring 0)"}};
    const float flagsWidth = ImGui::CalcTextSize("flags Z N C V IF").x + 12 + 5 * 8;
    if (ImGui::GetItemRectMax().x + flagsWidth <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
        ImGui::SameLine(0, 12);
    const bool flagsChanged = was && was->flags != s.flags;
    if (flagsChanged) ImGui::TextColored(palette().changedText, "flags");
    else ImGui::TextDisabled("flags");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("FLAGS = %08x", s.flags);
    for (const Bit& bit : bits) {
        ImGui::SameLine(0, 8);
        if (s.flags & bit.mask) ImGui::TextUnformatted(bit.name);
        else ImGui::TextDisabled("%s", bit.name);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: %s", bit.meaning, s.flags & bit.mask ? "set" : "clear");
    }

    // r0..r15 four to a row, then the control registers three to a row.
    if (ImGui::BeginTable("registers", 4, ImGuiTableFlags_SizingFixedFit)) {
        for (int i = 0; i < isa::kRegisterCount; ++i) {
            ImGui::TableNextColumn();
            if (i == isa::kStackPointer) ImGui::TextDisabled("sp ");
            else ImGui::TextDisabled("r%-2d", i);
            ImGui::SameLine(0, 4);
            value(s.r[size_t(i)], was && was->r[size_t(i)] != s.r[size_t(i)]);
        }
        ImGui::EndTable();
    }
    if (ImGui::BeginTable("control registers", 3, ImGuiTableFlags_SizingFixedFit)) {
        for (int c = 0; c < isa::kControlRegisterCount; ++c) {
            ImGui::TableNextColumn();
            const std::string_view name = isa::controlRegisterName(isa::ControlRegister(c));
            ImGui::TextDisabled("%-5.*s", int(name.size()), name.data());
            ImGui::SameLine(0, 4);
            value(s.cr[size_t(c)], was && was->cr[size_t(c)] != s.cr[size_t(c)]);
        }
        ImGui::EndTable();
    }
    ImGui::PopStyleVar(2);
    ImGui::PopFont();
}

}  // namespace ringsim::gui
