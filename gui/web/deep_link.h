// Links to a moment in the web edition: the page's query string names a
// scenario, a mode and a tour stop (?scenario=02-trap-emulate-flaw&mode=trap-emulate&stop=3),
// or the lecture deck (?lecture). Read here, checked against what exists
// when the window opens (deep_link.cpp), and written back for "copy a link".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "monitors/modes.h"

namespace ringsim::gui::web {

struct DeepLink {
    std::string scenario;      // a bundled scenario's name (its file without .yaml); empty: the default lesson
    std::optional<Mode> mode;  // empty: the scenario's (or its tour's) own
    size_t stop = 0;           // the tour stop to follow the tour to (1 = the first); 0: none
    bool lecture = false;      // the bundled lecture deck
    std::vector<std::string> problems;  // what the link asked for that cannot be had, in words for the page
};

// "?a=b&c" or "a=b&c": the link's wishes; values that are not well formed
// (an unknown mode, a stop that is not a number) are problems, not wishes.
DeepLink parseDeepLink(const std::string& query);
// The query string that brings back this moment ("?scenario=...&mode=...&stop=N").
std::string deepLinkQuery(const std::string& scenario, Mode mode, size_t stop);

}  // namespace ringsim::gui::web
