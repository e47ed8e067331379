// `ringsim bench --compare-ceiling`: the ceiling's rate is read from what it
// prints, each round pairs it with a bench run, and the ratio is of the two.
// A stand-in ceiling (a script printing a fixed rate) makes that checkable;
// no speed is asserted.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "cli_runner.h"

namespace {
struct ScratchDir {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("ringsim-test-ceiling-" + std::to_string(::getpid()));
    ScratchDir() { std::filesystem::create_directories(path); }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};
}  // namespace

TEST_CASE("bench --compare-ceiling pairs each round's ceiling rate with a bench run and gives their ratio",
          "[cli][bench]") {
    ScratchDir dir;
    const auto script = dir.path / "ceiling.sh";
    std::ofstream(script) << "#!/bin/sh\necho '1000 instr in 1.000 s = 250 MIPS (r3=1)'\n";
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);

    const auto out = runRingsim("bench --compare-ceiling " + script.string() + " --rounds 3 --seconds 0.05 --format json",
                                " 2>/dev/null");
    REQUIRE(out.code == 0);
    const auto j = nlohmann::json::parse(out.text);
    REQUIRE(j["rounds"].size() == 3);
    std::vector<double> ratios;
    for (const auto& round : j["rounds"]) {
        CHECK(round["ceiling_mips"].get<double>() == 250.0);
        CHECK(round["ringsim_mips"].get<double>() > 0);
        CHECK(round["ratio"].get<double>() == Approx(round["ringsim_mips"].get<double>() / 250.0));
        ratios.push_back(round["ratio"].get<double>());
    }
    std::sort(ratios.begin(), ratios.end());
    CHECK(j["median_ratio"].get<double>() == Approx(ratios[1]));
    CHECK(j["mode"] == "native");
}

TEST_CASE("bench --compare-ceiling refuses a missing ceiling and one that prints no rate", "[cli][bench]") {
    CHECK(runRingsim("bench --compare-ceiling /nonexistent/ceiling --seconds 0.05").code == 2);
    ScratchDir dir;
    const auto script = dir.path / "silent.sh";
    std::ofstream(script) << "#!/bin/sh\necho nothing to see\n";
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    const auto out = runRingsim("bench --compare-ceiling " + script.string() + " --rounds 1 --seconds 0.05");
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Catch::Contains("printed no rate"));
}
