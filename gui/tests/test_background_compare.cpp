// The GUI's background comparison of the modes, without a window: it shows
// what `ringsim compare` prints, never makes the caller wait, drops the job
// of a scenario the user has left, keeps what it computed, and notices an
// edited source.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "report/compare.h"
#include "scenario/scenario.h"
#include "machine/source_edit.h"
#include "gui/background_compare.h"
#include "gui/sim_controller.h"

using namespace ringsim;
using namespace ringsim::gui;

namespace {

const std::string kScenarios = std::string(RINGSIM_DATA_DIR) + "/scenarios/";

// Polls as a frame loop does until the comparison is there (bounded: a hang fails, not blocks).
const ModeComparison* waitFor(BackgroundCompare& compare, const std::function<void()>& frame) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
        frame();
        if (compare.current()) return compare.current();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return nullptr;
}

std::string commandOutput(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe);
    char buffer[4096];
    while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    REQUIRE(pclose(pipe) == 0);
    return out;
}

}  // namespace

TEST_CASE("the chart shows the figures `ringsim compare` prints", "[gui][compare]") {
    for (const std::string name : {"default.yaml", "06-paravirt.yaml", "11-containers-vs-vms.yaml"}) {
        INFO(name);
        const Scenario scenario = loadScenario(kScenarios + name);
        BackgroundCompare compare;
        const ModeComparison* result = waitFor(compare, [&] { compare.request(scenario, scenario.machine.preset, 1); });
        REQUIRE(result);
        CHECK(result->error.empty());
        const std::string cli = commandOutput(std::string(RINGSIM_CLI) + " compare --format csv '" + kScenarios + name + "'");
        CHECK(matrixCsv(result->cells) == cli);
        // Native's curve ends where native's run does: native against itself is 0%.
        const OverheadCurve* curve = compare.nativeCurve();
        REQUIRE(curve);
        const MatrixCell* native = result->cellFor(Mode::Native);
        REQUIRE((native && native->result));
        CHECK(curve->last().cycles == native->result->totalCycles);
        CHECK(*curve->overheadPercent(curve->last().instructions, curve->last().cycles) == 0.0);
    }
}

TEST_CASE("every mode, when asked, and a preset of its own", "[gui][compare]") {
    const Scenario scenario = loadScenario(kScenarios + "07-hw-assist.yaml");
    BackgroundCompare compare;
    compare.setAllModes(true);
    const ModeComparison* all = waitFor(compare, [&] { compare.request(scenario, "vtx-2006", 1); });
    REQUIRE(all);
    CHECK(all->cells.size() == allModes().size());
    CHECK(all->preset == "vtx-2006");
    for (const auto& c : all->cells) CHECK(c.preset == "vtx-2006");
}

TEST_CASE("leaving a scenario drops its job, coming back finds the comparison kept", "[gui][compare]") {
    const Scenario a = loadScenario(kScenarios + "default.yaml");
    const Scenario b = loadScenario(kScenarios + "07-hw-assist.yaml");
    BackgroundCompare compare;
    compare.request(a, a.machine.preset, 1);
    CHECK(compare.busy());
    // The user picks another scenario at once: a's job is cancelled, b's result is what shows.
    const ModeComparison* second = waitFor(compare, [&] { compare.request(b, b.machine.preset, 2); });
    REQUIRE(second);
    CHECK(second->scenarioTitle == b.title);
    // Back to a: not computed yet (its job was dropped), so computed now...
    const ModeComparison* first = waitFor(compare, [&] { compare.request(a, a.machine.preset, 3); });
    REQUIRE(first);
    CHECK(first->scenarioTitle == a.title);
    // ...and both are kept: going back and forth costs nothing and needs no job.
    compare.request(b, b.machine.preset, 4);
    CHECK_FALSE(compare.busy());
    REQUIRE(compare.current());
    CHECK(compare.current()->scenarioTitle == b.title);
    compare.request(a, a.machine.preset, 5);
    CHECK_FALSE(compare.busy());
    CHECK(compare.current() == first);
}

TEST_CASE("an edited source is compared afresh", "[gui][compare]") {
    // A copy of a scenario and its guest, so that a source can be edited.
    const auto folder = std::filesystem::temp_directory_path() / "ringsim-background-compare";
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    std::filesystem::copy(kScenarios + "guests", folder / "guests", std::filesystem::copy_options::recursive);
    std::filesystem::copy(kScenarios + "07-hw-assist.yaml", folder / "07-hw-assist.yaml");
    const std::string path = (folder / "07-hw-assist.yaml").string();
    Scenario scenario = loadScenario(path);
    BackgroundCompare compare;
    REQUIRE(waitFor(compare, [&] { compare.request(scenario, scenario.machine.preset, 1); }));
    // The same files at a later revision: the comparison kept is still right.
    compare.request(scenario, scenario.machine.preset, 2);
    CHECK_FALSE(compare.busy());
    // A program edited (one instruction more): the figures may differ, so a new job.
    {
        std::ofstream program(scenario.guests.programs.front(), std::ios::app);
        program << "\n    nop\n";
    }
    compare.request(scenario, scenario.machine.preset, 3);
    CHECK(compare.busy());
    CHECK(compare.current() == nullptr);
    REQUIRE(waitFor(compare, [&] { compare.request(scenario, scenario.machine.preset, 3); }));
    std::filesystem::remove_all(folder);
}

TEST_CASE("a source edited in memory is compared as edited, like the run on screen", "[gui][compare]") {
    const Scenario scenario = loadScenario(kScenarios + "07-hw-assist.yaml");
    BackgroundCompare compare;
    const ModeComparison* files = waitFor(compare, [&] { compare.request(scenario, scenario.machine.preset, 1); });
    REQUIRE(files);
    const MatrixCell* before = files->cellFor(Mode::Native);
    REQUIRE((before && before->result));
    const uint64_t cyclesBefore = before->result->totalCycles;
    // The program with a loop of extra work in front, in memory only (the file is not touched).
    const std::string program = normalSourcePath(scenario.guests.programs.front());
    std::string text = *readSourceFile(program);
    const auto start = text.find("_start:");
    REQUIRE(start != std::string::npos);
    text.insert(text.find('\n', start) + 1, "        li r9, 2000\nspin_edit:\n        addi r9, r9, -1\n        cmpi r9, 0\n        bne spin_edit\n");
    const SourceOverrides edited{{program, text}};
    compare.request(scenario, scenario.machine.preset, 2, edited);
    CHECK(compare.busy());
    const ModeComparison* changed = waitFor(compare, [&] { compare.request(scenario, scenario.machine.preset, 2, edited); });
    REQUIRE(changed);
    const MatrixCell* after = changed->cellFor(Mode::Native);
    REQUIRE((after && after->result));
    CHECK(after->result->totalCycles > cyclesBefore + 2000);
}

TEST_CASE("a guest that never stops: closing the window cancels its comparison", "[gui][compare]") {
    // A program that spins forever with interrupts off: without cancellation
    // each mode would run to the two-billion-cycle budget.
    const auto folder = std::filesystem::temp_directory_path() / "ringsim-background-spin";
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    std::filesystem::copy(kScenarios + "guests", folder / "guests", std::filesystem::copy_options::recursive);
    {
        std::ofstream spin(folder / "guests" / "spin.s");
        spin << "        .include \"include/syscalls.inc\"\n        .org    USER_BASE\n_start:\nspin:   jmp     spin\n";
        std::ofstream yaml(folder / "spin.yaml");
        yaml << "title: spin\nguests:\n  kernel: guests/kernel.s\n  programs: [guests/spin.s]\nmodes: all\n";
    }
    const Scenario scenario = loadScenario((folder / "spin.yaml").string());
    {
        BackgroundCompare compare;
        compare.request(scenario, scenario.machine.preset, 1);
        for (int frame = 0; frame < 20; ++frame) {
            compare.poll();
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        CHECK(compare.busy());
        CHECK(compare.current() == nullptr);
    }  // the destructor cancels and joins: CTest's timeout fails a wait for the budget
    std::filesystem::remove_all(folder);
}

TEST_CASE("the window's controller: a new mode needs no new comparison, a new scenario does", "[gui][compare]") {
    SimController sim;
    sim.open(kScenarios + "default.yaml");
    BackgroundCompare compare;
    const ModeComparison* first = waitFor(compare, [&] { compare.follow(sim); });
    REQUIRE(first);
    sim.chooseMode(Mode::HwAssist);
    compare.follow(sim);
    CHECK_FALSE(compare.busy());
    CHECK(compare.current() == first);
    sim.reset();
    compare.follow(sim);
    CHECK(compare.current() == first);
    sim.open(kScenarios + "01-rings.yaml");
    compare.follow(sim);
    CHECK(compare.current() == nullptr);
    CHECK(compare.busy());
    sim.open(kScenarios + "no-such-scenario.yaml");
    compare.follow(sim);
    CHECK_FALSE(compare.busy());
    CHECK(compare.current() == nullptr);
}
