// Reading an image from the bytes of its file: every header field and table
// offset is checked before anything is followed, so a corrupt or hostile
// file gives an ImageError naming the file and the field, never a crash.
#include "storage/qcow2_image.h"

#include <fmt/format.h>
#include <unordered_map>

#include "storage/big_endian.h"
#include "storage/image_error.h"
#include "storage/qcow2_layout.h"

namespace ringsim::storage {

using namespace qcow2;

namespace {

std::string describeIncompatibleFeatures(uint64_t bits) {
    static const char* const kNames[] = {"dirty (not closed cleanly; `qemu-img check -r all` repairs it)",
                                         "corrupt", "external data file", "compression type",
                                         "extended L2 entries"};
    std::string text;
    for (int bit = 0; bit < 64; ++bit) {
        if (!(bits & (uint64_t(1) << bit))) continue;
        if (!text.empty()) text += ", ";
        text += bit < 5 ? kNames[bit] : fmt::format("bit {}", bit);
    }
    return text;
}

}  // namespace

std::shared_ptr<Qcow2Image> Qcow2Image::parse(std::vector<uint8_t> bytes, std::string name,
                                              const BackingResolver& resolve) {
    std::shared_ptr<Qcow2Image> image(new Qcow2Image());
    image->name_ = std::move(name);
    image->file_ = std::move(bytes);
    image->validateHeader();
    image->validateTables();
    if (!image->backingName_.empty()) {
        if (!resolve)
            throw ImageError(fmt::format("{}: has a backing file '{}' and nothing to find it with", image->name_,
                                         image->backingName_));
        image->backing_ = resolve(image->backingName_);
        if (!image->backing_)
            throw ImageError(fmt::format("{}: backing file '{}' not found", image->name_, image->backingName_));
    }
    return image;
}

void Qcow2Image::validateHeader() {
    const std::string& n = name_;
    if (file_.size() < kMinHeaderLength)
        throw ImageError(fmt::format("{}: too short for a qcow2 header ({} bytes)", n, file_.size()));
    const uint32_t magic = load32(file_, field::magic);
    if (magic != kMagic)
        throw ImageError(fmt::format("{}: not a qcow2 image (magic 0x{:08x}, expected 0x{:08x} \"QFI\\xfb\")", n,
                                     magic, kMagic));
    const uint32_t version = load32(file_, field::version);
    if (version != kVersion)
        throw ImageError(fmt::format("{}: qcow2 version {} is not supported (ringsim reads version 3)", n, version));
    clusterBits_ = load32(file_, field::clusterBits);
    if (clusterBits_ < kMinClusterBits || clusterBits_ > kMaxClusterBits)
        throw ImageError(fmt::format("{}: cluster_bits {} is out of range ({} to {})", n, clusterBits_,
                                     kMinClusterBits, kMaxClusterBits));
    clusterSize_ = uint64_t(1) << clusterBits_;
    const uint32_t headerLength = load32(file_, field::headerLength);
    if (headerLength < kMinHeaderLength || headerLength > clusterSize_ || headerLength % 8 != 0)
        throw ImageError(fmt::format("{}: header_length {} is out of range (a multiple of 8, {} to the cluster "
                                     "size {})", n, headerLength, kMinHeaderLength, clusterSize_));
    if (load32(file_, field::cryptMethod) != 0)
        throw ImageError(fmt::format("{}: encrypted images are not supported", n));
    if (const uint64_t bits = load64(file_, field::incompatibleFeatures))
        throw ImageError(fmt::format("{}: incompatible features not supported: {}", n,
                                     describeIncompatibleFeatures(bits)));
    const uint32_t refcountOrder = load32(file_, field::refcountOrder);
    if (refcountOrder != kRefcountOrder)
        throw ImageError(fmt::format("{}: refcount_order {} is not supported (ringsim keeps 16-bit refcounts, "
                                     "order 4)", n, refcountOrder));
    if (const uint32_t snapshots = load32(file_, field::nbSnapshots))
        throw ImageError(fmt::format("{}: has {} internal snapshots, which ringsim does not read (it keeps "
                                     "snapshots as external overlays)", n, snapshots));
    virtualSize_ = load64(file_, field::size);
    if (virtualSize_ > kMaxVirtualSize)
        throw ImageError(fmt::format("{}: virtual size {} is larger than ringsim's limit of 16 TiB", n, virtualSize_));

    // The file as qemu sees it: a last partial cluster reads as zeros.
    file_.resize((file_.size() + clusterSize_ - 1) / clusterSize_ * clusterSize_, 0);
    const uint64_t fileSize = file_.size();
    auto requireTable = [&](const char* what, uint64_t offset, uint64_t bytes) {
        if (offset % clusterSize_ != 0)
            throw ImageError(fmt::format("{}: {} offset 0x{:x} is not aligned to a cluster ({} bytes)", n, what,
                                         offset, clusterSize_));
        if (offset == 0 || offset > fileSize || bytes > fileSize - offset)
            throw ImageError(fmt::format("{}: {} at offset 0x{:x} ({} bytes) lies outside the file ({} bytes)", n,
                                         what, offset, bytes, fileSize));
    };

    l1Size_ = load32(file_, field::l1Size);
    l1Offset_ = load64(file_, field::l1TableOffset);
    if (uint64_t(l1Size_) * 8 > kMaxTableBytes)
        throw ImageError(fmt::format("{}: l1_size {} is out of range (the table would exceed 32 MiB)", n, l1Size_));
    const uint64_t neededL1 = ((virtualSize_ + clusterSize_ - 1) / clusterSize_ + clusterSize_ / 8 - 1) /
                              (clusterSize_ / 8);
    if (l1Size_ < neededL1)
        throw ImageError(fmt::format("{}: l1_size {} is too small for a virtual size of {} (it needs {})", n,
                                     l1Size_, virtualSize_, neededL1));
    if (l1Size_ > 0) requireTable("the L1 table", l1Offset_, uint64_t(l1Size_) * 8);

    refcountTableOffset_ = load64(file_, field::refcountTableOffset);
    refcountTableClusters_ = load32(file_, field::refcountTableClusters);
    if (refcountTableClusters_ == 0 || uint64_t(refcountTableClusters_) * clusterSize_ > kMaxTableBytes)
        throw ImageError(fmt::format("{}: refcount_table_clusters {} is out of range (1 to a table of 32 MiB)", n,
                                     refcountTableClusters_));
    requireTable("the refcount table", refcountTableOffset_, uint64_t(refcountTableClusters_) * clusterSize_);

    // Header extensions: only the backing file's format matters here.
    std::string backingFormat;
    for (uint64_t at = load32(file_, field::headerLength); at + 8 <= clusterSize_;) {
        const uint32_t type = load32(file_, at);
        const uint64_t length = load32(file_, at + 4);
        if (type == kExtensionEnd) break;
        if (length > clusterSize_ - at - 8)
            throw ImageError(fmt::format("{}: header extension 0x{:08x} at offset {} runs past the first cluster",
                                         n, type, at));
        if (type == kExtensionBackingFormat)
            backingFormat.assign(reinterpret_cast<const char*>(&file_[at + 8]), length);
        at += 8 + (length + 7) / 8 * 8;
    }

    const uint64_t backingOffset = load64(file_, field::backingFileOffset);
    const uint32_t backingSize = load32(file_, field::backingFileSize);
    if (backingOffset != 0) {
        if (backingSize == 0 || backingSize > kMaxBackingNameLength)
            throw ImageError(fmt::format("{}: backing_file_size {} is out of range (1 to {})", n, backingSize,
                                         kMaxBackingNameLength));
        if (backingOffset >= fileSize || backingSize > fileSize - backingOffset)
            throw ImageError(fmt::format("{}: the backing file name at offset {} lies outside the file", n,
                                         backingOffset));
        backingName_.assign(reinterpret_cast<const char*>(&file_[backingOffset]), backingSize);
        if (backingName_.find('\0') != std::string::npos)
            throw ImageError(fmt::format("{}: the backing file name holds a NUL byte", n));
        if (!backingFormat.empty() && backingFormat != "qcow2")
            throw ImageError(fmt::format("{}: backing file '{}' has format '{}'; ringsim's chains are all qcow2", n,
                                         backingName_, backingFormat));
    }
}

void Qcow2Image::validateTables() const {
    const std::string& n = name_;
    const uint64_t fileSize = file_.size();
    auto requireCluster = [&](const std::string& what, uint64_t offset) {
        if (offset % clusterSize_ != 0)
            throw ImageError(fmt::format("{}: {} at offset 0x{:x} is not aligned to a cluster ({} bytes)", n, what,
                                         offset, clusterSize_));
        if (offset >= fileSize)
            throw ImageError(fmt::format("{}: {} at offset 0x{:x} lies outside the file ({} bytes)", n, what,
                                         offset, fileSize));
    };
    for (uint64_t i = 0; i < refcountTableEntries(); ++i) {
        const uint64_t entry = load64(file_, refcountTableOffset_ + 8 * i);
        if (entry & ~kOffsetMask)
            throw ImageError(fmt::format("{}: refcount table entry {} (0x{:x}) has reserved bits set", n, i, entry));
        if (entry != 0) requireCluster(fmt::format("refcount block {}", i), entry);
    }
    // An L2 table shared by two L1 entries is refused here: besides being
    // corrupt, it would let a small file make every walk of the tables long.
    std::unordered_map<uint64_t, uint64_t> l1EntryOfTable;
    for (uint64_t i = 0; i < l1Size_; ++i) {
        const uint64_t entry = load64(file_, l1Offset_ + 8 * i);
        if (entry & kL1Reserved)
            throw ImageError(fmt::format("{}: L1 entry {} (0x{:x}) has reserved bits set", n, i, entry));
        const uint64_t table = entry & kOffsetMask;
        if (table == 0) continue;
        requireCluster(fmt::format("the L2 table of L1 entry {}", i), table);
        if (const auto [it, fresh] = l1EntryOfTable.emplace(table, i); !fresh)
            throw ImageError(fmt::format("{}: L1 entries {} and {} share the L2 table at offset 0x{:x}", n,
                                         it->second, i, table));
        for (uint64_t j = 0; j < l2Entries(); ++j) {
            const uint64_t l2 = load64(file_, table + 8 * j);
            const uint64_t guestCluster = i * l2Entries() + j;
            if (l2 & kCompressed)
                throw ImageError(fmt::format("{}: guest cluster {} is compressed, which ringsim does not read", n,
                                             guestCluster));
            if (l2 & kL2Reserved)
                throw ImageError(fmt::format("{}: the L2 entry of guest cluster {} (0x{:x}) has reserved bits set",
                                             n, guestCluster, l2));
            if (l2 & kOffsetMask) requireCluster(fmt::format("guest cluster {}", guestCluster), l2 & kOffsetMask);
        }
    }
}

void Qcow2Image::requireConsistentBeforeWriting() {
    if (checkedForWriting_) return;
    const CheckReport report = check();
    if (!report.errors.empty())
        throw ImageError(fmt::format("{}: is inconsistent ({}); ringsim does not write to it (see `ringsim disk "
                                     "check`)", name_, report.errors.front()));
    // Features this model does not keep up to date are dropped, as the format asks.
    store64(file_, field::autoclearFeatures, 0);
    checkedForWriting_ = true;
}

}  // namespace ringsim::storage
