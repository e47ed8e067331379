// Words for the loader's messages: user text quoted so it cannot swamp a
// message, lists joined, and "did you mean" hints drawn from the names the
// tables know (modes, presets, costs, event kinds, exit reasons, hypercalls).
// Internal to core/scenario.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "monitors/modes.h"

namespace ringsim::scenario_detail {

// User text inside a message: quoted, on one line, and short, so a huge or
// binary value cannot swamp the message.
std::string quote(std::string_view s);
std::string lower(std::string_view s);
std::string joined(const std::vector<std::string>& items, std::string_view separator = ", ");
std::vector<std::string> namesOf(const std::vector<Mode>& modes);
std::string joined(const std::vector<Mode>& modes, std::string_view separator = ", ");

// " (did you mean 'x'?)", or the known names when none is close.
std::string hint(std::string_view given, const std::vector<std::string>& known, bool listIfNone = true);

// The names each table knows, to suggest from.
std::vector<std::string> modeNames();
std::vector<std::string> presetNames();
std::vector<std::string> costNames();  // the cost entries and insn.<mnemonic>
std::vector<std::string> eventKindNames();
std::vector<std::string> exitReasonNames();
std::vector<std::string> hypercallNames();

}  // namespace ringsim::scenario_detail
