// The examples in docs/scenarios.md, for the tests that load them: the first
// ```yaml block after a heading, so a documented example cannot go stale.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace ringsim::testing {

// Empty if the document, the heading or the block is missing.
inline std::string yamlExampleAfter(const std::string& heading) {
    std::ifstream file(std::string(RINGSIM_DATA_DIR) + "/docs/scenarios.md");
    std::stringstream text;
    text << file.rdbuf();
    const std::string doc = text.str();
    const size_t section = doc.find(heading);
    const size_t begin = section == std::string::npos ? section : doc.find("```yaml\n", section);
    const size_t end = begin == std::string::npos ? begin : doc.find("```", begin + 8);
    return end == std::string::npos ? std::string() : doc.substr(begin + 8, end - begin - 8);
}

}  // namespace ringsim::testing
