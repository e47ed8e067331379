// Disassembly: the code around the pc, read from guest memory through the
// CPU's current address translation without side effects (nothing is
// charged, cached or recorded), with labels and source lines from the
// assembled images. The current instruction is highlighted, the selected
// event's instruction in a second colour; each instruction's class (from the
// ISA table) is a coloured letter; a click in the gutter sets or clears a
// breakpoint. It follows the pc until the user scrolls away.
#include <imgui.h>
#include <imgui_internal.h>  // the scrollbar's id: dragging it stops following the pc
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "../colours.h"
#include "../guest_symbols.h"
#include "../theme.h"
#include "cpu-model/disassembler.h"
#include "cpu_views.h"

namespace ringsim::gui {

namespace {

constexpr uint32_t kPage = isa::kPageSize;
constexpr size_t kMaxRows = 6000;  // three pages of 4-byte instructions, and their labels

const ImU32 kPcBackground = IM_COL32(230, 170, 40, 90);
const ImU32 kEventBackground = IM_COL32(80, 150, 255, 80);
const ImU32 kBreakpointColour = IM_COL32(230, 50, 50, 255);
const ImVec4 kLabelColour(0.55f, 0.85f, 0.55f, 1.0f);

using DisassemblyView = DisassemblyPanelState;
using Row = DisassemblyPanelState::Row;

// Where a line of the image's source starts: its line map is the
// assembler's word on instruction boundaries (data in between does not
// throw the decoding off, as decoding straight through would).
bool startsLine(const assembler::Program& p, uint32_t address) {
    const auto it = std::lower_bound(p.lineMap.begin(), p.lineMap.end(), address,
                                     [](const auto& entry, uint32_t a) { return entry.first < a; });
    return it != p.lineMap.end() && it->first == address;
}
uint32_t lineStartAtOrBefore(const assembler::Program& p, uint32_t address) {
    auto it = std::upper_bound(p.lineMap.begin(), p.lineMap.end(), address,
                               [](uint32_t a, const auto& entry) { return a < entry.first; });
    return it == p.lineMap.begin() ? p.origin : std::prev(it)->first;
}
uint64_t nextLineStart(const assembler::Program& p, uint32_t address) {
    const auto it = std::upper_bound(p.lineMap.begin(), p.lineMap.end(), address,
                                     [](uint32_t a, const auto& entry) { return a < entry.first; });
    return it == p.lineMap.end() ? uint64_t(p.origin) + p.image.size() : it->first;
}

disassembler::Line decodeAt(const Cpu& cpu, uint32_t address, const disassembler::SymbolNamer& namer) {
    std::array<uint8_t, 8> bytes{};
    const size_t n = cpu.peekVirtual(address, bytes);
    return disassembler::disassembleOne(std::span(bytes.data(), n), address, namer);
}

// The rows of the page before the focus's, its own, and the one after.
void buildRows(DisassemblyView& view, const Cpu& cpu, const GuestSymbols& symbols, uint32_t focus) {
    view.rows.clear();
    const GuestSymbols::Image* image = symbols.imageAt(cpu, focus);
    const uint32_t focusPage = focus & ~(kPage - 1);
    uint64_t at = focusPage >= kPage ? focusPage - kPage : 0;
    const uint64_t end = uint64_t(focusPage) + 2 * kPage;
    if (image && image->contains(uint32_t(at))) at = lineStartAtOrBefore(*image->program, uint32_t(at));
    while (at < end && view.rows.size() < kMaxRows) {
        const uint32_t a = uint32_t(at);
        const bool inImage = image && image->contains(a);
        if (inImage)
            for (const auto& label : symbols.labelsAt(*image, a)) view.rows.push_back({Row::Kind::Label, a, 0, &label.second});
        // Only lengths here (the text is made for the rows on screen).
        uint32_t physical = 0;
        Decoded decoded;
        const bool mapped = cpu.peekTranslate(a, physical);
        const bool valid = mapped && cpu.fetchInstruction(a, decoded) && decoded.op < decoded_op::FirstSpecial;
        Row row{Row::Kind::Code, a, valid ? decoded.length : 4u, nullptr};
        if (!mapped) {
            row = {Row::Kind::Unmapped, a, kPage - (a & (kPage - 1)), nullptr};
        } else if (inImage) {
            // One row per source line; data (and padding) as one row.
            const uint32_t lineLength = uint32_t(nextLineStart(*image->program, a) - a);
            if (!valid || !startsLine(*image->program, a) || row.length > lineLength)
                row = {Row::Kind::Data, a, lineLength, nullptr};
        } else {
            if (!valid) row.kind = Row::Kind::Data;
            // Decoding straight up to an image: its line map takes over there.
            if (image && a < image->program->origin && at + row.length > image->program->origin)
                row.length = image->program->origin - a;
        }
        view.rows.push_back(row);
        at += std::max<uint32_t>(row.length, 1);
    }
}

// A row of data: its first bytes in hex, and as text when they read as text.
std::string dataText(const Cpu& cpu, const Row& row) {
    std::array<uint8_t, 8> bytes{};
    const size_t n = cpu.peekVirtual(row.address, std::span(bytes.data(), std::min<size_t>(8, row.length)));
    std::string hex = ".data ", text;
    bool printable = n > 0;
    for (size_t i = 0; i < n; ++i) {
        char b[4];
        std::snprintf(b, sizeof b, "%02x ", bytes[i]);
        hex += b;
        if (bytes[i] == 0 && i > 0) break;
        printable = printable && (bytes[i] >= 0x20 && bytes[i] < 0x7f);
        text += char(bytes[i]);
    }
    if (row.length > n) hex += "...";
    if (printable && text.size() >= 2) return ".data \"" + text + (row.length > text.size() ? "...\"" : "\"");
    return hex;
}

std::string sourceLocation(const GuestSymbols::Image* image, uint32_t address) {
    if (!image) return {};
    const auto where = image->program->locationOf(address);
    if (!where) return {};
    return std::filesystem::path(where->file).filename().string() + ":" + std::to_string(where->line);
}

void instructionTooltip(const disassembler::Line& line, const std::string& location, bool breakpoint) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
    if (line.info) {
        const isa::InstructionInfo& info = *line.info;
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(instructionClassColour(info.cls)), "%.*s: %.*s",
                           int(info.mnemonic.size()), info.mnemonic.data(), int(className(info.cls).size()),
                           className(info.cls).data());
        ImGui::TextWrapped("%.*s", int(info.summary.size()), info.summary.data());
        if (!info.atRings.empty()) ImGui::TextWrapped("By ring: %.*s", int(info.atRings.size()), info.atRings.data());
        if (!info.x86Model.empty()) ImGui::TextDisabled("models x86 %.*s", int(info.x86Model.size()), info.x86Model.data());
    }
    if (!location.empty()) ImGui::TextDisabled("source: %s", location.c_str());
    ImGui::TextDisabled(breakpoint ? "click the red dot to remove the breakpoint" : "click left of the address to set a breakpoint");
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

// The classes' letters in their colours (when there is room), and what they mean.
void legend(bool letters) {
    static const isa::InsnClass classes[] = {isa::InsnClass::Privileged, isa::InsnClass::SensitiveUnprivileged,
                                             isa::InsnClass::Gate, isa::InsnClass::Hypercall};
    for (isa::InsnClass c : classes) {
        if (!letters) break;
        ImGui::SameLine(0, 6);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(instructionClassColour(c)), "%c", instructionClassLetter(c));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%.*s", int(className(c).size()), className(c).data());
    }
    ImGui::SameLine(0, 6);
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The letter before an address is the instruction's class:\n"
                          "P privileged: faults outside ring 0\n"
                          "S sensitive but unprivileged: behaves by ring, never traps (the x86 flaw)\n"
                          "G gate: a controlled change of ring (syscall, sysret)\n"
                          "H hypercall: a call into the monitor\n"
                          "none: ordinary, the same at every ring.\n"
                          "Yellow: the pc. Blue: the selected event's instruction.\n"
                          "Red dot: a breakpoint; click left of an address to set or clear one.");
}

}  // namespace

void drawDisassemblyView(Ui& ui, Session& session, const TabLine& tabs) {
    SimController& sim = ui.sim;
    const Machine& machine = session.machine();
    const Cpu& cpu = machine.cpu;
    const GuestSymbols& symbols = symbolsOf(sim);
    DisassemblyView& view = ui.panels.disassembly;
    if (view.serial != sim.sessionSerial()) {
        view = DisassemblyView();
        view.serial = sim.sessionSerial();
        view.selectionSeen = ui.selection.serial;
    }

    // The selected event's instruction, when its guest's addresses are the ones on the CPU.
    std::optional<uint32_t> eventPc;
    bool eventElsewhere = false;
    const EventLog& log = machine.events;
    if (ui.selection.event && *ui.selection.event >= log.firstRetained() && *ui.selection.event < log.total()) {
        const Event& e = log.at(*ui.selection.event);
        if (e.vm == machine.currentGuest || !session.host()) eventPc = e.pc;
        else eventElsewhere = true;
        if (ui.selection.serial != view.selectionSeen && eventPc) {
            view.follow = false;
            view.anchor = *eventPc;
            view.reveal = true;
        }
    }
    view.selectionSeen = ui.selection.serial;

    // Toolbar: follow the pc, go to an address or a label, the legend; on
    // the tab bar's line when it fits, leaving the rows to the code.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float inputWidth = ImGui::CalcTextSize("go to label").x + style.FramePadding.x * 2;
    const float toolbarWidth = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize("follow pc").x +
                               inputWidth + ImGui::CalcTextSize("(?)").x + style.ItemSpacing.x * 2 + 8;
    const ImVec2 below = ImGui::GetCursorPos();
    const bool besideTabs = tabs.right + toolbarWidth <= ImGui::GetWindowContentRegionMax().x;
    if (besideTabs) ImGui::SetCursorPos(ImVec2(tabs.right, tabs.y));
    if (ImGui::Checkbox("follow pc", &view.follow) && view.follow) view.reveal = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("keep the pc in view (scrolling by hand turns it off)");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(inputWidth);
    if (ImGui::InputTextWithHint("##goto", "go to label", &view.gotoText, ImGuiInputTextFlags_EnterReturnsTrue)) {
        if (const auto address = symbols.resolve(view.gotoText, view.gotoError)) {
            view.follow = false;
            view.anchor = *address;
            view.reveal = true;
        }
    }
    if (ImGui::IsItemHovered() && view.gotoError.empty())
        ImGui::SetTooltip("an address (0x1f00) or a label: do_syscall, hello.s:_start; Enter to go");
    legend(!besideTabs);
    if (besideTabs) ImGui::SetCursorPos(below);
    if (!view.gotoError.empty()) ImGui::TextColored(palette().errorText, "%s", view.gotoError.c_str());
    if (eventElsewhere) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("the selected event is another VM's: its code is not mapped now");
        ImGui::PopStyleColor();
    }

    const uint32_t pc = cpu.state.pc;
    if (view.follow && pc != view.lastPc) view.reveal = true;
    view.lastPc = pc;
    const uint32_t focus = view.follow ? pc : view.anchor;
    buildRows(view, cpu, symbols, focus);
    const GuestSymbols::Image* image = symbols.imageAt(cpu, focus);
    const std::vector<uint32_t> breakpoints = ui.sim.breakpoints();

    ImGui::PushFont(ui.fonts.mono);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(style.ItemSpacing.x, 2));
    ImGui::BeginChild("code", ImVec2(0, 0), false);
    // Every row is one line of text: the clipper counts on a fixed pitch.
    const float rowHeight = ImGui::GetTextLineHeightWithSpacing(), lineHeight = ImGui::GetTextLineHeight();
    const float charWidth = ImGui::CalcTextSize("0").x;
    if (view.reveal) {
        view.reveal = false;
        // The focus's first row (its label, if it has one); else the nearest row before it.
        size_t row = 0;
        for (size_t i = 0; i < view.rows.size() && view.rows[i].address <= focus; ++i)
            if (view.rows[i].address + std::max<uint32_t>(view.rows[i].length, 1) > focus || view.rows[i].address == focus) {
                row = i;
                break;
            }
        const float y = float(row) * rowHeight, height = ImGui::GetWindowHeight();
        if (y < ImGui::GetScrollY() || y + rowHeight * 2 > ImGui::GetScrollY() + height)
            ImGui::SetScrollY(std::max(0.0f, y - height * 0.35f));
    }
    // Scrolling by hand (wheel or scrollbar) stops following the pc, keeping these rows.
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (view.follow && ((ImGui::IsWindowHovered() && ImGui::GetIO().MouseWheel != 0.0f) ||
                        ImGui::GetActiveID() == ImGui::GetWindowScrollbarID(window, ImGuiAxis_Y))) {
        view.follow = false;
        view.anchor = focus;
    }

    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float gutter = rowHeight;
    const float width = ImGui::GetContentRegionAvail().x;
    const auto namer = [&](uint32_t target) -> std::optional<std::string> {
        const GuestSymbols::Image* in = image && image->contains(target) ? image
                                        : symbols.empty() || !symbols.kernel().contains(target) ? nullptr
                                                                                                 : &symbols.kernel();
        if (!in) return std::nullopt;
        const auto labels = symbols.labelsAt(*in, target);
        if (labels.empty()) return std::nullopt;
        return labels.front().second;
    };
    ImGuiListClipper clipper;
    clipper.Begin(int(view.rows.size()), rowHeight);
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const Row& row = view.rows[size_t(i)];
            const ImVec2 origin = ImGui::GetCursorScreenPos();
            const ImVec2 rowEnd(origin.x + width, origin.y + rowHeight);
            if (row.kind == Row::Kind::Label) {
                ImGui::SetCursorScreenPos(ImVec2(origin.x + gutter + charWidth * 2, origin.y));
                ImGui::TextColored(kLabelColour, "%s:", row.label->c_str());
                continue;
            }
            const bool isCode = row.kind == Row::Kind::Code;
            if (isCode && row.address == pc) draw->AddRectFilled(origin, rowEnd, kPcBackground);
            else if (isCode && eventPc && row.address == *eventPc) draw->AddRectFilled(origin, rowEnd, kEventBackground);
            const bool breakpoint = std::binary_search(breakpoints.begin(), breakpoints.end(), row.address);
            // The gutter: a click sets or clears a breakpoint (on an instruction).
            ImGui::PushID(i);
            ImGui::InvisibleButton("bp", ImVec2(gutter, lineHeight));
            ImGui::PopID();
            const bool gutterHovered = ImGui::IsItemHovered();
            if (isCode && ImGui::IsItemClicked()) sim.toggleBreakpoint(row.address);
            const ImVec2 dot(origin.x + gutter * 0.5f, origin.y + rowHeight * 0.5f);
            if (breakpoint) draw->AddCircleFilled(dot, rowHeight * 0.32f, kBreakpointColour);
            else if (gutterHovered && isCode) draw->AddCircle(dot, rowHeight * 0.32f, kBreakpointColour, 0, 1.5f);
            ImGui::SameLine(0, 0);

            std::string text;
            disassembler::Line line;
            if (row.kind == Row::Kind::Unmapped) {
                text = "-- not mapped --";
            } else if (isCode) {
                line = decodeAt(cpu, row.address, namer);
                text = line.text;
            } else {
                text = dataText(cpu, row);
            }
            const isa::InsnClass cls = line.info ? line.info->cls : isa::InsnClass::Ordinary;
            const ImVec2 textAt = ImGui::GetCursorScreenPos();
            draw->AddText(textAt, instructionClassColour(cls), std::string(1, instructionClassLetter(cls)).c_str());
            char address[12];
            std::snprintf(address, sizeof address, "%08x", row.address);
            draw->AddText(ImVec2(textAt.x + charWidth * 2, textAt.y), ImGui::GetColorU32(ImGuiCol_TextDisabled), address);
            const float codeX = textAt.x + charWidth * 11;
            draw->AddText(ImVec2(codeX, textAt.y),
                          row.kind == Row::Kind::Code ? ImGui::GetColorU32(ImGuiCol_Text) : ImGui::GetColorU32(ImGuiCol_TextDisabled),
                          text.c_str());
            // The source line, right-aligned, where there is room for it.
            const bool inImage = image && image->contains(row.address);
            const std::string location = row.kind == Row::Kind::Unmapped ? "" : sourceLocation(inImage ? image : nullptr, row.address);
            const float locationWidth = ImGui::CalcTextSize(location.c_str()).x;
            if (!location.empty() && codeX + ImGui::CalcTextSize(text.c_str()).x + charWidth * 2 + locationWidth < rowEnd.x)
                draw->AddText(ImVec2(rowEnd.x - locationWidth - charWidth, textAt.y), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                              location.c_str());
            ImGui::Dummy(ImVec2(std::max(1.0f, width - gutter), lineHeight));
            if (isCode && ImGui::IsMouseHoveringRect(origin, rowEnd) && ImGui::IsWindowHovered())
                instructionTooltip(line, location, breakpoint);
        }
    }
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopFont();
}

}  // namespace ringsim::gui
