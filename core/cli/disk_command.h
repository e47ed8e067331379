// `ringsim disk`: create, inspect, snapshot, clone and check qcow2 images
// (core/storage), and move raw images in and out. Exit codes as the other
// commands: 0 success, 2 bad input (a corrupt image, a missing file, ...).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace ringsim::cli {

struct DiskArgs {
    std::string file;      // the image (or the snapshot, for clone; the raw file, for import)
    std::string second;    // snapshot NAME, clone NEWFILE, import FILE, export RAW
    std::string size;      // create: "64M", "1G", "1048576"
    std::string backing;   // create: the backing image
    std::string clusterSize = "64K";
    std::string format = "text";  // info: text | json
};

// Adds `disk` and its subcommands to the app; the returned command is set when it was given.
CLI::App* addDiskCommand(CLI::App& app, DiskArgs& args);
int diskCommand(const CLI::App& disk, const DiskArgs& args, std::ostream& out, std::ostream& err);

}  // namespace ringsim::cli
