// A virtio-like block device: requests lie on a shared ring in the guest's
// memory (shared_ring.h), each a chain { header: type, sector } -> data
// buffers (whole sectors) -> a status word the device fills. The driver puts
// a batch on the ring and kicks the device once (Notify); the device serves
// every request there, keeps the driver from kicking while it works
// (NoNotify in the used ring), and raises one interrupt for the batch unless
// the driver asked for none. Its registers are touched to set the queue up
// and once per batch, not once per word.
#pragma once

#include <cstdint>

#include "block_backend.h"
#include "ide_controller.h"
#include "shared_ring.h"

namespace ringsim {

class VirtioBlockDevice {
public:
    explicit VirtioBlockDevice(BlockBackend& backend) : backend_(backend) {}

    uint32_t in(uint32_t port);
    // Returns the sectors moved to or from the backend by this access.
    uint32_t out(uint32_t port, uint32_t value, const DmaWindow& window);
    // Whether the access would carry requests to the backend (asked before it is made).
    bool finishesRequest(uint32_t port, bool isWrite) const {
        return isWrite && port == isa::port::VirtioNotify && ring_.pending() != 0;
    }
    // Guest memory the last access wrote (window-relative), 0 bytes if none.
    SharedRing::Written takeWritten() { return ring_.takeWritten(); }

    bool interruptPending() const { return interruptStatus_ != 0; }
    const SharedRing& ring() const { return ring_; }
    const DiskFrontEndCounters& counters() const { return counters_; }

private:
    uint32_t serveAvailable();
    // Serves one request; returns the sectors it moved, sets `status` for the guest.
    uint32_t serve(const SharedRing::Chain& chain, uint32_t& status, uint32_t& written);
    void raise(uint32_t bits);

    BlockBackend& backend_;
    SharedRing ring_;
    uint32_t queueSize_ = isa::virtio_block::kMaxQueueSize;
    uint32_t interruptStatus_ = 0;
    DiskFrontEndCounters counters_;
};

}  // namespace ringsim
