// The switch's forwarding table: which port a MAC address was last seen on,
// per VLAN (the same MAC in two VLANs is two entries, as in a real switch).
// Entries age out: one not refreshed for `ageCycles` is forgotten, so a
// moved or gone host is flooded to again rather than black-holed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "network/addresses.h"

namespace ringsim::network {

using PortId = uint32_t;

class MacTable {
public:
    struct Entry {
        PortId port = 0;
        uint64_t lastSeen = 0;  // cycle
    };
    using Key = std::pair<uint16_t, MacAddress>;  // VLAN, MAC

    MacTable(uint64_t ageCycles, size_t capacity) : ageCycles_(ageCycles), capacity_(capacity) {}

    // Records (or refreshes) where `mac` lives; a full table learns no new address.
    void learn(uint16_t vlan, MacAddress mac, PortId port, uint64_t cycle);
    // The port of a live entry; an aged one is removed and not returned.
    std::optional<PortId> lookup(uint16_t vlan, MacAddress mac, uint64_t cycle);

    const std::map<Key, Entry>& entries() const { return entries_; }
    uint64_t ageCycles() const { return ageCycles_; }

private:
    bool expired(const Entry& entry, uint64_t cycle) const { return cycle - entry.lastSeen > ageCycles_; }

    uint64_t ageCycles_;
    size_t capacity_;
    std::map<Key, Entry> entries_;  // ordered: the same table lists the same way on every run
};

}  // namespace ringsim::network
