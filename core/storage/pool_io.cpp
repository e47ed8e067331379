// Guest reads and writes through a pool's disks: mirroring to every live
// replica, refusing what does not fit before any of it lands, counting
// what each write cost each device, noting what a failed device missed and
// copying it back when the device returns.
#include <algorithm>
#include <fmt/format.h>
#include <vector>

#include "storage/image_files.h"
#include "storage/storage_pool.h"

namespace ringsim::storage {

uint64_t StoragePool::diskSize(const std::string& diskName) const {
    return topImage(disk(diskName).replicas.front()).virtualSize();
}

std::vector<const Replica*> StoragePool::liveReplicas(const VirtualDisk& d) const {
    std::vector<const Replica*> live;
    for (const Replica& r : d.replicas)
        if (!device(r.device).failed && r.missedClusters.empty()) live.push_back(&r);
    return live;
}

void StoragePool::read(const std::string& diskName, uint64_t offset, std::span<uint8_t> out) const {
    const VirtualDisk& d = disk(diskName);
    const auto live = liveReplicas(d);
    if (live.empty())
        throw ImageError(fmt::format("pool {}: disk {}: every device holding it has failed", name_, d.name));
    imageOf(*live.front())->read(offset, out);
}

void StoragePool::write(const std::string& diskName, uint64_t offset, std::span<const uint8_t> data) {
    VirtualDisk& d = diskNamed(diskName);
    const auto refuse = [&](auto error) {
        ++counters_.refusedWrites;
        throw error;
    };
    if (d.frozen)
        refuse(ImageError(fmt::format("pool {}: disk {} is a base other disks are built on; it is read-only", name_,
                                      d.name)));
    const auto live = liveReplicas(d);
    if (live.empty())
        refuse(ImageError(fmt::format("pool {}: disk {}: every device holding it has failed", name_, d.name)));
    // Every replica must have room before any of them is written, so a refused write changes nothing.
    for (const Replica* r : live) {
        const PoolDevice& dev = device(r->device);
        uint64_t growth = 0;
        try {
            growth = imageOf(*r)->growthForWrite(offset, data.size());
        } catch (const ImageError& e) {
            refuse(e);
        }
        if (growth > dev.freeClusters())
            refuse(PoolFullError(fmt::format(
                "pool {}: device {} is full: writing {} bytes at offset {} of disk {} needs {} more cluster{}, {} "
                "of {} are free",
                name_, dev.name, data.size(), offset, d.name, growth, growth == 1 ? "" : "s", dev.freeClusters(),
                dev.capacityClusters)));
    }
    if (data.empty()) return;
    const uint64_t cluster = clusterSize();
    for (const Replica* r : live) {
        PoolDevice& dev = deviceNamed(r->device);
        Qcow2Image& image = *imageOf(*r);
        const ImageCounters before = image.counters();
        const uint64_t hostBefore = image.hostClusters();
        image.write(offset, data);
        const uint64_t allocated = image.counters().clustersAllocated - before.clustersAllocated;
        const uint64_t copies = image.counters().copyOnWriteCopies - before.copyOnWriteCopies;
        const uint64_t newTables = image.hostClusters() - hostBefore - allocated;
        dev.bytesWritten += data.size() + (copies + newTables) * cluster;
        dev.unsaved.insert(r->file);
        counters_.clustersAllocated += allocated;
        counters_.copyOnWriteCopies += copies;
    }
    for (Replica& r : d.replicas)
        if (device(r.device).failed || !r.missedClusters.empty())  // not live: it misses this write
            for (uint64_t c = offset / cluster; c <= (offset + data.size() - 1) / cluster; ++c)
                r.missedClusters.insert(c);
    ++counters_.guestWrites;
    counters_.guestBytesWritten += data.size();
    if (plannedFailure_ && counters_.guestWrites >= plannedFailure_->afterWrites) {
        const std::string failing = plannedFailure_->device;
        plannedFailure_.reset();
        failDevice(failing);
    }
}

void StoragePool::flush() {
    for (PoolDevice& dev : devices_)
        if (!dev.failed) saveDevice(dev);
}

void StoragePool::saveDevice(PoolDevice& dev) {
    if (dev.directory.empty()) return;
    for (const std::string& file : dev.removed) std::filesystem::remove(dev.directory / file);
    dev.removed.clear();
    for (const std::string& file : dev.unsaved) saveImageFile(*dev.images.at(file), dev.directory / file);
    dev.unsaved.clear();
}

void StoragePool::failDevice(const std::string& name) {
    PoolDevice& dev = deviceNamed(name);
    if (dev.failed) throw ImageError(fmt::format("pool {}: device {} has already failed", name_, name));
    saveDevice(dev);  // what it took before it failed is on it
    dev.failed = true;
}

void StoragePool::planFailure(const FailurePlan& plan) {
    if (device(plan.device).failed)
        throw ImageError(fmt::format("pool {}: device {} has already failed", name_, plan.device));
    plannedFailure_ = plan;
}

void StoragePool::restoreDevice(const std::string& name) {
    PoolDevice& dev = deviceNamed(name);
    if (!dev.failed) throw ImageError(fmt::format("pool {}: device {} has not failed", name_, name));
    dev.failed = false;
    for (VirtualDisk& d : disks_)
        for (Replica& r : d.replicas)
            if (r.device == name && !r.missedClusters.empty()) resync(d, r);
}

void StoragePool::resync(VirtualDisk& d, Replica& stale) {
    const auto live = liveReplicas(d);
    if (live.empty())
        throw ImageError(fmt::format("pool {}: disk {}: no up-to-date replica to resynchronise device {} from",
                                     name_, d.name, stale.device));
    const Qcow2Image& source = *imageOf(*live.front());
    Qcow2Image& target = *imageOf(stale);
    PoolDevice& dev = deviceNamed(stale.device);
    std::vector<uint8_t> buffer(clusterSize());
    // Cluster by cluster, so a device that fills up keeps what it has and knows what it still lacks.
    while (!stale.missedClusters.empty()) {
        const uint64_t c = *stale.missedClusters.begin();
        const uint64_t at = c * clusterSize();
        const auto bytes = std::span<uint8_t>(buffer).first(std::min(clusterSize(), source.virtualSize() - at));
        const uint64_t growth = target.growthForWrite(at, bytes.size());
        if (growth > dev.freeClusters())
            throw PoolFullError(fmt::format("pool {}: device {} is full: the resynchronisation of disk {} needs {} "
                                            "more clusters, {} are free",
                                            name_, dev.name, d.name, growth, dev.freeClusters()));
        source.read(at, bytes);
        target.write(at, bytes);
        dev.unsaved.insert(stale.file);
        ++counters_.resyncClusters;
        counters_.resyncBytes += bytes.size();
        stale.missedClusters.erase(stale.missedClusters.begin());
    }
}

}  // namespace ringsim::storage
