#include "monitors/paravirt.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>

#include "machine/errors.h"
#include "machine/hypercalls.h"
#include "monitors/monitor_receipts.h"

namespace ringsim {

using H = HypercallNumber;
using isa::ControlRegister;

bool isParavirtualKernel(const assembler::Program& kernel) {
    auto it = kernel.constants.find("PARAVIRT");
    return it != kernel.constants.end() && it->second != 0;
}

void ParavirtMonitor::start(const GuestImages& guest) {
    if (!isParavirtualKernel(guest.kernel))
        throw InputError(
            "paravirt: this is the unmodified kernel, and paravirtualisation runs only a kernel modified to call the "
            "monitor with hypercalls instead of executing privileged and sensitive instructions. Build the "
            "paravirtual variant of the same source with -D PARAVIRT=1, or run the unmodified kernel with "
            "trap-emulate, binary-translation, emulation or hw-assist.");
    DeprivilegedMonitor::start(guest);
    Cpu& cpu = machine_.cpu;
    // The guest kernel knows it runs in ring 1 and keeps its own interrupt
    // flag, so its returns need no monitor: the CPU may let it iret outward.
    cpu.config.outwardIret = true;
    cpu.setShadowFilling(false);  // direct paging: the MMU walks the guest's validated tables, no shadows
    guest_.framesShowRealRing = true;
    // Where the kernel keeps its shared page, as a Xen domain builder learns
    // from the kernel image's notes; a kernel without one uses the irq hypercalls.
    auto it = guest.kernel.labels.find(std::string(kSharedInfoLabel));
    sharedInfo_ = it == guest.kernel.labels.end() ? 0 : it->second;
    pushSharedInfo(cpu);
}

void ParavirtMonitor::pullSharedInfo(Cpu& cpu) {
    uint32_t mask = 0;
    if (sharedInfo_ && cpu.readPhysical32(sharedInfo_ + kSharedMask, mask)) guest_.vcpu.interruptsEnabled = mask == 0;
}

void ParavirtMonitor::pushSharedInfo(Cpu& cpu) {
    if (!sharedInfo_) return;
    cpu.writePhysical32(sharedInfo_ + kSharedMask, guest_.vcpu.interruptsEnabled ? 0 : 1);
    cpu.writePhysical32(sharedInfo_ + kSharedPending, guest_.vcpu.interruptPending ? 1 : 0);
}

std::optional<VirtualCpuState> ParavirtMonitor::virtualCpu() const {
    auto state = DeprivilegedMonitor::virtualCpu();
    // The guest flips its flag in the shared page without telling the monitor:
    // the page, not the monitor's last copy, is the virtual IF.
    uint32_t mask = 0;
    std::array<uint8_t, 4> bytes{};
    if (state && sharedInfo_ && machine_.cpu.peekGuestPhysical(sharedInfo_ + kSharedMask, bytes) == bytes.size()) {
        mask = uint32_t(bytes[0]) | uint32_t(bytes[1]) << 8 | uint32_t(bytes[2]) << 16 | uint32_t(bytes[3]) << 24;
        state->interruptsEnabled = mask == 0;
    }
    return state;
}

bool ParavirtMonitor::interceptTrap(Cpu& cpu, const Trap& trap) {
    pullSharedInfo(cpu);
    if (trap.kind == CpuEventKind::Syscall) {
        // Xen's fast system-call path: the gate goes straight to the guest
        // kernel's handler; the monitor is not involved.
        guest_.reflect(cpu, trap, DeprivilegedGuest::Reflect::DirectGate);
    } else if (!emulatedDiskPortIo(cpu, trap)) {
        guest_.trapIntoMonitor(cpu);
        guest_.passOn(cpu, trap);
    }
    pushSharedInfo(cpu);
    return true;
}

// Xen emulates a paravirtual kernel's port I/O to the devices it was given
// (emulate_privileged_op): here the disk front ends' registers, each access
// a trap into the monitor as under trap-and-emulate. Any other port stays
// the guest kernel's fault, as before.
bool ParavirtMonitor::emulatedDiskPortIo(Cpu& cpu, const Trap& trap) {
    if (trap.vector != uint8_t(isa::Vector::GeneralProtection) || !guest_.inKernelRing(cpu)) return false;
    Decoded d;
    if (!cpu.fetchInstruction(trap.faultPc, d)) return false;
    const bool portIo = d.op == uint8_t(isa::Opcode::In) || d.op == uint8_t(isa::Opcode::Out);
    if (!portIo || !DiskFrontEnd::isFrontEndPort(d.imm)) return false;
    const auto& costs = machine_.costs;
    guest_.trapIntoMonitor(cpu);
    cpu.charge(CycleCategory::Monitor, costs.emulatePrivileged);
    ++counters_.emulated;
    guest_.record(EventKind::SensitiveTrapped, int8_t(cpu.ring()), 0, trap.faultPc,
                  roundTrip(Mechanism::TrapToMonitor, cpu.ring(), 0)
                      .in(&Costs::monitorTrap, costs.monitorTrap)
                      .in(&Costs::emulatePrivileged, costs.emulatePrivileged),
                  d.op, 0, costs.monitorTrap + costs.emulatePrivileged);
    return guest_.emulate(cpu, d, trap.faultPc);
}

void ParavirtMonitor::isolationViolation(Cpu& cpu, uint32_t pc, uint32_t address) {
    record(EventKind::IsolationViolation, int8_t(cpu.ring()), int8_t(cpu.ring()), pc, isolationReceipt(cpu.ring(), 0),
           address);
}

uint32_t ParavirtMonitor::mmuUpdate(Cpu& cpu, uint32_t list, uint32_t count, uint32_t pc) {
    // Each (page-table-entry address, value) pair is checked before it is
    // written: the entry must lie in the VM's memory and map only the VM's memory.
    if (count > kMaxMmuUpdatesPerCall) return 0xFFFFFFFFu;
    uint32_t done = 0;
    for (; done < count; ++done) {
        uint32_t where = 0, value = 0;
        if (!cpu.readVirtual32(list + done * 8, where, pc) || !cpu.readVirtual32(list + done * 8 + 4, value, pc))
            return 0xFFFFFFFFu;  // the fault was reflected to the guest
        const bool mapsOutside = (value & isa::pte::Present) && (value & isa::pte::FrameMask) >= cpu.windowLimit();
        if (mapsOutside || !cpu.writePhysical32(where, value)) {
            isolationViolation(cpu, pc, mapsOutside ? (value & isa::pte::FrameMask) : where);
            return 0xFFFFFFFFu;
        }
        cpu.charge(CycleCategory::Monitor, machine_.costs.emulatePrivileged);
        // Only what this entry translated can be stale, as after a native store and invlpg.
        cpu.flushTlbEntriesThrough(where);
    }
    counters_.shadowUpdates += done;
    return done;
}

uint32_t ParavirtMonitor::consoleWrite(Cpu& cpu, uint32_t buffer, uint32_t length, uint32_t stream) {
    if (length > kMaxConsoleBytesPerCall) return 0xFFFFFFFFu;
    auto& console = guest_.devices.console;
    const uint32_t before = console.selected();
    console.select(stream);
    uint32_t i = 0;
    for (; i < length; ++i) {
        uint32_t physical = 0;
        if (!cpu.peekTranslate(buffer + i, physical)) break;
        // Each byte costs what one console `out` costs every other virtual
        // machine: the batch saves the trips into the monitor, not the device work.
        guest_.portOut(cpu, isa::port::ConsoleData, cpu.memory().read8(physical));
    }
    console.select(before);
    return i;
}

uint32_t ParavirtMonitor::blockIo(Cpu& cpu, uint32_t op, uint32_t sector, uint32_t buffer, uint32_t sectors) {
    DmaWindow dma{&cpu.memory(), cpu.windowBase(), cpu.windowLimit()};
    auto& disk = guest_.devices.disk;
    if (sectors > disk.sectorCount()) return 0xFFFFFFFFu;
    uint32_t moved = 0;
    for (uint32_t i = 0; i < sectors; ++i) {
        disk.write(isa::port::BlockSector, sector + i, dma);
        disk.write(isa::port::BlockAddress, buffer + i * isa::kSectorSize, dma);
        moved += disk.write(isa::port::BlockCommand, op, dma);
        if (disk.read(isa::port::BlockStatus) != 0) break;
    }
    cpu.charge(CycleCategory::Monitor, machine_.costs.emulatedIo);
    cpu.charge(CycleCategory::Device, machine_.costs.ioPort + uint64_t(moved) * machine_.costs.blockSector);
    return moved == sectors ? moved : 0xFFFFFFFFu;
}

bool ParavirtMonitor::hypercall(Cpu& cpu, uint32_t number) {
    // Hypercalls are the guest kernel's (Xen refuses them from guest user
    // mode): from any other ring the instruction is what it is on bare
    // hardware, an invalid opcode, which the CPU raises when this refuses.
    if (!guest_.inKernelRing(cpu)) return false;
    pullSharedInfo(cpu);
    uint32_t* r = cpu.state.r.data();
    const uint32_t pc = cpu.state.pc - 8;  // the hcall, already retired by the CPU
    const auto& costs = machine_.costs;
    const int8_t ring = int8_t(cpu.ring());
    cpu.charge(CycleCategory::Monitor, costs.hypercall);
    ++counters_.hypercalls[number];
    HypercallRecord call;
    call.cycle = cpu.account.now;
    call.event = machine_.events.total();
    call.pc = pc;
    call.number = number;
    call.vm = machine_.currentGuest;
    std::copy(r + 1, r + 5, call.arguments.begin());
    record(EventKind::Hypercall, ring, 0, pc, hypercallReceipt(number, ring), number, r[1], costs.hypercall);
    serve(cpu, number, pc);
    pushSharedInfo(cpu);
    call.results = {r[0], r[1]};
    call.cost = uint32_t(cpu.account.now - call.cycle + costs.hypercall);
    calls_.record(call);
    return true;
}

Receipt ParavirtMonitor::hypercallReceipt(uint32_t number, int ring) const {
    const auto& costs = machine_.costs;
    const uint32_t* r = machine_.cpu.state.r.data();
    // The iret hypercall leaves through the return event that follows.
    Receipt receipt = number == uint32_t(H::Iret)
                          ? Receipt(Mechanism::Hypercall).via(ring, Actor::Kernel).via(0, Actor::Monitor)
                          : roundTrip(Mechanism::Hypercall, ring, 0);
    receipt.in(&Costs::hypercall, costs.hypercall);
    // What serving it will charge, as the request asks (serve() charges it).
    switch (static_cast<H>(number)) {
    case H::ConsoleWrite:  // per byte, as each console `out` costs the other virtual machines
        receipt.apart(&Costs::emulatedIo, costs.emulatedIo, r[2]).apart(&Costs::ioPort, costs.ioPort, r[2]);
        break;
    case H::BlockIo:
        receipt.apart(&Costs::emulatedIo, costs.emulatedIo).apart(&Costs::ioPort, costs.ioPort);
        receipt.apart(&Costs::blockSector, costs.blockSector, r[4]);
        break;
    case H::MmuUpdate: receipt.apart(&Costs::emulatePrivileged, costs.emulatePrivileged, r[2]); break;
    default: break;
    }
    return receipt;
}

void ParavirtMonitor::serve(Cpu& cpu, uint32_t number, uint32_t pc) {
    uint32_t* r = cpu.state.r.data();
    auto& v = guest_.vcpu;
    switch (static_cast<H>(number)) {
    case H::SetTrapTable: v.cr[size_t(ControlRegister::TrapTableBase)] = r[1]; r[0] = 0; break;
    case H::SetPageTableBase:
        // Direct paging: the guest's own tables are used once validated; no shadows to keep.
        guest_.switchPageTables(cpu, r[1]);
        r[0] = 0;
        break;
    case H::MmuUpdate: r[0] = mmuUpdate(cpu, r[1], r[2], pc); break;
    case H::IrqEnable:
        v.interruptsEnabled = true;
        guest_.deliverPending(cpu);
        break;
    case H::IrqDisable: v.interruptsEnabled = false; break;
    case H::IrqSave:
        r[0] = v.interruptsEnabled ? 1 : 0;
        v.interruptsEnabled = false;
        break;
    case H::IrqRestore:
        v.interruptsEnabled = r[1] != 0;
        guest_.deliverPending(cpu);
        break;
    case H::ConsoleWrite: r[0] = consoleWrite(cpu, r[1], r[2], r[3]); break;
    case H::BlockIo: r[0] = blockIo(cpu, r[1], r[2], r[3], r[4]); break;
    case H::Yield:
        v.interruptsEnabled = true;
        if (v.interruptPending)
            guest_.deliverPending(cpu);
        else
            cpu.waitForInterrupt(pc);
        break;
    case H::Halt: cpu.powerOff(fmt::format("the guest asked the monitor to halt at cycle {}, pc {:#010x}", cpu.account.now, pc)); break;
    case H::SetTimer:
        v.cr[size_t(ControlRegister::TimerPeriod)] = r[1];
        guest_.setTimer(cpu, r[1]);
        break;
    case H::SetKernelStack: v.cr[size_t(ControlRegister::KernelStack)] = r[1]; break;
    case H::Iret:
        if (!guest_.returnFromTrap(cpu, pc, false))
            guest_.reflect(cpu, Trap{uint8_t(isa::Vector::GeneralProtection), pc, pc, 0, CpuEventKind::Fault});
        break;
    case H::FlushTlb:
        if (r[1] == 0xFFFFFFFFu)
            cpu.flushTlb();
        else
            cpu.flushTlbEntry(r[1]);
        break;
    case H::ReadClock:
        r[0] = uint32_t(cpu.account.now);
        r[1] = uint32_t(cpu.account.now >> 32);
        break;
    case H::ReadFault:
        r[0] = v.cr[size_t(ControlRegister::FaultAddress)];
        r[1] = v.cr[size_t(ControlRegister::FaultCause)];
        break;
    default: r[0] = 0xFFFFFFFFu;  // no such hypercall
    }
}

}  // namespace ringsim
