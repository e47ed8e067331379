// The bundled scenario files (scenarios/*.yaml), in name order, for the
// tests that go through every lesson.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

inline std::vector<std::filesystem::path> bundledScenarios() {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(RINGSIM_DATA_DIR) + "/scenarios"))
        if (entry.path().extension() == ".yaml") out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}
