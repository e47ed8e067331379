// The hypercall interface a paravirtual guest kernel uses (`hcall N`, arguments
// in r1..r4, result in r0), modelled on Xen's. One table: the monitor, the
// GUI's hypercall inspector and docs read it; scenarios/guests/include/
// hypercalls.inc gives the guest the same numbers (a test checks they agree).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ringsim {

// The most one call may ask for: a batch hypercall keeps the CPU for its
// whole batch, so the monitor refuses (-1) larger ones rather than let one VM
// hold the CPU indefinitely (Xen splits such work with continuations instead).
constexpr uint32_t kMaxMmuUpdatesPerCall = 1024;
constexpr uint32_t kMaxConsoleBytesPerCall = 64 * 1024;

enum class HypercallNumber : uint32_t {
    SetTrapTable = 0,     // r1 = guest-physical address of the trap table
    SetPageTableBase = 1, // r1 = guest-physical page directory | 1 (0 = paging off)
    MmuUpdate = 2,        // r1 = virtual address of (pte guest-physical address, value) pairs, r2 = count
                          // (at most kMaxMmuUpdatesPerCall)
    IrqEnable = 3,        // virtual interrupts on (delivers a pending one)
    IrqDisable = 4,       // virtual interrupts off
    IrqSave = 5,          // r0 = 1 if virtual interrupts were on; then off (replaces pushf; cli)
    IrqRestore = 6,       // r1 = value from IrqSave (replaces popf)
    ConsoleWrite = 7,     // r1 = virtual address, r2 = length, r3 = console stream (0 = the host's):
                          // the whole buffer in one call (at most kMaxConsoleBytesPerCall)
    BlockIo = 8,          // r1 = 1 read / 2 write, r2 = first sector, r3 = guest-physical buffer, r4 = sectors;
                          // r0 = sectors moved, or -1 if any failed (or more than the disk has)
    Yield = 9,            // give up the CPU until the next virtual interrupt (replaces sti; hlt)
    Halt = 10,            // the guest is done (replaces cli; hlt)
    SetTimer = 11,        // r1 = timer period (replaces stimer)
    SetKernelStack = 12,  // r1 = kernel stack pointer (replaces lksp)
    Iret = 13,            // return from a trap or syscall frame on the kernel stack (replaces iret / sysret)
    FlushTlb = 14,        // r1 = virtual address to drop, or 0xFFFFFFFF for all (replaces invlpg / tlbflush)
    ReadClock = 15,       // r0 = cycle counter low, r1 = high (replaces the clock ports)
    ReadFault = 16,       // r0 = fault address, r1 = fault cause (replaces rdcr fault / cause)
};

struct HypercallInfo {
    HypercallNumber number;
    std::string_view name;       // as in hypercalls.inc without the HC_ prefix, lower case
    std::string_view arguments;
    std::string_view replaces;   // the native instruction(s) it stands in for
    std::string_view summary;
};

std::span<const HypercallInfo> hypercallTable();
// The entry for a number or a name; null if there is none.
const HypercallInfo* hypercallByNumber(uint32_t number);
const HypercallInfo* hypercallByName(std::string_view name);

}  // namespace ringsim
