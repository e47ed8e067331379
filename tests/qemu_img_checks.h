// What qemu-img says about an image, as Catch2 checks: `qemu-img check`
// finds it clean, and the clusters `qemu-img map` says the image itself
// holds. Shared by the image tests and the pool's.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "qcow2_test_support.h"

namespace ringsim::test {

inline bool haveQemuImg() {
    if (toolInstalled("qemu-img")) return true;
    WARN("qemu-img is not installed (Debian: qemu-utils); the qemu-img checks are skipped");
    return false;
}

// `qemu-img check --output=json`: its exit code and its findings.
inline void requireQemuCheckClean(const std::string& file, uint64_t allocatedClusters) {
    const auto out = runTool("qemu-img check --output=json " + file, false);
    INFO("qemu-img check " << file << ":\n" << out.text);
    REQUIRE(out.code == 0);
    const auto report = nlohmann::json::parse(out.text);
    CHECK(report.value("corruptions", 0) == 0);
    CHECK(report.value("leaks", 0) == 0);
    CHECK(report.value("check-errors", 0) == 0);
    CHECK(report.value("allocated-clusters", uint64_t(0)) == allocatedClusters);  // absent when 0
}

// The guest clusters `qemu-img map` says the top image itself holds data for.
inline std::vector<uint64_t> qemuMappedClusters(const std::string& file, uint64_t clusterSize) {
    const auto out = runTool("qemu-img map --output=json " + file, false);
    INFO(out.text);
    REQUIRE(out.code == 0);
    std::vector<uint64_t> clusters;
    for (const auto& range : nlohmann::json::parse(out.text)) {
        if (range.at("depth") != 0 || !range.at("data").get<bool>()) continue;
        const uint64_t start = range.at("start"), length = range.at("length");
        for (uint64_t c = start / clusterSize; c < (start + length + clusterSize - 1) / clusterSize; ++c)
            clusters.push_back(c);
    }
    return clusters;
}

}  // namespace ringsim::test
