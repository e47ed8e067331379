// Names that become parts of file names (snapshots, pool devices, virtual
// disks): 1 to 64 letters, digits, '-' or '_', so none can reach outside
// its folder or collide with the ".qcow2" suffix.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace ringsim::storage {

inline bool isPlainName(const std::string& name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
}

}  // namespace ringsim::storage
