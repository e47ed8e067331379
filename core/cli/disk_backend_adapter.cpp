#include "cli/disk_backend_adapter.h"

#include <algorithm>

#include "storage/image_error.h"

namespace ringsim::cli {

uint32_t DiskBackendAdapter::sectorCount() const {
    // The front ends address sectors with 32-bit registers: a bigger disk shows its first 2^32 - 1.
    return uint32_t(std::min<uint64_t>(disk_->sectorCount(), 0xFFFFFFFFu));
}

bool DiskBackendAdapter::read(uint32_t firstSector, std::span<uint8_t> out) {
    return attempt([&] { disk_->readSectors(firstSector, out); });
}

bool DiskBackendAdapter::write(uint32_t firstSector, std::span<const uint8_t> data) {
    return attempt([&] { disk_->writeSectors(firstSector, data); });
}

template <typename Request>
bool DiskBackendAdapter::attempt(Request&& request) {
    try {
        request();
        return true;
    } catch (const storage::ImageError& e) {
        lastError_ = e.what();
        return false;
    }
}

}  // namespace ringsim::cli
