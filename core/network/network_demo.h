// The fixed scenario `ringsim net demo` runs, with no guests: two tenants on
// VLANs 10 and 20 and an outside peer on the trunk uplink. Each tenant resolves the
// peer with ARP, pings it and uses its UDP echo; tenant A's second host pings
// the first; the peer streams datagrams to tenant A; then tenant B tries to
// reach VLAN 10 (a spoofed source, a foreign tag, a double tag) and is dropped.
#pragma once

#include "network/lan.h"

namespace ringsim::network {

struct DemoPorts {
    PortId uplink = 0;
    PortId tenantA = 0;
    PortId tenantA2 = 0;
    PortId tenantB = 0;
};

inline constexpr uint16_t kDemoVlanA = 10;
inline constexpr uint16_t kDemoVlanB = 20;
inline constexpr uint16_t kDemoEchoPort = 7;       // the peer's UDP echo (the old echo service's port)
inline constexpr uint16_t kDemoStreamPort = 9000;  // where the peer's stream goes

// The switch and hosts, before any traffic (so a capture can name the ports first).
DemoPorts buildDemoLan(Lan& lan);
// Runs the traffic; every figure of it is fixed.
void runDemoTraffic(Lan& lan, const DemoPorts& ports);

}  // namespace ringsim::network
