#include "cli/pool_status.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <ostream>

#include "storage/size_text.h"

namespace ringsim::cli {

using namespace ringsim::storage;
using nlohmann::json;

namespace {

// "vm1.qcow2 (2) -> golden.qcow2 (1)": each layer's file and the guest clusters it holds.
std::string chainText(const Qcow2Image& top, const std::string& topFile) {
    std::string text;
    std::string file = topFile;
    for (const Qcow2Image* layer = &top; layer; layer = layer->backing().get()) {
        if (!text.empty()) text += " -> ";
        text += fmt::format("{} ({})", file, layer->allocatedClusters().size());
        file = layer->backingName();
    }
    return text;
}

std::string diskKind(const VirtualDisk& disk) {
    if (disk.frozen) return "base, read-only";
    return disk.replicas.size() > 1 ? "mirrored" : "disk";
}

}  // namespace

double writeAmplification(const StoragePool& pool) {
    uint64_t deviceBytes = 0;
    for (const PoolDevice& dev : pool.devices()) deviceBytes += dev.bytesWritten;
    const uint64_t guest = pool.counters().guestBytesWritten;
    return guest == 0 ? 0.0 : double(deviceBytes) / double(guest);
}

void printPoolStatus(const StoragePool& pool, std::ostream& out) {
    out << fmt::format("pool {}: {} device{}, clusters of {}\n", pool.name(), pool.devices().size(),
                       pool.devices().size() == 1 ? "" : "s", formatSize(pool.clusterSize()));
    out << fmt::format("  {:<8} {:>9} {:>9} {:>9} {:>14}  {}\n", "device", "used", "free", "capacity",
                       "bytes written", "state");
    for (const PoolDevice& dev : pool.devices())
        out << fmt::format("  {:<8} {:>9} {:>9} {:>9} {:>14}  {}\n", dev.name, dev.usedClusters(),
                           dev.freeClusters(), dev.capacityClusters, dev.bytesWritten,
                           dev.failed ? "FAILED" : "up");
    out << "  (used, free and capacity in clusters)\n";
    out << "disks: the chain on each device, top first, with the guest clusters each image holds\n";
    for (const VirtualDisk& disk : pool.disks()) {
        out << fmt::format("  {} ({}, {})\n", disk.name, formatSize(pool.diskSize(disk.name)), diskKind(disk));
        for (const Replica& r : disk.replicas) {
            out << fmt::format("    on {}: {}", r.device, chainText(pool.topImage(r), r.file));
            if (!r.missedClusters.empty())
                out << fmt::format("; missed {} cluster{}", r.missedClusters.size(),
                                   r.missedClusters.size() == 1 ? "" : "s");
            out << '\n';
        }
    }
    const PoolCounters& c = pool.counters();
    out << fmt::format("guest writes {} ({} bytes), clusters allocated {}, copy-on-write copies {}\n", c.guestWrites,
                       c.guestBytesWritten, c.clustersAllocated, c.copyOnWriteCopies);
    out << fmt::format("write amplification {:.2f}, refused writes {}, resync {} clusters ({} bytes)\n",
                       writeAmplification(pool), c.refusedWrites, c.resyncClusters, c.resyncBytes);
    if (pool.plannedFailure())
        out << fmt::format("planned: device {} fails after {} writes\n", pool.plannedFailure()->device,
                           pool.plannedFailure()->afterWrites);
}

void printPoolStatusJson(const StoragePool& pool, std::ostream& out) {
    json j;
    j["pool"] = pool.name();
    j["cluster_size"] = pool.clusterSize();
    j["devices"] = json::array();
    for (const PoolDevice& dev : pool.devices()) {
        json images = json::array();
        for (const auto& [file, image] : dev.images) {
            json i = {{"file", file},
                      {"allocated_clusters", image->allocatedClusters().size()},
                      {"file_clusters", image->hostClusters()}};
            if (!image->backingName().empty()) i["backing_file"] = image->backingName();
            images.push_back(i);
        }
        j["devices"].push_back({{"name", dev.name},
                                {"capacity_clusters", dev.capacityClusters},
                                {"used_clusters", dev.usedClusters()},
                                {"free_clusters", dev.freeClusters()},
                                {"failed", dev.failed},
                                {"bytes_written", dev.bytesWritten},
                                {"images", images}});
    }
    j["disks"] = json::array();
    for (const VirtualDisk& disk : pool.disks()) {
        json replicas = json::array();
        for (const Replica& r : disk.replicas) {
            json chain = json::array();
            std::string file = r.file;
            for (const Qcow2Image* layer = &pool.topImage(r); layer; layer = layer->backing().get()) {
                chain.push_back(file);
                file = layer->backingName();
            }
            replicas.push_back({{"device", r.device},
                                {"file", r.file},
                                {"chain", chain},
                                {"allocated_clusters", pool.topImage(r).allocatedClusters().size()},
                                {"missed_clusters", r.missedClusters.size()}});
        }
        j["disks"].push_back({{"name", disk.name},
                              {"size", pool.diskSize(disk.name)},
                              {"base", disk.frozen},
                              {"snapshots", pool.snapshots(disk.name)},
                              {"replicas", replicas}});
    }
    const PoolCounters& c = pool.counters();
    j["counters"] = {{"guest_writes", c.guestWrites},
                     {"guest_bytes_written", c.guestBytesWritten},
                     {"clusters_allocated", c.clustersAllocated},
                     {"copy_on_write_copies", c.copyOnWriteCopies},
                     {"write_amplification", writeAmplification(pool)},
                     {"refused_writes", c.refusedWrites},
                     {"resync_clusters", c.resyncClusters},
                     {"resync_bytes", c.resyncBytes}};
    out << j.dump(2) << '\n';
}

}  // namespace ringsim::cli
