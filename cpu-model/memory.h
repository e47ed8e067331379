// Physical memory, with the CPU's pre-decode cache kept beside it so that any
// write (by the CPU or by a device's DMA) drops stale decoded instructions.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include "isa.h"

namespace ringsim {

// One pre-decoded instruction slot (one per 4-byte word of a code page).
struct Decoded {
    uint8_t op = 0;  // opcode byte, or one of the special values below
    uint8_t a = 0, b = 0, c = 0;
    uint32_t imm = 0;
    uint16_t cycles = 0;
    uint8_t length = 0;
    uint8_t info = 0;  // kEndsBlock | kDirectBranch | class << 4
};
namespace decoded_op {
constexpr uint8_t Undecoded = 0xFF;
constexpr uint8_t Invalid = 0xFE;     // raises invalid-opcode when executed
constexpr uint8_t SpansPage = 0xFD;   // an 8-byte instruction whose immediate lies on the next page
constexpr uint8_t FirstSpecial = 0xFD;
}  // namespace decoded_op
constexpr uint8_t kEndsBlock = 1;
constexpr uint8_t kDirectBranch = 2;  // its target is in the instruction (a chainable block end)

struct DecodedPage {
    Decoded slot[isa::kPageSize / 4];
    DecodedPage() {
        for (auto& s : slot) s.op = decoded_op::Undecoded;
    }
};

// Page flags that make stores take the slow path.
namespace page_flag {
constexpr uint8_t HasCode = 1;        // instructions were decoded from this page
constexpr uint8_t WatchedTables = 2;  // a monitor shadows page tables on this page
constexpr uint8_t WatchedCode = 4;    // a monitor translated code from this page
constexpr uint8_t Watched = WatchedTables | WatchedCode;  // a monitor hears of writes here
constexpr uint8_t Unbacked = 8;      // a VM's frame its monitor has not backed with host memory yet
}  // namespace page_flag

class PhysicalMemory {
public:
    explicit PhysicalMemory(uint32_t sizeBytes);

    uint32_t size() const { return static_cast<uint32_t>(bytes_.size()); }
    uint32_t pageCount() const { return size() >> isa::kPageShift; }
    bool contains(uint64_t address, uint32_t length = 1) const { return address + length <= bytes_.size(); }

    uint8_t* data() { return bytes_.data(); }
    const uint8_t* data() const { return bytes_.data(); }

    // Checked accesses (callers check contains() first). Writes drop decoded code.
    uint32_t read32(uint32_t address) const {
        uint32_t v;
        std::memcpy(&v, bytes_.data() + address, 4);
        return v;
    }
    uint8_t read8(uint32_t address) const { return bytes_[address]; }
    void write32(uint32_t address, uint32_t value);
    void write8(uint32_t address, uint8_t value);
    void write(uint32_t address, std::span<const uint8_t> data);

    // Pages in [base, base + length) holding anything but zeros: the memory a
    // guest has actually put to use (footprints).
    uint32_t pagesInUse(uint32_t base, uint32_t length) const;

    uint8_t pageFlags(uint32_t frame) const { return flags_[frame]; }
    // Sets or clears one of the Watched reasons (page_flag::WatchedTables / WatchedCode).
    void setWatched(uint32_t frame, uint8_t reason, bool watched);
    // Lazily backed guest memory: an Unbacked frame is one the monitor has not
    // given a host frame yet (its first touch is the monitor's to serve).
    void setBacked(uint32_t frame, bool backed);
    // Frames in [base, base + length) that are not Unbacked.
    uint32_t framesBacked(uint32_t base, uint32_t length) const;

    // The decoded page for a frame, created on first use (marks the page HasCode).
    DecodedPage& decodedPage(uint32_t frame);
    // Drops decoded instructions covering [address, address + length).
    void invalidateCode(uint32_t address, uint32_t length);

private:
    std::vector<uint8_t> bytes_;
    std::vector<uint8_t> flags_;
    std::vector<std::unique_ptr<DecodedPage>> decoded_;
};

}  // namespace ringsim
