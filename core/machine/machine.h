// A whole simulated computer: physical memory, devices, the CPU, the event
// log, and the cost table they share. A monitor (or nothing, natively) sits
// behind the CPU's hooks.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "cpu-model/costs.h"
#include "cpu-model/cpu.h"
#include "cpu-model/devices.h"
#include "cpu-model/memory.h"
#include "machine/events.h"
#include "machine/guest.h"

namespace ringsim {

struct MachineConfig {
    uint32_t memoryBytes = 4u << 20;
    CpuConfig cpu;
    Costs costs;
    uint32_t diskSectors = 64;
    // The disk front end beside the old block device (none: nothing changes),
    // over `diskBackend`, or an in-memory disk of diskSectors when it is empty.
    DiskFrontEndKind diskFrontEnd = DiskFrontEndKind::None;
    std::shared_ptr<BlockBackend> diskBackend;
    size_t eventCapacity = 1 << 16;
    // Hardware assistance: the exit controls every VM's monitor sets instead of its own choice.
    std::optional<VmControls> exitControls;
};

class Machine {
public:
    explicit Machine(const MachineConfig& config);
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    const MachineConfig config;
    const Costs costs;  // the CPU refers to these
    PhysicalMemory memory;
    DeviceSet devices;
    // The run's NIC, if it has one: the guest's devices reach it (the machine's
    // own natively, a VM's virtual ones under a monitor). Null: no network.
    EmulatedNic* nic = nullptr;
    EventLog events;
    Cpu cpu;

    // Loads the guest by the boot protocol (guest.h) into physical memory from
    // `base` on, at most `limit` bytes (a VM's partition; all of memory natively),
    // and resets the CPU at the kernel's entry. `placements[i]` is the container
    // program i starts in and that container's CPU weight (missing ones: a host
    // process, container 0, weight 100). Throws InputError if it does not fit,
    // for more placements than programs, for a weight outside 1..10000, or for
    // two programs giving one container different weights.
    void boot(const GuestImages& guest, uint32_t base = 0, uint32_t limit = 0,
              std::span<const ProgramPlacement> placements = {});

    // The guest (VM or container) the CPU is running for: every event is stamped with it.
    uint16_t currentGuest = 0;
    // Puts the CPU to work for another guest. The cycles the running
    // category has used so far are settled first, so an observer of the
    // account (a timeline) gives them to the guest that used them.
    void switchGuest(uint16_t guest) {
        cpu.account.settleRunning();
        currentGuest = guest;
    }

    // Records an event that came from the CPU, translating its kind.
    void recordCpuEvent(const CpuEvent& e);
    // Records an event a monitor caused, stamped with the current cycle,
    // with the receipt of how the monitor handled it.
    void record(EventKind kind, int8_t ringBefore, int8_t ringAfter, uint32_t pc, const Receipt& receipt,
                uint32_t detail = 0, uint32_t extra = 0, uint32_t cost = 0, uint8_t vector = 0);
};

EventKind toEventKind(CpuEventKind k);

}  // namespace ringsim
