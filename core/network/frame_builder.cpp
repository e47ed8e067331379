#include "network/frame_builder.h"

#include "network/checksum.h"

namespace ringsim::network {

Bytes buildEthernetFrame(const EthernetAddressing& addressing, EtherType type, ByteView payload) {
    Bytes frame;
    frame.reserve(kEthernetHeaderSize + kVlanTagSize + payload.size());
    addressing.destination.append(frame);
    addressing.source.append(frame);
    if (addressing.vlan) {
        appendU16(frame, uint16_t(EtherType::Vlan));
        appendU16(frame, uint16_t(*addressing.vlan & 0x0fff));  // priority 0, drop-eligible 0
    }
    appendU16(frame, uint16_t(type));
    frame.insert(frame.end(), payload.begin(), payload.end());
    if (frame.size() < kMinFrameSize) frame.resize(kMinFrameSize, 0);
    return frame;
}

Bytes withVlanTag(ByteView frame, std::optional<uint16_t> vlan) {
    constexpr size_t kAddresses = 12;
    if (frame.size() < kEthernetHeaderSize) return Bytes(frame.begin(), frame.end());  // not a frame: left alone
    const bool tagged = frame.size() >= kEthernetHeaderSize + kVlanTagSize &&
                        readU16(frame, kAddresses) == uint16_t(EtherType::Vlan);
    Bytes out(frame.begin(), frame.begin() + kAddresses);
    if (vlan) {
        appendU16(out, uint16_t(EtherType::Vlan));
        appendU16(out, uint16_t(*vlan & 0x0fff));
    }
    const auto rest = frame.subspan(kAddresses + (tagged ? kVlanTagSize : 0));
    out.insert(out.end(), rest.begin(), rest.end());
    // Untagging a minimum-size frame leaves it short: pad as a NIC would.
    if (out.size() < kMinFrameSize) out.resize(kMinFrameSize, 0);
    return out;
}

Bytes buildArp(const ArpMessage& message) {
    Bytes arp;
    arp.reserve(kArpSize);
    appendU16(arp, 1);                          // hardware: Ethernet
    appendU16(arp, uint16_t(EtherType::Ipv4));  // protocol: IPv4
    arp.push_back(6);                           // hardware address length
    arp.push_back(4);                           // protocol address length
    appendU16(arp, uint16_t(message.operation));
    message.senderMac.append(arp);
    appendU32(arp, message.senderIp.value);
    message.targetMac.append(arp);
    appendU32(arp, message.targetIp.value);
    return arp;
}

Bytes buildIpv4(const Ipv4Endpoints& endpoints, IpProtocol protocol, ByteView payload) {
    Bytes packet;
    packet.reserve(kIpv4HeaderSize + payload.size());
    packet.push_back(0x45);  // version 4, header length 5 words
    packet.push_back(0);     // DSCP/ECN
    appendU16(packet, uint16_t(kIpv4HeaderSize + payload.size()));
    appendU16(packet, endpoints.identification);
    appendU16(packet, 0x4000);  // don't fragment, offset 0
    packet.push_back(endpoints.ttl);
    packet.push_back(uint8_t(protocol));
    appendU16(packet, 0);  // checksum, filled in below
    appendU32(packet, endpoints.source.value);
    appendU32(packet, endpoints.destination.value);
    patchU16(packet, 10, internetChecksum(packet));
    packet.insert(packet.end(), payload.begin(), payload.end());
    return packet;
}

Bytes buildIcmpEcho(const IcmpEcho& echo) {
    Bytes message;
    message.reserve(kIcmpEchoHeaderSize + echo.data.size());
    message.push_back(uint8_t(echo.type));
    message.push_back(0);  // code
    appendU16(message, 0);  // checksum, filled in below
    appendU16(message, echo.identifier);
    appendU16(message, echo.sequence);
    message.insert(message.end(), echo.data.begin(), echo.data.end());
    patchU16(message, 2, internetChecksum(message));
    return message;
}

Bytes buildUdp(Ipv4Address source, Ipv4Address destination, UdpPorts ports, ByteView data) {
    Bytes datagram;
    const auto length = uint16_t(kUdpHeaderSize + data.size());
    datagram.reserve(length);
    appendU16(datagram, ports.source);
    appendU16(datagram, ports.destination);
    appendU16(datagram, length);
    appendU16(datagram, 0);  // checksum, filled in below
    datagram.insert(datagram.end(), data.begin(), data.end());
    uint16_t checksum =
        finishChecksum(onesComplementSum(datagram, pseudoHeaderSum(source, destination, uint8_t(IpProtocol::Udp), length)));
    if (checksum == 0) checksum = 0xffff;  // 0 would mean "no checksum" (RFC 768)
    patchU16(datagram, 6, checksum);
    return datagram;
}

Bytes arpFrame(const EthernetAddressing& addressing, const ArpMessage& message) {
    return buildEthernetFrame(addressing, EtherType::Arp, buildArp(message));
}

Bytes icmpEchoFrame(const EthernetAddressing& addressing, const Ipv4Endpoints& ip, const IcmpEcho& echo) {
    return buildEthernetFrame(addressing, EtherType::Ipv4, buildIpv4(ip, IpProtocol::Icmp, buildIcmpEcho(echo)));
}

Bytes udpFrame(const EthernetAddressing& addressing, const Ipv4Endpoints& ip, UdpPorts ports, ByteView data) {
    return buildEthernetFrame(addressing, EtherType::Ipv4,
                              buildIpv4(ip, IpProtocol::Udp, buildUdp(ip.source, ip.destination, ports, data)));
}

}  // namespace ringsim::network
