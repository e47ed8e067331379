// A qcow2 (version 3) disk image held in memory as the bytes of its file:
// thin-provisioned (a guest cluster takes a host cluster on its first
// write), with L1/L2 tables mapping guest clusters to host clusters, 16-bit
// refcounts kept exact, and an optional backing image under it (a
// copy-on-write overlay: reads fall through to the backing, writes stay
// here). The bytes are the file qemu-img reads; image_files.h writes and
// reads them. Snapshots and clones are overlays (image_chain.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "storage/check_report.h"

namespace ringsim::storage {

struct ImageCounters {
    uint64_t clustersAllocated = 0;  // guest data clusters this image took (not its tables)
    uint64_t copyOnWriteCopies = 0;  // partial writes that first copied a cluster from the backing chain
    uint64_t bytesWritten = 0;       // guest bytes written to this image
};

class Qcow2Image;
// Finds the image a backing file name refers to (the name as stored in the
// overlay's header); throws ImageError when it cannot.
using BackingResolver = std::function<std::shared_ptr<const Qcow2Image>(const std::string& backingName)>;

struct CreateOptions {
    uint32_t clusterBits = 16;                  // 64 KiB clusters
    std::shared_ptr<const Qcow2Image> backing;  // null: a standalone image
    std::string backingName;                    // how the header names the backing file
};

class Qcow2Image {
public:
    // A new, empty image; `name` is the file it stands for (in messages).
    // The virtual size must be a multiple of 512; with a backing image it
    // may be given as 0 to take the backing's size.
    static std::shared_ptr<Qcow2Image> create(std::string name, uint64_t virtualSize, const CreateOptions& options);
    // An image from the bytes of a file, checked structurally (header,
    // table offsets and alignment); its backing comes from `resolve`.
    static std::shared_ptr<Qcow2Image> parse(std::vector<uint8_t> bytes, std::string name,
                                             const BackingResolver& resolve);

    const std::string& name() const { return name_; }
    void rename(std::string name) { name_ = std::move(name); }
    uint64_t virtualSize() const { return virtualSize_; }
    uint64_t clusterSize() const { return clusterSize_; }
    const std::shared_ptr<const Qcow2Image>& backing() const { return backing_; }
    const std::string& backingName() const { return backingName_; }
    const ImageCounters& counters() const { return counters_; }
    const std::vector<uint8_t>& fileBytes() const { return file_; }

    // Guest reads and writes at byte offsets; both throw ImageError past the end.
    void read(uint64_t offset, std::span<uint8_t> out) const;
    void write(uint64_t offset, std::span<const uint8_t> data);

    // The guest clusters this image itself holds (not its backing chain), in order.
    std::vector<uint64_t> allocatedClusters() const;
    // The clusters of the file (every one is refcounted: allocation only appends).
    uint64_t hostClusters() const { return file_.size() / clusterSize_; }
    // How many clusters the file would grow by if the guest wrote this range
    // now (data clusters, L2 tables and refcount blocks), so a pool can refuse
    // a write before any of it happens.
    uint64_t growthForWrite(uint64_t offset, uint64_t length) const;
    // Whether this image or one under it holds data for any byte of the range.
    bool chainHolds(uint64_t offset, uint64_t length) const;
    // Recounts every reference from the tables and compares with the refcounts.
    CheckReport check() const;

private:
    Qcow2Image() = default;
    enum class Holding { None, Data, Zeros };
    struct Lookup {
        Holding holding = Holding::None;
        uint64_t hostOffset = 0;
    };

    uint64_t l2Entries() const { return clusterSize_ / 8; }
    uint64_t refcountsPerBlock() const { return clusterSize_ / 2; }
    uint64_t refcountTableEntries() const { return uint64_t(refcountTableClusters_) * clusterSize_ / 8; }
    Lookup lookup(uint64_t cluster) const;
    void readCluster(uint64_t cluster, uint64_t from, std::span<uint8_t> out) const;
    void requireInside(uint64_t offset, uint64_t length, const char* what) const;

    // Allocation always appends, so a new cluster never lands on anything in use.
    uint64_t allocateCluster();
    uint64_t refcount(uint64_t hostCluster) const;
    void setRefcount(uint64_t hostCluster, uint16_t value);
    uint64_t l2TableFor(uint64_t cluster);  // allocates the L2 table on first use
    void writeHeader();

    void validateHeader();
    void validateTables() const;
    void requireConsistentBeforeWriting();

    std::string name_;
    std::vector<uint8_t> file_;
    uint32_t clusterBits_ = 16;
    uint64_t clusterSize_ = 1u << 16;
    uint64_t virtualSize_ = 0;
    uint64_t l1Offset_ = 0;
    uint32_t l1Size_ = 0;
    uint64_t refcountTableOffset_ = 0;
    uint32_t refcountTableClusters_ = 0;
    std::shared_ptr<const Qcow2Image> backing_;
    std::string backingName_;
    ImageCounters counters_;
    bool checkedForWriting_ = false;  // a parsed image is checked once before its first write
};

}  // namespace ringsim::storage
