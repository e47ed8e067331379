// A storage pool's disk (storage::DiskBackend) as the disk front ends'
// BlockBackend (cpu-model/block_backend.h): the CPU model never meets an
// image format, and a refusal of the storage (a full pool, every replica
// failed) becomes the guest's I/O error, kept here for whoever reports it.
#pragma once

#include <memory>
#include <string>

#include "cpu-model/block_backend.h"
#include "storage/disk_backend.h"

namespace ringsim::cli {

class DiskBackendAdapter final : public BlockBackend {
public:
    explicit DiskBackendAdapter(std::shared_ptr<storage::DiskBackend> disk) : disk_(std::move(disk)) {}
    uint32_t sectorCount() const override;
    bool read(uint32_t firstSector, std::span<uint8_t> out) override;
    bool write(uint32_t firstSector, std::span<const uint8_t> data) override;
    // The last refusal's message (the ImageError's, naming the disk); empty if none.
    const std::string& lastError() const { return lastError_; }

private:
    // Runs a request of the storage; an ImageError becomes false and lastError().
    template <typename Request>
    bool attempt(Request&& request);

    std::shared_ptr<storage::DiskBackend> disk_;
    std::string lastError_;
};

}  // namespace ringsim::cli
