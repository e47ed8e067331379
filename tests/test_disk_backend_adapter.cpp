// A pool's disk behind a disk front end: sectors pass through whole, and a
// refusal of the storage is the guest's I/O error status, not a crash.
#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <vector>

#include "cli/disk_backend_adapter.h"
#include "cpu-model/ide_controller.h"
#include "storage/image_error.h"

using namespace ringsim;

namespace {
// A disk of 8 sectors that refuses writes to sector 6 and beyond, as a full pool would.
class SmallDisk final : public storage::DiskBackend {
public:
    uint64_t sectorCount() const override { return 8; }
    void readSectors(uint64_t first, std::span<uint8_t> out) const override {
        std::memcpy(out.data(), bytes.data() + first * kSectorSize, out.size());
    }
    void writeSectors(uint64_t first, std::span<const uint8_t> data) override {
        if (first >= 6) throw storage::ImageError("disk 'vm1': the pool is full");
        std::memcpy(bytes.data() + first * kSectorSize, data.data(), data.size());
    }
    void flush() override {}
    std::vector<uint8_t> bytes = std::vector<uint8_t>(8 * kSectorSize, 0);
};

uint32_t writeSector(IdeController& ide, uint32_t sector, uint32_t fill) {
    ide.out(isa::port::IdeSector, sector);
    ide.out(isa::port::IdeCount, 1);
    ide.out(isa::port::IdeCommand, isa::ide_command::Write);
    for (uint32_t w = 0; w < isa::kSectorSize / 4; ++w) ide.out(isa::port::IdeData, fill);
    return ide.in(isa::port::IdeStatus);
}
}  // namespace

TEST_CASE("a pool's disk behind the IDE-like controller: writes land, a refusal is the guest's error") {
    auto disk = std::make_shared<SmallDisk>();
    cli::DiskBackendAdapter backend(disk);
    IdeController ide(backend);
    CHECK(ide.in(isa::port::IdeSectors) == 8);

    CHECK(writeSector(ide, 2, 0xA5A5A5A5u) == isa::ide_status::Ready);
    CHECK(disk->bytes[2 * isa::kSectorSize + 17] == 0xA5);
    CHECK(backend.lastError().empty());

    CHECK(writeSector(ide, 6, 1) == (isa::ide_status::Ready | isa::ide_status::Error));
    CHECK(ide.in(isa::port::IdeError) == isa::ide_error::Backend);
    CHECK(backend.lastError() == "disk 'vm1': the pool is full");
    CHECK(ide.counters().errors == 1);

    ide.out(isa::port::IdeSector, 2);  // what was written before is still there
    ide.out(isa::port::IdeCount, 1);
    ide.out(isa::port::IdeCommand, isa::ide_command::Read);
    CHECK(ide.in(isa::port::IdeStatus) == (isa::ide_status::Ready | isa::ide_status::DataRequest));
    CHECK(ide.in(isa::port::IdeData) == 0xA5A5A5A5u);
}
