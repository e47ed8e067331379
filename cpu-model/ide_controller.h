// An IDE-like disk controller: the driver writes the first sector, the
// count and the command to registers, waits on the status register, and
// moves the data one word per port access; the controller raises one
// interrupt per request (when a read's data is ready, when a write's last
// word is in, or when a command fails). Every one of those accesses is what a
// monitor must emulate: the lesson is their number.
#pragma once

#include <cstdint>
#include <vector>

#include "block_backend.h"

namespace ringsim {

struct DiskFrontEndCounters {
    uint64_t requests = 0;       // commands finished (well or not)
    uint64_t sectors = 0;        // sectors moved for them
    uint64_t errors = 0;         // requests that ended in an error status
    uint64_t interrupts = 0;     // interrupts the device raised
    uint64_t notifications = 0;  // kicks from the driver (virtio-like only)
    uint64_t hostRequests = 0;   // trips to the storage behind: one per IDE request, one per virtio batch
    uint64_t registerAccesses = 0;
};

class IdeController {
public:
    explicit IdeController(BlockBackend& backend) : backend_(backend) {}

    uint32_t in(uint32_t port);
    // Returns the sectors moved to or from the backend by this access.
    uint32_t out(uint32_t port, uint32_t value);
    // Whether the access would carry a request to the backend (asked before it is made).
    bool finishesRequest(uint32_t port, uint32_t value, bool isWrite) const;

    // Raised and not yet acknowledged (reading the status acknowledges it).
    bool interruptPending() const { return interruptPending_; }
    const DiskFrontEndCounters& counters() const { return counters_; }

private:
    uint32_t start(uint32_t command);
    uint32_t finish(uint32_t error, uint32_t sectorsMoved);
    bool lastWriteWord() const {
        return command_ == isa::ide_command::Write && (status_ & isa::ide_status::DataRequest) &&
               word_ + 1 == buffer_.size() / 4;
    }

    BlockBackend& backend_;
    uint32_t sector_ = 0;
    uint32_t count_ = 0;
    uint32_t command_ = 0;
    uint32_t status_ = isa::ide_status::Ready;
    uint32_t error_ = isa::ide_error::None;
    std::vector<uint8_t> buffer_;  // the request's data, moved a word at a time
    size_t word_ = 0;
    bool interruptPending_ = false;
    DiskFrontEndCounters counters_;
};

}  // namespace ringsim
