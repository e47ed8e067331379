// Builds real frames, byte for byte: Ethernet II (with an optional 802.1Q
// tag), ARP, IPv4 with its header checksum, ICMP echo and UDP with their
// checksums. What these build, frame_parser.h accepts, and Wireshark too.
#pragma once

#include <optional>

#include "network/addresses.h"
#include "network/frame_formats.h"

namespace ringsim::network {

struct EthernetAddressing {
    MacAddress destination;
    MacAddress source;
    std::optional<uint16_t> vlan;  // an 802.1Q tag with this VLAN ID, or untagged
};

// An Ethernet II frame around `payload`, padded to the 60-byte minimum.
Bytes buildEthernetFrame(const EthernetAddressing& addressing, EtherType type, ByteView payload);

// Adds, replaces or removes the 802.1Q tag of a well-formed frame (a switch port's egress).
Bytes withVlanTag(ByteView frame, std::optional<uint16_t> vlan);

struct ArpMessage {
    ArpOperation operation = ArpOperation::Request;
    MacAddress senderMac;
    Ipv4Address senderIp;
    MacAddress targetMac;  // zero in a request
    Ipv4Address targetIp;
};
Bytes buildArp(const ArpMessage& message);

struct Ipv4Endpoints {
    Ipv4Address source;
    Ipv4Address destination;
    uint16_t identification = 0;
    uint8_t ttl = 64;
};
// An IPv4 header (no options, don't-fragment set) with its checksum, then the payload.
Bytes buildIpv4(const Ipv4Endpoints& endpoints, IpProtocol protocol, ByteView payload);

struct IcmpEcho {
    IcmpType type = IcmpType::EchoRequest;
    uint16_t identifier = 0;
    uint16_t sequence = 0;
    Bytes data;
};
Bytes buildIcmpEcho(const IcmpEcho& echo);

struct UdpPorts {
    uint16_t source = 0;
    uint16_t destination = 0;
};
// The checksum covers the pseudo-header, so the IP addresses are needed here.
Bytes buildUdp(Ipv4Address source, Ipv4Address destination, UdpPorts ports, ByteView data);

// Whole frames, the common cases.
Bytes arpFrame(const EthernetAddressing& addressing, const ArpMessage& message);
Bytes icmpEchoFrame(const EthernetAddressing& addressing, const Ipv4Endpoints& ip, const IcmpEcho& echo);
Bytes udpFrame(const EthernetAddressing& addressing, const Ipv4Endpoints& ip, UdpPorts ports, ByteView data);

}  // namespace ringsim::network
