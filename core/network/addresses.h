// The two addresses a frame carries: the Ethernet (MAC) address of a NIC and
// the IPv4 address of a host. Plain values, ordered, so tables keyed by them
// iterate the same way on every run.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>

#include "network/wire_bytes.h"

namespace ringsim::network {

struct MacAddress {
    std::array<uint8_t, 6> octets{};

    static MacAddress broadcast() { return {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
    // A locally administered unicast address (bit 1 of the first octet set): what a monitor gives a vNIC.
    static MacAddress local(uint32_t number) {
        return {{0x02, 0x00, uint8_t(number >> 24), uint8_t(number >> 16), uint8_t(number >> 8), uint8_t(number)}};
    }
    static MacAddress read(ByteView bytes, size_t at);
    void append(Bytes& bytes) const { bytes.insert(bytes.end(), octets.begin(), octets.end()); }

    // Group bit: broadcast and multicast destinations; never a valid source.
    bool isGroup() const { return (octets[0] & 1) != 0; }
    bool isBroadcast() const { return *this == broadcast(); }
    std::string text() const;  // "02:00:00:00:00:01"
    // == and < spelled out: the web edition's libc++ has no <=> for std::array.
    bool operator==(const MacAddress&) const = default;
    bool operator<(const MacAddress& other) const { return octets < other.octets; }
};

struct Ipv4Address {
    uint32_t value = 0;

    static Ipv4Address of(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
        return {uint32_t(a) << 24 | uint32_t(b) << 16 | uint32_t(c) << 8 | d};
    }
    static std::optional<Ipv4Address> parse(const std::string& text);  // dotted quad
    std::string text() const;                                          // "10.0.0.1"
    auto operator<=>(const Ipv4Address&) const = default;
};

}  // namespace ringsim::network
