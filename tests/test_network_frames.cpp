// Frames byte for byte: the Internet checksum against RFC 1071's example and
// a textbook IPv4 header, every builder read back by the parser, and the
// parser's answer to broken frames (a named error, never a read past the end).
#include <catch2/catch.hpp>
#include <random>

#include "network/checksum.h"
#include "network/frame_parser.h"

using namespace ringsim::network;

namespace {

const MacAddress kA = MacAddress::local(1);
const MacAddress kB = MacAddress::local(2);
const Ipv4Address kIpA = Ipv4Address::of(10, 0, 0, 1);
const Ipv4Address kIpB = Ipv4Address::of(10, 0, 0, 2);

Bytes sampleUdp(std::optional<uint16_t> vlan = {}) {
    const Bytes data{'p', 'i', 'n', 'g'};
    return udpFrame({kB, kA, vlan}, {kIpA, kIpB, 7, 64}, {1234, 7}, data);
}

}  // namespace

TEST_CASE("the Internet checksum matches RFC 1071's worked example", "[network][frames]") {
    const Bytes words{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK(onesComplementSum(words) == 0xddf2);
    CHECK(internetChecksum(words) == 0x220d);
    const Bytes odd{0x01, 0x02, 0x03};  // the odd byte is padded with a zero
    CHECK(internetChecksum(odd) == uint16_t(~(0x0102 + 0x0300)));
}

TEST_CASE("an IPv4 header is built with the checksum a textbook gives", "[network][frames]") {
    // 192.168.0.1 -> 192.168.0.199, UDP, total length 0x73, ttl 64, DF: checksum 0xb861.
    const Bytes payload(0x73 - 20, 0);
    const Bytes packet =
        buildIpv4({Ipv4Address::of(192, 168, 0, 1), Ipv4Address::of(192, 168, 0, 199), 0, 64}, IpProtocol::Udp, payload);
    const Bytes header{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                       0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    CHECK(Bytes(packet.begin(), packet.begin() + 20) == header);
}

TEST_CASE("an ARP request is read back as it was built", "[network][frames]") {
    const ArpMessage request{ArpOperation::Request, kA, kIpA, MacAddress{}, kIpB};
    const Bytes frame = arpFrame({MacAddress::broadcast(), kA, std::nullopt}, request);
    CHECK(frame.size() == kMinFrameSize);  // 14 + 28, padded to 60
    CHECK(frame[12] == 0x08);
    CHECK(frame[13] == 0x06);
    const DecodedFrame decoded = decodeFrame(frame);
    REQUIRE(decoded);
    REQUIRE(decoded.arp);
    CHECK(decoded.arp->operation == ArpOperation::Request);
    CHECK(decoded.arp->senderMac == kA);
    CHECK(decoded.arp->senderIp == kIpA);
    CHECK(decoded.arp->targetIp == kIpB);
    CHECK(decoded.ethernet.destination.isBroadcast());
}

TEST_CASE("an ICMP echo is read back, and a flipped bit fails its checksum", "[network][frames]") {
    const IcmpEcho echo{IcmpType::EchoRequest, 0x1234, 3, Bytes{1, 2, 3, 4, 5}};
    Bytes frame = icmpEchoFrame({kB, kA, std::nullopt}, {kIpA, kIpB, 9, 64}, echo);
    const DecodedFrame decoded = decodeFrame(frame);
    REQUIRE(decoded);
    REQUIRE(decoded.icmp);
    CHECK(decoded.icmp->identifier == 0x1234);
    CHECK(decoded.icmp->sequence == 3);
    CHECK(decoded.icmp->data == echo.data);
    CHECK(decoded.ipv4->endpoints.source == kIpA);
    CHECK(decoded.ipv4->endpoints.identification == 9);
    frame[14 + 20 + 8] ^= 0x01;  // the first data byte
    CHECK(decodeFrame(frame).error == FrameError::BadIcmpChecksum);
}

TEST_CASE("a UDP datagram is read back, its checksum covers the pseudo-header", "[network][frames]") {
    Bytes frame = sampleUdp();
    const DecodedFrame decoded = decodeFrame(frame);
    REQUIRE(decoded);
    REQUIRE(decoded.udp);
    CHECK(decoded.udp->ports.source == 1234);
    CHECK(decoded.udp->ports.destination == 7);
    CHECK(Bytes(decoded.udp->data.begin(), decoded.udp->data.end()) == Bytes{'p', 'i', 'n', 'g'});

    SECTION("a data byte changed") {
        frame[14 + 20 + 8] ^= 0x20;
        CHECK(decodeFrame(frame).error == FrameError::BadUdpChecksum);
    }
    SECTION("the destination address changed (and the IP checksum fixed): the pseudo-header catches it") {
        frame[14 + 19] ^= 0x01;
        frame[14 + 10] = frame[14 + 11] = 0;
        const uint16_t ipChecksum = internetChecksum(ByteView(frame).subspan(14, 20));
        frame[14 + 10] = uint8_t(ipChecksum >> 8);
        frame[14 + 11] = uint8_t(ipChecksum);
        CHECK(decodeFrame(frame).error == FrameError::BadUdpChecksum);
    }
    SECTION("no checksum (0) is accepted, as IPv4 allows") {
        frame[14 + 20 + 6] = frame[14 + 20 + 7] = 0;
        CHECK(decodeFrame(frame));
    }
    SECTION("the IP header checksum is checked") {
        frame[14 + 8] = 1;  // ttl
        CHECK(decodeFrame(frame).error == FrameError::BadIpv4Checksum);
    }
}

TEST_CASE("an 802.1Q tag is read, added and removed, a double tag is refused", "[network][frames]") {
    const Bytes tagged = sampleUdp(10);
    CHECK(tagged[12] == 0x81);
    CHECK(tagged[13] == 0x00);
    const ParsedEthernet parsed = parseEthernet(tagged);
    REQUIRE(parsed);
    CHECK(parsed.frame.vlan == std::optional<uint16_t>(10));
    CHECK(parsed.frame.type == EtherType::Ipv4);
    CHECK(decodeFrame(tagged));

    CHECK(withVlanTag(tagged, std::nullopt) == sampleUdp());
    // Tagging keeps the untagged frame's padding, as a switch does: 4 bytes longer, the same contents.
    const Bytes retagged = withVlanTag(sampleUdp(), 10);
    CHECK(retagged.size() == kMinFrameSize + kVlanTagSize);
    CHECK(Bytes(retagged.begin(), retagged.begin() + 60) == tagged);
    CHECK(parseEthernet(withVlanTag(tagged, 20)).frame.vlan == std::optional<uint16_t>(20));

    Bytes doubleTagged = tagged;
    const Bytes inner{0x81, 0x00, 0x00, 20};
    doubleTagged.insert(doubleTagged.begin() + 16, inner.begin(), inner.end());
    CHECK(parseEthernet(doubleTagged).error == FrameError::DoubleTag);
    Bytes serviceTag = tagged;
    serviceTag[12] = 0x88;
    serviceTag[13] = 0xa8;
    CHECK(parseEthernet(serviceTag).error == FrameError::DoubleTag);
    Bytes vlanZero = tagged;
    vlanZero[15] = 0;
    CHECK(parseEthernet(vlanZero).error == FrameError::BadVlanId);
}

TEST_CASE("frame sizes: short, the MTU, beyond it", "[network][frames]") {
    CHECK(parseEthernet(Bytes(13, 0)).error == FrameError::TooShort);
    CHECK(parseEthernet(Bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x81, 0, 0, 1}).error == FrameError::TooShort);
    const Bytes mtu(kMaxPayloadSize, 0xab);
    CHECK(parseEthernet(buildEthernetFrame({kB, kA, std::nullopt}, EtherType::Ipv4, mtu)));
    CHECK(parseEthernet(buildEthernetFrame({kB, kA, 10}, EtherType::Ipv4, mtu)));
    const Bytes tooMuch(kMaxPayloadSize + 1, 0xab);
    CHECK(parseEthernet(buildEthernetFrame({kB, kA, std::nullopt}, EtherType::Ipv4, tooMuch)).error ==
          FrameError::TooLong);
    CHECK(decodeFrame(buildEthernetFrame({kB, kA, std::nullopt}, EtherType(0x86dd), Bytes(40, 0))).error ==
          FrameError::UnknownEtherType);
}

TEST_CASE("every prefix of a good frame, and random bytes, get an answer and no crash", "[network][frames]") {
    const Bytes frame = sampleUdp(10);
    for (size_t n = 0; n <= frame.size(); ++n) {
        const DecodedFrame decoded = decodeFrame(ByteView(frame).first(n));
        if (n < 18) CHECK(decoded.error == FrameError::TooShort);
    }
    // The good frame is 60 bytes of which the UDP datagram ends at 18 + 20 + 12 = 50.
    CHECK(decodeFrame(ByteView(frame).first(50)));
    CHECK(decodeFrame(ByteView(frame).first(49)).error == FrameError::BadIpv4Header);

    std::mt19937 random(17);
    size_t accepted = 0;
    for (int round = 0; round < 20000; ++round) {
        Bytes bytes(random() % 120);
        for (auto& b : bytes) b = uint8_t(random());
        // Half of them with a plausible header, to reach the deeper layers.
        if (round % 2 == 0 && bytes.size() > 34) {
            bytes[12] = 0x08;
            bytes[13] = 0x00;
            bytes[14] = 0x45;
        }
        if (decodeFrame(bytes)) ++accepted;
    }
    CHECK(accepted < 100);  // random bytes almost never carry three right checksums
}

TEST_CASE("addresses print and parse as people write them", "[network][frames]") {
    CHECK(MacAddress::local(0x0a02).text() == "02:00:00:00:0a:02");
    CHECK(MacAddress::broadcast().isGroup());
    CHECK_FALSE(MacAddress::local(1).isGroup());
    CHECK(Ipv4Address::of(10, 0, 0, 2).text() == "10.0.0.2");
    CHECK(Ipv4Address::parse("192.168.0.199") == Ipv4Address::of(192, 168, 0, 199));
    CHECK_FALSE(Ipv4Address::parse("256.1.1.1"));
    CHECK_FALSE(Ipv4Address::parse("1.2.3"));
    CHECK_FALSE(Ipv4Address::parse("1.2.3.4.5"));
}
