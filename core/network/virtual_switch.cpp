#include "network/virtual_switch.h"

#include <algorithm>

namespace ringsim::network {

bool PortConfig::carries(uint16_t vlan) const {
    if (mode == PortMode::Access) return vlan == accessVlan;
    return std::find(trunkVlans.begin(), trunkVlans.end(), vlan) != trunkVlans.end();
}

std::string_view dropReasonName(DropReason reason) {
    switch (reason) {
    case DropReason::Malformed: return "malformed";
    case DropReason::SpoofedSource: return "spoofed-source";
    case DropReason::ForeignVlan: return "foreign-vlan";
    case DropReason::DoubleTag: return "double-tag";
    case DropReason::QueueFull: return "queue-full";
    }
    return "unknown";
}

uint64_t PortCounters::dropped() const {
    uint64_t total = 0;
    for (uint64_t n : drops) total += n;
    return total;
}

VirtualSwitch::VirtualSwitch(SwitchConfig config) : macTable_(config.macAgeCycles, config.macCapacity) {}

PortId VirtualSwitch::addPort(PortConfig config) {
    ports_.push_back(Port{std::move(config), {}, {}, {}});
    return PortId(ports_.size() - 1);
}

std::optional<DropReason> VirtualSwitch::admit(const Port& port, const ParsedEthernet& parsed, uint16_t& vlan) const {
    if (parsed.error == FrameError::DoubleTag) return DropReason::DoubleTag;
    if (parsed.error == FrameError::BadVlanId) return DropReason::ForeignVlan;
    if (!parsed) return DropReason::Malformed;
    const EthernetView& frame = parsed.frame;
    if (frame.source.isGroup()) return DropReason::SpoofedSource;
    const PortConfig& config = port.config;
    if (config.mode == PortMode::Access) {
        // A tenant's NIC sends untagged frames; a tag would name a VLAN it was not given.
        if (frame.vlan) return DropReason::ForeignVlan;
        if (config.boundMac && frame.source != *config.boundMac) return DropReason::SpoofedSource;
        vlan = config.accessVlan;
    } else {
        // A trunk has no native VLAN: an untagged frame belongs to no tenant.
        if (!frame.vlan || !config.carries(*frame.vlan)) return DropReason::ForeignVlan;
        vlan = *frame.vlan;
    }
    return std::nullopt;
}

bool VirtualSwitch::receive(PortId id, Bytes frame) {
    Port& port = ports_.at(id);
    port.counters.rxPackets++;
    port.counters.rxBytes += frame.size();
    const ParsedEthernet parsed = parseEthernet(frame);
    uint16_t vlan = 0;
    if (const auto reason = admit(port, parsed, vlan)) {
        port.counters.drop(*reason)++;
        return false;
    }
    if (port.input.size() >= port.config.queueLimit) {
        port.counters.drop(DropReason::QueueFull)++;
        return false;
    }
    port.input.push_back(Queued{std::move(frame), vlan, parsed.frame.destination, parsed.frame.source});
    ++queued_;
    return true;
}

size_t VirtualSwitch::forward(uint64_t cycle, size_t budget) {
    size_t done = 0;
    const auto count = PortId(ports_.size());
    while (done < budget && queued_ > 0) {
        PortId id = nextTurn_;
        while (ports_[id].input.empty()) id = (id + 1) % count;
        // The turn passes to the next port whatever this one has left: round robin.
        nextTurn_ = (id + 1) % count;
        Queued item = std::move(ports_[id].input.front());
        ports_[id].input.pop_front();
        --queued_;
        ++done;
        forwardOne(id, std::move(item), cycle);
    }
    return done;
}

void VirtualSwitch::forwardOne(PortId from, Queued item, uint64_t cycle) {
    macTable_.learn(item.vlan, item.source, from, cycle);
    if (!item.destination.isGroup()) {
        if (const auto to = macTable_.lookup(item.vlan, item.destination, cycle)) {
            // Known: out of that port only (a frame for its own port is filtered, as a bridge does).
            if (*to != from && ports_[*to].config.carries(item.vlan)) send(*to, item, cycle);
            return;
        }
    }
    // Broadcast, multicast or unknown: every other port of the same VLAN.
    for (PortId to = 0; to < ports_.size(); ++to)
        if (to != from && ports_[to].config.carries(item.vlan)) send(to, item, cycle);
}

void VirtualSwitch::send(PortId to, const Queued& item, uint64_t cycle) {
    Port& port = ports_[to];
    const bool tagged = port.config.mode == PortMode::Trunk;
    Bytes frame = withVlanTag(item.frame, tagged ? std::optional<uint16_t>(item.vlan) : std::nullopt);
    port.counters.txPackets++;
    port.counters.txBytes += frame.size();
    if (tap_) tap_(to, cycle, frame);
    port.output.push_back(std::move(frame));
}

std::vector<Bytes> VirtualSwitch::takeOutput(PortId id) {
    std::vector<Bytes> frames;
    frames.swap(ports_.at(id).output);
    return frames;
}

}  // namespace ringsim::network
