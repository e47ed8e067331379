// fork, exec, copy-on-write and demand paging in the guest kernel
// (kernel/fork.s, kernel/paging.s), in every mode: what each process sees,
// the faults the kernel served, and every frame given back once.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "bundled_guest.h"
#include "monitors/expected_console.h"
#include "run/run.h"

using namespace ringsim;
using Catch::Matchers::Contains;

namespace {

const std::string kGuests = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";
const std::string kForkCheck = std::string(RINGSIM_TEST_FIXTURES) + "/guests/forkcheck.s";

GuestImages build(const std::vector<std::string>& programs, bool paravirt,
                  std::map<std::string, int64_t> defines = {}) {
    GuestSources sources;
    sources.kernel = kGuests + "kernel.s";
    sources.programs = programs;
    sources.includeDirs = {kGuests};
    sources.defines = std::move(defines);
    if (paravirt) sources.defines["PARAVIRT"] = 1;
    return assembleGuest(sources);
}

RunResult run(const std::vector<std::string>& programs, Mode mode, const std::string& preset = "modern",
              const std::string& paging = "auto", std::map<std::string, int64_t> defines = {}) {
    RunOptions options;
    options.mode = mode;
    options.preset = preset;
    options.paging = paging;
    options.maxCycles = 400'000'000;
    return runGuest(build(programs, mode == Mode::Paravirt, std::move(defines)), options);
}

struct ModeRun {
    Mode mode;
    std::string paging;
};
const ModeRun kModes[] = {{Mode::BinaryTranslation, "auto"}, {Mode::Emulation, "auto"}, {Mode::Paravirt, "auto"},
                          {Mode::HwAssist, "nested"},        {Mode::HwAssist, "shadow"}, {Mode::Container, "auto"}};

}  // namespace

TEST_CASE("fork: parent and child each see their own data, and exec starts a demand-paged program", "[fork]") {
    const RunResult native = run({kForkCheck}, Mode::Native);
    INFO(native.console);
    REQUIRE(native.stopReason == StopReason::Halted);
    // The child saw the value from before the fork, and the parent's later
    // write did not reach it; the child's own write (112, its exit code) did
    // not reach the parent; the kernel's write into a shared page (klog)
    // went to the child's copy only.
    CHECK_THAT(native.console, Contains("forkcheck: child sees 111, klog gave it 8\n"));
    CHECK_THAT(native.console,
               Contains("forkcheck: forked pid 2, parent sees 222, child exited with 112, parent's klog buffer 0\n"));
    // exec: a page read, a page written and a write() buffer, none touched before.
    CHECK_THAT(native.console, Contains("forkcheck: exec'd, demand-paged\nforkcheck: exec'd child exited with 77\n"));
    CHECK_THAT(native.console, Contains("forkcheck: exec of no such program gives -1\n"));
    // Faults served: the exec'd child's code, read, write() and stack pages on
    // demand; copy-on-write in parent and child on the two forks.
    CHECK_THAT(native.console, Contains("kernel: page faults served: 4 on demand, 6 copy-on-write (2 copies)\n"));
    // The kernel's leak check: free frames back at their boot count, so every
    // shared frame was freed exactly once (twice would show as a surplus, never
    // as a count that matches).
    CHECK_THAT(native.console, !Contains("warning"));
    CHECK_THAT(native.console, !Contains("FAILED"));
    CHECK_THAT(native.console, !Contains("killed"));

    for (const auto& m : kModes) {
        INFO(m.mode << " paging " << m.paging);
        const RunResult r = run({kForkCheck}, m.mode, "modern", m.paging);
        CHECK(r.stopReason == StopReason::Halted);
        CHECK(r.console == consoleExpectedIn(m.mode, native.console));
        CHECK(r.cycles[size_t(CycleCategory::GuestUser)] == native.cycles[size_t(CycleCategory::GuestUser)]);
        if (m.mode == Mode::Container) {
            // a forked child is in its parent's container, numbered there: pid 2
            CHECK_THAT(r.console, Contains("forkcheck: forked pid 2,"));
            CHECK_THAT(r.hostConsole, Contains("kernel: page faults served: 4 on demand"));
            CHECK_THAT(r.hostConsole, !Contains("warning"));
        }
    }
}

TEST_CASE("forkwait and fork+exec: the faults each round takes, nothing leaked, every mode as native",
          "[fork]") {
    const std::string forkwait = kGuests + "papers/forkwait.s";
    for (bool exec : {false, true}) {
        std::map<std::string, int64_t> defines = {{"ITERS", 5}};
        if (exec) defines["EXEC"] = 1;
        INFO((exec ? "fork+exec" : "forkwait"));
        const RunResult native = run({forkwait}, Mode::Native, "modern", "auto", defines);
        INFO(native.console);
        REQUIRE(native.stopReason == StopReason::Halted);
        CHECK_THAT(native.console, Contains("kernel: all 6 processes exited"));
        // Per round the parent copies its stack page (the call of wait, while
        // the child still shares it). forkwait: the child then writes to the
        // page it holds alone (the call of exit). fork+exec: the exec'd
        // child's code and stack pages come on demand.
        CHECK_THAT(native.console, Contains(exec ? "kernel: page faults served: 10 on demand, 5 copy-on-write (5 copies)"
                                                 : "kernel: page faults served: 0 on demand, 10 copy-on-write (5 copies)"));
        CHECK_THAT(native.console, !Contains("warning"));
        CHECK_THAT(native.console, !Contains("FAILED"));
        for (const auto& m : kModes) {
            INFO(m.mode << " paging " << m.paging);
            const RunResult r = run({forkwait}, m.mode, "modern", m.paging, defines);
            CHECK(r.stopReason == StopReason::Halted);
            CHECK(r.console == consoleExpectedIn(m.mode, native.console));
            CHECK(r.events[size_t(EventKind::Fault)] == native.events[size_t(EventKind::Fault)]);
        }
    }
}

TEST_CASE("demand paging: each untouched page is one fault, served and not fatal", "[fork]") {
    const std::string pagefault = kGuests + "papers/pagefault.s";
    const RunResult few = run({pagefault}, Mode::Native, "modern", "auto", {{"ITERS", 10}});
    const RunResult more = run({pagefault}, Mode::Native, "modern", "auto", {{"ITERS", 30}});
    INFO(few.console);
    INFO(more.console);
    // the exec'd program's code and stack pages, then one per page touched
    CHECK_THAT(few.console, Contains("kernel: page faults served: 12 on demand, 0 copy-on-write"));
    CHECK_THAT(more.console, Contains("kernel: page faults served: 32 on demand, 0 copy-on-write"));
    CHECK(more.events[size_t(EventKind::Fault)] - few.events[size_t(EventKind::Fault)] == 20);
    CHECK_THAT(more.console, !Contains("killed"));
    CHECK_THAT(more.console, !Contains("warning"));
    // a touch outside what the process owns still kills it, with the kernel's usual line
    const RunResult wild = run({kGuests + "privileged.s"}, Mode::Native);
    CHECK_THAT(wild.console, Contains("kernel: pid 2 killed: page fault at 0x00000000 (pc 0x004"));
    CHECK_THAT(wild.console, !Contains("page faults served"));
}
