#include "network/mac_table.h"

namespace ringsim::network {

void MacTable::learn(uint16_t vlan, MacAddress mac, PortId port, uint64_t cycle) {
    const Key key{vlan, mac};
    auto it = entries_.find(key);
    if (it != entries_.end()) {
        it->second = {port, cycle};
        return;
    }
    if (entries_.size() >= capacity_) {
        // Make room from aged entries before refusing: a MAC flood cannot fill the table for good.
        std::erase_if(entries_, [&](const auto& item) { return expired(item.second, cycle); });
        if (entries_.size() >= capacity_) return;
    }
    entries_.emplace(key, Entry{port, cycle});
}

std::optional<PortId> MacTable::lookup(uint16_t vlan, MacAddress mac, uint64_t cycle) {
    const auto it = entries_.find(Key{vlan, mac});
    if (it == entries_.end()) return std::nullopt;
    if (expired(it->second, cycle)) {
        entries_.erase(it);
        return std::nullopt;
    }
    return it->second.port;
}

}  // namespace ringsim::network
