// Memory: guest memory as hex and text, 64 KiB around an address, read
// without side effects either through the CPU's current address translation
// (virtual) or as the guest's physical memory. Bytes that changed since the
// last pause or step are in the theme's highlight; pages with no mapping show "--".
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>
#include <string>

#include "../guest_symbols.h"
#include "../theme.h"
#include "cpu_views.h"

namespace ringsim::gui {

namespace {

constexpr uint32_t kWindowBytes = 64 * 1024;
const ImU32 kChangedBackground = IM_COL32(255, 200, 40, 55);

using MemoryView = MemoryPanelState;

void goTo(MemoryView& view, uint32_t address) {
    view.target = address;
    view.reveal = true;
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", address);
    view.text = text;
    view.error.clear();
}

}  // namespace

void drawMemoryView(Ui& ui, Session& session, const PauseBaseline& baseline) {
    const Cpu& cpu = session.machine().cpu;
    MemoryView& view = ui.panels.memory;
    if (view.serial != ui.sim.sessionSerial()) {
        view = MemoryView();
        view.serial = ui.sim.sessionSerial();
    }
    // The stack to begin with: where trap frames and calls leave their marks.
    if (!view.started) {
        view.started = true;
        goTo(view, cpu.state.sp() & ~15u);
    }

    ImGui::SetNextItemWidth(130);
    if (ImGui::InputTextWithHint("##address", "addr/label", &view.text, ImGuiInputTextFlags_EnterReturnsTrue)) {
        if (const auto address = symbolsOf(ui.sim).resolve(view.text, view.error)) goTo(view, *address);
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("an address (0x1f00) or a label (do_syscall, hello.s:msg_hello); Enter to go");
    ImGui::SameLine();
    if (ImGui::SmallButton("sp")) goTo(view, cpu.state.sp() & ~15u);
    ImGui::SameLine();
    if (ImGui::SmallButton("pc")) goTo(view, cpu.state.pc & ~15u);
    ImGui::SameLine();
    if (ImGui::Checkbox("physical", &view.physical)) view.reveal = true;
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "off: virtual addresses, through the page tables on the CPU now\n"
            "on: the guest's physical addresses (under a monitor, offsets into its partition)");
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Yellow: changed since the last pause or step.\n-- : no mapping for that page.");
    if (!view.error.empty()) ImGui::TextColored(palette().errorText, "%s", view.error.c_str());

    ImGui::PushFont(ui.fonts.mono);
    ImGui::BeginChild("bytes", ImVec2(0, 0), false);
    const float charWidth = ImGui::CalcTextSize("0").x;
    // 16 bytes a row where there is room (an address, 16 in hex, 16 as text), else 8.
    const uint32_t perRow = ImGui::GetContentRegionAvail().x >= charWidth * (10 + 16 * 3 + 2 + 16) ? 16 : 8;
    const uint32_t first = std::min<uint64_t>(view.target >= kWindowBytes / 4 ? (view.target - kWindowBytes / 4) & ~15u : 0,
                                              0x100000000ull - kWindowBytes);
    const int rows = int(kWindowBytes / perRow);
    const float rowHeight = ImGui::GetTextLineHeightWithSpacing();
    if (view.reveal) {
        view.reveal = false;
        ImGui::SetScrollY(std::max(0.0f, float((view.target - first) / perRow) * rowHeight - ImGui::GetWindowHeight() * 0.3f));
    }
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImU32 normal = ImGui::GetColorU32(ImGuiCol_Text), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const ImU32 changedText = ImGui::ColorConvertFloat4ToU32(palette().changedText);
    const uint8_t* live = cpu.memory().data();
    ImGuiListClipper clipper;
    clipper.Begin(rows, rowHeight);
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const uint32_t address = first + uint32_t(i) * perRow;
            std::array<uint8_t, 16> bytes{};
            const std::span<uint8_t> want(bytes.data(), perRow);
            // A row never spans a page: it is mapped whole or not at all.
            const size_t mapped = view.physical ? cpu.peekGuestPhysical(address, want) : cpu.peekVirtual(address, want);
            uint32_t host = 0;
            if (mapped) {
                if (view.physical) host = cpu.windowBase() + address;
                else cpu.peekTranslate(address, host);
            }
            const ImVec2 at = ImGui::GetCursorScreenPos();
            char text[16];
            std::snprintf(text, sizeof text, "%08x", address);
            draw->AddText(at, dim, text);
            for (uint32_t b = 0; b < perRow; ++b) {
                const float x = at.x + charWidth * float(10 + b * 3 + (b >= 8 ? 1 : 0));
                const float textX = at.x + charWidth * float(10 + perRow * 3 + 2 + b);
                if (b >= mapped) {
                    draw->AddText(ImVec2(x, at.y), dim, "--");
                    continue;
                }
                const size_t index = size_t(host) + b;
                const bool changed = index < baseline.memory.size() && baseline.memory[index] != live[index];
                if (changed)
                    draw->AddRectFilled(ImVec2(x - 1, at.y), ImVec2(x + charWidth * 2 + 1, at.y + ImGui::GetTextLineHeight()),
                                        kChangedBackground);
                std::snprintf(text, sizeof text, "%02x", bytes[b]);
                draw->AddText(ImVec2(x, at.y), changed ? changedText : normal, text);
                const char c = bytes[b] >= 0x20 && bytes[b] < 0x7f ? char(bytes[b]) : '.';
                draw->AddText(ImVec2(textX, at.y), changed ? changedText : dim, &c, &c + 1);
            }
            ImGui::Dummy(ImVec2(charWidth * float(10 + perRow * 4 + 2), ImGui::GetTextLineHeight()));
        }
    }
    ImGui::EndChild();
    ImGui::PopFont();
}

}  // namespace ringsim::gui
