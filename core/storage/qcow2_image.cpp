// Creating an image, guest reads and writes through the L1/L2 tables, and
// the allocation of host clusters with their refcounts.
#include "storage/qcow2_image.h"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

#include "storage/big_endian.h"
#include "storage/image_error.h"
#include "storage/qcow2_layout.h"

namespace ringsim::storage {

using namespace qcow2;

namespace {
uint64_t divideRoundingUp(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
}  // namespace

std::shared_ptr<Qcow2Image> Qcow2Image::create(std::string name, uint64_t virtualSize, const CreateOptions& options) {
    if (options.clusterBits < kMinClusterBits || options.clusterBits > kMaxClusterBits)
        throw ImageError(fmt::format("{}: a cluster of 2^{} bytes is outside 512 bytes to 2 MiB", name,
                                     options.clusterBits));
    if (options.backing && virtualSize == 0) virtualSize = options.backing->virtualSize();
    if (virtualSize % kSectorSize != 0)
        throw ImageError(fmt::format("{}: the size {} is not a multiple of 512 bytes", name, virtualSize));
    if (virtualSize > kMaxVirtualSize)
        throw ImageError(fmt::format("{}: the size {} is larger than ringsim's limit of 16 TiB", name, virtualSize));
    if (options.backing && options.backingName.empty())
        throw ImageError(fmt::format("{}: a backing image needs a name to store in the header", name));
    if (options.backingName.size() > kMaxBackingNameLength)
        throw ImageError(fmt::format("{}: the backing file name is longer than {} bytes", name, kMaxBackingNameLength));

    std::shared_ptr<Qcow2Image> image(new Qcow2Image());
    image->name_ = std::move(name);
    image->clusterBits_ = options.clusterBits;
    image->clusterSize_ = uint64_t(1) << options.clusterBits;
    image->virtualSize_ = virtualSize;
    image->backing_ = options.backing;
    image->backingName_ = options.backingName;
    const uint64_t cluster = image->clusterSize_;

    const uint64_t dataClusters = divideRoundingUp(virtualSize, cluster);
    image->l1Size_ = uint32_t(std::max<uint64_t>(1, divideRoundingUp(dataClusters, image->l2Entries())));
    if (uint64_t(image->l1Size_) * 8 > kMaxTableBytes)
        throw ImageError(fmt::format("{}: the size {} needs an L1 table larger than 32 MiB with {}-byte clusters",
                                     image->name_, virtualSize, cluster));
    const uint64_t l1Clusters = divideRoundingUp(uint64_t(image->l1Size_) * 8, cluster);

    // The refcount table is sized once for the largest the file can grow to
    // (every cluster written, every L2 table present), so it never moves.
    const uint64_t mostClusters = 1 + l1Clusters + image->l1Size_ + dataClusters;
    uint64_t blocks = 1, tableClusters = 1;
    for (int round = 0; round < 4; ++round) {
        blocks = divideRoundingUp(mostClusters + blocks + tableClusters, image->refcountsPerBlock());
        tableClusters = divideRoundingUp((blocks + 1) * 8, cluster);  // one spare: allocateCluster looks ahead
    }
    if (tableClusters * cluster > kMaxTableBytes)
        throw ImageError(fmt::format("{}: the size {} needs a refcount table larger than 32 MiB", image->name_,
                                     virtualSize));
    image->refcountTableClusters_ = uint32_t(tableClusters);
    image->refcountTableOffset_ = cluster;
    image->l1Offset_ = cluster * (1 + tableClusters);
    image->file_.assign(cluster * (1 + tableClusters + l1Clusters), 0);
    image->writeHeader();
    for (uint64_t c = 0; c < 1 + tableClusters + l1Clusters; ++c) image->setRefcount(c, 1);
    image->checkedForWriting_ = true;
    return image;
}

void Qcow2Image::writeHeader() {
    std::fill(file_.begin(), file_.begin() + int64_t(clusterSize_), uint8_t(0));
    store32(file_, field::magic, kMagic);
    store32(file_, field::version, kVersion);
    store32(file_, field::clusterBits, clusterBits_);
    store64(file_, field::size, virtualSize_);
    store32(file_, field::l1Size, l1Size_);
    store64(file_, field::l1TableOffset, l1Offset_);
    store64(file_, field::refcountTableOffset, refcountTableOffset_);
    store32(file_, field::refcountTableClusters, refcountTableClusters_);
    store32(file_, field::refcountOrder, kRefcountOrder);
    store32(file_, field::headerLength, kWrittenHeaderLength);
    uint64_t at = kWrittenHeaderLength;
    if (!backingName_.empty()) {
        // The backing's format, so qemu does not have to probe it.
        const std::string format = "qcow2";
        store32(file_, at, kExtensionBackingFormat);
        store32(file_, at + 4, format.size());
        std::memcpy(&file_[at + 8], format.data(), format.size());
        at += 8 + ((format.size() + 7) / 8) * 8;
    }
    at += 8;  // the end-of-extensions marker: type 0, length 0
    if (!backingName_.empty()) {
        if (at + backingName_.size() > clusterSize_)
            throw ImageError(fmt::format("{}: the backing file name does not fit in the header's cluster", name_));
        std::memcpy(&file_[at], backingName_.data(), backingName_.size());
        store64(file_, field::backingFileOffset, at);
        store32(file_, field::backingFileSize, backingName_.size());
    }
}

void Qcow2Image::requireInside(uint64_t offset, uint64_t length, const char* what) const {
    if (offset > virtualSize_ || length > virtualSize_ - offset)
        throw ImageError(fmt::format("{}: a {} of {} bytes at offset {} goes past the end of the disk ({} bytes)",
                                     name_, what, length, offset, virtualSize_));
}

Qcow2Image::Lookup Qcow2Image::lookup(uint64_t cluster) const {
    const uint64_t l1Index = cluster / l2Entries();
    if (l1Index >= l1Size_) return {};
    const uint64_t l2Table = load64(file_, l1Offset_ + 8 * l1Index) & kOffsetMask;
    if (l2Table == 0) return {};
    const uint64_t entry = load64(file_, l2Table + 8 * (cluster % l2Entries()));
    const uint64_t host = entry & kOffsetMask;
    if (entry & kZeroCluster) return {Holding::Zeros, host};
    if (host != 0) return {Holding::Data, host};
    return {};
}

void Qcow2Image::readCluster(uint64_t cluster, uint64_t from, std::span<uint8_t> out) const {
    const Lookup found = lookup(cluster);
    if (found.holding == Holding::Data) {
        std::memcpy(out.data(), &file_[found.hostOffset + from], out.size());
        return;
    }
    std::fill(out.begin(), out.end(), uint8_t(0));
    if (found.holding == Holding::None && backing_) {
        // Falls through to the backing chain; what lies past the backing's end reads as zeros.
        const uint64_t at = cluster * clusterSize_ + from;
        if (at < backing_->virtualSize()) {
            const uint64_t n = std::min<uint64_t>(out.size(), backing_->virtualSize() - at);
            backing_->read(at, out.first(n));
        }
    }
}

void Qcow2Image::read(uint64_t offset, std::span<uint8_t> out) const {
    requireInside(offset, out.size(), "read");
    uint64_t done = 0;
    while (done < out.size()) {
        const uint64_t at = offset + done;
        const uint64_t within = at % clusterSize_;
        const uint64_t n = std::min<uint64_t>(clusterSize_ - within, out.size() - done);
        readCluster(at / clusterSize_, within, out.subspan(done, n));
        done += n;
    }
}

bool Qcow2Image::chainHolds(uint64_t offset, uint64_t length) const {
    if (offset >= virtualSize_ || length == 0) return false;
    const uint64_t end = std::min(virtualSize_, offset + length);
    for (uint64_t c = offset / clusterSize_; c * clusterSize_ < end; ++c)
        if (lookup(c).holding != Holding::None) return true;
    return backing_ && backing_->chainHolds(offset, end - offset);
}

void Qcow2Image::write(uint64_t offset, std::span<const uint8_t> data) {
    requireInside(offset, data.size(), "write");
    requireConsistentBeforeWriting();
    uint64_t done = 0;
    while (done < data.size()) {
        const uint64_t at = offset + done;
        const uint64_t cluster = at / clusterSize_;
        const uint64_t within = at % clusterSize_;
        const uint64_t n = std::min<uint64_t>(clusterSize_ - within, data.size() - done);
        Lookup found = lookup(cluster);
        if (found.holding != Holding::Data) {
            const uint64_t l2Table = l2TableFor(cluster);
            uint64_t host = found.hostOffset;
            if (host == 0) {
                host = allocateCluster();
                ++counters_.clustersAllocated;
            } else {
                std::fill_n(file_.begin() + int64_t(host), clusterSize_, uint8_t(0));  // a preallocated zero cluster
            }
            const bool partial = n != clusterSize_;
            if (partial && found.holding == Holding::None && backing_) {
                // Copy-on-write: the rest of the cluster keeps what the guest saw through the chain.
                if (backing_->chainHolds(cluster * clusterSize_, clusterSize_)) ++counters_.copyOnWriteCopies;
                readCluster(cluster, 0, std::span<uint8_t>(&file_[host], clusterSize_));
            }
            store64(file_, l2Table + 8 * (cluster % l2Entries()), host | kCopied);
            found = {Holding::Data, host};
        }
        std::memcpy(&file_[found.hostOffset + within], data.data() + done, n);
        done += n;
    }
    counters_.bytesWritten += data.size();
}

uint64_t Qcow2Image::growthForWrite(uint64_t offset, uint64_t length) const {
    requireInside(offset, length, "write");
    if (length == 0) return 0;
    uint64_t clusters = 0;
    uint64_t lastNewTable = UINT64_MAX;
    for (uint64_t c = offset / clusterSize_; c * clusterSize_ < offset + length; ++c) {
        const Lookup found = lookup(c);
        if (found.holding != Holding::Data && found.hostOffset == 0) ++clusters;  // a preallocated zero cluster is reused
        const uint64_t l1Index = c / l2Entries();
        if (l1Index != lastNewTable && (load64(file_, l1Offset_ + 8 * l1Index) & kOffsetMask) == 0) {
            ++clusters;
            lastNewTable = l1Index;
        }
    }
    // New clusters go at the end; each refcount block they fall into that does
    // not exist yet is one more cluster (which may itself need counting).
    const uint64_t first = hostClusters();
    uint64_t blocks = 0;
    for (uint64_t round = 0; round < 4; ++round) {
        uint64_t needed = 0;
        const uint64_t end = first + clusters + blocks;
        for (uint64_t b = first / refcountsPerBlock(); b <= (end - 1) / refcountsPerBlock(); ++b)
            if (b >= refcountTableEntries() || (load64(file_, refcountTableOffset_ + 8 * b) & kOffsetMask) == 0)
                ++needed;
        if (needed == blocks) break;
        blocks = needed;
    }
    return clusters + blocks;
}

uint64_t Qcow2Image::l2TableFor(uint64_t cluster) {
    const uint64_t entryAt = l1Offset_ + 8 * (cluster / l2Entries());
    uint64_t table = load64(file_, entryAt) & kOffsetMask;
    if (table == 0) {
        table = allocateCluster();
        store64(file_, entryAt, table | kCopied);
    }
    return table;
}

uint64_t Qcow2Image::allocateCluster() {
    const uint64_t host = file_.size();
    // Refused before anything changes: the cluster and up to two new refcount
    // blocks after it must all be countable, or the image would be left half grown.
    if ((host / clusterSize_ + 2) / refcountsPerBlock() >= refcountTableEntries())
        throw ImageError(fmt::format("{}: the refcount table is full; the image cannot grow past {} clusters", name_,
                                     refcountTableEntries() * refcountsPerBlock()));
    file_.resize(host + clusterSize_, 0);
    setRefcount(host / clusterSize_, 1);
    return host;
}

uint64_t Qcow2Image::refcount(uint64_t hostCluster) const {
    const uint64_t blockIndex = hostCluster / refcountsPerBlock();
    if (blockIndex >= refcountTableEntries()) return 0;
    const uint64_t block = load64(file_, refcountTableOffset_ + 8 * blockIndex) & kOffsetMask;
    if (block == 0) return 0;
    return load16(file_, block + 2 * (hostCluster % refcountsPerBlock()));
}

void Qcow2Image::setRefcount(uint64_t hostCluster, uint16_t value) {
    const uint64_t blockIndex = hostCluster / refcountsPerBlock();
    if (blockIndex >= refcountTableEntries())
        throw ImageError(fmt::format("{}: the refcount table is full; the image cannot grow past {} clusters", name_,
                                     refcountTableEntries() * refcountsPerBlock()));
    const uint64_t entryAt = refcountTableOffset_ + 8 * blockIndex;
    uint64_t block = load64(file_, entryAt) & kOffsetMask;
    if (block == 0) {
        if (value == 0) return;
        // A new refcount block at the end of the file; it counts itself
        // (in this block or, past its range, in the next).
        block = file_.size();
        file_.resize(block + clusterSize_, 0);
        store64(file_, entryAt, block);
        setRefcount(block / clusterSize_, 1);
    }
    store16(file_, block + 2 * (hostCluster % refcountsPerBlock()), value);
}

std::vector<uint64_t> Qcow2Image::allocatedClusters() const {
    std::vector<uint64_t> clusters;
    const uint64_t count = divideRoundingUp(virtualSize_, clusterSize_);
    for (uint64_t l1Index = 0; l1Index < l1Size_; ++l1Index) {
        if ((load64(file_, l1Offset_ + 8 * l1Index) & kOffsetMask) == 0) continue;
        for (uint64_t c = l1Index * l2Entries(); c < std::min(count, (l1Index + 1) * l2Entries()); ++c)
            if (lookup(c).holding == Holding::Data) clusters.push_back(c);
    }
    return clusters;
}

}  // namespace ringsim::storage
