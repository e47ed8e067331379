// The qcow2 image model in memory: thin provisioning, copy-on-write
// overlays, snapshots and clones, the file's bytes read back, and the
// consistency check (core/storage).
#include <catch2/catch.hpp>
#include <numeric>
#include <vector>

#include "storage/big_endian.h"
#include "storage/image_chain.h"
#include "storage/image_error.h"
#include "storage/qcow2_image.h"
#include "storage/qcow2_layout.h"

using namespace ringsim::storage;

namespace {

constexpr uint64_t kMiB = 1 << 20;

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
    std::vector<uint8_t> bytes(n);
    for (size_t i = 0; i < n; ++i) bytes[i] = uint8_t(seed + i * 7);
    return bytes;
}

std::vector<uint8_t> readBack(const Qcow2Image& image, uint64_t offset, size_t n) {
    std::vector<uint8_t> bytes(n);
    image.read(offset, bytes);
    return bytes;
}

std::shared_ptr<Qcow2Image> reparse(const Qcow2Image& image, std::shared_ptr<const Qcow2Image> backing = nullptr) {
    return Qcow2Image::parse(image.fileBytes(), image.name(),
                             [backing](const std::string&) { return backing; });
}

}  // namespace

TEST_CASE("a new image is thin: it reads as zeros and holds no data cluster", "[storage]") {
    auto image = Qcow2Image::create("empty.qcow2", 64 * kMiB, {});
    CHECK(image->virtualSize() == 64 * kMiB);
    CHECK(image->clusterSize() == 64 * 1024);
    CHECK(image->allocatedClusters().empty());
    CHECK(readBack(*image, 10 * kMiB, 4096) == std::vector<uint8_t>(4096, 0));
    CHECK(image->fileBytes().size() < 64 * kMiB / 100);  // only its tables, nothing of the 64 MiB
    CHECK(image->check().clean());
}

TEST_CASE("a write takes a cluster on first touch only, and reads back across cluster boundaries", "[storage]") {
    auto image = Qcow2Image::create("thin.qcow2", 16 * kMiB, {});
    const auto data = pattern(100000, 3);  // from inside cluster 1 into cluster 3
    image->write(100000, data);
    CHECK(image->allocatedClusters() == std::vector<uint64_t>{1, 2, 3});
    CHECK(image->counters().clustersAllocated == 3);
    CHECK(image->counters().bytesWritten == 100000);
    CHECK(readBack(*image, 100000, data.size()) == data);
    CHECK(readBack(*image, 99990, 10) == std::vector<uint8_t>(10, 0));

    image->write(100000, pattern(10, 9));  // rewriting a held cluster takes nothing new
    CHECK(image->counters().clustersAllocated == 3);
    CHECK(image->check().clean());
}

TEST_CASE("an image's bytes parse back to the same disk, and it checks clean", "[storage]") {
    // 512-byte clusters: a few MiB of writes need many refcount blocks and L2 tables.
    CreateOptions small;
    small.clusterBits = 9;
    auto image = Qcow2Image::create("small.qcow2", 4 * kMiB, small);
    const auto data = pattern(3 * kMiB, 11);
    image->write(512 * 1024, data);
    const CheckReport report = image->check();
    INFO((report.errors.empty() ? std::string() : report.errors.front()));
    CHECK(report.clean());
    CHECK(report.allocatedClusters == 3 * kMiB / 512);

    auto again = reparse(*image);
    CHECK(again->virtualSize() == 4 * kMiB);
    CHECK(readBack(*again, 512 * 1024, data.size()) == data);
    CHECK(again->allocatedClusters() == image->allocatedClusters());
    again->write(0, pattern(100, 1));
    CHECK(again->check().clean());
}

TEST_CASE("every cluster of a disk can be written, whatever the cluster size", "[storage]") {
    for (uint32_t bits : {9u, 12u, 16u}) {
        CreateOptions options;
        options.clusterBits = bits;
        auto image = Qcow2Image::create("full.qcow2", 2 * kMiB + 512, options);
        image->write(0, pattern(2 * kMiB + 512, uint8_t(bits)));
        INFO("clusters of 2^" << bits);
        CHECK(image->check().clean());
        CHECK(readBack(*reparse(*image), 0, 2 * kMiB + 512) == pattern(2 * kMiB + 512, uint8_t(bits)));
    }
}

TEST_CASE("an overlay reads through to its base, and a partial write copies the base's cluster first", "[storage]") {
    auto base = Qcow2Image::create("base.qcow2", 4 * kMiB, {});
    const auto baseData = pattern(128 * 1024, 5);  // clusters 0 and 1
    base->write(0, baseData);
    auto overlay = makeOverlay(base, "top.qcow2", "base.qcow2");
    CHECK(overlay->backingName() == "base.qcow2");
    CHECK(readBack(*overlay, 0, baseData.size()) == baseData);
    CHECK(overlay->allocatedClusters().empty());

    overlay->write(1000, pattern(10, 200));  // partial: cluster 0 is copied from the base, then changed
    CHECK(overlay->counters().copyOnWriteCopies == 1);
    auto expected = baseData;
    std::copy_n(pattern(10, 200).begin(), 10, expected.begin() + 1000);
    CHECK(readBack(*overlay, 0, baseData.size()) == expected);
    CHECK(readBack(*base, 0, baseData.size()) == baseData);  // the base is untouched

    overlay->write(64 * 1024, std::vector<uint8_t>(64 * 1024, 0xee));  // a whole cluster: nothing to copy
    overlay->write(2 * kMiB, pattern(10, 1));                          // partial, but the base holds nothing there
    CHECK(overlay->counters().copyOnWriteCopies == 1);
    CHECK(overlay->allocatedClusters() == std::vector<uint64_t>{0, 1, 32});
    CHECK(overlay->check().clean());
}

TEST_CASE("a snapshot freezes the image and a linked clone starts from the snapshot", "[storage]") {
    auto disk = Qcow2Image::create("disk.qcow2", 1 * kMiB, {});
    disk->write(0, std::vector<uint8_t>(512, 0xaa));
    Snapshot snap = takeSnapshot(disk, "disk.before.qcow2", "disk.before.qcow2");
    CHECK(snap.frozen->name() == "disk.before.qcow2");
    CHECK(snap.live->name() == "disk.qcow2");

    snap.live->write(0, std::vector<uint8_t>(512, 0xbb));
    auto clone = makeOverlay(snap.frozen, "clone.qcow2", "disk.before.qcow2");
    CHECK(readBack(*snap.live, 0, 1) == std::vector<uint8_t>{0xbb});
    CHECK(readBack(*snap.frozen, 0, 1) == std::vector<uint8_t>{0xaa});
    CHECK(readBack(*clone, 0, 1) == std::vector<uint8_t>{0xaa});  // the clone sees the snapshot, not later writes
    CHECK(backingChain(*clone).size() == 2);
}

TEST_CASE("a request past the end of the disk is refused with the file's name", "[storage]") {
    auto image = Qcow2Image::create("d.qcow2", 1 * kMiB, {});
    std::vector<uint8_t> buffer(512);
    CHECK_THROWS_WITH(image->write(kMiB - 256, buffer), Catch::Contains("d.qcow2") && Catch::Contains("past the end"));
    CHECK_THROWS_WITH(image->read(kMiB, buffer), Catch::Contains("past the end"));
    CHECK_THROWS_WITH(image->write(UINT64_MAX - 10, buffer), Catch::Contains("past the end"));
    CHECK(image->allocatedClusters().empty());
    CHECK_THROWS_WITH(Qcow2Image::create("odd.qcow2", 1000, {}), Catch::Contains("multiple of 512"));
}

namespace {

// A valid image's bytes with one header field changed.
std::vector<uint8_t> withField(uint64_t field, uint64_t value, int width) {
    auto image = Qcow2Image::create("bad.qcow2", 4 * kMiB, {});
    image->write(0, pattern(4096, 1));
    auto bytes = image->fileBytes();
    storeBigEndian(bytes, field, value, width);
    return bytes;
}

std::string parseError(std::vector<uint8_t> bytes) {
    try {
        Qcow2Image::parse(std::move(bytes), "bad.qcow2", nullptr);
    } catch (const ImageError& e) {
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("a corrupt header or table is refused with the file and the field named", "[storage]") {
    namespace f = qcow2::field;
    CHECK_THAT(parseError({1, 2, 3}), Catch::Contains("bad.qcow2") && Catch::Contains("too short"));
    CHECK_THAT(parseError(withField(f::magic, 0x12345678, 4)), Catch::Contains("not a qcow2 image"));
    CHECK_THAT(parseError(withField(f::version, 2, 4)), Catch::Contains("version 2 is not supported"));
    CHECK_THAT(parseError(withField(f::clusterBits, 40, 4)), Catch::Contains("cluster_bits 40 is out of range"));
    CHECK_THAT(parseError(withField(f::headerLength, 50, 4)), Catch::Contains("header_length 50"));
    CHECK_THAT(parseError(withField(f::refcountOrder, 6, 4)), Catch::Contains("refcount_order 6"));
    CHECK_THAT(parseError(withField(f::incompatibleFeatures, 1, 8)), Catch::Contains("dirty"));
    CHECK_THAT(parseError(withField(f::l1TableOffset, 0x10200, 8)),
               Catch::Contains("L1 table offset 0x10200 is not aligned"));
    CHECK_THAT(parseError(withField(f::l1TableOffset, 0x100000000, 8)), Catch::Contains("lies outside the file"));
    CHECK_THAT(parseError(withField(f::refcountTableOffset, 0x7770000, 8)),
               Catch::Contains("the refcount table") && Catch::Contains("outside the file"));
    CHECK_THAT(parseError(withField(f::l1Size, 0, 4)), Catch::Contains("l1_size 0 is too small"));
    CHECK_THAT(parseError(withField(f::nbSnapshots, 1, 4)), Catch::Contains("internal snapshots"));

    // The first L1 entry pointing outside the file, then at an unaligned place.
    auto image = Qcow2Image::create("bad.qcow2", 4 * kMiB, {});
    image->write(0, pattern(10, 1));
    auto bytes = image->fileBytes();
    const uint64_t l1 = load64(bytes, f::l1TableOffset);
    store64(bytes, l1, qcow2::kCopied | 0x40000000);
    CHECK_THAT(parseError(bytes), Catch::Contains("L2 table of L1 entry 0") && Catch::Contains("outside the file"));
    store64(bytes, l1, qcow2::kCopied | 0x10200);
    CHECK_THAT(parseError(bytes), Catch::Contains("not aligned"));
}

TEST_CASE("the check finds a wrong refcount and a leak, and a write to an inconsistent image is refused",
          "[storage]") {
    auto image = Qcow2Image::create("c.qcow2", 4 * kMiB, {});
    image->write(0, pattern(10, 1));
    auto bytes = image->fileBytes();
    const uint64_t table = load64(bytes, qcow2::field::refcountTableOffset);
    const uint64_t block = load64(bytes, table) & qcow2::kOffsetMask;
    const uint64_t lastCluster = bytes.size() / image->clusterSize() - 1;  // the data cluster

    auto leaky = bytes;
    bytes.resize(bytes.size() + image->clusterSize(), 0);  // one cluster more, counted but unused
    store16(bytes, block + 2 * (lastCluster + 1), 1);
    const CheckReport leak = reparse(*Qcow2Image::parse(bytes, "c.qcow2", nullptr))->check();
    CHECK(leak.errors.empty());
    CHECK(leak.leakedClusters == 1);

    store16(leaky, block + 2 * lastCluster, 0);  // the data cluster counted as free
    auto broken = Qcow2Image::parse(leaky, "c.qcow2", nullptr);
    const CheckReport report = broken->check();
    REQUIRE(report.errors.size() == 2);  // the COPIED flag that no longer agrees, and the refcount
    CHECK_THAT(report.errors[0], Catch::Contains("COPIED flag set but refcount 0"));
    CHECK_THAT(report.errors[1], Catch::Contains("refcount 0 but used 1 time"));
    CHECK_THROWS_WITH(broken->write(0, pattern(10, 2)), Catch::Contains("c.qcow2: is inconsistent"));
}
