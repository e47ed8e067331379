// The numbers the frame formats fix: EtherTypes, IP protocol numbers, header
// sizes and the Ethernet size limits (docs/network.md draws the layouts).
// Frames here carry no FCS, as a capture shows them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringsim::network {

enum class EtherType : uint16_t {
    Ipv4 = 0x0800,
    Arp = 0x0806,
    Vlan = 0x8100,         // 802.1Q customer tag
    ServiceVlan = 0x88a8,  // 802.1ad outer tag of a double-tagged (Q-in-Q) frame
};

enum class IpProtocol : uint8_t { Icmp = 1, Udp = 17 };

enum class IcmpType : uint8_t { EchoReply = 0, EchoRequest = 8 };

enum class ArpOperation : uint16_t { Request = 1, Reply = 2 };

inline constexpr size_t kEthernetHeaderSize = 14;
inline constexpr size_t kVlanTagSize = 4;
inline constexpr size_t kMinFrameSize = 60;    // 64 on the wire, less the 4-byte FCS: shorter frames are padded
inline constexpr size_t kMaxPayloadSize = 1500;  // the Ethernet MTU
inline constexpr size_t kMaxFrameSize = kEthernetHeaderSize + kVlanTagSize + kMaxPayloadSize;
inline constexpr size_t kArpSize = 28;         // Ethernet/IPv4 ARP
inline constexpr size_t kIpv4HeaderSize = 20;  // without options
inline constexpr size_t kIcmpEchoHeaderSize = 8;
inline constexpr size_t kUdpHeaderSize = 8;
inline constexpr uint16_t kMaxVlanId = 4094;  // 0 and 4095 are reserved

}  // namespace ringsim::network
