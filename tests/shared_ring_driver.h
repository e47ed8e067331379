// The driver's side of a shared ring (cpu-model/shared_ring.h), played by a
// test the way a guest kernel's driver plays it in assembly: it fills
// descriptors, publishes them in the available ring, and reads the used ring.
#pragma once

#include <cstdint>
#include <vector>

#include "cpu-model/shared_ring.h"

namespace ringsim::test {

class SharedRingDriver {
public:
    SharedRingDriver(PhysicalMemory& memory, uint32_t address, uint32_t size)
        : memory_(memory), address_(address), size_(size) {}

    struct Part {
        uint32_t address;
        uint32_t length;
        bool deviceWrites;
    };
    // Writes a chain into descriptors starting at `firstDescriptor` and makes it
    // available; returns its head. The index is published at once unless
    // `publish` is false (then publish() does it for a whole batch).
    uint32_t offer(uint32_t firstDescriptor, const std::vector<Part>& parts, bool publish = true) {
        for (size_t i = 0; i < parts.size(); ++i) {
            const uint32_t d = address_ + (firstDescriptor + uint32_t(i)) * shared_ring::kDescriptorBytes;
            memory_.write32(d, parts[i].address);
            memory_.write32(d + 4, parts[i].length);
            memory_.write32(d + 8, (i + 1 < parts.size() ? shared_ring::Next : 0) |
                                       (parts[i].deviceWrites ? shared_ring::DeviceWrites : 0));
            memory_.write32(d + 12, firstDescriptor + uint32_t(i) + 1);
        }
        memory_.write32(availableRing() + 8 + 4 * (offered_ % size_), firstDescriptor);
        ++offered_;
        if (publish) this->publish();
        return firstDescriptor;
    }
    void publish() { memory_.write32(availableRing() + 4, offered_); }
    // Sets the available index directly (a test of a broken driver, or a start near the wrap).
    void setAvailableIndex(uint32_t index) {
        offered_ = index;
        publish();
    }
    void setUsedIndex(uint32_t index) { memory_.write32(usedRing() + 4, index); }
    void setDescriptorWord(uint32_t descriptor, uint32_t word, uint32_t value) {
        memory_.write32(address_ + descriptor * shared_ring::kDescriptorBytes + 4 * word, value);
    }
    void wantInterrupts(bool want) { memory_.write32(availableRing(), want ? 0 : shared_ring::NoInterrupt); }
    uint32_t usedIndex() const { return memory_.read32(usedRing() + 4); }
    bool deviceWantsNotifications() const { return (memory_.read32(usedRing()) & shared_ring::NoNotify) == 0; }
    // The used ring's element number `n` (free-running).
    uint32_t usedHead(uint32_t n) const { return memory_.read32(usedRing() + 8 + 8 * (n % size_)); }
    uint32_t usedWritten(uint32_t n) const { return memory_.read32(usedRing() + 12 + 8 * (n % size_)); }

private:
    uint32_t availableRing() const { return address_ + shared_ring::availableOffset(size_); }
    uint32_t usedRing() const { return address_ + shared_ring::usedOffset(size_); }

    PhysicalMemory& memory_;
    uint32_t address_;
    uint32_t size_;
    uint32_t offered_ = 0;
};

}  // namespace ringsim::test
