// The same guest in several modes, side by side: cycles by category, the
// overhead against native, the transitions each mode needed, and whether the
// guest's console output was the same as natively.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "guest.h"
#include "run.h"

namespace ringsim {

struct CompareRow {
    std::string mode;
    std::optional<RunResult> result;  // empty if the mode could not run this guest
    std::string error;                // why not
    bool sameConsoleAsNative = false;  // a container's: the same as native's without the kernel's lines
    double overheadPercent = 0;       // cycles against native's, in percent
};

// Runs `modes` ("all" = every mode) on the guest. The paravirtual mode gets
// the paravirtual build of the same kernel (PARAVIRT=1). Native always runs,
// as the baseline, and is listed when asked for.
std::vector<CompareRow> compareModes(const GuestSources& sources, const std::vector<std::string>& modes,
                                     const RunOptions& base);

std::string compareText(const std::vector<CompareRow>& rows);
std::string compareCsv(const std::vector<CompareRow>& rows);
nlohmann::json compareJson(const std::vector<CompareRow>& rows);

}  // namespace ringsim
