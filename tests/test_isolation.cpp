// A guest's "physical" memory is its VM's partition: it starts at 0, ends at
// the VM's size, and nothing beyond — not the monitor's memory below it, not
// other memory above — can be reached. Reaching out is a fault inside the
// guest, reported with the cycle and pc; the monitor goes on unharmed.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "monitors/deprivileged.h"
#include "machine/machine.h"
#include "monitors/monitor.h"
#include "run/run.h"
#include "cpu-model/assembler.h"

using namespace ringsim;

namespace {

GuestImages bareKernel(const std::string& body) {
    auto result = assembler::assembleText("_start:\n" + body + "\n        cli\n        hlt\n", "escape.s");
    INFO(result.errorText());
    REQUIRE(result.ok());
    GuestImages images;
    images.kernel = *result.program;
    return images;
}

RunResult runIn(Mode mode, const GuestImages& guest) {
    RunOptions options;
    options.mode = mode;
    options.memoryBytes = 1u << 20;
    return runGuest(guest, options);
}

}  // namespace

TEST_CASE("a guest reaching past its memory faults inside its VM, in every mode", "[isolation]") {
    // The last word of the guest's memory is its own; the next one is not.
    const GuestImages inside = bareKernel("li r1, 0xFFFFC\nld r2, [r1]\nst [r1], r2");
    const GuestImages outside = bareKernel("li r1, 0x100000\nescape: ld r2, [r1]");
    for (Mode mode : {Mode::Native, Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Emulation, Mode::HwAssist}) {
        INFO(mode);
        CHECK(runIn(mode, inside).stopReason == StopReason::Halted);
        const RunResult r = runIn(mode, outside);
        CHECK(r.stopReason == StopReason::GuestFault);
        CHECK_THAT(r.stopMessage, Catch::Contains("bus-error"));
        CHECK_THAT(r.stopMessage, Catch::Contains("pc 0x00000008"));  // the load, after the 8-byte li
    }
}

TEST_CASE("the monitor's own memory is out of every guest's reach", "[isolation]") {
    // Guest-physical 0 is the start of the VM's partition, not the host's 0
    // where the monitor lives: a guest writing all over "its" low memory
    // changes only itself, and the run goes on to halt normally.
    const GuestImages scribbler = bareKernel(R"(
        li      r1, 0x2000
        li      r2, 0xDEADBEEF
fill:   st      [r1], r2
        addi    r1, r1, 4
        cmpi    r1, 0x10000
        bne     fill
        li      r1, 'o'
        out     0x10, r1
        li      r1, 'k'
        out     0x10, r1)");
    for (Mode mode : {Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Emulation, Mode::HwAssist}) {
        INFO(mode);
        RunOptions options;
        options.mode = mode;
        options.memoryBytes = 1u << 20;
        Machine machine(machineConfigFor(options));
        auto monitor = makeMonitor(mode, machine);
        machine.cpu.setHooks(monitor.get());
        monitor->start(scribbler);
        CHECK(monitor->run(10'000'000) == StopReason::Halted);
        CHECK(monitor->consoleText() == "ok");
        bool untouched = true;
        for (uint32_t a = 0; a < kMonitorReserve; ++a) untouched = untouched && machine.memory.read8(a) == 0;
        CHECK(untouched);
        CHECK(machine.memory.read32(kMonitorReserve + 0x2000) == 0xDEADBEEFu);  // where the guest's 0x2000 really is
    }
}
