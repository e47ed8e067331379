#include "report/matrix.h"

#include <algorithm>
#include <atomic>
#include <fmt/format.h>
#include <thread>

#include "machine/errors.h"
#include "machine/hypercalls.h"
#include "report/console_diff.h"
#include "report/storage_report.h"
#include "report/matrix_plan.h"
#include "monitors/expected_console.h"
#include "run/session.h"
#include "scenario/scenario_images.h"

namespace ringsim {

namespace {

using matrix_plan::Job;
using matrix_plan::Plan;

// A cancellable run: the same run as runGuest, cut into slices so that
// `cancelled` is asked every so often; empty if it said so.
constexpr uint64_t kCancelCheckCycles = 1'000'000;
std::optional<RunResult> runUnlessCancelled(const GuestImages& guest, const RunOptions& options,
                                            const std::function<bool()>& cancelled) {
    Session session(guest, options);
    while (!session.finished()) {
        if (cancelled()) return std::nullopt;
        session.run(session.machine().cpu.account.now + kCancelCheckCycles);
    }
    return session.result();
}

void runJobs(std::vector<Job>& jobs, const std::vector<Scenario>& scenarios,
             const std::vector<std::shared_ptr<const ScenarioImages>>& images, const MatrixRequest& request) {
    std::atomic<size_t> next{0};
    std::atomic<size_t> done{0};
    auto worker = [&] {
        for (size_t i = next++; i < jobs.size(); i = next++) {
            Job& job = jobs[i];
            const RunOptions options = matrix_plan::optionsFor(job, scenarios);
            try {
                const GuestImages& guest = images[job.scenario]->forMode(job.mode);
                if (!request.cancelled) {
                    job.result = runGuest(guest, options);
                } else if (request.cancelled()) {
                    job.error = "cancelled";
                } else {
                    job.result = runUnlessCancelled(guest, options, request.cancelled);
                    if (!job.result) job.error = "cancelled";
                }
            } catch (const InputError& e) {
                job.error = e.what();
            }
            if (request.progress) request.progress(job.mode, ++done, jobs.size());
        }
    };
    unsigned threads = request.jobs;
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = std::min<unsigned>(threads, unsigned(std::max<size_t>(jobs.size(), 1)));
    if (threads <= 1) {
        worker();
        return;
    }
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
}

bool sameSources(const GuestSources& a, const GuestSources& b) {
    return a.kernel == b.kernel && a.programs == b.programs && a.defines == b.defines && a.includeDirs == b.includeDirs;
}

}  // namespace

namespace matrix_plan {

Plan planMatrix(const std::vector<Scenario>& scenarios, const MatrixRequest& request) {
    Plan plan;
    auto& modesOf = plan.modesOf;
    auto& presetsOf = plan.presetsOf;
    auto& images = plan.images;
    modesOf.resize(scenarios.size());
    presetsOf.resize(scenarios.size());
    // Scenarios that assemble the same sources share one build (a sweep's
    // many scenarios differ only in costs and preset): assembling is done
    // before the threads start, so assembling each alike would be run serially.
    struct Build {
        GuestSources unmodified, paravirtual;
        bool needsParavirt = false;
        std::shared_ptr<const ScenarioImages> images;
    };
    std::vector<Build> builds;
    for (size_t s = 0; s < scenarios.size(); ++s) {
        modesOf[s] = request.modes.empty() ? scenarios[s].modes : request.modes;
        presetsOf[s] = request.presets.empty() ? std::vector<std::string>{scenarios[s].machine.preset} : request.presets;
        for (const auto& p : presetsOf[s]) resolveCosts(p, {});
        Scenario copy = scenarios[s];
        copy.modes = modesOf[s];
        Build wanted{copy.sourcesFor(Mode::Native), copy.sourcesFor(Mode::Paravirt),
                     std::any_of(copy.modes.begin(), copy.modes.end(),
                                 [](Mode m) { return modeInfo(m).needsParavirtKernel; }),
                     nullptr};
        const auto same = std::find_if(builds.begin(), builds.end(), [&](const Build& b) {
            return sameSources(b.unmodified, wanted.unmodified) && sameSources(b.paravirtual, wanted.paravirtual) &&
                   b.needsParavirt == wanted.needsParavirt;
        });
        if (same != builds.end()) {
            images.push_back(same->images);
            continue;
        }
        wanted.images = request.edited.empty() ? std::make_shared<const ScenarioImages>(copy)
                                               : std::make_shared<const ScenarioImages>(copy, request.edited);
        images.push_back(wanted.images);
        builds.push_back(std::move(wanted));
    }
    for (size_t s = 0; s < scenarios.size(); ++s)
        for (const auto& preset : presetsOf[s]) {
            plan.jobs.push_back({s, Mode::Native, preset, false, {}, {}});
            if (scenarios[s].guests.instances > 1) plan.jobs.push_back({s, Mode::Native, preset, true, {}, {}});
            for (const Mode mode : modesOf[s])
                if (mode != Mode::Native) plan.jobs.push_back({s, mode, preset, false, {}, {}});
        }
    return plan;
}

RunOptions optionsFor(const Job& job, const std::vector<Scenario>& scenarios) {
    RunOptions options = scenarios[job.scenario].optionsFor(job.mode, job.preset);
    if (job.singleInstance) {
        options.instances = 1;
        options.weights.clear();
        options.programsPerInstance.clear();
    }
    return options;
}

std::vector<MatrixCell> cellsOf(const Plan& plan, const std::vector<Scenario>& scenarios) {
    const auto& modesOf = plan.modesOf;
    const auto& presetsOf = plan.presetsOf;
    const auto& jobs = plan.jobs;
    std::vector<MatrixCell> cells;
    size_t j = 0;
    for (size_t s = 0; s < scenarios.size(); ++s) {
        const auto shared = std::make_shared<const Scenario>(scenarios[s]);
        for (const auto& preset : presetsOf[s]) {
            const Job& native = jobs[j++];
            const Job* single = scenarios[s].guests.instances > 1 ? &jobs[j++] : nullptr;
            std::vector<const Job*> runs;
            for (const Mode mode : modesOf[s]) {
                if (mode == Mode::Native) {
                    runs.push_back(&native);
                } else {
                    runs.push_back(&jobs[j++]);
                }
            }
            const bool nativeListed =
                std::find(modesOf[s].begin(), modesOf[s].end(), Mode::Native) != modesOf[s].end();
            auto cellOf = [&](const Job& job, bool listed) {
                MatrixCell cell;
                cell.scenario = shared;
                cell.mode = job.mode;
                cell.preset = preset;
                cell.listed = listed;
                cell.result = job.result;
                cell.error = job.error;
                if (cell.result && native.result) {
                    // Each guest should show what one instance shows natively, as the mode shows it.
                    cell.nativeConsole =
                        single && single->result ? single->result->console : native.result->console;
                    const std::string expected = consoleExpectedIn(job.mode, cell.nativeConsole);
                    cell.sameConsoleAsNative = true;
                    if (!(single && job.mode == Mode::Native))
                        for (const auto& g : cell.result->guests) cell.sameConsoleAsNative &= g.console == expected;
                    if (!native.result->succeeded())
                        cell.overheadNote = fmt::format("native failed: {}{}{}",
                                                        stopReasonName(native.result->stopReason),
                                                        native.result->stopMessage.empty() ? "" : ": ",
                                                        native.result->stopMessage);
                    cell.overheadPercent = 100.0 * (double(cell.result->totalCycles) /
                                                        double(std::max<uint64_t>(native.result->totalCycles, 1)) -
                                                    1.0);
                } else if (cell.result) {
                    // No baseline at all (native could not run, or was cancelled): no overhead either.
                    cell.overheadNote =
                        "native did not run: " + (native.error.empty() ? std::string("no result") : native.error);
                }
                return cell;
            };
            if (!nativeListed) cells.push_back(cellOf(native, false));
            for (const Job* job : runs) cells.push_back(cellOf(*job, true));
        }
    }
    return cells;
}

}  // namespace matrix_plan

std::vector<MatrixCell> runMatrix(const std::vector<Scenario>& scenarios, const MatrixRequest& request) {
    Plan plan = matrix_plan::planMatrix(scenarios, request);
    runJobs(plan.jobs, scenarios, plan.images, request);
    return matrix_plan::cellsOf(plan, scenarios);
}

std::optional<double> counterValue(const MatrixCell& cell, const std::string& counter) {
    if (!cell.result) return std::nullopt;
    const RunResult& r = *cell.result;
    const auto dot = counter.find('.');
    const std::string group = counter.substr(0, dot);
    const std::string field = dot == std::string::npos ? "" : counter.substr(dot + 1);
    auto d = [](uint64_t v) { return std::optional<double>(double(v)); };
    if (counter == "instructions") return d(r.instructions);
    if (counter == "port_accesses") return d(r.portAccesses);
    if (group == "storage") return storageCounter(r.storage, field);
    if (counter == "guest_switches") return d(r.guestSwitches);
    if (counter == "overhead_percent")
        return cell.hasOverhead() ? std::optional<double>(cell.overheadPercent) : std::nullopt;
    if (group == "cycles") {
        if (field == "total") return d(r.totalCycles);
        for (size_t i = 0; i < kCycleCategoryCount; ++i)
            if (categoryName(CycleCategory(i)) == field) return d(r.cycles[i]);
    }
    if (group == "events")
        if (auto kind = eventKindFromName(field)) return d(r.events[size_t(*kind)]);
    if (group == "vm_exits") {
        if (field == "total") return d(r.monitor.totalExits());
        for (size_t i = 0; i < kVmExitReasonCount; ++i)
            if (vmExitReasonName(VmExitReason(i)) == field) return d(r.monitor.exits[i]);
    }
    if (group == "hypercalls") {
        if (field == "total") return d(r.monitor.totalHypercalls());
        if (const HypercallInfo* h = hypercallByName(field)) {
            auto it = r.monitor.hypercalls.find(uint32_t(h->number));
            return d(it == r.monitor.hypercalls.end() ? 0 : it->second);
        }
    }
    const MonitorCounters& m = r.monitor;
    if (group == "monitor") {
        if (field == "traps_into_monitor") return d(m.trapsIntoMonitor);
        if (field == "emulated") return d(m.emulated);
        if (field == "reflected") return d(m.reflected);
        if (field == "callouts") return d(m.callouts);
        if (field == "shadow_updates") return d(m.shadowUpdates);
        if (field == "hidden_faults") return d(m.hiddenFaults);
    }
    if (group == "translations") {
        if (field == "blocks") return d(m.translatedBlocks);
        if (field == "instructions") return d(m.translatedInstructions);
        if (field == "cache_hits") return d(m.cacheHits);
        if (field == "invalidations") return d(m.invalidations);
    }
    if (group == "tlb") {
        if (field == "misses") return d(r.tlbMisses);
        if (field == "flushes") return d(r.tlbFlushes);
        if (field == "walk_references") return d(r.pageWalkRefs);
    }
    if (group == "footprint") {
        if (field == "pages") return d(r.footprint.pages);
        if (field == "startup_cycles")
            return r.footprint.startupCycles ? d(*r.footprint.startupCycles) : std::optional<double>();
    }
    throw InputError(fmt::format("unknown counter '{}'", counter));
}

}  // namespace ringsim
