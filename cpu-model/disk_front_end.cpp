#include "disk_front_end.h"

namespace ringsim {

namespace {
bool isVirtioPort(uint32_t port) { return port >= isa::port::VirtioQueueAddress && port <= isa::port::VirtioReset; }
bool isIdePort(uint32_t port) { return port >= isa::port::IdeSector && port <= isa::port::IdeError; }
}  // namespace

std::string_view diskFrontEndName(DiskFrontEndKind kind) {
    switch (kind) {
    case DiskFrontEndKind::None: return "none";
    case DiskFrontEndKind::Ide: return "ide";
    case DiskFrontEndKind::Virtio: return "virtio";
    }
    return "?";
}

std::optional<DiskFrontEndKind> diskFrontEndFromName(std::string_view name) {
    for (auto kind : {DiskFrontEndKind::None, DiskFrontEndKind::Ide, DiskFrontEndKind::Virtio})
        if (diskFrontEndName(kind) == name) return kind;
    return std::nullopt;
}

void DiskFrontEnd::attach(DiskFrontEndKind kind, uint32_t sectors, std::shared_ptr<BlockBackend> backend) {
    *this = DiskFrontEnd{};
    kind_ = kind;
    if (kind == DiskFrontEndKind::None) return;
    backend_ = backend ? std::move(backend) : std::make_shared<MemoryBlockBackend>(sectors);
    if (kind == DiskFrontEndKind::Ide) ide_ = std::make_unique<IdeController>(*backend_);
    if (kind == DiskFrontEndKind::Virtio) virtio_ = std::make_unique<VirtioBlockDevice>(*backend_);
}

DiskFrontEnd::Access DiskFrontEnd::in(uint32_t port) {
    Access a;
    if (ide_ && isIdePort(port)) a.value = ide_->in(port), a.known = true;
    if (virtio_ && isVirtioPort(port)) a.value = virtio_->in(port), a.known = true;
    return a;
}

DiskFrontEnd::Access DiskFrontEnd::out(uint32_t port, uint32_t value, const DmaWindow& window) {
    Access a;
    if (ide_ && isIdePort(port)) {
        a.known = true;
        a.sectorsMoved = ide_->out(port, value);
    }
    if (virtio_ && isVirtioPort(port)) {
        a.known = true;
        a.sectorsMoved = virtio_->out(port, value, window);
        const auto written = virtio_->takeWritten();
        a.wroteAt = written.address;
        a.wroteBytes = written.bytes;
    }
    return a;
}

bool DiskFrontEnd::finishesRequest(uint32_t port, uint32_t value, bool isWrite) const {
    if (ide_ && isIdePort(port)) return ide_->finishesRequest(port, value, isWrite);
    if (virtio_ && isVirtioPort(port)) return virtio_->finishesRequest(port, isWrite);
    return false;
}

const DiskFrontEndCounters& DiskFrontEnd::counters() const {
    static const DiskFrontEndCounters kNone;
    if (ide_) return ide_->counters();
    if (virtio_) return virtio_->counters();
    return kNone;
}

bool DiskFrontEnd::interruptPending() const {
    return (ide_ && ide_->interruptPending()) || (virtio_ && virtio_->interruptPending());
}

}  // namespace ringsim
