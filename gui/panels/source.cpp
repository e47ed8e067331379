// Source: the guest's sources in an editor, one tab per file (the kernel and
// what it includes, then each program). "Assemble & reload" assembles the
// edited text in memory and restarts the run with it; the files on disk
// change only by "Save". Errors are listed under the editor and marked at
// their lines; while the run is paused the line the pc comes from is lit.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "../elide.h"
#include "../layout.h"
#include "../theme.h"
#include "lesson/explain.h"
#include "panels.h"

namespace ringsim::gui {

namespace {

using SourceView = SourcePanelState;
using SourceFile = SourcePanelState::File;

std::string labelFor(const std::string& path, const std::string& kernelFolder) {
    const std::filesystem::path p(path);
    const std::string relative = p.lexically_relative(kernelFolder).generic_string();
    return relative.empty() || relative.starts_with("..") ? p.filename().string() : relative;
}

// Reads the guest's files afresh; an edit tried last (also from the command
// line) shows in its buffer, so its errors are seen where they are.
void loadFiles(SourceView& view, SimController& sim) {
    view = SourceView{};
    view.openCount = sim.openCount();
    const std::vector<std::string> paths = sim.guestSourceFiles();
    if (paths.empty()) return;
    const std::string kernelFolder = std::filesystem::path(paths.front()).parent_path().generic_string();
    for (const auto& path : paths) {
        SourceFile f;
        f.path = path;
        f.label = labelFor(path, kernelFolder);
        f.disk = readSourceFile(path).value_or("");
        f.text = f.disk;
        for (const auto& [edited, text] : sim.attemptedSources())
            if (normalSourcePath(edited) == path) f.text = text;
        view.files.push_back(std::move(f));
    }
}

// After a reload the guest may read files it did not before (a new .include).
void addNewFiles(SourceView& view, SimController& sim) {
    const std::string kernelFolder =
        view.files.empty() ? std::string() : std::filesystem::path(view.files.front().path).parent_path().generic_string();
    for (const auto& path : sim.guestSourceFiles()) {
        if (std::any_of(view.files.begin(), view.files.end(), [&](const SourceFile& f) { return f.path == path; })) continue;
        SourceFile f;
        f.path = path;
        f.label = labelFor(path, kernelFolder);
        f.disk = readSourceFile(path).value_or("");
        f.text = f.disk;
        view.files.push_back(std::move(f));
    }
}

std::optional<size_t> fileIndex(const SourceView& view, const std::string& path) {
    const std::string normal = normalSourcePath(path);
    for (size_t i = 0; i < view.files.size(); ++i)
        if (view.files[i].path == normal) return i;
    return std::nullopt;
}

void jumpTo(SourceView& view, const std::string& path, int line) {
    if (auto i = fileIndex(view, path)) {
        view.selectTab = *i;
        view.gotoLine = std::max(1, line);
        view.scrollToGoto = true;
        view.markedFile = *i;
        view.markedLine = *view.gotoLine;
    }
}

// The texts that differ from the files: what "assemble" sends.
SourceOverrides editedTexts(const SourceView& view) {
    SourceOverrides edited;
    for (const auto& f : view.files)
        if (f.text != f.disk) edited[f.path] = f.text;
    return edited;
}

size_t lineStartOffset(const std::string& text, int line) {
    size_t at = 0;
    for (int l = 1; l < line; ++l) {
        const size_t nl = text.find('\n', at);
        if (nl == std::string::npos) return text.size();
        at = nl + 1;
    }
    return at;
}

int editorCallback(ImGuiInputTextCallbackData* data) {
    SourceView& view = *static_cast<SourceView*>(data->UserData);
    if (view.gotoLine) {
        const std::string text(data->Buf, size_t(data->BufTextLen));
        data->CursorPos = int(lineStartOffset(text, *view.gotoLine));
        data->SelectionStart = data->SelectionEnd = data->CursorPos;
        view.gotoLine.reset();
    }
    view.cursorLine = 1 + int(std::count(data->Buf, data->Buf + data->CursorPos, '\n'));
    return 0;
}

// Where the pc comes from, when the run is paused: the live instruction
// bytes decide between programs that share an address.
std::optional<CodeLocation> pcLocation(SimController& sim) {
    Session* session = sim.session();
    const GuestImages* guest = sim.guestImages();
    if (!session || !guest || sim.busy()) return std::nullopt;
    Cpu& cpu = session->machine().cpu;
    const uint32_t pc = cpu.state.pc;
    uint32_t physical = 0;
    std::optional<uint8_t> live;
    if (cpu.peekTranslate(pc, physical) && uint64_t(physical) + 4 <= cpu.memory().size())
        live = uint8_t(cpu.memory().read32(physical) >> 24);
    return locateCode(*guest, pc, [live](uint8_t op) { return !live || *live == op; });
}

void drawToolbar(SourceView& view, SimController& sim) {
    const bool anyEdited = std::any_of(view.files.begin(), view.files.end(), [](const SourceFile& f) { return f.text != f.disk; });
    // Short where the panel is small; the tooltip says it in full.
    const bool narrow = ImGui::GetContentRegionAvail().x < 330.0f;
    if (ImGui::SmallButton(narrow ? "Assemble" : "Assemble & reload")) {
        if (sim.reloadWithSources(editedTexts(view))) {
            view.note = anyEdited ? "reloaded with your edits" : "reloaded";
            view.noteIsError = false;
            addNewFiles(view, sim);
        } else {
            view.note = sim.sourceErrors().empty() ? sim.error() : "errors: the old run goes on";
            view.noteIsError = true;
        }
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Assemble and reload: assemble the edited text in memory and restart the run with it.\n"
                          "The files on disk are not changed (Save does that).");
    if (view.current >= view.files.size()) return;
    SourceFile& file = view.files[view.current];
    const bool dirty = file.text != file.disk;
    ImGui::SameLine();
    ImGui::BeginDisabled(!dirty);
    if (ImGui::SmallButton("Revert")) {
        file.text = file.disk;
        // If the run uses the edit, it goes back to the file too.
        SourceOverrides running = sim.sourceOverrides();
        bool used = false;
        for (auto it = running.begin(); it != running.end();)
            if (normalSourcePath(it->first) == file.path) {
                it = running.erase(it);
                used = true;
            } else {
                ++it;
            }
        if (used) sim.reloadWithSources(running);
        view.note = "reverted " + file.label;
        view.noteIsError = false;
    }
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Discard the edits to this file");
    ImGui::SameLine();
    if (ImGui::SmallButton("Save")) ImGui::OpenPopup("Save the file?");
    ImGui::EndDisabled();
    if (ImGui::BeginPopupModal("Save the file?", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::Text("Write your edits over\n%s ?", file.path.c_str());
        if (ImGui::Button("Save")) {
            if (auto failed = writeSourceFile(file.path, file.text)) {
                view.note = *failed;
                view.noteIsError = true;
            } else {
                file.disk = file.text;
                view.note = "saved " + file.label;
                view.noteIsError = false;
            }
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

void drawEditor(SourceView& view, SourceFile& file, const Fonts& fonts, float height,
                const std::vector<int>& errorLines, std::optional<int> pcLine, std::optional<int> markedLine) {
    ImGui::PushFont(fonts.mono);
    const float lineHeight = ImGui::GetTextLineHeight();
    const ImGuiStyle& style = ImGui::GetStyle();
    const int lines = 1 + int(std::count(file.text.begin(), file.text.end(), '\n'));
    const float gutter = ImGui::CalcTextSize(std::to_string(std::max(lines, 99)).c_str()).x + style.ItemSpacing.x;
    // The editor is as big as its text, inside one scrolling child with the line numbers,
    // so the numbers and the text scroll together.
    float widest = 0;
    for (size_t start = 0; start <= file.text.size();) {
        size_t end = file.text.find('\n', start);
        if (end == std::string::npos) end = file.text.size();
        widest = std::max(widest, ImGui::CalcTextSize(file.text.data() + start, file.text.data() + end).x);
        start = end + 1;
    }
    ImGui::BeginChild("scroll", ImVec2(0, height), true, ImGuiWindowFlags_HorizontalScrollbar);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float top = origin.y + style.FramePadding.y;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float scroll = ImGui::GetScrollY(), visible = ImGui::GetWindowHeight();
    const int first = std::max(0, int(scroll / lineHeight) - 1);
    const int last = std::min(lines, first + int(visible / lineHeight) + 3);
    const float right = origin.x + gutter + std::max(widest + 4 * style.FramePadding.x, ImGui::GetContentRegionAvail().x);
    auto band = [&](int line, ImU32 colour) {
        const float y = top + float(line - 1) * lineHeight;
        draw->AddRectFilled(ImVec2(origin.x, y), ImVec2(right, y + lineHeight), colour);
    };
    if (pcLine) band(*pcLine, IM_COL32(200, 160, 40, 90));
    for (int line : errorLines) band(line, IM_COL32(230, 60, 50, 90));
    if (markedLine) {
        const float y = top + float(*markedLine - 1) * lineHeight;
        draw->AddRect(ImVec2(origin.x, y), ImVec2(right, y + lineHeight), IM_COL32(120, 170, 255, 200));
    }
    for (int i = first; i < last; ++i) {
        const std::string number = std::to_string(i + 1);
        const bool error = std::find(errorLines.begin(), errorLines.end(), i + 1) != errorLines.end();
        const ImU32 colour = error ? ImGui::ColorConvertFloat4ToU32(palette().errorText)
                             : pcLine == i + 1 ? ImGui::ColorConvertFloat4ToU32(palette().noticeText)
                                               : ImGui::GetColorU32(ImGuiCol_TextDisabled);
        draw->AddText(ImVec2(origin.x + gutter - style.ItemSpacing.x - ImGui::CalcTextSize(number.c_str()).x,
                             top + float(i) * lineHeight),
                      colour, number.c_str());
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x + gutter, origin.y));
    ImGui::PushStyleColor(ImGuiCol_FrameBg, IM_COL32(0, 0, 0, 0));
    const ImVec2 size(std::max(widest + 4 * style.FramePadding.x, ImGui::GetContentRegionAvail().x),
                      float(lines + 1) * lineHeight + 2 * style.FramePadding.y);
    ImGui::InputTextMultiline("##text", &file.text, size,
                              ImGuiInputTextFlags_AllowTabInput | ImGuiInputTextFlags_CallbackAlways, editorCallback,
                              &view);
    const bool active = ImGui::IsItemActive();
    ImGui::PopStyleColor();
    // The cursor moves to a line only while the editor has it (the callback
    // runs then); otherwise the line is scrolled to and marked.
    // Keep the line to go to, or the cursor's line, in view.
    auto reveal = [&](int line) {
        const float y = float(line - 1) * lineHeight + style.FramePadding.y;
        if (y < scroll || y + lineHeight > scroll + visible - style.ScrollbarSize)
            ImGui::SetScrollY(std::max(0.0f, y - visible * 0.35f));
    };
    if (view.scrollToGoto) {
        reveal(view.gotoLine.value_or(view.cursorLine));
        view.scrollToGoto = false;
        if (!active) view.gotoLine.reset();
    } else if (active && view.cursorLine != view.lastCursorLine) {
        reveal(view.cursorLine);
    }
    view.lastCursorLine = view.cursorLine;
    ImGui::EndChild();
    ImGui::PopFont();
}

void drawErrors(SourceView& view, const SimController& sim, float height) {
    ImGui::BeginChild("errors", ImVec2(0, height), true);
    for (size_t i = 0; i < sim.sourceErrors().size(); ++i) {
        const auto& d = sim.sourceErrors()[i];
        const std::string text = std::filesystem::path(d.file).filename().string() + ":" + std::to_string(d.line) + ":" +
                                 std::to_string(d.column) + ": " + d.message;
        ImGui::PushID(int(i));
        ImGui::PushStyleColor(ImGuiCol_Text, palette().errorText);
        if (ImGui::Selectable(text.c_str())) jumpTo(view, d.file, d.line);
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\nclick to go to the line", d.str().c_str());
        ImGui::PopID();
    }
    ImGui::EndChild();
}

// A newly selected event (a click in the log, a tour stop) brings its
// instruction's line into view, when its guest's code is the one running.
void showSelectedEvent(SourceView& view, Ui& ui) {
    if (ui.selection.serial == view.selectionSeen) return;
    view.selectionSeen = ui.selection.serial;
    Session* session = ui.sim.session();
    const GuestImages* guest = ui.sim.guestImages();
    if (!session || !guest || !ui.selection.event) return;
    const EventLog& log = session->machine().events;
    if (*ui.selection.event < log.firstRetained() || *ui.selection.event >= log.total()) return;
    const Event& e = log.at(*ui.selection.event);
    if (e.vm != session->machine().currentGuest && session->host()) return;
    if (const auto code = locateEventCode(e, *guest); code && code->line > 0) {
        jumpTo(view, code->path, code->line);
        view.jumpToPc = false;
    }
}

}  // namespace

void drawSourcePanel(Ui& ui) {
    SourceView& view = ui.panels.source;
    SimController& sim = ui.sim;
    placeNextWindow(PanelSlot::Source);
    ImGui::Begin("Source");
    if (!sim.scenario()) {
        ImGui::TextDisabled("no scenario");
        ImGui::End();
        return;
    }
    if (view.openCount != sim.openCount()) loadFiles(view, sim);
    if (view.files.empty()) {
        ImGui::TextDisabled("the scenario names no sources");
        ImGui::End();
        return;
    }

    if (!sim.sourceErrors().empty() && view.jumpToPc) {
        jumpTo(view, sim.sourceErrors().front().file, sim.sourceErrors().front().line);
        view.jumpToPc = false;
    }
    drawToolbar(view, sim);
    if (!view.note.empty()) {
        ImGui::SameLine();
        if (view.noteIsError)
            ImGui::TextColored(palette().errorText, "%s", view.note.c_str());
        else
            ImGui::TextDisabled("%s", view.note.c_str());
    }

    showSelectedEvent(view, ui);
    // Where the pc is, while paused.
    const std::optional<CodeLocation> pc = pcLocation(sim);
    if (pc && pc->line > 0) {
        if (view.jumpToPc) jumpTo(view, pc->path, pc->line);
        if (ImGui::SmallButton("go")) jumpTo(view, pc->path, pc->line);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("show the line the pc is at");
        ImGui::SameLine();
        ImGui::TextColored(palette().noticeText, "pc: %s:%d", pc->file.c_str(), pc->line);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("pc is at %s in %s: %s", pc->where().c_str(), pc->image.c_str(),
                                                      pc->instruction.c_str());
        if (!pc->label.empty()) {
            ImGui::SameLine();
            ImGui::TextDisabled("%s", pc->label.c_str());
        }
    } else {
        if (sim.busy())
            ImGui::TextDisabled("running (pause to see the pc's line)");
        else
            ImGui::TextDisabled("line %d", view.cursorLine);
    }

    // A tab per file where they all fit; else one box to choose the file from.
    float tabsWidth = 0;
    for (const SourceFile& f : view.files)
        tabsWidth += ImGui::CalcTextSize((f.label + " *").c_str()).x + ImGui::GetStyle().FramePadding.x * 2 +
                     ImGui::GetStyle().ItemInnerSpacing.x;
    if (tabsWidth > ImGui::GetContentRegionAvail().x) {
        if (view.selectTab) {
            if (view.current != *view.selectTab) view.lastCursorLine = 0;
            view.current = *view.selectTab;
        }
        const SourceFile& shown = view.files[std::min(view.current, view.files.size() - 1)];
        ImGui::SetNextItemWidth(-FLT_MIN);
        if (beginComboElided("##file", shown.label + (shown.text != shown.disk ? " *" : ""))) {
            for (size_t i = 0; i < view.files.size(); ++i) {
                const SourceFile& f = view.files[i];
                if (ImGui::Selectable((f.path + (f.text != f.disk ? " *" : "") + "##" + std::to_string(i)).c_str(),
                                      view.current == i)) {
                    if (view.current != i) view.lastCursorLine = 0;
                    view.current = i;
                }
            }
            ImGui::EndCombo();
        }
    } else if (ImGui::BeginTabBar("files", ImGuiTabBarFlags_FittingPolicyScroll | ImGuiTabBarFlags_TabListPopupButton)) {
        for (size_t i = 0; i < view.files.size(); ++i) {
            SourceFile& f = view.files[i];
            const std::string label = f.label + (f.text != f.disk ? " *" : "") + "###" + f.path;
            ImGuiTabItemFlags flags = 0;
            if (view.selectTab == i) flags |= ImGuiTabItemFlags_SetSelected;
            if (ImGui::BeginTabItem(label.c_str(), nullptr, flags)) {
                if (view.current != i) view.lastCursorLine = 0;
                view.current = i;
                ImGui::EndTabItem();
            }
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", f.path.c_str());
        }
        ImGui::EndTabBar();
    }
    view.selectTab.reset();
    view.jumpToPc = false;

    SourceFile& file = view.files[std::min(view.current, view.files.size() - 1)];
    std::vector<int> errorLines;
    for (const auto& d : sim.sourceErrors())
        if (normalSourcePath(d.file) == file.path && d.line > 0) errorLines.push_back(d.line);
    std::optional<int> pcLine;
    if (pc && pc->line > 0 && normalSourcePath(pc->path) == file.path) pcLine = pc->line;

    const float avail = ImGui::GetContentRegionAvail().y;
    const float errorsHeight =
        sim.sourceErrors().empty()
            ? 0.0f
            : std::min(avail * 0.35f, ImGui::GetTextLineHeightWithSpacing() * float(sim.sourceErrors().size()) +
                                          ImGui::GetStyle().WindowPadding.y * 2);
    drawEditor(view, file, ui.fonts, std::max(avail - errorsHeight - (errorsHeight > 0 ? ImGui::GetStyle().ItemSpacing.y : 0), 40.0f),
               errorLines, pcLine,
               view.markedFile == view.current ? std::optional<int>(view.markedLine) : std::nullopt);
    if (errorsHeight > 0) drawErrors(view, sim, errorsHeight);
    ImGui::End();
}

}  // namespace ringsim::gui
