// The virtual CPU beside the real one: what the guest kernel believes its CPU
// is, as its monitor keeps it, against the real CPU. Trap-and-emulate's flaw
// is the lesson: at the tour's popf stop the kernel believes its interrupts
// are off, and the real CPU has them on.
#include <catch2/catch.hpp>
#include <set>

#include "bundled_guest.h"
#include "lesson/tour_run.h"
#include "lesson/virtual_cpu_view.h"
#include "monitors/deprivileged.h"
#include "monitors/paravirt.h"
#include "run/session.h"
#include "scenario/scenario.h"
#include "scenario/scenario_images.h"

using namespace ringsim;

namespace {

const std::string kFlaw = std::string(RINGSIM_DATA_DIR) + "/scenarios/02-trap-emulate-flaw.yaml";

const VirtualCpuRow& row(const VirtualCpuView& view, std::string_view name) {
    for (const VirtualCpuRow& r : view.rows)
        if (r.name == name) return r;
    FAIL("no row " << name);
    return view.rows.front();
}

Monitor& runningMonitor(Session& session) {
    VmHost* host = session.host();
    return host ? host->monitor(host->current()) : *session.monitor();
}

// The state as DeprivilegedMonitor's vcpu holds it, field by field; the
// paravirtual kernel's IF as its shared page holds it (it changes it there
// without the monitor).
void checkMatchesVcpu(Session& session) {
    const auto* monitor = dynamic_cast<const DeprivilegedMonitor*>(&runningMonitor(session));
    REQUIRE(monitor);
    const VirtualCpu& v = monitor->guest().vcpu;
    const std::optional<VirtualCpuState> state = monitor->virtualCpu();
    REQUIRE(state);
    using isa::ControlRegister;
    auto cr = [&](ControlRegister c) { return v.cr[size_t(c)]; };
    CHECK(state->holder == VirtualCpuState::Holder::Monitor);
    bool interruptsEnabled = v.interruptsEnabled;
    if (const auto* pv = dynamic_cast<const ParavirtMonitor*>(monitor); pv && pv->sharedInfo()) {
        uint32_t mask = 1;
        REQUIRE(session.machine().cpu.readPhysical32(pv->sharedInfo() + ParavirtMonitor::kSharedMask, mask));
        interruptsEnabled = mask == 0;
    }
    CHECK(state->interruptsEnabled == interruptsEnabled);
    CHECK(state->ring == v.virtualRing(session.machine().cpu.state.cpl));
    CHECK(state->trapTable == cr(ControlRegister::TrapTableBase));
    CHECK(state->pageTable == cr(ControlRegister::PageTableBase));
    CHECK(state->kernelStack == cr(ControlRegister::KernelStack));
    CHECK(state->timerPeriod == cr(ControlRegister::TimerPeriod));
    CHECK(state->interruptPending == v.interruptPending);
}

}  // namespace

TEST_CASE("at trap-and-emulate's popf the kernel believes IF=0 while the real CPU has IF=1", "[virtual-cpu]") {
    const Scenario scenario = loadScenario(kFlaw);
    bool sawPopf = false;
    runTour(scenario, Mode::TrapEmulate, [&](Session& session, const ReachedStop& stop) {
        if (stop.text.find("that popf") == std::string::npos) return;
        sawPopf = true;
        const std::optional<VirtualCpuState> guest = runningMonitor(session).virtualCpu();
        REQUIRE(guest);
        const VirtualCpuState real = realCpuState(session.machine().cpu);
        CHECK_FALSE(guest->interruptsEnabled);
        CHECK(real.interruptsEnabled);
        // The kernel believes it is in ring 0 with its own trap table; the CPU runs it in ring 1 on the monitor's.
        CHECK(guest->ring == 0);
        CHECK(real.ring == 1);
        CHECK(real.trapTable == kMonitorTrapTable);
        CHECK(guest->trapTable != kMonitorTrapTable);
        const VirtualCpuView view = virtualCpuView(session);
        CHECK(view.absent.empty());
        CHECK(view.whose.empty());  // one VM
        CHECK_FALSE(view.heldByHardware);
        CHECK(row(view, "IF").differs);
        CHECK(row(view, "IF").guest == "0 (off)");
        CHECK(row(view, "IF").real == "1 (on)");
        CHECK_FALSE(row(view, "IF").why.empty());
        CHECK(row(view, "ring (CPL)").differs);
        CHECK(row(view, "trap table").differs);
        CHECK_FALSE(row(view, "timer (cycles)").differs);  // the real timer ticks for the virtual one
        CHECK(view.note.find("interrupts are off; the real CPU keeps them on") != std::string::npos);
        checkMatchesVcpu(session);
    });
    CHECK(sawPopf);
}

TEST_CASE("binary translation and paravirt show the virtual CPU their monitor keeps", "[virtual-cpu]") {
    const Scenario scenario = loadScenario(kFlaw);
    const ScenarioImages images(scenario);
    for (Mode mode : {Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Paravirt}) {
        INFO(mode);
        Session session(images.forMode(mode), scenario.optionsFor(mode));
        // Look every 10 events, to the end of the run.
        uint64_t events = 0;
        session.setListener([&](const Event&) { return ++events % 10 != 0; });
        size_t looks = 0, interruptsDiffered = 0;
        while (!session.finished()) {
            session.run();
            ++looks;
            checkMatchesVcpu(session);
            const VirtualCpuView view = virtualCpuView(session);
            REQUIRE(view.absent.empty());
            interruptsDiffered += row(view, "IF").differs;
        }
        CHECK(looks > 5);
        // Each of them keeps the guest's interrupts off at times while the real ones stay on.
        CHECK(interruptsDiffered > 0);
    }
}

TEST_CASE("under hardware assistance the guest's CPU is the real one", "[virtual-cpu]") {
    const Scenario scenario = loadScenario(kFlaw);
    const ScenarioImages images(scenario);
    Session session(images.forMode(Mode::HwAssist), scenario.optionsFor(Mode::HwAssist));
    uint64_t events = 0;
    session.setListener([&](const Event&) { return ++events % 25 != 0; });
    size_t looks = 0;
    while (!session.finished()) {
        session.run();
        const std::optional<VirtualCpuState> guest = runningMonitor(session).virtualCpu();
        REQUIRE(guest);
        CHECK(guest->holder == VirtualCpuState::Holder::Hardware);
        // In root mode the monitor runs: the guest's state waits (the VMCS) and its ring differs.
        if (session.machine().cpu.state.rootMode) continue;
        const VirtualCpuState real = realCpuState(session.machine().cpu);
        ++looks;
        CHECK(*guest == real);  // no second copy
        const VirtualCpuView view = virtualCpuView(session);
        CHECK(view.heldByHardware);
        CHECK_FALSE(view.anyDifference());
        CHECK(view.note.find("Hardware assistance") != std::string::npos);
    }
    CHECK(looks > 10);
}

TEST_CASE("native, containers and emulation have no virtual CPU, and say why", "[virtual-cpu]") {
    for (Mode mode : {Mode::Native, Mode::Container, Mode::Emulation}) {
        INFO(mode);
        RunOptions options;
        options.mode = mode;
        options.maxCycles = 200'000;
        Session session(testing::bundledGuest("syscalls", false), options);
        session.run();
        CHECK_FALSE(runningMonitor(session).virtualCpu());
        const VirtualCpuView view = virtualCpuView(session);
        CHECK(view.rows.empty());
        CHECK(view.absent.find(std::string(modeInfo(mode).title)) == 0);
    }
}

TEST_CASE("with several VMs the running VM's virtual CPU is shown, and named", "[virtual-cpu]") {
    RunOptions options;
    options.mode = Mode::TrapEmulate;
    options.instances = 3;
    options.maxCycles = 2'000'000'000;
    Session session(testing::bundledGuest("syscalls", false), options);
    std::set<std::string> seen;
    uint64_t events = 0;
    session.setListener([&](const Event&) { return ++events % 40 != 0; });
    while (!session.finished()) {
        session.run();
        const VirtualCpuView view = virtualCpuView(session);
        REQUIRE(view.absent.empty());
        CHECK(view.whose == "vm" + std::to_string(session.host()->current()) + " (of 3 VMs)");
        checkMatchesVcpu(session);
        seen.insert(view.whose);
    }
    CHECK(seen.size() == 3);
}
