// The storage pool in memory: thin space that follows the images' clusters,
// golden bases with per-VM overlays, snapshots, reverts and clones, a full
// device refusing a write without harm, and the disk backend a VM's device
// will use.
#include <catch2/catch.hpp>
#include <vector>

#include "storage/disk_backend.h"
#include "storage/failure_plan.h"
#include "storage/storage_pool.h"

using namespace ringsim::storage;

namespace {

constexpr uint64_t kMiB = 1 << 20;
constexpr uint64_t kCluster = 64 * 1024;

std::vector<uint8_t> filled(size_t n, uint8_t value) { return std::vector<uint8_t>(n, value); }

uint8_t byteAt(const StoragePool& pool, const std::string& disk, uint64_t offset) {
    std::vector<uint8_t> b(1);
    pool.read(disk, offset, b);
    return b[0];
}

uint64_t clustersOf(const StoragePool& pool, const std::string& disk) {
    return pool.topImage(pool.disk(disk).replicas.front()).allocatedClusters().size();
}

}  // namespace

TEST_CASE("a pool's space is taken cluster by cluster, and overlays pay only for what they change", "[storage][pool]") {
    StoragePool pool("lab", 16);
    pool.addDevice("a", 1000);
    pool.createDisk("golden", 64 * kMiB, "a");
    const uint64_t empty = pool.device("a").usedClusters();
    CHECK(empty == pool.topImage(pool.disk("golden").replicas.front()).hostClusters());
    pool.write("golden", 0, filled(64 * kCluster, 0x5a));
    CHECK(clustersOf(pool, "golden") == 64);
    const uint64_t base = pool.device("a").usedClusters();
    CHECK(base == empty + 64 + 1);  // and one L2 table

    for (const char* vm : {"vm1", "vm2", "vm3", "vm4"}) pool.createOverlayDisk(vm, "golden");
    CHECK(pool.disk("golden").frozen);
    pool.write("vm1", 100, filled(10, 0x11));  // a copy-on-write copy of golden's cluster 0
    pool.write("vm2", 20 * kCluster, filled(kCluster, 0x22));  // a whole cluster: nothing to copy
    CHECK(clustersOf(pool, "vm1") == 1);
    CHECK(clustersOf(pool, "vm2") == 1);
    CHECK(clustersOf(pool, "vm3") == 0);
    CHECK(pool.counters().copyOnWriteCopies == 1);
    CHECK(byteAt(pool, "vm1", 100) == 0x11);
    CHECK(byteAt(pool, "vm1", 99) == 0x5a);
    CHECK(byteAt(pool, "vm3", 100) == 0x5a);
    CHECK(byteAt(pool, "golden", 100) == 0x5a);
    // Four VMs on one golden image: the base, four empty overlays, and two clusters each (data, L2 table) for
    // the two that wrote; far less than four full copies.
    CHECK(pool.device("a").usedClusters() == base + 4 * empty + 2 * 2);

    CHECK_THROWS_WITH(pool.write("golden", 0, filled(1, 0)), Catch::Contains("read-only"));
    CHECK(pool.counters().refusedWrites == 1);
    CHECK_THROWS_WITH(pool.write("nobody", 0, filled(1, 0)), Catch::Contains("no disk named 'nobody'"));
}

TEST_CASE("snapshots, a revert and a linked clone keep what each disk saw", "[storage][pool]") {
    StoragePool pool("lab", 16);
    pool.addDevice("a", 1000);
    pool.createDisk("vm1", 4 * kMiB, "a");
    pool.write("vm1", 0, filled(512, 0x01));
    pool.snapshot("vm1", "monday");
    pool.write("vm1", 0, filled(512, 0x02));
    pool.write("vm1", kMiB, filled(512, 0x03));
    CHECK(pool.snapshots("vm1") == std::vector<std::string>{"monday"});
    pool.clone("vm1", "monday", "vm2");
    CHECK(byteAt(pool, "vm2", 0) == 0x01);
    const uint64_t before = pool.device("a").usedClusters();
    pool.revert("vm1", "monday");
    CHECK(byteAt(pool, "vm1", 0) == 0x01);
    CHECK(byteAt(pool, "vm1", kMiB) == 0x00);
    CHECK(pool.device("a").usedClusters() < before);  // the dropped overlay's clusters came back
    CHECK_THROWS_WITH(pool.revert("vm1", "tuesday"), Catch::Contains("no snapshot 'tuesday'"));
    CHECK_THROWS_WITH(pool.snapshot("vm1", "../x"), Catch::Contains("letters, digits"));
    CHECK_THROWS_WITH(pool.snapshot("vm1", "monday"), Catch::Contains("already has a snapshot"));
    for (const auto& [file, image] : pool.device("a").images) CHECK(image->check().clean());
}

TEST_CASE("a full device refuses a write before any of it lands, and counts it", "[storage][pool]") {
    StoragePool pool("small", 16);
    pool.addDevice("a", 12);
    pool.createDisk("vm1", 64 * kMiB, "a");
    const uint64_t free = pool.device("a").freeClusters();
    REQUIRE(free > 2);
    pool.write("vm1", 0, filled(kCluster, 0x11));  // one data cluster and one L2 table
    CHECK(pool.device("a").freeClusters() == free - 2);
    const std::vector<uint8_t> fileBefore = pool.topImage(pool.disk("vm1").replicas.front()).fileBytes();
    CHECK_THROWS_AS(pool.write("vm1", kCluster, filled(free * kCluster, 0x22)), PoolFullError);
    CHECK_THROWS_WITH(pool.write("vm1", kCluster, filled(free * kCluster, 0x22)), Catch::Contains("device a is full"));
    CHECK(pool.counters().refusedWrites == 2);
    CHECK(pool.topImage(pool.disk("vm1").replicas.front()).fileBytes() == fileBefore);
    CHECK(pool.topImage(pool.disk("vm1").replicas.front()).check().clean());
    // What fits still goes in, up to the last cluster.
    pool.write("vm1", kCluster, filled((free - 2) * kCluster, 0x33));
    CHECK(pool.device("a").freeClusters() == 0);
    CHECK(byteAt(pool, "vm1", 0) == 0x11);
    CHECK_THROWS_AS(pool.write("vm1", 40 * kMiB, filled(1, 0)), PoolFullError);
    CHECK_THROWS_AS(pool.createDisk("vm2", kMiB, "a"), PoolFullError);
}

TEST_CASE("a failure plan reads 'DEVICE after N writes'", "[storage][pool]") {
    const auto plan = parseFailurePlan("b after 100 writes");
    REQUIRE(plan);
    CHECK(plan->device == "b");
    CHECK(plan->afterWrites == 100);
    CHECK(parseFailurePlan("fail b after 1 write"));
    CHECK_FALSE(parseFailurePlan("b after many writes"));
    CHECK_FALSE(parseFailurePlan("b before 3 writes"));
    CHECK_FALSE(parseFailurePlan("b after 3 writes now"));
    CHECK_FALSE(parseFailurePlan("../b after 3 writes"));
}

TEST_CASE("a mirrored disk in memory loses nothing when a device fails and resyncs what it missed",
          "[storage][pool][replica]") {
    StoragePool pool("mirror", 12);  // 4 KiB clusters
    pool.addDevice("a", 4000);
    pool.addDevice("b", 4000);
    pool.createDisk("vm1", 4 * kMiB, "a", "b");
    pool.planFailure({"b", 10});
    PoolDiskBackend disk(pool, "vm1");
    CHECK(disk.sectorCount() == 4 * kMiB / 512);
    for (uint64_t i = 0; i < 20; ++i) disk.writeSectors(i * 16, filled(1024, uint8_t(i + 1)));  // 2 of every 8 KiB
    CHECK(pool.device("b").failed);
    CHECK(pool.disk("vm1").replicas[1].missedClusters.size() == 10);
    std::vector<uint8_t> sectors(1024);
    for (uint64_t i = 0; i < 20; ++i) {
        disk.readSectors(i * 16, sectors);
        CHECK(sectors == filled(1024, uint8_t(i + 1)));
    }
    pool.restoreDevice("b");
    CHECK(pool.counters().resyncClusters == 10);
    CHECK(pool.counters().resyncBytes == 10 * 4096);
    CHECK(pool.topImage(pool.disk("vm1").replicas[0]).allocatedClusters() ==
          pool.topImage(pool.disk("vm1").replicas[1]).allocatedClusters());

    CHECK_THROWS_WITH(disk.writeSectors(0, filled(100, 0)), Catch::Contains("not a whole number of sectors"));
    CHECK_THROWS_WITH(disk.readSectors(disk.sectorCount(), sectors), Catch::Contains("past the end"));
    pool.failDevice("a");
    pool.failDevice("b");
    CHECK_THROWS_WITH(disk.writeSectors(0, filled(512, 0)), Catch::Contains("every device holding it has failed"));
    CHECK_THROWS_AS(PoolDiskBackend(pool, "vm9"), ImageError);
}
