// A storage pool on the host: named devices (folders, or memory) with a
// capacity in clusters, and the virtual disks it hands out from them.
//
// A disk is a writable qcow2 image (the top of a backing chain) on one
// device, or on two when it is mirrored. Space is thin: a device's used
// figure is the clusters of its image files, which grow cluster by cluster
// as guests write. A disk made over another disk freezes that one as a
// golden base (read-only from then on) and is a copy-on-write overlay on it;
// snapshots freeze a disk's image under "DISK.SNAPSHOT.qcow2" and carry on in
// a new overlay (image_chain.h), a revert drops the overlay for a new one on
// the snapshot, and a linked clone is a new disk over a snapshot.
//
// A mirrored disk writes every request to both devices. When one fails the
// disk runs on from the survivor and notes which clusters the failed one
// missed; restoring the device copies exactly those (the resync, counted).
// A write the pool cannot take (a full device, no live replica, a frozen
// base) is refused before any byte of it lands, and counted.
//
// Reads and writes are pool_io.cpp's; files and pool.json pool_manifest.h's.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "storage/failure_plan.h"
#include "storage/image_error.h"
#include "storage/pool_counters.h"
#include "storage/pool_device.h"

namespace ringsim::storage {

// A write refused because a device has no room for it; the guest sees an I/O error.
struct PoolFullError : ImageError {
    using ImageError::ImageError;
};

struct Replica {
    std::string device;
    std::string file;                   // the top image's file name on that device
    std::set<uint64_t> missedClusters;  // guest clusters written while the device was failed
};

struct VirtualDisk {
    std::string name;
    bool frozen = false;            // a golden base other disks are built on: read-only
    std::vector<Replica> replicas;  // one, or two when mirrored
};

class StoragePool {
public:
    StoragePool(std::string name, uint32_t clusterBits);

    const std::string& name() const { return name_; }
    uint64_t clusterSize() const { return uint64_t(1) << clusterBits_; }
    uint32_t clusterBits() const { return clusterBits_; }
    const PoolCounters& counters() const { return counters_; }
    const std::vector<PoolDevice>& devices() const { return devices_; }
    const std::vector<VirtualDisk>& disks() const { return disks_; }
    const PoolDevice& device(const std::string& name) const;
    const VirtualDisk& disk(const std::string& name) const;
    // The image a replica's disk reads and writes.
    const Qcow2Image& topImage(const Replica& replica) const;

    // A device; `directory` empty keeps it in memory.
    void addDevice(const std::string& name, uint64_t capacityClusters, const std::filesystem::path& directory = {});

    // A new, empty disk of `virtualSize` bytes on `device` (and `mirror`, if given).
    void createDisk(const std::string& disk, uint64_t virtualSize, const std::string& device,
                    const std::string& mirror = "");
    // A new disk over `base` (another disk, frozen from now on) on the same
    // device(s) as the base, or mirrored to `mirror` (the base's chain is
    // copied there first if that device lacks it).
    void createOverlayDisk(const std::string& disk, const std::string& base, const std::string& mirror = "");
    // Freezes the disk's image as DISK.SNAPSHOT.qcow2; the disk carries on in a new overlay.
    void snapshot(const std::string& disk, const std::string& snapshot);
    // Drops what the disk wrote since the snapshot: a new, empty overlay on it.
    void revert(const std::string& disk, const std::string& snapshot);
    // A linked clone: a new disk over DISK.SNAPSHOT.qcow2, on the disk's device(s).
    void clone(const std::string& disk, const std::string& snapshot, const std::string& newDisk);
    // The snapshots a disk can revert to or clone, oldest first.
    std::vector<std::string> snapshots(const std::string& disk) const;

    // Guest I/O (pool_io.cpp); each throws ImageError (PoolFullError when full), changing nothing.
    uint64_t diskSize(const std::string& disk) const;
    void read(const std::string& disk, uint64_t offset, std::span<uint8_t> out) const;
    void write(const std::string& disk, uint64_t offset, std::span<const uint8_t> data);
    // Saves every changed image of every live folder device, and deletes dropped ones.
    void flush();

    // Replicas (pool_io.cpp).
    void failDevice(const std::string& device);
    // The device is back: copies the clusters its replicas missed from the survivors.
    void restoreDevice(const std::string& device);
    void planFailure(const FailurePlan& plan);
    const std::optional<FailurePlan>& plannedFailure() const { return plannedFailure_; }

    // For pool_manifest.cpp, which rebuilds a pool from its files.
    void adoptImage(const std::string& device, const std::string& file, std::shared_ptr<Qcow2Image> image);
    void adoptDisk(VirtualDisk disk);
    void restoreCounters(const PoolCounters& counters) { counters_ = counters; }
    void restoreDeviceState(const std::string& device, bool failed, uint64_t bytesWritten);

private:
    PoolDevice& deviceNamed(const std::string& name);
    VirtualDisk& diskNamed(const std::string& name);
    std::shared_ptr<Qcow2Image>& imageOf(const Replica& replica);
    const std::shared_ptr<Qcow2Image>& imageOf(const Replica& replica) const;
    void requireNewDiskName(const std::string& disk) const;
    void requireHealthy(const VirtualDisk& disk, const char* doing) const;
    // Puts a new image on a device, refusing it when the device has no room for it.
    void place(PoolDevice& device, const std::string& file, std::shared_ptr<Qcow2Image> image);
    // Gives `device` a copy of `file`'s whole chain from `from`, where it lacks it.
    void copyChain(const PoolDevice& from, PoolDevice& to, const std::string& file);
    std::string imageName(const PoolDevice& device, const std::string& file) const;
    void saveDevice(PoolDevice& device);  // a folder device's changed files, now
    std::vector<const Replica*> liveReplicas(const VirtualDisk& disk) const;
    void resync(VirtualDisk& disk, Replica& stale);

    std::string name_;
    uint32_t clusterBits_;
    std::vector<PoolDevice> devices_;
    std::vector<VirtualDisk> disks_;
    PoolCounters counters_;
    std::optional<FailurePlan> plannedFailure_;
};

std::string diskFile(const std::string& disk);                                 // "vm1.qcow2"
std::string snapshotFile(const std::string& disk, const std::string& snapshot);  // "vm1.monday.qcow2"

}  // namespace ringsim::storage
