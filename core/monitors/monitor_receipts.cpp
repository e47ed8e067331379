#include "monitors/monitor_receipts.h"

namespace ringsim {

int monitorRing(Mode mode) { return modeInfo(mode).needsHardwareAssist ? -1 : 0; }

Receipt roundTrip(Mechanism m, int guestRing, int monitorRing) {
    Receipt r(m);
    r.via(guestRing, actorAt(guestRing)).via(monitorRing, Actor::Monitor).via(guestRing, actorAt(guestRing));
    return r;
}

Receipt emulatedDeviceReceipt(const Costs& costs, int guestRing, int monitorRing, bool inEvent) {
    Receipt r = roundTrip(Mechanism::EmulatedDevice, guestRing, monitorRing);
    if (inEvent)
        r.in(&Costs::emulatedIo, costs.emulatedIo);
    else
        r.apart(&Costs::emulatedIo, costs.emulatedIo);
    return r.apart(&Costs::ioPort, costs.ioPort);
}

}  // namespace ringsim
