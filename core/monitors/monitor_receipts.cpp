#include "monitors/monitor_receipts.h"

#include "cpu-model/isa.h"

namespace ringsim {

int monitorRing(Mode mode) { return modeInfo(mode).needsHardwareAssist ? -1 : 0; }

Receipt roundTrip(Mechanism m, int guestRing, int monitorRing) {
    Receipt r(m);
    r.via(guestRing, actorAt(guestRing)).via(monitorRing, Actor::Monitor).via(guestRing, actorAt(guestRing));
    return r;
}

Receipt emulatedDeviceReceipt(const Costs& costs, int guestRing, int monitorRing, bool inEvent, bool hostRequest,
                              uint32_t port) {
    Receipt r = roundTrip(Mechanism::EmulatedDevice, guestRing, monitorRing);
    if (inEvent)
        r.in(&Costs::emulatedIo, costs.emulatedIo);
    else
        r.apart(&Costs::emulatedIo, costs.emulatedIo);
    return hostRequest ? addHostRequest(r, costs, port) : r;
}

Receipt& addHostRequest(Receipt& r, const Costs& costs, uint32_t port) {
    r.apart(&Costs::ioPort, costs.ioPort);
    if (port == isa::port::BlockCommand) r.apart(&Costs::blockSector, costs.blockSector);
    return r;
}

}  // namespace ringsim
