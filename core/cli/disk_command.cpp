#include "cli/disk_command.h"

#include <CLI/CLI.hpp>
#include <bit>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <ostream>

#include "storage/image_chain.h"
#include "storage/image_error.h"
#include "storage/image_files.h"
#include "storage/size_text.h"

namespace ringsim::cli {

using namespace ringsim::storage;

CLI::App* addDiskCommand(CLI::App& app, DiskArgs& args) {
    auto* disk = app.add_subcommand("disk", "qcow2 disk images: thin provisioning, copy-on-write overlays, "
                                            "snapshots and linked clones (docs/storage.md)");
    disk->require_subcommand(1);
    const char* const sizeHelp = "bytes, or with a suffix K, M, G (binary: 1K = 1024)";

    auto* create = disk->add_subcommand("create", "create an empty image, or an overlay on a backing image");
    create->add_option("FILE", args.file, "the new image")->required();
    create->add_option("--size", args.size, std::string("virtual size: ") + sizeHelp + "; with --backing, default "
                                            "the backing's size");
    create->add_option("--backing", args.backing, "a qcow2 image the new one is a copy-on-write overlay on")
        ->check(CLI::ExistingFile);
    create->add_option("--cluster-size", args.clusterSize, "a power of two from 512 bytes to 2M")
        ->capture_default_str();

    auto* info = disk->add_subcommand("info", "virtual size, allocated clusters and the backing chain");
    info->add_option("FILE", args.file, "the image")->required();
    info->add_option("--format", args.format, "text or json")->capture_default_str();

    auto* snapshot = disk->add_subcommand("snapshot", "freeze the image as FILE's stem.NAME.qcow2 and continue in "
                                                      "a new overlay at FILE");
    snapshot->add_option("FILE", args.file, "the image")->required();
    snapshot->add_option("NAME", args.second, "the snapshot's name (letters, digits, '-', '_')")->required();

    auto* clone = disk->add_subcommand("clone", "a linked clone: a new overlay on a snapshot");
    clone->add_option("SNAPSHOT", args.file, "the snapshot (any image that is no longer written)")->required();
    clone->add_option("NEWFILE", args.second, "the clone")->required();

    auto* check = disk->add_subcommand("check", "check the image's refcounts and tables (and its backing chain)");
    check->add_option("FILE", args.file, "the image")->required();

    auto* import = disk->add_subcommand("import", "a raw disk image into a new qcow2 image (zero clusters stay "
                                                  "unallocated)");
    import->add_option("RAW", args.file, "the raw image")->required();
    import->add_option("FILE", args.second, "the new qcow2 image")->required();
    import->add_option("--cluster-size", args.clusterSize, "a power of two from 512 bytes to 2M")
        ->capture_default_str();

    auto* exportCmd = disk->add_subcommand("export", "an image with its backing chain into a raw image");
    exportCmd->add_option("FILE", args.file, "the qcow2 image")->required();
    exportCmd->add_option("RAW", args.second, "the raw image to write")->required();
    return disk;
}

namespace {

uint64_t sizeOption(const std::string& option, const std::string& text) {
    const auto size = parseSize(text);
    if (!size) throw ImageError(fmt::format("{} '{}': not a size (bytes, or a number with K, M or G)", option, text));
    return *size;
}

uint32_t clusterBitsOption(const std::string& text) {
    const uint64_t size = sizeOption("--cluster-size", text);
    if (!std::has_single_bit(size) || size < 512 || size > (2u << 20))
        throw ImageError(fmt::format("--cluster-size '{}': must be a power of two from 512 bytes to 2M", text));
    return uint32_t(std::countr_zero(size));
}

nlohmann::json layerJson(const Qcow2Image& layer) {
    nlohmann::json j;
    j["file"] = layer.name();
    j["virtual_size"] = layer.virtualSize();
    j["cluster_size"] = layer.clusterSize();
    j["allocated_clusters"] = layer.allocatedClusters().size();
    j["file_size"] = layer.fileBytes().size();
    if (!layer.backingName().empty()) j["backing_file"] = layer.backingName();
    return j;
}

int infoCommand(const DiskArgs& args, std::ostream& out) {
    const auto image = openImageFile(args.file);
    const auto chain = backingChain(*image);
    if (args.format == "json") {
        nlohmann::json j = layerJson(*image);
        j["format"] = "qcow2";
        j["chain"] = nlohmann::json::array();
        for (const Qcow2Image* layer : chain) j["chain"].push_back(layerJson(*layer));
        out << j.dump(2) << '\n';
        return 0;
    }
    if (args.format != "text") throw ImageError(fmt::format("--format '{}': text or json", args.format));
    out << fmt::format("{}: qcow2 version 3, virtual size {} ({} bytes), clusters of {}\n", image->name(),
                       formatSize(image->virtualSize()), image->virtualSize(), formatSize(image->clusterSize()));
    out << "chain (top first): clusters allocated in each image\n";
    for (const Qcow2Image* layer : chain) {
        const uint64_t clusters = layer->allocatedClusters().size();
        out << fmt::format("  {:<40} {:>8} cluster{} ({}), file {}\n", layer->name(), clusters,
                           clusters == 1 ? " " : "s", formatSize(clusters * layer->clusterSize()),
                           formatSize(layer->fileBytes().size()));
    }
    return 0;
}

int checkCommand(const DiskArgs& args, std::ostream& out, std::ostream& err) {
    const auto image = openImageFile(args.file);
    int problems = 0;
    for (const Qcow2Image* layer : backingChain(*image)) {
        const CheckReport report = layer->check();
        for (const std::string& e : report.errors) err << layer->name() << ": " << e << '\n';
        if (report.leakedClusters > 0)
            err << fmt::format("{}: {} leaked clusters (counted, used by nothing)\n", layer->name(),
                               report.leakedClusters);
        if (!report.clean()) ++problems;
        else
            out << fmt::format("{}: no errors; {} clusters allocated of {} in the file\n", layer->name(),
                               report.allocatedClusters, report.hostClusters);
    }
    return problems == 0 ? 0 : 2;
}

}  // namespace

int diskCommand(const CLI::App& disk, const DiskArgs& args, std::ostream& out, std::ostream& err) {
    try {
        auto given = [&](const char* name) { return disk.get_subcommand(name)->parsed(); };
        if (given("create")) {
            uint64_t size = 0;
            if (!args.size.empty()) size = sizeOption("--size", args.size);
            else if (args.backing.empty()) throw ImageError("disk create: give --size, or --backing to take its size");
            auto image = createImageFile(args.file, size, args.backing, clusterBitsOption(args.clusterSize));
            out << fmt::format("created {}: {} ({} bytes){}\n", args.file, formatSize(image->virtualSize()),
                               image->virtualSize(),
                               args.backing.empty() ? "" : ", a copy-on-write overlay on " + image->backingName());
            return 0;
        }
        if (given("info")) return infoCommand(args, out);
        if (given("check")) return checkCommand(args, out, err);
        if (given("snapshot")) {
            const auto frozen = snapshotImageFile(args.file, args.second);
            out << fmt::format("snapshot {}: frozen as {}; {} is now an overlay on it\n", args.second,
                               frozen.string(), args.file);
            return 0;
        }
        if (given("clone")) {
            cloneImageFile(args.file, args.second);
            out << fmt::format("cloned {}: an overlay on {}\n", args.second, args.file);
            return 0;
        }
        if (given("import")) {
            importRawFile(args.file, args.second, clusterBitsOption(args.clusterSize));
            out << fmt::format("imported {} into {}\n", args.file, args.second);
            return 0;
        }
        if (given("export")) {
            exportRawFile(args.file, args.second);
            out << fmt::format("exported {} to {}\n", args.file, args.second);
            return 0;
        }
    } catch (const ImageError& e) {
        err << "error: " << e.what() << '\n';
        return 2;
    } catch (const std::filesystem::filesystem_error& e) {
        err << "error: " << e.what() << '\n';
        return 2;
    }
    return 2;
}

}  // namespace ringsim::cli
