// The web edition's entry point: ringsim-gui's window in a browser canvas.
// The same panels, shortcuts and simulation as gui/main.cpp; what differs is
// the browser's: the frame loop is the browser's (emscripten_set_main_loop,
// no blocking), the scenario comes from the page's link (deep_link.h), the
// settings live in IndexedDB, and exported pictures are downloads.
#include <emscripten.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "deep_link.h"
#include "files_menu.h"
#include "gui/app_shell.h"
#include "gui/appearance.h"
#include "gui/background_compare.h"
#include "gui/chart_export.h"
#include "gui/deck_controller.h"
#include "gui/help_window.h"
#include "gui/layout.h"
#include "gui/menu_bar.h"
#include "gui/panels/panels.h"
#include "gui/screenshot.h"
#include "gui/script.h"
#include "gui/settings.h"
#include "gui/shortcuts.h"
#include "gui/sim_controller.h"
#include "gui/tour_follow.h"
#include "gui/ui.h"
#include "scenario/deck.h"
#include "scenario/scenario_images.h"
#include "web_browser.h"

namespace {

using namespace ringsim::gui;
namespace fs = std::filesystem;

// The same slices of work per frame as the desktop (gui/main.cpp).
constexpr std::chrono::microseconds kSimulationPerFrame{2000};
constexpr std::chrono::microseconds kComparePerFrame{4000};

// Everything the frame loop keeps between frames (the browser calls it, not a loop of ours).
struct WebApp {
    std::unique_ptr<AppShell> shell;
    SimController sim;
    std::unique_ptr<SettingsStore> settingsStore;
    std::unique_ptr<Ui> ui;
    Appearance appearance;
    MenuBar menuBar;
    web::FilesMenu filesMenu;
    std::string titled;
    Settings synced;  // the settings as last written to IndexedDB
    std::vector<std::string> linkProblems;
    std::string linkShown;  // "copy a link": the link last made, shown for copying by hand
    bool linkPopup = false;
};
WebApp* app = nullptr;

std::string defaultScenario() { return (fs::path(ringsim::bundledScenarioFolder()) / "default.yaml").string(); }

// Opens what the page's link asks for; what it cannot have is said on the
// page, and the default lesson is opened instead.
void openLinkedMoment(WebApp& a, DeckController& deck) {
    const web::DeepLink link = web::parseDeepLink(web::pageQuery());
    a.linkProblems = link.problems;
    if (link.lecture) {
        if (!deck.open(ringsim::bundledDeckPath(), a.sim)) a.sim.open(defaultScenario());
        for (const std::string& problem : deck.problems()) a.linkProblems.push_back(problem);
        return;
    }
    std::string path = defaultScenario();
    std::error_code ec;
    if (!link.scenario.empty()) {
        path = (fs::path(ringsim::bundledScenarioFolder()) / (link.scenario + ".yaml")).string();
        if (!fs::is_regular_file(path, ec)) a.linkProblems.push_back("no bundled scenario \"" + link.scenario + "\"");
    }
    if (!a.linkProblems.empty()) {
        a.sim.open(defaultScenario());
        return;
    }
    a.sim.open(path, link.mode);
    if (!a.sim.scenario() || !a.sim.session()) {
        a.linkProblems.push_back(link.scenario + ": " + a.sim.error());
        a.sim.open(defaultScenario());
        return;
    }
    if (link.stop == 0) return;
    // As --run-to-stop: the tour's own first mode when the scenario's default is not one of the tour's.
    if (!link.mode && a.sim.scenario()->tour && !a.sim.tour().active() && !a.sim.scenario()->tour->modes.empty())
        a.sim.chooseMode(a.sim.scenario()->tour->modes.front());
    if (link.stop > a.sim.tour().stops()) {
        a.linkProblems.push_back("no tour stop " + std::to_string(link.stop) + " in " + link.scenario + " (it has " +
                                 std::to_string(a.sim.tour().stops()) + ")");
        a.sim.open(defaultScenario());
        return;
    }
    for (size_t stop = 1; stop <= link.stop; ++stop)
        if (!a.sim.runToTourStop(stop)) {
            a.linkProblems.push_back("could not reach tour stop " + std::to_string(stop) + ": " + a.sim.error());
            break;
        }
}

// The link that brings a student to what is on the screen now.
std::string momentLink(WebApp& a) {
    const std::string stem = fs::path(a.sim.scenarioPath()).stem().string();
    return web::pageAddress() + web::deepLinkQuery(stem, a.sim.mode(), a.sim.shownStops());
}

// "Your files" and "Link" beside the desktop's menus (ImGui appends to the open menu bar).
void drawWebMenus(WebApp& a) {
    if (ImGui::BeginMainMenuBar()) {
        a.filesMenu.draw(*a.ui);
        if (ImGui::BeginMenu("Link")) {
            if (ImGui::MenuItem("Copy a link to this moment", nullptr, false, a.sim.scenario() != nullptr)) {
                a.linkShown = momentLink(a);
                web::copyToClipboard(a.linkShown);
                a.linkPopup = true;
            }
            ImGui::EndMenu();
        }
        ImGui::EndMainMenuBar();
    }
    if (a.linkPopup) ImGui::OpenPopup("A link to this moment");
    a.linkPopup = false;
    if (ImGui::BeginPopupModal("A link to this moment", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::TextUnformatted("Copied to the clipboard (if the browser allowed it). The link:");
        ImGui::SetNextItemWidth(std::min(900.0f, ImGui::GetMainViewport()->Size.x * 0.8f));
        ImGui::InputText("##link", a.linkShown.data(), a.linkShown.size() + 1, ImGuiInputTextFlags_ReadOnly);
        if (ImGui::Button("Close")) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

// A picture the window saved in Emscripten's file system goes to the user as a download.
void offerDownload(const std::string& path, const std::string& error) {
    if (error.empty()) web::downloadFile(path, fs::path(path).filename().string());
}

// Milliseconds since `since`, and `since` moved on to now: a frame's parts timed in turn.
double lap(std::chrono::steady_clock::time_point& since) {
    const auto now = std::chrono::steady_clock::now();
    const double ms = std::chrono::duration<double, std::milli>(now - since).count();
    since = now;
    return ms;
}

void frame() {
    WebApp& a = *app;
    const auto frameStart = std::chrono::steady_clock::now();
    auto partStart = frameStart;
    web::FrameTimes times;
    int pageW = 0, pageH = 0, windowW = 0, windowH = 0;
    web::pageSize(pageW, pageH);
    a.shell->setPixelRatio(web::devicePixelRatio());
    a.shell->windowSize(windowW, windowH);
    if (pageW > 0 && pageH > 0 && (pageW != windowW || pageH != windowH)) a.shell->resize(pageW, pageH);
    Ui& ui = *a.ui;
    a.appearance.update(*a.shell, ui.settings);
    a.shell->beginFrame();
    handleShortcuts(ui, a.shell->takePressedKeys());
    a.filesMenu.openPicked(ui);
    beginLayoutFrame(ui.settings.presentation, ui.settings.layoutLocked);
    times.drawing += lap(partStart);
    a.sim.advance(kSimulationPerFrame);
    followTour(ui);
    times.simulation = lap(partStart);
    ui.allModes.follow(a.sim);
    ui.comparison.follow(a.sim, kComparePerFrame);
    times.comparison = lap(partStart);
    a.menuBar.draw(ui);
    drawWebMenus(a);
    drawAllPanels(ui);
    endLayoutFrame();
    drawHelpWindow(ui);
    drawChartExport(ui);
    times.drawing += lap(partStart);
    a.shell->render();
    int w = 0, h = 0;
    a.shell->framebufferSize(w, h);
    if (const auto exported = saveRequestedChart(w, h)) offerDownload(exported->path, exported->error);
    if (const auto exportPath = a.menuBar.exportDue()) {
        const std::string failed = saveBackBufferPng(*exportPath, w, h);
        a.menuBar.exportDone(*exportPath, failed);
        offerDownload(*exportPath, failed);
    }
    if (web::takePageRequest("panels")) {  // where each panel is, for the page's tests (as --print-panels)
        std::printf("layout %s\n", layoutDesignName());
        printPanelRects();
        std::printf("panels-end\n");
        std::fflush(stdout);
    }
    if (web::takePageRequest("menus")) {  // where the web's own menu and its items are, for the page's tests
        a.filesMenu.printPlaces();
        std::printf("menus-end\n");
        std::fflush(stdout);
    }
    a.shell->present();
    times.rendering = lap(partStart);
    const std::string title = "ringsim: " +
                              (a.sim.scenario() ? fs::path(a.sim.scenarioPath()).stem().string() : "no scenario") +
                              (a.sim.session() ? " (" + std::string(ringsim::modeName(a.sim.mode())) + ")" : "");
    if (title != a.titled) {
        a.titled = title;
        a.shell->setTitle(title);
    }
    if (a.sim.scenario()) {
        ui.settings.lastScenario = a.sim.scenarioPath();
        ui.settings.lastMode = ringsim::modeName(a.sim.mode());
    }
    if (!(ui.settings == a.synced)) {
        a.settingsStore->saveIfChanged(ui.settings);
        saveLayoutNow();
        web::syncSettingsFolder();
        a.synced = ui.settings;
    }
    times.total = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - frameStart).count();
    web::reportFrame(times, stateLine(a.sim));
}

// Runs once IndexedDB has given the settings back.
void start() {
    app = new WebApp;
    WebApp& a = *app;
    int width = 0, height = 0;
    web::pageSize(width, height);
    std::string error;
    bool noDisplay = false;
    a.shell = AppShell::open(std::max(width, 320), std::max(height, 240), "ringsim", false, error, noDisplay);
    if (!a.shell) {
        web::showPageNote("ringsim cannot draw here: " + error +
                          ". It needs WebGL 2 (a current Firefox, Chrome, Edge or Safari with hardware acceleration on).");
        return;
    }
    a.settingsStore = std::make_unique<SettingsStore>(fs::path(web::kSettingsFolder));
    Settings settings;
    a.settingsStore->load(settings);
    a.synced = settings;
    rememberLayoutsIn(a.settingsStore->folder());
    DeckController deck;
    openLinkedMoment(a, deck);
    a.ui.reset(new Ui{a.sim, a.shell->fonts(), {}, settings});  // not movable: built in place
    a.ui->deck = std::move(deck);
    followTour(*a.ui);
    std::string note;
    for (const std::string& problem : a.linkProblems) note += (note.empty() ? "" : "; ") + problem;
    if (!note.empty()) web::showPageNote("This link asks for what is not here: " + note + ". The default lesson is open instead.");
    emscripten_set_main_loop(frame, 0, false);
}

}  // namespace

// The page is being hidden or left: where the panels are goes to IndexedDB
// too (settings go there as they change, see frame()).
extern "C" EMSCRIPTEN_KEEPALIVE void ringsim_web_page_hidden() {
    if (!app || !app->ui) return;
    app->settingsStore->saveIfChanged(app->ui->settings);
    saveLayoutNow();
    web::syncSettingsFolder();
}

int main() {
    web::mountSettingsFolder(start);
    return 0;
}
