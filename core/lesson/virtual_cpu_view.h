// The virtual CPU beside the real one: the privileged state the guest kernel
// believes its CPU has (as its monitor keeps it) and the real CPU's, row by
// row, each difference with what it means. The lesson of trap-and-emulate's
// flaw is in these rows: after a popf in ring 1 the kernel believes its
// interrupts are off while the real CPU has them on.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "monitors/virtual_cpu_state.h"
#include "run/session.h"

namespace ringsim {

struct VirtualCpuRow {
    std::string_view name;  // "IF", "ring (CPL)", ...
    std::string guest, real;  // the values as shown
    bool differs = false;
    std::string_view why;  // what the difference means; empty where they agree
};

struct VirtualCpuView {
    std::string absent;  // not empty: there is no virtual CPU, and this says why (one line)
    std::string whose;   // which VM's, where several share the CPU ("vm 2 of 3"); else empty
    bool heldByHardware = false;
    std::vector<VirtualCpuRow> rows;
    std::string note;  // one line under the table, where there is something to say
    bool anyDifference() const;
};

// The rows for the guest's state beside the real one, and the note under them.
VirtualCpuView compareVirtualCpu(const VirtualCpuState& guest, const VirtualCpuState& real);
// The virtual CPU of the VM on the CPU now, beside the real CPU.
VirtualCpuView virtualCpuView(Session& session);

}  // namespace ringsim
