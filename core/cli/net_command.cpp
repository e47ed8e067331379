#include "cli/net_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "network/network_demo.h"
#include "network/pcapng_writer.h"

namespace ringsim::cli {

using namespace ringsim::network;

CLI::App* addNetCommand(CLI::App& app, NetArgs& args) {
    auto* net = app.add_subcommand("net", "the virtual switch without guests: VLANs, MAC learning, an outside "
                                          "peer, pcapng captures (docs/network.md)");
    net->require_subcommand(1);
    auto* demo = net->add_subcommand("demo", "two tenants on VLANs 10 and 20 and an outside peer: ARP, ping, UDP "
                                             "echo, a stream, and blocked attempts to cross; prints per-port counters");
    demo->add_option("--pcap", args.pcap, "write every frame the switch sends to this pcapng file (one interface "
                                          "per port; Wireshark, tshark and tcpdump read it)");
    demo->add_option("--format", args.format, "text or json")->capture_default_str();
    return net;
}

namespace {

std::string vlanList(const PortConfig& port) {
    if (port.mode == PortMode::Access) return std::to_string(port.accessVlan);
    std::string list;
    for (uint16_t vlan : port.trunkVlans) list += (list.empty() ? "" : ",") + std::to_string(vlan);
    return list;
}

const char* modeName(PortMode mode) { return mode == PortMode::Access ? "access" : "trunk"; }

// The figures a host keeps, as name and count, in one order for text and JSON.
std::vector<std::pair<const char*, uint64_t>> hostFigures(const HostCounters& c) {
    return {{"arp_answered", c.arpAnswered}, {"arp_learned", c.arpLearned}, {"echo_answered", c.echoAnswered},
            {"echo_replies", c.echoReplies}, {"udp_echoed", c.udpEchoed},   {"udp_received", c.udpReceived},
            {"not_for_us", c.notForUs},       {"malformed", c.malformed}};
}

nlohmann::json demoJson(const Lan& lan, uint64_t captured) {
    const VirtualSwitch& fabric = lan.fabric();
    nlohmann::json j;
    j["cycles"] = lan.cycle();
    j["ports"] = nlohmann::json::array();
    for (PortId id = 0; id < fabric.portCount(); ++id) {
        const PortConfig& port = fabric.port(id);
        const PortCounters& c = fabric.counters(id);
        nlohmann::json p{{"port", id}, {"name", port.name}, {"mode", modeName(port.mode)},
                         {"vlans", port.mode == PortMode::Access ? std::vector<uint16_t>{port.accessVlan} : port.trunkVlans},
                         {"rx_packets", c.rxPackets}, {"rx_bytes", c.rxBytes}, {"tx_packets", c.txPackets},
                         {"tx_bytes", c.txBytes}, {"dropped", c.dropped()}};
        p["drops"] = nlohmann::json::object();
        for (size_t r = 0; r < kDropReasonCount; ++r) p["drops"][std::string(dropReasonName(DropReason(r)))] = c.drops[r];
        if (const NetworkHost* host = lan.hostOn(id)) {
            nlohmann::json h{{"name", host->config().name}, {"mac", host->config().mac.text()},
                             {"ip", host->config().ip.text()}};
            for (const auto& [name, value] : hostFigures(host->counters())) h[name] = value;
            p["host"] = h;
        }
        j["ports"].push_back(p);
    }
    j["mac_table"] = nlohmann::json::array();
    for (const auto& [key, entry] : fabric.macTable().entries())
        j["mac_table"].push_back({{"vlan", key.first}, {"mac", key.second.text()}, {"port", entry.port},
                                  {"last_seen_cycle", entry.lastSeen}});
    j["captured_frames"] = captured;
    return j;
}

void printDemo(const Lan& lan, const std::string& pcap, uint64_t captured, std::ostream& out) {
    const VirtualSwitch& fabric = lan.fabric();
    out << "two tenants (VLANs 10 and 20) and an outside peer (10.0.0.1) on one switch\n\n";
    out << fmt::format("{:<4} {:<10} {:<6} {:<6} {:>8} {:>9} {:>8} {:>9} {:>6}\n", "port", "name", "mode", "vlans",
                       "rx pkts", "rx bytes", "tx pkts", "tx bytes", "drops");
    for (PortId id = 0; id < fabric.portCount(); ++id) {
        const PortConfig& port = fabric.port(id);
        const PortCounters& c = fabric.counters(id);
        out << fmt::format("{:<4} {:<10} {:<6} {:<6} {:>8} {:>9} {:>8} {:>9} {:>6}\n", id, port.name,
                           modeName(port.mode), vlanList(port), c.rxPackets, c.rxBytes, c.txPackets, c.txBytes,
                           c.dropped());
    }
    out << "\ndrops by reason\n";
    for (PortId id = 0; id < fabric.portCount(); ++id) {
        const PortCounters& c = fabric.counters(id);
        for (size_t r = 0; r < kDropReasonCount; ++r)
            if (c.drops[r] > 0)
                out << fmt::format("  {:<10} {:<15} {}\n", fabric.port(id).name, dropReasonName(DropReason(r)),
                                   c.drops[r]);
    }
    out << "\nhosts\n";
    for (PortId id = 0; id < fabric.portCount(); ++id) {
        const NetworkHost* host = lan.hostOn(id);
        if (!host) continue;
        std::string figures;
        for (const auto& [name, value] : hostFigures(host->counters()))
            if (value > 0) figures += fmt::format(" {} {}", name, value);
        out << fmt::format("  {:<10} {:<9}{}\n", host->config().name, host->config().ip.text(), figures);
    }
    out << "\nMAC table (VLAN, address, port)\n";
    for (const auto& [key, entry] : fabric.macTable().entries())
        out << fmt::format("  {:<4} {} {}\n", key.first, key.second.text(), fabric.port(entry.port).name);
    out << fmt::format("\n{} cycles\n", lan.cycle());
    if (!pcap.empty()) out << fmt::format("capture: {} frames in {} (one interface per port)\n", captured, pcap);
}

int demoCommand(const NetArgs& args, std::ostream& out, std::ostream& err) {
    if (args.format != "text" && args.format != "json") {
        err << fmt::format("error: --format '{}': text or json\n", args.format);
        return 2;
    }
    // The capture file is opened before anything runs: a path that cannot be written is an error first.
    std::ofstream file;
    if (!args.pcap.empty()) {
        file.open(args.pcap, std::ios::binary | std::ios::trunc);
        if (!file) {
            err << fmt::format("error: --pcap '{}': cannot be written\n", args.pcap);
            return 2;
        }
    }
    Lan lan;
    const DemoPorts ports = buildDemoLan(lan);
    std::optional<PcapngWriter> capture;
    if (file.is_open()) {
        capture.emplace(file, "ringsim " RINGSIM_VERSION " net demo");
        for (PortId id = 0; id < lan.fabric().portCount(); ++id) {
            const PortConfig& port = lan.fabric().port(id);
            capture->addInterface(port.name, fmt::format("switch port {} ({}, VLAN {})", id, modeName(port.mode),
                                                         vlanList(port)));
        }
        lan.fabric().setTap([&](PortId port, uint64_t cycle, ByteView frame) {
            capture->writePacket(port, cycle, frame, CaptureDirection::Outbound);
        });
    }
    runDemoTraffic(lan, ports);
    const uint64_t captured = capture ? capture->packetsWritten() : 0;
    if (file.is_open()) {
        file.close();
        if (!file) {
            err << fmt::format("error: --pcap '{}': the write failed\n", args.pcap);
            return 2;
        }
    }
    if (args.format == "json") out << demoJson(lan, captured).dump(2) << '\n';
    else printDemo(lan, args.pcap, captured, out);
    return 0;
}

}  // namespace

int netCommand(const CLI::App& net, const NetArgs& args, std::ostream& out, std::ostream& err) {
    if (net.get_subcommand("demo")->parsed()) return demoCommand(args, out, err);
    return 2;
}

}  // namespace ringsim::cli
