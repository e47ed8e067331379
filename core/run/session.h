// One run in progress: the machine, and the monitor (or the VM host) on it,
// built from a guest and the run options. A front end drives it in steps —
// run to a cycle, stop on an event — and reads the machine between steps;
// runGuest() is a session run to its end.
#pragma once

#include <memory>
#include <vector>

#include "machine/machine.h"
#include "monitors/monitor.h"
#include "run/run.h"
#include "machine/timeline.h"
#include "run/vm_host.h"

namespace ringsim {

class Session {
public:
    // `options.instances` instances of the guest: VMs in a VM mode, containers
    // in container mode, processes natively. Throws InputError on bad options
    // or a guest the mode cannot run.
    Session(const GuestImages& guest, const RunOptions& options);
    // Different guests as VMs (a VM mode).
    Session(std::vector<VmSpec> vms, const RunOptions& options);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Sees every event; returning false stops the run after the current instruction.
    void setListener(EventListener listener);
    // Runs until the guests stop, the budget (options.maxCycles) runs out, the
    // machine's cycle reaches `stopAt`, or a stop was requested.
    StopReason run(uint64_t stopAt = UINT64_MAX);
    void requestStop();
    // Breakpoints on guest-virtual pcs: run() stops before executing the
    // instruction at any of them, in whichever guest reaches it (every VM,
    // every container), and returns StopReason::Breakpoint; the next run()
    // executes it. Stopping there changes nothing the run measures.
    void setBreakpoints(std::vector<uint32_t> pcs) { machine_->cpu.setBreakpoints(std::move(pcs)); }
    // Adds the breakpoint, or removes it if set; true if it is set now.
    bool toggleBreakpoint(uint32_t pc);
    const std::vector<uint32_t>& breakpoints() const { return machine_->cpu.breakpoints(); }
    // Whether the last run() stopped at a breakpoint (the pc is at it).
    bool atBreakpoint() const { return lastStop_ == StopReason::Breakpoint; }
    // The next run() executes the instruction at the pc even if it is a
    // breakpoint: a step of one instruction always moves on.
    void stepOverBreakpoint() { machine_->cpu.stepOverBreakpoint(); }
    // The guests halted or faulted, or the budget ran out: running on does nothing.
    bool finished() const;
    StopReason lastStop() const { return lastStop_; }

    Machine& machine() { return *machine_; }
    const RunOptions& options() const { return options_; }
    // The VM host in VM modes, else null; the monitor otherwise, else null.
    VmHost* host() { return host_.get(); }
    Monitor* monitor() { return monitor_.get(); }
    // Everything measured so far.
    RunResult result();
    // Only the machine's totals (cycles, events, instructions) and the
    // monitor's counters, without the consoles and footprints result()
    // gathers (those scan memory): cheap enough for every frame of a GUI.
    RunResult counters();
    // Who ran when, coloured by category, when options.timelineCapacity asked for it; else null.
    const Timeline* timeline() const { return timeline_.get(); }

private:
    void startVms(std::vector<VmSpec> vms);
    void startTimeline();
    void attachNetwork();

    RunOptions options_;
    MachineConfig config_;
    std::unique_ptr<Timeline> timeline_;  // before machine_: the CPU's account points to it until the end
    std::unique_ptr<NicNetwork> network_;  // before machine_: the machine's devices point to its NIC
    std::unique_ptr<Machine> machine_;
    std::unique_ptr<VmHost> host_;
    std::unique_ptr<Monitor> monitor_;
    StopReason lastStop_ = StopReason::Running;
};

}  // namespace ringsim
