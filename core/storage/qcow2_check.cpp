// The image's consistency check: every cluster the header and tables refer
// to is counted, and the counts are compared with the stored refcounts, as
// `qemu-img check` does. Corrupt (a count that differs, a cluster used twice,
// a COPIED flag that disagrees with its refcount) or leaked (counted, unused).
#include "storage/qcow2_image.h"

#include <fmt/format.h>

#include "storage/big_endian.h"
#include "storage/qcow2_layout.h"

namespace ringsim::storage {

using namespace qcow2;

namespace {
constexpr size_t kMostErrorsListed = 20;
}

CheckReport Qcow2Image::check() const {
    CheckReport report;
    report.hostClusters = file_.size() / clusterSize_;
    std::vector<uint32_t> uses(report.hostClusters, 0);
    uint64_t errorsNotListed = 0;
    auto error = [&](std::string text) {
        if (report.errors.size() < kMostErrorsListed) report.errors.push_back(std::move(text));
        else ++errorsNotListed;
    };
    auto use = [&](uint64_t offset, uint64_t bytes, const std::string& what) {
        for (uint64_t c = offset / clusterSize_; c < (offset + bytes + clusterSize_ - 1) / clusterSize_; ++c) {
            if (c >= report.hostClusters) {
                error(fmt::format("{} reaches past the end of the file (cluster {})", what, c));
                return;
            }
            ++uses[c];
        }
    };
    auto copiedFlagAgrees = [&](uint64_t entry, const std::string& what) {
        const uint64_t offset = entry & kOffsetMask;
        const bool copied = (entry & kCopied) != 0;
        if (copied != (refcount(offset / clusterSize_) == 1))
            error(fmt::format("{} at offset 0x{:x}: COPIED flag {} but refcount {}", what, offset,
                              copied ? "set" : "clear", refcount(offset / clusterSize_)));
    };

    use(0, clusterSize_, "the header");
    const uint64_t backingOffset = load64(file_, field::backingFileOffset);
    if (backingOffset >= clusterSize_) use(backingOffset, backingName_.size(), "the backing file name");
    use(refcountTableOffset_, uint64_t(refcountTableClusters_) * clusterSize_, "the refcount table");
    use(l1Offset_, uint64_t(l1Size_) * 8, "the L1 table");
    for (uint64_t i = 0; i < refcountTableEntries(); ++i)
        if (const uint64_t block = load64(file_, refcountTableOffset_ + 8 * i) & kOffsetMask)
            use(block, clusterSize_, fmt::format("refcount block {}", i));
    for (uint64_t i = 0; i < l1Size_; ++i) {
        const uint64_t l1Entry = load64(file_, l1Offset_ + 8 * i);
        const uint64_t table = l1Entry & kOffsetMask;
        if (table == 0) continue;
        use(table, clusterSize_, fmt::format("the L2 table of L1 entry {}", i));
        copiedFlagAgrees(l1Entry, fmt::format("L1 entry {}", i));
        for (uint64_t j = 0; j < l2Entries(); ++j) {
            const uint64_t l2Entry = load64(file_, table + 8 * j);
            if ((l2Entry & kOffsetMask) == 0) continue;
            const std::string what = fmt::format("guest cluster {}", i * l2Entries() + j);
            use(l2Entry & kOffsetMask, clusterSize_, what);
            copiedFlagAgrees(l2Entry, what);
            if (!(l2Entry & kZeroCluster)) ++report.allocatedClusters;
        }
    }

    for (uint64_t c = 0; c < report.hostClusters; ++c) {
        const uint64_t stored = refcount(c);
        if (uses[c] > 0 && stored != uses[c])
            error(fmt::format("cluster {} (offset 0x{:x}): refcount {} but used {} time{}", c, c * clusterSize_,
                              stored, uses[c], uses[c] == 1 ? "" : "s"));
        else if (uses[c] == 0 && stored > 0)
            ++report.leakedClusters;
    }
    // Refcounts of clusters past the end of the file count as leaks too.
    for (uint64_t i = 0; i < refcountTableEntries(); ++i) {
        const uint64_t block = load64(file_, refcountTableOffset_ + 8 * i) & kOffsetMask;
        if (block == 0) continue;
        for (uint64_t j = 0; j < refcountsPerBlock(); ++j)
            if (i * refcountsPerBlock() + j >= report.hostClusters && load16(file_, block + 2 * j) > 0)
                ++report.leakedClusters;
    }
    if (errorsNotListed > 0) report.errors.push_back(fmt::format("and {} more errors", errorsNotListed));
    return report;
}

}  // namespace ringsim::storage
