// Memory virtualisation without nested paging: the monitor keeps shadow page
// tables that map the guest's virtual addresses straight to host memory. To
// keep them right it must see every change to the guest's page tables, so it
// write-protects ("watches") the pages holding the tables it shadows.
//
// Shadows are filled lazily, as VMware's and first-generation VT-x monitors
// did: a new address space starts with an empty shadow, and the first use of
// each page in it faults into the monitor, which copies the guest's entry
// (a hidden fault: the guest never sees it). The shadows of a few recent
// address spaces are kept, so switching back to one costs no refill; a
// traced write to a guest entry drops the shadow entry made from it.
//
// (The simulated MMU walks the guest's tables and adds the VM's partition
// offset, which gives the same translation a shadow table would; this class
// keeps which shadow entries exist, so the monitor knows what to charge.)
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "cpu-model/cpu.h"

namespace ringsim {

class ShadowPageTables {
public:
    // Address spaces whose shadows are kept (the active one included).
    static constexpr size_t kCachedAddressSpaces = 4;

    // The guest loaded `ptb` (guest-physical directory | 1): its shadow
    // becomes the active one (kept from before if cached), its tables watched.
    void track(Cpu& cpu, uint32_t ptb);
    // The guest wrote to a watched page: shadow entries made from what it
    // changed are dropped. A cached address space whose directory is written
    // while it is not active is dropped whole (the guest is tearing it down
    // or reusing its frame).
    void written(Cpu& cpu, uint32_t guestPhysical);
    bool isTablePage(const Cpu& cpu, uint32_t guestPhysical) const;
    // The guest runs with paging on and its tables are shadowed.
    bool active() const { return (ptb_ & 1) != 0; }
    // A TLB miss found the guest's entry at `pteAddress` for `address`. True
    // if the active shadow lacked it (a hidden fault); it is filled now.
    bool fill(uint32_t address, uint32_t pteAddress);

private:
    struct AddressSpace {
        uint32_t directory = 0;               // guest-physical
        std::set<uint32_t> tablePages;        // guest-physical pages: the directory and its tables
        std::map<uint32_t, uint32_t> filled;  // virtual page -> the guest entry it was filled from
    };
    // Re-reads the directory's present entries: the pages to watch.
    void walkTables(Cpu& cpu, AddressSpace& space);
    void watch(Cpu& cpu, uint32_t guestPage, bool on);
    void drop(Cpu& cpu, size_t index);

    uint32_t ptb_ = 0;
    std::vector<AddressSpace> cached_;       // most recently loaded first
    std::map<uint32_t, uint32_t> watchers_;  // host frame -> cached address spaces watching it
};

}  // namespace ringsim
