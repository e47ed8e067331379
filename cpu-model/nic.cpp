#include "nic.h"

#include <algorithm>
#include <cstring>

#include "devices.h"
#include "isa.h"

namespace ringsim {

uint32_t EmulatedNic::read(uint32_t port) {
    ++counters_.registerAccesses;
    wroteLow_ = wroteHigh_ = 0;
    sentFrames_ = false;
    switch (port) {
    case isa::port::NicTxHead: return tx_.head;
    case isa::port::NicRxHead: return rx_.head;
    case isa::port::NicCause: {
        // Read-to-clear, as e1000's ICR: the handler learns why and acknowledges in one access.
        const uint32_t cause = cause_;
        cause_ = 0;
        return cause;
    }
    case isa::port::NicMask: return mask_;
    case isa::port::NicMacLow: return uint32_t(mac_[0]) | uint32_t(mac_[1]) << 8 | uint32_t(mac_[2]) << 16 |
                                      uint32_t(mac_[3]) << 24;
    case isa::port::NicMacHigh: return uint32_t(mac_[4]) | uint32_t(mac_[5]) << 8;
    default: return 0;
    }
}

void EmulatedNic::write(uint32_t port, uint32_t value, const DmaWindow& dma, uint64_t now) {
    ++counters_.registerAccesses;
    wroteLow_ = wroteHigh_ = 0;
    sentFrames_ = false;
    switch (port) {
    case isa::port::NicTxRing: tx_.reset(value); break;
    case isa::port::NicTxCount: tx_.count = value; tx_.head = tx_.tail = 0; break;
    case isa::port::NicTxTail:
        ++counters_.txDoorbells;
        if (tx_.valid()) {
            tx_.tail = value % tx_.count;
            sentFrames_ = tx_.head != tx_.tail;
            transmitPending(dma, now);
        }
        break;
    case isa::port::NicRxRing: rx_.reset(value); break;
    case isa::port::NicRxCount: rx_.count = value; rx_.head = rx_.tail = 0; break;
    case isa::port::NicRxTail:
        if (rx_.valid()) rx_.tail = value % rx_.count;
        break;
    case isa::port::NicMask: mask_ = value; break;
    default: return;
    }
    // Whatever the link holds for us lands as soon as there is a buffer for it.
    if (rx_.valid()) receivePending(dma, now);
}

bool EmulatedNic::doorbellSends(uint32_t port, uint32_t value) const {
    return port == isa::port::NicTxTail && tx_.valid() && value % tx_.count != tx_.head;
}

void EmulatedNic::transmitPending(const DmaWindow& dma, uint64_t now) {
    std::vector<uint8_t> frame;
    while (tx_.head != tx_.tail) {
        const uint32_t d = tx_.descriptor(tx_.head);
        uint32_t address = 0, length = 0;
        uint32_t status = nic_descriptor::StatusDone;
        if (!readWord(dma, d + nic_descriptor::Address, address) ||
            !readWord(dma, d + nic_descriptor::Length, length)) {
            ++counters_.txErrors;  // the ring itself is outside memory: nothing to write back
            tx_.head = tx_.tail;
            break;
        }
        if (length < kMinFrame || length > kMaxFrame || !dma.contains(address, length)) {
            ++counters_.txErrors;
            status |= nic_descriptor::StatusError;
        } else {
            const uint8_t* bytes = dma.memory->data() + dma.base + address;
            frame.assign(bytes, bytes + length);
            link_.transmit(frame, now);
            ++counters_.txPackets;
            counters_.txBytes += length;
        }
        uint8_t word[4];
        std::memcpy(word, &status, 4);
        writeBytes(dma, d + nic_descriptor::Status, word);
        tx_.head = (tx_.head + 1) % tx_.count;
        setCause(nic_cause::TxDone);
    }
}

void EmulatedNic::receivePending(const DmaWindow& dma, uint64_t now) {
    for (auto& frame : link_.arrived(now)) {
        if (fifo_.size() >= kFifoFrames) {
            ++counters_.rxNoBuffer;
            setCause(nic_cause::RxOverrun);
            continue;
        }
        fifo_.push_back(std::move(frame));
    }
    while (!fifo_.empty() && rx_.head != rx_.tail) {
        const std::vector<uint8_t>& frame = fifo_.front();
        const uint32_t d = rx_.descriptor(rx_.head);
        uint32_t address = 0;
        const uint32_t length = uint32_t(std::min<size_t>(frame.size(), nic_descriptor::kBufferSize));
        if (readWord(dma, d + nic_descriptor::Address, address) &&
            writeBytes(dma, address, {frame.data(), length})) {
            ++counters_.rxPackets;
            counters_.rxBytes += length;
            uint8_t words[8];
            const uint32_t status = nic_descriptor::StatusDone;
            std::memcpy(words, &length, 4);
            std::memcpy(words + 4, &status, 4);
            writeBytes(dma, d + nic_descriptor::Length, words);
            setCause(nic_cause::Rx);
        } else {
            ++counters_.rxNoBuffer;  // a buffer outside memory: the frame is lost
        }
        fifo_.pop_front();
        rx_.head = (rx_.head + 1) % rx_.count;
    }
}

void EmulatedNic::setCause(uint32_t bits) {
    const bool wasAsserted = interruptAsserted();
    cause_ |= bits;
    if (!wasAsserted && interruptAsserted()) ++counters_.interrupts;
}

bool EmulatedNic::readWord(const DmaWindow& dma, uint32_t address, uint32_t& value) const {
    if (!dma.memory || !dma.contains(address, 4)) return false;
    std::memcpy(&value, dma.memory->data() + dma.base + address, 4);
    return true;
}

bool EmulatedNic::writeBytes(const DmaWindow& dma, uint32_t address, std::span<const uint8_t> bytes) {
    if (!dma.memory || !dma.contains(address, uint32_t(bytes.size()))) return false;
    dma.memory->write(dma.base + address, bytes);
    const uint32_t end = address + uint32_t(bytes.size());
    if (wroteHigh_ == wroteLow_) {
        wroteLow_ = address;
        wroteHigh_ = end;
    } else {
        wroteLow_ = std::min(wroteLow_, address);
        wroteHigh_ = std::max(wroteHigh_, end);
    }
    return true;
}

}  // namespace ringsim
