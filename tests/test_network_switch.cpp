// The virtual switch as a lecture describes a learning switch: it floods
// what it does not know, learns where sources live and forgets them when
// they age, keeps VLANs apart (untagged on access ports, tagged on a
// trunk), drops and counts what a port may not send, and serves its ports
// in turn.
#include <catch2/catch.hpp>

#include "network/virtual_switch.h"

using namespace ringsim::network;

namespace {

const MacAddress kMacA = MacAddress::local(0xa);
const MacAddress kMacB = MacAddress::local(0xb);
const MacAddress kMacC = MacAddress::local(0xc);
const MacAddress kMacPeer = MacAddress::local(0x1);

Bytes frameFrom(MacAddress source, MacAddress destination, std::optional<uint16_t> vlan = {}) {
    return buildEthernetFrame({destination, source, vlan}, EtherType::Ipv4, Bytes(46, 0x55));
}

// Ports: 0 a (VLAN 10), 1 b (VLAN 10), 2 c (VLAN 20), 3 uplink trunk (10, 20).
struct Fixture {
    VirtualSwitch fabric{SwitchConfig{1000, 64}};
    PortId a = fabric.addPort({"a", PortMode::Access, 10, {}, kMacA, 4});
    PortId b = fabric.addPort({"b", PortMode::Access, 10, {}, kMacB, 4});
    PortId c = fabric.addPort({"c", PortMode::Access, 20, {}, kMacC, 4});
    PortId uplink = fabric.addPort({"uplink", PortMode::Trunk, 0, {10, 20}, std::nullopt, 4});

    std::vector<size_t> deliveredCounts() {
        std::vector<size_t> counts;
        for (PortId p = 0; p < fabric.portCount(); ++p) counts.push_back(fabric.takeOutput(p).size());
        return counts;
    }
    std::vector<size_t> sendAndForward(PortId port, Bytes frame, uint64_t cycle) {
        fabric.receive(port, std::move(frame));
        fabric.forward(cycle, 100);
        return deliveredCounts();
    }
};

}  // namespace

TEST_CASE("a learning switch floods the unknown within the VLAN, then sends to the learned port only",
          "[network][switch]") {
    Fixture f;
    // b is unknown: flooded to the other VLAN 10 ports (b and the uplink), not to c on VLAN 20.
    CHECK(f.sendAndForward(f.a, frameFrom(kMacA, kMacB), 1) == std::vector<size_t>{0, 1, 0, 1});
    // b answers a, whom the switch has learned: a only.
    CHECK(f.sendAndForward(f.b, frameFrom(kMacB, kMacA), 2) == std::vector<size_t>{1, 0, 0, 0});
    // Now both are known.
    CHECK(f.sendAndForward(f.a, frameFrom(kMacA, kMacB), 3) == std::vector<size_t>{0, 1, 0, 0});
    CHECK(f.fabric.macTable().entries().size() == 2);
    // Broadcast: every other port of the VLAN.
    CHECK(f.sendAndForward(f.a, frameFrom(kMacA, MacAddress::broadcast()), 4) == std::vector<size_t>{0, 1, 0, 1});
}

TEST_CASE("a MAC table entry ages out and the destination is flooded again", "[network][switch]") {
    Fixture f;  // entries live 1000 cycles
    f.sendAndForward(f.b, frameFrom(kMacB, kMacA), 0);
    CHECK(f.sendAndForward(f.a, frameFrom(kMacA, kMacB), 1000) == std::vector<size_t>{0, 1, 0, 0});
    // a's frame refreshed a, not b: b was last seen at 0.
    CHECK(f.sendAndForward(f.a, frameFrom(kMacA, kMacB), 1001) == std::vector<size_t>{0, 1, 0, 1});
    CHECK(f.fabric.macTable().entries().count({10, kMacB}) == 0);
}

TEST_CASE("access ports are untagged on the wire, the trunk carries the VLAN's tag", "[network][switch]") {
    Fixture f;
    f.fabric.receive(f.c, frameFrom(kMacC, kMacPeer));
    f.fabric.forward(1, 10);
    const auto up = f.fabric.takeOutput(f.uplink);
    REQUIRE(up.size() == 1);
    CHECK(parseEthernet(up[0]).frame.vlan == std::optional<uint16_t>(20));
    // The peer answers in VLAN 20: it reaches c untagged, and nobody on VLAN 10.
    f.fabric.receive(f.uplink, frameFrom(kMacPeer, kMacC, 20));
    f.fabric.forward(2, 10);
    const auto toC = f.fabric.takeOutput(f.c);
    REQUIRE(toC.size() == 1);
    CHECK(!parseEthernet(toC[0]).frame.vlan);
    CHECK(f.fabric.takeOutput(f.a).empty());
    CHECK(f.fabric.takeOutput(f.b).empty());
}

TEST_CASE("what a port may not send is dropped and counted by reason", "[network][switch]") {
    Fixture f;
    auto dropsAt = [&](PortId port, Bytes frame) {
        CHECK_FALSE(f.fabric.receive(port, std::move(frame)));
        return f.fabric.counters(port).drops;
    };
    auto reason = [](DropReason r) { return size_t(r); };
    CHECK(dropsAt(f.a, frameFrom(kMacB, kMacC))[reason(DropReason::SpoofedSource)] == 1);        // b's address
    CHECK(dropsAt(f.a, frameFrom(MacAddress::broadcast(), kMacB))[reason(DropReason::SpoofedSource)] == 2);
    CHECK(dropsAt(f.a, frameFrom(kMacA, kMacC, 20))[reason(DropReason::ForeignVlan)] == 1);      // c's VLAN
    Bytes doubleTagged = frameFrom(kMacA, kMacC, 10);
    const Bytes inner{0x81, 0x00, 0x00, 20};
    doubleTagged.insert(doubleTagged.begin() + 16, inner.begin(), inner.end());
    CHECK(dropsAt(f.a, doubleTagged)[reason(DropReason::DoubleTag)] == 1);
    CHECK(dropsAt(f.a, Bytes(10, 0))[reason(DropReason::Malformed)] == 1);
    CHECK(dropsAt(f.uplink, frameFrom(kMacPeer, kMacA))[reason(DropReason::ForeignVlan)] == 1);      // untagged
    CHECK(dropsAt(f.uplink, frameFrom(kMacPeer, kMacA, 30))[reason(DropReason::ForeignVlan)] == 2);  // not allowed
    CHECK(f.fabric.counters(f.a).rxPackets == 5);
    CHECK(f.fabric.counters(f.a).dropped() == 5);
    CHECK(f.fabric.idle());

    // A full input queue drops its own excess (4 frames fit).
    for (int i = 0; i < 4; ++i) CHECK(f.fabric.receive(f.b, frameFrom(kMacB, kMacA)));
    CHECK(dropsAt(f.b, frameFrom(kMacB, kMacA))[reason(DropReason::QueueFull)] == 1);
    CHECK(f.fabric.counters(f.b).rxPackets == 5);
}

TEST_CASE("per-port counters count packets and bytes in and out", "[network][switch]") {
    Fixture f;
    f.fabric.receive(f.a, frameFrom(kMacA, MacAddress::broadcast()));
    f.fabric.forward(1, 10);
    CHECK(f.fabric.counters(f.a).rxPackets == 1);
    CHECK(f.fabric.counters(f.a).rxBytes == 60);
    CHECK(f.fabric.counters(f.b).txPackets == 1);
    CHECK(f.fabric.counters(f.b).txBytes == 60);
    CHECK(f.fabric.counters(f.uplink).txBytes == 64);  // with its 4-byte tag
    CHECK(f.fabric.counters(f.c).txPackets == 0);
}

TEST_CASE("the switch serves its ports in turn: a full queue does not delay another port's frame",
          "[network][switch]") {
    Fixture f;
    for (int i = 0; i < 4; ++i) f.fabric.receive(f.a, frameFrom(kMacA, MacAddress::broadcast()));
    f.fabric.receive(f.c, frameFrom(kMacC, kMacPeer));
    // Two frames of capacity: one from a, then c's.
    CHECK(f.fabric.forward(1, 2) == 2);
    CHECK(f.fabric.counters(f.uplink).txPackets == 2);
    CHECK(f.fabric.takeOutput(f.b).size() == 1);
    CHECK(f.fabric.forward(2, 100) == 3);
    CHECK(f.fabric.idle());
}
