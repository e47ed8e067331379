// libstdc++ 12's <regex> trips a false -Wmaybe-uninitialized in the
// std::function inside its automaton (sanitizer builds).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
// Several containers on one host kernel: the CPU weight in the boot
// information, proportional CPU shares among containers, the charged
// container switch and the cycles, instructions and events of each
// container, cgroup memory accounting and start-up (footprint), and the
// shared-kernel hazard: the kernel's unchecked klog offset lets one
// container read another's memory.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <numeric>
#include <regex>
#include <string>
#include <vector>

#include "monitors/container.h"
#include "machine/errors.h"
#include "machine/guest.h"
#include "machine/machine.h"
#include "monitors/monitor.h"
#include "run/run.h"
#include "cpu-model/assembler.h"
#include "cpu-model/isa.h"

using namespace ringsim;
using Catch::Matchers::Contains;

namespace {

const std::string kGuests = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";

GuestImages build(const std::vector<std::string>& programs, std::map<std::string, int64_t> defines = {}) {
    GuestSources sources;
    sources.kernel = kGuests + "kernel.s";
    for (const auto& p : programs) sources.programs.push_back(kGuests + p + ".s");
    sources.defines = std::move(defines);
    return assembleGuest(sources);
}

// A machine with the host kernel and its programs in containers (the
// container mode), run until it halts or `budget` cycles have passed.
struct ContainerRun {
    std::unique_ptr<Machine> machine;
    std::unique_ptr<ContainerMonitor> host;
    StopReason stop = StopReason::Running;
    uint64_t containerPortWrites = 0;  // out to the container port, as the CPU saw them
};

ContainerRun runContainers(const GuestImages& guest, std::vector<ProgramPlacement> placements,
                           uint64_t budget = 400'000'000, std::vector<std::string> costOverrides = {},
                           Mode mode = Mode::Container) {
    RunOptions options;
    options.mode = mode;
    options.costOverrides = std::move(costOverrides);
    ContainerRun run;
    run.machine = std::make_unique<Machine>(machineConfigFor(options));
    auto* counter = &run.containerPortWrites;
    run.machine->events.setListener([counter](const Event& e) {
        if (e.kind == EventKind::PortIo && e.detail == isa::port::Container) ++*counter;
    });
    if (mode == Mode::Container) {
        run.host = std::make_unique<ContainerMonitor>(*run.machine);
        run.machine->cpu.setHooks(run.host.get());
        run.host->setContainers(std::move(placements));
        run.host->start(guest);
        run.stop = run.host->run(budget);
    } else {
        // natively: the same kernel on the bare machine, programs in the given namespaces
        auto native = makeMonitor(Mode::Native, *run.machine);
        run.machine->cpu.setHooks(native.get());
        run.machine->boot(guest, 0, 0, placements);
        run.stop = native->run(budget);
        run.machine->cpu.setHooks(nullptr);
    }
    return run;
}

const GuestResult& resultFor(const std::vector<GuestResult>& results, uint16_t id) {
    auto it = std::find_if(results.begin(), results.end(), [&](const GuestResult& r) { return r.id == id; });
    REQUIRE(it != results.end());
    return *it;
}

uint64_t user(const GuestResult& r) { return r.cycles[size_t(CycleCategory::GuestUser)]; }

// The console's lines without the kernel's, with every "pid N" made "pid #":
// what differs between pids in namespaces and host pids is only the number.
std::string order(std::string_view console) {
    return std::regex_replace(withoutKernelLines(console), std::regex("pid [0-9]+"), "pid #");
}

uint64_t pagesOf(const assembler::Program& p) { return (p.image.size() + isa::kPageSize - 1) / isa::kPageSize; }

}  // namespace

TEST_CASE("the boot information carries each program's CPU weight, and the loader checks it", "[containers][boot]") {
    const auto images = build({"hello", "hello", "hello"});
    RunOptions options;
    Machine machine(machineConfigFor(options));
    const ProgramPlacement ok[] = {{1, 300}, {2, 1}, {1, 300}};
    machine.boot(images, 0, 0, ok);
    const uint32_t info = machine.cpu.state.r[1];
    auto weight = [&](uint32_t i) {
        return machine.memory.read32(info + bootinfo::kProgramsOffset + i * bootinfo::kProgramEntrySize +
                                     bootinfo::kProgramWeightOffset);
    };
    CHECK(weight(0) == 300);
    CHECK(weight(1) == 1);
    CHECK(weight(2) == 300);
    const ProgramPlacement some[] = {{4, 10000}};  // the others: host processes with the default weight
    machine.boot(images, 0, 0, some);
    CHECK(weight(0) == 10000);
    CHECK(weight(1) == kDefaultContainerWeight);
    CHECK(weight(2) == kDefaultContainerWeight);

    const ProgramPlacement zero[] = {{1, 100}, {2, 0}};
    CHECK_THROWS_AS(machine.boot(images, 0, 0, zero), InputError);
    CHECK_THROWS_WITH(machine.boot(images, 0, 0, zero),
                      Contains("program 2 (hello.s)") && Contains("CPU weight 0") && Contains("1..10000"));
    const ProgramPlacement huge[] = {{1, 10001}};
    CHECK_THROWS_WITH(machine.boot(images, 0, 0, huge), Contains("program 1 (hello.s)") && Contains("10001"));
    const ProgramPlacement twoWeights[] = {{3, 100}, {0, 100}, {3, 200}};
    CHECK_THROWS_WITH(machine.boot(images, 0, 0, twoWeights),
                      Contains("program 1 (hello.s) and program 3 (hello.s)") && Contains("container 3") &&
                          Contains("100 and 200"));
    // A host process takes the default weight, so container 0 cannot be given another by one program only.
    const ProgramPlacement hostWeight[] = {{0, 500}};
    CHECK_THROWS_WITH(machine.boot(images, 0, 0, hostWeight), Contains("container 0"));
}

TEST_CASE("a container of weight 300 gets three times the CPU of one of weight 100", "[containers][weights]") {
    // A short time slice, so that the shares are measured over many ticks.
    const auto images = build({"compute", "compute"}, {{"TIMER_PERIOD", 20000}});
    // Stopped while both are still busy (the heavier one would finish first).
    auto run = runContainers(images, {{1, 100}, {2, 300}}, 20'000'000);
    REQUIRE(run.stop == StopReason::CycleBudget);
    const auto results = *run.host->guestResults();
    REQUIRE(results.size() == 2);
    const auto& light = resultFor(results, 1);
    const auto& heavy = resultFor(results, 2);
    CHECK(light.weight == 100);
    CHECK(heavy.weight == 300);
    CHECK_THAT(light.console, !Contains("done"));
    CHECK_THAT(heavy.console, !Contains("done"));
    const double share = double(user(heavy)) / double(user(light) + user(heavy));
    INFO("ring-3 cycles: weight 100 " << user(light) << ", weight 300 " << user(heavy) << ", share " << share);
    CHECK(std::abs(share - 0.75) <= 0.75 * 0.05);
    CHECK(user(light) + user(heavy) > 15'000'000);  // both were busy nearly all the time
    // The same programs with the weights the other way round: the shares follow the weights, not the order.
    auto swapped = runContainers(images, {{1, 300}, {2, 100}}, 20'000'000);
    const auto r2 = *swapped.host->guestResults();
    const double share2 = double(user(resultFor(r2, 1))) / double(user(resultFor(r2, 1)) + user(resultFor(r2, 2)));
    CHECK(std::abs(share2 - 0.75) <= 0.75 * 0.05);
}

TEST_CASE("with equal weights the order of output is the round robin's", "[containers][weights]") {
    // One container per program, all of weight 100, against the same programs natively (all in the
    // host's namespace): the kernel runs them in the same order, so the lines come in the same order.
    const auto images = build({"compute", "syscalls", "console", "compute"});
    auto native = runContainers(images, {}, 400'000'000, {}, Mode::Native);
    REQUIRE(native.stop == StopReason::Halted);
    auto containers = runContainers(images, {{1}, {2}, {3}, {4}});
    REQUIRE(containers.stop == StopReason::Halted);
    const std::string nativeText = native.machine->devices.console.text();
    const std::string containerText = containers.machine->devices.console.text();
    CHECK(order(containerText) == order(nativeText));
    CHECK(std::count(nativeText.begin(), nativeText.end(), '\n') > 200);  // console.s alone writes 200 lines
    // Every program in one container: exactly native's lines, pids included.
    const auto two = build({"compute", "compute"});
    auto nativeTwo = runContainers(two, {}, 400'000'000, {}, Mode::Native);
    auto oneContainer = runContainers(two, {{5, 700}, {5, 700}});
    CHECK(oneContainer.host->consoleText() == withoutKernelLines(nativeTwo.machine->devices.console.text()));
    CHECK(oneContainer.host->guestSwitches() == 2);  // into container 5, and back to the host at the end
}

TEST_CASE("a switch between containers is charged, logged, and moves the cycles to the new container",
          "[containers][switch]") {
    const auto images = build({"hello", "compute", "compute"}, {{"ROUNDS", 6}});
    const std::vector<ProgramPlacement> placements = {{0}, {1}, {2}};
    auto run = runContainers(images, placements);
    REQUIRE(run.stop == StopReason::Halted);
    const uint64_t switches = run.host->guestSwitches();
    CHECK(switches > 10);  // the two computes take turns
    CHECK(run.containerPortWrites == switches);
    CHECK(run.host->runningContainer() == 0);  // the kernel's shutdown is the host's
    CHECK(run.machine->devices.container() == 0);

    // Everything is someone's: containers 0 (host process and kernel), 1 and 2 add up to the machine.
    const auto results = *run.host->guestResults();
    REQUIRE(results.size() == 3);
    std::array<uint64_t, kCycleCategoryCount> cycles{};
    EventCounts events{};
    uint64_t instructions = 0;
    for (const auto& r : results) {
        for (size_t i = 0; i < cycles.size(); ++i) cycles[i] += r.cycles[i];
        for (size_t i = 0; i < events.size(); ++i) events[i] += r.events[i];
        instructions += r.instructions;
        CHECK(r.stopReason == StopReason::Halted);
        CHECK(r.name == "container" + std::to_string(r.id));
    }
    CHECK(cycles == run.machine->cpu.account.totals());
    CHECK(instructions == run.machine->cpu.stats().instructions);
    CHECK(events == run.machine->events.counts());
    CHECK(events[size_t(EventKind::ContextSwitch)] == switches);
    // Each compute did the same work: the same ring-3 cycles, whatever ran around it.
    CHECK(user(resultFor(results, 1)) == user(resultFor(results, 2)));
    CHECK(resultFor(results, 1).console == resultFor(results, 2).console);
    CHECK(withoutKernelLines(resultFor(results, 0).console) == "hello from pid 1 in ring 3\n");

    // The charge: the same run with a dearer switch costs exactly the difference per switch, as kernel time.
    auto dear = runContainers(images, placements, 400'000'000, {"container_switch=5050"});
    REQUIRE(dear.stop == StopReason::Halted);
    CHECK(dear.host->guestSwitches() == switches);
    const auto kernel = [](const ContainerRun& r) { return r.machine->cpu.account.total(CycleCategory::GuestKernel); };
    CHECK(kernel(dear) - kernel(run) == switches * (5050 - run.machine->costs.containerSwitch));
    CHECK(dear.machine->cpu.account.now - run.machine->cpu.account.now ==
          switches * (5050 - run.machine->costs.containerSwitch));
}

TEST_CASE("natively the container port is a plain register the kernel never writes without containers",
          "[containers][switch]") {
    DeviceSet devices;
    DmaWindow none;
    CHECK(devices.in(isa::port::Container, 0).value == 0);
    devices.out(isa::port::Container, 7, none, 0);
    CHECK(devices.in(isa::port::Container, 0).value == 7);
    CHECK(devices.container() == 7);
    CHECK(portName(isa::port::Container) == "container");

    const auto images = build({"compute", "compute"}, {{"ROUNDS", 4}});
    auto host = runContainers(images, {}, 400'000'000, {}, Mode::Native);
    REQUIRE(host.stop == StopReason::Halted);
    CHECK(host.containerPortWrites == 0);
    // On the bare machine with namespaces the writes happen, and only the register sees them.
    auto spaced = runContainers(images, {{1}, {2}}, 400'000'000, {}, Mode::Native);
    REQUIRE(spaced.stop == StopReason::Halted);
    CHECK(spaced.containerPortWrites > 4);
    CHECK(spaced.machine->devices.container() == 0);
    CHECK(spaced.machine->events.count(EventKind::ContextSwitch) == 0);
}

TEST_CASE("a container's footprint: the frames its processes held at most, its images, its start-up",
          "[containers][footprint]") {
    const auto images = build({"compute", "compute", "compute", "compute"}, {{"ROUNDS", 2}});
    auto run = runContainers(images, {{1}, {2}, {3}, {4}});
    REQUIRE(run.stop == StopReason::Halted);
    const auto results = *run.host->guestResults();
    REQUIRE(results.size() == 4);
    // compute: its image twice (the loader's copy, and the private copy the kernel gives the process),
    // a page directory, a page table and a stack page.
    const uint64_t expected = 2 * pagesOf(images.programs[0]) + 3;
    std::optional<uint64_t> previousStart;
    for (const auto& r : results) {
        INFO(r.name);
        CHECK(r.footprint.pages == expected);
        REQUIRE(r.footprint.startupCycles);
        CHECK(*r.footprint.startupCycles > 0);
        CHECK(*r.footprint.startupCycles < run.machine->cpu.account.now);
        if (previousStart) CHECK(*r.footprint.startupCycles > *previousStart);  // they start one after another
        previousStart = r.footprint.startupCycles;
    }
    // The host kernel: its image and the boot information; every frame was given back.
    const uint64_t kernelPages = pagesOf(images.kernel);
    CHECK(run.host->hostKernelPages() == kernelPages + 1);

    // A container that maps pages and spawns children holds more at its peak.
    const auto more = build({"pagetables", "hello"});
    auto mapped = runContainers(more, {{1}, {2}});
    REQUIRE(mapped.stop == StopReason::Halted);
    const auto r = *mapped.host->guestResults();
    CHECK(resultFor(r, 1).footprint.pages > 2 * pagesOf(more.programs[0]) + 3);
    CHECK(resultFor(r, 2).footprint.pages == 2 * pagesOf(more.programs[1]) + 3);
    CHECK(mapped.host->hostKernelPages() == kernelPages + 1);
}

TEST_CASE("klog returns the kernel's own messages, and checks the caller's buffer", "[containers][klog]") {
    auto reader = assembler::assembleText(R"(
        .include "include/syscalls.inc"
        .org    USER_BASE
        .include "include/userlib.inc"
_start: li      r1, buffer
        li      r2, 0
        li      r3, 26
        SYS     SYS_KLOG                ; the first line the kernel wrote
        mov     r9, r1                  ; bytes logged so far
        li      r1, buffer
        mov     r2, r0
        SYS     SYS_WRITE
        li      r1, 0x1000              ; kernel memory as the buffer
        li      r2, 0
        li      r3, 4
        SYS     SYS_KLOG
        mov     r1, r0
        call    put_dec
        li      r1, ' '
        call    put_char
        li      r1, buffer              ; a source past the end of memory
        li      r2, 0x7FFFFFF0
        li      r3, 4
        SYS     SYS_KLOG
        mov     r1, r0
        call    put_dec
        li      r1, ' '
        call    put_char
        mov     r1, r9
        call    put_dec
        call    end_line
        li      r1, 0
        call    exit
buffer: .space  64
)",
                                          kGuests + "klog_reader.s");
    INFO(reader.errorText());
    REQUIRE(reader.ok());
    GuestImages guest = build({});
    guest.programs.push_back(*reader.program);
    guest.programNames.push_back("klog_reader.s");
    auto run = runContainers(guest, {{1}});
    REQUIRE(run.stop == StopReason::Halted);
    const std::string host(run.host->hostConsoleText());
    // What had been logged when it asked: the kernel's first three lines (the last one is written after).
    const size_t logged = host.find("kernel: 1 process exited");
    REQUIRE(logged != std::string::npos);
    CHECK(run.host->consoleText() == "kernel: running in ring 0\n-1 -1 " + std::to_string(logged) + "\n");
}

TEST_CASE("the shared-kernel hazard: through klog one container reads another's memory", "[containers][klog]") {
    const auto images = build({"secret", "snoop"});
    auto run = runContainers(images, {{1}, {2}});
    REQUIRE(run.stop == StopReason::Halted);
    const std::string victim(run.machine->devices.console.streamText(1));
    const std::string snoop(run.machine->devices.console.streamText(2));
    INFO(run.machine->devices.console.text());
    CHECK(victim == "secret: pid 1 keeps a secret in its memory\nsecret: pid 1 wiped its secret and exits\n");
    CHECK_THAT(victim, !Contains("snoop"));
    CHECK_THAT(snoop, Contains("snoop: found \"the vault code is 7341\" at physical 0x"));
    // Where it was found: a frame the kernel gave the secret's process (above the loaded images and the
    // boot information), not the loader's copy of the program - the marker exists only in the live process.
    std::smatch where;
    REQUIRE(std::regex_search(snoop, where, std::regex("found .* at physical 0x([0-9a-f]{8})")));
    const uint32_t address = uint32_t(std::stoul(where[1], nullptr, 16));
    const uint32_t info = run.machine->memory.read32(images.kernel.labels.at("bootinfo"));
    CHECK(address >= run.machine->memory.read32(info + bootinfo::kFirstFreeOffset));
    // It learnt where the log is by probing: the right answer.
    CHECK_THAT(snoop, Contains(fmt::format("snoop: the kernel log is at physical {:#010x}",
                                           images.kernel.labels.at("klog_buffer"))));

    // Natively, with no containers at all, the same kernel has the same bug.
    auto native = runContainers(images, {}, 400'000'000, {}, Mode::Native);
    REQUIRE(native.stop == StopReason::Halted);
    CHECK_THAT(native.machine->devices.console.text(), Contains("snoop: found \"the vault code is 7341\""));
}

TEST_CASE("with nothing to find the snoop reads each page of memory once and stops", "[containers][klog]") {
    for (uint32_t megabytes : {1u, 4u}) {
        INFO(megabytes << " MiB");
        RunOptions options;
        options.memoryBytes = megabytes << 20;
        options.maxCycles = 200'000'000;
        const RunResult r = runGuest(build({"snoop"}), options);
        CHECK(r.stopReason == StopReason::Halted);
        CHECK_THAT(r.console, Contains("snoop: no secret found (scanned " + std::to_string(megabytes * 256) +
                                       " pages)\n"));
    }
    // A secret that is gone (wiped before the snoop runs) is not found either.
    const auto images = build({"secret", "snoop"}, {{"SECRET_ROUNDS", 0}});
    auto run = runContainers(images, {{1}, {2}});
    REQUIRE(run.stop == StopReason::Halted);
    CHECK_THAT(std::string(run.machine->devices.console.streamText(2)), Contains("snoop: no secret found"));
}
