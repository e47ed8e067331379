#include "report/network_report.h"

#include <fmt/format.h>

namespace ringsim {

namespace {
nlohmann::json portJson(const network::PortCounters& c) {
    nlohmann::json drops = nlohmann::json::object();
    for (size_t i = 0; i < network::kDropReasonCount; ++i)
        if (c.drops[i]) drops[std::string(network::dropReasonName(network::DropReason(i)))] = c.drops[i];
    return {{"rx_packets", c.rxPackets}, {"rx_bytes", c.rxBytes}, {"tx_packets", c.txPackets},
            {"tx_bytes", c.txBytes},     {"dropped", c.dropped()},  {"drops", drops}};
}
}  // namespace

double registerAccessesPerPacket(const NetworkResult& n) {
    const uint64_t packets = n.nicCounters.txPackets + n.nicCounters.rxPackets;
    return packets ? double(n.nicCounters.registerAccesses) / double(packets) : 0.0;
}

nlohmann::json networkJson(const NetworkResult& n) {
    const NicCounters& c = n.nicCounters;
    nlohmann::json j;
    j["nic"] = n.nic;
    j["tx_packets"] = c.txPackets;
    j["tx_bytes"] = c.txBytes;
    j["rx_packets"] = c.rxPackets;
    j["rx_bytes"] = c.rxBytes;
    j["tx_errors"] = c.txErrors;
    j["rx_no_buffer"] = c.rxNoBuffer;
    j["interrupts"] = c.interrupts;
    j["tx_doorbells"] = c.txDoorbells;
    j["register_accesses"] = c.registerAccesses;
    j["register_accesses_per_packet"] = registerAccessesPerPacket(n);
    j["switch"] = {{"guest_port", portJson(n.guestPort)}, {"uplink", portJson(n.uplink)}};
    const network::HostCounters& p = n.peer;
    j["peer"] = {{"arp_answered", p.arpAnswered}, {"echo_answered", p.echoAnswered}, {"udp_echoed", p.udpEchoed},
                 {"udp_received", p.udpReceived}, {"malformed", p.malformed}};
    if (!n.pcapPath.empty()) j["capture"] = {{"file", n.pcapPath}, {"frames", n.framesCaptured}};
    return j;
}

std::string networkText(const NetworkResult& n) {
    const NicCounters& c = n.nicCounters;
    std::string out = fmt::format(
        "network: {} NIC sent {} packets ({} bytes), received {} ({} bytes); {} register accesses ({:.1f} per "
        "packet), {} dropped at the switch, {} without a receive buffer\n",
        n.nic, c.txPackets, c.txBytes, c.rxPackets, c.rxBytes, c.registerAccesses, registerAccessesPerPacket(n),
        n.guestPort.dropped(), c.rxNoBuffer);
    if (!n.pcapPath.empty()) out += fmt::format("  capture: {} frames in {}\n", n.framesCaptured, n.pcapPath);
    return out;
}

}  // namespace ringsim
