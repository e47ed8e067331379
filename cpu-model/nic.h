// An emulated NIC modelled on Intel's e1000: transmit and receive
// descriptor rings in guest memory, registers reached by port I/O (isa::port
// Nic*). The driver fills a descriptor and writes the tail register for every
// packet; the NIC moves frames by DMA, marks descriptors done and sets bits
// in the cause register, which reading clears. What is at the other end of
// the cable is a NicLink (core puts a virtual switch's port there).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "memory.h"

namespace ringsim {

struct DmaWindow;

// The cable: frames the NIC sends, and the frames waiting for it.
class NicLink {
public:
    virtual ~NicLink() = default;
    virtual void transmit(std::span<const uint8_t> frame, uint64_t cycle) = 0;
    // Frames that arrived for this NIC since last asked (after the link
    // carried what was transmitted).
    virtual std::vector<std::vector<uint8_t>> arrived(uint64_t cycle) = 0;
};

// One descriptor, 16 bytes in guest memory, as e1000's legacy format lays
// it out in spirit: where the buffer is, how long the frame is, and the
// status word the NIC writes back.
namespace nic_descriptor {
constexpr uint32_t kSize = 16;
constexpr uint32_t Address = 0;  // guest-physical address of the buffer
constexpr uint32_t Length = 4;   // transmit: bytes to send; receive: bytes received (NIC writes it)
constexpr uint32_t Status = 8;   // the NIC writes StatusDone when it is finished with the descriptor
constexpr uint32_t StatusDone = 1;
constexpr uint32_t StatusError = 2;  // transmit: the descriptor was refused (length or address)
constexpr uint32_t kBufferSize = 2048;  // a receive buffer: room for any frame
}  // namespace nic_descriptor

// Bits of the cause (and mask) register.
namespace nic_cause {
constexpr uint32_t TxDone = 1;       // a transmit descriptor was finished
constexpr uint32_t Rx = 2;           // a frame was received into a buffer
constexpr uint32_t RxOverrun = 4;    // a frame arrived with no free receive buffer: dropped
}  // namespace nic_cause

struct NicCounters {
    uint64_t txPackets = 0, txBytes = 0;
    uint64_t rxPackets = 0, rxBytes = 0;
    uint64_t txErrors = 0;        // descriptors refused: a length beyond a frame, a buffer outside memory
    uint64_t rxNoBuffer = 0;      // frames dropped: the ring had no free buffer and the NIC's FIFO was full
    uint64_t interrupts = 0;      // times the interrupt line was raised (a cause bit set while unmasked)
    uint64_t registerAccesses = 0;
    uint64_t txDoorbells = 0;     // writes of the transmit tail
};

class EmulatedNic {
public:
    static constexpr uint32_t kMaxRingEntries = 256;
    static constexpr uint32_t kMinFrame = 14, kMaxFrame = 1518;
    static constexpr size_t kFifoFrames = 16;  // frames held on the card while no buffer is free

    EmulatedNic(std::array<uint8_t, 6> mac, NicLink& link) : mac_(mac), link_(link) {}

    // Port interface (isa::port::Nic*). `now` stamps what goes on the wire.
    uint32_t read(uint32_t port);
    void write(uint32_t port, uint32_t value, const DmaWindow& dma, uint64_t now);
    // Memory the last access wrote by DMA (window-relative, one span covering it all).
    uint32_t wroteAt() const { return wroteLow_; }
    uint32_t wroteBytes() const { return wroteHigh_ > wroteLow_ ? wroteHigh_ - wroteLow_ : 0; }
    // Whether the last access handed descriptors to the wire: one request to
    // the host's switch (even if a descriptor in it was refused).
    bool sentFrames() const { return sentFrames_; }
    // Whether writing `value` to `port` would do that, asked before the write.
    bool doorbellSends(uint32_t port, uint32_t value) const;

    // The interrupt line: a cause bit is set that the mask lets through.
    bool interruptAsserted() const { return (cause_ & mask_) != 0; }
    const NicCounters& counters() const { return counters_; }
    const std::array<uint8_t, 6>& mac() const { return mac_; }

private:
    struct Ring {
        uint32_t base = 0, count = 0, head = 0, tail = 0;
        void reset(uint32_t newBase) { base = newBase; head = tail = 0; }
        uint32_t descriptor(uint32_t index) const { return base + index * nic_descriptor::kSize; }
        bool valid() const { return count > 0 && count <= kMaxRingEntries; }
    };
    void transmitPending(const DmaWindow& dma, uint64_t now);
    void receivePending(const DmaWindow& dma, uint64_t now);
    void setCause(uint32_t bits);
    bool readWord(const DmaWindow& dma, uint32_t address, uint32_t& value) const;
    bool writeBytes(const DmaWindow& dma, uint32_t address, std::span<const uint8_t> bytes);

    std::array<uint8_t, 6> mac_;
    NicLink& link_;
    Ring tx_, rx_;
    uint32_t cause_ = 0, mask_ = 0;
    std::deque<std::vector<uint8_t>> fifo_;
    NicCounters counters_;
    uint32_t wroteLow_ = 0, wroteHigh_ = 0;
    bool sentFrames_ = false;
};

}  // namespace ringsim
