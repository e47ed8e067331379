// libFuzzer target for the CPU and every monitor: random bytes run as code.
//
// The first byte chooses the role and the mode; the rest is the code:
//   bit 0 = 0  bare metal: the bytes are the whole guest, loaded at 0 and
//              started in ring 0 with paging off (the "kernel");
//   bit 0 = 1  a user program at USER_BASE, started in ring 3 by the
//              bundled kernel (its paravirtual build under paravirt);
//   (byte >> 1) % 9 picks one of kVariants: every mode, with trap-emulate
//              also on a strict CPU and hw-assist with nested and with
//              shadow paging.
//
// Asserted (a failure is a finding, see fuzz_check.h):
//   - no crash, no sanitizer report, no exception but the simulator's
//     InputError (none is expected: the guests are valid);
//   - the run returns within its cycle budget (plus the cost of the one
//     instruction or monitor action that crossed it): no hang;
//   - under a VM mode, isolation: nothing outside the VM's partition of
//     physical memory changes (the monitor's reserve below it, a guard
//     region above it), and the physical console and disk stay untouched.
// How to build and run it: fuzz/README.md.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "machine/errors.h"
#include "machine/guest.h"
#include "machine/machine.h"
#include "monitors/monitor.h"
#include "run/run.h"
#include "fuzz_check.h"

namespace {

using namespace ringsim;

struct Variant {
    Mode mode;
    const char* paging;  // RunOptions::paging
    const char* preset;
    bool strict;
};
constexpr std::array<Variant, 9> kVariants = {{
    {Mode::Native, "auto", "modern", false},
    {Mode::TrapEmulate, "auto", "modern", false},
    {Mode::TrapEmulate, "auto", "modern", true},
    {Mode::BinaryTranslation, "auto", "modern", false},
    {Mode::Emulation, "auto", "modern", false},
    {Mode::Paravirt, "auto", "modern", false},
    {Mode::HwAssist, "nested", "modern", false},
    {Mode::HwAssist, "shadow", "vtx-2006", false},
    {Mode::Container, "auto", "modern", false},
}};

constexpr uint32_t kPartition = 64 * 1024;  // the bundled kernel boots in 64 KiB; small keeps each run cheap
constexpr uint32_t kGuard = 16 * 1024;      // memory above the VM's partition that must stay as it is
constexpr uint32_t kUserBase = 0x00400000;  // USER_BASE of scenarios/guests/include/syscalls.inc
// Each run's budget: enough for the kernel to boot and start the program
// (and for a timer tick or two), small enough for thousands of runs a second.
constexpr uint64_t kBudget = 300'000;
constexpr uint64_t kEmulationBudget = 1'500'000;  // emulation's translation makes the boot slower
// The most one step past the budget may cost, besides block I/O: the
// instruction that crossed it and the monitor's handling of it (a batch of
// 1024 paravirtual MMU updates is about 100k cycles).
constexpr uint64_t kOvershoot = 200'000;

const GuestImages& bundledKernel(bool paravirt) {
    static const auto build = [](bool pv) {
        GuestSources sources;
        sources.kernel = std::string(RINGSIM_FUZZ_SOURCE_DIR) + "/scenarios/guests/kernel.s";
        if (pv) sources.defines["PARAVIRT"] = 1;
        return assembleGuest(sources);
    };
    static const GuestImages native = build(false), pv = build(true);
    return paravirt ? pv : native;
}

GuestImages guestFor(bool user, bool paravirt, const uint8_t* code, size_t size) {
    assembler::Program program;
    program.image.assign(code, code + size);
    if (!user) {
        GuestImages images;
        images.kernel = std::move(program);
        // The paravirtual monitor runs only a kernel built for it; raw code is whatever it is.
        if (paravirt) images.kernel.constants["PARAVIRT"] = 1;
        return images;
    }
    program.origin = program.entry = kUserBase;
    GuestImages images = bundledKernel(paravirt);
    images.programs = {std::move(program)};
    images.programNames = {"fuzz"};
    return images;
}

bool verbose() {
    static const bool on = std::getenv("CPU_FUZZ_VERBOSE") != nullptr;
    return on;
}

// Everything outside [base, base + size) of physical memory.
std::vector<uint8_t> outside(const PhysicalMemory& memory, uint32_t base, uint32_t size) {
    const uint8_t* all = memory.data();
    std::vector<uint8_t> copy(all, all + base);
    copy.insert(copy.end(), all + base + size, all + memory.size());
    return copy;
}

void runOnce(const Variant& variant, bool user, const uint8_t* code, size_t size) {
    const bool paravirt = modeInfo(variant.mode).needsParavirtKernel;
    const GuestImages guest = guestFor(user, paravirt, code, size);

    RunOptions options;
    options.mode = variant.mode;
    options.preset = variant.preset;
    options.paging = variant.paging;
    options.strict = variant.strict;
    options.memoryBytes = kPartition;
    options.eventCapacity = 256;  // only counts are read; a small log keeps each run cheap
    MachineConfig config = machineConfigFor(options);
    const bool vm = modeInfo(variant.mode).virtualMachine;
    if (vm) config.memoryBytes += kGuard;

    Machine machine(config);
    std::unique_ptr<Monitor> monitor = makeMonitor(variant.mode, machine);
    if (vm) monitor->setPartition({kMonitorReserve, kPartition});
    machine.cpu.setHooks(monitor.get());
    monitor->start(guest);

    // What the VM must not change, taken once the monitor has set itself up.
    std::vector<uint8_t> before;
    std::string console;
    std::vector<uint8_t> disk;
    if (vm) {
        before = outside(machine.memory, kMonitorReserve, kPartition);
        console = machine.devices.console.text();
        disk = machine.devices.disk.contents();
    }

    const uint64_t budget = variant.mode == Mode::Emulation ? kEmulationBudget : kBudget;
    const uint64_t end = machine.cpu.account.now + budget;
    const StopReason stop = monitor->run(end);
    if (verbose())  // for a look at what an input does: CPU_FUZZ_VERBOSE=1 cpu_fuzz FILE
        std::fprintf(stderr, "%s%s%s, %s: %s after %llu cycles\n%s\n", std::string(modeName(variant.mode)).c_str(), variant.strict ? " (strict)" : "",
                     *variant.paging == 'a' ? "" : (std::string(" ") + variant.paging).c_str(),
                     user ? "user program" : "bare metal", std::string(stopReasonName(stop)).c_str(),
                     (unsigned long long)(machine.cpu.account.now - end + budget),
                     std::string(monitor->consoleText()).c_str());
    // One paravirtual block-I/O hypercall may move the whole disk at once.
    const uint64_t slack = kOvershoot + uint64_t(config.diskSectors) * machine.costs.blockSector;
    fuzz::check(machine.cpu.account.now <= end + slack, "the run went far past its cycle budget",
                std::to_string(machine.cpu.account.now - end).c_str());

    if (vm) {
        fuzz::check(outside(machine.memory, kMonitorReserve, kPartition) == before,
                    "memory outside the VM's partition changed", std::string(modeName(variant.mode)).c_str());
        fuzz::check(machine.devices.console.text() == console, "the physical console changed", std::string(modeName(variant.mode)).c_str());
        fuzz::check(machine.devices.disk.contents() == disk, "the physical disk changed", std::string(modeName(variant.mode)).c_str());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    const bool user = data[0] & 1;
    const Variant& variant = kVariants[(data[0] >> 1) % kVariants.size()];
    try {
        runOnce(variant, user, data + 1, size - 1);
    } catch (const InputError& e) {
        // Every guest made here is valid: a refusal is a finding too.
        fuzz::finding("the simulator refused a valid guest", e.what());
    }
    return 0;
}
