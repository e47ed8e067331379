// The network a run's NIC is plugged into: the emulated NIC (cpu-model) whose
// cable is a port of a virtual switch (core/network), with the outside peer
// (10.0.0.1: ARP, ping, UDP echo on port 7) behind the switch's uplink. The
// switch carries a frame the moment the NIC puts it on the wire, so the
// peer's answer is waiting in the NIC when the driver looks: deterministic,
// with the run's cycle as the switch's clock. `--pcap` writes every frame
// the switch forwards.
#pragma once

#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "cpu-model/nic.h"
#include "network/lan.h"
#include "network/pcapng_writer.h"

namespace ringsim {

// The addresses a run's network uses; the guest kernel's driver has the
// guest's own and the peer's in scenarios/guests/kernel/net.inc.
namespace nic_network {
inline constexpr uint16_t kVlan = 10;
inline constexpr uint32_t kGuestMacNumber = 0x0a02;  // 02:00:00:00:0a:02
inline constexpr uint32_t kPeerMacNumber = 1;        // 02:00:00:00:00:01
inline constexpr uint16_t kPeerEchoPort = 7;
}  // namespace nic_network

// What a run's network did, for reports.
struct NetworkResult {
    std::string nic;  // the model: "e1000"
    NicCounters nicCounters;
    network::PortCounters guestPort, uplink;  // the switch's ports, as the switch counts them
    network::HostCounters peer;
    uint64_t framesCaptured = 0;
    std::string pcapPath;
};

class NicNetwork final : public NicLink {
public:
    // Opens the capture first: throws InputError if `pcapPath` (when not empty) cannot be written.
    NicNetwork(const std::string& model, const std::string& pcapPath);
    ~NicNetwork() override;

    EmulatedNic& nic() { return nic_; }
    NetworkResult result() const;

    void transmit(std::span<const uint8_t> frame, uint64_t cycle) override;
    std::vector<std::vector<uint8_t>> arrived(uint64_t cycle) override;

    // The NIC models a run may ask for.
    static bool knownModel(const std::string& model) { return model == "e1000"; }

private:
    void settle(uint64_t cycle);

    std::string model_, pcapPath_;
    std::ofstream file_;
    std::optional<network::PcapngWriter> capture_;
    network::Lan lan_;
    network::PortId uplink_ = 0, guestPort_ = 0;
    std::vector<std::vector<uint8_t>> forNic_;
    EmulatedNic nic_;
};

}  // namespace ringsim
