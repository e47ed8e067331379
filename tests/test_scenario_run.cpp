// Running scenarios: the comparison matrix is the same whatever the number of
// threads, expectations are judged on measured values, and tours stop where
// their conditions say.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "report/compare.h"
#include "machine/errors.h"
#include "scenario/scenario.h"
#include "report/matrix.h"
#include "report/check.h"
#include "lesson/tour_run.h"

using namespace ringsim;

namespace {

const std::string kGuests = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";

Scenario small(const std::string& body) {
    return parseScenario("title: test\nguests:\n  kernel: " + kGuests + "kernel.s\n" + body, "/tmp/test.yaml");
}

}  // namespace

TEST_CASE("the matrix gives the same results on one thread and on several", "[scenario][matrix]") {
    const Scenario a = small("  programs: [" + kGuests + "syscalls.s]\nmodes: all\n");
    const Scenario b = small("  programs: [" + kGuests + "hello.s]\n  vms: 2\nmodes: [native, hw-assist, paravirt]\n");
    MatrixRequest request;
    request.presets = {"modern", "vtx-2006"};
    request.jobs = 1;
    const auto one = runMatrix({a, b}, request);
    request.jobs = 4;
    const auto four = runMatrix({a, b}, request);
    CHECK(matrixJson(one) == matrixJson(four));
    CHECK(matrixText(one) == matrixText(four));
    CHECK(matrixCsv(one) == matrixCsv(four));
    // Order: scenario, preset, mode as asked.
    std::vector<std::string> order;
    for (const auto& c : one)
        if (c.listed) order.push_back(c.scenario->guests.programs.front() + " " + c.preset + " " + std::string(modeName(c.mode)));
    REQUIRE(order.size() == 7 * 2 + 3 * 2);
    CHECK(order.front() == kGuests + "syscalls.s modern native");
    CHECK(order.back() == kGuests + "hello.s vtx-2006 paravirt");
}

TEST_CASE("matrix output: a header row, one row per run, the scenario and configuration in JSON", "[scenario][matrix]") {
    const Scenario s = small("  programs: [" + kGuests + "hello.s]\nmodes: [native, binary-translation]\n");
    const auto cells = runMatrix({s}, MatrixRequest{});
    const std::string csv = matrixCsv(cells);
    CHECK(csv.rfind("mode,stop,cycles,overhead,", 0) == 0);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);
    const auto json = nlohmann::json::parse(matrixJson(cells));
    REQUIRE(json.size() == 2);
    CHECK(json[1]["scenario"] == "test");
    CHECK(json[1]["mode"] == "binary-translation");
    CHECK(json[1]["costs"]["bt_callout"].is_number());
    CHECK(json[1]["machine"]["memory_bytes"] == 4u << 20);
    CHECK(json[1]["diverged_from_native"] == false);
    CHECK(json[1]["ringsim_version"].is_string());
}

TEST_CASE("expectations are judged on what was measured", "[scenario][check]") {
    const Scenario s = small("  programs: [" + kGuests + "privileged.s]\n"
                             "modes: [native, trap-emulate, binary-translation]\n"
                             "expect:\n"
                             "  - diverges_from_native: {trap-emulate: true, binary-translation: false}\n"
                             "  - counter: \"events.sensitive-silent > 0\"\n"
                             "    modes: [trap-emulate]\n"
                             "  - counter: \"events.sensitive-silent > 0\"\n"
                             "    modes: [binary-translation]\n"
                             "  - order: [binary-translation, native]\n");  // its console is virtual: cheaper
    const auto lines = checkScenario(s, 2);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0].passed);
    CHECK(lines[1].passed);
    CHECK(lines[2].passed);
    CHECK_FALSE(lines[3].passed);  // binary translation leaves nothing silent
    CHECK(lines[3].measured == "events.sensitive-silent = 0");
    CHECK(lines[4].passed);
}

TEST_CASE("a tour stops at each condition in turn, with its values filled in", "[scenario][tour]") {
    const Scenario s = small("  programs: [" + kGuests + "hello.s]\n"
                             "modes: [native, hw-assist]\n"
                             "tour:\n"
                             "  modes: [hw-assist]\n"
                             "  stops:\n"
                             "    - when: {exit_reason: io-instruction}\n"
                             "      say: \"exit {reason} at {cycle}\"\n"
                             "    - when: {label: \"hello.s:_start\"}\n"
                             "      say: \"user code at {pc}\"\n"
                             "    - when: {event: syscall, nth: 2}\n"
                             "      say: \"syscall from ring {ring_before} to {ring_after}, {cost} cycles\"\n"
                             "    - when: {ring_change: [0, -1]}\n"
                             "      say: \"to the monitor in {mode}\"\n");
    const TourRun tour = runTour(s, Mode::HwAssist);
    REQUIRE(tour.complete());
    REQUIRE(tour.reached.size() == 4);
    CHECK(tour.reached[0].text.rfind("exit io-instruction at ", 0) == 0);
    CHECK(tour.reached[1].text.rfind("user code at 0x004", 0) == 0);  // USER_BASE and up
    CHECK(tour.reached[2].text == "syscall from ring 3 to 0, 60 cycles");
    CHECK(tour.reached[3].text == "to the monitor in hw-assist");
    for (size_t i = 1; i < tour.reached.size(); ++i) CHECK(tour.reached[i].cycle >= tour.reached[i - 1].cycle);
    CHECK_THROWS_AS(runTour(s, Mode::Native), InputError);
}

TEST_CASE("per_instance gives each instance its own programs", "[scenario]") {
    const Scenario s = small("  programs: [" + kGuests + "secret.s, " + kGuests + "snoop.s]\n"
                             "  containers: 2\n"
                             "  per_instance: [[" + kGuests + "secret.s], [" + kGuests + "snoop.s]]\n"
                             "modes: [container, hw-assist]\n");
    REQUIRE(s.guests.programsPerInstance == std::vector<std::vector<uint32_t>>{{0}, {1}});
    CHECK(s.optionsFor(Mode::HwAssist).programsPerInstance == s.guests.programsPerInstance);
    CHECK_THROWS_WITH(small("  programs: [" + kGuests + "secret.s]\n  containers: 2\n  per_instance: [[" + kGuests +
                            "secret.s]]\n"),
                      Catch::Contains("1 program lists for 2 instances"));
    CHECK_THROWS_WITH(small("  programs: [" + kGuests + "secret.s]\n  per_instance: [[" + kGuests + "hello.s]]\n"),
                      Catch::Contains("must be one of guests.programs"));
}
