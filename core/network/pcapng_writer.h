// Writes a capture in pcapng, the format Wireshark, tshark and tcpdump
// (libpcap 1.1 and later) read: one interface per switch port, named after
// the port, so Wireshark shows each frame's port (frame.interface_name) and
// can filter on it. Timestamps are cycles taken as nanoseconds (a nominal
// 1 GHz clock, if_tsresol 9): the same run writes the same bytes.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "network/wire_bytes.h"

namespace ringsim::network {

enum class CaptureDirection : uint32_t { Inbound = 1, Outbound = 2 };  // pcapng epb_flags bits 0-1

class PcapngWriter {
public:
    // Writes the section header at once; `application` names the writer (shb_userappl).
    PcapngWriter(std::ostream& out, const std::string& application);

    // Declares an Ethernet interface; returns its number for writePacket. All
    // interfaces must be added before the first packet.
    uint32_t addInterface(const std::string& name, const std::string& description);
    void writePacket(uint32_t interface, uint64_t nanoseconds, ByteView frame, CaptureDirection direction);

    uint64_t packetsWritten() const { return packets_; }

private:
    void writeBlock(uint32_t type, const Bytes& body);

    std::ostream& out_;
    uint32_t interfaces_ = 0;
    uint64_t packets_ = 0;
};

}  // namespace ringsim::network
