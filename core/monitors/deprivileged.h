// Ring compression: the guest kernel runs in ring 1 instead of 0, and the
// monitor keeps the privileged state the kernel believes it has — its
// interrupt flag, trap table, page-table base, kernel stack, timer — in a
// virtual CPU. Trap-and-emulate, binary translation and paravirtualisation
// all run the guest this way; they differ in how the guest's privileged
// operations reach the monitor (a fault, a callout, a hypercall).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "cpu-model/decoder.h"
#include "monitors/monitor.h"
#include "monitors/shadow_paging.h"

namespace ringsim {

constexpr uint32_t kMonitorTrapTable = 0x00000800;  // the monitor's own trap table (host-physical)
constexpr uint8_t kGuestKernelRing = 1;

struct VirtualCpu {
    bool interruptsEnabled = false;                       // the IF the guest believes it has
    std::array<uint32_t, isa::kControlRegisterCount> cr{};  // ttb, ptb, ksp, fault, cause, timer as the guest set them
    bool interruptPending = false;                        // a timer tick the guest has not taken yet
    // Ring compression runs the guest's rings 0 and 1 both in real ring 1;
    // this says which of the two the guest is in (set by the monitor's
    // emulated trap entry and return), so that code the guest itself runs
    // in its ring 1 still sees a ring 1 (as real binary translators kept the
    // guest's CPL).
    bool inRing1 = false;
    // The ring the guest believes it is in.
    int virtualRing(int realRing) const { return realRing == kGuestKernelRing ? (inRing1 ? 1 : 0) : realRing; }
    static int realRing(int virtualRing) { return virtualRing <= 1 ? kGuestKernelRing : virtualRing; }
};

class DeprivilegedGuest {
public:
    // `entry`: how the guest kernel's privileged operations reach this
    // monitor (a trap, a translation callout or a hypercall).
    DeprivilegedGuest(Machine& machine, MonitorCounters& counters, Mechanism entry);

    VirtualCpu vcpu;
    DeviceSet devices;  // the VM's virtual devices
    // The guest kernel knows it runs in ring 1 (paravirtualisation): the trap
    // frames made for it say ring 1, as Xen's saved CS does, so that its own
    // iret may return to them. Otherwise they say the ring it believes in, 0.
    bool framesShowRealRing = false;

    // Loads the guest into the VM's partition and starts its kernel in ring 1.
    void boot(const GuestImages& guest, const Partition& partition);

    // Carries out a privileged or sensitive instruction of the guest kernel on
    // the virtual CPU, as ring 0 would have. Returns false if even ring 0
    // would fault (then the caller reflects a general-protection fault).
    bool emulate(Cpu& cpu, const Decoded& d, uint32_t pc);
    // The guest is in its ring 0 (not in its own ring 1, nor above).
    bool inKernelRing(const Cpu& cpu) const { return vcpu.virtualRing(cpu.state.cpl) == 0; }
    // Delivers a trap to the guest kernel's handler, in ring 1, on its stack:
    // through the monitor (reflect_trap), or by the gate the paravirtual
    // kernel registered (Xen's fast system-call path, syscall_entry).
    enum class Reflect { ThroughMonitor, DirectGate };
    void reflect(Cpu& cpu, const Trap& trap, Reflect path = Reflect::ThroughMonitor);
    // Pops a trap frame the way iret would for the guest kernel (virtual ring 0).
    // Returns false if the frame asks for a more privileged ring.
    bool returnFromTrap(Cpu& cpu, uint32_t pc, bool isSysret);
    // A timer tick: delivered if the guest has interrupts on, else kept pending.
    void interrupt(Cpu& cpu, const Trap& trap);
    // The guest set its timer's period (0 stops it).
    void setTimer(Cpu& cpu, uint32_t period);
    // A hardware trap reached the monitor (its trap table is the real one): charged and counted.
    void trapIntoMonitor(Cpu& cpu);
    // Hands a trap the monitor does not handle itself to the guest kernel:
    // an interrupt as a virtual one, anything else reflected.
    void passOn(Cpu& cpu, const Trap& trap) {
        if (trap.kind == CpuEventKind::Interrupt)
            interrupt(cpu, trap);
        else
            reflect(cpu, trap);
    }
    // Delivers a pending tick if the guest has interrupts on now.
    void deliverPending(Cpu& cpu);

    // Virtual devices; the cost of emulating each access is charged to the monitor.
    uint32_t portIn(Cpu& cpu, uint32_t port);
    void portOut(Cpu& cpu, uint32_t port, uint32_t value);

    // The guest's page-table base is `value`, in the virtual CPU and in the
    // real one (the MMU walks the guest's own tables, as paravirt's validated
    // direct paging does). Charges nothing.
    void switchPageTables(Cpu& cpu, uint32_t value);
    // Memory virtualisation by shadow page tables: the guest's page tables are
    // write-watched; each write and each page-table-base load costs the monitor.
    void loadPageTableBase(Cpu& cpu, uint32_t value, uint32_t pc);
    // The guest wrote to one of its page tables: the shadow tables follow.
    // The monitor is charged what `receipt` bills in the event; how the write
    // reached it (a fault, a traced store) is the caller's receipt to write.
    void pageTableWritten(Cpu& cpu, uint32_t physical, const Receipt& receipt);
    // A TLB miss under shadow paging: a hidden fault into the monitor if the
    // shadow entry is not filled yet (the CPU faults on the shadow tables).
    void shadowMiss(Cpu& cpu, uint32_t address, uint32_t pteAddress, uint32_t pc);
    ShadowPageTables shadow;

    void record(EventKind kind, int8_t before, int8_t after, uint32_t pc, const Receipt& receipt, uint32_t detail = 0,
                uint32_t extra = 0, uint32_t cost = 0, uint8_t vector = 0) {
        machine_.record(kind, before, after, pc, receipt, detail, extra, cost, vector);
    }

private:
    // A privileged or sensitive instruction in the guest's own ring 1, as
    // that ring does it on the CPU (false: general protection).
    bool emulateInRing1(Cpu& cpu, const Decoded& d, uint32_t pc);

    Receipt returnReceipt(int ringBefore, int ringAfter) const;

    Machine& machine_;
    MonitorCounters& counters_;
    Mechanism entry_;
};

// A monitor that runs the guest kernel deprivileged in ring 1 (trap-and-emulate,
// binary translation, paravirtualisation): it keeps the guest's virtual CPU
// and virtual devices in a DeprivilegedGuest, which boots the guest and
// serves its console and port I/O for all three.
class DeprivilegedMonitor : public Monitor {
public:
    void start(const GuestImages& guest) override { guest_.boot(guest, partition_); }
    std::string_view consoleText() const override { return guest_.devices.console.text(); }
    bool consoleTruncated() const override { return guest_.devices.console.truncated(); }
    const DeviceSet& guestDevices() const override { return guest_.devices; }
    uint32_t portIn(Cpu& cpu, uint32_t port) override { return guest_.portIn(cpu, port); }
    void portOut(Cpu& cpu, uint32_t port, uint32_t value) override { guest_.portOut(cpu, port, value); }
    void shadowMiss(Cpu& cpu, uint32_t address, uint32_t pteAddress, uint32_t pc) override {
        guest_.shadowMiss(cpu, address, pteAddress, pc);
    }
    // The virtual CPU as the monitor keeps it (the ring from the real one: ring compression).
    std::optional<VirtualCpuState> virtualCpu() const override;
    const DeprivilegedGuest& guest() const { return guest_; }

protected:
    // `entry`: how the guest kernel's privileged operations reach the monitor.
    DeprivilegedMonitor(Machine& machine, Mechanism entry) : Monitor(machine), guest_(machine, counters_, entry) {}
    DeprivilegedGuest guest_;
};

}  // namespace ringsim
