#include "shared_ring.h"

#include <algorithm>
#include <cstring>

namespace ringsim {

using namespace shared_ring;

std::string_view SharedRing::errorName(Error e) {
    switch (e) {
    case Error::None: return "none";
    case Error::BadSize: return "queue size not a power of two up to 256";
    case Error::QueueOutsideMemory: return "queue outside the guest's memory";
    case Error::TooManyAvailable: return "available index more than the queue size ahead";
    case Error::HeadOutOfRange: return "available entry names no descriptor";
    case Error::DescriptorOutsideMemory: return "descriptor's buffer outside the guest's memory";
    case Error::ChainTooLong: return "descriptor chain too long (a loop?)";
    }
    return "?";
}

SharedRing::Error SharedRing::attach(const DmaWindow& window, uint32_t address, uint32_t size) {
    *this = SharedRing{};
    if (size == 0 || size > kMaxSize || (size & (size - 1)) != 0) return error_ = Error::BadSize;
    if (!window.memory || !window.contains(address, bytes(size)) ||
        !window.memory->contains(uint64_t(window.base) + address, bytes(size)))
        return error_ = Error::QueueOutsideMemory;
    window_ = window;
    address_ = address;
    size_ = size;
    nextAvailable_ = word(availableOffset(size) + 4);
    nextUsed_ = word(usedOffset(size) + 4);
    return Error::None;
}

uint32_t SharedRing::pending() const {
    if (!attached()) return 0;
    return word(availableOffset(size_) + 4) - nextAvailable_;  // free-running: unsigned difference
}

std::optional<SharedRing::Chain> SharedRing::takeNext() {
    const uint32_t available = pending();
    if (available == 0) return std::nullopt;
    if (available > size_) {
        breakRing(Error::TooManyAvailable);
        return std::nullopt;
    }
    Chain chain;
    chain.head = word(availableOffset(size_) + 8 + 4 * (nextAvailable_ % size_));
    uint32_t index = chain.head;
    for (;;) {
        if (index >= size_) {
            breakRing(Error::HeadOutOfRange);
            return std::nullopt;
        }
        if (chain.buffers.size() == kMaxChain) {
            breakRing(Error::ChainTooLong);
            return std::nullopt;
        }
        const uint32_t at = index * kDescriptorBytes;
        const Buffer buffer{word(at), word(at + 4), (word(at + 8) & DeviceWrites) != 0};
        if (!window_.contains(buffer.address, buffer.length)) {
            breakRing(Error::DescriptorOutsideMemory);
            return std::nullopt;
        }
        chain.buffers.push_back(buffer);
        if (!(word(at + 8) & Next)) break;
        index = word(at + 12);
    }
    ++nextAvailable_;
    return chain;
}

void SharedRing::complete(uint32_t head, uint32_t written) {
    if (!attached()) return;
    const uint32_t element = usedOffset(size_) + 8 + 8 * (nextUsed_ % size_);
    write32(address_ + element, head);
    write32(address_ + element + 4, written);
    ++nextUsed_;
    // The element before the index, as virtio orders them: a driver that sees
    // the new index finds the element already there.
    write32(address_ + usedOffset(size_) + 4, nextUsed_);
}

void SharedRing::suppressNotifications(bool suppress) {
    if (!attached()) return;
    const uint32_t flags = word(usedOffset(size_));
    write32(address_ + usedOffset(size_), suppress ? (flags | NoNotify) : (flags & ~NoNotify));
}

bool SharedRing::notificationsSuppressed() const {
    return attached() && (word(usedOffset(size_)) & NoNotify) != 0;
}

bool SharedRing::driverWantsInterrupts() const {
    return attached() && (word(availableOffset(size_)) & NoInterrupt) == 0;
}

void SharedRing::write32(uint32_t address, uint32_t value) {
    window_.memory->write32(window_.base + address, value);
    noteWritten(address, 4);
}

void SharedRing::readBytes(uint32_t address, uint8_t* out, uint32_t length) const {
    std::memcpy(out, window_.memory->data() + window_.base + address, length);
}

void SharedRing::writeBytes(uint32_t address, const uint8_t* data, uint32_t length) {
    window_.memory->write(window_.base + address, {data, length});
    noteWritten(address, length);
}

void SharedRing::noteWritten(uint32_t address, uint32_t length) {
    if (length == 0) return;
    if (written_.bytes == 0) {
        written_ = {address, length};
        return;
    }
    const uint32_t begin = std::min(written_.address, address);
    const uint32_t end = std::max(written_.address + written_.bytes, address + length);
    written_ = {begin, end - begin};
}

SharedRing::Written SharedRing::takeWritten() {
    const Written w = written_;
    written_ = {};
    return w;
}

}  // namespace ringsim
