// The guest software in scenarios/guests/: the kernel, natively, with each
// user program alone and together (exact console lines, a clean halt,
// determinism); the paravirtual build on bare hardware; the include files
// that must agree with the C++ tables.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "machine/errors.h"
#include "machine/guest.h"
#include "machine/hypercalls.h"
#include "machine/machine.h"
#include "monitors/monitor.h"
#include "run/run.h"
#include "cpu-model/assembler.h"
#include "cpu-model/isa.h"

using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;

namespace {

const std::string kGuests = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";

ringsim::GuestImages build(const std::vector<std::string>& programs, bool paravirt = false) {
    ringsim::GuestSources sources;
    sources.kernel = kGuests + "kernel.s";
    for (const auto& p : programs) sources.programs.push_back(kGuests + p);
    if (paravirt) sources.defines["PARAVIRT"] = 1;
    return ringsim::assembleGuest(sources);
}

ringsim::RunResult run(const std::vector<std::string>& programs, uint32_t memoryBytes = 4u << 20) {
    ringsim::RunOptions options;
    options.memoryBytes = memoryBytes;
    options.maxCycles = 200'000'000;  // every run here needs far less
    return ringsim::runGuest(build(programs), options);
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    size_t at = 0;
    while (at < text.size()) {
        size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        out.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

// Index of the first line that is exactly `line`, or -1.
long indexOf(const std::vector<std::string>& all, const std::string& line) {
    auto it = std::find(all.begin(), all.end(), line);
    return it == all.end() ? -1 : long(it - all.begin());
}

long count(const std::vector<std::string>& all, const std::string& prefix) {
    return std::count_if(all.begin(), all.end(), [&](const std::string& l) { return l.rfind(prefix, 0) == 0; });
}

// Every run ends the same way: the kernel's summary (with a tick count that
// depends on the cost preset, so only its shape is checked) and nothing after.
void checkEnding(const ringsim::RunResult& r, const std::string& summaryStart) {
    INFO(r.console);
    INFO(r.stopMessage);
    CHECK(r.stopReason == ringsim::StopReason::Halted);
    const auto all = lines(r.console);
    REQUIRE(!all.empty());
    CHECK_THAT(all.back(), StartsWith(summaryStart) && (EndsWith(" timer ticks") || EndsWith(" timer tick")));
    CHECK_THAT(r.console, !Contains("warning"));
    CHECK_THAT(r.console, !Contains("FAILED"));
    CHECK_THAT(r.console, !Contains("panic"));
}

const std::vector<std::string> kBootLines = {
    "kernel: running in ring 0",
    "kernel: trap table at 0x00000040",
};

}  // namespace

TEST_CASE("hello alone: the whole console, exactly", "[guests]") {
    auto r = run({"hello.s"});
    CHECK(r.console ==
          "kernel: running in ring 0\n"
          "kernel: trap table at 0x00000040\n"
          "kernel: starting 1 program\n"
          "hello from pid 1 in ring 3\n"
          "kernel: 1 process exited after 0 timer ticks\n");
    CHECK(r.stopReason == ringsim::StopReason::Halted);
}

TEST_CASE("compute alone finds the primes", "[guests]") {
    auto r = run({"compute.s"});
    const auto all = lines(r.console);
    REQUIRE(all.size() == 6);
    CHECK(all[0] == kBootLines[0]);
    CHECK(all[1] == kBootLines[1]);
    CHECK(all[2] == "kernel: starting 1 program");
    CHECK(all[3] == "compute: pid 1 half way: 50 of 100 rounds");
    CHECK(all[4] == "compute: pid 1 done: 100 rounds, 1229 primes below 10000, sum 5736396");
    checkEnding(r, "kernel: 1 process exited after ");
    // compute-bound: nearly all the time is ring 3
    const auto user = r.cycles[size_t(ringsim::CycleCategory::GuestUser)];
    CHECK(double(user) > 0.75 * double(r.totalCycles));
    CHECK(r.instructions > 2'000'000);
}

TEST_CASE("two computes share the CPU under timer preemption", "[guests]") {
    auto r = run({"compute.s", "compute.s"});
    const auto all = lines(r.console);
    INFO(r.console);
    // both are half way before either is done: neither ran to the end alone
    REQUIRE(all.size() == 8);
    CHECK(all[3] == "compute: pid 1 half way: 50 of 100 rounds");
    CHECK(all[4] == "compute: pid 2 half way: 50 of 100 rounds");
    CHECK(all[5] == "compute: pid 1 done: 100 rounds, 1229 primes below 10000, sum 5736396");
    CHECK(all[6] == "compute: pid 2 done: 100 rounds, 1229 primes below 10000, sum 5736396");
    checkEnding(r, "kernel: all 2 processes exited after ");
    CHECK(r.events[size_t(ringsim::EventKind::Interrupt)] > 50);
}

TEST_CASE("syscalls alone: 20000 getpid calls", "[guests]") {
    auto r = run({"syscalls.s"});
    const auto all = lines(r.console);
    CHECK(indexOf(all, "syscalls: 20000 getpid calls, pid 1") == 3);
    checkEnding(r, "kernel: 1 process exited after ");
    // 20000 getpid, the bad number, and the write and the exit
    CHECK(r.events[size_t(ringsim::EventKind::Syscall)] == 20003);
    // the kernel's busy pages do not share TLB slots with the program's
    CHECK(r.tlbMisses < 100);
}

TEST_CASE("console alone: 200 lines, a sector out and back, the checksum", "[guests]") {
    auto r = run({"console.s"});
    const auto all = lines(r.console);
    CHECK(count(all, "console: line ") == 200);
    CHECK(indexOf(all, "console: line 001 of 200 bcdefghijklmno") == 3);
    CHECK(indexOf(all, "console: line 200 of 200 stuvwxyzabcdef") == 202);
    CHECK(indexOf(all, "console: 200 lines, 8000 bytes, sector 5 written and read back, checksum 0x491eaf3a") == 203);
    checkEnding(r, "kernel: 1 process exited after ");
    // every byte is one `out` natively
    CHECK(r.portAccesses > 8000);
}

TEST_CASE("pagetables alone: 100 spawn/wait rounds and 200 map/unmap pairs, nothing leaked", "[guests]") {
    auto r = run({"pagetables.s"});
    const auto all = lines(r.console);
    CHECK(indexOf(all, "pagetables: 100 spawn/wait rounds, 200 map/unmap pairs") == 3);
    // the shutdown line counts the 100 children; checkEnding rejects a leak warning
    checkEnding(r, "kernel: all 101 processes exited after ");
}

TEST_CASE("privileged: a faulting process is killed, the others go on", "[guests]") {
    auto r = run({"privileged.s", "hello.s"});
    const auto all = lines(r.console);
    INFO(r.console);
    const long starts = indexOf(all, "privileged: pid 1 starts a child that reads kernel memory");
    const long hello = indexOf(all, "hello from pid 2 in ring 3");
    const long childEnded = indexOf(all, "privileged: child pid 3 ended with code 132");
    const long tries = indexOf(all, "privileged: pid 1 now tries cli in ring 3");
    REQUIRE(starts > 0);
    REQUIRE(hello > 0);
    REQUIRE(childEnded > 0);
    REQUIRE(tries > 0);
    CHECK(starts < childEnded);
    CHECK(childEnded < tries);
    CHECK(count(all, "kernel: pid 3 killed: page fault at 0x00000000 (pc 0x004") == 1);
    CHECK(count(all, "kernel: pid 1 killed: general protection fault (pc 0x004") == 1);
    CHECK(indexOf(all, "privileged: FAILED: ring 3 got away with it") == -1);
    checkEnding(r, "kernel: all 3 processes exited after ");
}

TEST_CASE("every program together, and the kernel runs them all to the end", "[guests]") {
    auto r = run({"compute.s", "syscalls.s", "console.s", "pagetables.s", "hello.s", "privileged.s"});
    const auto all = lines(r.console);
    CHECK(indexOf(all, "compute: pid 1 done: 100 rounds, 1229 primes below 10000, sum 5736396") > 0);
    CHECK(indexOf(all, "syscalls: 20000 getpid calls, pid 2") > 0);
    CHECK(indexOf(all, "console: 200 lines, 8000 bytes, sector 5 written and read back, checksum 0x491eaf3a") > 0);
    CHECK(indexOf(all, "pagetables: 100 spawn/wait rounds, 200 map/unmap pairs") > 0);
    CHECK(indexOf(all, "hello from pid 5 in ring 3") > 0);
    CHECK(count(all, "kernel: pid 6 killed: general protection fault") == 1);
    CHECK(count(all, "console: line ") == 200);
    // 6 started at boot, 100 pagetables children, 1 privileged child
    checkEnding(r, "kernel: all 107 processes exited after ");
}

TEST_CASE("runs are deterministic: same cycles, events and output twice", "[guests]") {
    auto a = run({"compute.s", "syscalls.s", "hello.s"});
    auto b = run({"compute.s", "syscalls.s", "hello.s"});
    CHECK(a.console == b.console);
    CHECK(a.cycles == b.cycles);
    CHECK(a.events == b.events);
    CHECK(a.instructions == b.instructions);
    CHECK(a.totalCycles == b.totalCycles);
    CHECK(a.stopReason == ringsim::StopReason::Halted);
}

TEST_CASE("running out of memory fails a spawn cleanly, without leaking", "[guests]") {
    // Memory for the kernel, the loaded images, the boot information and ten
    // free frames: each boot process takes four (directory, table, one image
    // page, stack), so pagetables' first spawn runs dry half way through
    // building the child and must hand back what it took.
    auto images = build({"pagetables.s", "hello.s"});
    auto pages = [](size_t bytes) { return uint32_t((bytes + 4095) / 4096); };
    uint32_t used = pages(images.kernel.image.size()) + 1;  // + the boot-information page
    for (const auto& p : images.programs) used += pages(p.image.size());
    ringsim::RunOptions options;
    options.memoryBytes = (used + 10) * 4096;
    auto r = ringsim::runGuest(images, options);
    const auto all = lines(r.console);
    INFO(r.console);
    CHECK(indexOf(all, "pagetables: FAILED: spawn refused") > 0);
    CHECK(indexOf(all, "hello from pid 2 in ring 3") > 0);
    CHECK(r.stopReason == ringsim::StopReason::Halted);
    CHECK_THAT(r.console, !Contains("warning"));
    CHECK_THAT(all.back(), StartsWith("kernel: all 2 processes exited after "));
}

TEST_CASE("the boot information gives each program its container", "[guests][boot]") {
    auto images = build({"hello.s", "hello.s"});
    ringsim::RunOptions options;
    ringsim::Machine machine(ringsim::machineConfigFor(options));
    const ringsim::ProgramPlacement placements[] = {{0}, {3, 250}};
    machine.boot(images, 0, 0, placements);
    namespace bi = ringsim::bootinfo;
    const uint32_t info = machine.cpu.state.r[1];
    CHECK(machine.memory.read32(info + bi::kProgramCountOffset) == 2);
    auto entry = [&](uint32_t i) { return info + bi::kProgramsOffset + i * bi::kProgramEntrySize; };
    CHECK(machine.memory.read32(entry(0) + bi::kProgramContainerOffset) == 0);
    CHECK(machine.memory.read32(entry(0) + bi::kProgramWeightOffset) == ringsim::kDefaultContainerWeight);
    CHECK(machine.memory.read32(entry(1) + bi::kProgramContainerOffset) == 3);
    CHECK(machine.memory.read32(entry(1) + bi::kProgramWeightOffset) == 250);
    CHECK(machine.memory.read32(entry(1) + 12) == images.programs[1].entry);
    const ringsim::ProgramPlacement tooMany[] = {{1}, {1}, {1}};
    CHECK_THROWS_WITH(machine.boot(images, 0, 0, tooMany), Contains("3 program placements for 2 programs"));
}

namespace {
// Runs the native kernel on the bare machine with each program in the given
// namespace (container), and returns the machine for its console streams.
std::unique_ptr<ringsim::Machine> runInNamespaces(const std::vector<std::string>& programs,
                                                  const std::vector<uint32_t>& containers) {
    ringsim::RunOptions options;
    auto machine = std::make_unique<ringsim::Machine>(ringsim::machineConfigFor(options));
    auto host = ringsim::makeMonitor(ringsim::Mode::Native, *machine);
    machine->cpu.setHooks(host.get());
    std::vector<ringsim::ProgramPlacement> placements;
    for (uint32_t c : containers) placements.push_back({c});
    machine->boot(build(programs), 0, 0, placements);
    machine->cpu.run(200'000'000);
    machine->cpu.setHooks(nullptr);
    return machine;
}
}  // namespace

TEST_CASE("namespaces: each has its own pids from 1 and its own console stream", "[guests][namespaces]") {
    // host process, container 1, container 2 (twice, the first spawning a child that faults)
    auto m = runInNamespaces({"hello.s", "hello.s", "privileged.s", "hello.s"}, {0, 1, 2, 2});
    const auto& console = m->devices.console;
    INFO(console.text());
    CHECK(m->cpu.stopReason() == ringsim::StopReason::Halted);
    CHECK(console.streamText(1) == "hello from pid 1 in ring 3\n");
    CHECK(console.streamText(2) ==
          "privileged: pid 1 starts a child that reads kernel memory\n"
          "hello from pid 2 in ring 3\n"
          "privileged: child pid 3 ended with code 132\n"
          "privileged: pid 1 now tries cli in ring 3\n");
    // The host's stream: the kernel's messages, naming processes by host pid
    // (and container pid), and the host process, which sees host pids.
    const auto host = lines(console.streamText(0));
    CHECK(indexOf(host, "hello from pid 1 in ring 3") == 3);
    CHECK(count(host, "kernel: pid 5 (pid 3 in container 2) killed: page fault at 0x00000000 (pc 0x004") == 1);
    CHECK(count(host, "kernel: pid 3 (pid 1 in container 2) killed: general protection fault (pc 0x004") == 1);
    CHECK_THAT(host.back(), StartsWith("kernel: all 5 processes exited after "));
    CHECK(console.streams().size() == 3);
}

TEST_CASE("the paravirtual kernel faults at its first hypercall on bare hardware", "[guests][paravirt]") {
    auto r = ringsim::runGuest(build({"hello.s"}, true), ringsim::RunOptions{});
    CHECK(r.stopReason == ringsim::StopReason::GuestFault);
    CHECK_THAT(r.stopMessage, Contains("invalid-opcode"));
    CHECK(r.console.empty());
}

TEST_CASE("both kernel builds keep the trap table at the same address", "[guests][paravirt]") {
    // so the "trap table at" line can be the same in both builds' output
    auto native = build({});
    auto paravirt = build({}, true);
    REQUIRE(native.kernel.labels.count("trap_table"));
    REQUIRE(paravirt.kernel.labels.count("trap_table"));
    CHECK(native.kernel.labels.at("trap_table") == 0x40);
    CHECK(paravirt.kernel.labels.at("trap_table") == 0x40);
    CHECK(paravirt.kernel.constants.at("PARAVIRT") == 1);
    CHECK(native.kernel.constants.at("PARAVIRT") == 0);
}

namespace {
// The mnemonic of every instruction a kernel image emitted, read back from
// the source line that emitted it (data directives are skipped).
std::vector<std::string> mnemonicsOf(const ringsim::assembler::Program& program) {
    std::map<std::string, std::vector<std::string>> files;
    std::vector<std::string> out;
    for (const auto& [address, where] : program.lineMap) {
        auto& text = files[where.file];
        if (text.empty()) {
            std::ifstream in(where.file);
            for (std::string l; std::getline(in, l);) text.push_back(l);
        }
        if (where.line < 1 || size_t(where.line) > text.size()) continue;
        std::istringstream words(text[size_t(where.line) - 1]);
        std::string word;
        words >> word;
        if (!word.empty() && word.back() == ':') words >> word;  // a label first
        for (char& c : word) c = char(std::tolower(static_cast<unsigned char>(c)));
        if (ringsim::isa::infoForMnemonic(word)) out.push_back(word);
    }
    return out;
}
}  // namespace

TEST_CASE("the paravirtual kernel has no privileged or sensitive instruction left", "[guests][paravirt]") {
    // In ring 1 those would fault or, worse, quietly do the wrong thing. All
    // but iret, which the paravirtual monitor's CPU lets ring 1 make outward
    // (x86's rule): the kernel keeps its interrupt flag in the shared page.
    auto paravirt = build({}, true);
    auto pvMnemonics = mnemonicsOf(paravirt.kernel);
    REQUIRE(pvMnemonics.size() > 500);
    size_t hypercalls = 0;
    for (const auto& m : pvMnemonics) {
        const auto* info = ringsim::isa::infoForMnemonic(m);
        INFO(m);
        if (m != "iret") CHECK_FALSE(ringsim::isa::isSensitive(info->cls));
        CHECK(m != "sysret");
        if (info->cls == ringsim::isa::InsnClass::Hypercall) ++hypercalls;
    }
    CHECK(hypercalls > 15);
    // and the native one does use them, sensitive-but-unprivileged ones included
    auto native = mnemonicsOf(build({}).kernel);
    for (const char* m : {"pushf", "popf", "getcpl", "stt", "cli", "sti", "hlt", "out", "lptb", "iret", "sysret"}) {
        INFO(m);
        CHECK(std::find(native.begin(), native.end(), m) != native.end());
    }
    CHECK(std::find(native.begin(), native.end(), "hcall") == native.end());
}

TEST_CASE("hypercalls.inc agrees with core/hypercalls.h", "[guests][paravirt]") {
    auto result = ringsim::assembler::assembleFile(kGuests + "include/hypercalls.inc");
    INFO(result.errorText());
    REQUIRE(result.ok());
    const auto& constants = result.program->constants;
    size_t named = 0;
    for (const auto& [name, value] : constants)
        if (name.rfind("HC_", 0) == 0) ++named;
    CHECK(named == ringsim::hypercallTable().size());
    for (const auto& h : ringsim::hypercallTable()) {
        std::string name = "HC_";
        for (char c : h.name) name += char(std::toupper(static_cast<unsigned char>(c)));
        INFO(name);
        REQUIRE(constants.count(name));
        CHECK(constants.at(name) == int64_t(h.number));
    }
}
