#include "machine/machine.h"

#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "machine/errors.h"

namespace ringsim {

namespace {
uint32_t alignUp(uint64_t v) { return uint32_t((v + isa::kPageSize - 1) & ~uint64_t(isa::kPageSize - 1)); }
}  // namespace

Machine::Machine(const MachineConfig& cfg)
    : config(cfg),
      costs(cfg.costs),
      memory(cfg.memoryBytes),
      events(cfg.eventCapacity),
      cpu(memory, costs, cfg.cpu) {
    devices.disk = BlockDevice(cfg.diskSectors);
    devices.diskFrontEnd.attach(cfg.diskFrontEnd, cfg.diskSectors, cfg.diskBackend);
}

namespace {
// "program 2 (compute.s)": programs are numbered from 1 in messages, as on the command line.
std::string programLabel(const GuestImages& guest, size_t i) {
    if (i < guest.programNames.size()) return fmt::format("program {} ({})", i + 1, guest.programNames[i]);
    return fmt::format("program {}", i + 1);
}

// The placement of every program (missing ones: host processes), checked
// before anything is written.
std::vector<ProgramPlacement> checkedPlacements(const GuestImages& guest, std::span<const ProgramPlacement> given) {
    if (given.size() > guest.programs.size())
        throw InputError(fmt::format("{} program placements for {} programs", given.size(), guest.programs.size()));
    std::vector<ProgramPlacement> placements(given.begin(), given.end());
    placements.resize(guest.programs.size());
    std::map<uint32_t, size_t> weightFrom;  // container -> the first program that set its weight
    for (size_t i = 0; i < placements.size(); ++i) {
        const auto& p = placements[i];
        if (p.weight < kMinContainerWeight || p.weight > kMaxContainerWeight)
            throw InputError(fmt::format("{}: CPU weight {} is outside {}..{} (cgroup cpu.weight; the default is {})",
                                         programLabel(guest, i), p.weight, kMinContainerWeight, kMaxContainerWeight,
                                         kDefaultContainerWeight));
        auto [first, inserted] = weightFrom.emplace(p.container, i);
        if (!inserted && placements[first->second].weight != p.weight)
            throw InputError(fmt::format(
                "{} and {} are both in container {} but give it different CPU weights ({} and {}): a container has "
                "one weight, shared by all its processes",
                programLabel(guest, first->second), programLabel(guest, i), p.container,
                placements[first->second].weight, p.weight));
    }
    return placements;
}
}  // namespace

void Machine::boot(const GuestImages& guest, uint32_t base, uint32_t limit,
                   std::span<const ProgramPlacement> given) {
    const auto placements = checkedPlacements(guest, given);
    if (limit == 0) limit = memory.size() - base;
    const auto& kernel = guest.kernel;
    const uint64_t kernelEnd = uint64_t(kernel.origin) + kernel.image.size();
    auto tooSmall = [&](uint64_t needed) {
        return InputError(fmt::format("memory of {} bytes is too small: the kernel and its programs need at least {} bytes",
                                      limit, needed));
    };
    if (kernelEnd > limit) throw tooSmall(kernelEnd);
    memory.write(base + kernel.origin, kernel.image);

    uint64_t next = alignUp(kernelEnd);
    std::vector<uint32_t> info = {bootinfo::kMagic, limit, 0, uint32_t(guest.programs.size())};
    for (size_t i = 0; i < guest.programs.size(); ++i) {
        const auto& program = guest.programs[i];
        // A process sees the kernel at the kernel's addresses and its program at the program's: the two must not
        // overlap, or the kernel cannot map it (the usual cause: a program without `.org USER_BASE`).
        const uint64_t programEnd = uint64_t(program.origin) + program.image.size();
        if (program.origin < kernelEnd && programEnd > kernel.origin)
            throw InputError(fmt::format(
                "{}: its code is at 0x{:08x}..0x{:08x}, inside the kernel's addresses 0x{:08x}..0x{:08x}; a user "
                "program must be assembled above the kernel: begin it with `.org USER_BASE` (include syscalls.inc)",
                programLabel(guest, i), program.origin, programEnd, kernel.origin, kernelEnd));
        if (next + program.image.size() > limit) throw tooSmall(next + program.image.size());
        memory.write(base + uint32_t(next), program.image);
        static_assert(bootinfo::kProgramEntrySize == 6 * 4 && bootinfo::kProgramContainerOffset == 4 * 4 &&
                      bootinfo::kProgramWeightOffset == 5 * 4);
        info.insert(info.end(), {uint32_t(next), uint32_t(program.image.size()), program.origin, program.entry,
                                 placements[i].container, placements[i].weight});
        next = alignUp(next + program.image.size());
    }
    const uint32_t infoAddress = uint32_t(next);
    const uint64_t firstFree = alignUp(next + info.size() * 4);
    if (firstFree > limit) throw tooSmall(firstFree);
    info[bootinfo::kFirstFreeOffset / 4] = uint32_t(firstFree);
    for (size_t i = 0; i < info.size(); ++i) memory.write32(base + infoAddress + uint32_t(i) * 4, info[i]);

    cpu.setPhysicalWindow(base, limit);
    cpu.reset(kernel.entry);
    cpu.state.r[1] = infoAddress;
}

EventKind toEventKind(CpuEventKind k) {
    switch (k) {
    case CpuEventKind::Syscall: return EventKind::Syscall;
    case CpuEventKind::Fault: return EventKind::Fault;
    case CpuEventKind::Interrupt: return EventKind::Interrupt;
    case CpuEventKind::TrapReturn: return EventKind::TrapReturn;
    case CpuEventKind::SyscallReturn: return EventKind::SyscallReturn;
    case CpuEventKind::SensitiveSilent: return EventKind::SensitiveSilent;
    case CpuEventKind::PortIo: return EventKind::PortIo;
    case CpuEventKind::PageWalk: return EventKind::PageWalk;
    case CpuEventKind::Halt: return EventKind::Halt;
    case CpuEventKind::Count: break;
    }
    return EventKind::Count;
}

void Machine::record(EventKind kind, int8_t ringBefore, int8_t ringAfter, uint32_t pc, const Receipt& receipt,
                     uint32_t detail, uint32_t extra, uint32_t cost, uint8_t vector) {
    Event e;
    e.receipt = receipt;
    e.cycle = cpu.account.now;
    e.pc = pc;
    e.detail = detail;
    e.extra = extra;
    e.cost = cost;
    e.vm = currentGuest;
    e.ringBefore = ringBefore;
    e.ringAfter = ringAfter;
    e.kind = kind;
    e.vector = vector;
    events.record(e);
}

void Machine::recordCpuEvent(const CpuEvent& c) {
    Event e;
    e.cycle = c.cycle;
    e.pc = c.pc;
    e.detail = c.detail;
    e.extra = c.extra;
    e.cost = c.cost;
    e.vm = currentGuest;
    e.ringBefore = c.ringBefore;
    e.ringAfter = c.ringAfter;
    e.kind = toEventKind(c.kind);
    e.vector = c.vector;
    e.receipt = c.receipt;
    events.record(e);
}

}  // namespace ringsim
