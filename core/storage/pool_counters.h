// What a storage pool counts, over every disk and device: the guest's
// writes, the clusters and copy-on-write copies they caused, the writes the
// pool refused, and the resynchronisation of replicas after a failure.
// Bytes written to each device are kept by the device (pool_device.h).
#pragma once

#include <cstdint>

namespace ringsim::storage {

struct PoolCounters {
    uint64_t guestWrites = 0;         // write requests that completed
    uint64_t guestBytesWritten = 0;   // bytes the guest wrote (once, however many replicas)
    uint64_t clustersAllocated = 0;   // guest data clusters taken, on every replica
    uint64_t copyOnWriteCopies = 0;   // partial writes that copied a cluster up the chain, on every replica
    uint64_t refusedWrites = 0;       // full device, no live replica, read-only base
    uint64_t resyncClusters = 0;      // clusters copied to a returning device
    uint64_t resyncBytes = 0;
};

}  // namespace ringsim::storage
