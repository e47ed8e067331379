// A virtio-like shared-ring queue: the device's side of three structures a
// driver keeps in its own memory. It knows nothing of disks or frames: a
// block device and a network card each put their requests on one.
//
// Layout at the queue's address (window-relative, all words little-endian
// 32-bit, as the toy CPU stores them), for a queue of `size` entries:
//   descriptor table  size x { address, length, flags, next }     16 bytes each
//   available ring    { flags, index, ring[size] }                the driver writes
//   used ring         { flags, index, ring[size] x { head, written } }  the device writes
// The indices run free (they wrap at 2^32, an entry is index % size), as
// virtio's do at 2^16. Each side may ask the other to stay quiet: the driver
// sets NoInterrupt in the available ring's flags, the device NoNotify in the
// used ring's while it is busy anyway (virtio's VRING_*_F_NO_* flags).
//
// Everything the driver wrote is checked before it is used: a queue, a
// descriptor or a chain that leaves the guest's memory or makes no sense
// breaks the ring (error()), as a real device sets NEEDS_RESET; the device
// then takes nothing more from it. Never a crash, never a write outside the
// window.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "dma_window.h"

namespace ringsim {

namespace shared_ring {
constexpr uint32_t kDescriptorBytes = 16;
constexpr uint32_t kMaxSize = 256;  // entries; a power of two
constexpr uint32_t kMaxChain = 16;  // descriptors in one request (longer: the ring is broken)
// Descriptor flags.
constexpr uint32_t Next = 1;         // the chain goes on at `next`
constexpr uint32_t DeviceWrites = 2; // the device fills this buffer (else it reads it)
// Available ring flags (the driver's wish).
constexpr uint32_t NoInterrupt = 1;
// Used ring flags (the device's wish).
constexpr uint32_t NoNotify = 1;

// Where each part lies, relative to the queue's address.
constexpr uint32_t availableOffset(uint32_t size) { return size * kDescriptorBytes; }
constexpr uint32_t usedOffset(uint32_t size) { return availableOffset(size) + 8 + 4 * size; }
constexpr uint32_t bytes(uint32_t size) { return usedOffset(size) + 8 + 8 * size; }
}  // namespace shared_ring

class SharedRing {
public:
    enum class Error {
        None,
        BadSize,                  // not a power of two in 1..kMaxSize
        QueueOutsideMemory,       // the three structures do not fit in the window
        TooManyAvailable,         // the driver's index ran more than `size` ahead of the device
        HeadOutOfRange,           // an available entry names no descriptor
        DescriptorOutsideMemory,  // a buffer leaves the window
        ChainTooLong,             // a chain longer than kMaxChain (a loop, or nonsense)
    };
    static std::string_view errorName(Error e);

    struct Buffer {
        uint32_t address = 0;  // window-relative
        uint32_t length = 0;
        bool deviceWrites = false;
    };
    struct Chain {
        uint32_t head = 0;  // the descriptor that starts it: what the used ring gives back
        std::vector<Buffer> buffers;
    };

    // Sets the queue up at `address` (window-relative) with `size` entries;
    // the device's own index starts where the rings' indices are now.
    Error attach(const DmaWindow& window, uint32_t address, uint32_t size);
    void detach() { *this = SharedRing{}; }
    bool attached() const { return size_ != 0 && error_ == Error::None; }
    Error error() const { return error_; }
    uint32_t size() const { return size_; }
    uint32_t address() const { return address_; }

    // Requests the driver made available that the device has not taken yet.
    uint32_t pending() const;
    // The next request, checked; nothing when there is none or the ring is broken.
    std::optional<Chain> takeNext();
    // Gives a request back through the used ring, `written` bytes filled.
    void complete(uint32_t head, uint32_t written);

    // The device's wish (used ring's flags): no notifications while it works.
    void suppressNotifications(bool suppress);
    bool notificationsSuppressed() const;
    // The driver's wish (available ring's flags).
    bool driverWantsInterrupts() const;

    // Bytes of the window the device wrote since the last call, as one span
    // (whoever watches pages for stores must hear of them); 0 bytes if none.
    struct Written {
        uint32_t address = 0;
        uint32_t bytes = 0;
    };
    Written takeWritten();

    // The device's own helpers for the buffers of a chain (checked when taken).
    uint32_t read32(uint32_t address) const { return window_.memory->read32(window_.base + address); }
    void write32(uint32_t address, uint32_t value);
    void readBytes(uint32_t address, uint8_t* out, uint32_t length) const;
    void writeBytes(uint32_t address, const uint8_t* data, uint32_t length);

private:
    uint32_t word(uint32_t offset) const { return read32(address_ + offset); }
    void noteWritten(uint32_t address, uint32_t length);
    void breakRing(Error e) { error_ = e; }

    DmaWindow window_;
    uint32_t address_ = 0;
    uint32_t size_ = 0;
    uint32_t nextAvailable_ = 0;  // the device's position in the available ring
    uint32_t nextUsed_ = 0;       // the used ring's index as the device last wrote it
    Error error_ = Error::None;
    Written written_;
};

}  // namespace ringsim
