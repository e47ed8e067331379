// Images as files in a folder: opening one with its whole backing chain
// (backing names relative to the image's folder, loops and missing files
// refused), saving (to a temporary file, then renamed: an image on disk is
// never left half written), and the file-level snapshot, clone, raw import
// and export that `ringsim disk` offers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "storage/qcow2_image.h"

namespace ringsim::storage {

// The bytes of a file; throws ImageError naming it when it is missing or unreadable.
std::vector<uint8_t> readWholeFile(const std::filesystem::path& path);

std::shared_ptr<Qcow2Image> openImageFile(const std::filesystem::path& path);
void saveImageFile(const Qcow2Image& image, const std::filesystem::path& path);

// A new image file; `backing` (may be empty) is a path as the user typed it,
// stored relative to the new image's folder. Refuses to overwrite a file.
std::shared_ptr<Qcow2Image> createImageFile(const std::filesystem::path& path, uint64_t virtualSize,
                                            const std::filesystem::path& backing, uint32_t clusterBits);

// Where `ringsim disk snapshot disk.qcow2 NAME` keeps the frozen image: disk.NAME.qcow2.
std::filesystem::path snapshotPath(const std::filesystem::path& image, const std::string& snapshotName);
// Freezes the image as snapshotPath(...) and leaves a new overlay at `image`; returns the snapshot's path.
std::filesystem::path snapshotImageFile(const std::filesystem::path& image, const std::string& snapshotName);
// A linked clone: a new overlay at `clone` over the snapshot.
void cloneImageFile(const std::filesystem::path& snapshot, const std::filesystem::path& clone);

// Raw images: import keeps only the clusters that are not all zeros (thin).
void importRawFile(const std::filesystem::path& raw, const std::filesystem::path& image, uint32_t clusterBits);
void exportRawFile(const std::filesystem::path& image, const std::filesystem::path& raw);

}  // namespace ringsim::storage
