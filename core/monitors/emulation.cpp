#include "monitors/emulation.h"

#include "monitors/deprivileged.h"
#include "monitors/native.h"

namespace ringsim {

void EmulationMonitor::start(const GuestImages& guest) {
    bootInPartition(guest);
    machine_.cpu.setTranslation(Cpu::kAllRings, -1);
    machine_.cpu.setSoftwareMachine(true);
}

void EmulationMonitor::blockEntry(Cpu& cpu, uint32_t pc, bool chained) {
    if (const TranslatedBlock* block = translator_.enter(cpu, pc, chained)) {
        // Running the block costs the emulator's work for each instruction in
        // it, and a helper call for each sensitive one (QEMU calls out of the
        // generated code for control-register writes, iret, cli and the like).
        cpu.charge(CycleCategory::Translation, uint64_t(block->instructions) * machine_.costs.emuPerInsn +
                                                   uint64_t(block->rewritten) * machine_.costs.emuHelper);
    }
}

uint32_t EmulationMonitor::portIn(Cpu& cpu, uint32_t port) {
    return devicePortIn(cpu, devices_, port, machine_.costs.emulatedIo);
}

void EmulationMonitor::portOut(Cpu& cpu, uint32_t port, uint32_t value) {
    devicePortOut(cpu, devices_, port, value, machine_.costs.emulatedIo);
}

}  // namespace ringsim
