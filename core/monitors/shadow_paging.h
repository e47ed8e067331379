// Memory virtualisation without nested paging: the monitor keeps shadow page
// tables that map the guest's virtual addresses straight to host memory. To
// keep them right it must see every change to the guest's page tables, so it
// write-protects ("watches") the pages holding the active tables, and it
// rebuilds its view whenever the guest loads a new page-table base.
//
// (The simulated MMU walks the guest's tables and adds the VM's partition
// offset, which gives the same translation a shadow table would; what the
// monitor pays to keep shadows is charged where the intercepts happen.)
#pragma once

#include <cstdint>
#include <set>

#include "cpu-model/cpu.h"

namespace ringsim {

class ShadowPageTables {
public:
    // The guest loaded `ptb` (guest-physical directory | 1): watch its tables.
    void track(Cpu& cpu, uint32_t ptb);
    // The guest wrote to a watched page; true if it was its page directory
    // (then the set of watched tables is refreshed).
    bool written(Cpu& cpu, uint32_t guestPhysical);
    bool isTablePage(const Cpu& cpu, uint32_t guestPhysical) const;
    void clear(Cpu& cpu);
    // The guest runs with paging on and its tables are shadowed.
    bool active() const { return (ptb_ & 1) != 0; }

private:
    uint32_t ptb_ = 0;
    std::set<uint32_t> watched_;  // host frames
};

}  // namespace ringsim
