#include "memory.h"

#include <algorithm>

namespace ringsim {

PhysicalMemory::PhysicalMemory(uint32_t sizeBytes)
    : bytes_(sizeBytes, 0), flags_(sizeBytes >> isa::kPageShift, 0), decoded_(sizeBytes >> isa::kPageShift) {}

uint32_t PhysicalMemory::pagesInUse(uint32_t base, uint32_t length) const {
    uint32_t used = 0;
    const uint64_t end = std::min<uint64_t>(uint64_t(base) + length, bytes_.size());
    for (uint64_t page = base & ~uint64_t(isa::kPageSize - 1); page < end; page += isa::kPageSize) {
        const uint8_t* p = bytes_.data() + page;
        const uint8_t* pageEnd = p + std::min<uint64_t>(isa::kPageSize, end - page);
        used += std::find_if(p, pageEnd, [](uint8_t b) { return b != 0; }) != pageEnd;
    }
    return used;
}

void PhysicalMemory::setBacked(uint32_t frame, bool backed) {
    if (backed)
        flags_[frame] &= static_cast<uint8_t>(~page_flag::Unbacked);
    else
        flags_[frame] |= page_flag::Unbacked;
}

uint32_t PhysicalMemory::framesBacked(uint32_t base, uint32_t length) const {
    uint32_t backed = 0;
    const uint64_t end = std::min<uint64_t>(uint64_t(base) + length, bytes_.size());
    for (uint64_t page = base & ~uint64_t(isa::kPageSize - 1); page < end; page += isa::kPageSize)
        backed += !(flags_[page >> isa::kPageShift] & page_flag::Unbacked);
    return backed;
}

void PhysicalMemory::write32(uint32_t address, uint32_t value) {
    std::memcpy(bytes_.data() + address, &value, 4);
    if (flags_[address >> isa::kPageShift] & page_flag::HasCode) invalidateCode(address, 4);
}

void PhysicalMemory::write8(uint32_t address, uint8_t value) {
    bytes_[address] = value;
    if (flags_[address >> isa::kPageShift] & page_flag::HasCode) invalidateCode(address, 1);
}

void PhysicalMemory::write(uint32_t address, std::span<const uint8_t> data) {
    if (data.empty()) return;
    std::memcpy(bytes_.data() + address, data.data(), data.size());
    invalidateCode(address, static_cast<uint32_t>(data.size()));
}

void PhysicalMemory::setWatched(uint32_t frame, uint8_t reason, bool watched) {
    if (watched)
        flags_[frame] |= reason;
    else
        flags_[frame] &= static_cast<uint8_t>(~reason);
}

DecodedPage& PhysicalMemory::decodedPage(uint32_t frame) {
    auto& page = decoded_[frame];
    if (!page) {
        page = std::make_unique<DecodedPage>();
        flags_[frame] |= page_flag::HasCode;
    }
    return *page;
}

void PhysicalMemory::invalidateCode(uint32_t address, uint32_t length) {
    // An 8-byte instruction starting one word earlier also covers this range.
    uint32_t first = address >= 4 ? (address - 4) >> 2 : 0;
    uint32_t last = (address + length - 1) >> 2;
    constexpr uint32_t kSlotsPerPage = isa::kPageSize / 4;
    for (uint32_t word = first; word <= last; ++word) {
        auto& page = decoded_[word / kSlotsPerPage];
        if (page) page->slot[word % kSlotsPerPage].op = decoded_op::Undecoded;
    }
}

}  // namespace ringsim
