#include "network/network_demo.h"

#include <string>

namespace ringsim::network {

namespace {

const Ipv4Address kPeerIp = Ipv4Address::of(10, 0, 0, 1);
const Ipv4Address kHostIp = Ipv4Address::of(10, 0, 0, 2);
const Ipv4Address kSecondHostIp = Ipv4Address::of(10, 0, 0, 3);
// Tenant B could reuse 10.0.0.2 (its network is its own), but Wireshark's duplicate-address
// check ignores VLANs and would warn about the capture.
const Ipv4Address kOtherTenantIp = Ipv4Address::of(10, 0, 0, 4);
constexpr uint64_t kPause = 1'000'000;  // 1 ms between the steps, so a capture's timeline shows them apart

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

// A tenant host's conversation with the peer: ARP, three pings, two UDP echoes.
void talkToPeer(Lan& lan, PortId port, const std::string& who) {
    NetworkHost& host = lan.host(port);
    lan.send(port, host.arpRequest(kPeerIp));
    lan.settle();
    for (uint16_t sequence = 1; sequence <= 3; ++sequence) {
        if (auto frame = host.ping(kPeerIp, sequence)) lan.send(port, std::move(*frame));
        lan.settle();
    }
    for (int n = 1; n <= 2; ++n) {
        const Bytes data = text("hello " + std::to_string(n) + " from " + who);
        if (auto frame = host.udp(kPeerIp, {40000, kDemoEchoPort}, data)) lan.send(port, std::move(*frame));
        lan.settle();
    }
    lan.idleFor(kPause);
}

}  // namespace

DemoPorts buildDemoLan(Lan& lan) {
    DemoPorts ports;
    PortConfig uplink{"uplink", PortMode::Trunk, 0, {kDemoVlanA, kDemoVlanB}, std::nullopt, 64};
    ports.uplink = lan.attach(uplink, HostConfig{"peer", MacAddress::local(1), kPeerIp, kDemoEchoPort});
    auto tenantPort = [&](const std::string& name, uint16_t vlan, uint32_t macNumber, Ipv4Address ip) {
        const MacAddress mac = MacAddress::local(macNumber);
        return lan.attach(PortConfig{name, PortMode::Access, vlan, {}, mac, 64}, HostConfig{name, mac, ip, std::nullopt});
    };
    ports.tenantA = tenantPort("tenant-a", kDemoVlanA, 0x0a02, kHostIp);
    ports.tenantA2 = tenantPort("tenant-a2", kDemoVlanA, 0x0a03, kSecondHostIp);
    ports.tenantB = tenantPort("tenant-b", kDemoVlanB, 0x1402, kOtherTenantIp);
    return ports;
}

void runDemoTraffic(Lan& lan, const DemoPorts& ports) {
    talkToPeer(lan, ports.tenantA, "tenant A");
    talkToPeer(lan, ports.tenantB, "tenant B");

    // Within VLAN 10: the second host finds the first and pings it.
    NetworkHost& second = lan.host(ports.tenantA2);
    lan.send(ports.tenantA2, second.arpRequest(kHostIp));
    lan.settle();
    if (auto frame = second.ping(kHostIp, 1)) lan.send(ports.tenantA2, std::move(*frame));
    lan.settle();
    lan.idleFor(kPause);

    // The peer as a traffic generator: a stream of datagrams into VLAN 10.
    for (Bytes& frame : lan.host(ports.uplink).udpStream(kHostIp, {40001, kDemoStreamPort}, 8, 64, kDemoVlanA))
        lan.send(ports.uplink, std::move(frame));
    lan.settle();
    lan.idleFor(kPause);

    // Tenant B tries to reach VLAN 10: each attempt is dropped at its port.
    const MacAddress victim = lan.host(ports.tenantA).config().mac;
    const MacAddress self = lan.host(ports.tenantB).config().mac;
    const Bytes probe = text("tenant B was here");
    const Ipv4Endpoints ip{kOtherTenantIp, kHostIp, 1, 64};
    lan.send(ports.tenantB, udpFrame({MacAddress::broadcast(), victim, std::nullopt}, ip, {1, 9}, probe));  // spoofed
    lan.send(ports.tenantB, udpFrame({victim, self, kDemoVlanA}, ip, {1, 9}, probe));  // VLAN 10's tag
    Bytes doubleTagged = udpFrame({victim, self, kDemoVlanB}, ip, {1, 9}, probe);
    const Bytes inner{0x81, 0x00, 0x00, uint8_t(kDemoVlanA)};  // a second tag inside the first
    doubleTagged.insert(doubleTagged.begin() + 16, inner.begin(), inner.end());
    lan.send(ports.tenantB, std::move(doubleTagged));
    lan.settle();
}

}  // namespace ringsim::network
