// A guest's console against native's: the judgement behind `ringsim
// compare`'s diverged_from_native, whole (the matrix) and line by line (the
// GUI's Console panel marks the lines that differ).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "monitors/expected_console.h"

namespace ringsim {

// The text's lines, without their line breaks (a last line not yet ended included).
std::vector<std::string_view> consoleLines(std::string_view text);

// A console line by line against the expected one (consoleExpectedIn, monitors/expected_console.h).
struct ConsoleDiff {
    enum class Line : unsigned char {
        Same,     // the expected line at the same place
        Differs,  // another line, or a line native never wrote
        Partial,  // the last line, not yet ended, so far as native's goes
    };
    std::vector<std::string_view> lines;  // the console's lines, without their line breaks
    std::vector<Line> marks;              // one per line
    size_t missing = 0;                   // native's lines beyond the console's last
    // The console is the expected text exactly: nothing differs, is partial or missing.
    bool same() const;
};
ConsoleDiff diffConsole(std::string_view console, std::string_view expected);

}  // namespace ringsim
