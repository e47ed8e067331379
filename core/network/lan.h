// A switch with hosts on its ports, driven until the traffic dies down: the
// switch forwards a few frames per tick (round robin over its ports), each
// host takes what its port sent out and the frames it answers with go back
// into the switch. Time is a cycle count: each forwarded frame costs
// kCyclesPerFrame, so captures and counters are the same on every run.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "network/network_host.h"
#include "network/virtual_switch.h"

namespace ringsim::network {

class Lan {
public:
    static constexpr uint64_t kCyclesPerFrame = 1000;  // 1 µs at a nominal 1 GHz
    static constexpr size_t kFramesPerTick = 8;         // the switch's capacity per tick

    explicit Lan(SwitchConfig config = {}) : switch_(config) {}

    // A port with a host on it (or none: what the port sends out is lost).
    PortId attach(PortConfig port, std::optional<HostConfig> host);
    // The host on `port` puts `frame` on the wire (any bytes: the switch judges them).
    void send(PortId port, Bytes frame);
    // Forwards and delivers until no frame is queued or in flight; returns the frames forwarded.
    uint64_t settle();
    void idleFor(uint64_t cycles) { cycle_ += cycles; }

    VirtualSwitch& fabric() { return switch_; }
    const VirtualSwitch& fabric() const { return switch_; }
    NetworkHost& host(PortId port) { return *hosts_.at(port); }
    const NetworkHost* hostOn(PortId port) const { return hosts_.at(port).get(); }
    uint64_t cycle() const { return cycle_; }

private:
    VirtualSwitch switch_;
    std::vector<std::unique_ptr<NetworkHost>> hosts_;  // by port; null where no host
    uint64_t cycle_ = 0;
};

}  // namespace ringsim::network
