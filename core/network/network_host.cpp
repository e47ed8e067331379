#include "network/network_host.h"

#include <algorithm>

namespace ringsim::network {

namespace {

// What a ping carries: the bytes 0x00..0x1f, so a capture shows where the data starts.
Bytes pingData() {
    Bytes data(32);
    for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i);
    return data;
}

}  // namespace

std::vector<Bytes> NetworkHost::answerArp(const ArpMessage& arp, std::optional<uint16_t> vlan) {
    if (arp.targetIp != config_.ip) {
        ++counters_.notForUs;
        return {};
    }
    arpCache_[{vlan.value_or(0), arp.senderIp}] = arp.senderMac;
    if (arp.operation == ArpOperation::Reply) {
        ++counters_.arpLearned;
        return {};
    }
    ++counters_.arpAnswered;
    const ArpMessage reply{ArpOperation::Reply, config_.mac, config_.ip, arp.senderMac, arp.senderIp};
    return {arpFrame({arp.senderMac, config_.mac, vlan}, reply)};
}

std::vector<Bytes> NetworkHost::receive(ByteView frame) {
    const DecodedFrame decoded = decodeFrame(frame);
    if (!decoded) {
        ++counters_.malformed;
        return {};
    }
    const EthernetView& eth = decoded.ethernet;
    const auto vlan = eth.vlan;
    if (eth.destination != config_.mac && !eth.destination.isBroadcast()) {
        ++counters_.notForUs;
        return {};
    }
    if (decoded.arp) return answerArp(*decoded.arp, vlan);
    const Ipv4View& ip = *decoded.ipv4;
    if (ip.endpoints.destination != config_.ip) {
        ++counters_.notForUs;
        return {};
    }
    // Replies go back the way the request came: to its source MAC, in its VLAN.
    const EthernetAddressing back{eth.source, config_.mac, vlan};
    if (decoded.icmp) {
        if (decoded.icmp->type == IcmpType::EchoReply) {
            ++counters_.echoReplies;
            return {};
        }
        ++counters_.echoAnswered;
        IcmpEcho reply = *decoded.icmp;
        reply.type = IcmpType::EchoReply;
        return {icmpEchoFrame(back, endpointsTo(ip.endpoints.source), reply)};
    }
    const UdpView& udp = *decoded.udp;
    if (config_.udpEchoPort && udp.ports.destination == *config_.udpEchoPort) {
        ++counters_.udpEchoed;
        return {udpFrame(back, endpointsTo(ip.endpoints.source), {udp.ports.destination, udp.ports.source}, udp.data)};
    }
    ++counters_.udpReceived;
    return {};
}

Bytes NetworkHost::arpRequest(Ipv4Address target, std::optional<uint16_t> vlan) {
    const ArpMessage request{ArpOperation::Request, config_.mac, config_.ip, MacAddress{}, target};
    return arpFrame({MacAddress::broadcast(), config_.mac, vlan}, request);
}

std::optional<MacAddress> NetworkHost::resolved(Ipv4Address ip, std::optional<uint16_t> vlan) const {
    const auto it = arpCache_.find({vlan.value_or(0), ip});
    if (it == arpCache_.end()) return std::nullopt;
    return it->second;
}

std::optional<Bytes> NetworkHost::ping(Ipv4Address target, uint16_t sequence, std::optional<uint16_t> vlan) {
    const auto mac = resolved(target, vlan);
    if (!mac) return std::nullopt;
    const IcmpEcho echo{IcmpType::EchoRequest, uint16_t(config_.ip.value), sequence, pingData()};
    return icmpEchoFrame({*mac, config_.mac, vlan}, endpointsTo(target), echo);
}

std::optional<Bytes> NetworkHost::udp(Ipv4Address target, UdpPorts ports, ByteView data,
                                      std::optional<uint16_t> vlan) {
    const auto mac = resolved(target, vlan);
    if (!mac) return std::nullopt;
    return udpFrame({*mac, config_.mac, vlan}, endpointsTo(target), ports, data);
}

std::vector<Bytes> NetworkHost::udpStream(Ipv4Address target, UdpPorts ports, size_t count, size_t size,
                                          std::optional<uint16_t> vlan) {
    std::vector<Bytes> frames;
    Bytes data(std::min(size, kMaxPayloadSize - kIpv4HeaderSize - kUdpHeaderSize));
    for (size_t n = 0; n < count; ++n) {
        // Each datagram numbered in its first bytes, so a receiver can spot loss and order.
        for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i < 4 ? n >> (8 * (3 - i)) : i);
        auto frame = udp(target, ports, data, vlan);
        if (!frame) return {};
        frames.push_back(std::move(*frame));
    }
    return frames;
}

}  // namespace ringsim::network
