#include "monitors/guest_memory.h"

#include "machine/machine.h"

namespace ringsim {

namespace {
uint32_t partitionLimit(const PhysicalMemory& memory, const Partition& p) {
    return p.limit ? p.limit : uint32_t(memory.size() - p.base);
}
}  // namespace

void GuestMemory::backLazily(Machine& machine, const Partition& partition) {
    PhysicalMemory& memory = machine.memory;
    const uint32_t limit = partitionLimit(memory, partition);
    const uint32_t info = machine.cpu.state.r[1];
    const uint32_t firstFree = memory.read32(partition.base + info + bootinfo::kFirstFreeOffset);
    for (uint32_t at = firstFree & ~(isa::kPageSize - 1); at < limit; at += isa::kPageSize)
        memory.setBacked((partition.base + at) >> isa::kPageShift, false);
}

bool GuestMemory::back(PhysicalMemory& memory, const Partition& partition, uint32_t guestFrame) {
    const uint32_t frame = (partition.base >> isa::kPageShift) + guestFrame;
    if (!(memory.pageFlags(frame) & page_flag::Unbacked)) return false;
    memory.setBacked(frame, true);
    return true;
}

uint64_t GuestMemory::framesHeld(const PhysicalMemory& memory, const Partition& partition) {
    const uint32_t limit = partitionLimit(memory, partition);
    return memory.framesBacked(partition.base, limit);
}

uint64_t GuestMemory::monitorPages(uint32_t partitionBytes, bool nestedPaging) {
    uint64_t pages = kControlBlockPages + kIoBitmapPages + kMsrBitmapPages;
    if (nestedPaging) {
        // Two levels, as the guest's own tables: a directory, and one table per 4 MiB of guest-physical memory.
        constexpr uint64_t kTableSpan = uint64_t(isa::kPageSize / 4) * isa::kPageSize;
        pages += 1 + (uint64_t(partitionBytes) + kTableSpan - 1) / kTableSpan;
    }
    return pages;
}

}  // namespace ringsim
