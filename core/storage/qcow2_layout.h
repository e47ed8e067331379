// The qcow2 version 3 layout as ringsim uses it (learnt from QEMU's
// docs/interop/qcow2.txt): field offsets in the header, the bits of L1, L2
// and refcount table entries, and the limits this model accepts.
#pragma once

#include <cstdint>

namespace ringsim::storage::qcow2 {

constexpr uint32_t kMagic = 0x514649fb;  // "QFI\xfb"
constexpr uint32_t kVersion = 3;

// Header fields: byte offsets.
namespace field {
constexpr uint64_t magic = 0, version = 4, backingFileOffset = 8, backingFileSize = 16, clusterBits = 20,
                   size = 24, cryptMethod = 32, l1Size = 36, l1TableOffset = 40, refcountTableOffset = 48,
                   refcountTableClusters = 56, nbSnapshots = 60, snapshotsOffset = 64,
                   incompatibleFeatures = 72, compatibleFeatures = 80, autoclearFeatures = 88,
                   refcountOrder = 96, headerLength = 100, compressionType = 104;
}
constexpr uint32_t kMinHeaderLength = 104;  // version 3's fixed part
constexpr uint32_t kWrittenHeaderLength = 112;  // with the compression type byte, as qemu 7.2 writes

// Header extensions that follow the header: type, length, data padded to 8.
constexpr uint32_t kExtensionEnd = 0;
constexpr uint32_t kExtensionBackingFormat = 0xe2792aca;

// Entries of L1 and L2 tables and of the refcount table.
constexpr uint64_t kOffsetMask = 0x00fffffffffffe00ull;   // bits 9-55: a host offset
constexpr uint64_t kCopied = 1ull << 63;                   // refcount is exactly 1: writable in place
constexpr uint64_t kCompressed = 1ull << 62;               // L2 only
constexpr uint64_t kZeroCluster = 1ull;                    // L2 only: reads as zeros
constexpr uint64_t kL1Reserved = ~(kOffsetMask | kCopied);
constexpr uint64_t kL2Reserved = ~(kOffsetMask | kCopied | kCompressed | kZeroCluster);

constexpr uint32_t kRefcountOrder = 4;  // 16-bit refcounts, qemu's default; the only width ringsim keeps
constexpr uint32_t kMinClusterBits = 9;   // 512 bytes
constexpr uint32_t kMaxClusterBits = 21;  // 2 MiB
constexpr uint32_t kDefaultClusterBits = 16;  // 64 KiB
constexpr uint64_t kSectorSize = 512;
constexpr uint64_t kMaxTableBytes = 32ull << 20;  // L1 or refcount table: qemu's own limit
constexpr uint32_t kMaxBackingNameLength = 1023;
constexpr uint64_t kMaxVirtualSize = 1ull << 44;  // 16 TiB: keeps the tables held in memory small

}  // namespace ringsim::storage::qcow2
