// Tenant isolation at the switch, as a property: whatever a tenant's port
// sends — spoofed source MACs, other tenants' VLAN tags, double tags,
// broadcast storms, random bytes — nothing of it reaches a port of another
// VLAN, nor moves another tenant's MAC table entry; and a flooding port
// cannot starve a well-behaved one of the switch (fair share).
#include <catch2/catch.hpp>
#include <algorithm>
#include <random>

#include "network/virtual_switch.h"

using namespace ringsim::network;

namespace {

// Every frame the attacker sends ends with these bytes, so its frames are recognised wherever they arrive.
const Bytes kMark{'A', 'T', 'T', 'A', 'C', 'K', 'E', 'R'};

bool carriesMark(const Bytes& frame) {
    return std::search(frame.begin(), frame.end(), kMark.begin(), kMark.end()) != frame.end();
}

const MacAddress kAttacker = MacAddress::local(0x0a01);
const MacAddress kNeighbour = MacAddress::local(0x0a02);  // the attacker's own VLAN
const MacAddress kVictim = MacAddress::local(0x1401);     // the other tenant
const MacAddress kVictim2 = MacAddress::local(0x1402);
const MacAddress kPeer = MacAddress::local(0x0001);

// One hostile frame: a mix of the attacks the issue names, then the mark.
Bytes hostileFrame(std::mt19937& random) {
    const MacAddress targets[] = {kVictim, kVictim2, kPeer, kNeighbour, MacAddress::broadcast()};
    const MacAddress sources[] = {kAttacker, kVictim, kVictim2, kPeer, MacAddress::local(random())};
    const MacAddress destination = targets[random() % 5];
    const MacAddress source = random() % 2 ? kAttacker : sources[random() % 5];
    Bytes frame;
    switch (random() % 6) {
    case 0:  // plain (maybe spoofed), any destination
        frame = buildEthernetFrame({destination, source, std::nullopt}, EtherType::Ipv4, Bytes(random() % 80));
        break;
    case 1:  // the victim's VLAN tag, or any tag
        frame = buildEthernetFrame({destination, source, random() % 2 ? 20 : uint16_t(1 + random() % 4094)},
                                   EtherType::Ipv4, Bytes(random() % 80));
        break;
    case 2: {  // double tag: outer own-looking VLAN 10, inner the victim's 20 (or 802.1ad outer)
        frame = buildEthernetFrame({destination, source, 10}, EtherType::Ipv4, Bytes(46));
        const Bytes inner{0x81, 0x00, 0x00, 20};
        frame.insert(frame.begin() + 16, inner.begin(), inner.end());
        if (random() % 2) frame[12] = 0x88, frame[13] = 0xa8;
        break;
    }
    case 3:  // a broadcast storm from its own, valid address
        frame = buildEthernetFrame({MacAddress::broadcast(), kAttacker, std::nullopt}, EtherType::Arp, Bytes(28));
        break;
    case 4:  // random bytes
        frame.resize(random() % 100);
        for (auto& b : frame) b = uint8_t(random());
        break;
    default:  // a valid unicast to someone in another VLAN
        frame = buildEthernetFrame({kVictim, kAttacker, std::nullopt}, EtherType::Ipv4, Bytes(46));
        break;
    }
    frame.insert(frame.end(), kMark.begin(), kMark.end());
    return frame;
}

}  // namespace

TEST_CASE("random frames from one tenant never reach another VLAN, and it cannot starve the others",
          "[network][isolation]") {
    const auto seed = GENERATE(1u, 2u, 3u, 2026u);
    INFO("seed " << seed);
    std::mt19937 random(seed);

    VirtualSwitch fabric{SwitchConfig{1'000'000, 64}};
    const PortId attacker = fabric.addPort({"attacker", PortMode::Access, 10, {}, kAttacker, 16});
    const PortId neighbour = fabric.addPort({"neighbour", PortMode::Access, 10, {}, kNeighbour, 16});
    const PortId victim = fabric.addPort({"victim", PortMode::Access, 20, {}, kVictim, 16});
    const PortId victim2 = fabric.addPort({"victim2", PortMode::Access, 20, {}, kVictim2, 16});
    const PortId uplink = fabric.addPort({"uplink", PortMode::Trunk, 0, {10, 20}, std::nullopt, 16});

    constexpr int kTicks = 2000;
    constexpr size_t kCapacity = 4;  // frames the switch forwards per tick: less than the storm offers
    uint64_t victimSent = 0;
    uint64_t victimDelivered = 0;
    uint64_t neighbourSent = 0;
    uint64_t neighbourDelivered = 0;
    for (int tick = 0; tick < kTicks; ++tick) {
        for (int n = 0; n < 20; ++n) fabric.receive(attacker, hostileFrame(random));
        // The well-behaved: the victim talks to the peer, the attacker's neighbour to the peer too.
        victimSent += fabric.receive(victim, buildEthernetFrame({kPeer, kVictim, std::nullopt}, EtherType::Ipv4, Bytes(46)));
        if (tick % 2 == 0)
            neighbourSent +=
                fabric.receive(neighbour, buildEthernetFrame({kPeer, kNeighbour, std::nullopt}, EtherType::Ipv4, Bytes(46)));
        // The peer answers the victim now and then, so the switch learns where the victim is.
        if (tick % 10 == 0) fabric.receive(uplink, buildEthernetFrame({kVictim, kPeer, 20}, EtherType::Ipv4, Bytes(46)));
        fabric.forward(uint64_t(tick) * 1000, kCapacity);

        for (PortId port : {victim, victim2}) {
            for (const Bytes& frame : fabric.takeOutput(port)) {
                INFO("port " << fabric.port(port).name << " received an attacker's frame");
                REQUIRE_FALSE(carriesMark(frame));
                REQUIRE_FALSE(parseEthernet(frame).frame.vlan);  // access ports are untagged on the wire
            }
        }
        for (const Bytes& frame : fabric.takeOutput(uplink)) {
            const ParsedEthernet parsed = parseEthernet(frame);
            REQUIRE(parsed);
            if (carriesMark(frame)) {
                // What the attacker may send leaves in its own VLAN, under its own address.
                REQUIRE(parsed.frame.vlan == std::optional<uint16_t>(10));
                REQUIRE(parsed.frame.source == kAttacker);
            }
            if (parsed.frame.source == kVictim) ++victimDelivered;
            if (parsed.frame.source == kNeighbour) ++neighbourDelivered;
        }
        fabric.takeOutput(attacker);
        fabric.takeOutput(neighbour);
    }
    // The victim's entry still points at the victim's port: spoofing did not move it.
    const auto& table = fabric.macTable().entries();
    REQUIRE(table.count({20, kVictim}) == 1);
    CHECK(table.at({20, kVictim}).port == victim);
    for (const auto& [key, entry] : table)
        if (entry.port == attacker) CHECK(key == MacTable::Key{10, kAttacker});

    // Every attack kind was tried and dropped for its reason; the storm overflowed only its own queue.
    const PortCounters& hostile = fabric.counters(attacker);
    for (DropReason reason : {DropReason::Malformed, DropReason::SpoofedSource, DropReason::ForeignVlan,
                              DropReason::DoubleTag, DropReason::QueueFull})
        CHECK(hostile.drops[size_t(reason)] > 0);
    CHECK(fabric.counters(victim).dropped() == 0);
    CHECK(fabric.counters(neighbour).dropped() == 0);

    // Fair share: at 4 frames per tick among at most 4 busy ports, each well-behaved port gets its
    // frames through (all but what is still queued at the end).
    INFO("victim " << victimDelivered << "/" << victimSent << ", neighbour " << neighbourDelivered << "/"
                   << neighbourSent);
    CHECK(victimSent == kTicks);
    CHECK(victimDelivered + 1 >= victimSent);
    CHECK(neighbourDelivered + 1 >= neighbourSent);
}

TEST_CASE("a storm queued first does not delay the other port: the switch alternates between them",
          "[network][isolation]") {
    VirtualSwitch fabric{SwitchConfig{}};
    const PortId attacker = fabric.addPort({"attacker", PortMode::Access, 10, {}, kAttacker, 1000});
    const PortId victim = fabric.addPort({"victim", PortMode::Access, 20, {}, kVictim, 1000});
    fabric.addPort({"uplink", PortMode::Trunk, 0, {10, 20}, std::nullopt, 1000});
    // 900 storm frames are queued before the victim's 100: a first-come switch would serve the victim last.
    for (int n = 0; n < 900; ++n)
        fabric.receive(attacker, buildEthernetFrame({MacAddress::broadcast(), kAttacker, std::nullopt}, EtherType::Arp,
                                                    Bytes(28)));
    for (int n = 0; n < 100; ++n)
        fabric.receive(victim, buildEthernetFrame({kPeer, kVictim, std::nullopt}, EtherType::Ipv4, Bytes(46)));
    fabric.forward(0, 200);
    CHECK(fabric.counters(victim).rxPackets == 100);
    size_t victimOut = 0;
    for (const Bytes& frame : fabric.takeOutput(2))
        if (parseEthernet(frame).frame.source == kVictim) ++victimOut;
    CHECK(victimOut == 100);  // half of the 200 forwarded
}
