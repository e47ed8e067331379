#include "storage/image_chain.h"

#include <bit>

namespace ringsim::storage {

std::shared_ptr<Qcow2Image> makeOverlay(std::shared_ptr<const Qcow2Image> base, std::string name,
                                        std::string backingName) {
    CreateOptions options;
    options.clusterBits = uint32_t(std::countr_zero(base->clusterSize()));
    options.backingName = std::move(backingName);
    const uint64_t size = base->virtualSize();
    options.backing = std::move(base);
    return Qcow2Image::create(std::move(name), size, options);
}

Snapshot takeSnapshot(std::shared_ptr<Qcow2Image> image, std::string snapshotName, std::string backingName) {
    std::string liveName = image->name();
    image->rename(std::move(snapshotName));
    Snapshot snapshot;
    snapshot.frozen = image;
    snapshot.live = makeOverlay(image, std::move(liveName), std::move(backingName));
    return snapshot;
}

std::vector<const Qcow2Image*> backingChain(const Qcow2Image& image) {
    std::vector<const Qcow2Image*> chain;
    for (const Qcow2Image* layer = &image; layer; layer = layer->backing().get()) chain.push_back(layer);
    return chain;
}

}  // namespace ringsim::storage
