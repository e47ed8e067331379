#include "cli/pool_command.h"

#include <CLI/CLI.hpp>
#include <bit>
#include <fmt/format.h>
#include <ostream>
#include <sstream>

#include "cli/pool_status.h"
#include "storage/image_files.h"
#include "storage/pool_manifest.h"
#include "storage/size_text.h"

namespace ringsim::cli {

using namespace ringsim::storage;
namespace fs = std::filesystem;

CLI::App* addPoolCommand(CLI::App& app, PoolArgs& args) {
    auto* pool = app.add_subcommand("pool", "a storage pool in a folder: thin disks from golden bases, snapshots, "
                                            "clones, mirrored disks (docs/storage.md)");
    pool->require_subcommand(1);
    const char* const sizeHelp = "bytes, or with a suffix K, M, G (binary: 1K = 1024)";
    auto folder = [&](CLI::App* cmd) { cmd->add_option("DIR", args.folder, "the pool's folder")->required(); };

    auto* create = pool->add_subcommand("create", "a new pool in DIR (made if its parent exists), one sub-folder "
                                                  "per device");
    folder(create);
    create->add_option("--capacity", args.capacity, std::string("each device's capacity: ") + sizeHelp)->required();
    create->add_option("--devices", args.devices, "the devices' names, separated by commas")->capture_default_str();
    create->add_option("--cluster-size", args.clusterSize, "a power of two from 512 bytes to 2M")
        ->capture_default_str();

    auto* base = pool->add_subcommand("base", "a golden base: a disk others are built on (read-only once they are)");
    folder(base);
    base->add_option("NAME", args.name, "the base's name")->required();
    base->add_option("--from", args.from, "a raw image to import (clusters of zeros stay unallocated)");
    base->add_option("--size", args.size, std::string("an empty base of this size: ") + sizeHelp);
    base->add_option("--device", args.device, "the device (default: the first)");

    auto* disk = pool->add_subcommand("disk", "give a VM a disk: a copy-on-write overlay on a base, or an empty one");
    folder(disk);
    disk->add_option("NAME", args.name, "the disk's name")->required();
    disk->add_option("--base", args.base, "the base (or any disk, frozen from now on) it is an overlay on");
    disk->add_option("--size", args.size, std::string("an empty disk of this size: ") + sizeHelp);
    disk->add_option("--device", args.device, "the device of an empty disk (default: the first)");
    disk->add_option("--mirror", args.mirror, "a second device every write also goes to");

    auto* write = pool->add_subcommand("write", "write to a disk as a guest would: COUNT requests of LENGTH bytes");
    folder(write);
    write->add_option("NAME", args.name, "the disk")->required();
    write->add_option("--offset", args.offset, "the first request's offset")->capture_default_str();
    write->add_option("--length", args.length, "each request's length")->capture_default_str();
    write->add_option("--count", args.count, "how many requests")->capture_default_str();
    write->add_option("--stride", args.stride, "from one request's offset to the next (default: the length)");
    write->add_option("--byte", args.byte, "the byte every request is filled with")->capture_default_str();
    write->add_option("--fail", args.fail, "a device failure in the middle: 'B after N writes'");

    auto* snapshot = pool->add_subcommand("snapshot", "freeze a disk as DISK.NAME.qcow2; it carries on in a new "
                                                      "overlay");
    folder(snapshot);
    snapshot->add_option("DISK", args.name, "the disk")->required();
    snapshot->add_option("SNAPSHOT", args.second, "the snapshot's name")->required();

    auto* revert = pool->add_subcommand("revert", "drop what a disk wrote since a snapshot");
    folder(revert);
    revert->add_option("DISK", args.name, "the disk")->required();
    revert->add_option("SNAPSHOT", args.second, "the snapshot")->required();

    auto* clone = pool->add_subcommand("clone", "a linked clone: a new disk over a disk's snapshot");
    folder(clone);
    clone->add_option("DISK", args.name, "the disk")->required();
    clone->add_option("SNAPSHOT", args.second, "its snapshot")->required();
    clone->add_option("NEWDISK", args.third, "the clone")->required();

    auto* fail = pool->add_subcommand("fail", "a device fails: mirrored disks run on from the other one");
    folder(fail);
    fail->add_option("DEVICE", args.name, "the device")->required();

    auto* restore = pool->add_subcommand("restore", "a failed device returns and is resynchronised");
    folder(restore);
    restore->add_option("DEVICE", args.name, "the device")->required();

    auto* status = pool->add_subcommand("status", "devices, disks with their chains, and the counters");
    folder(status);
    status->add_option("--format", args.format, "text or json")->capture_default_str();
    return pool;
}

namespace {

uint64_t sizeOption(const std::string& option, const std::string& text) {
    const auto size = parseSize(text);
    if (!size) throw ImageError(fmt::format("{} '{}': not a size (bytes, or a number with K, M or G)", option, text));
    return *size;
}

uint8_t byteOption(const std::string& text) {
    size_t used = 0;
    unsigned long value = 0;
    try {
        value = std::stoul(text, &used, 0);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || value > 255) throw ImageError(fmt::format("--byte '{}': a number from 0 to 255", text));
    return uint8_t(value);
}

std::vector<std::string> deviceNames(const std::string& text) {
    std::vector<std::string> names;
    std::stringstream list(text);
    for (std::string name; std::getline(list, name, ',');) names.push_back(name);
    return names;
}

int createPool(const PoolArgs& args, std::ostream& out) {
    const fs::path folder = args.folder;
    std::error_code ec;
    const fs::path parent = fs::absolute(folder).parent_path();
    if (!fs::is_directory(parent, ec))
        throw ImageError(fmt::format("{}: the folder {} it would be made in does not exist", args.folder,
                                     parent.string()));
    if (fs::exists(poolManifestPath(folder), ec))
        throw ImageError(fmt::format("{}: already a pool; ringsim does not overwrite it", args.folder));
    const uint64_t clusterSize = sizeOption("--cluster-size", args.clusterSize);
    if (!std::has_single_bit(clusterSize) || clusterSize < 512 || clusterSize > (2u << 20))
        throw ImageError(fmt::format("--cluster-size '{}': must be a power of two from 512 bytes to 2M",
                                     args.clusterSize));
    const uint64_t capacity = sizeOption("--capacity", args.capacity) / clusterSize;
    if (capacity == 0)
        throw ImageError(fmt::format("--capacity '{}': less than one cluster of {}", args.capacity,
                                     formatSize(clusterSize)));
    StoragePool pool(folder.filename().string(), uint32_t(std::countr_zero(clusterSize)));
    for (const std::string& name : deviceNames(args.devices)) pool.addDevice(name, capacity, folder / name);
    for (const PoolDevice& dev : pool.devices()) fs::create_directories(dev.directory);
    savePool(pool, folder);
    out << fmt::format("created pool {} in {}: {} device{} ({}) of {} clusters of {} each\n", pool.name(),
                       args.folder, pool.devices().size(), pool.devices().size() == 1 ? "" : "s", args.devices,
                       capacity, formatSize(clusterSize));
    return 0;
}

std::string deviceOrFirst(const StoragePool& pool, const std::string& device) {
    return device.empty() ? pool.devices().front().name : device;
}

void addBase(StoragePool& pool, const PoolArgs& args, std::ostream& out) {
    if (args.from.empty() == args.size.empty()) throw ImageError("pool base: give --from RAW or --size N (one of them)");
    const std::string device = deviceOrFirst(pool, args.device);
    if (!args.size.empty()) {
        pool.createDisk(args.name, sizeOption("--size", args.size), device);
        out << fmt::format("base {}: an empty {} disk on device {}\n", args.name,
                           formatSize(pool.diskSize(args.name)), device);
        return;
    }
    const std::vector<uint8_t> raw = readWholeFile(args.from);
    pool.createDisk(args.name, (raw.size() + 511) / 512 * 512, device);
    const uint64_t cluster = pool.clusterSize();
    for (uint64_t at = 0; at < raw.size(); at += cluster) {
        const auto chunk = std::span<const uint8_t>(raw).subspan(at, std::min<uint64_t>(cluster, raw.size() - at));
        if (std::any_of(chunk.begin(), chunk.end(), [](uint8_t b) { return b != 0; })) pool.write(args.name, at, chunk);
    }
    out << fmt::format("base {}: {} imported from {} on device {}, {} clusters allocated\n", args.name,
                       formatSize(pool.diskSize(args.name)), args.from, device,
                       pool.topImage(pool.disk(args.name).replicas.front()).allocatedClusters().size());
}

void addDisk(StoragePool& pool, const PoolArgs& args, std::ostream& out) {
    if (args.base.empty() == args.size.empty()) throw ImageError("pool disk: give --base BASE or --size N (one of them)");
    if (!args.base.empty()) {
        if (!args.device.empty()) throw ImageError("pool disk: an overlay goes on its base's device; give --mirror, not --device");
        pool.createOverlayDisk(args.name, args.base, args.mirror);
        out << fmt::format("disk {}: a copy-on-write overlay on {}", args.name, args.base);
    } else {
        pool.createDisk(args.name, sizeOption("--size", args.size), deviceOrFirst(pool, args.device), args.mirror);
        out << fmt::format("disk {}: an empty {} disk", args.name, formatSize(pool.diskSize(args.name)));
    }
    std::string on;
    for (const Replica& r : pool.disk(args.name).replicas) on += (on.empty() ? "" : " and ") + r.device;
    out << fmt::format(" on {}\n", on);
}

void writeRequests(StoragePool& pool, const PoolArgs& args, std::ostream& out) {
    const uint64_t offset = sizeOption("--offset", args.offset), length = sizeOption("--length", args.length);
    const uint64_t stride = args.stride.empty() ? length : sizeOption("--stride", args.stride);
    if (!args.fail.empty()) {
        const auto plan = parseFailurePlan(args.fail);
        if (!plan) throw ImageError(fmt::format("--fail '{}': write it as 'DEVICE after N writes'", args.fail));
        FailurePlan planned = *plan;
        planned.afterWrites += pool.counters().guestWrites;  // N writes from now
        pool.device(planned.device);
        pool.planFailure(planned);
    }
    const std::vector<uint8_t> data(length, byteOption(args.byte));
    uint64_t done = 0;
    try {
        for (; done < args.count; ++done) pool.write(args.name, offset + done * stride, data);
    } catch (const ImageError&) {
        out << fmt::format("wrote {} of {} requests to {}\n", done, args.count, args.name);
        throw;
    }
    out << fmt::format("wrote {} request{} of {} bytes to {}\n", done, done == 1 ? "" : "s", length, args.name);
    for (const PoolDevice& dev : pool.devices())
        if (dev.failed) out << fmt::format("device {} has failed\n", dev.name);
}

void change(StoragePool& pool, const CLI::App& command, const PoolArgs& args, std::ostream& out) {
    auto given = [&](const char* name) { return command.get_subcommand(name)->parsed(); };
    if (given("base")) addBase(pool, args, out);
    else if (given("disk")) addDisk(pool, args, out);
    else if (given("write")) writeRequests(pool, args, out);
    else if (given("snapshot")) {
        pool.snapshot(args.name, args.second);
        out << fmt::format("snapshot {} of {}: frozen as {}\n", args.second, args.name, snapshotFile(args.name, args.second));
    } else if (given("revert")) {
        pool.revert(args.name, args.second);
        out << fmt::format("{} reverted to snapshot {}\n", args.name, args.second);
    } else if (given("clone")) {
        pool.clone(args.name, args.second, args.third);
        out << fmt::format("disk {}: a linked clone of {}'s snapshot {}\n", args.third, args.name, args.second);
    } else if (given("fail")) {
        pool.failDevice(args.name);
        out << fmt::format("device {} has failed\n", args.name);
    } else if (given("restore")) {
        const uint64_t before = pool.counters().resyncClusters, bytesBefore = pool.counters().resyncBytes;
        pool.restoreDevice(args.name);
        out << fmt::format("device {} is back: resynchronised {} clusters ({} bytes)\n", args.name,
                           pool.counters().resyncClusters - before, pool.counters().resyncBytes - bytesBefore);
    }
}

int act(const CLI::App& command, const PoolArgs& args, std::ostream& out) {
    auto given = [&](const char* name) { return command.get_subcommand(name)->parsed(); };
    if (given("create")) return createPool(args, out);
    StoragePool pool = openPool(args.folder);
    if (given("status")) {
        if (args.format == "json") printPoolStatusJson(pool, out);
        else if (args.format == "text") printPoolStatus(pool, out);
        else throw ImageError(fmt::format("--format '{}': text or json", args.format));
        return 0;
    }
    // What happened before a refusal (the writes before a full device) is kept: the pool is saved either way.
    try {
        change(pool, command, args, out);
    } catch (const ImageError&) {
        savePool(pool, args.folder);
        throw;
    }
    savePool(pool, args.folder);
    return 0;
}

}  // namespace

int poolCommand(const CLI::App& pool, const PoolArgs& args, std::ostream& out, std::ostream& err) {
    try {
        return act(pool, args, out);
    } catch (const ImageError& e) {
        err << "error: " << e.what() << '\n';
    } catch (const fs::filesystem_error& e) {
        err << "error: " << e.what() << '\n';
    }
    return 2;
}

}  // namespace ringsim::cli
