#include "machine/hypercalls.h"

namespace ringsim {
namespace {
using H = HypercallNumber;
constexpr HypercallInfo kTable[] = {
    {H::SetTrapTable, "set_trap_table", "r1 = trap table (guest-physical) -> r0 = 0", "ltt", "register the guest kernel's trap handlers with the monitor"},
    {H::SetPageTableBase, "set_page_table_base", "r1 = page directory | 1 -> r0 = 0", "lptb", "switch address spaces; the monitor validates and installs the tables"},
    {H::MmuUpdate, "mmu_update", "r1 = list of (pte address, value), r2 = count -> r0 = entries written, or -1", "st to page tables", "a batch of page-table writes, validated and applied in one call"},
    {H::IrqEnable, "irq_enable", "", "sti", "turn virtual interrupts on"},
    {H::IrqDisable, "irq_disable", "", "cli", "turn virtual interrupts off"},
    {H::IrqSave, "irq_save", "-> r0 = previous state", "pushf; cli", "save the virtual interrupt flag and turn interrupts off"},
    {H::IrqRestore, "irq_restore", "r1 = saved state", "popf", "restore the virtual interrupt flag"},
    {H::ConsoleWrite, "console_write", "r1 = buffer, r2 = length, r3 = stream -> r0 = bytes written, or -1", "out per byte", "write a whole buffer to the virtual console, in one of its streams"},
    {H::BlockIo, "block_io", "r1 = op, r2 = sector, r3 = buffer, r4 = sectors -> r0 = sectors or -1", "port I/O per sector", "move sectors between the virtual disk and memory in one call"},
    {H::Yield, "yield", "", "sti; hlt", "give the CPU back until the next virtual interrupt"},
    {H::Halt, "halt", "", "cli; hlt", "the guest is finished"},
    {H::SetTimer, "set_timer", "r1 = period", "stimer", "program the virtual timer"},
    {H::SetKernelStack, "set_kernel_stack", "r1 = stack pointer", "lksp", "the stack the monitor uses when it delivers a trap to the guest kernel"},
    {H::Iret, "iret", "", "iret / sysret", "return from a trap frame on the kernel stack, delivering a waiting tick (without one a plain iret does)"},
    {H::FlushTlb, "flush_tlb", "r1 = address or 0xFFFFFFFF", "invlpg / tlbflush", "drop stale translations"},
    {H::ReadClock, "read_clock", "-> r0 = low, r1 = high", "in from the clock ports", "read the cycle counter"},
    {H::ReadFault, "read_fault", "-> r0 = address, r1 = cause", "rdcr fault / rdcr cause", "where and why the last page fault happened"},
};
}  // namespace

std::span<const HypercallInfo> hypercallTable() { return kTable; }

const HypercallInfo* hypercallByNumber(uint32_t number) {
    for (const auto& h : kTable)
        if (uint32_t(h.number) == number) return &h;
    return nullptr;
}

const HypercallInfo* hypercallByName(std::string_view name) {
    for (const auto& h : kTable)
        if (h.name == name) return &h;
    return nullptr;
}

}  // namespace ringsim
