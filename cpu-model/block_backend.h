// What a disk front end (the IDE-like controller, the virtio-like block
// device) stores its sectors in. cpu-model keeps sectors in memory
// (MemoryBlockBackend); core adapts a storage pool's disk to this
// interface, so the CPU model never meets an image format.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "isa.h"

namespace ringsim {

class BlockBackend {
public:
    virtual ~BlockBackend() = default;
    virtual uint32_t sectorCount() const = 0;
    // Whole sectors; false when the storage behind failed (the guest sees an
    // I/O error). Ranges are checked by the front end before they get here.
    virtual bool read(uint32_t firstSector, std::span<uint8_t> out) = 0;
    virtual bool write(uint32_t firstSector, std::span<const uint8_t> data) = 0;
};

class MemoryBlockBackend final : public BlockBackend {
public:
    explicit MemoryBlockBackend(uint32_t sectors) : bytes_(size_t(sectors) * isa::kSectorSize, 0) {}
    uint32_t sectorCount() const override { return uint32_t(bytes_.size() / isa::kSectorSize); }
    bool read(uint32_t firstSector, std::span<uint8_t> out) override;
    bool write(uint32_t firstSector, std::span<const uint8_t> data) override;
    const std::vector<uint8_t>& contents() const { return bytes_; }

private:
    std::vector<uint8_t> bytes_;
};

// Whether [first, first + count) lies on a disk of `sectors` sectors.
constexpr bool sectorsOnDisk(uint32_t sectors, uint32_t first, uint32_t count) {
    return count != 0 && uint64_t(first) + count <= sectors;
}

}  // namespace ringsim
