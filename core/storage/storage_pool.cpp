// The pool's devices and disks: making disks, overlays on golden bases,
// snapshots, reverts and linked clones, each on every replica of a disk.
#include "storage/storage_pool.h"

#include <algorithm>
#include <fmt/format.h>
#include <utility>

#include "storage/image_chain.h"
#include "storage/plain_name.h"
#include "storage/qcow2_layout.h"

namespace ringsim::storage {

std::string diskFile(const std::string& disk) { return disk + ".qcow2"; }
std::string snapshotFile(const std::string& disk, const std::string& snapshot) {
    return disk + "." + snapshot + ".qcow2";
}

namespace {
void requirePlain(const std::string& what, const std::string& name) {
    if (!isPlainName(name))
        throw ImageError(fmt::format("{} name '{}': must be 1 to 64 letters, digits, '-' or '_'", what, name));
}
}  // namespace

StoragePool::StoragePool(std::string name, uint32_t clusterBits) : name_(std::move(name)), clusterBits_(clusterBits) {
    if (clusterBits < qcow2::kMinClusterBits || clusterBits > qcow2::kMaxClusterBits)
        throw ImageError(fmt::format("pool {}: clusters of 2^{} bytes are outside 512 bytes to 2 MiB", name_,
                                     clusterBits));
}

void StoragePool::addDevice(const std::string& name, uint64_t capacityClusters, const std::filesystem::path& directory) {
    requirePlain("device", name);
    if (std::any_of(devices_.begin(), devices_.end(), [&](const PoolDevice& d) { return d.name == name; }))
        throw ImageError(fmt::format("pool {}: there is already a device '{}'", name_, name));
    if (capacityClusters == 0) throw ImageError(fmt::format("pool {}: device '{}' needs a capacity", name_, name));
    PoolDevice device;
    device.name = name;
    device.directory = directory;
    device.capacityClusters = capacityClusters;
    devices_.push_back(std::move(device));
}

PoolDevice& StoragePool::deviceNamed(const std::string& name) {
    return const_cast<PoolDevice&>(std::as_const(*this).device(name));
}
const PoolDevice& StoragePool::device(const std::string& name) const {
    for (const PoolDevice& d : devices_)
        if (d.name == name) return d;
    throw ImageError(fmt::format("pool {}: no device named '{}'", name_, name));
}
VirtualDisk& StoragePool::diskNamed(const std::string& name) {
    return const_cast<VirtualDisk&>(std::as_const(*this).disk(name));
}
const VirtualDisk& StoragePool::disk(const std::string& name) const {
    for (const VirtualDisk& d : disks_)
        if (d.name == name) return d;
    throw ImageError(fmt::format("pool {}: no disk named '{}'", name_, name));
}

const std::shared_ptr<Qcow2Image>& StoragePool::imageOf(const Replica& replica) const {
    const PoolDevice& dev = device(replica.device);
    const auto found = dev.images.find(replica.file);
    if (found == dev.images.end())
        throw ImageError(fmt::format("pool {}: image {} is missing from device {}", name_, replica.file, dev.name));
    return found->second;
}
std::shared_ptr<Qcow2Image>& StoragePool::imageOf(const Replica& replica) {
    return const_cast<std::shared_ptr<Qcow2Image>&>(std::as_const(*this).imageOf(replica));
}
const Qcow2Image& StoragePool::topImage(const Replica& replica) const { return *imageOf(replica); }

std::string StoragePool::imageName(const PoolDevice& device, const std::string& file) const {
    return device.directory.empty() ? device.name + "/" + file : (device.directory / file).string();
}

void StoragePool::requireNewDiskName(const std::string& disk) const {
    requirePlain("disk", disk);
    if (std::any_of(disks_.begin(), disks_.end(), [&](const VirtualDisk& d) { return d.name == disk; }))
        throw ImageError(fmt::format("pool {}: there is already a disk '{}'", name_, disk));
    for (const PoolDevice& dev : devices_)
        if (dev.images.count(diskFile(disk)))
            throw ImageError(fmt::format("pool {}: device {} already holds {}", name_, dev.name, diskFile(disk)));
}

void StoragePool::requireHealthy(const VirtualDisk& disk, const char* doing) const {
    for (const Replica& r : disk.replicas)
        if (device(r.device).failed || !r.missedClusters.empty())
            throw ImageError(fmt::format("pool {}: disk {}: device {} has failed; restore it before {}", name_,
                                         disk.name, r.device, doing));
}

void StoragePool::place(PoolDevice& device, const std::string& file, std::shared_ptr<Qcow2Image> image) {
    if (device.failed)
        throw ImageError(fmt::format("pool {}: device {} has failed; nothing can be put on it", name_, device.name));
    if (image->hostClusters() > device.freeClusters())
        throw PoolFullError(fmt::format("pool {}: device {} is full: {} needs {} clusters, {} of {} are free", name_,
                                        device.name, file, image->hostClusters(), device.freeClusters(),
                                        device.capacityClusters));
    device.images[file] = std::move(image);
    device.unsaved.insert(file);
    device.removed.erase(file);
}

void StoragePool::copyChain(const PoolDevice& from, PoolDevice& to, const std::string& file) {
    if (to.images.count(file)) return;
    const auto& source = from.images.at(file);
    if (!source->backingName().empty()) copyChain(from, to, source->backingName());
    auto resolve = [&](const std::string& backing) -> std::shared_ptr<const Qcow2Image> { return to.images.at(backing); };
    place(to, file, Qcow2Image::parse(source->fileBytes(), imageName(to, file), resolve));
}

void StoragePool::createDisk(const std::string& disk, uint64_t virtualSize, const std::string& primary,
                             const std::string& mirror) {
    requireNewDiskName(disk);
    std::vector<std::string> on{primary};
    if (!mirror.empty()) on.push_back(mirror);
    if (on.size() == 2 && on[0] == on[1])
        throw ImageError(fmt::format("pool {}: a disk cannot be mirrored to its own device {}", name_, primary));
    std::vector<std::shared_ptr<Qcow2Image>> images;
    for (const std::string& name : on) {
        const PoolDevice& dev = device(name);
        if (dev.failed)
            throw ImageError(fmt::format("pool {}: device {} has failed; nothing can be put on it", name_, name));
        CreateOptions options;
        options.clusterBits = clusterBits_;
        images.push_back(Qcow2Image::create(imageName(dev, diskFile(disk)), virtualSize, options));
        if (images.back()->hostClusters() > dev.freeClusters())
            throw PoolFullError(fmt::format("pool {}: device {} is full: {} needs {} clusters, {} are free", name_,
                                            name, diskFile(disk), images.back()->hostClusters(), dev.freeClusters()));
    }
    VirtualDisk made{disk, false, {}};
    for (size_t i = 0; i < on.size(); ++i) {
        place(deviceNamed(on[i]), diskFile(disk), images[i]);
        made.replicas.push_back({on[i], diskFile(disk), {}});
    }
    disks_.push_back(std::move(made));
}

void StoragePool::createOverlayDisk(const std::string& disk, const std::string& base, const std::string& mirror) {
    requireNewDiskName(disk);
    VirtualDisk& baseDisk = diskNamed(base);
    requireHealthy(baseDisk, "building on it");
    std::vector<std::string> on;
    if (mirror.empty()) {
        for (const Replica& r : baseDisk.replicas) on.push_back(r.device);
    } else {
        on = {baseDisk.replicas.front().device, mirror};
        if (on[0] == on[1])
            throw ImageError(fmt::format("pool {}: a disk cannot be mirrored to its own device {}", name_, mirror));
        deviceNamed(mirror);  // named clearly before anything is copied
    }
    const Replica source = baseDisk.replicas.front();
    VirtualDisk made{disk, false, {}};
    const auto before = devices_;  // a device that is full half-way leaves the pool as it was
    try {
        for (const std::string& name : on) {
            PoolDevice& dev = deviceNamed(name);
            copyChain(device(source.device), dev, source.file);
            place(dev, diskFile(disk),
                  makeOverlay(dev.images.at(source.file), imageName(dev, diskFile(disk)), source.file));
            made.replicas.push_back({name, diskFile(disk), {}});
        }
    } catch (const ImageError&) {
        devices_ = before;
        throw;
    }
    baseDisk.frozen = true;
    disks_.push_back(std::move(made));
}

std::vector<std::string> StoragePool::snapshots(const std::string& diskName) const {
    const VirtualDisk& d = disk(diskName);
    const Replica& r = d.replicas.front();
    const PoolDevice& dev = device(r.device);
    std::vector<std::string> names;
    const std::string prefix = d.name + ".", suffix = ".qcow2";
    for (const Qcow2Image* layer = imageOf(r).get(); layer && !layer->backingName().empty();
         layer = layer->backing().get()) {
        const std::string& file = layer->backingName();
        if (file.size() > prefix.size() + suffix.size() && file.starts_with(prefix) && file.ends_with(suffix) &&
            dev.images.count(file))
            names.push_back(file.substr(prefix.size(), file.size() - prefix.size() - suffix.size()));
    }
    std::reverse(names.begin(), names.end());
    return names;
}

void StoragePool::snapshot(const std::string& diskName, const std::string& name) {
    requirePlain("snapshot", name);
    VirtualDisk& d = diskNamed(diskName);
    if (d.frozen)
        throw ImageError(fmt::format("pool {}: disk {} is a base other disks are built on; it cannot change", name_,
                                     d.name));
    requireHealthy(d, "taking a snapshot");
    const std::string frozenFile = snapshotFile(d.name, name);
    for (const Replica& r : d.replicas) {
        const PoolDevice& dev = device(r.device);
        if (dev.images.count(frozenFile))
            throw ImageError(fmt::format("pool {}: disk {} already has a snapshot '{}'", name_, d.name, name));
        const uint64_t overlay = makeOverlay(imageOf(r), "probe", frozenFile)->hostClusters();
        if (overlay > dev.freeClusters())
            throw PoolFullError(fmt::format("pool {}: device {} is full: the snapshot's new overlay needs {} "
                                            "clusters, {} are free", name_, dev.name, overlay, dev.freeClusters()));
    }
    for (const Replica& r : d.replicas) {
        PoolDevice& dev = deviceNamed(r.device);
        std::shared_ptr<Qcow2Image> top = imageOf(r);
        Snapshot taken = takeSnapshot(top, imageName(dev, frozenFile), frozenFile);
        dev.images.erase(r.file);
        dev.images[frozenFile] = top;
        dev.unsaved.insert(frozenFile);
        place(dev, r.file, taken.live);
    }
}

void StoragePool::revert(const std::string& diskName, const std::string& name) {
    VirtualDisk& d = diskNamed(diskName);
    if (d.frozen)
        throw ImageError(fmt::format("pool {}: disk {} is a base other disks are built on; it cannot change", name_,
                                     d.name));
    const auto names = snapshots(d.name);
    if (std::find(names.begin(), names.end(), name) == names.end())
        throw ImageError(fmt::format("pool {}: disk {} has no snapshot '{}'", name_, d.name, name));
    requireHealthy(d, "reverting it");
    const std::string frozenFile = snapshotFile(d.name, name);
    for (const Replica& r : d.replicas) {
        PoolDevice& dev = deviceNamed(r.device);
        // The dropped overlay's clusters go back to the device before the new one takes its few.
        dev.images.erase(r.file);
        place(dev, r.file, makeOverlay(dev.images.at(frozenFile), imageName(dev, r.file), frozenFile));
    }
}

void StoragePool::clone(const std::string& diskName, const std::string& name, const std::string& newDisk) {
    requireNewDiskName(newDisk);
    const VirtualDisk& d = disk(diskName);
    const auto names = snapshots(d.name);
    if (std::find(names.begin(), names.end(), name) == names.end())
        throw ImageError(fmt::format("pool {}: disk {} has no snapshot '{}'", name_, d.name, name));
    requireHealthy(d, "cloning it");
    const std::string frozenFile = snapshotFile(d.name, name);
    VirtualDisk made{newDisk, false, {}};
    const auto before = devices_;
    try {
        for (const Replica& r : d.replicas) {
            PoolDevice& dev = deviceNamed(r.device);
            place(dev, diskFile(newDisk),
                  makeOverlay(dev.images.at(frozenFile), imageName(dev, diskFile(newDisk)), frozenFile));
            made.replicas.push_back({r.device, diskFile(newDisk), {}});
        }
    } catch (const ImageError&) {
        devices_ = before;
        throw;
    }
    disks_.push_back(std::move(made));
}

void StoragePool::adoptImage(const std::string& device, const std::string& file, std::shared_ptr<Qcow2Image> image) {
    deviceNamed(device).images[file] = std::move(image);
}

void StoragePool::adoptDisk(VirtualDisk disk) {
    for (const Replica& r : disk.replicas) imageOf(r);  // every replica's image must be there
    disks_.push_back(std::move(disk));
}

void StoragePool::restoreDeviceState(const std::string& device, bool failed, uint64_t bytesWritten) {
    PoolDevice& dev = deviceNamed(device);
    dev.failed = failed;
    dev.bytesWritten = bytesWritten;
}

}  // namespace ringsim::storage
