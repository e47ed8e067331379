// The receipts the CPU writes for the events it handles itself.
#include "cpu.h"

namespace ringsim {

Receipt Cpu::returnReceipt(int8_t ringBefore, uint32_t Costs::*cost) const {
    Receipt r(Mechanism::ReturnByKernel);
    r.via(ringBefore, actorAt(ringBefore)).via(ring(), actorAt(ring()));
    return r.in(cost, costs_.*cost);
}

Receipt Cpu::directDeviceReceipt() const {
    // The device's own time is charged by whoever serves the port, as device cycles.
    Receipt r(Mechanism::DirectDevice);
    r.via(ring(), actorAt(ring()));
    return r.apart(&Costs::ioPort, costs_.ioPort);
}

Receipt Cpu::silentReceipt(uint8_t opcode) const {
    Receipt r(Mechanism::SilentlyExecuted);
    r.via(ring(), actorAt(ring()));
    return r.instructionApart(opcode, costs_.instruction[opcode]);
}

Receipt Cpu::walkReceipt() const {
    // With nested paging in a VM each guest table is itself found through the monitor's tables.
    const bool nested = config.nestedPaging && state.nonRoot;
    Receipt r(nested ? Mechanism::NestedPageWalk : Mechanism::PageWalk);
    r.via(ring(), actorAt(ring()));
    r.apart(&Costs::pageWalkRef, costs_.pageWalkRef, walkRefs_);
    if (softwareMachine_) r.apart(&Costs::emuTlbFill, costs_.emuTlbFill);
    return r;
}

}  // namespace ringsim
