// Hostile inputs: each must end quickly in a clear message naming the file
// (and line) and what is wrong, never a crash, a hang or a huge allocation.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <csignal>
#include <cstdio>
#include <sys/wait.h>
#include <unistd.h>

#include "cpu-model/assembler.h"
#include "machine/errors.h"
#include "run/run.h"
#include "scenario/scenario.h"

using namespace ringsim;
using Catch::Matchers::Contains;

namespace {

const std::string kKernel = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/kernel.s";

std::string errorOf(const std::string& yaml, const std::string& path = "/tmp/hostile.yaml") {
    try {
        parseScenario(yaml, path);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

std::string tempPath(const std::string& name) {
    return "/tmp/ringsim_test_hostile_" + std::to_string(getpid()) + "_" + name;
}

}  // namespace

TEST_CASE("YAML nested 100,000 deep is refused as nesting too deep, naming the file", "[hostile][scenario]") {
    const std::string flow = "title: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
    const std::string error = errorOf(flow);
    CHECK_THAT(error, Contains("/tmp/hostile.yaml") && Contains("nests too deep"));
    std::string block = "title: x\n";
    for (int i = 0; i < 100000; ++i) block += "- ";
    CHECK_THAT(errorOf(block + "a\n"), Contains("/tmp/hostile.yaml"));
}

TEST_CASE("YAML billion laughs is refused without expanding it", "[hostile][scenario]") {
    std::string yaml = "title: laughs\nguests:\n  kernel: " + kKernel + "\nsummary: &a [x, x, x, x, x, x, x, x, x]\n";
    std::string previous = "a";
    for (char c = 'b'; c <= 'j'; ++c) {
        const std::string name(1, c);
        yaml += "x" + name + ": &" + name + " [";
        for (int i = 0; i < 9; ++i) yaml += (i ? ", *" : "*") + previous;
        yaml += "]\n";
        previous = name;
    }
    CHECK_THAT(errorOf(yaml), Contains("/tmp/hostile.yaml"));
}

TEST_CASE("a scenario that names a scenario file as its kernel is told so", "[hostile][scenario]") {
    const std::string path = tempPath("self.yaml");
    std::ofstream(path) << "title: self\nguests:\n  kernel: " << std::filesystem::path(path).filename().string()
                        << "\n";
    try {
        loadScenario(path);
        FAIL("a scenario as its own kernel was accepted");
    } catch (const InputError& e) {
        CHECK_THAT(e.what(), Contains(path + ":3") && Contains("is a scenario file, not an assembly source"));
    }
    std::filesystem::remove(path);
}

TEST_CASE("10 MB of random bytes as a source: errors, quickly, no crash", "[hostile][asm]") {
    std::mt19937 random(13);
    std::string bytes(10 << 20, '\0');
    for (auto& b : bytes) b = char(random());
    const auto result = assembler::assembleText(bytes, "random.s");
    CHECK_FALSE(result.ok());
    REQUIRE_FALSE(result.errors.empty());
    CHECK(result.errors.front().file == "random.s");
}

// Macro and include bombs: test_assembler.cpp ("limits: ..."), kept there with the assembler.

TEST_CASE("absurd VM counts, cycle budgets and costs are refused or bounded", "[hostile][run]") {
    RunOptions options;
    options.mode = Mode::HwAssist;
    options.instances = 1000000;
    auto guest = assembler::assembleText("_start: cli\n hlt\n", "t.s");
    REQUIRE(guest.ok());
    GuestImages images;
    images.kernel = *guest.program;
    CHECK_THROWS_WITH(runGuest(images, options), Contains("VMs"));
    RunOptions costly;
    costly.costOverrides = {"syscall_entry=-5"};
    CHECK_THROWS_AS(runGuest(images, costly), InputError);
    RunOptions budget;
    budget.maxCycles = uint64_t(1) << 50;  // the guest halts at once: the budget is never approached
    CHECK(runGuest(images, budget).succeeded());
}

namespace {

// Whether process `pid` runs ringsim (past exec: the test's own fork catches SIGINT
// too, Catch's handler) and has a handler for SIGINT (its /proc status, SigCgt bit 1).
bool catchesSigint(pid_t pid) {
    std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
    std::string argv0;
    std::getline(cmdline, argv0, '\0');
    if (argv0 != RINGSIM_CLI) return false;
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("SigCgt:", 0) == 0) return (std::stoull(line.substr(7), nullptr, 16) >> (SIGINT - 1)) & 1;
    return false;
}

}  // namespace

TEST_CASE("Ctrl-C stops a spinning guest with a budget of days, printing the counters so far", "[hostile][cli][sigint]") {
    const std::string source = tempPath("spin.s");
    std::ofstream(source) << "_start: jmp _start\n";
    const std::string output = tempPath("spin.out");
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (!std::freopen(output.c_str(), "w", stdout) || !std::freopen(output.c_str(), "a", stderr)) _exit(126);
        execl(RINGSIM_CLI, RINGSIM_CLI, "run", source.c_str(), "--max-cycles", "1125899906842624", nullptr);
        _exit(127);
    }
    // Wait until ringsim listens for SIGINT (never a fixed delay), then interrupt it.
    int status = 0;
    bool exited = false;
    while (!exited && !catchesSigint(child)) {
        exited = waitpid(child, &status, WNOHANG) == child;
        usleep(10'000);
    }
    REQUIRE_FALSE(exited);
    kill(child, SIGINT);
    waitpid(child, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 130);
    std::ifstream in(output);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    CHECK_THAT(text, Contains("cycles by category") && Contains("interrupted (Ctrl-C) at cycle"));
    std::filesystem::remove(source);
    std::filesystem::remove(output);
}
