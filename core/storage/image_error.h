// A problem with a disk image or a request to it: a corrupt or unsupported
// file, a backing chain that loops or is missing, a request past the end.
// The message always names the image file. Front ends report it and exit 2.
#pragma once

#include <stdexcept>
#include <string>

namespace ringsim::storage {

struct ImageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace ringsim::storage
