// libFuzzer target for the qcow2 image reader: the bytes are an image file.
// The reader must answer every input with an image or an ImageError. What
// it accepts must behave: reads stay inside the file and the disk, and if
// the consistency check finds no errors, a write keeps it so and the bytes
// it leaves parse again. How to build and run it: fuzz/README.md.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_check.h"
#include "storage/image_error.h"
#include "storage/qcow2_image.h"

using namespace ringsim::storage;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // Any backing name finds this small base, so overlays reach their reads and copies.
    static const std::shared_ptr<const Qcow2Image> base = [] {
        CreateOptions options;
        options.clusterBits = 9;
        auto image = Qcow2Image::create("base.qcow2", 64 * 1024, options);
        image->write(0, std::vector<uint8_t>(1536, 0x5a));
        return image;
    }();
    const BackingResolver resolve = [](const std::string&) { return base; };
    std::shared_ptr<Qcow2Image> image;
    try {
        image = Qcow2Image::parse(std::vector<uint8_t>(data, data + size), "fuzz.qcow2", resolve);
    } catch (const ImageError&) {
        return 0;  // the expected answer to bad input
    }
    std::vector<uint8_t> buffer(4096);
    const uint64_t length = std::min<uint64_t>(buffer.size(), image->virtualSize());
    image->read(0, std::span<uint8_t>(buffer).first(length));
    for (uint64_t cluster : image->allocatedClusters()) {
        if (cluster * image->clusterSize() >= image->virtualSize()) break;
        image->read(cluster * image->clusterSize(), std::span<uint8_t>(buffer).first(1));
    }
    const CheckReport before = image->check();
    if (!before.errors.empty() || image->virtualSize() < 512) return 0;
    try {
        image->write(image->virtualSize() / 2 / 512 * 512, std::span<const uint8_t>(buffer).first(512));
    } catch (const ImageError&) {
        return 0;  // a full refcount table, for one
    }
    const CheckReport after = image->check();
    ringsim::fuzz::check(after.errors.empty(), "a write to a consistent image left it inconsistent",
                         after.errors.empty() ? "" : after.errors.front().c_str());
    try {
        Qcow2Image::parse(image->fileBytes(), "fuzz.qcow2", resolve);
    } catch (const ImageError& e) {
        ringsim::fuzz::finding("the image ringsim wrote does not parse again", e.what());
    }
    return 0;
}
