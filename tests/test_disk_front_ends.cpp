// The two disk front ends as devices, driven the way their guest drivers
// drive them (scenarios/guests/kernel/disk.s): the IDE-like controller a
// register and a word at a time with an interrupt per request, the
// virtio-like block device a batch on the shared ring per notification.
#include <catch2/catch.hpp>
#include <memory>

#include "cpu-model/devices.h"
#include "shared_ring_driver.h"

using namespace ringsim;
using namespace ringsim::isa;
using ringsim::test::SharedRingDriver;

namespace {

// A word of sector `sector`, as the tests fill them.
uint32_t pattern(uint32_t sector, uint32_t word) { return sector * 0x10000u + word * 3u + 1u; }

uint32_t backendWord(const MemoryBlockBackend& disk, uint32_t sector, uint32_t word) {
    uint32_t v;
    std::memcpy(&v, disk.contents().data() + sector * kSectorSize + word * 4, 4);
    return v;
}

}  // namespace

TEST_CASE("ide: a sector written and read back a word at a time, one interrupt per request") {
    MemoryBlockBackend disk(16);
    IdeController ide(disk);
    CHECK(ide.in(port::IdeSectors) == 16);

    ide.out(port::IdeSector, 5);
    ide.out(port::IdeCount, 1);
    CHECK_FALSE(ide.finishesRequest(port::IdeCommand, ide_command::Write, true));  // the data comes first
    CHECK(ide.out(port::IdeCommand, ide_command::Write) == 0);
    CHECK(ide.in(port::IdeStatus) == (ide_status::Ready | ide_status::DataRequest));
    CHECK_FALSE(ide.interruptPending());
    for (uint32_t w = 0; w < kSectorSize / 4; ++w) {
        const bool last = w + 1 == kSectorSize / 4;
        CHECK(ide.finishesRequest(port::IdeData, 0, true) == last);
        CHECK(ide.out(port::IdeData, pattern(5, w)) == (last ? 1u : 0u));
    }
    CHECK(ide.interruptPending());
    CHECK(ide.in(port::IdeStatus) == ide_status::Ready);  // and acknowledged
    CHECK_FALSE(ide.interruptPending());
    CHECK(backendWord(disk, 5, 127) == pattern(5, 127));

    ide.out(port::IdeSector, 5);
    ide.out(port::IdeCount, 1);
    CHECK(ide.finishesRequest(port::IdeCommand, ide_command::Read, true));
    CHECK(ide.out(port::IdeCommand, ide_command::Read) == 1);
    CHECK(ide.interruptPending());
    CHECK(ide.in(port::IdeStatus) == (ide_status::Ready | ide_status::DataRequest));
    for (uint32_t w = 0; w < kSectorSize / 4; ++w) CHECK(ide.in(port::IdeData) == pattern(5, w));
    CHECK(ide.in(port::IdeStatus) == ide_status::Ready);

    const auto& c = ide.counters();
    CHECK(c.requests == 2);
    CHECK(c.sectors == 2);
    CHECK(c.interrupts == 2);
    CHECK(c.hostRequests == 2);
    CHECK(c.errors == 0);
    CHECK(c.registerAccesses == 1 + 2 * (3 + 128 + 2));  // sectors, then per request: 3 set-up, the words, 2 status
}

TEST_CASE("ide: a request past the end, of no sectors or with an unknown command is an error the guest sees") {
    MemoryBlockBackend disk(8);
    IdeController ide(disk);
    auto command = [&](uint32_t sector, uint32_t count, uint32_t cmd) {
        ide.out(port::IdeSector, sector);
        ide.out(port::IdeCount, count);
        ide.out(port::IdeCommand, cmd);
        return ide.in(port::IdeStatus);
    };
    CHECK(command(7, 2, ide_command::Read) == (ide_status::Ready | ide_status::Error));
    CHECK(ide.in(port::IdeError) == ide_error::PastEnd);
    CHECK(command(0xFFFFFFFFu, 2, ide_command::Write) & ide_status::Error);  // sector + count wraps
    CHECK(command(0, 0, ide_command::Read) & ide_status::Error);
    CHECK(command(0, kIdeMaxCount + 1, ide_command::Read) & ide_status::Error);
    CHECK(command(0, 1, 0x99) & ide_status::Error);
    CHECK(ide.in(port::IdeError) == ide_error::BadCommand);
    CHECK(ide.in(port::IdeData) == 0xFFFFFFFFu);  // no data to give
    CHECK(ide.counters().errors == 5);
    CHECK(ide.counters().interrupts == 5);
    CHECK(ide.counters().hostRequests == 0);  // nothing reached the disk
}

namespace {
constexpr uint32_t kQueue = 0x2000;
constexpr uint32_t kQueueSize = 16;

struct VirtioGuest {
    PhysicalMemory memory{0x10000};
    DmaWindow window{&memory, 0, 0x10000};
    std::shared_ptr<MemoryBlockBackend> disk = std::make_shared<MemoryBlockBackend>(16);
    VirtioBlockDevice device{*disk};
    SharedRingDriver driver{memory, kQueue, kQueueSize};
    uint32_t nextDescriptor = 0;

    void setUp() {
        device.out(port::VirtioQueueSize, kQueueSize, window);
        device.out(port::VirtioQueueAddress, kQueue, window);
    }
    // One request of the batch: header at 0x4000 + 16 n, data at 0x6000 + 512 n, status at 0x5000 + 4 n.
    void request(uint32_t n, uint32_t type, uint32_t sector) {
        memory.write32(0x4000 + 16 * n, type);
        memory.write32(0x4000 + 16 * n + 4, sector);
        memory.write32(0x5000 + 4 * n, 0xFFFFFFFFu);
        driver.offer(nextDescriptor, {{0x4000 + 16 * n, 8, false},
                                      {0x6000 + kSectorSize * n, kSectorSize, type == virtio_block::Read},
                                      {0x5000 + 4 * n, 4, true}},
                     false);
        nextDescriptor += 3;
    }
    uint32_t status(uint32_t n) const { return memory.read32(0x5000 + 4 * n); }
};
}  // namespace

TEST_CASE("virtio: a batch of requests costs one notification and one interrupt") {
    VirtioGuest g;
    g.setUp();
    for (uint32_t n = 0; n < 3; ++n) {
        for (uint32_t w = 0; w < kSectorSize / 4; ++w) g.memory.write32(0x6000 + kSectorSize * n + 4 * w, pattern(n + 2, w));
        g.request(n, virtio_block::Write, n + 2);
    }
    g.driver.publish();
    CHECK(g.driver.deviceWantsNotifications());
    CHECK(g.device.finishesRequest(port::VirtioNotify, true));
    CHECK(g.device.out(port::VirtioNotify, 0, g.window) == 3);  // sectors moved
    CHECK(g.driver.usedIndex() == 3);
    CHECK(g.driver.deviceWantsNotifications());  // quiet only while it worked
    for (uint32_t n = 0; n < 3; ++n) CHECK(g.status(n) == virtio_block::StatusOk);
    CHECK(backendWord(*g.disk, 4, 100) == pattern(4, 100));
    CHECK(g.device.in(port::VirtioInterruptStatus) == virtio_block::InterruptUsed);
    g.device.out(port::VirtioInterruptAck, virtio_block::InterruptUsed, g.window);
    CHECK(g.device.in(port::VirtioInterruptStatus) == 0);

    // Read them back into other buffers, one batch again.
    g.nextDescriptor = 9;
    for (uint32_t n = 3; n < 5; ++n) g.request(n, virtio_block::Read, n - 1);  // sectors 2 and 3
    g.driver.publish();
    CHECK(g.device.out(port::VirtioNotify, 0, g.window) == 2);
    const auto written = g.device.takeWritten();
    CHECK(written.bytes > 0);  // what page watchers must hear of
    CHECK(g.memory.read32(0x6000 + kSectorSize * 3 + 4 * 7) == pattern(2, 7));
    CHECK(g.memory.read32(0x6000 + kSectorSize * 4 + 4 * 127) == pattern(3, 127));
    CHECK(g.driver.usedWritten(3) == kSectorSize + 4);

    const auto& c = g.device.counters();
    CHECK(c.requests == 5);
    CHECK(c.sectors == 5);
    CHECK(c.notifications == 2);
    CHECK(c.interrupts == 2);
    CHECK(c.hostRequests == 2);  // one trip to the storage behind per batch
    CHECK(c.errors == 0);
}

TEST_CASE("virtio: a bad request is answered in its status, and a broken ring is reported, not followed") {
    VirtioGuest g;
    g.setUp();
    SECTION("past the end of the disk") {
        g.request(0, virtio_block::Read, 16);
        g.driver.publish();
        g.device.out(port::VirtioNotify, 0, g.window);
        CHECK(g.status(0) == virtio_block::StatusIoError);
        CHECK(g.device.counters().errors == 1);
        CHECK(g.device.counters().sectors == 0);
    }
    SECTION("an unknown request type") {
        g.request(0, 7, 0);
        g.driver.publish();
        g.device.out(port::VirtioNotify, 0, g.window);
        CHECK(g.status(0) == virtio_block::StatusUnsupported);
    }
    SECTION("a buffer outside the guest's memory") {
        g.driver.offer(0, {{0x4000, 8, false}, {0xFFF0, kSectorSize, true}, {0x5000, 4, true}});
        g.device.out(port::VirtioNotify, 0, g.window);
        CHECK(g.device.in(port::VirtioInterruptStatus) & virtio_block::InterruptBroken);
        CHECK(g.device.ring().error() == SharedRing::Error::DescriptorOutsideMemory);
        CHECK(g.driver.usedIndex() == 0);  // nothing given back
        g.device.out(port::VirtioReset, 0, g.window);  // the driver starts over
        CHECK(g.device.in(port::VirtioInterruptStatus) == 0);
    }
    SECTION("a queue outside the guest's memory") {
        g.device.out(port::VirtioQueueAddress, 0xFF00, g.window);
        CHECK(g.device.in(port::VirtioInterruptStatus) & virtio_block::InterruptBroken);
        CHECK_FALSE(g.device.ring().attached());
    }
}

TEST_CASE("virtio: a driver that polls asks for no interrupt and gets none") {
    VirtioGuest g;
    g.setUp();
    g.driver.wantInterrupts(false);
    g.request(0, virtio_block::Read, 0);
    g.driver.publish();
    g.device.out(port::VirtioNotify, 0, g.window);
    CHECK(g.driver.usedIndex() == 1);
    CHECK(g.device.counters().interrupts == 0);
    CHECK_FALSE(g.device.interruptPending());
}

TEST_CASE("disk front end: none unless asked for, and each kind answers only its own ports") {
    DeviceSet devices;
    PhysicalMemory memory(0x1000);
    const DmaWindow window{&memory, 0, 0x1000};
    CHECK(devices.in(port::IdeSectors, 0).value == 0xFFFFFFFFu);  // nothing drives the bus
    CHECK_FALSE(devices.in(port::VirtioSectors, 0).known);
    CHECK(DeviceSet::answers(port::IdeData));  // the ports are the machine's, a VM may touch them
    CHECK(portName(port::VirtioNotify) == "virtio.notify");

    devices.diskFrontEnd.attach(DiskFrontEndKind::Ide, 32);
    CHECK(devices.in(port::IdeSectors, 0).value == 32);
    CHECK(devices.in(port::VirtioSectors, 0).value == 0xFFFFFFFFu);
    devices.out(port::IdeSector, 1, window, 0);
    devices.out(port::IdeCount, 1, window, 0);
    CHECK(devices.finishesHostRequest(port::IdeCommand, ide_command::Read, true));
    const auto access = devices.out(port::IdeCommand, ide_command::Read, window, 0);
    CHECK(access.hostRequest);
    CHECK(access.sectorsMoved == 1);

    devices.diskFrontEnd.attach(DiskFrontEndKind::Virtio, 8);
    CHECK(devices.in(port::VirtioSectors, 0).value == 8);
    CHECK(devices.in(port::IdeSectors, 0).value == 0xFFFFFFFFu);
    CHECK(diskFrontEndFromName("virtio") == DiskFrontEndKind::Virtio);
    CHECK_FALSE(diskFrontEndFromName("scsi"));
}
