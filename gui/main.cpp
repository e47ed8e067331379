// ringsim-gui: the Dear ImGui front end. Parses the command line, opens the
// window and the scenario, and runs the frame loop: advance the simulation
// for a few milliseconds, draw the panels, present. With --screenshot it
// renders a few frames, saves the window as PNG and exits (how it is tested).
#include <imgui.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app_shell.h"
#include "appearance.h"
#include "background_compare.h"
#include "chart_export.h"
#include "clip_check.h"
#include "deck_controller.h"
#include "monitors/monitor.h"
#include "help_window.h"
#include "breakpoint_options.h"
#include "layout.h"
#include "menu_bar.h"
#include "panels/panels.h"
#include "screenshot.h"
#include "script.h"
#include "settings.h"
#include "shortcuts.h"
#include "sim_controller.h"
#include "stage_now.h"
#include "tour_follow.h"
#include "theme.h"
#include "source_line_edit.h"
#include "scenario/scenario_images.h"

namespace {

// Simulation time per frame: small enough that a frame stays well under 16 ms.
constexpr std::chrono::microseconds kSimulationPerFrame{2000};
// Work on the Compare panel's comparison per frame, beside the simulation's own slice.
constexpr std::chrono::microseconds kComparePerFrame{4000};
// Frames drawn before a screenshot: ImGui sizes windows and fonts over the first frames.
constexpr int kFramesBeforeScreenshot = 4;
// --screenshot-chart waits this long at most for the comparison of the modes (frames go on meanwhile):
// a guard against a hang, long enough for a machine loaded several times over.
constexpr std::chrono::seconds kChartWait{600};

// SIGTERM or SIGINT ends the frame loop as closing the window does, so a
// script driving the window can stop it and still read --print-state.
volatile std::sig_atomic_t quitRequested = 0;
void requestQuit(int) { quitRequested = 1; }
// SIGUSR1 prints the state line at the next frame (a test checks a state mid-way).
volatile std::sig_atomic_t stateRequested = 0;
void requestState(int) { stateRequested = 1; }
// SIGUSR2 prints the layout and where each panel is at the next frame (and
// saves the window with --signal-screenshot): a test polls it until the
// layout settles after a key.
volatile std::sig_atomic_t panelsRequested = 0;
void requestPanels(int) { panelsRequested = 1; }

// "1920x1080" -> 1920, 1080; false if it is not a plausible window size.
bool parseSize(const std::string& text, int& width, int& height) {
    char x = 0, extra = 0;
    return std::sscanf(text.c_str(), "%d%c%d%c", &width, &x, &height, &extra) == 3 && (x == 'x' || x == 'X') &&
           width >= 320 && height >= 240 && width <= 8192 && height <= 8192;
}

// The clear colour as the framebuffer stores it, for the screenshot test.
int byteOf(float channel) { return int(channel * 255.0f + 0.5f); }

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ringsim-gui: the graphical front end of ringsim"};
    std::string scenarioPath, mode, screenshot;
    size_t runToStop = 0;
    int frames = 0;
    int benchFrames = 0;
    std::string countersTab;
    uint64_t benchEvents = 0;
    bool printState = false;
    bool printStage = false;
    bool printPanels = false;
    bool predict = false;
    std::string script;
    std::optional<uint64_t> selectEvent;
    std::string editSourceLine;
    std::string screenshotChart;
    app.add_option("SCENARIO", scenarioPath, "the scenario to open (default: the bundled default.yaml)");
    app.add_option("--mode", mode, "the mode to run it in (default: the scenario's default mode)");
    app.add_option("--run-to-stop", runToStop, "follow the scenario's tour up to this stop (1 = the first) before showing it");
    app.add_option("--screenshot", screenshot, "save the window as this PNG after a few frames (or after --frames), then exit");
    app.add_option("--frames", frames, "quit after this many frames (0: run until closed)");
    app.add_option("--bench-frames", benchFrames,
                   "run the simulation for this many frames, print the median and 95th percentile frame time, and exit");
    app.add_option("--bench-events", benchEvents,
                   "with --bench-frames: first run until the event log holds this many events (e.g. 1000000)");
    app.add_flag("--print-stage", printStage,
                 "print what the stage shows as one JSON line: at each tour stop on the way with --run-to-stop, "
                 "else on exit and on SIGUSR1 (event, route, lit_ring, marks...)");
    app.add_flag("--print-state", printState,
                 "on exit (and on SIGUSR1) print the state line last: mode, cycle, instructions, tour stop shown, "
                 "running, events and a digest of the registers (for tests that drive the window); before it the "
                 "settings, the selected event and any source errors");
    app.add_option("--do", script,
                   "commands run before the first frame, each to completion: step, cycle, event, back, back-event, stop, run (to "
                   "the next tour stop or the end), "
                   "reset, kind:KIND, run-to:CYCLE, speed:N (instructions per second for the runs after it, Space's too; 0: full "
                   "speed), and with --lecture next, next-lesson, previous-lesson; NAME*N repeats "
                   "(e.g. --do step*5,back)");
    app.add_flag("--predict", predict, "start in \"predict, then reveal\" (after --run-to-stop and --do)");
    app.add_option("--counters-tab", countersTab, "bring this tab of the Counters panel forward: \"This run\", "
                   "\"All modes\" (the default) or \"Footprint\" (scenarios with several instances); with --screenshot, "
                   "the picture waits for the comparison of the modes");
    app.add_flag("--print-panels", printPanels, "on exit, print where each panel is (for the screenshot test)");
    std::string signalScreenshot;
    app.add_option("--signal-screenshot", signalScreenshot,
                   "on SIGUSR2 (which prints the layout and the panels' places), also save the window as this PNG");
    bool checkClipping = false, openPanels = false;
    app.add_flag("--check-clipping", checkClipping,
                 "draw a few frames, print \"clipped PANEL: TEXT\" for each text cut off by its panel, column or box, "
                 "then \"clipping-check N\" (the number of cuts), and exit");
    app.add_flag("--open-panels", openPanels, "open every panel in its place, those the layout shows as title bars too");
    std::string size = "1280x800", theme, configDir;
    bool presentation = false, lockLayout = false;
    app.add_option("--size", size, "the window's size, WxH (1920x1080 and up get the wide layout)")->capture_default_str();
    app.add_option("--theme", theme, "dark or light (remembered, like a change made in the window)")
        ->check(CLI::IsMember({"dark", "light"}));
    app.add_flag("--presentation", presentation, "start in presentation mode: large text, high contrast, rings and tour enlarged");
    app.add_flag("--lock-layout", lockLayout, "start with the layout locked: panels cannot be moved or resized");
    app.add_option("--config-dir", configDir,
                   "where settings and the layout are kept (default: $RINGSIM_CONFIG_DIR, else "
                   "$XDG_CONFIG_HOME/ringsim, else ~/.config/ringsim; screenshot and bench runs keep none unless given)");
    std::string compareModes;
    bool compareLarge = false;
    app.add_option("--compare", compareModes,
                   "MODE_A,MODE_B: compare the scenario in two modes instruction by instruction before showing it");
    app.add_flag("--compare-large", compareLarge, "show the Compare panel popped out (large)");
    app.add_option("--select-event", selectEvent,
                   "select this event (its number in the event log, from 0) after --run-to-stop, so the \"Why did this "
                   "happen?\" card shows it");
    app.add_option("--edit-source-line", editSourceLine,
                   "FILE:LINE:TEXT: replace that line of the guest source FILE (a file name, e.g. kernel.s) in the "
                   "editor and assemble and reload, as the Source panel's button does (for tests and demonstrations)");
    std::vector<std::string> breakpoints;
    bool runToBreakpoint = false;
    app.add_option("--breakpoint", breakpoints,
                   "stop before the instruction at this address or label (do_syscall, hello.s:_start); repeatable");
    app.add_flag("--run-to-breakpoint", runToBreakpoint,
                 "run until a breakpoint is reached (or the run ends) before showing the window; prints where it stopped");
    app.add_option("--screenshot-chart", screenshotChart,
                   "wait for the comparison of the modes, save its chart alone as this PNG, then exit "
                   "(with --screenshot, the window is saved a few frames later)");
    std::string lecturePath;
    const CLI::Option* lecture =
        app.add_option("--lecture", lecturePath,
                       "walk a lecture deck (a YAML list of lessons; default: the bundled lecture), each lesson "
                       "opened by a title card; N goes through its tour stops, then to the next lesson")
            ->expected(0, 1);
    CLI11_PARSE(app, argc, argv);
    std::optional<ringsim::Mode> chosenMode;
    if (!mode.empty()) {
        try {
            chosenMode = ringsim::parseMode(mode);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ringsim-gui: --mode %s: %s\n", mode.c_str(), e.what());
            return 2;
        }
    }

    int width = 0, height = 0;
    if (!parseSize(size, width, height)) {
        std::fprintf(stderr, "ringsim-gui: --size %s: expected WIDTHxHEIGHT, e.g. 1920x1080 (320x240 to 8192x8192)\n", size.c_str());
        return 2;
    }
    // Runs that end by themselves (tests, measurements) neither read nor
    // write the user's settings, so their pictures and figures do not depend on them.
    const bool selfEnding = !screenshot.empty() || benchFrames > 0 || checkClipping;
    ringsim::gui::SettingsStore settingsStore(!configDir.empty() ? std::filesystem::path(configDir)
                                              : selfEnding        ? std::filesystem::path()
                                                                  : ringsim::gui::defaultConfigFolder());
    ringsim::gui::Settings settings;
    settingsStore.load(settings);
    if (!theme.empty()) settings.darkTheme = theme == "dark";
    if (presentation) settings.presentation = true;
    if (lockLayout) settings.layoutLocked = true;
    // No scenario named: the one open when the window was last closed, in its mode.
    std::error_code existsError;
    if (scenarioPath.empty() && !settings.lastScenario.empty() && std::filesystem::exists(settings.lastScenario, existsError)) {
        scenarioPath = settings.lastScenario;
        if (!chosenMode) chosenMode = ringsim::modeFromName(settings.lastMode);
    }

    if (scenarioPath.empty()) scenarioPath = (std::filesystem::path(ringsim::bundledScenarioFolder()) / "default.yaml").string();

    std::string error;
    bool noDisplay = false;
    const bool screenshotRun = !screenshot.empty();
    const bool chartRun = !screenshotChart.empty();
    auto shell = ringsim::gui::AppShell::open(width, height, "ringsim", false, error, noDisplay);
    if (!shell) {
        std::fprintf(stderr, "ringsim-gui: %s\n", error.c_str());
        return 2;
    }
    if (settingsStore.enabled()) ringsim::gui::rememberLayoutsIn(settingsStore.folder());

    ringsim::gui::SimController sim;
    ringsim::gui::DeckController deck;
    if (lecture->count() > 0) {
        // A deck that cannot be read leaves the window on the scenario it would have opened.
        const bool opened = deck.open(lecturePath.empty() ? ringsim::bundledDeckPath() : lecturePath, sim);
        for (const std::string& problem : deck.problems()) std::fprintf(stderr, "ringsim-gui: %s\n", problem.c_str());
        if (!opened) sim.open(scenarioPath, chosenMode);
    } else {
        sim.open(scenarioPath, chosenMode);
    }
    // Asked for a tour stop without a mode: the tour's own first mode when the
    // scenario's default is not one of the tour's (a lesson such as 06b's).
    if (runToStop > 0 && !chosenMode && sim.scenario() && sim.scenario()->tour && !sim.tour().active() &&
        !sim.scenario()->tour->modes.empty())
        sim.chooseMode(sim.scenario()->tour->modes.front());
    // The command line prepares a moment; questions start from there.
    const bool scenarioPredicts = sim.predict();
    sim.setPredict(false);
    // Stop by stop, so --print-stage can say what the stage shows at each.
    for (size_t stop = 1; stop <= runToStop && sim.session(); ++stop) {
        if (!sim.runToTourStop(stop)) {
            std::fprintf(stderr, "ringsim-gui: could not reach tour stop %zu: %s\n", stop, sim.error().c_str());
            break;
        }
        if (printStage) std::printf("%s\n", ringsim::stageJson(ringsim::gui::stageNow(sim, std::nullopt)).c_str());
    }

    if (predict) sim.setPredict(true);  // asked for: the commands below meet the questions too
    if (!script.empty()) {
        if (std::string problem; !ringsim::gui::runScript(sim, script, problem, &deck)) {
            std::fprintf(stderr, "ringsim-gui: %s\n", problem.c_str());
            return 2;
        }
    }

    sim.setPredict(predict || scenarioPredicts);

    ringsim::gui::Ui ui{sim, shell->fonts(), {}, settings};
    ui.deck = std::move(deck);
    ringsim::gui::Appearance appearance;
    ringsim::gui::MenuBar menuBar;
    std::string openedPath;  // the scenario last recorded in the settings
    std::string titledPath, titledMode = "?";  // what the window's title names
    if (!compareModes.empty()) {
        const auto comma = compareModes.find(',');
        std::string failed = "expected two modes separated by a comma, e.g. native,trap-emulate";
        bool compared = false;
        if (comma != std::string::npos) {
            try {
                const ringsim::Mode a = ringsim::parseMode(compareModes.substr(0, comma));
                const ringsim::Mode b = ringsim::parseMode(compareModes.substr(comma + 1));
                compared = ringsim::gui::compareModesNow(ui, a, b, failed);
            } catch (const std::exception& e) {
                failed = e.what();
            }
        }
        if (!compared) {
            std::fprintf(stderr, "ringsim-gui: --compare %s: %s\n", compareModes.c_str(), failed.c_str());
            return 2;
        }
    }
    if (compareLarge) ringsim::gui::popOutComparePanel(ui);
    ringsim::gui::followTour(ui);  // the stop --run-to-stop reached, selected (unless --select-event says otherwise)
    if (selectEvent) ui.selection.select(*selectEvent);
    ui.panels.counters.openTab = countersTab;
    if (!editSourceLine.empty())
        if (const std::string problem = ringsim::gui::editSourceLine(sim, editSourceLine); !problem.empty())
            std::fprintf(stderr, "ringsim-gui: --edit-source-line: %s\n", problem.c_str());
    if (!breakpoints.empty() || runToBreakpoint) {
        if (!ringsim::gui::applyBreakpointOptions(sim, breakpoints, runToBreakpoint)) return 1;
    }

    // The speed measurement: the simulation running at full speed, every frame timed.
    std::vector<double> frameMs;
    if (benchFrames > 0) {
        frames = benchFrames;
        if (benchEvents > 0 && !sim.runToEventCount(benchEvents))
            std::fprintf(stderr, "ringsim-gui: the run ended with %llu events, fewer than --bench-events asked for\n",
                         static_cast<unsigned long long>(sim.session() ? sim.session()->machine().events.total() : 0));
        sim.setPauseAtTourStops(false);  // every frame measured with the simulation running
        sim.run();
    }
    if ((screenshotRun || checkClipping) && !chartRun && frames < kFramesBeforeScreenshot) frames = kFramesBeforeScreenshot;
    if (openPanels) ringsim::gui::openEveryPanel();
    // The chart run ends when the chart is saved (below), not after a number of
    // frames; a screenshot of a Counters tab waits for the comparison it shows.
    if (chartRun) frames = 0;
    bool awaitComparison = screenshotRun && !countersTab.empty() && !chartRun;
    if (awaitComparison) frames = 0;
    const auto chartDeadline = std::chrono::steady_clock::now() + kChartWait;
    bool chartRequested = false;
    std::signal(SIGTERM, requestQuit);
    std::signal(SIGINT, requestQuit);
    std::signal(SIGUSR1, requestState);
    std::signal(SIGUSR2, requestPanels);
    for (int frame = 0; !quitRequested && !shell->shouldClose() && !menuBar.quitRequested() && (frames == 0 || frame < frames);
         ++frame) {
        const auto frameStart = std::chrono::steady_clock::now();
        appearance.update(*shell, ui.settings);
        shell->beginFrame();
        // From render() to here the GPU driver (Mesa on the CPU) is busy: the comparison waited.
        ringsim::gui::BackgroundCompare::frameRenderEnds();
        if (stateRequested) {
            stateRequested = 0;
            if (printStage) std::printf("%s\n", ringsim::stageJson(ringsim::gui::stageNow(sim, ui.selection.event)).c_str());
            std::printf("%s\n", ringsim::gui::stateLine(sim).c_str());
            std::fflush(stdout);
        }
        ringsim::gui::handleShortcuts(ui, shell->takePressedKeys());
        ringsim::gui::beginLayoutFrame(ui.settings.presentation, ui.settings.layoutLocked);
        sim.advance(kSimulationPerFrame);
        ringsim::gui::followTour(ui);
        ui.allModes.follow(sim);
        ui.comparison.follow(sim, kComparePerFrame);
        if (awaitComparison && frame >= kFramesBeforeScreenshot && (ui.allModes.current() || !ui.allModes.busy())) {
            awaitComparison = false;
            frames = frame + 1 + kFramesBeforeScreenshot;
        } else if (awaitComparison && std::chrono::steady_clock::now() > chartDeadline) {
            std::fprintf(stderr, "ringsim-gui: the comparison of the modes did not finish within %lld s\n",
                         static_cast<long long>(kChartWait.count()));
            return 1;
        }
        if (chartRun && !chartRequested) {
            if (frame >= kFramesBeforeScreenshot && (ui.allModes.current() || !ui.allModes.busy())) {
                ringsim::gui::requestChartExport(screenshotChart);
                chartRequested = true;
            } else if (std::chrono::steady_clock::now() > chartDeadline) {
                std::fprintf(stderr, "ringsim-gui: the comparison of the modes did not finish within %lld s\n",
                             static_cast<long long>(kChartWait.count()));
                return 1;
            }
        }
        menuBar.draw(ui);
        ringsim::gui::drawAllPanels(ui);
        ringsim::gui::endLayoutFrame();
        ringsim::gui::drawHelpWindow(ui);
        ringsim::gui::drawChartExport(ui);
        ringsim::gui::BackgroundCompare::frameRenderBegins();
        shell->render();
        {
            int w = 0, h = 0;
            shell->framebufferSize(w, h);
            if (const auto exported = ringsim::gui::saveRequestedChart(w, h)) {
                if (!exported->error.empty()) std::fprintf(stderr, "ringsim-gui: %s\n", exported->error.c_str());
                if (chartRun) {
                    if (!exported->error.empty()) return 1;
                    // Saved: exit after this frame, or after a few more for the window's screenshot.
                    frames = frame + 1 + (screenshotRun ? kFramesBeforeScreenshot : 0);
                }
            }
        }
        if (const auto exportPath = menuBar.exportDue()) {
            int w = 0, h = 0;
            shell->framebufferSize(w, h);
            menuBar.exportDone(*exportPath, ringsim::gui::saveBackBufferPng(*exportPath, w, h));
        }
        if (checkClipping && frame + 1 == frames) {
            const std::vector<std::string> cuts = ringsim::gui::findClippedText();
            for (const std::string& cut : cuts) std::printf("%s\n", cut.c_str());
            std::printf("clipping-check %zu\n", cuts.size());
        }
        if (panelsRequested) {
            panelsRequested = 0;
            if (!signalScreenshot.empty()) {
                int w = 0, h = 0;
                shell->framebufferSize(w, h);
                if (const std::string failed = ringsim::gui::saveBackBufferPng(signalScreenshot, w, h); !failed.empty())
                    std::fprintf(stderr, "ringsim-gui: %s\n", failed.c_str());
            }
            std::printf("layout %s\n", ringsim::gui::layoutDesignName());
            ringsim::gui::printPanelRects();
            std::printf("panels-end\n");
            std::fflush(stdout);
        }
        if (screenshotRun && frame + 1 == frames) {
            int w = 0, h = 0;
            shell->framebufferSize(w, h);
            if (const std::string failed = ringsim::gui::saveBackBufferPng(screenshot, w, h); !failed.empty()) {
                std::fprintf(stderr, "ringsim-gui: %s\n", failed.c_str());
                return 1;
            }
        }
        shell->present();
        // The title names the scenario and mode; set once a frame is on
        // screen, so a script that waits for "ringsim: " finds a window that
        // draws and takes input.
        if (sim.scenarioPath() != titledPath || ringsim::modeName(sim.mode()) != titledMode) {
            titledPath = sim.scenarioPath();
            titledMode = ringsim::modeName(sim.mode());
            shell->setTitle("ringsim: " + (sim.scenario() ? std::filesystem::path(titledPath).stem().string() : "no scenario") +
                            (sim.session() ? " (" + titledMode + ")" : ""));
        }
        // The scenario open now is the one to reopen next time, if it loaded.
        if (sim.scenario() && (sim.scenarioPath() != openedPath || ringsim::modeName(sim.mode()) != ui.settings.lastMode)) {
            openedPath = sim.scenarioPath();
            ui.settings.lastScenario = std::filesystem::absolute(openedPath, existsError).string();
            ui.settings.lastMode = ringsim::modeName(sim.mode());
        }
        settingsStore.saveIfChanged(ui.settings);
        if (benchFrames > 0)
            frameMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - frameStart).count());
    }
    settingsStore.saveIfChanged(ui.settings);
    ringsim::gui::saveLayoutNow();
    if (printPanels) {
        const ImVec4 background = ringsim::gui::palette().background;
        std::printf("background %d %d %d\n", byteOf(background.x), byteOf(background.y), byteOf(background.z));
        const ImVec4 highlight = ringsim::gui::palette().differsRow;
        std::printf("highlight %d %d %d\n", byteOf(highlight.x), byteOf(highlight.y), byteOf(highlight.z));
        ringsim::gui::printPanelRects();
    }
    if (printStage && runToStop == 0)
        std::printf("%s\n", ringsim::stageJson(ringsim::gui::stageNow(sim, ui.selection.event)).c_str());
    if (printState) {
        // The state line last: scripts read it from the last line.
        const ringsim::gui::Settings& s = ui.settings;
        std::printf("settings theme %s presentation %d locked %d font-scale %.2f layout %s scenario %s\n",
                    s.darkTheme ? "dark" : "light", s.presentation ? 1 : 0, s.layoutLocked ? 1 : 0, double(s.fontScale),
                    ringsim::gui::layoutDesignName(), sim.scenarioPath().c_str());
        // What the "Why did this happen?" card and the Source panel show, for tests.
        ringsim::Session* session = sim.session();
        if (session && ui.selection.event && *ui.selection.event < session->machine().events.total() &&
            *ui.selection.event >= session->machine().events.firstRetained()) {
            const ringsim::Event& e = session->machine().events.at(*ui.selection.event);
            std::printf("selected-event %llu %s\n", static_cast<unsigned long long>(*ui.selection.event),
                        std::string(ringsim::eventKindName(e.kind)).c_str());
        }
        for (const auto& d : sim.sourceErrors()) std::printf("source-error %s\n", d.str().c_str());
        if (ui.panels.counters.footprintRows) std::printf("footprint-rows %zu\n", ui.panels.counters.footprintRows);
        if (const auto& source = ui.panels.source; source.markedFile < source.files.size())
            std::printf("source-shown %s:%d\n", source.files[source.markedFile].label.c_str(), source.markedLine);
        if (!compareModes.empty()) std::printf("%s\n", ringsim::gui::compareSummary(ui).c_str());
        std::printf("%s\n", ringsim::gui::virtualCpuSummary(ui).c_str());
        std::printf("%s", ringsim::gui::consoleSummary(ui).c_str());
        if (lecture->count() > 0 || ui.deck.active()) std::printf("%s\n", ui.deck.stateLine(sim).c_str());
        std::printf("%s\n", ringsim::gui::stateLine(sim).c_str());
    }
    if (!frameMs.empty()) {
        std::sort(frameMs.begin(), frameMs.end());
        const double median = frameMs[frameMs.size() / 2];
        const double p95 = frameMs[std::min(frameMs.size() - 1, frameMs.size() * 95 / 100)];
        const unsigned long long cycles = sim.session() ? sim.session()->machine().cpu.account.now : 0;
        const unsigned long long events = sim.session() ? sim.session()->machine().events.total() : 0;
        const unsigned long long kept = sim.session() ? sim.session()->machine().events.retained() : 0;
        std::printf("%zu frames: median %.2f ms, 95th percentile %.2f ms (simulated %llu cycles; %llu events, %llu in the log)\n",
                    frameMs.size(), median, p95, cycles, events, kept);
    }
    return 0;
}
