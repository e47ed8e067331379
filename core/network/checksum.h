// The Internet checksum (RFC 1071): the ones' complement of the ones'
// complement sum of 16-bit words. IPv4 covers its header with it, ICMP its
// whole message, UDP its datagram plus a pseudo-header of the IP addresses.
#pragma once

#include <cstdint>

#include "network/addresses.h"

namespace ringsim::network {

// The running ones' complement sum, not yet folded or inverted: sums of
// several pieces add up (an odd-length piece must be the last).
uint32_t onesComplementSum(ByteView bytes, uint32_t sum = 0);
// Folds and inverts a running sum into the 16-bit field value. Over data that
// includes a correct checksum field, the result is 0.
uint16_t finishChecksum(uint32_t sum);
uint16_t internetChecksum(ByteView bytes);

// UDP's pseudo-header (source, destination, zero, protocol, UDP length), summed.
uint32_t pseudoHeaderSum(Ipv4Address source, Ipv4Address destination, uint8_t protocol, uint16_t length);

}  // namespace ringsim::network
