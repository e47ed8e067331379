#include <fmt/format.h>

#include "storage/disk_backend.h"
#include "storage/storage_pool.h"

namespace ringsim::storage {

PoolDiskBackend::PoolDiskBackend(StoragePool& pool, std::string disk) : pool_(pool), disk_(std::move(disk)) {
    pool_.disk(disk_);  // a disk the pool does not have is refused here, not at the first request
}

uint64_t PoolDiskBackend::sectorCount() const { return pool_.diskSize(disk_) / kSectorSize; }

uint64_t PoolDiskBackend::byteOffset(uint64_t firstSector, uint64_t length) const {
    if (length % kSectorSize != 0)
        throw ImageError(fmt::format("pool {}: disk {}: a request of {} bytes is not a whole number of sectors",
                                     pool_.name(), disk_, length));
    if (firstSector > sectorCount() || length / kSectorSize > sectorCount() - firstSector)
        throw ImageError(fmt::format("pool {}: disk {}: sectors {} to {} are past the end ({} sectors)", pool_.name(),
                                     disk_, firstSector, firstSector + length / kSectorSize, sectorCount()));
    return firstSector * kSectorSize;
}

void PoolDiskBackend::readSectors(uint64_t firstSector, std::span<uint8_t> out) const {
    pool_.read(disk_, byteOffset(firstSector, out.size()), out);
}

void PoolDiskBackend::writeSectors(uint64_t firstSector, std::span<const uint8_t> data) {
    pool_.write(disk_, byteOffset(firstSector, data.size()), data);
}

void PoolDiskBackend::flush() { pool_.flush(); }

}  // namespace ringsim::storage
