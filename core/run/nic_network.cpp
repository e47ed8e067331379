#include "run/nic_network.h"

#include <fmt/format.h>

#include "machine/errors.h"

namespace ringsim {

using namespace network;

NicNetwork::NicNetwork(const std::string& model, const std::string& pcapPath)
    : model_(model), pcapPath_(pcapPath), nic_(MacAddress::local(nic_network::kGuestMacNumber).octets, *this) {
    if (!knownModel(model)) throw InputError(fmt::format("--nic '{}': the NIC models are e1000", model));
    // Opened before anything runs: a path that cannot be written is an error first.
    if (!pcapPath.empty()) {
        file_.open(pcapPath, std::ios::binary | std::ios::trunc);
        if (!file_) throw InputError(fmt::format("--pcap '{}': cannot be written", pcapPath));
    }
    const MacAddress guestMac = MacAddress::local(nic_network::kGuestMacNumber);
    uplink_ = lan_.attach(PortConfig{"uplink", PortMode::Trunk, 0, {nic_network::kVlan}, std::nullopt, 64},
                          HostConfig{"peer", MacAddress::local(nic_network::kPeerMacNumber),
                                     Ipv4Address::of(10, 0, 0, 1), nic_network::kPeerEchoPort});
    // No host on the guest's port: its endpoint is the NIC, fed by transmit() and arrived().
    guestPort_ = lan_.attach(PortConfig{"guest", PortMode::Access, nic_network::kVlan, {}, guestMac, 64}, std::nullopt);
    if (file_.is_open()) {
        capture_.emplace(file_, "ringsim " RINGSIM_VERSION " run");
        capture_->addInterface("uplink", fmt::format("switch port {} (trunk, VLAN {})", uplink_, nic_network::kVlan));
        capture_->addInterface("guest", fmt::format("switch port {} (access, VLAN {}, {} NIC)", guestPort_,
                                                    nic_network::kVlan, model));
        lan_.fabric().setTap([this](PortId port, uint64_t cycle, ByteView frame) {
            capture_->writePacket(port, cycle, frame, CaptureDirection::Outbound);
        });
    }
}

NicNetwork::~NicNetwork() = default;

void NicNetwork::transmit(std::span<const uint8_t> frame, uint64_t cycle) {
    lan_.fabric().receive(guestPort_, Bytes(frame.begin(), frame.end()));
    settle(cycle);
}

std::vector<std::vector<uint8_t>> NicNetwork::arrived(uint64_t cycle) {
    settle(cycle);
    return std::exchange(forNic_, {});
}

// Like Lan::settle, but the guest's port ends at the NIC: what the switch
// sends there waits for the NIC to take it.
void NicNetwork::settle(uint64_t cycle) {
    VirtualSwitch& fabric = lan_.fabric();
    bool delivered = true;
    while (!fabric.idle() || delivered) {
        fabric.forward(cycle, Lan::kFramesPerTick);
        delivered = false;
        for (Bytes& frame : fabric.takeOutput(guestPort_)) forNic_.push_back(std::move(frame));
        for (Bytes& frame : fabric.takeOutput(uplink_)) {
            delivered = true;
            for (Bytes& answer : lan_.host(uplink_).receive(frame)) fabric.receive(uplink_, std::move(answer));
        }
    }
}

NetworkResult NicNetwork::result() const {
    NetworkResult r;
    r.nic = model_;
    r.nicCounters = nic_.counters();
    r.guestPort = lan_.fabric().counters(guestPort_);
    r.uplink = lan_.fabric().counters(uplink_);
    r.peer = lan_.hostOn(uplink_)->counters();
    r.framesCaptured = capture_ ? capture_->packetsWritten() : 0;
    r.pcapPath = pcapPath_;
    return r;
}

}  // namespace ringsim
