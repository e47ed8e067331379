// libFuzzer target for the frame parser and the virtual switch: the bytes are
// a frame as a guest's NIC would put it on the wire. The parser must answer
// with headers or a FrameError; a frame it accepts must build back to a frame
// it decodes the same way; and the switch, given the frame on an access port
// of VLAN 10 and (tagged) on a trunk, must not let it out of its VLAN. How to
// build and run it: fuzz/README.md.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "network/frame_parser.h"
#include "network/virtual_switch.h"

using namespace ringsim::network;

namespace {

// The frame rebuilt from what decodeFrame read: the same headers must come back.
void checkRebuild(const DecodedFrame& decoded) {
    const EthernetView& eth = decoded.ethernet;
    const EthernetAddressing addressing{eth.destination, eth.source, eth.vlan};
    Bytes rebuilt;
    if (decoded.arp) {
        rebuilt = arpFrame(addressing, *decoded.arp);
    } else if (decoded.icmp) {
        rebuilt = icmpEchoFrame(addressing, decoded.ipv4->endpoints, *decoded.icmp);
    } else if (decoded.udp) {
        rebuilt = udpFrame(addressing, decoded.ipv4->endpoints, decoded.udp->ports, decoded.udp->data);
    } else {
        ringsim::fuzz::finding("a frame decoded with no protocol");
    }
    const DecodedFrame again = decodeFrame(rebuilt);
    ringsim::fuzz::check(bool(again), "a rebuilt frame does not decode", std::string(frameErrorName(again.error)).c_str());
    ringsim::fuzz::check(again.ethernet.source == eth.source && again.ethernet.destination == eth.destination &&
                             again.ethernet.vlan == eth.vlan,
                         "a rebuilt frame has other Ethernet addresses or tag");
    if (decoded.udp)
        ringsim::fuzz::check(again.udp && again.udp->ports.source == decoded.udp->ports.source &&
                                 again.udp->ports.destination == decoded.udp->ports.destination &&
                                 std::equal(again.udp->data.begin(), again.udp->data.end(), decoded.udp->data.begin(),
                                            decoded.udp->data.end()),
                             "a rebuilt UDP datagram differs");
    if (decoded.icmp)
        ringsim::fuzz::check(again.icmp && again.icmp->data == decoded.icmp->data &&
                                 again.icmp->sequence == decoded.icmp->sequence,
                             "a rebuilt ICMP echo differs");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ByteView frame(data, size);
    const DecodedFrame decoded = decodeFrame(frame);
    if (decoded) checkRebuild(decoded);

    // The same bytes into a switch with a port in VLAN 20 that must hear nothing of VLAN 10.
    VirtualSwitch fabric{SwitchConfig{1000, 16}};
    const PortId tenant = fabric.addPort({"tenant", PortMode::Access, 10, {}, std::nullopt, 4});
    const PortId other = fabric.addPort({"other", PortMode::Access, 20, {}, std::nullopt, 4});
    const PortId uplink = fabric.addPort({"uplink", PortMode::Trunk, 0, {10}, std::nullopt, 4});
    fabric.receive(tenant, Bytes(frame.begin(), frame.end()));
    fabric.receive(uplink, Bytes(frame.begin(), frame.end()));
    fabric.forward(1, 16);
    ringsim::fuzz::check(fabric.idle(), "the switch kept a frame after forwarding its whole budget");
    ringsim::fuzz::check(fabric.takeOutput(other).empty(), "a frame of VLAN 10 reached a port of VLAN 20");
    for (const Bytes& out : fabric.takeOutput(uplink)) {
        const ParsedEthernet parsed = parseEthernet(out);
        ringsim::fuzz::check(parsed && parsed.frame.vlan == std::optional<uint16_t>(10),
                             "the trunk sent a frame outside VLAN 10");
    }
    for (const Bytes& out : fabric.takeOutput(tenant))
        ringsim::fuzz::check(parseEthernet(out) && !parseEthernet(out).frame.vlan, "an access port sent a tagged frame");
    return 0;
}
