// What an image's consistency check found: errors (a refcount that does not
// match the references, overlapping or misplaced clusters, wrong COPIED
// flags) and leaks (clusters counted but used by nothing), the same two
// kinds `qemu-img check` reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ringsim::storage {

struct CheckReport {
    std::vector<std::string> errors;
    uint64_t leakedClusters = 0;
    uint64_t hostClusters = 0;       // the file's length in clusters
    uint64_t allocatedClusters = 0;  // guest data clusters in this image

    bool clean() const { return errors.empty() && leakedClusters == 0; }
};

}  // namespace ringsim::storage
