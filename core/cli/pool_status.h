// What `ringsim pool status` prints: each device's space and bytes written,
// each disk with its replicas and backing chains, and the pool's counters,
// as text or JSON.
#pragma once

#include <iosfwd>

#include "storage/storage_pool.h"

namespace ringsim::cli {

void printPoolStatus(const storage::StoragePool& pool, std::ostream& out);
void printPoolStatusJson(const storage::StoragePool& pool, std::ostream& out);
// Bytes written to every device for guest writes over the bytes the guest wrote (0 before any write).
double writeAmplification(const storage::StoragePool& pool);

}  // namespace ringsim::cli
