// The shared-ring queue on its own, with a test playing the driver: requests
// go round the ring many times, each side's quiet wish is seen by the other,
// and whatever a driver writes wrong breaks the ring instead of the device.
#include <catch2/catch.hpp>

#include "cpu-model/shared_ring.h"
#include "shared_ring_driver.h"

using namespace ringsim;
using ringsim::test::SharedRingDriver;

namespace {
constexpr uint32_t kWindowBase = 0x10000;  // the guest's partition starts here in physical memory
constexpr uint32_t kWindowBytes = 0x8000;
constexpr uint32_t kQueue = 0x1000;  // window-relative
constexpr uint32_t kSize = 4;

struct Guest {
    PhysicalMemory memory{kWindowBase + kWindowBytes + 0x1000};
    DmaWindow window{&memory, kWindowBase, kWindowBytes};
    SharedRingDriver driver{memory, kWindowBase + kQueue, kSize};
};
}  // namespace

TEST_CASE("shared ring: requests go round the ring many times, in order, each given back once") {
    Guest g;
    SharedRing ring;
    REQUIRE(ring.attach(g.window, kQueue, kSize) == SharedRing::Error::None);
    for (uint32_t n = 0; n < 3 * kSize + 1; ++n) {
        const uint32_t head = (n % 2) * 2;  // two-descriptor chains: descriptors 0-1 and 2-3 in turn
        g.driver.offer(head, {{0x4000 + 0x10 * n, 8, false}, {0x5000, 4, true}});
        REQUIRE(ring.pending() == 1);
        auto chain = ring.takeNext();
        REQUIRE(chain);
        CHECK(chain->head == head);
        REQUIRE(chain->buffers.size() == 2);
        CHECK(chain->buffers[0].address == 0x4000 + 0x10 * n);
        CHECK_FALSE(chain->buffers[0].deviceWrites);
        CHECK(chain->buffers[1].deviceWrites);
        CHECK_FALSE(ring.takeNext());
        ring.complete(chain->head, 4);
        CHECK(g.driver.usedIndex() == n + 1);
        CHECK(g.driver.usedHead(n) == head);
        CHECK(g.driver.usedWritten(n) == 4);
    }
    CHECK(ring.error() == SharedRing::Error::None);
}

TEST_CASE("shared ring: the free-running indices wrap at 2^32 without losing a request") {
    Guest g;
    g.driver.setAvailableIndex(0xFFFFFFFEu);
    g.driver.setUsedIndex(0xFFFFFFFEu);
    SharedRing ring;
    REQUIRE(ring.attach(g.window, kQueue, kSize) == SharedRing::Error::None);
    for (uint32_t d = 0; d < kSize; ++d) g.driver.offer(d, {{0x4000, 512, true}}, false);
    g.driver.publish();  // one batch of four across the wrap
    REQUIRE(ring.pending() == kSize);
    for (uint32_t d = 0; d < kSize; ++d) {
        auto chain = ring.takeNext();
        REQUIRE(chain);
        CHECK(chain->head == d);
        ring.complete(chain->head, 512);
    }
    CHECK(ring.pending() == 0);
    CHECK(g.driver.usedIndex() == 2);  // 0xFFFFFFFE + 4
    CHECK(g.driver.usedHead(0xFFFFFFFFu) == 1);
    CHECK(g.driver.usedHead(0) == 2);
}

TEST_CASE("shared ring: each side's wish for quiet is seen by the other") {
    Guest g;
    SharedRing ring;
    REQUIRE(ring.attach(g.window, kQueue, kSize) == SharedRing::Error::None);
    CHECK(g.driver.deviceWantsNotifications());
    ring.suppressNotifications(true);  // the device is busy: the driver need not notify
    CHECK_FALSE(g.driver.deviceWantsNotifications());
    CHECK(ring.notificationsSuppressed());
    ring.suppressNotifications(false);
    CHECK(g.driver.deviceWantsNotifications());

    CHECK(ring.driverWantsInterrupts());
    g.driver.wantInterrupts(false);  // the driver polls: the device need not interrupt
    CHECK_FALSE(ring.driverWantsInterrupts());
}

TEST_CASE("shared ring: what the device wrote is reported as one span, window-relative") {
    Guest g;
    SharedRing ring;
    REQUIRE(ring.attach(g.window, kQueue, kSize) == SharedRing::Error::None);
    g.driver.offer(0, {{0x6000, 8, true}});
    auto chain = ring.takeNext();
    REQUIRE(chain);
    const uint8_t bytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ring.writeBytes(chain->buffers[0].address, bytes, 8);
    CHECK(g.memory.read8(kWindowBase + 0x6007) == 8);
    ring.complete(chain->head, 8);
    const auto written = ring.takeWritten();
    CHECK(written.address == kQueue + shared_ring::usedOffset(kSize) + 4);  // the used index, then its element
    CHECK(written.address + written.bytes == 0x6008);
    CHECK(ring.takeWritten().bytes == 0);
}

TEST_CASE("shared ring: a queue that does not fit or has a bad size is refused") {
    Guest g;
    SharedRing ring;
    CHECK(ring.attach(g.window, kQueue, 3) == SharedRing::Error::BadSize);
    CHECK(ring.attach(g.window, kQueue, 0) == SharedRing::Error::BadSize);
    CHECK(ring.attach(g.window, kQueue, 512) == SharedRing::Error::BadSize);
    CHECK(ring.attach(g.window, kWindowBytes - 8, kSize) == SharedRing::Error::QueueOutsideMemory);
    CHECK(ring.attach(g.window, 0xFFFFFFF0u, kSize) == SharedRing::Error::QueueOutsideMemory);
    CHECK_FALSE(ring.attached());
    CHECK_FALSE(ring.takeNext());
    ring.complete(0, 0);  // nothing to give back to: no effect, no crash
}

TEST_CASE("shared ring: a driver's mistake breaks the ring, never the device") {
    Guest g;
    SharedRing ring;
    REQUIRE(ring.attach(g.window, kQueue, kSize) == SharedRing::Error::None);

    SECTION("a buffer outside the guest's memory") {
        g.driver.offer(0, {{kWindowBytes - 4, 8, true}});
        CHECK_FALSE(ring.takeNext());
        CHECK(ring.error() == SharedRing::Error::DescriptorOutsideMemory);
    }
    SECTION("a buffer whose end wraps past 2^32") {
        g.driver.offer(0, {{0xFFFFFFF0u, 0x20, false}});
        CHECK_FALSE(ring.takeNext());
        CHECK(ring.error() == SharedRing::Error::DescriptorOutsideMemory);
    }
    SECTION("an available entry naming no descriptor") {
        g.driver.offer(0, {{0x4000, 8, false}});
        g.memory.write32(kWindowBase + kQueue + shared_ring::availableOffset(kSize) + 8, kSize);
        CHECK_FALSE(ring.takeNext());
        CHECK(ring.error() == SharedRing::Error::HeadOutOfRange);
    }
    SECTION("a chain that loops") {
        g.driver.offer(0, {{0x4000, 8, false}, {0x4100, 8, false}});
        g.driver.setDescriptorWord(1, 2, shared_ring::Next);
        g.driver.setDescriptorWord(1, 3, 0);  // back to the head
        CHECK_FALSE(ring.takeNext());
        CHECK(ring.error() == SharedRing::Error::ChainTooLong);
    }
    SECTION("an available index far ahead of the device") {
        g.driver.setAvailableIndex(kSize + 1);
        CHECK_FALSE(ring.takeNext());
        CHECK(ring.error() == SharedRing::Error::TooManyAvailable);
    }
    // Once broken it stays broken: nothing more is taken, nothing is written.
    g.driver.offer(2, {{0x4000, 8, false}});
    CHECK_FALSE(ring.attached());
    CHECK_FALSE(ring.takeNext());
    const uint32_t usedBefore = g.driver.usedIndex();
    ring.complete(0, 8);
    CHECK(g.driver.usedIndex() == usedBefore);
    CHECK_FALSE(SharedRing::errorName(ring.error()).empty());
}
