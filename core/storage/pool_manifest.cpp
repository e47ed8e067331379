#include "storage/pool_manifest.h"

#include <bit>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>

#include "storage/image_files.h"

namespace ringsim::storage {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path poolManifestPath(const fs::path& folder) { return folder / "pool.json"; }

namespace {

json countersJson(const PoolCounters& c) {
    return {{"guest_writes", c.guestWrites},         {"guest_bytes_written", c.guestBytesWritten},
            {"clusters_allocated", c.clustersAllocated}, {"copy_on_write_copies", c.copyOnWriteCopies},
            {"refused_writes", c.refusedWrites},     {"resync_clusters", c.resyncClusters},
            {"resync_bytes", c.resyncBytes}};
}

PoolCounters countersFrom(const json& j) {
    PoolCounters c;
    c.guestWrites = j.at("guest_writes");
    c.guestBytesWritten = j.at("guest_bytes_written");
    c.clustersAllocated = j.at("clusters_allocated");
    c.copyOnWriteCopies = j.at("copy_on_write_copies");
    c.refusedWrites = j.at("refused_writes");
    c.resyncClusters = j.at("resync_clusters");
    c.resyncBytes = j.at("resync_bytes");
    return c;
}

// Loads `file` with its backing chain from the device's folder, each file once.
std::shared_ptr<Qcow2Image> loadImage(StoragePool& pool, const PoolDevice& dev, const std::string& file,
                                      std::vector<std::string>& opening) {
    if (const auto found = dev.images.find(file); found != dev.images.end()) return found->second;
    if (std::find(opening.begin(), opening.end(), file) != opening.end())
        throw ImageError(fmt::format("{}: the backing chain loops back to {}", (dev.directory / opening.front()).string(),
                                     file));
    if (file.find('/') != std::string::npos)
        throw ImageError(fmt::format("{}: a pool image's backing file must be in its own folder",
                                     (dev.directory / opening.back()).string()));
    opening.push_back(file);
    const fs::path path = dev.directory / file;
    auto resolve = [&](const std::string& backing) -> std::shared_ptr<const Qcow2Image> {
        return loadImage(pool, dev, backing, opening);
    };
    auto image = Qcow2Image::parse(readWholeFile(path), path.string(), resolve);
    opening.pop_back();
    pool.adoptImage(dev.name, file, image);
    return image;
}

}  // namespace

void savePool(StoragePool& pool, const fs::path& folder) {
    pool.flush();
    json j;
    j["pool"] = pool.name();
    j["cluster_size"] = pool.clusterSize();
    j["devices"] = json::array();
    for (const PoolDevice& dev : pool.devices())
        j["devices"].push_back({{"name", dev.name},
                                {"folder", fs::relative(dev.directory, folder).string()},
                                {"capacity_clusters", dev.capacityClusters},
                                {"failed", dev.failed},
                                {"bytes_written", dev.bytesWritten}});
    j["disks"] = json::array();
    for (const VirtualDisk& disk : pool.disks()) {
        json replicas = json::array();
        for (const Replica& r : disk.replicas)
            replicas.push_back({{"device", r.device}, {"file", r.file}, {"missed_clusters", r.missedClusters}});
        j["disks"].push_back({{"name", disk.name}, {"frozen", disk.frozen}, {"replicas", replicas}});
    }
    j["counters"] = countersJson(pool.counters());
    if (pool.plannedFailure())
        j["planned_failure"] = fmt::format("{} after {} writes", pool.plannedFailure()->device,
                                           pool.plannedFailure()->afterWrites);
    const fs::path path = poolManifestPath(folder), temporary = path.string() + ".ringsim-tmp";
    std::ofstream(temporary) << j.dump(2) << '\n';
    std::error_code ec;
    fs::rename(temporary, path, ec);
    if (ec) throw ImageError(fmt::format("{}: cannot write: {}", path.string(), ec.message()));
}

StoragePool openPool(const fs::path& folder) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw ImageError(fmt::format("{}: no such folder (make a pool with `ringsim pool create`)", folder.string()));
    const fs::path path = poolManifestPath(folder);
    if (!fs::exists(path, ec))
        throw ImageError(fmt::format("{}: not a pool (no pool.json; make one with `ringsim pool create`)",
                                     folder.string()));
    const std::vector<uint8_t> bytes = readWholeFile(path);
    try {
        const json j = json::parse(bytes.begin(), bytes.end());
        const uint64_t clusterSize = j.at("cluster_size");
        if (!std::has_single_bit(clusterSize)) throw ImageError(fmt::format("{}: cluster_size is not a power of two", path.string()));
        StoragePool pool(j.at("pool"), uint32_t(std::countr_zero(clusterSize)));
        for (const json& d : j.at("devices")) {
            const fs::path dir = folder / d.at("folder").get<std::string>();
            if (!fs::is_directory(dir, ec))
                throw ImageError(fmt::format("{}: device {}'s folder {} is missing", path.string(),
                                             d.at("name").get<std::string>(), dir.string()));
            pool.addDevice(d.at("name"), d.at("capacity_clusters"), dir);
            pool.restoreDeviceState(d.at("name"), d.at("failed"), d.at("bytes_written"));
        }
        for (const PoolDevice& dev : pool.devices())
            for (const auto& entry : fs::directory_iterator(dev.directory)) {
                if (entry.path().extension() != ".qcow2") continue;
                std::vector<std::string> opening;
                loadImage(pool, dev, entry.path().filename().string(), opening);
            }
        for (const json& d : j.at("disks")) {
            VirtualDisk disk{d.at("name"), d.at("frozen"), {}};
            for (const json& r : d.at("replicas"))
                disk.replicas.push_back({r.at("device"), r.at("file"), r.at("missed_clusters")});
            pool.adoptDisk(std::move(disk));
        }
        pool.restoreCounters(countersFrom(j.at("counters")));
        if (j.contains("planned_failure")) {
            const auto plan = parseFailurePlan(j.at("planned_failure"));
            if (!plan) throw ImageError(fmt::format("{}: planned_failure is not 'DEVICE after N writes'", path.string()));
            pool.planFailure(*plan);
        }
        return pool;
    } catch (const json::exception& e) {
        throw ImageError(fmt::format("{}: not a pool manifest: {}", path.string(), e.what()));
    }
}

}  // namespace ringsim::storage
