// Receipts the monitors write where they charge their work: the helpers
// more than one monitor needs. (The CPU writes its own: cpu-model.)
#pragma once

#include "cpu-model/receipt.h"
#include "monitors/modes.h"

namespace ringsim {

// The ring the monitor runs in: root mode (-1) with hardware assistance, else ring 0.
int monitorRing(Mode mode);

// The guest in `guestRing` reached the monitor for `m`, which ran in
// `monitorRing` and gave control back to the same ring.
Receipt roundTrip(Mechanism m, int guestRing, int monitorRing);

// The monitor emulated a port access on a virtual device. `inEvent`: the
// event's cost is the emulation (else the access was the CPU's event and
// the emulation is charged apart, as monitor cycles). `hostRequest`: the
// access to `port` finished a request the backend carries to the physical
// device (its time charged apart, as device cycles;
// DeviceSet::finishesHostRequest).
Receipt emulatedDeviceReceipt(const Costs& costs, int guestRing, int monitorRing, bool inEvent, bool hostRequest,
                              uint32_t port);
// The physical device time a backend pays for a finished request on `port`.
Receipt& addHostRequest(Receipt& r, const Costs& costs, uint32_t port);

}  // namespace ringsim
