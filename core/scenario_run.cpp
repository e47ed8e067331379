// libstdc++ 12's <regex> trips a false -Wmaybe-uninitialized in the
// std::function inside its automaton (sanitizer builds); it is about the
// standard headers, which this file includes before its own code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "scenario_run.h"

#include <algorithm>
#include <atomic>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <regex>
#include <thread>

#include "container.h"
#include "errors.h"
#include "hypercalls.h"
#include "session.h"
#include "tour_cursor.h"

namespace ringsim {

namespace {

bool scenarioNeedsParavirt(const std::vector<std::string>& modes) {
    for (const auto& m : modes)
        if (requireMode(m).needsParavirtKernel) return true;
    return false;
}

// One run the matrix needs.
struct Job {
    size_t scenario = 0;
    std::string mode;
    std::string preset;
    bool singleInstance = false;  // the native one-instance reference for consoles
    std::optional<RunResult> result;
    std::string error;
};

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
             const std::vector<std::unique_ptr<ScenarioImages>>& images, const MatrixRequest& request) {
    std::atomic<size_t> next{0};
    std::atomic<size_t> done{0};
    auto worker = [&] {
        for (size_t i = next++; i < jobs.size(); i = next++) {
            Job& job = jobs[i];
            RunOptions options = scenarios[job.scenario].optionsFor(job.mode, job.preset);
            if (job.singleInstance) {
                options.instances = 1;
                options.weights.clear();
                options.programsPerInstance.clear();
            }
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

}  // namespace

ScenarioImages::ScenarioImages(const Scenario& scenario)
    : unmodified_(assembleGuest(scenario.sourcesFor("native"))) {
    if (scenarioNeedsParavirt(scenario.modes)) paravirtual_ = assembleGuest(scenario.sourcesFor("paravirt"));
}

ScenarioImages::ScenarioImages(GuestImages unmodified, std::optional<GuestImages> paravirtual)
    : unmodified_(std::move(unmodified)), paravirtual_(std::move(paravirtual)) {}

ScenarioImages::ScenarioImages(const Scenario& scenario, const SourceOverrides& edited) {
    ScenarioBuild build = buildScenarioImages(scenario, edited);
    if (!build.images) {
        throw InputError(assembler::diagnosticsText(build.errors));
    }
    *this = std::move(*build.images);
}

ScenarioBuild buildScenarioImages(const Scenario& scenario, const SourceOverrides& edited) {
    ScenarioBuild out;
    GuestBuild unmodified = buildGuest(scenario.sourcesFor("native"), edited);
    std::optional<GuestBuild> paravirtual;
    if (scenarioNeedsParavirt(scenario.modes)) paravirtual = buildGuest(scenario.sourcesFor("paravirt"), edited);
    auto keep = [&out](const std::vector<assembler::Diagnostic>& errors) {
        for (const auto& d : errors) {
            const bool seen = std::any_of(out.errors.begin(), out.errors.end(), [&](const assembler::Diagnostic& o) {
                return o.file == d.file && o.line == d.line && o.column == d.column && o.message == d.message;
            });
            if (!seen) out.errors.push_back(d);
        }
    };
    keep(unmodified.errors);
    if (paravirtual) keep(paravirtual->errors);
    if (!out.errors.empty()) return out;
    std::optional<GuestImages> pv;
    if (paravirtual) pv = std::move(*paravirtual->images);
    out.images = std::make_unique<ScenarioImages>(std::move(*unmodified.images), std::move(pv));
    return out;
}

const GuestImages& ScenarioImages::forMode(const std::string& mode) const {
    if (!requireMode(mode).needsParavirtKernel) return unmodified_;
    if (!paravirtual_) throw InputError(fmt::format("{}: the paravirtual build was not assembled", mode));
    return *paravirtual_;
}

std::vector<MatrixCell> runMatrix(const std::vector<Scenario>& scenarios, const MatrixRequest& request) {
    // Assemble everything first (errors surface before any run), then run.
    std::vector<std::vector<std::string>> modesOf(scenarios.size());
    std::vector<std::vector<std::string>> presetsOf(scenarios.size());
    std::vector<std::unique_ptr<ScenarioImages>> images;
    for (size_t s = 0; s < scenarios.size(); ++s) {
        modesOf[s] = expandModes(request.modes.empty() ? scenarios[s].modes : request.modes);
        presetsOf[s] = request.presets.empty() ? std::vector<std::string>{scenarios[s].machine.preset} : request.presets;
        for (const auto& p : presetsOf[s]) resolveCosts(p, {});
        Scenario copy = scenarios[s];
        copy.modes = modesOf[s];
        images.push_back(request.edited.empty() ? std::make_unique<ScenarioImages>(copy)
                                                : std::make_unique<ScenarioImages>(copy, request.edited));
    }
    std::vector<Job> jobs;
    for (size_t s = 0; s < scenarios.size(); ++s)
        for (const auto& preset : presetsOf[s]) {
            jobs.push_back({s, "native", preset, false, {}, {}});
            if (scenarios[s].guests.instances > 1) jobs.push_back({s, "native", preset, true, {}, {}});
            for (const auto& mode : modesOf[s])
                if (mode != "native") jobs.push_back({s, mode, preset, false, {}, {}});
        }
    runJobs(jobs, scenarios, images, request);

    std::vector<MatrixCell> cells;
    size_t j = 0;
    for (size_t s = 0; s < scenarios.size(); ++s) {
        const auto shared = std::make_shared<const Scenario>(scenarios[s]);
        for (const auto& preset : presetsOf[s]) {
            const Job& native = jobs[j++];
            const Job* single = scenarios[s].guests.instances > 1 ? &jobs[j++] : nullptr;
            std::vector<const Job*> runs;
            for (const auto& mode : modesOf[s]) {
                if (mode == "native") {
                    runs.push_back(&native);
                } else {
                    runs.push_back(&jobs[j++]);
                }
            }
            const bool nativeListed =
                std::find(modesOf[s].begin(), modesOf[s].end(), "native") != modesOf[s].end();
            auto cellOf = [&](const Job& job, bool listed) {
                MatrixCell cell;
                cell.scenario = shared;
                cell.mode = job.mode;
                cell.preset = preset;
                cell.listed = listed;
                cell.result = job.result;
                cell.error = job.error;
                if (cell.result && native.result) {
                    // Each guest should show what one instance shows natively; a
                    // container's stream lacks the kernel's lines, which are the host's.
                    const std::string& reference =
                        single && single->result ? single->result->console : native.result->console;
                    const std::string expected =
                        requireMode(job.mode).containerConsole ? withoutKernelLines(reference) : reference;
                    cell.sameConsoleAsNative = true;
                    if (!(single && job.mode == "native"))
                        for (const auto& g : cell.result->guests) cell.sameConsoleAsNative &= g.console == expected;
                    cell.overheadPercent = 100.0 * (double(cell.result->totalCycles) /
                                                        double(std::max<uint64_t>(native.result->totalCycles, 1)) -
                                                    1.0);
                }
                return cell;
            };
            if (!nativeListed) cells.push_back(cellOf(native, false));
            for (const Job* job : runs) cells.push_back(cellOf(*job, true));
        }
    }
    return cells;
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
    if (counter == "guest_switches") return d(r.guestSwitches);
    if (counter == "overhead_percent") return cell.overheadPercent;
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

namespace {

bool compareValues(double measured, const std::string& op, double value) {
    if (op == "<") return measured < value;
    if (op == "<=") return measured <= value;
    if (op == ">") return measured > value;
    if (op == ">=") return measured >= value;
    if (op == "==") return measured == value;
    if (op == "!=") return measured != value;
    throw InputError(fmt::format("unknown comparison '{}'", op));
}

std::string number(double v) {
    return v == double(int64_t(v)) ? fmt::format("{}", int64_t(v)) : fmt::format("{:.2f}", v);
}

const std::string& consoleOf(const MatrixCell& cell, const std::string& guest) {
    if (!guest.empty())
        for (const auto& g : cell.result->guests)
            if (g.name == guest) return g.console;
    return cell.result->console;
}

}  // namespace

std::vector<CheckLine> checkScenario(const Scenario& scenario, unsigned jobs) {
    // Every preset any expectation names, and the scenario's own.
    MatrixRequest request;
    request.jobs = jobs;
    request.presets = {scenario.machine.preset};
    for (const auto& e : scenario.expectations)
        if (!e.preset.empty() && std::find(request.presets.begin(), request.presets.end(), e.preset) == request.presets.end())
            request.presets.push_back(e.preset);
    std::vector<std::string> modes = scenario.modes;
    for (const auto& e : scenario.expectations)
        for (const auto& m : e.modes)
            if (std::find(modes.begin(), modes.end(), m) == modes.end()) modes.push_back(m);
    request.modes = modes;
    const std::vector<Scenario> one = {scenario};
    const auto cells = runMatrix(one, request);
    auto cellFor = [&](const std::string& mode, const std::string& preset) -> const MatrixCell* {
        for (const auto& c : cells)
            if (c.mode == mode && c.preset == preset) return &c;
        return nullptr;
    };

    std::vector<CheckLine> lines;
    for (const auto& e : scenario.expectations) {
        const std::string preset = e.preset.empty() ? scenario.machine.preset : e.preset;
        if (e.kind == Expectation::Kind::Order) {
            CheckLine line{&e, "", preset, true, ""};
            std::optional<uint64_t> last;
            for (const auto& mode : e.order) {
                const MatrixCell* c = cellFor(mode, preset);
                if (!c || !c->result) {
                    line.passed = false;
                    line.measured += fmt::format("{}{}: did not run", line.measured.empty() ? "" : ", ", mode);
                    continue;
                }
                line.measured += fmt::format("{}{} {}", line.measured.empty() ? "" : " < ", mode, c->result->totalCycles);
                if (last && c->result->totalCycles < *last) line.passed = false;
                last = c->result->totalCycles;
            }
            lines.push_back(line);
            continue;
        }
        const std::vector<std::string>& appliesTo = e.modes.empty() ? scenario.modes : e.modes;
        for (const auto& mode : appliesTo) {
            CheckLine line{&e, mode, preset, false, ""};
            const MatrixCell* c = cellFor(mode, preset);
            if (!c || !c->result) {
                line.measured = c ? "could not run: " + c->error : "did not run";
                lines.push_back(line);
                continue;
            }
            switch (e.kind) {
            case Expectation::Kind::Console: {
                const std::string& text = consoleOf(*c, e.guest);
                if (e.match == Expectation::Match::Exact)
                    line.passed = text == e.text;
                else if (e.match == Expectation::Match::Contains)
                    line.passed = text.find(e.text) != std::string::npos;
                else
                    line.passed = std::regex_search(text, std::regex(e.text, std::regex::ECMAScript));
                // A match needs no more words; a miss shows the start of what was there.
                std::string shown = text.substr(0, 60);
                for (auto& ch : shown)
                    if (ch == '\n') ch = '|';
                line.measured = line.passed ? "found"
                                            : fmt::format("the console was \"{}{}\"", shown, text.size() > 60 ? "..." : "");
                break;
            }
            case Expectation::Kind::Diverges:
                line.passed = (!c->sameConsoleAsNative) == e.diverges;
                line.measured = c->sameConsoleAsNative ? "same console as native" : "console differs from native";
                break;
            case Expectation::Kind::Counter: {
                const auto v = counterValue(*c, e.counter);
                line.passed = v && compareValues(*v, e.op, e.value);
                line.measured = v ? fmt::format("{} = {}", e.counter, number(*v)) : e.counter + " not measured";
                break;
            }
            case Expectation::Kind::Order: break;
            }
            lines.push_back(line);
        }
    }
    return lines;
}

bool TourRun::complete() const { return reached.size() == stops; }

TourRun runTour(const Scenario& scenario, const std::string& mode) {
    if (!scenario.tour) throw InputError(fmt::format("{}: the scenario has no tour", scenario.path));
    const Tour& tour = *scenario.tour;
    if (std::find(tour.modes.begin(), tour.modes.end(), mode) == tour.modes.end())
        throw InputError(fmt::format("{}: the tour is written for {}, not {}", scenario.path,
                                     fmt::join(tour.modes, ", "), mode));
    Scenario only = scenario;
    only.modes = {mode};
    const ScenarioImages images(only);
    const GuestImages& guest = images.forMode(mode);
    Session session(guest, scenario.optionsFor(mode));
    TourCursor cursor(tour, guest, mode);
    // Each event reaches at most one stop, and the run pauses there.
    session.setListener([&](const Event& e) { return !cursor.onEvent(e); });
    Cpu& cpu = session.machine().cpu;
    while (!cursor.done() && !session.finished()) {
        const StopCondition& c = *cursor.pending();
        const size_t before = cursor.reached().size();
        if (c.kind == StopCondition::Kind::Cycle) {
            // Exactly at that cycle (or the first instruction boundary after it).
            while (cpu.account.now < c.cycle && !session.finished()) session.run(c.cycle);
            if (cpu.account.now >= c.cycle) cursor.reachCycle(session);
        } else if (c.kind == StopCondition::Kind::Label) {
            // A label is a pc: one instruction at a time until it is reached.
            while (cursor.reached().size() == before && !session.finished()) {
                session.run(cpu.account.now + 1);
                cursor.afterInstruction(session);
                if (!cursor.problem().empty()) throw InputError(fmt::format("{}: {}", scenario.path, cursor.problem()));
            }
        } else {
            while (cursor.reached().size() == before && !session.finished()) session.run();
        }
    }
    TourRun run;
    run.mode = mode;
    run.stops = tour.stops.size();
    run.reached = cursor.reached();
    run.result = session.result();
    return run;
}

}  // namespace ringsim
