#include "files_menu.h"

#include <imgui.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "gui/sim_controller.h"
#include "picked_files.h"
#include "scenario/scenario_images.h"
#include "web_browser.h"

namespace ringsim::gui::web {

namespace fs = std::filesystem;

namespace {

// Where a source edited in the window is written before it is offered as a download.
constexpr const char* kDownloadsFolder = "/downloads";

void downloadText(const std::string& name, const std::string& text) {
    std::error_code ec;
    fs::create_directories(kDownloadsFolder, ec);
    const fs::path path = fs::path(kDownloadsFolder) / name;
    std::ofstream(path, std::ios::binary) << text;
    downloadFile(path.string(), name);
}

void downloadSettings() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(kSettingsFolder, ec))
        if (entry.is_regular_file()) downloadFile(entry.path().string(), "ringsim-" + entry.path().filename().string());
}

}  // namespace

void FilesMenu::notePlace(const char* label) {
    const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    places_.push_back({label, min.x, min.y, max.x - min.x, max.y - min.y});
}

void FilesMenu::draw(Ui& ui) {
    places_.clear();
    SimController& sim = ui.sim;
    const bool open = ImGui::BeginMenu("Your files");
    notePlace("Your files");
    if (!open) return;
    if (ImGui::MenuItem("Open your scenario and guest files...")) pickFiles();
    notePlace("Open");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Pick the scenario (.yaml) and the guest sources it names, all at once;\n"
                          "guests it names that you do not pick are taken from the bundled ones.");
    ImGui::Separator();
    if (ImGui::MenuItem("Download this scenario", nullptr, false, sim.scenario() != nullptr))
        downloadFile(sim.scenarioPath(), fs::path(sim.scenarioPath()).filename().string());
    notePlace("Download scenario");
    if (ImGui::MenuItem("Download the sources edited here", nullptr, false, !sim.sourceOverrides().empty()))
        for (const auto& [path, text] : sim.sourceOverrides()) downloadText(fs::path(path).filename().string(), text);
    notePlace("Download sources");
    if (ImGui::MenuItem("Download the settings")) downloadSettings();
    notePlace("Download settings");
    ImGui::EndMenu();
}

void FilesMenu::openPicked(Ui& ui) {
    const std::string folder = takePickedFolder();
    if (folder.empty()) return;
    const PickedScenario picked = arrangePickedFiles(folder, bundledScenarioFolder());
    if (picked.scenario.empty()) {
        showPageNote("No scenario among the files you picked: pick its .yaml file together with its guest sources.");
        return;
    }
    SimController& sim = ui.sim;
    const std::string before = sim.scenario() ? sim.scenarioPath() : std::string();
    sim.open(picked.scenario);
    if (sim.scenario()) {
        showPageNote("");
        return;
    }
    // The desktop's message, word for word; the lesson that was open stays open.
    const std::string error = sim.error();
    if (!before.empty()) sim.open(before);
    showPageNote(fs::path(picked.scenario).filename().string() + " did not open: " + error);
}

void FilesMenu::printPlaces() const {
    for (const Place& p : places_) std::printf("menu %d %d %d %d %s\n", int(p.x), int(p.y), int(p.w), int(p.h), p.label.c_str());
}

}  // namespace ringsim::gui::web
