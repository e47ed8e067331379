#include "devices.h"

namespace ringsim {

void Console::put(uint8_t byte, uint64_t cycle) {
    ++written_;
    // Every byte kept goes to the whole text and to one stream, so the
    // streams together are bounded by the same limit.
    if (text_.size() < kLimit) {
        text_.push_back(static_cast<char>(byte));
        textLines_.add(text_, byte, cycle);
        std::string& stream = streams_[selected_];
        stream.push_back(static_cast<char>(byte));
        streamLines_[selected_].add(stream, byte, cycle);
    } else {
        truncated_ = true;
    }
}

const std::string& Console::streamText(uint32_t stream) const {
    static const std::string kNothing;
    auto it = streams_.find(stream);
    return it == streams_.end() ? kNothing : it->second;
}

std::optional<uint64_t> Console::firstLineWhere(uint32_t stream, std::string_view prefix, bool starts) const {
    const std::string* text = &text_;
    const Lines* lines = &textLines_;
    if (stream != kWholeText) {
        auto it = streamLines_.find(stream);
        if (it == streamLines_.end()) return std::nullopt;
        lines = &it->second;
        text = &streams_.at(stream);
    }
    for (const auto& start : lines->starts)
        if ((std::string_view(*text).substr(start.offset, prefix.size()) == prefix) == starts) return start.cycle;
    return std::nullopt;
}

std::optional<uint64_t> Console::firstLineCycle(uint32_t stream, std::string_view skipPrefix) const {
    if (skipPrefix.empty()) return firstLineWhere(stream, skipPrefix, true);
    return firstLineWhere(stream, skipPrefix, false);
}

std::optional<uint64_t> Console::lineCycle(uint32_t stream, std::string_view prefix) const {
    return firstLineWhere(stream, prefix, true);
}

BlockDevice::BlockDevice(uint32_t sectors) : data_(size_t(sectors) * isa::kSectorSize, 0) {}

uint32_t BlockDevice::write(uint32_t port, uint32_t value, const DmaWindow& dma) {
    switch (port) {
    case isa::port::BlockSector:
        sector_ = value;
        pioWord_ = 0;
        status_ = value < sectorCount() ? 0 : 1;
        return 0;
    case isa::port::BlockAddress:
        address_ = value;
        return 0;
    case isa::port::BlockCommand: {
        if (sector_ >= sectorCount() || !dma.memory || !dma.contains(address_, isa::kSectorSize) ||
            (value != 1 && value != 2)) {
            status_ = 1;
            return 0;
        }
        uint8_t* disk = data_.data() + size_t(sector_) * isa::kSectorSize;
        uint32_t physical = dma.base + address_;
        if (value == 1)
            dma.memory->write(physical, {disk, isa::kSectorSize});
        else
            std::memcpy(disk, dma.memory->data() + physical, isa::kSectorSize);
        status_ = 0;
        ++transferred_;
        return 1;
    }
    case isa::port::BlockData: {
        if (sector_ >= sectorCount()) {
            status_ = 1;
            return 0;
        }
        std::memcpy(data_.data() + size_t(sector_) * isa::kSectorSize + pioWord_ * 4, &value, 4);
        if (++pioWord_ == isa::kSectorSize / 4) {
            pioWord_ = 0;
            ++sector_;
            ++transferred_;
        }
        return 0;
    }
    default:
        return 0;
    }
}

uint32_t BlockDevice::read(uint32_t port) {
    switch (port) {
    case isa::port::BlockStatus: return status_;
    case isa::port::BlockSectors: return sectorCount();
    case isa::port::BlockData: {
        if (sector_ >= sectorCount()) {
            status_ = 1;
            return 0xFFFFFFFFu;
        }
        uint32_t v;
        std::memcpy(&v, data_.data() + size_t(sector_) * isa::kSectorSize + pioWord_ * 4, 4);
        if (++pioWord_ == isa::kSectorSize / 4) {
            pioWord_ = 0;
            ++sector_;
            ++transferred_;
        }
        return v;
    }
    default: return 0;
    }
}

DeviceSet::Access DeviceSet::in(uint32_t port, uint64_t now) {
    ++accesses_;
    Access a;
    switch (port) {
    case isa::port::ConsoleStatus: a.value = 1; break;
    case isa::port::Container: a.value = container_; break;
    case isa::port::ClockLow:
        a.value = static_cast<uint32_t>(now);
        clockHighLatch_ = static_cast<uint32_t>(now >> 32);
        break;
    case isa::port::ClockHigh: a.value = clockHighLatch_; break;
    case isa::port::BlockStatus:
    case isa::port::BlockData:
    case isa::port::BlockSectors: {
        const uint64_t before = disk.sectorsTransferred();
        a.value = disk.read(port);
        a.hostRequest = disk.sectorsTransferred() != before;
        break;
    }
    default: {
        if (nic && isNicPort(port)) {
            a.value = nic->read(port);
            break;
        }
        const auto front = diskFrontEnd.in(port);
        a.known = front.known;
        a.value = front.value;  // 0xFFFFFFFF when nothing drives the bus
        a.hostRequest = false;  // a front end's requests go out on its command or notify, never on an in
    }
    }
    return a;
}

DeviceSet::Access DeviceSet::out(uint32_t port, uint32_t value, const DmaWindow& dma, uint64_t now) {
    ++accesses_;
    Access a;
    const uint64_t requestsBefore = diskFrontEnd.counters().hostRequests;
    switch (port) {
    case isa::port::ConsoleData:
        console.put(static_cast<uint8_t>(value), now);
        a.hostRequest = static_cast<uint8_t>(value) == '\n';
        break;
    case isa::port::ConsoleStream: console.select(value); break;
    case isa::port::Container: container_ = value; break;
    case isa::port::BlockSector:
    case isa::port::BlockAddress:
    case isa::port::BlockCommand:
    case isa::port::BlockData: {
        const uint64_t before = disk.sectorsTransferred();
        a.sectorsMoved = disk.write(port, value, dma);
        a.hostRequest = disk.sectorsTransferred() != before;
        break;
    }
    default: {
        if (nic && isNicPort(port)) {
            nic->write(port, value, dma, now);
            a.wroteAt = nic->wroteAt();
            a.wroteBytes = nic->wroteBytes();
            a.hostRequest = nic->sentFrames();  // frames handed to the host's switch
            break;
        }
        const auto front = diskFrontEnd.out(port, value, dma);
        a.known = front.known;
        a.sectorsMoved = front.sectorsMoved;
        a.wroteAt = front.wroteAt;
        a.wroteBytes = front.wroteBytes;
        a.hostRequest = diskFrontEnd.counters().hostRequests != requestsBefore;
    }
    }
    if (port == isa::port::BlockCommand && value == 1 && a.sectorsMoved) {  // 1 = read a sector into memory
        a.wroteAt = disk.dmaAddress();
        a.wroteBytes = a.sectorsMoved * isa::kSectorSize;
    }
    return a;
}

bool DeviceSet::finishesHostRequest(uint32_t port, uint32_t value, bool isWrite) const {
    switch (port) {
    case isa::port::ConsoleData: return isWrite && static_cast<uint8_t>(value) == '\n';
    case isa::port::BlockCommand: return isWrite && (value == 1 || value == 2) && disk.sectorValid();
    case isa::port::BlockData: return disk.atLastPioWord();
    default:
        if (nic && isNicPort(port)) return isWrite && nic->doorbellSends(port, value);
        return diskFrontEnd.finishesRequest(port, value, isWrite);
    }
}

std::string_view portName(uint32_t port) {
    switch (port) {
    case isa::port::ConsoleData: return "console.data";
    case isa::port::ConsoleStatus: return "console.status";
    case isa::port::ConsoleStream: return "console.stream";
    case isa::port::Container: return "container";
    case isa::port::ClockLow: return "clock.low";
    case isa::port::ClockHigh: return "clock.high";
    case isa::port::BlockSector: return "block.sector";
    case isa::port::BlockAddress: return "block.address";
    case isa::port::BlockCommand: return "block.command";
    case isa::port::BlockStatus: return "block.status";
    case isa::port::BlockData: return "block.data";
    case isa::port::BlockSectors: return "block.sectors";
    case isa::port::NicTxRing: return "nic.tx_ring";
    case isa::port::NicTxCount: return "nic.tx_count";
    case isa::port::NicTxHead: return "nic.tx_head";
    case isa::port::NicTxTail: return "nic.tx_tail";
    case isa::port::NicRxRing: return "nic.rx_ring";
    case isa::port::NicRxCount: return "nic.rx_count";
    case isa::port::NicRxHead: return "nic.rx_head";
    case isa::port::NicRxTail: return "nic.rx_tail";
    case isa::port::NicCause: return "nic.cause";
    case isa::port::NicMask: return "nic.mask";
    case isa::port::NicMacLow: return "nic.mac_low";
    case isa::port::NicMacHigh: return "nic.mac_high";
    case isa::port::VirtioQueueAddress: return "virtio.queue-address";
    case isa::port::VirtioQueueSize: return "virtio.queue-size";
    case isa::port::VirtioNotify: return "virtio.notify";
    case isa::port::VirtioInterruptStatus: return "virtio.interrupt-status";
    case isa::port::VirtioInterruptAck: return "virtio.interrupt-ack";
    case isa::port::VirtioSectors: return "virtio.sectors";
    case isa::port::VirtioReset: return "virtio.reset";
    case isa::port::IdeSector: return "ide.sector";
    case isa::port::IdeCount: return "ide.count";
    case isa::port::IdeCommand: return "ide.command";
    case isa::port::IdeStatus: return "ide.status";
    case isa::port::IdeData: return "ide.data";
    case isa::port::IdeSectors: return "ide.sectors";
    case isa::port::IdeError: return "ide.error";
    default: return DeviceSet::kUnassigned;
    }
}

}  // namespace ringsim
