// A virtual switch, as a monitor (or a host kernel's bridge) runs one: ports
// with input queues, MAC learning with ageing, flooding of broadcast and
// unknown destinations within the frame's VLAN, access ports (untagged on the
// wire, the port's VLAN inside) and trunk ports (802.1Q tagged, an allowed
// list). What a port sends that could cross tenants is dropped and counted:
// a source MAC not the port's, a VLAN tag it may not use, a double tag.
// Deterministic: no clock and no hashing; time is the cycle count passed in.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "network/frame_parser.h"
#include "network/mac_table.h"

namespace ringsim::network {

enum class PortMode { Access, Trunk };

struct PortConfig {
    std::string name;
    PortMode mode = PortMode::Access;
    uint16_t accessVlan = 1;               // Access: the VLAN its untagged frames belong to
    std::vector<uint16_t> trunkVlans;      // Trunk: the tags it may carry
    std::optional<MacAddress> boundMac;    // Access: the only source MAC accepted (the vNIC's own)
    size_t queueLimit = 64;                // input queue: frames beyond it are dropped (this port's loss)

    bool carries(uint16_t vlan) const;
};

enum class DropReason { Malformed, SpoofedSource, ForeignVlan, DoubleTag, QueueFull };
inline constexpr size_t kDropReasonCount = 5;
std::string_view dropReasonName(DropReason reason);  // "spoofed-source"

struct PortCounters {
    uint64_t rxPackets = 0;  // every frame the port's endpoint sent in, dropped or not
    uint64_t rxBytes = 0;
    uint64_t txPackets = 0;  // frames the switch sent out of the port
    uint64_t txBytes = 0;
    std::array<uint64_t, kDropReasonCount> drops{};  // of the frames received here, by reason

    uint64_t dropped() const;
    uint64_t& drop(DropReason reason) { return drops[size_t(reason)]; }
};

struct SwitchConfig {
    uint64_t macAgeCycles = 300'000'000;  // 300 s at a nominal 1 GHz, Linux bridge's default ageing
    size_t macCapacity = 4096;
};

// Sees every frame the switch sends out, as it leaves (tagged or not): a pcap writer.
using FrameTap = std::function<void(PortId port, uint64_t cycle, ByteView frame)>;

class VirtualSwitch {
public:
    explicit VirtualSwitch(SwitchConfig config = {});

    PortId addPort(PortConfig config);
    void setTap(FrameTap tap) { tap_ = std::move(tap); }

    // A frame from the endpoint on `port`: checked (size, tags, source) and
    // queued, or dropped and counted. Returns whether it was queued.
    bool receive(PortId port, Bytes frame);
    // Forwards up to `budget` queued frames, taking one from each port with
    // frames in turn (round robin), so a flooding port gets its share of the
    // switch and no more. Returns how many it forwarded (or filtered).
    size_t forward(uint64_t cycle, size_t budget);
    // Frames sent out of `port` since last taken, for its endpoint.
    std::vector<Bytes> takeOutput(PortId port);

    bool idle() const { return queued_ == 0; }
    size_t portCount() const { return ports_.size(); }
    const PortConfig& port(PortId id) const { return ports_.at(id).config; }
    const PortCounters& counters(PortId id) const { return ports_.at(id).counters; }
    const MacTable& macTable() const { return macTable_; }

private:
    struct Queued {
        Bytes frame;
        uint16_t vlan = 0;
        MacAddress destination;
        MacAddress source;
    };
    struct Port {
        PortConfig config;
        PortCounters counters;
        std::deque<Queued> input;
        std::vector<Bytes> output;
    };

    // The VLAN the frame belongs to, or why it may not enter at this port.
    std::optional<DropReason> admit(const Port& port, const ParsedEthernet& parsed, uint16_t& vlan) const;
    void forwardOne(PortId from, Queued item, uint64_t cycle);
    void send(PortId to, const Queued& item, uint64_t cycle);

    MacTable macTable_;
    std::vector<Port> ports_;
    size_t queued_ = 0;
    PortId nextTurn_ = 0;
    FrameTap tap_;
};

}  // namespace ringsim::network
