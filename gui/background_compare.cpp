#include "background_compare.h"

#ifndef __EMSCRIPTEN__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include "machine/errors.h"
#include "machine/source_edit.h"
#ifdef __EMSCRIPTEN__
#include "report/sliced_matrix.h"
#endif
#include "sim_controller.h"

namespace ringsim::gui {

// One comparison being computed. The worker owns `scenario` and `preset`
// (copies); the window reads the rest under `lock`, and only the window
// touches `thread`. Nothing else is shared: core keeps no mutable globals.
struct BackgroundCompare::Job {
    Scenario scenario;
    SourceOverrides edited;
    std::string preset;
    bool allModes = false;
    bool wantCurve = true;
    std::string key, curveKey;
    std::atomic<bool> cancel{false};
    std::atomic<bool> finished{false};
    std::thread thread;

    std::mutex lock;
    CompareProgress progress;
    std::shared_ptr<const OverheadCurve> curve;
    std::shared_ptr<const ModeComparison> result;
#ifdef __EMSCRIPTEN__
    // The browser has no threads to spare (see workSlice): the work in progress.
    std::unique_ptr<ScenarioImages> curveImages;  // native's build, while its curve is recorded
    std::unique_ptr<NativeCurveRecorder> curveRecorder;
    std::unique_ptr<SlicedMatrix> matrix;
#endif
};

const MatrixCell* ModeComparison::cellFor(Mode mode) const {
    for (const auto& c : cells)
        if (c.mode == mode) return &c;
    return nullptr;
}

uint64_t ModeComparison::longestRun() const {
    uint64_t most = 0;
    for (const auto& c : cells)
        if (c.result) most = std::max(most, c.result->totalCycles);
    return most;
}

namespace {

constexpr size_t kCachedComparisons = 64;

// What the comparison depends on besides the scenario's path: the contents of
// its file and of the guest's sources, edited ones as edited (an edited
// source means new figures).
std::string contentsHash(const Scenario& scenario, const SourceOverrides& edited) {
    auto text = [&edited](const std::string& path) {
        const auto it = edited.find(normalSourcePath(path));
        return it != edited.end() ? it->second : readSourceFile(path).value_or("");
    };
    std::string all = text(scenario.path);
    all += text(scenario.guests.kernel);
    for (const auto& p : scenario.guests.programs) all += text(p);
    for (const auto& [path, body] : edited) all += path + '\n' + body;  // included files edited too
    std::ostringstream hex;
    hex << std::hex << std::hash<std::string>{}(all) << '-' << all.size();
    return hex.str();
}

}  // namespace

BackgroundCompare::~BackgroundCompare() {
    if (active_) retiring_.push_back(std::move(active_));
    for (auto& job : retiring_) job->cancel = true;
    for (auto& job : retiring_)
        if (job->thread.joinable()) job->thread.join();
}

void BackgroundCompare::follow(SimController& sim) {
    if (!sim.scenario()) {
        clear();
        return;
    }
    // The preset the run on screen uses, so that the overhead so far compares like with like.
    const Session* session = sim.session();
    request(*sim.scenario(), session ? session->options().preset : sim.scenario()->machine.preset, sim.sessionSerial(),
            sim.sourceOverrides());
}

void BackgroundCompare::setAllModes(bool all) { allModes_ = all; }

void BackgroundCompare::clear() {
    retireActive();
    askedRevision_.reset();
    key_.clear();
    curveKey_.clear();
    current_.reset();
    curve_.reset();
    progress_ = {};
    poll();
}

void BackgroundCompare::request(const Scenario& scenario, const std::string& preset, uint64_t revision,
                                const SourceOverrides& edited) {
    if (askedRevision_ == revision && askedPreset_ == preset && askedAllModes_ == allModes_) {
        poll();
        return;
    }
    askedRevision_ = revision;
    askedPreset_ = preset;
    askedAllModes_ = allModes_;
    const std::string curveKey = scenario.path + '\n' + preset + '\n' + contentsHash(scenario, edited);
    const std::string key = curveKey + (allModes_ ? "\nall modes" : "\nits modes");
    if (key == key_) {
        poll();
        return;
    }
    key_ = key;
    curveKey_ = curveKey;
    const auto cached = cache_.find(key);
    current_ = cached == cache_.end() ? nullptr : cached->second;
    const auto curve = curves_.find(curveKey);
    curve_ = curve == curves_.end() ? nullptr : curve->second;
    progress_ = {};
    retireActive();
    if (!current_) start(scenario, preset, curveKey, edited);
    poll();
}

void BackgroundCompare::start(const Scenario& scenario, const std::string& preset, const std::string& curveKey,
                              const SourceOverrides& edited) {
    auto job = std::make_shared<Job>();
    job->scenario = scenario;
    job->edited = edited;
    job->preset = preset;
    job->allModes = allModes_;
    job->wantCurve = curve_ == nullptr;
    job->key = key_;
    job->curveKey = curveKey;
#ifndef __EMSCRIPTEN__  // in the browser poll() works on it, a slice a frame
    job->thread = std::thread([raw = job.get()] { work(*raw); });
#endif
    progress_.running = true;
    active_ = std::move(job);
}

void BackgroundCompare::retireActive() {
    if (!active_) return;
    active_->cancel = true;
    retiring_.push_back(std::move(active_));
}

namespace {
// Set while the window renders and presents a frame: Mesa's software
// rasteriser needs both cores then, so the comparison waits between its
// slices (a slice is a millisecond or two) instead of competing with it.
std::atomic<bool> frameRendering{false};
}  // namespace

void BackgroundCompare::frameRenderBegins() { frameRendering.store(true, std::memory_order_relaxed); }
void BackgroundCompare::frameRenderEnds() { frameRendering.store(false, std::memory_order_relaxed); }

bool BackgroundCompare::stopOrWait(Job& job) {
    while (frameRendering.load(std::memory_order_relaxed) && !job.cancel.load())
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    return job.cancel.load();
}

#ifdef __EMSCRIPTEN__
namespace {
// The browser's frame has room for this much of the comparison beside the run on screen and the drawing.
constexpr std::chrono::microseconds kBrowserSlice{3000};
// Native's instructions recorded between two looks at the clock.
constexpr uint64_t kCurveInstructionsPerLook = 2'000;
}  // namespace

// In the browser (no threads without special server headers) the job is
// worked on between frames, a few milliseconds a frame: native's curve, then
// the matrix as runMatrix runs it, cut into slices (same cells, same figures).
void BackgroundCompare::workSlice(Job& job) {
    const auto deadline = std::chrono::steady_clock::now() + kBrowserSlice;
    auto comparison = std::make_shared<ModeComparison>();
    comparison->scenarioTitle = job.scenario.title;
    comparison->preset = job.preset;
    comparison->allModes = job.allModes;
    try {
        if (job.wantCurve && !job.curve) {
            if (!job.curveRecorder) {
                Scenario nativeOnly = job.scenario;
                nativeOnly.modes = {Mode::Native};
                job.curveImages = std::make_unique<ScenarioImages>(nativeOnly, job.edited);
                job.curveRecorder = std::make_unique<NativeCurveRecorder>(
                    job.curveImages->forMode(Mode::Native), job.scenario.optionsFor(Mode::Native, job.preset));
            }
            while (!job.curveRecorder->record(kCurveInstructionsPerLook))
                if (std::chrono::steady_clock::now() >= deadline) return;
            job.curve = std::make_shared<const OverheadCurve>(job.curveRecorder->take());
            job.curveRecorder.reset();
            job.curveImages.reset();
            return;
        }
        if (!job.matrix) {
            MatrixRequest request;
            if (job.allModes) request.modes = ringsim::allModes();
            request.presets = {job.preset};
            request.edited = job.edited;
            request.progress = [&job](Mode mode, size_t done, size_t total) {
                job.progress.done = done;
                job.progress.total = total;
                job.progress.modesDone.push_back(mode);
            };
            job.matrix = std::make_unique<SlicedMatrix>(std::vector<Scenario>{job.scenario}, std::move(request));
        }
        if (!job.matrix->workUntil(deadline)) return;
        for (auto& cell : job.matrix->cells())
            if (cell.listed) comparison->cells.push_back(std::move(cell));
    } catch (const std::exception& e) {
        comparison->error = e.what();
    }
    job.curveRecorder.reset();
    job.curveImages.reset();
    job.matrix.reset();
    job.result = std::move(comparison);
    job.finished = true;
}
#endif

void BackgroundCompare::work(Job& job) {
#ifndef __EMSCRIPTEN__
    // Below the window's own threads (and Mesa's rendering threads): the
    // comparison may take the spare core, never the frame's time.
    setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 19);
#endif
    auto comparison = std::make_shared<ModeComparison>();
    comparison->scenarioTitle = job.scenario.title;
    comparison->preset = job.preset;
    comparison->allModes = job.allModes;
    try {
        // Native's curve first: it is what the run on screen is measured
        // against as it goes, and native is the quickest of the runs.
        if (job.wantCurve) {
            Scenario nativeOnly = job.scenario;
            nativeOnly.modes = {Mode::Native};
            const ScenarioImages images(nativeOnly, job.edited);
            auto curve = recordNativeCurve(images.forMode(Mode::Native), job.scenario.optionsFor(Mode::Native, job.preset),
                                           [&job] { return stopOrWait(job); });
            if (curve) {
                std::lock_guard<std::mutex> hold(job.lock);
                job.curve = std::make_shared<const OverheadCurve>(std::move(*curve));
            }
        }
        MatrixRequest request;
        if (job.allModes) request.modes = ringsim::allModes();
        request.presets = {job.preset};
        request.jobs = 1;  // the window's own simulation has the other core
        request.cancelled = [&job] { return stopOrWait(job); };
        request.edited = job.edited;
        request.progress = [&job](Mode mode, size_t done, size_t total) {
            std::lock_guard<std::mutex> hold(job.lock);
            job.progress.done = done;
            job.progress.total = total;
            job.progress.modesDone.push_back(mode);
        };
        if (!job.cancel) {
            for (auto& cell : runMatrix({job.scenario}, request))
                if (cell.listed) comparison->cells.push_back(std::move(cell));
        }
    } catch (const std::exception& e) {
        comparison->error = e.what();
    }
    {
        std::lock_guard<std::mutex> hold(job.lock);
        job.result = std::move(comparison);
    }
    job.finished = true;
}

void BackgroundCompare::poll() {
#ifdef __EMSCRIPTEN__
    retiring_.clear();  // nothing runs them between frames
    if (active_ && !active_->finished) workSlice(*active_);
#endif
    // Cancelled jobs end within a slice; joined once they have, never waited for.
    for (auto it = retiring_.begin(); it != retiring_.end();) {
        if ((*it)->finished) {
            if ((*it)->thread.joinable()) (*it)->thread.join();
            it = retiring_.erase(it);
        } else {
            ++it;
        }
    }
    if (!active_) {
        progress_.running = false;
        return;
    }
    Job& job = *active_;
    {
        std::lock_guard<std::mutex> hold(job.lock);
        progress_ = job.progress;
        progress_.running = true;
        if (job.curve && !curve_) {
            curve_ = job.curve;
            curves_[job.curveKey] = job.curve;
        }
    }
    if (!job.finished) return;
    if (job.thread.joinable()) job.thread.join();
    std::shared_ptr<const ModeComparison> result;
    {
        std::lock_guard<std::mutex> hold(job.lock);
        result = job.result;
    }
    // A handful of scenarios and edits in one sitting; a long one starts afresh.
    if (cache_.size() >= kCachedComparisons) cache_.clear();
    cache_[job.key] = result;
    current_ = result;
    active_.reset();
    progress_.running = false;
}

}  // namespace ringsim::gui
