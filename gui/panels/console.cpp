// The Console: what each guest prints, as it prints it — a VM's virtual
// console, each VM's with several, each container's stream and the host
// kernel's own. When the scenario compares modes, native's output (from the
// background comparison's real native run) stands beside the current mode's,
// line against line, and the lines that differ are marked by core's rule
// (report/console_diff.h), the one behind compare's diverged_from_native.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "../theme.h"
#include "panels.h"
#include "report/console_diff.h"
#include "run/consoles.h"

namespace ringsim::gui {

namespace {

constexpr const char* kTitle = "Console";
// A chatty guest's console is long (Console::kLimit); its last lines are the ones to follow.
constexpr size_t kShownLines = 2000;

// Native's console for the run on screen, once the background comparison has
// it; null natively, when the scenario compares no modes, or while it runs.
const std::string* nativeConsole(Ui& ui) {
    const Scenario* scenario = ui.sim.scenario();
    if (!scenario || ui.sim.mode() == Mode::Native || scenario->modes.size() < 2) return nullptr;
    const ModeComparison* comparison = ui.allModes.current();
    if (!comparison) return nullptr;
    for (const MatrixCell& cell : comparison->cells)
        if (!cell.nativeConsole.empty()) return &cell.nativeConsole;
    return nullptr;
}

// Says why native is not beside the output (yet), or what the marks mean.
void drawHeader(Ui& ui, bool compared, bool sideBySide) {
    const Scenario* scenario = ui.sim.scenario();
    const bool compares = scenario && scenario->modes.size() > 1;
    if (compared) {
        ImGui::TextWrapped(sideBySide ? "Native's output beside it; ! marks a line that differs."
                                      : "! marks a line unlike native's.");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Native's output comes from a real native run of this scenario (the one the Counters "
                              "chart compares with)%s.", sideBySide ? "" : "; its line is shown under each that differs");
    } else if (!compares) {
        ImGui::TextDisabled("This scenario compares no modes.");
    } else if (ui.sim.mode() == Mode::Native) {
        ImGui::TextWrapped("Native's output: the other modes are held to it.");
    } else if (ui.allModes.busy()) {
        const CompareProgress& p = ui.allModes.progress();
        if (p.total == 0)
            ImGui::TextWrapped("Native's output comes when its run in the background ends.");
        else
            ImGui::TextWrapped("Native's output comes when its run ends (%zu of %zu runs done).", p.done, p.total);
    } else {
        ImGui::TextWrapped("No native output to compare with: its run did not finish (see Counters).");
    }
}

void lineText(std::string_view line, const ImVec4* colour) {
    if (colour) ImGui::PushStyleColor(ImGuiCol_Text, *colour);
    ImGui::PushTextWrapPos(0.0f);  // wrap at the column's edge: nothing is cut
    ImGui::TextUnformatted(line.data(), line.data() + line.size());
    ImGui::PopTextWrapPos();
    if (colour) ImGui::PopStyleColor();
}

// What a guest's console amounts to against native, for its heading.
std::string verdict(const ConsoleDiff& diff, bool finished) {
    const size_t differing = size_t(std::count(diff.marks.begin(), diff.marks.end(), ConsoleDiff::Line::Differs)) +
                             (finished && !diff.marks.empty() && diff.marks.back() == ConsoleDiff::Line::Partial);
    if (differing > 0) return "differs (" + std::to_string(differing) + (differing == 1 ? " line)" : " lines)");
    if (diff.same()) return "the same";
    if (finished) return std::to_string(diff.missing) + " more lines";
    return "the same so far";
}

// One guest: its heading, then its lines; native's beside them (sideBySide,
// a second column) or, where the panel is narrow, under each line that differs.
void drawGuest(const LiveConsole& guest, const std::string* expected, bool finished, size_t guests, bool sideBySide) {
    const ImVec4 bad = palette().errorText;
    const ImVec4 dim = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
    const bool compared = expected != nullptr && !guest.hostStream;
    const ConsoleDiff diff = compared ? diffConsole(guest.text, *expected) : ConsoleDiff{consoleLines(guest.text), {}, 0};
    const std::vector<std::string_view> native = compared ? consoleLines(*expected) : std::vector<std::string_view>{};
    const bool secondColumn = expected != nullptr && sideBySide;
    auto nextRow = [&] {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
    };

    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    ImGui::TableNextColumn();
    // The verdict goes in native's column when there is one: a row less per guest to read.
    const std::string said = compared ? verdict(diff, finished) : std::string();
    const bool differs = said.starts_with("differs");
    std::string heading = guest.hostStream ? "the host kernel's own stream" : guests > 1 ? guest.name : "output";
    if (compared && !secondColumn) heading += ", against native: " + said;
    if (guest.truncated) heading += " (output dropped past the console's limit)";
    lineText(heading, differs ? &bad : nullptr);
    if (secondColumn) {
        ImGui::TableNextColumn();
        lineText(guest.hostStream ? "native has no host stream" : "native: " + said, differs ? &bad : nullptr);
    }

    // While the run goes on, native's lines still to come are a count: the newest line stays the last one.
    const size_t rows = finished ? std::max(diff.lines.size(), native.size()) : diff.lines.size();
    const size_t first = rows > kShownLines ? rows - kShownLines : 0;
    if (first > 0) {
        nextRow();
        ImGui::TextDisabled("(%zu earlier lines not shown)", first);
    }
    if (rows == 0) {
        nextRow();
        ImGui::TextDisabled("nothing yet");
    }
    for (size_t i = first; i < rows; ++i) {
        nextRow();
        const bool differs = compared && i < diff.lines.size() &&
                             (diff.marks[i] == ConsoleDiff::Line::Differs ||
                              (finished && diff.marks[i] == ConsoleDiff::Line::Partial));
        if (i < diff.lines.size()) {
            if (differs) {
                lineText("! " + std::string(diff.lines[i]), &bad);
                if (ImGui::IsItemHovered())
                    ImGui::SetTooltip(i < native.size() ? "native wrote another line here" : "native wrote no such line");
            } else {
                lineText(diff.lines[i], nullptr);
            }
        }
        if (i >= native.size()) continue;
        if (secondColumn) {
            ImGui::TableNextColumn();
            lineText(native[i], i < diff.lines.size() ? nullptr : &dim);  // dim: native's, never written here
        } else if (differs || i >= diff.lines.size()) {
            lineText("native: " + std::string(native[i]), &dim);
        }
    }
    if (compared && !finished && diff.missing > 0) {
        nextRow();
        ImGui::TextDisabled("native wrote %zu more line%s", diff.missing, diff.missing == 1 ? "" : "s");
    }
}

}  // namespace

void drawConsolePanel(Ui& ui) {
    Session* session = beginRunPanel(ui, PanelSlot::Console, kTitle);
    if (!session) return;
    ConsolePanelState& view = ui.panels.console;
    if (view.serial != ui.sim.sessionSerial()) {
        view = {};
        view.serial = ui.sim.sessionSerial();
    }
    const std::string* native = nativeConsole(ui);
    // Each guest is held to native's output as this mode should show it (a container's without the kernel's lines).
    const std::string expected = native ? consoleExpectedIn(ui.sim.mode(), *native) : std::string();
    // Side by side where both columns hold a readable line; else native's line under each that differs.
    const bool sideBySide = ImGui::GetContentRegionAvail().x >= 24.0f * ImGui::GetFontSize();
    drawHeader(ui, native != nullptr, sideBySide);
    if (!view.following && ImGui::SmallButton("Follow the newest lines")) view.jumpToNewest = true;

    const std::vector<LiveConsole> consoles = liveConsoles(*session);
    size_t guests = 0;
    for (const auto& c : consoles) guests += !c.hostStream;

    ImGui::BeginChild("##console-lines", ImVec2(0, 0), false);
    const int columns = native && sideBySide ? 2 : 1;
    if (ImGui::BeginTable("##console", columns, ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame)) {
        for (const LiveConsole& c : consoles)
            drawGuest(c, native ? &expected : nullptr, session->finished(), guests, sideBySide);
        ImGui::EndTable();
    }
    // Follow the newest lines while the view is at the bottom; a scroll up stops that until it is back down.
    const bool atBottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 1.0f;
    const bool scrolledByUser = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
                                (ImGui::GetIO().MouseWheel != 0.0f || ImGui::IsMouseDown(ImGuiMouseButton_Left));
    if (view.jumpToNewest) {
        view.following = true;
        view.jumpToNewest = false;
    } else if (scrolledByUser) {
        view.following = atBottom;
    }
    if (view.following) ImGui::SetScrollHereY(1.0f);
    ImGui::EndChild();
    ImGui::End();
}

std::string consoleSummary(Ui& ui) {
    Session* session = ui.sim.session();
    if (!session) return {};
    const std::string* native = nativeConsole(ui);
    const std::string expected = native ? consoleExpectedIn(ui.sim.mode(), *native) : std::string();
    std::string out;
    for (const LiveConsole& c : liveConsoles(*session)) {
        const bool compared = native && !c.hostStream;
        const ConsoleDiff diff = compared ? diffConsole(c.text, expected) : ConsoleDiff{consoleLines(c.text), {}, 0};
        const auto differing = std::count(diff.marks.begin(), diff.marks.end(), ConsoleDiff::Line::Differs);
        char line[160];
        std::snprintf(line, sizeof line, "console %s lines %zu differing %ld native-beside %d following %d\n",
                      c.hostStream ? "host" : c.name.c_str(), diff.lines.size(), long(differing), compared ? 1 : 0,
                      ui.panels.console.following ? 1 : 0);
        out += line;
    }
    return out;
}

}  // namespace ringsim::gui
