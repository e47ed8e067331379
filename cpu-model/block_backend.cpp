#include "block_backend.h"

#include <cstring>

namespace ringsim {

bool MemoryBlockBackend::read(uint32_t firstSector, std::span<uint8_t> out) {
    std::memcpy(out.data(), bytes_.data() + size_t(firstSector) * isa::kSectorSize, out.size());
    return true;
}

bool MemoryBlockBackend::write(uint32_t firstSector, std::span<const uint8_t> data) {
    std::memcpy(bytes_.data() + size_t(firstSector) * isa::kSectorSize, data.data(), data.size());
    return true;
}

}  // namespace ringsim
