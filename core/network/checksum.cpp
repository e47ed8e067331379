#include "network/checksum.h"

namespace ringsim::network {

uint32_t onesComplementSum(ByteView bytes, uint32_t sum) {
    size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2) sum += readU16(bytes, i);
    if (i < bytes.size()) sum += uint32_t(bytes[i]) << 8;  // an odd byte is padded with a zero
    // Fold now and then so a long frame cannot overflow 32 bits.
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

uint16_t finishChecksum(uint32_t sum) {
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    return uint16_t(~sum);
}

uint16_t internetChecksum(ByteView bytes) { return finishChecksum(onesComplementSum(bytes)); }

uint32_t pseudoHeaderSum(Ipv4Address source, Ipv4Address destination, uint8_t protocol, uint16_t length) {
    return (source.value >> 16) + (source.value & 0xffff) + (destination.value >> 16) + (destination.value & 0xffff) +
           protocol + length;
}

}  // namespace ringsim::network
