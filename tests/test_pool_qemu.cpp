// A pool kept in folders writes images qemu-img accepts: every file is
// clean, `info --backing-chain` shows the chain the pool reports and `map`
// the clusters it reports. A mirrored disk whose device fails half-way
// loses nothing, and after the resync its two replicas hold the same disk
// (`qemu-img compare`). Skipped, with a warning, where qemu-utils is not installed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "qemu_img_checks.h"
#include "storage/disk_backend.h"
#include "storage/pool_manifest.h"

using namespace ringsim::storage;
using ringsim::test::haveQemuImg;
using ringsim::test::qemuMappedClusters;
using ringsim::test::requireQemuCheckClean;
using ringsim::test::runTool;
using ringsim::test::TempFolder;

namespace {

constexpr uint64_t kMiB = 1 << 20;

std::vector<uint8_t> filled(size_t n, uint8_t value) { return std::vector<uint8_t>(n, value); }

StoragePool poolIn(const TempFolder& dir, uint64_t capacity, uint32_t clusterBits) {
    StoragePool pool("lab", clusterBits);
    for (const char* name : {"a", "b"}) {
        std::filesystem::create_directories(dir.path / name);
        pool.addDevice(name, capacity, dir.path / name);
    }
    return pool;
}

// Every image on the device is clean and maps what the pool says it holds.
void requireDeviceAcceptedByQemu(const PoolDevice& dev, uint64_t clusterSize) {
    for (const auto& [file, image] : dev.images) {
        const std::string path = (dev.directory / file).string();
        requireQemuCheckClean(path, image->allocatedClusters().size());
        CHECK(qemuMappedClusters(path, clusterSize) == image->allocatedClusters());
    }
}

std::vector<std::string> qemuChain(const std::string& file) {
    const auto info = runTool("qemu-img info --backing-chain --output=json " + file, false);
    REQUIRE(info.code == 0);
    std::vector<std::string> chain;
    for (const auto& layer : nlohmann::json::parse(info.text))
        chain.push_back(std::filesystem::path(layer.at("filename").get<std::string>()).filename().string());
    return chain;
}

}  // namespace

TEST_CASE("qemu-img accepts every image a pool writes, with the chains and clusters it reports",
          "[storage][pool][qemu]") {
    if (!haveQemuImg()) return;
    TempFolder dir("pool_qemu");
    {
        StoragePool pool = poolIn(dir, 4096, 16);
        pool.createDisk("golden", 64 * kMiB, "a");
        pool.write("golden", 0, filled(3 * 65536, 0x5a));
        pool.write("golden", 40 * kMiB, filled(4096, 0x5b));
        pool.createOverlayDisk("vm1", "golden");
        pool.createOverlayDisk("vm2", "golden", "b");  // golden's chain is copied to b
        pool.write("vm1", 1000, filled(10, 0x11));
        pool.write("vm2", 70000, filled(100, 0x22));
        pool.snapshot("vm1", "monday");
        pool.write("vm1", 2 * kMiB, filled(65536, 0x33));
        pool.clone("vm1", "monday", "vm3");
        pool.write("vm3", 5 * kMiB, filled(512, 0x44));
        pool.snapshot("vm1", "tuesday");
        pool.write("vm1", 3 * kMiB, filled(512, 0x55));
        pool.revert("vm1", "tuesday");
        savePool(pool, dir.path);
    }
    StoragePool pool = openPool(dir.path);
    for (const PoolDevice& dev : pool.devices()) requireDeviceAcceptedByQemu(dev, 65536);
    CHECK(qemuChain(dir / "a/vm3.qcow2") == std::vector<std::string>{"vm3.qcow2", "vm1.monday.qcow2", "golden.qcow2"});
    CHECK(qemuChain(dir / "a/vm1.qcow2") ==
          std::vector<std::string>{"vm1.qcow2", "vm1.tuesday.qcow2", "vm1.monday.qcow2", "golden.qcow2"});
    CHECK(qemuChain(dir / "b/vm2.qcow2") == std::vector<std::string>{"vm2.qcow2", "golden.qcow2"});
    CHECK(pool.snapshots("vm1") == std::vector<std::string>{"monday", "tuesday"});
    // What qemu reads through a chain is what the pool wrote.
    const auto read = runTool("qemu-io -f qcow2 -r -c 'read -P 0x44 5242880 512' -c 'read -P 0x11 1000 10' "
                              "-c 'read -P 0x5a 1010 100' " + (dir / "a/vm3.qcow2"));
    INFO(read.text);
    CHECK(read.code == 0);
    CHECK(read.text.find("Pattern verification failed") == std::string::npos);
    // Reopened from its folder, the pool counts the same space.
    uint64_t used = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path / "a"))
        used += std::filesystem::file_size(entry.path()) / 65536;
    CHECK(pool.device("a").usedClusters() == used);
}

TEST_CASE("a mirrored disk loses nothing when a device fails half-way, and the resync makes the replicas equal",
          "[storage][pool][replica][qemu]") {
    if (!haveQemuImg()) return;
    TempFolder dir("pool_replica");
    StoragePool pool = poolIn(dir, 8192, 12);  // 4 KiB clusters: many of them
    pool.createDisk("base", 8 * kMiB, "a");
    pool.write("base", 0, filled(kMiB, 0x77));
    pool.createOverlayDisk("vm", "base", "b");
    PoolDiskBackend disk(pool, "vm");

    constexpr int kWrites = 400;
    pool.planFailure({"b", kWrites / 2});
    std::mt19937_64 random(16);
    std::vector<uint8_t> expected(8 * kMiB);
    pool.read("vm", 0, expected);
    std::set<uint64_t> writtenWhileDegraded;
    for (int i = 0; i < kWrites; ++i) {
        const uint64_t sectors = 1 + random() % 24;
        const uint64_t first = random() % (disk.sectorCount() - sectors);
        std::vector<uint8_t> data(sectors * 512);
        for (uint8_t& b : data) b = uint8_t(random());
        const bool degraded = pool.device("b").failed;
        disk.writeSectors(first, data);
        std::copy(data.begin(), data.end(), expected.begin() + int64_t(first * 512));
        if (degraded)
            for (uint64_t c = first * 512 / 4096; c <= ((first + sectors) * 512 - 1) / 4096; ++c)
                writtenWhileDegraded.insert(c);
        if (i == kWrites / 2 - 1) CHECK(pool.device("b").failed);
    }
    REQUIRE(!writtenWhileDegraded.empty());
    std::vector<uint8_t> seen(expected.size());
    disk.readSectors(0, seen);
    CHECK(seen == expected);  // the survivor lost nothing
    disk.flush();              // b is down: only a's files are written
    CHECK(pool.disk("vm").replicas[1].missedClusters == writtenWhileDegraded);

    pool.restoreDevice("b");
    CHECK(pool.counters().resyncClusters == writtenWhileDegraded.size());
    CHECK(pool.counters().resyncBytes == writtenWhileDegraded.size() * 4096);
    const uint64_t guest = pool.counters().guestBytesWritten;
    CHECK(pool.device("a").bytesWritten >= guest);
    CHECK(pool.device("b").bytesWritten < pool.device("a").bytesWritten);  // it missed half the run
    savePool(pool, dir.path);

    for (const PoolDevice& dev : pool.devices()) requireDeviceAcceptedByQemu(dev, 4096);
    const auto compare = runTool("qemu-img compare -f qcow2 -F qcow2 " + (dir / "a/vm.qcow2") + " " + (dir / "b/vm.qcow2"));
    INFO(compare.text);
    CHECK(compare.code == 0);
    // Each replica alone reads back the whole disk.
    StoragePool reopened = openPool(dir.path);
    for (const Replica& r : reopened.disk("vm").replicas) {
        std::vector<uint8_t> bytes(expected.size());
        reopened.topImage(r).read(0, bytes);
        CHECK(bytes == expected);
    }
}
