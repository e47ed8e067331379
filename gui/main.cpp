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
#include <string>
#include <vector>

#include "app_shell.h"
#include "chart_export.h"
#include "core/commands.h"
#include "layout.h"
#include "panels/panels.h"
#include "screenshot.h"
#include "shortcuts.h"
#include "sim_controller.h"

namespace {

// Simulation time per frame: small enough that a frame stays well under 16 ms.
constexpr std::chrono::microseconds kSimulationPerFrame{4000};
// Frames drawn before a screenshot: ImGui sizes windows and fonts over the first frames.
constexpr int kFramesBeforeScreenshot = 4;
// --screenshot-chart waits this long at most for the comparison of the modes (frames go on meanwhile).
constexpr std::chrono::seconds kChartWait{120};

// SIGTERM or SIGINT ends the frame loop as closing the window does, so a
// script driving the window can stop it and still read --print-state.
volatile std::sig_atomic_t quitRequested = 0;
void requestQuit(int) { quitRequested = 1; }

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ringsim-gui: the graphical front end of ringsim"};
    std::string scenarioPath, mode, screenshot;
    size_t runToStop = 0;
    int frames = 0;
    int benchFrames = 0;
    bool printState = false;
    bool printPanels = false;
    std::string screenshotChart;
    app.add_option("SCENARIO", scenarioPath, "the scenario to open (default: the bundled default.yaml)");
    app.add_option("--mode", mode, "the mode to run it in (default: the scenario's default mode)");
    app.add_option("--run-to-stop", runToStop, "follow the scenario's tour up to this stop (1 = the first) before showing it");
    app.add_option("--screenshot", screenshot, "save the window as this PNG after a few frames (or after --frames), then exit");
    app.add_option("--frames", frames, "quit after this many frames (0: run until closed)");
    app.add_option("--bench-frames", benchFrames,
                   "run the simulation for this many frames, print the median and 95th percentile frame time, and exit");
    app.add_flag("--print-state", printState,
                 "on exit, print one line: mode, cycle, instructions, tour stop shown (for tests that drive the window)");
    app.add_flag("--print-panels", printPanels, "on exit, print where each panel is (for the screenshot test)");
    app.add_option("--screenshot-chart", screenshotChart,
                   "wait for the comparison of the modes, save its chart alone as this PNG, then exit "
                   "(with --screenshot, the window is saved a few frames later)");
    CLI11_PARSE(app, argc, argv);

    if (scenarioPath.empty()) scenarioPath = (std::filesystem::path(ringsim::cli::bundledScenarioFolder()) / "default.yaml").string();

    std::string error;
    bool noDisplay = false;
    const bool screenshotRun = !screenshot.empty();
    const bool chartRun = !screenshotChart.empty();
    auto shell = ringsim::gui::AppShell::open(1280, 800, "ringsim", !screenshotRun && !chartRun, error, noDisplay);
    if (!shell) {
        std::fprintf(stderr, "ringsim-gui: %s\n", error.c_str());
        return 2;
    }

    ringsim::gui::SimController sim;
    sim.open(scenarioPath, mode);
    // Asked for a tour stop without a mode: the tour's own first mode when the
    // scenario's default is not one of the tour's (a lesson such as 06b's).
    if (runToStop > 0 && mode.empty() && sim.scenario() && sim.scenario()->tour && !sim.tour().active() &&
        !sim.scenario()->tour->modes.empty())
        sim.chooseMode(sim.scenario()->tour->modes.front());
    if (runToStop > 0 && sim.session() && !sim.runToTourStop(runToStop))
        std::fprintf(stderr, "ringsim-gui: could not reach tour stop %zu: %s\n", runToStop, sim.error().c_str());

    ringsim::gui::Ui ui{sim, shell->fonts(), {}, {}};
    // The speed measurement: the simulation running at full speed, every frame timed.
    std::vector<double> frameMs;
    if (benchFrames > 0) {
        frames = benchFrames;
        sim.run();
    }
    if (screenshotRun && !chartRun && frames < kFramesBeforeScreenshot) frames = kFramesBeforeScreenshot;
    // The chart run ends when the chart is saved (below), not after a number of frames.
    if (chartRun) frames = 0;
    const auto chartDeadline = std::chrono::steady_clock::now() + kChartWait;
    bool chartRequested = false;
    std::signal(SIGTERM, requestQuit);
    std::signal(SIGINT, requestQuit);
    for (int frame = 0; !quitRequested && !shell->shouldClose() && (frames == 0 || frame < frames); ++frame) {
        const auto frameStart = std::chrono::steady_clock::now();
        shell->beginFrame();
        ringsim::gui::handleShortcuts(sim, shell->takePressedKeys());
        sim.advance(kSimulationPerFrame);
        ui.allModes.follow(sim);
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
        ringsim::gui::drawAllPanels(ui);
        ringsim::gui::drawChartExport(ui);
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
        if (screenshotRun && frame + 1 == frames) {
            int w = 0, h = 0;
            shell->framebufferSize(w, h);
            if (const std::string failed = ringsim::gui::saveBackBufferPng(screenshot, w, h); !failed.empty()) {
                std::fprintf(stderr, "ringsim-gui: %s\n", failed.c_str());
                return 1;
            }
        }
        shell->present();
        if (benchFrames > 0)
            frameMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - frameStart).count());
    }
    if (printPanels) ringsim::gui::printPanelRects();
    if (printState) {
        ringsim::Session* session = sim.session();
        std::printf("mode %s cycle %llu instructions %llu tour-stop %zu/%zu running %d\n", sim.mode().c_str(),
                    static_cast<unsigned long long>(session ? session->machine().cpu.account.now : 0),
                    static_cast<unsigned long long>(session ? session->machine().cpu.stats().instructions : 0),
                    sim.shownStops(), sim.tour().stops(), sim.running() ? 1 : 0);
    }
    if (!frameMs.empty()) {
        std::sort(frameMs.begin(), frameMs.end());
        const double median = frameMs[frameMs.size() / 2];
        const double p95 = frameMs[std::min(frameMs.size() - 1, frameMs.size() * 95 / 100)];
        const unsigned long long cycles = sim.session() ? sim.session()->machine().cpu.account.now : 0;
        std::printf("%zu frames: median %.2f ms, 95th percentile %.2f ms (simulated %llu cycles)\n", frameMs.size(), median,
                    p95, cycles);
    }
    return 0;
}
