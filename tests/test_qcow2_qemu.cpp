// Images ringsim writes are ones qemu-img accepts (check: no errors or
// leaks; info --backing-chain: the chain; map: exactly the clusters ringsim
// reports), and ringsim reads the images qemu-img and qemu-io write.
// Skipped, with a warning, only where qemu-utils is not installed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "qemu_img_checks.h"
#include "storage/image_chain.h"
#include "storage/image_files.h"

using namespace ringsim::storage;
using ringsim::test::haveQemuImg;
using ringsim::test::qemuMappedClusters;
using ringsim::test::requireQemuCheckClean;
using ringsim::test::runTool;
using ringsim::test::TempFolder;

namespace {

constexpr uint64_t kMiB = 1 << 20;

std::vector<uint8_t> filled(size_t n, uint8_t value) { return std::vector<uint8_t>(n, value); }

}  // namespace

TEST_CASE("qemu-img finds ringsim's images clean and maps the clusters ringsim reports", "[storage][qemu]") {
    if (!haveQemuImg()) return;
    TempFolder dir("qemu_accepts");
    auto base = createImageFile(dir / "base.qcow2", 64 * kMiB, "", 16);
    base->write(100000, filled(70000, 0xab));
    base->write(40 * kMiB, filled(512, 0x01));
    saveImageFile(*base, dir / "base.qcow2");
    auto top = createImageFile(dir / "top.qcow2", 0, dir / "base.qcow2", 16);
    top->write(1000, filled(10, 0xcd));
    top->write(120000, filled(10, 0xcd));  // a copy-on-write of the base's cluster 1
    saveImageFile(*top, dir / "top.qcow2");
    CHECK(top->counters().copyOnWriteCopies == 1);

    requireQemuCheckClean(dir / "base.qcow2", base->allocatedClusters().size());
    requireQemuCheckClean(dir / "top.qcow2", top->allocatedClusters().size());
    CHECK(qemuMappedClusters(dir / "base.qcow2", 65536) == base->allocatedClusters());
    CHECK(qemuMappedClusters(dir / "top.qcow2", 65536) == top->allocatedClusters());

    const auto info = runTool("qemu-img info --backing-chain --output=json " + (dir / "top.qcow2"), false);
    REQUIRE(info.code == 0);
    const auto chain = nlohmann::json::parse(info.text);
    REQUIRE(chain.size() == 2);
    CHECK(chain[0].at("filename") == dir / "top.qcow2");
    CHECK(chain[0].at("backing-filename") == "base.qcow2");
    CHECK(chain[0].at("virtual-size") == 64 * kMiB);
    CHECK(chain[1].at("filename").get<std::string>().ends_with("base.qcow2"));
    CHECK(!chain[1].contains("backing-filename"));
}

TEST_CASE("qemu-img accepts small clusters, many refcount blocks, snapshots and clones", "[storage][qemu]") {
    if (!haveQemuImg()) return;
    TempFolder dir("qemu_chain");
    auto disk = createImageFile(dir / "disk.qcow2", 4 * kMiB, "", 9);
    disk->write(512 * 1024, filled(3 * kMiB, 0x11));
    saveImageFile(*disk, dir / "disk.qcow2");
    requireQemuCheckClean(dir / "disk.qcow2", 3 * kMiB / 512);

    const auto frozen = snapshotImageFile(dir / "disk.qcow2", "before");
    cloneImageFile(frozen, dir / "clone.qcow2");
    auto clone = openImageFile(dir / "clone.qcow2");
    clone->write(512 * 1024 + 7, filled(3, 0x22));
    saveImageFile(*clone, dir / "clone.qcow2");
    requireQemuCheckClean(dir / "clone.qcow2", 1);
    requireQemuCheckClean(dir / "disk.qcow2", 0);
    CHECK(qemuMappedClusters(dir / "clone.qcow2", 512) == std::vector<uint64_t>{1024});

    const auto info = runTool("qemu-img info --backing-chain --output=json " + (dir / "clone.qcow2"), false);
    const auto chain = nlohmann::json::parse(info.text);
    REQUIRE(chain.size() == 2);
    CHECK(chain[0].at("backing-filename") == "disk.before.qcow2");
    // What qemu reads through the chain is what ringsim wrote.
    const auto read = runTool("qemu-io -f qcow2 -r -c 'read -P 0x22 524295 3' -c 'read -P 0x11 524290 5' " +
                              (dir / "clone.qcow2"));
    INFO(read.text);
    CHECK(read.code == 0);
    CHECK(read.text.find("Pattern verification failed") == std::string::npos);
}

TEST_CASE("ringsim reads what qemu-img and qemu-io write, and writes to it cleanly", "[storage][qemu]") {
    if (!haveQemuImg()) return;
    if (!ringsim::test::toolInstalled("qemu-io")) {
        WARN("qemu-io is not installed; reading images written by qemu is skipped");
        return;
    }
    TempFolder dir("qemu_writes");
    const std::string base = dir / "base.qcow2", top = dir / "top.qcow2";
    REQUIRE(runTool("qemu-img create -q -f qcow2 " + base + " 4M").code == 0);
    REQUIRE(runTool("qemu-io -f qcow2 -c 'write -P 0xab 0 64k' -c 'write -P 0xcd 100k 4k' " + base).code == 0);
    REQUIRE(runTool("qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 " + top).code == 0);
    REQUIRE(runTool("qemu-io -f qcow2 -c 'write -P 0x11 8k 512' -c 'write -z 1M 64k' " + top).code == 0);

    auto image = openImageFile(top);
    CHECK(image->backingName() == "base.qcow2");
    CHECK(backingChain(*image).size() == 2);
    auto byteAt = [&](uint64_t offset) {
        std::vector<uint8_t> b(1);
        image->read(offset, b);
        return b[0];
    };
    CHECK(byteAt(0) == 0xab);
    CHECK(byteAt(8192) == 0x11);
    CHECK(byteAt(8704) == 0xab);
    CHECK(byteAt(100 * 1024) == 0xcd);
    CHECK(byteAt(kMiB) == 0);  // a zero cluster
    CHECK(image->check().clean());
    CHECK(image->allocatedClusters() == std::vector<uint64_t>{0});

    image->write(3000000, filled(100, 0x77));
    image->write(kMiB + 10, filled(100, 0x77));
    saveImageFile(*image, top);
    requireQemuCheckClean(top, 3);
    const auto read = runTool("qemu-io -f qcow2 -r -c 'read -P 0x77 3000000 100' -c 'read -P 0 1048576 10' " + top);
    INFO(read.text);
    CHECK(read.code == 0);
    CHECK(read.text.find("Pattern verification failed") == std::string::npos);
}
