// Checking a scenario's expected outcomes.
#pragma once

#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace ringsim {

// The outcome of one expectation.
struct CheckLine {
    const Expectation* expectation = nullptr;
    std::optional<Mode> mode;  // the mode it was checked in (none for an order)
    std::string preset;
    bool passed = false;
    std::string measured;  // what was found, for the report
};
// Runs what the scenario's expectations need and checks each.
std::vector<CheckLine> checkScenario(const Scenario& scenario, unsigned jobs = 0);

}  // namespace ringsim
