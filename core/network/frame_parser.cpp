#include "network/frame_parser.h"

#include "network/checksum.h"

namespace ringsim::network {

std::string_view frameErrorName(FrameError error) {
    switch (error) {
    case FrameError::None: return "none";
    case FrameError::TooShort: return "too-short";
    case FrameError::TooLong: return "too-long";
    case FrameError::DoubleTag: return "double-tag";
    case FrameError::BadVlanId: return "bad-vlan-id";
    case FrameError::UnknownEtherType: return "unknown-ethertype";
    case FrameError::BadArp: return "bad-arp";
    case FrameError::BadIpv4Header: return "bad-ipv4-header";
    case FrameError::BadIpv4Checksum: return "bad-ipv4-checksum";
    case FrameError::Ipv4Fragment: return "ipv4-fragment";
    case FrameError::UnknownIpProtocol: return "unknown-ip-protocol";
    case FrameError::BadIcmp: return "bad-icmp";
    case FrameError::BadIcmpChecksum: return "bad-icmp-checksum";
    case FrameError::BadUdpLength: return "bad-udp-length";
    case FrameError::BadUdpChecksum: return "bad-udp-checksum";
    }
    return "unknown";
}

namespace {

bool isVlanTpid(uint16_t type) { return type == uint16_t(EtherType::Vlan) || type == uint16_t(EtherType::ServiceVlan); }

FrameError readArp(ByteView payload, ArpMessage& arp) {
    if (payload.size() < kArpSize) return FrameError::BadArp;
    if (readU16(payload, 0) != 1 || readU16(payload, 2) != uint16_t(EtherType::Ipv4) || payload[4] != 6 ||
        payload[5] != 4)
        return FrameError::BadArp;
    const uint16_t operation = readU16(payload, 6);
    if (operation != uint16_t(ArpOperation::Request) && operation != uint16_t(ArpOperation::Reply))
        return FrameError::BadArp;
    arp.operation = ArpOperation(operation);
    arp.senderMac = MacAddress::read(payload, 8);
    arp.senderIp = {readU32(payload, 14)};
    arp.targetMac = MacAddress::read(payload, 18);
    arp.targetIp = {readU32(payload, 24)};
    return FrameError::None;
}

FrameError readIpv4(ByteView payload, Ipv4View& ip) {
    if (payload.size() < kIpv4HeaderSize || payload[0] >> 4 != 4) return FrameError::BadIpv4Header;
    const size_t headerSize = size_t(payload[0] & 0x0f) * 4;
    const size_t totalLength = readU16(payload, 2);
    if (headerSize < kIpv4HeaderSize || totalLength < headerSize || totalLength > payload.size())
        return FrameError::BadIpv4Header;
    if (internetChecksum(payload.first(headerSize)) != 0) return FrameError::BadIpv4Checksum;
    const uint16_t fragment = readU16(payload, 6);
    if ((fragment & 0x2000) != 0 || (fragment & 0x1fff) != 0) return FrameError::Ipv4Fragment;
    const uint8_t protocol = payload[9];
    if (protocol != uint8_t(IpProtocol::Icmp) && protocol != uint8_t(IpProtocol::Udp))
        return FrameError::UnknownIpProtocol;
    ip.endpoints = {{readU32(payload, 12)}, {readU32(payload, 16)}, readU16(payload, 4), payload[8]};
    ip.protocol = IpProtocol(protocol);
    ip.payload = payload.subspan(headerSize, totalLength - headerSize);
    return FrameError::None;
}

FrameError readIcmp(ByteView message, IcmpEcho& echo) {
    if (message.size() < kIcmpEchoHeaderSize) return FrameError::BadIcmp;
    if ((message[0] != uint8_t(IcmpType::EchoRequest) && message[0] != uint8_t(IcmpType::EchoReply)) ||
        message[1] != 0)
        return FrameError::BadIcmp;
    if (internetChecksum(message) != 0) return FrameError::BadIcmpChecksum;
    echo.type = IcmpType(message[0]);
    echo.identifier = readU16(message, 4);
    echo.sequence = readU16(message, 6);
    echo.data.assign(message.begin() + kIcmpEchoHeaderSize, message.end());
    return FrameError::None;
}

FrameError readUdp(const Ipv4View& ip, UdpView& udp) {
    const ByteView datagram = ip.payload;
    if (datagram.size() < kUdpHeaderSize) return FrameError::BadUdpLength;
    const uint16_t length = readU16(datagram, 4);
    if (length < kUdpHeaderSize || length != datagram.size()) return FrameError::BadUdpLength;
    // A checksum of 0 means the sender computed none (allowed in IPv4).
    if (readU16(datagram, 6) != 0) {
        const uint32_t sum = pseudoHeaderSum(ip.endpoints.source, ip.endpoints.destination, uint8_t(IpProtocol::Udp), length);
        if (finishChecksum(onesComplementSum(datagram, sum)) != 0) return FrameError::BadUdpChecksum;
    }
    udp.ports = {readU16(datagram, 0), readU16(datagram, 2)};
    udp.data = datagram.subspan(kUdpHeaderSize);
    return FrameError::None;
}

}  // namespace

ParsedEthernet parseEthernet(ByteView frame) {
    ParsedEthernet parsed;
    auto fail = [&](FrameError error) {
        parsed.error = error;
        return parsed;
    };
    if (frame.size() < kEthernetHeaderSize) return fail(FrameError::TooShort);
    EthernetView& view = parsed.frame;
    view.destination = MacAddress::read(frame, 0);
    view.source = MacAddress::read(frame, 6);
    size_t at = 12;
    uint16_t type = readU16(frame, at);
    if (isVlanTpid(type)) {
        if (frame.size() < kEthernetHeaderSize + kVlanTagSize) return fail(FrameError::TooShort);
        // An outer 802.1ad tag, or a second tag of any kind, is a double tag.
        if (type == uint16_t(EtherType::ServiceVlan) || isVlanTpid(readU16(frame, at + 4)))
            return fail(FrameError::DoubleTag);
        const uint16_t id = readU16(frame, at + 2) & 0x0fff;
        if (id == 0 || id > kMaxVlanId) return fail(FrameError::BadVlanId);
        view.vlan = id;
        at += kVlanTagSize;
        type = readU16(frame, at);
    }
    at += 2;
    if (frame.size() - at > kMaxPayloadSize) return fail(FrameError::TooLong);
    view.type = EtherType(type);
    view.payload = frame.subspan(at);
    return parsed;
}

DecodedFrame decodeFrame(ByteView frame) {
    DecodedFrame decoded;
    const ParsedEthernet ethernet = parseEthernet(frame);
    decoded.ethernet = ethernet.frame;
    decoded.error = ethernet.error;
    if (!ethernet) return decoded;
    const ByteView payload = ethernet.frame.payload;
    switch (ethernet.frame.type) {
    case EtherType::Arp: {
        ArpMessage arp;
        decoded.error = readArp(payload, arp);
        if (decoded) decoded.arp = arp;
        return decoded;
    }
    case EtherType::Ipv4: break;
    default: decoded.error = FrameError::UnknownEtherType; return decoded;
    }
    Ipv4View ip;
    decoded.error = readIpv4(payload, ip);
    if (!decoded) return decoded;
    decoded.ipv4 = ip;
    if (ip.protocol == IpProtocol::Icmp) {
        IcmpEcho echo;
        decoded.error = readIcmp(ip.payload, echo);
        if (decoded) decoded.icmp = std::move(echo);
    } else {
        UdpView udp;
        decoded.error = readUdp(ip, udp);
        if (decoded) decoded.udp = udp;
    }
    return decoded;
}

}  // namespace ringsim::network
