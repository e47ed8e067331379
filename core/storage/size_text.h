// Sizes as people type them: "64M", "10G", "512K", "1048576" (binary
// suffixes, K = 1024 bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ringsim::storage {

std::optional<uint64_t> parseSize(const std::string& text);
std::string formatSize(uint64_t bytes);  // "64 MiB", "1.5 GiB", "1000 bytes"

}  // namespace ringsim::storage
