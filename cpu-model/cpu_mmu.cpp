// The MMU: a direct-mapped TLB in front of a two-level page walk. Guest
// "physical" addresses are offsets into the CPU's physical window (all of
// memory natively, a VM's partition under a monitor).
#include <algorithm>
#include <cstring>
#include <optional>

#include "cpu.h"

namespace ringsim {

namespace {
constexpr uint32_t kOffsetMask = isa::kPageSize - 1;
}

void Cpu::updateAccessMasks() {
    const bool user = state.cpl == 3;
    loadNeed_ = user ? kPermUser : 0;
    storeNeed_ = kPermFastWrite | (user ? kPermUser : 0);
}

void Cpu::privilegeOrMappingChanged() {
    updateAccessMasks();
    fetchBase_ = kNoTag;  // the cached code page was checked for the old ring / mapping
    if (translateRing_ >= 0 && translationActive() != runningTranslated_) restyle_ = true;
    account.setRunning(state.cpl == 3 ? CycleCategory::GuestUser : CycleCategory::GuestKernel);
    recomputeDeadline();
}

void Cpu::flushTlb() {
    for (auto& e : tlb_) e.tag = kNoTag;
    fetchBase_ = kNoTag;
    ++stats_.tlbFlushes;
}

void Cpu::loadPageTableBase(uint32_t value) {
    state.cr[size_t(isa::ControlRegister::PageTableBase)] = value;
    flushTlb();
    privilegeOrMappingChanged();
}

void Cpu::flushTlbEntry(uint32_t address) {
    auto& e = tlb_[(address >> isa::kPageShift) & (kTlbSize - 1)];
    if (e.tag == address >> isa::kPageShift) e.tag = kNoTag;
    fetchBase_ = kNoTag;
}

void Cpu::flushTlbEntriesThrough(uint32_t entry) {
    const uint32_t directory = state.cr_(isa::ControlRegister::PageTableBase) & isa::pte::FrameMask;
    for (auto& e : tlb_) {
        if (e.tag == kNoTag) continue;
        const uint32_t directoryEntry = directory + (e.tag >> 10) * 4;
        uint32_t pde = 0;
        const bool through = directoryEntry == entry ||
                             (readGuestPhysical32(directoryEntry, pde) &&
                              (pde & isa::pte::FrameMask) + (e.tag & 0x3FF) * 4 == entry);
        if (through) e.tag = kNoTag;
    }
    fetchBase_ = kNoTag;
}

void Cpu::dropFastWrite(uint32_t frame) {
    for (auto& e : tlb_)
        if (e.tag != kNoTag && e.frame == frame) e.perm &= ~kPermFastWrite;
}

bool Cpu::readGuestPhysical32(uint32_t address, uint32_t& value) {
    if ((address & 3) || uint64_t(address) + 4 > windowLimit_) return false;
    value = memory_.read32(windowBase_ + address);
    return true;
}

Cpu::TlbEntry* Cpu::translate(uint32_t address, Access access, uint32_t faultPc) {
    const uint32_t vpn = address >> isa::kPageShift;
    const bool user = state.cpl == 3;
    TlbEntry& e = tlb_[vpn & (kTlbSize - 1)];
    if (e.tag != vpn) {
        uint32_t guestFrame = vpn;
        uint32_t perm = kPermUser | kPermWrite;
        std::optional<uint32_t> walkedEntry;  // the guest's page-table entry that mapped the address
        if (state.pagingEnabled()) {
            ++stats_.tlbMisses;
            stats_.pageWalkRefs += walkRefs_;
            account.charge(CycleCategory::PageWalk, uint64_t(walkRefs_) * costs_.pageWalkRef);
            if (softwareMachine_) account.charge(CycleCategory::Translation, costs_.emuTlbFill);
            const uint32_t directory = state.cr_(isa::ControlRegister::PageTableBase) & isa::pte::FrameMask;
            const uint32_t pdeAddress = directory + (vpn >> 10) * 4;
            uint32_t pde = 0, pte = 0;
            if (!readGuestPhysical32(pdeAddress, pde)) {
                raiseFault(isa::Vector::BusError, faultPc, pdeAddress);
                return nullptr;
            }
            const uint32_t cause = (user ? isa::fault_cause::User : 0) |
                                   (access == Access::Write ? isa::fault_cause::Write : 0) |
                                   (access == Access::Fetch ? isa::fault_cause::Fetch : 0);
            if (!(pde & isa::pte::Present)) {
                raisePageFault(address, cause, faultPc);
                return nullptr;
            }
            const uint32_t pteAddress = (pde & isa::pte::FrameMask) + (vpn & 0x3FF) * 4;
            if (!readGuestPhysical32(pteAddress, pte)) {
                raiseFault(isa::Vector::BusError, faultPc, pteAddress);
                return nullptr;
            }
            if (!(pte & isa::pte::Present)) {
                raisePageFault(address, cause, faultPc);
                return nullptr;
            }
            const uint32_t both = pde & pte;
            perm = ((both & isa::pte::User) ? kPermUser : 0) | ((both & isa::pte::Writable) ? kPermWrite : 0);
            guestFrame = pte >> isa::kPageShift;
            walkedEntry = pteAddress;
            emit(CpuEventKind::PageWalk, int8_t(ring()), int8_t(ring()), 0, faultPc, walkReceipt(), address, walkRefs_);
        }
        if ((uint64_t(guestFrame) + 1) << isa::kPageShift > windowLimit_) {
            // The address the access reached, not its page: what a reader of the fault needs.
            raiseFault(isa::Vector::BusError, faultPc, (guestFrame << isa::kPageShift) | (address & kOffsetMask));
            return nullptr;
        }
        if (walkedEntry && shadowFilling_ && hooks_) hooks_->shadowMiss(*this, address, *walkedEntry, faultPc);
        const uint32_t frame = (windowBase_ >> isa::kPageShift) + guestFrame;
        if ((memory_.pageFlags(frame) & page_flag::Unbacked) && hooks_) hooks_->unbackedFrame(*this, guestFrame, faultPc);
        if ((perm & kPermWrite) && memory_.pageFlags(frame) == 0) perm |= kPermFastWrite;
        e = TlbEntry{vpn, perm, memory_.data() + (size_t(frame) << isa::kPageShift), frame};
    }
    const bool denied = (user && !(e.perm & kPermUser)) || (access == Access::Write && !(e.perm & kPermWrite));
    if (denied) {
        raisePageFault(address,
                       isa::fault_cause::Present | (user ? isa::fault_cause::User : 0) |
                           (access == Access::Write ? isa::fault_cause::Write : 0) |
                           (access == Access::Fetch ? isa::fault_cause::Fetch : 0),
                       faultPc);
        return nullptr;
    }
    return &e;
}

bool Cpu::loadSlow(uint32_t address, uint32_t size, uint32_t& value, uint32_t faultPc) {
    if (size == 4 && (address & 3)) {
        raiseFault(isa::Vector::Alignment, faultPc, address);
        return false;
    }
    TlbEntry* e = translate(address, Access::Read, faultPc);
    if (!e) return false;
    if (size == 4)
        std::memcpy(&value, e->host + (address & kOffsetMask), 4);
    else
        value = e->host[address & kOffsetMask];
    return true;
}

bool Cpu::storeSlow(uint32_t address, uint32_t size, uint32_t value, uint32_t faultPc) {
    if (size == 4 && (address & 3)) {
        raiseFault(isa::Vector::Alignment, faultPc, address);
        return false;
    }
    TlbEntry* e = translate(address, Access::Write, faultPc);
    if (!e) return false;
    const uint32_t physical = (e->frame << isa::kPageShift) | (address & kOffsetMask);
    if (size == 4)
        memory_.write32(physical, value);
    else
        memory_.write8(physical, uint8_t(value));
    if ((memory_.pageFlags(e->frame) & page_flag::Watched) && hooks_)
        hooks_->watchedWrite(*this, physical - windowBase_, size);
    return true;
}

bool Cpu::writePhysical32(uint32_t address, uint32_t value) {
    if ((address & 3) || uint64_t(address) + 4 > windowLimit_) return false;
    memory_.write32(windowBase_ + address, value);
    return true;
}

bool Cpu::readVirtual32(uint32_t address, uint32_t& value, uint32_t faultPc) {
    return loadSlow(address, 4, value, faultPc);
}

bool Cpu::writeVirtual32(uint32_t address, uint32_t value, uint32_t faultPc) {
    return storeSlow(address, 4, value, faultPc);
}

bool Cpu::peekTranslate(uint32_t address, uint32_t& physical) const {
    uint32_t guest = address;
    if (state.pagingEnabled()) {
        auto read = [&](uint32_t a, uint32_t& v) {
            if ((a & 3) || uint64_t(a) + 4 > windowLimit_) return false;
            v = memory_.read32(windowBase_ + a);
            return true;
        };
        const uint32_t vpn = address >> isa::kPageShift;
        uint32_t pde = 0, pte = 0;
        const uint32_t directory = state.cr_(isa::ControlRegister::PageTableBase) & isa::pte::FrameMask;
        if (!read(directory + (vpn >> 10) * 4, pde) || !(pde & isa::pte::Present)) return false;
        if (!read((pde & isa::pte::FrameMask) + (vpn & 0x3FF) * 4, pte) || !(pte & isa::pte::Present)) return false;
        guest = (pte & isa::pte::FrameMask) | (address & kOffsetMask);
    }
    if (guest >= windowLimit_) return false;
    physical = windowBase_ + guest;
    return true;
}

size_t Cpu::peekVirtual(uint32_t address, std::span<uint8_t> out) const {
    size_t done = 0;
    while (done < out.size()) {
        const uint32_t at = address + uint32_t(done);
        uint32_t physical = 0;
        if (!peekTranslate(at, physical)) break;
        // The rest of this page, at most.
        const size_t n = std::min<size_t>(out.size() - done, isa::kPageSize - (at & kOffsetMask));
        if (!memory_.contains(physical, uint32_t(n))) break;
        std::memcpy(out.data() + done, memory_.data() + physical, n);
        done += n;
    }
    return done;
}

size_t Cpu::peekGuestPhysical(uint32_t address, std::span<uint8_t> out) const {
    if (address >= windowLimit_) return 0;
    const size_t n = std::min<size_t>(out.size(), windowLimit_ - address);
    if (!memory_.contains(uint64_t(windowBase_) + address, uint32_t(n))) return 0;
    std::memcpy(out.data(), memory_.data() + windowBase_ + address, n);
    return n;
}

void Cpu::raiseFault(isa::Vector v, uint32_t faultPc, uint32_t address) {
    raise(Trap{uint8_t(v), faultPc, faultPc, address, CpuEventKind::Fault});
}

void Cpu::raisePageFault(uint32_t address, uint32_t cause, uint32_t faultPc) {
    state.cr[size_t(isa::ControlRegister::FaultAddress)] = address;
    state.cr[size_t(isa::ControlRegister::FaultCause)] = cause;
    raiseFault(isa::Vector::PageFault, faultPc, address);
}

void Cpu::deviceWrote(uint32_t physical, uint32_t length) {
    if (!hooks_ || !length) return;
    // Page by page: each watched page is told of the part of the write that fell on it.
    uint64_t at = physical;
    const uint64_t end = uint64_t(physical) + length;
    while (at < end) {
        const uint64_t pageEnd = std::min<uint64_t>(end, (at | kOffsetMask) + 1);
        const uint32_t frame = uint32_t((windowBase_ + at) >> isa::kPageShift);
        if (memory_.pageFlags(frame) & page_flag::Watched)
            hooks_->watchedWrite(*this, uint32_t(at), uint32_t(pageEnd - at));
        at = pageEnd;
    }
}

}  // namespace ringsim
