#include "network/lan.h"

namespace ringsim::network {

PortId Lan::attach(PortConfig port, std::optional<HostConfig> host) {
    const PortId id = switch_.addPort(std::move(port));
    hosts_.push_back(host ? std::make_unique<NetworkHost>(std::move(*host)) : nullptr);
    return id;
}

void Lan::send(PortId port, Bytes frame) { switch_.receive(port, std::move(frame)); }

uint64_t Lan::settle() {
    uint64_t forwarded = 0;
    bool delivered = true;
    while (!switch_.idle() || delivered) {
        const size_t n = switch_.forward(cycle_, kFramesPerTick);
        forwarded += n;
        cycle_ += n * kCyclesPerFrame;
        delivered = false;
        for (PortId port = 0; port < switch_.portCount(); ++port) {
            for (Bytes& frame : switch_.takeOutput(port)) {
                if (!hosts_[port]) continue;
                delivered = true;
                for (Bytes& answer : hosts_[port]->receive(frame)) switch_.receive(port, std::move(answer));
            }
        }
    }
    return forwarded;
}

}  // namespace ringsim::network
