#include "storage/image_files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <vector>

#include "storage/image_chain.h"
#include "storage/image_error.h"
#include "storage/plain_name.h"

namespace ringsim::storage {

namespace fs = std::filesystem;

namespace {

constexpr size_t kLongestChain = 64;

}  // namespace

std::vector<uint8_t> readWholeFile(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw ImageError(fmt::format("{}: {}", path.string(), fs::exists(path, ec) ? "not a regular file"
                                                                                    : "no such file"));
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw ImageError(fmt::format("{}: cannot read: {}", path.string(), std::strerror(errno)));
    return bytes;
}

namespace {

std::string chainText(const std::vector<fs::path>& chain, const fs::path& last) {
    std::string text;
    for (const fs::path& p : chain) text += p.string() + " -> ";
    return text + last.string();
}

std::shared_ptr<Qcow2Image> openChain(const fs::path& path, std::vector<fs::path>& opening) {
    const fs::path canonical = fs::weakly_canonical(path);
    if (std::find(opening.begin(), opening.end(), canonical) != opening.end())
        throw ImageError(fmt::format("{}: the backing chain loops: {}", opening.front().string(),
                                     chainText(opening, canonical)));
    if (opening.size() >= kLongestChain)
        throw ImageError(fmt::format("{}: the backing chain is longer than {} images", opening.front().string(),
                                     kLongestChain));
    opening.push_back(canonical);
    auto resolve = [&](const std::string& backingName) -> std::shared_ptr<const Qcow2Image> {
        fs::path backing = backingName;
        if (backing.is_relative()) backing = path.parent_path() / backing;
        std::error_code ec;
        if (!fs::exists(backing, ec))
            throw ImageError(fmt::format("{}: backing file '{}' not found (looked for {})", path.string(),
                                         backingName, backing.string()));
        return openChain(backing, opening);
    };
    auto image = Qcow2Image::parse(readWholeFile(path), path.string(), resolve);
    opening.pop_back();
    return image;
}

void refuseExisting(const fs::path& path) {
    std::error_code ec;
    if (fs::exists(path, ec)) throw ImageError(fmt::format("{}: already exists; ringsim does not overwrite it", path.string()));
}

// How an overlay at `overlay` names `backing`: relative to the overlay's
// folder, as qemu resolves it, so a folder of images can move as a whole.
std::string backingNameFor(const fs::path& overlay, const fs::path& backing) {
    const fs::path relative = fs::relative(fs::absolute(backing), fs::absolute(overlay).parent_path());
    return relative.empty() ? fs::absolute(backing).string() : relative.string();
}

}  // namespace

std::shared_ptr<Qcow2Image> openImageFile(const fs::path& path) {
    std::vector<fs::path> opening;
    return openChain(path, opening);
}

void saveImageFile(const Qcow2Image& image, const fs::path& path) {
    const fs::path temporary = path.string() + ".ringsim-tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        const auto& bytes = image.fileBytes();
        out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        out.close();
        if (!out) {
            std::error_code ec;
            fs::remove(temporary, ec);
            throw ImageError(fmt::format("{}: cannot write: {}", path.string(), std::strerror(errno)));
        }
    }
    std::error_code ec;
    fs::rename(temporary, path, ec);
    if (ec) throw ImageError(fmt::format("{}: cannot write: {}", path.string(), ec.message()));
}

std::shared_ptr<Qcow2Image> createImageFile(const fs::path& path, uint64_t virtualSize, const fs::path& backing,
                                            uint32_t clusterBits) {
    refuseExisting(path);
    CreateOptions options;
    options.clusterBits = clusterBits;
    if (!backing.empty()) {
        options.backing = openImageFile(backing);
        options.backingName = backingNameFor(path, backing);
    }
    auto image = Qcow2Image::create(path.string(), virtualSize, options);
    saveImageFile(*image, path);
    return image;
}

fs::path snapshotPath(const fs::path& image, const std::string& snapshotName) {
    return image.parent_path() / (image.stem().string() + "." + snapshotName + image.extension().string());
}

fs::path snapshotImageFile(const fs::path& image, const std::string& snapshotName) {
    if (!isPlainName(snapshotName))
        throw ImageError(fmt::format("{}: snapshot name '{}' must be 1 to 64 letters, digits, '-' or '_'",
                                     image.string(), snapshotName));
    const fs::path frozen = snapshotPath(image, snapshotName);
    refuseExisting(frozen);
    auto current = openImageFile(image);  // the whole chain must be sound before anything moves
    std::error_code ec;
    fs::rename(image, frozen, ec);
    if (ec) throw ImageError(fmt::format("{}: cannot rename to {}: {}", image.string(), frozen.string(), ec.message()));
    try {
        Snapshot snapshot = takeSnapshot(current, frozen.string(), frozen.filename().string());
        saveImageFile(*snapshot.live, image);
    } catch (...) {
        fs::rename(frozen, image, ec);  // back as it was
        throw;
    }
    return frozen;
}

void cloneImageFile(const fs::path& snapshot, const fs::path& clone) {
    refuseExisting(clone);
    auto base = openImageFile(snapshot);
    auto overlay = makeOverlay(base, clone.string(), backingNameFor(clone, snapshot));
    saveImageFile(*overlay, clone);
}

void importRawFile(const fs::path& raw, const fs::path& imagePath, uint32_t clusterBits) {
    refuseExisting(imagePath);
    const std::vector<uint8_t> bytes = readWholeFile(raw);
    const uint64_t size = (bytes.size() + 511) / 512 * 512;
    CreateOptions options;
    options.clusterBits = clusterBits;
    auto image = Qcow2Image::create(imagePath.string(), size, options);
    const uint64_t cluster = image->clusterSize();
    for (uint64_t at = 0; at < bytes.size(); at += cluster) {
        const auto chunk = std::span<const uint8_t>(bytes).subspan(at, std::min<uint64_t>(cluster, bytes.size() - at));
        if (std::any_of(chunk.begin(), chunk.end(), [](uint8_t b) { return b != 0; })) image->write(at, chunk);
    }
    saveImageFile(*image, imagePath);
}

void exportRawFile(const fs::path& imagePath, const fs::path& raw) {
    auto image = openImageFile(imagePath);
    const fs::path temporary = raw.string() + ".ringsim-tmp";
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    std::vector<uint8_t> chunk(1 << 20);
    for (uint64_t at = 0; at < image->virtualSize() && out; at += chunk.size()) {
        const uint64_t n = std::min<uint64_t>(chunk.size(), image->virtualSize() - at);
        image->read(at, std::span<uint8_t>(chunk).first(n));
        out.write(reinterpret_cast<const char*>(chunk.data()), std::streamsize(n));
    }
    out.close();
    std::error_code ec;
    if (!out) {
        fs::remove(temporary, ec);
        throw ImageError(fmt::format("{}: cannot write: {}", raw.string(), std::strerror(errno)));
    }
    fs::rename(temporary, raw, ec);
    if (ec) throw ImageError(fmt::format("{}: cannot write: {}", raw.string(), ec.message()));
}

}  // namespace ringsim::storage
