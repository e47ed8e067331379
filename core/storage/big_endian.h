// qcow2 stores every field big-endian; these read and write them in a byte
// buffer at an offset the caller has already checked.
#pragma once

#include <cstdint>
#include <vector>

namespace ringsim::storage {

inline uint64_t loadBigEndian(const std::vector<uint8_t>& bytes, uint64_t offset, int width) {
    uint64_t value = 0;
    for (int i = 0; i < width; ++i) value = (value << 8) | bytes[offset + i];
    return value;
}
inline uint16_t load16(const std::vector<uint8_t>& b, uint64_t at) { return uint16_t(loadBigEndian(b, at, 2)); }
inline uint32_t load32(const std::vector<uint8_t>& b, uint64_t at) { return uint32_t(loadBigEndian(b, at, 4)); }
inline uint64_t load64(const std::vector<uint8_t>& b, uint64_t at) { return loadBigEndian(b, at, 8); }

inline void storeBigEndian(std::vector<uint8_t>& bytes, uint64_t offset, uint64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
        bytes[offset + i] = uint8_t(value & 0xff);
        value >>= 8;
    }
}
inline void store16(std::vector<uint8_t>& b, uint64_t at, uint64_t v) { storeBigEndian(b, at, v, 2); }
inline void store32(std::vector<uint8_t>& b, uint64_t at, uint64_t v) { storeBigEndian(b, at, v, 4); }
inline void store64(std::vector<uint8_t>& b, uint64_t at, uint64_t v) { storeBigEndian(b, at, v, 8); }

}  // namespace ringsim::storage
