// A pool kept in a folder: pool.json (its devices, disks, replicas, what a
// failed device missed, the counters) beside one sub-folder per device
// holding that device's qcow2 files. Every front end that keeps a pool
// between runs goes through these two.
#pragma once

#include <filesystem>

#include "storage/storage_pool.h"

namespace ringsim::storage {

// The pool's images are flushed and pool.json written (to a temporary
// name, then renamed).
void savePool(StoragePool& pool, const std::filesystem::path& folder);
// Throws ImageError naming the folder or file when it is missing or not a pool.
StoragePool openPool(const std::filesystem::path& folder);

std::filesystem::path poolManifestPath(const std::filesystem::path& folder);

}  // namespace ringsim::storage
