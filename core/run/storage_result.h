// What a run's disk front end did (ringsim run --disk ide|virtio): the
// device's own counters, and how many of its register accesses a monitor had
// to handle (each one an exit under hw-assist, a callout under binary
// translation, a trap under trap-and-emulate; see docs/monitors.md).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "cpu-model/devices.h"
#include "monitors/modes.h"

namespace ringsim {

struct StorageResult {
    DiskFrontEndKind frontEnd = DiskFrontEndKind::None;
    DiskFrontEndCounters counters;
    // Register accesses that entered a monitor: all of them in a VM mode (its
    // devices are virtual), none natively or in containers.
    uint64_t monitorEntries = 0;
    double perRequest(uint64_t n) const { return counters.requests ? double(n) / double(counters.requests) : 0.0; }
};

// The counters, one table: the `storage` object of a run's JSON and the
// storage.<name> counters of expectations read it.
struct StorageField {
    const char* name;
    double (*value)(const StorageResult&);
};
std::span<const StorageField> storageFields();

// The front end of `devices` under `mode`, or nothing when it has none.
std::optional<StorageResult> storageResultOf(const DeviceSet& devices, Mode mode);
// Two VMs' results together (the same front end in each).
void addStorage(std::optional<StorageResult>& total, const std::optional<StorageResult>& one);

}  // namespace ringsim
