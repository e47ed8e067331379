// Snapshots and linked clones as external overlays, as libvirt's external
// snapshots do: the image is frozen as a read-only base and the writes go to
// a new copy-on-write overlay on it. Everything here is in memory; the
// files behind them are image_files.h's business.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/qcow2_image.h"

namespace ringsim::storage {

// A new empty overlay named `name` over `base`, of the base's size and
// cluster size, whose header names the base `backingName`.
std::shared_ptr<Qcow2Image> makeOverlay(std::shared_ptr<const Qcow2Image> base, std::string name,
                                        std::string backingName);

struct Snapshot {
    std::shared_ptr<const Qcow2Image> frozen;  // the image as it was, renamed to the snapshot's name
    std::shared_ptr<Qcow2Image> live;          // the new overlay that takes the image's old name
};
// Freezes `image` under the name `snapshotName` and continues in a new
// overlay; `backingName` is how the overlay's header names the snapshot.
Snapshot takeSnapshot(std::shared_ptr<Qcow2Image> image, std::string snapshotName, std::string backingName);

// The image and every backing image under it, top first.
std::vector<const Qcow2Image*> backingChain(const Qcow2Image& image);

}  // namespace ringsim::storage
