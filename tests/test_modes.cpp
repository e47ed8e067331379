// The mode registry (core/monitors/modes.h): one row per mode, and every
// place that must know a mode finds it there. A mode added to the enum but
// missing from any of these places fails here.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "lesson/explain.h"
#include "machine/errors.h"
#include "machine/machine.h"
#include "monitors/monitor.h"
#include "run/run.h"
#include "scenario/scenario.h"

using namespace ringsim;

namespace {

std::string readDoc(const std::string& name) {
    std::ifstream in(std::string(RINGSIM_DATA_DIR) + "/docs/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("every mode has its row, found by its name, and makes a monitor that says it is that mode", "[modes]") {
    REQUIRE(modeTable().size() == kModeCount);
    for (size_t i = 0; i < kModeCount; ++i) {
        const Mode mode = Mode(i);
        const ModeInfo& info = modeInfo(mode);
        INFO(info.name);
        CHECK(info.mode == mode);
        CHECK_FALSE(info.name.empty());
        CHECK_FALSE(info.title.empty());
        CHECK_FALSE(info.summary.empty());
        CHECK(parseMode(info.name) == mode);
        CHECK(modeFromName(info.name) == mode);
        CHECK(knownModeNames().find(info.name) != std::string::npos);
        RunOptions options;
        options.mode = mode;
        Machine machine(machineConfigFor(options));
        CHECK(makeMonitor(mode, machine)->mode() == mode);
    }
    CHECK_THROWS_WITH(parseMode("warp-drive"), Catch::Contains("unknown mode 'warp-drive'") &&
                                                   Catch::Contains(std::string(knownModeNames())));
    CHECK(parseModes({"all"}) == allModes());
    CHECK(parseModes({"hw-assist", "native"}) == std::vector<Mode>{Mode::HwAssist, Mode::Native});
}

TEST_CASE("the facts of the table hang together", "[modes]") {
    for (const ModeInfo& m : modeTable()) {
        INFO(m.name);
        // A container runs no VM; ring compression and the paravirtual kernel need a VM.
        if (m.containers) CHECK_FALSE(m.virtualMachine);
        if (m.kernelDeprivileged || m.needsParavirtKernel || m.needsHardwareAssist) CHECK(m.virtualMachine);
        // Each mechanism view belongs to some mode; translating modes show the translation cache.
        CHECK(m.translates == (m.view == MechanismView::TranslationCache));
    }
    for (MechanismView view : {MechanismView::TranslationCache, MechanismView::Hypercalls, MechanismView::ExitControls}) {
        bool owned = false;
        for (const ModeInfo& m : modeTable()) owned |= m.view == view;
        CHECK(owned);
    }
}

TEST_CASE("every mode is explained, accepted by scenarios and documented", "[modes]") {
    const std::string monitorsDoc = readDoc("monitors.md");
    for (const ModeInfo& m : modeTable()) {
        INFO(m.name);
        // explain knows who runs in ring 0 and ring 3 in every mode.
        CHECK(ringOccupant(0, m.mode) != "?");
        CHECK(ringOccupant(3, m.mode) != "?");
        // A scenario may name it.
        const Scenario s = parseScenario(fmt::format("title: t\nguests:\n  kernel: {}/scenarios/guests/kernel.s\n"
                                                     "modes: [{}]\n",
                                                     RINGSIM_DATA_DIR, m.name),
                                         "/tmp/ringsim-test-modes.yaml");
        CHECK(s.modes == std::vector<Mode>{m.mode});
        // docs/monitors.md has a section naming it.
        CHECK(monitorsDoc.find(fmt::format("(`{}`)", m.name)) != std::string::npos);
    }
}
