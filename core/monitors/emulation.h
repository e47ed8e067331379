// Full emulation (QEMU's approach): every guest instruction, user and
// kernel, goes through the emulator, which translates blocks and runs them
// on an emulated CPU with emulated devices. Any guest runs correctly — the
// emulated CPU is a whole machine with its own ring 0 — at the highest cost.
#pragma once

#include "monitors/translator.h"

namespace ringsim {

class EmulationMonitor : public Monitor {
public:
    explicit EmulationMonitor(Machine& machine) : Monitor(machine), translator_(machine, counters_, true) {
        devices_.disk = BlockDevice(machine.config.diskSectors);
        devices_.nic = machine.nic;
        devices_.diskFrontEnd.attach(machine.config.diskFrontEnd, machine.config.diskSectors, machine.config.diskBackend);
    }
    Mode mode() const override { return Mode::Emulation; }
    void start(const GuestImages& guest) override;
    std::string_view consoleText() const override { return devices_.console.text(); }
    bool consoleTruncated() const override { return devices_.console.truncated(); }
    const DeviceSet& guestDevices() const override { return devices_; }

    // The translated blocks, for inspection (the GUI's translation cache view).
    const TranslationCache* translationCache() const override { return &translator_.cache; }

    void blockEntry(Cpu& cpu, uint32_t pc, bool chained) override;
    void watchedWrite(Cpu& cpu, uint32_t physical, uint32_t length) override {
        translator_.codeWritten(cpu, physical, length);
    }
    uint32_t portIn(Cpu& cpu, uint32_t port) override;
    void portOut(Cpu& cpu, uint32_t port, uint32_t value) override;

private:
    Translator translator_;
    DeviceSet devices_;
};

}  // namespace ringsim
