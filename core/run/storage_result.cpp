#include "run/storage_result.h"

namespace ringsim {

namespace {
constexpr StorageField kFields[] = {
    {"requests", [](const StorageResult& s) { return double(s.counters.requests); }},
    {"sectors", [](const StorageResult& s) { return double(s.counters.sectors); }},
    {"errors", [](const StorageResult& s) { return double(s.counters.errors); }},
    {"interrupts", [](const StorageResult& s) { return double(s.counters.interrupts); }},
    {"notifications", [](const StorageResult& s) { return double(s.counters.notifications); }},
    {"host_requests", [](const StorageResult& s) { return double(s.counters.hostRequests); }},
    {"register_accesses", [](const StorageResult& s) { return double(s.counters.registerAccesses); }},
    {"monitor_entries", [](const StorageResult& s) { return double(s.monitorEntries); }},
    {"accesses_per_request", [](const StorageResult& s) { return s.perRequest(s.counters.registerAccesses); }},
    {"monitor_entries_per_request", [](const StorageResult& s) { return s.perRequest(s.monitorEntries); }},
};
}  // namespace

std::span<const StorageField> storageFields() { return kFields; }

std::optional<StorageResult> storageResultOf(const DeviceSet& devices, Mode mode) {
    const DiskFrontEnd& front = devices.diskFrontEnd;
    if (front.kind() == DiskFrontEndKind::None) return std::nullopt;
    StorageResult s;
    s.frontEnd = front.kind();
    s.counters = front.counters();
    s.monitorEntries = modeInfo(mode).virtualMachine ? s.counters.registerAccesses : 0;
    return s;
}

void addStorage(std::optional<StorageResult>& total, const std::optional<StorageResult>& one) {
    if (!one) return;
    if (!total) {
        total = one;
        return;
    }
    DiskFrontEndCounters& t = total->counters;
    const DiskFrontEndCounters& o = one->counters;
    t.requests += o.requests;
    t.sectors += o.sectors;
    t.errors += o.errors;
    t.interrupts += o.interrupts;
    t.notifications += o.notifications;
    t.hostRequests += o.hostRequests;
    t.registerAccesses += o.registerAccesses;
    total->monitorEntries += one->monitorEntries;
}

}  // namespace ringsim
