// One device of a storage pool: a folder of qcow2 image files (or memory,
// when it has no folder) with a capacity in clusters. The images it holds
// are keyed by file name; a backing file name in a header is a file of the
// same device, so every disk's chain lives whole on each device it uses.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "storage/qcow2_image.h"

namespace ringsim::storage {

struct PoolDevice {
    std::string name;
    std::filesystem::path directory;  // empty: the device lives in memory
    uint64_t capacityClusters = 0;
    bool failed = false;
    uint64_t bytesWritten = 0;  // for guest writes: data, copy-on-write fills, new tables
    std::map<std::string, std::shared_ptr<Qcow2Image>> images;  // by file name
    std::set<std::string> unsaved;  // files changed since the last flush
    std::set<std::string> removed;  // files to delete at the next flush

    // Space taken: every cluster of every image file (all are refcounted).
    uint64_t usedClusters() const {
        uint64_t used = 0;
        for (const auto& [file, image] : images) used += image->hostClusters();
        return used;
    }
    uint64_t freeClusters() const {
        const uint64_t used = usedClusters();
        return used >= capacityClusters ? 0 : capacityClusters - used;
    }
};

}  // namespace ringsim::storage
