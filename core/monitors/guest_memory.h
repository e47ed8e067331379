// A VM's memory as a hypervisor holds it. The monitor backs the VM's
// guest-physical frames lazily, as KVM does with the anonymous memory behind
// a VM: a frame gets a host frame on its first touch, when the access finds
// no mapping in the monitor's tables (under VT-x, an EPT violation), and the
// monitor allocates a host frame, zeroes it and maps it. The frames the
// monitor filled itself at start (the loaded kernel, programs and boot
// information) are backed from the start. A monitor that cannot hear of
// first touches (the exit switched off) backs the whole partition up front.
//
// What the VM costs the host in memory is its backed frames plus the
// monitor's own structures for it: the control block (a VMCS), the I/O and
// MSR bitmaps the exit controls point at, and, with nested paging, the
// tables that map guest-physical to host-physical frames.
#pragma once

#include <cstdint>

#include "monitors/monitor.h"

namespace ringsim {

struct GuestMemory {
    // Marks the partition's frames unbacked, except those below the first
    // free address the loader left (read from the boot information in r1).
    static void backLazily(Machine& machine, const Partition& partition);
    // Backs one guest frame (its first touch); true if it was unbacked.
    static bool back(PhysicalMemory& memory, const Partition& partition, uint32_t guestFrame);
    // Frames the VM holds: the backed ones (all of the partition unless backed lazily).
    static uint64_t framesHeld(const PhysicalMemory& memory, const Partition& partition);
    // Pages of the monitor's own structures for one VM (see the top).
    static uint64_t monitorPages(uint32_t partitionBytes, bool nestedPaging);

    // The structures, page by page, for the docs and the tests.
    static constexpr uint64_t kControlBlockPages = 1;  // VMCS region: at most 4 KiB (Intel SDM 24.2)
    static constexpr uint64_t kIoBitmapPages = 2;      // I/O bitmaps A and B, 4 KiB each (SDM 24.6.4)
    static constexpr uint64_t kMsrBitmapPages = 1;     // MSR bitmap, 4 KiB (SDM 24.6.9)
};

}  // namespace ringsim
