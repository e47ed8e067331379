// `ringsim run ... --disk ide|virtio`: the front end on the command line,
// the kernel built with its file store, and the run's `storage` object.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace {
const std::string kGuests = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";
const std::string kFileGuest =
    kGuests + "kernel.s -p " + kGuests + "filecopy.s -p " + kGuests + "filerandom.s";
}  // namespace

TEST_CASE("ringsim run --disk: the storage object tells the front ends apart") {
    const CliOutput ide = runRingsim("run " + kFileGuest + " --disk ide --mode hw-assist --format json", " 2>/dev/null");
    const CliOutput virtio = runRingsim("run " + kFileGuest + " --disk virtio --mode hw-assist --format json", " 2>/dev/null");
    REQUIRE(ide.code == 0);
    REQUIRE(virtio.code == 0);
    const auto i = nlohmann::json::parse(ide.text).at("storage");
    const auto v = nlohmann::json::parse(virtio.text).at("storage");
    CHECK(i.at("front_end") == "ide");
    CHECK(v.at("front_end") == "virtio");
    CHECK(i.at("sectors") == v.at("sectors"));
    CHECK(i.at("notifications") == 0);
    CHECK(v.at("notifications") == v.at("interrupts"));
    CHECK(i.at("monitor_entries_per_request").get<double>() > 20 * v.at("monitor_entries_per_request").get<double>());
}

TEST_CASE("ringsim run without --disk has no storage object, and a bad --disk is refused") {
    const CliOutput plain = runRingsim("run " + kGuests + "kernel.s -p " + kGuests + "hello.s --format json", " 2>/dev/null");
    REQUIRE(plain.code == 0);
    CHECK_FALSE(nlohmann::json::parse(plain.text).contains("storage"));
    const CliOutput bad = runRingsim("run " + kGuests + "kernel.s --disk scsi");
    CHECK(bad.code == 2);
    CHECK_THAT(bad.text, Catch::Matchers::Contains("unknown disk front end 'scsi' (known: none, ide, virtio)"));
    const CliOutput scenario = runRingsim("run " + std::string(RINGSIM_DATA_DIR) + "/scenarios/01-rings.yaml --disk ide");
    CHECK(scenario.code == 2);
    CHECK_THAT(scenario.text, Catch::Matchers::Contains("a scenario names its front end"));
}
