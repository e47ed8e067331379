// Reads frames back: any bytes at all give either the decoded headers or one
// FrameError naming the first thing wrong, never a read past the end. The
// switch reads only the Ethernet header (parseEthernet); hosts and tests
// decode down to ICMP and UDP with every checksum checked (decodeFrame).
#pragma once

#include <optional>
#include <string_view>

#include "network/frame_builder.h"

namespace ringsim::network {

enum class FrameError {
    None,
    TooShort,          // less than an Ethernet header (and a tag, if it says one follows)
    TooLong,           // a payload beyond the 1500-byte MTU
    DoubleTag,         // a second VLAN tag (Q-in-Q): refused, it could hop VLANs
    BadVlanId,         // VLAN 0 (priority only) or 4095 (reserved)
    UnknownEtherType,  // neither IPv4 nor ARP
    BadArp,            // not Ethernet/IPv4 ARP, or a length or operation that is not
    BadIpv4Header,     // version, header length or total length do not fit
    BadIpv4Checksum,
    Ipv4Fragment,       // fragments are not reassembled here
    UnknownIpProtocol,  // neither ICMP nor UDP
    BadIcmp,            // too short, or not an echo request or reply
    BadIcmpChecksum,
    BadUdpLength,
    BadUdpChecksum,
};
std::string_view frameErrorName(FrameError error);  // "bad-udp-checksum"

struct EthernetView {
    MacAddress destination;
    MacAddress source;
    std::optional<uint16_t> vlan;  // the 802.1Q tag's VLAN ID
    EtherType type{};              // what the payload is (after any tag)
    ByteView payload;              // may include the padding up to 60 bytes
};
struct ParsedEthernet {
    EthernetView frame;
    FrameError error = FrameError::None;
    explicit operator bool() const { return error == FrameError::None; }
};
// Size limits and VLAN tags only: the EtherType is not judged here (a switch forwards any).
ParsedEthernet parseEthernet(ByteView frame);

struct Ipv4View {
    Ipv4Endpoints endpoints;
    IpProtocol protocol{};
    ByteView payload;  // exactly total length minus the header: Ethernet padding cut off
};
struct UdpView {
    UdpPorts ports;
    ByteView data;
};

// A frame read down to its innermost protocol.
struct DecodedFrame {
    EthernetView ethernet;
    std::optional<ArpMessage> arp;
    std::optional<Ipv4View> ipv4;
    std::optional<IcmpEcho> icmp;
    std::optional<UdpView> udp;
    FrameError error = FrameError::None;
    explicit operator bool() const { return error == FrameError::None; }
};
DecodedFrame decodeFrame(ByteView frame);

}  // namespace ringsim::network
