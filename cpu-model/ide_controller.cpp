#include "ide_controller.h"

#include <cstring>

namespace ringsim {

using namespace isa;

uint32_t IdeController::in(uint32_t port) {
    ++counters_.registerAccesses;
    switch (port) {
    case port::IdeStatus:
        interruptPending_ = false;  // as ATA's status register: reading it acknowledges
        return status_;
    case port::IdeSectors: return backend_.sectorCount();
    case port::IdeError: return error_;
    case port::IdeData: {
        if (command_ != ide_command::Read || !(status_ & ide_status::DataRequest)) return 0xFFFFFFFFu;
        uint32_t v;
        std::memcpy(&v, buffer_.data() + word_ * 4, 4);
        if (++word_ == buffer_.size() / 4) status_ = ide_status::Ready;  // the last word: the request is over
        return v;
    }
    default: return 0xFFFFFFFFu;
    }
}

uint32_t IdeController::out(uint32_t port, uint32_t value) {
    ++counters_.registerAccesses;
    switch (port) {
    case port::IdeSector: sector_ = value; return 0;
    case port::IdeCount: count_ = value; return 0;
    case port::IdeCommand: return start(value);
    case port::IdeData: {
        if (command_ != ide_command::Write || !(status_ & ide_status::DataRequest)) return 0;
        std::memcpy(buffer_.data() + word_ * 4, &value, 4);
        if (++word_ < buffer_.size() / 4) return 0;
        ++counters_.hostRequests;
        const bool stored = backend_.write(sector_, buffer_);
        return finish(stored ? ide_error::None : ide_error::Backend, stored ? count_ : 0);
    }
    default: return 0;
    }
}

uint32_t IdeController::start(uint32_t command) {
    command_ = command;
    word_ = 0;
    if (command != ide_command::Read && command != ide_command::Write) return finish(ide_error::BadCommand, 0);
    if (count_ > kIdeMaxCount || !sectorsOnDisk(backend_.sectorCount(), sector_, count_))
        return finish(ide_error::PastEnd, 0);
    buffer_.assign(size_t(count_) * kSectorSize, 0);
    error_ = ide_error::None;
    if (command == ide_command::Write) {  // the data comes first, word by word
        status_ = ide_status::Ready | ide_status::DataRequest;
        return 0;
    }
    ++counters_.hostRequests;
    if (!backend_.read(sector_, buffer_)) return finish(ide_error::Backend, 0);
    const uint32_t moved = finish(ide_error::None, count_);
    status_ = ide_status::Ready | ide_status::DataRequest;  // now the driver takes the words
    return moved;
}

uint32_t IdeController::finish(uint32_t error, uint32_t sectorsMoved) {
    error_ = error;
    status_ = ide_status::Ready | (error ? ide_status::Error : 0);
    ++counters_.requests;
    counters_.sectors += sectorsMoved;
    if (error) ++counters_.errors;
    ++counters_.interrupts;
    interruptPending_ = true;
    return sectorsMoved;
}

bool IdeController::finishesRequest(uint32_t port, uint32_t value, bool isWrite) const {
    if (!isWrite) return false;
    if (port == port::IdeCommand)
        return value == ide_command::Read && count_ <= kIdeMaxCount &&
               sectorsOnDisk(backend_.sectorCount(), sector_, count_);
    return port == port::IdeData && lastWriteWord();
}

}  // namespace ringsim
