// A host at the end of a switch port, speaking just enough IPv4 to be talked
// to: it answers ARP for its address, ICMP echo requests and (if it has an
// echo port) UDP datagrams to that port, and it can send ARP requests, pings
// and UDP datagrams of its own. The uplink's outside peer is one, on a trunk
// (it answers each VLAN with that VLAN's tag); so are the demo's tenant hosts.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "network/frame_parser.h"

namespace ringsim::network {

struct HostConfig {
    std::string name;
    MacAddress mac;
    Ipv4Address ip;
    std::optional<uint16_t> udpEchoPort;  // datagrams to it come back to their sender
};

struct HostCounters {
    uint64_t arpAnswered = 0;       // requests for this host's address, answered
    uint64_t arpLearned = 0;        // replies to its own requests
    uint64_t echoAnswered = 0;      // ICMP echo requests answered
    uint64_t echoReplies = 0;       // replies to its own pings
    uint64_t udpEchoed = 0;         // datagrams to the echo port, sent back
    uint64_t udpReceived = 0;       // other datagrams for this host
    uint64_t notForUs = 0;          // well-formed frames for another address (flooded ones, mostly)
    uint64_t malformed = 0;         // frames decodeFrame refused
};

class NetworkHost {
public:
    explicit NetworkHost(HostConfig config) : config_(std::move(config)) {}

    // A frame from the wire; returns the frames the host answers with.
    std::vector<Bytes> receive(ByteView frame);

    // Frames the host starts. `vlan` tags them (a host on a trunk); ping and
    // udp need the target's MAC from an earlier ARP exchange (nullopt if not).
    Bytes arpRequest(Ipv4Address target, std::optional<uint16_t> vlan = {});
    std::optional<Bytes> ping(Ipv4Address target, uint16_t sequence, std::optional<uint16_t> vlan = {});
    std::optional<Bytes> udp(Ipv4Address target, UdpPorts ports, ByteView data, std::optional<uint16_t> vlan = {});
    // `count` datagrams of `size` bytes each (a traffic generator); empty if the MAC is unknown.
    std::vector<Bytes> udpStream(Ipv4Address target, UdpPorts ports, size_t count, size_t size,
                                 std::optional<uint16_t> vlan = {});

    std::optional<MacAddress> resolved(Ipv4Address ip, std::optional<uint16_t> vlan = {}) const;
    const HostConfig& config() const { return config_; }
    const HostCounters& counters() const { return counters_; }

private:
    using CacheKey = std::pair<uint16_t, Ipv4Address>;  // VLAN (0: untagged), address
    std::vector<Bytes> answerArp(const ArpMessage& arp, std::optional<uint16_t> vlan);
    Ipv4Endpoints endpointsTo(Ipv4Address target) { return {config_.ip, target, nextIdentification_++, 64}; }

    HostConfig config_;
    HostCounters counters_;
    std::map<CacheKey, MacAddress> arpCache_;
    uint16_t nextIdentification_ = 1;
};

}  // namespace ringsim::network
