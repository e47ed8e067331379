// The disk front end a machine (or a VM's virtual devices) has besides the
// old block device: none (the default, so existing runs are untouched), the
// IDE-like controller or the virtio-like block device, over one backend.
// The same guest driver interface reaches either (scenarios/guests/kernel/disk.s).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "block_backend.h"
#include "ide_controller.h"
#include "virtio_block.h"

namespace ringsim {

enum class DiskFrontEndKind : uint8_t { None, Ide, Virtio };
std::string_view diskFrontEndName(DiskFrontEndKind kind);
std::optional<DiskFrontEndKind> diskFrontEndFromName(std::string_view name);

class DiskFrontEnd {
public:
    // A front end of `kind` over `backend`, or over an in-memory disk of
    // `sectors` when no backend is given.
    void attach(DiskFrontEndKind kind, uint32_t sectors, std::shared_ptr<BlockBackend> backend = nullptr);
    DiskFrontEndKind kind() const { return kind_; }
    // Whether the port is one of the front ends' registers (either kind).
    static bool isFrontEndPort(uint32_t port) { return port >= isa::port::VirtioQueueAddress && port <= isa::port::IdeError; }

    struct Access {
        bool known = false;  // false: no front end of the port's kind is attached
        uint32_t value = 0xFFFFFFFFu;
        uint32_t sectorsMoved = 0;
        uint32_t wroteAt = 0;  // guest memory written (window-relative)
        uint32_t wroteBytes = 0;
    };
    Access in(uint32_t port);
    Access out(uint32_t port, uint32_t value, const DmaWindow& window);
    bool finishesRequest(uint32_t port, uint32_t value, bool isWrite) const;

    // Counters of the attached front end; all zero when none is.
    const DiskFrontEndCounters& counters() const;
    bool interruptPending() const;
    BlockBackend* backend() const { return backend_.get(); }

private:
    DiskFrontEndKind kind_ = DiskFrontEndKind::None;
    std::shared_ptr<BlockBackend> backend_;
    std::unique_ptr<IdeController> ide_;
    std::unique_ptr<VirtioBlockDevice> virtio_;
};

}  // namespace ringsim
