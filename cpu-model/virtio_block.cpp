#include "virtio_block.h"

#include <vector>

namespace ringsim {

using namespace isa;

uint32_t VirtioBlockDevice::in(uint32_t port) {
    ++counters_.registerAccesses;
    switch (port) {
    case port::VirtioQueueSize: return virtio_block::kMaxQueueSize;
    case port::VirtioInterruptStatus: return interruptStatus_;
    case port::VirtioSectors: return backend_.sectorCount();
    default: return 0xFFFFFFFFu;
    }
}

uint32_t VirtioBlockDevice::out(uint32_t port, uint32_t value, const DmaWindow& window) {
    ++counters_.registerAccesses;
    switch (port) {
    case port::VirtioQueueSize: queueSize_ = value; return 0;
    case port::VirtioQueueAddress:
        if (queueSize_ > virtio_block::kMaxQueueSize || ring_.attach(window, value, queueSize_) != SharedRing::Error::None)
            raise(virtio_block::InterruptBroken);
        return 0;
    case port::VirtioNotify: ++counters_.notifications; return serveAvailable();
    case port::VirtioInterruptAck: interruptStatus_ &= ~value; return 0;
    case port::VirtioReset:
        ring_.detach();
        interruptStatus_ = 0;
        return 0;
    default: return 0;
    }
}

uint32_t VirtioBlockDevice::serveAvailable() {
    uint32_t moved = 0;
    uint32_t served = 0;
    ring_.suppressNotifications(true);  // busy: requests added meanwhile are seen without a kick
    while (auto chain = ring_.takeNext()) {
        uint32_t status = virtio_block::StatusOk;
        uint32_t written = 0;
        moved += serve(*chain, status, written);
        ring_.complete(chain->head, written);
        ++served;
    }
    ring_.suppressNotifications(false);
    if (served) ++counters_.hostRequests;
    if (ring_.error() != SharedRing::Error::None) raise(virtio_block::InterruptBroken);
    if (served && ring_.driverWantsInterrupts()) raise(virtio_block::InterruptUsed);
    return moved;
}

uint32_t VirtioBlockDevice::serve(const SharedRing::Chain& chain, uint32_t& status, uint32_t& written) {
    ++counters_.requests;
    const auto& b = chain.buffers;
    // The status word is the last buffer; without a writable one there is
    // nowhere to answer, and the request is given back untouched.
    if (b.size() < 3 || b.back().length < 4 || !b.back().deviceWrites || b.front().length < 8) {
        ++counters_.errors;
        return 0;
    }
    const uint32_t type = ring_.read32(b.front().address);
    const uint32_t sector = ring_.read32(b.front().address + 4);
    uint32_t bytes = 0;
    bool shapeOk = type == virtio_block::Read || type == virtio_block::Write;
    for (size_t i = 1; i + 1 < b.size(); ++i) {
        bytes += b[i].length;
        shapeOk = shapeOk && b[i].length % kSectorSize == 0 && b[i].deviceWrites == (type == virtio_block::Read);
    }
    const uint32_t count = bytes / kSectorSize;
    uint32_t moved = 0;
    if (!shapeOk) {
        status = virtio_block::StatusUnsupported;
    } else if (!sectorsOnDisk(backend_.sectorCount(), sector, count)) {
        status = virtio_block::StatusIoError;
    } else {
        std::vector<uint8_t> data(bytes);
        uint32_t at = 0;
        if (type == virtio_block::Write) {
            for (size_t i = 1; i + 1 < b.size(); at += b[i].length, ++i)
                ring_.readBytes(b[i].address, data.data() + at, b[i].length);
            if (!backend_.write(sector, data)) status = virtio_block::StatusIoError;
        } else if (backend_.read(sector, data)) {
            for (size_t i = 1; i + 1 < b.size(); at += b[i].length, ++i)
                ring_.writeBytes(b[i].address, data.data() + at, b[i].length);
            written = bytes;
        } else {
            status = virtio_block::StatusIoError;
        }
        if (status == virtio_block::StatusOk) moved = count;
    }
    ring_.write32(b.back().address, status);
    written += 4;
    if (status != virtio_block::StatusOk) ++counters_.errors;
    counters_.sectors += moved;
    return moved;
}

void VirtioBlockDevice::raise(uint32_t bits) {
    interruptStatus_ |= bits;
    ++counters_.interrupts;
}

}  // namespace ringsim
