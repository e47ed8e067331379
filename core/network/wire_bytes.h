// Network headers are big-endian ("network byte order"); these read fields
// from a received frame at an offset the caller has checked, and append or
// patch fields in a frame being built.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ringsim::network {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline uint16_t readU16(ByteView bytes, size_t at) { return uint16_t(bytes[at] << 8 | bytes[at + 1]); }
inline uint32_t readU32(ByteView bytes, size_t at) { return uint32_t(readU16(bytes, at)) << 16 | readU16(bytes, at + 2); }

inline void appendU16(Bytes& bytes, uint16_t value) {
    bytes.push_back(uint8_t(value >> 8));
    bytes.push_back(uint8_t(value));
}
inline void appendU32(Bytes& bytes, uint32_t value) {
    appendU16(bytes, uint16_t(value >> 16));
    appendU16(bytes, uint16_t(value));
}
inline void patchU16(Bytes& bytes, size_t at, uint16_t value) {
    bytes[at] = uint8_t(value >> 8);
    bytes[at + 1] = uint8_t(value);
}

}  // namespace ringsim::network
