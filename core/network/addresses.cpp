#include "network/addresses.h"

#include <fmt/format.h>

namespace ringsim::network {

MacAddress MacAddress::read(ByteView bytes, size_t at) {
    MacAddress mac;
    for (size_t i = 0; i < mac.octets.size(); ++i) mac.octets[i] = bytes[at + i];
    return mac;
}

std::string MacAddress::text() const {
    return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", octets[0], octets[1], octets[2], octets[3],
                       octets[4], octets[5]);
}

std::optional<Ipv4Address> Ipv4Address::parse(const std::string& text) {
    uint32_t value = 0;
    int parts = 0;
    size_t at = 0;
    while (parts < 4) {
        size_t end = at;
        uint32_t part = 0;
        while (end < text.size() && end - at < 3 && text[end] >= '0' && text[end] <= '9')
            part = part * 10 + uint32_t(text[end++] - '0');
        if (end == at || part > 255) return std::nullopt;
        value = value << 8 | part;
        ++parts;
        if (parts < 4) {
            if (end >= text.size() || text[end] != '.') return std::nullopt;
            ++end;
        } else if (end != text.size()) {
            return std::nullopt;
        }
        at = end;
    }
    return Ipv4Address{value};
}

std::string Ipv4Address::text() const {
    return fmt::format("{}.{}.{}.{}", value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
}

}  // namespace ringsim::network
