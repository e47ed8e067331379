#include "menu_bar.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <filesystem>

#include "chart_export.h"
#include "layout.h"
#include "shortcuts.h"
#include "theme.h"

namespace ringsim::gui {

namespace {
constexpr double kStatusSeconds = 5.0;
constexpr float kTextSizes[] = {1.0f, 1.25f, 1.5f, 1.75f, 2.0f};
// A dialog's text field: Enter confirms, and typing replaces the suggestion.
constexpr ImGuiInputTextFlags kDialogField = ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll;

// ringsim-<scenario>-<mode>-<cycle>.png: says what the picture shows, and
// two exports of one run at different moments do not overwrite each other.
std::string defaultExportName(SimController& sim) {
    const std::string scenario =
        sim.scenario() ? std::filesystem::path(sim.scenarioPath()).stem().string() : std::string("no-scenario");
    const unsigned long long cycle = sim.session() ? sim.session()->machine().cpu.account.now : 0;
    return "ringsim-" + scenario + "-" + (sim.scenario() ? std::string(modeName(sim.mode())) : std::string("none")) + "-" + std::to_string(cycle) + ".png";
}

// A dialog's buttons: Enter does the first, Escape the second.
bool pressedEnter() { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false); }
bool pressedEscape() { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false); }

// Centred, the first time a dialog appears.
void centreNextDialog() {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.4f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
}
}  // namespace

void MenuBar::draw(Ui& ui) {
    if (ImGui::BeginMainMenuBar()) {
        drawFileMenu(ui);
        drawViewMenu(ui);
        drawHelpMenu(ui);
        drawStatus();
        ImGui::EndMainMenuBar();
    }
    drawDialogs(ui);
}

void MenuBar::drawFileMenu(Ui& ui) {
    SimController& sim = ui.sim;
    if (!ImGui::BeginMenu("File")) return;
    if (ImGui::BeginMenu("Open bundled scenario")) {
        for (const auto& entry : sim.bundled())
            if (ImGui::MenuItem(entry.title.c_str(), nullptr, entry.path == sim.scenarioPath())) sim.open(entry.path);
        ImGui::EndMenu();
    }
    if (ImGui::MenuItem("Open scenario file...")) {
        pathInput_ = sim.scenarioPath();
        openFileDialog_ = true;
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Export window as PNG...")) {
        exportInput_ = defaultExportName(sim);
        exportingChart_ = false;
        openExportDialog_ = true;
    }
    if (ImGui::MenuItem("Export chart of the modes as PNG...")) {
        exportInput_ = defaultExportName(sim);
        if (exportInput_.size() > 4) exportInput_.insert(exportInput_.size() - 4, "-chart");
        exportingChart_ = true;
        openExportDialog_ = true;
    }
    drawDeckMenu(ui);
    ImGui::Separator();
    if (ImGui::MenuItem("Quit")) quit_ = true;
    ImGui::EndMenu();
}

// The bundled lecture deck, and moving through the open one by lesson.
void MenuBar::drawDeckMenu(Ui& ui) {
    SimController& sim = ui.sim;
    DeckController& deck = ui.deck;
    if (!ImGui::BeginMenu("Lecture deck")) return;
    if (ImGui::MenuItem("Start the bundled lecture")) deck.open(bundledDeckPath(), sim);
    ImGui::Separator();
    if (ImGui::MenuItem("Next", shortcutKey(Shortcut::DeckNext), false, deck.active() && !deck.atEnd(sim))) deck.next(sim);
    if (ImGui::MenuItem("Next lesson", nullptr, false, deck.active() && deck.lessonIndex() + 1 < deck.lessons()))
        deck.nextLesson(sim);
    if (ImGui::MenuItem("Previous lesson", shortcutKey(Shortcut::DeckPreviousLesson), false, deck.active()))
        deck.previousLesson(sim);
    ImGui::EndMenu();
}

void MenuBar::drawViewMenu(Ui& ui) {
    Settings& settings = ui.settings;
    if (!ImGui::BeginMenu("View")) return;
    ImGui::MenuItem("Presentation mode", shortcutKey(Shortcut::Presentation), &settings.presentation);
    bool light = !settings.darkTheme;
    if (ImGui::MenuItem("Light theme", shortcutKey(Shortcut::Theme), &light)) settings.darkTheme = !light;
    ImGui::MenuItem("Lock layout", shortcutKey(Shortcut::LockLayout), &settings.layoutLocked);
    if (ImGui::MenuItem("Reset layout")) resetLayout();
    if (ImGui::BeginMenu("Text size")) {
        for (float size : kTextSizes) {
            const std::string label = std::to_string(int(size * 100.0f + 0.5f)) + "%";
            if (ImGui::MenuItem(label.c_str(), nullptr, settings.fontScale == size)) settings.fontScale = size;
        }
        ImGui::EndMenu();
    }
    ImGui::EndMenu();
}

void MenuBar::drawHelpMenu(Ui& ui) {
    if (!ImGui::BeginMenu("Help")) return;
    ImGui::MenuItem("Keyboard shortcuts", shortcutKey(Shortcut::Help), &ui.helpOpen);
    if (ImGui::MenuItem("About ringsim")) openAbout_ = true;
    ImGui::EndMenu();
}

// The outcome of an export, at the right of the menu bar for a few seconds.
void MenuBar::drawStatus() {
    if (status_.empty() || ImGui::GetTime() > statusUntil_) return;
    const float width = ImGui::CalcTextSize(status_.c_str()).x + ImGui::GetStyle().ItemSpacing.x * 2;
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowWidth() - width));
    ImGui::TextColored(statusIsError_ ? palette().errorText : palette().noticeText, "%s", status_.c_str());
}

void MenuBar::drawDialogs(Ui& ui) {
    SimController& sim = ui.sim;
    // Opened here, not inside the menu: a popup is found by the ID stack it was opened in.
    if (openFileDialog_) ImGui::OpenPopup("Open scenario file");
    if (openExportDialog_) ImGui::OpenPopup("Export window as PNG");
    if (openAbout_) ImGui::OpenPopup("About ringsim");
    openFileDialog_ = openExportDialog_ = openAbout_ = false;
    const float fieldWidth = ImGui::GetFontSize() * 32;

    centreNextDialog();
    if (ImGui::BeginPopupModal("Open scenario file", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::TextUnformatted("A scenario (.yaml) by its path:");
        if (ImGui::IsWindowAppearing() || refocusPath_) ImGui::SetKeyboardFocusHere();
        refocusPath_ = false;
        ImGui::SetNextItemWidth(fieldWidth);
        const bool entered = ImGui::InputText("##path", &pathInput_, kDialogField);
        // A scenario that does not load stays on screen with its reason; the dialog stays open to correct the path.
        if (!sim.error().empty() && !sim.scenario()) {
            ImGui::PushStyleColor(ImGuiCol_Text, palette().errorText);
            ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + fieldWidth);
            ImGui::TextWrapped("%s", sim.error().c_str());
            ImGui::PopTextWrapPos();
            ImGui::PopStyleColor();
        }
        if (ImGui::Button("Open") || entered) {
            sim.open(pathInput_);
            if (sim.scenario()) ImGui::CloseCurrentPopup();
            else refocusPath_ = true;  // Enter left the field: back into it, to correct the path
        }
        ImGui::SameLine();
        if (ImGui::Button("Cancel") || pressedEscape()) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }

    centreNextDialog();
    if (ImGui::BeginPopupModal("Export window as PNG", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::TextUnformatted(exportingChart_ ? "Save the chart of every mode alone as a PNG file (when the comparison is done):"
                                               : "Save the whole window as a PNG file:");
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        ImGui::SetNextItemWidth(fieldWidth);
        const bool entered = ImGui::InputText("##file", &exportInput_, kDialogField);
        ImGui::TextDisabled("relative to %s", std::filesystem::current_path().string().c_str());
        ImGui::BeginDisabled(exportInput_.empty());
        if ((ImGui::Button("Save") || entered) && !exportInput_.empty()) {
            if (exportingChart_) {
                requestChartExport(exportInput_);  // drawn alone over the window and saved after a render
            } else {
                exportPending_ = exportInput_;
                exportWaitFrames_ = 1;  // this frame still shows the dialog
            }
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button("Cancel") || pressedEscape()) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }

    centreNextDialog();
    if (ImGui::BeginPopupModal("About ringsim", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::Text("ringsim %s", RINGSIM_VERSION);
        ImGui::TextUnformatted("Protection rings and the approaches to virtualisation, simulated:");
        ImGui::TextUnformatted("native, trap-and-emulate, binary translation, emulation,");
        ImGui::TextUnformatted("paravirtualisation, hardware assistance and containers.");
        ImGui::Text("Dear ImGui %s", ImGui::GetVersion());
        if (ImGui::Button("Close") || pressedEnter() || pressedEscape()) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

std::optional<std::string> MenuBar::exportDue() {
    if (!exportPending_) return std::nullopt;
    if (exportWaitFrames_ > 0) {
        --exportWaitFrames_;
        return std::nullopt;
    }
    std::optional<std::string> due;
    due.swap(exportPending_);
    return due;
}

void MenuBar::exportDone(const std::string& path, const std::string& error) {
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    status_ = error.empty() ? "saved " + (ec ? path : absolute.string()) : "not saved: " + error;
    statusIsError_ = !error.empty();
    statusUntil_ = ImGui::GetTime() + kStatusSeconds;
}

}  // namespace ringsim::gui
