// Mechanism receipts (cpu-model/receipt.h): every event of every bundled
// scenario, in every mode it runs and under both presets, carries a receipt
// written where its cycles were charged. Its items add up to the event's
// cost, its route starts where the event did, and the mechanism it names
// does not depend on what the costs are: with every cost set to one value,
// or with two shadow-paging costs made equal, explain still names the
// mechanism that ran (it reads the receipt, it does not guess from cycles).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bundled_scenarios.h"
#include "lesson/explain.h"
#include "machine/errors.h"
#include "run/session.h"
#include "scenario/scenario.h"
#include "scenario/scenario_images.h"

using namespace ringsim;

namespace {

// Runs one scenario in one mode and hands every event to `check`.
template <typename Check>
void eachEvent(const Scenario& scenario, const ScenarioImages& images, Mode mode, const std::string& preset,
               const std::vector<std::string>& extraOverrides, Check check) {
    RunOptions options = scenario.optionsFor(mode, preset);
    for (const auto& o : extraOverrides) options.costOverrides.push_back(o);
    Session session(images.forMode(mode), options);
    session.setListener([&](const Event& e) {
        check(e);
        return true;
    });
    session.run();
}

std::vector<std::string> everyCostSetTo(uint32_t value) {
    std::vector<std::string> out;
    for (const auto& entry : costEntries()) out.push_back(fmt::format("{}={}", entry.name, value));
    return out;
}

}  // namespace

TEST_CASE("every event's receipt names a mechanism, starts where the event did, and its items add up to its cost",
          "[receipts]") {
    size_t events = 0;
    for (const auto& path : bundledScenarios()) {
        const Scenario scenario = loadScenario(path.string());
        const ScenarioImages images(scenario);
        for (const Mode mode : scenario.modes)
            for (const std::string preset : {"modern", "vtx-2006"}) {
                INFO(path.filename().string() << " " << modeName(mode) << " " << preset);
                try {
                    eachEvent(scenario, images, mode, preset, {}, [&](const Event& e) {
                        ++events;
                        INFO(describeEvent(e) << " [" << mechanismId(e.receipt.mechanism) << "]");
                        REQUIRE(e.receipt.written());
                        REQUIRE(e.receipt.hopCount > 0);
                        CHECK(e.receipt.route[0].ring == e.ringBefore);
                        CHECK(e.receipt.inEventCycles() == e.cost);
                    });
                } catch (const InputError&) {
                    // A cell the scenario expects to refuse (the unmodified kernel under paravirt, ...).
                }
            }
    }
    CHECK(events > 100000);
}

TEST_CASE("with every cost the same, each event kind meets the same mechanisms and explain names them", "[receipts]") {
    // mode -> kind -> mechanism -> explain's name for it
    using Seen = std::map<Mode, std::map<EventKind, std::map<Mechanism, std::set<std::string>>>>;
    auto collect = [](const std::vector<std::string>& overrides) {
        Seen seen;
        for (const auto& path : bundledScenarios()) {
            const Scenario scenario = loadScenario(path.string());
            const ScenarioImages images(scenario);
            for (const Mode mode : scenario.modes) {
                try {
                    eachEvent(scenario, images, mode, "", overrides, [&](const Event& e) {
                        auto& names = seen[mode][e.kind][e.receipt.mechanism];
                        if (names.size() < 4)  // names carry details (a hypercall's name): a few are enough
                            names.insert(explainEvent(e, mode, images.forMode(mode)).mechanism);
                    });
                } catch (const InputError&) {
                }
            }
        }
        return seen;
    };
    const Seen usual = collect({});
    const Seen equal = collect(everyCostSetTo(7));
    for (const auto& [mode, kinds] : equal)
        for (const auto& [kind, mechanisms] : kinds)
            for (const auto& [mechanism, names] : mechanisms) {
                INFO(modeName(mode) << " " << eventKindName(kind) << " " << mechanismId(mechanism));
                REQUIRE(usual.count(mode));
                REQUIRE(usual.at(mode).count(kind));
                // The same mechanisms handle the same kinds whatever the costs...
                REQUIRE(usual.at(mode).at(kind).count(mechanism));
                // ...and explain calls each by the same name.
                const auto& usualNames = usual.at(mode).at(kind).at(mechanism);
                for (const auto& name : names)
                    if (name.find('(') == std::string::npos) CHECK(usualNames.count(name));
            }
}

TEST_CASE("a write-protect fault and a shadow switch that cost the same are still told apart", "[receipts]") {
    // Trap-and-emulate's shadow paging: a page-table write faults into the
    // monitor (monitor_trap + shadow_pte_update), a page-table-base load
    // switches shadows (shadow_ptb_switch). Made to cost the same, only the
    // receipt can tell them apart.
    const Scenario scenario = loadScenario(std::string(RINGSIM_DATA_DIR) + "/scenarios/08-memory-shadow.yaml");
    const ScenarioImages images(scenario);
    std::map<Mechanism, std::set<std::string>> names;
    eachEvent(scenario, images, Mode::TrapEmulate, "", {"monitor_trap=0", "shadow_pte_update=50", "shadow_ptb_switch=50"},
              [&](const Event& e) {
                  if (e.kind == EventKind::ShadowUpdate)
                      names[e.receipt.mechanism].insert(explainEvent(e, Mode::TrapEmulate, images.forMode(Mode::TrapEmulate)).mechanism);
              });
    REQUIRE(names.count(Mechanism::ShadowWriteFault));
    REQUIRE(names.count(Mechanism::ShadowSwitch));
    CHECK(names[Mechanism::ShadowWriteFault] == std::set<std::string>{"write-protect fault, shadow entry updated"});
    CHECK(names[Mechanism::ShadowSwitch] == std::set<std::string>{"shadow tables switched"});
}
