// `ringsim pool`: a storage pool kept in a folder (core/storage/
// pool_manifest.h): devices with a capacity, golden bases, per-VM overlay
// disks, snapshots, reverts, linked clones, mirrored disks whose device can
// fail and return, and the pool's counters. Exit codes as the other
// commands: 0 success, 2 bad input or a refused request (a full device,
// an unknown name, a missing folder).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace ringsim::cli {

struct PoolArgs {
    std::string folder;
    std::string name;      // the disk, base or device the subcommand acts on
    std::string second;    // snapshot name; base's raw file
    std::string third;     // clone: the new disk
    std::string devices = "a";
    std::string capacity;  // per device: "256M"
    std::string clusterSize = "64K";
    std::string size;      // base or disk: virtual size
    std::string from;      // base: a raw image
    std::string base;      // disk: the base it is an overlay on
    std::string device;    // base or disk: the device (default the first)
    std::string mirror;    // disk: a second device every write also goes to
    std::string offset = "0";
    std::string length = "4K";
    std::string stride;    // write: from one request to the next (default: the length)
    uint64_t count = 1;
    std::string byte = "0xab";
    std::string fail;      // write: "b after 3 writes"
    std::string format = "text";
};

CLI::App* addPoolCommand(CLI::App& app, PoolArgs& args);
int poolCommand(const CLI::App& pool, const PoolArgs& args, std::ostream& out, std::ostream& err);

}  // namespace ringsim::cli
