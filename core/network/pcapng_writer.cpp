#include "network/pcapng_writer.h"

#include <stdexcept>

namespace ringsim::network {

namespace {

// pcapng is written in the writer's byte order, which the section header's
// magic announces; little-endian here on every host, so the bytes never vary.
void putLe(Bytes& bytes, uint64_t value, int width) {
    for (int i = 0; i < width; ++i) bytes.push_back(uint8_t(value >> (8 * i)));
}
void padTo4(Bytes& bytes) {
    while (bytes.size() % 4 != 0) bytes.push_back(0);
}
void putOption(Bytes& bytes, uint16_t code, const Bytes& value) {
    putLe(bytes, code, 2);
    putLe(bytes, value.size(), 2);
    bytes.insert(bytes.end(), value.begin(), value.end());
    padTo4(bytes);
}
void putOption(Bytes& bytes, uint16_t code, const std::string& text) { putOption(bytes, code, Bytes(text.begin(), text.end())); }
void endOptions(Bytes& bytes) { putLe(bytes, 0, 4); }  // opt_endofopt

constexpr uint32_t kSectionHeader = 0x0A0D0D0A;
constexpr uint32_t kInterfaceDescription = 1;
constexpr uint32_t kEnhancedPacket = 6;
constexpr uint16_t kLinkTypeEthernet = 1;

}  // namespace

PcapngWriter::PcapngWriter(std::ostream& out, const std::string& application) : out_(out) {
    Bytes body;
    putLe(body, 0x1A2B3C4D, 4);                // byte-order magic
    putLe(body, 1, 2);                         // version 1.0
    putLe(body, 0, 2);
    putLe(body, 0xffffffffffffffffull, 8);     // section length: not given
    putOption(body, 4, application);           // shb_userappl
    endOptions(body);
    writeBlock(kSectionHeader, body);
}

uint32_t PcapngWriter::addInterface(const std::string& name, const std::string& description) {
    if (packets_ != 0) throw std::logic_error("pcapng: interfaces come before the first packet");
    Bytes body;
    putLe(body, kLinkTypeEthernet, 2);
    putLe(body, 0, 2);      // reserved
    putLe(body, 65535, 4);  // snap length: frames are never cut
    putOption(body, 2, name);         // if_name
    putOption(body, 3, description);  // if_description
    putOption(body, 9, Bytes{9});     // if_tsresol: 10^-9 s, one cycle
    endOptions(body);
    writeBlock(kInterfaceDescription, body);
    return interfaces_++;
}

void PcapngWriter::writePacket(uint32_t interface, uint64_t nanoseconds, ByteView frame, CaptureDirection direction) {
    Bytes body;
    putLe(body, interface, 4);
    putLe(body, nanoseconds >> 32, 4);
    putLe(body, nanoseconds & 0xffffffff, 4);
    putLe(body, frame.size(), 4);  // captured
    putLe(body, frame.size(), 4);  // on the wire
    body.insert(body.end(), frame.begin(), frame.end());
    padTo4(body);
    Bytes flags;
    putLe(flags, uint32_t(direction), 4);
    putOption(body, 2, flags);  // epb_flags
    endOptions(body);
    writeBlock(kEnhancedPacket, body);
    ++packets_;
}

void PcapngWriter::writeBlock(uint32_t type, const Bytes& body) {
    // Type, total length, body, total length again (so a reader can walk backwards).
    const auto total = uint32_t(12 + body.size());
    Bytes block;
    block.reserve(total);
    putLe(block, type, 4);
    putLe(block, total, 4);
    block.insert(block.end(), body.begin(), body.end());
    putLe(block, total, 4);
    out_.write(reinterpret_cast<const char*>(block.data()), std::streamsize(block.size()));
}

}  // namespace ringsim::network
