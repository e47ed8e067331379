// What a VM's disk device (an emulated controller or a paravirtual ring,
// in the monitor) needs from the storage behind it: whole sectors read and
// written, and a flush that makes the writes durable. A pool's disk is one
// (PoolDiskBackend); every error is an ImageError naming the disk, which a
// front end turns into the guest's I/O error status.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace ringsim::storage {

class StoragePool;

class DiskBackend {
public:
    static constexpr uint64_t kSectorSize = 512;
    virtual ~DiskBackend() = default;
    virtual uint64_t sectorCount() const = 0;
    // `out` / `data` hold a whole number of sectors.
    virtual void readSectors(uint64_t firstSector, std::span<uint8_t> out) const = 0;
    virtual void writeSectors(uint64_t firstSector, std::span<const uint8_t> data) = 0;
    virtual void flush() = 0;
};

// One disk of a pool; the pool must outlive it.
class PoolDiskBackend final : public DiskBackend {
public:
    PoolDiskBackend(StoragePool& pool, std::string disk);
    uint64_t sectorCount() const override;
    void readSectors(uint64_t firstSector, std::span<uint8_t> out) const override;
    void writeSectors(uint64_t firstSector, std::span<const uint8_t> data) override;
    void flush() override;

private:
    uint64_t byteOffset(uint64_t firstSector, uint64_t length) const;

    StoragePool& pool_;
    std::string disk_;
};

}  // namespace ringsim::storage
