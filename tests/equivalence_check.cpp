#include "equivalence_check.h"

#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <map>
#include <vector>

#include "monitors/expected_console.h"
#include "machine/errors.h"
#include "run/session.h"
#include "cpu-model/assembler.h"

namespace ringsim::test {

namespace {

const std::string kGuestFolder = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";
// Small machines: every run allocates, fills and hashes all of it.
constexpr uint32_t kBareMetalMemory = 128 * 1024;
constexpr uint32_t kUserMemory = 512 * 1024;

// What a guest can see of its own run.
struct Observation {
    std::string console;
    StopReason stop = StopReason::Running;
    std::string stopMessage;
    uint32_t pc = 0;
    std::array<uint32_t, isa::kRegisterCount> r{};
    uint32_t conditionFlags = 0;
    uint64_t memoryDigest = 0;
};

// FNV-1a over 64-bit words: cheap enough for every run, and any changed byte changes it.
uint64_t digest(const Cpu& cpu, uint32_t bytes) {
    std::array<uint8_t, 4096> page{};
    uint64_t h = 0xCBF29CE484222325ull;
    uint32_t seen = 0;
    for (uint32_t at = 0; at < bytes; at += uint32_t(page.size())) {
        const size_t n = cpu.peekGuestPhysical(at, page);
        for (size_t i = 0; i + 8 <= n; i += 8) {
            uint64_t w = 0;
            for (int b = 0; b < 8; ++b) w |= uint64_t(page[i + size_t(b)]) << (8 * b);
            h = (h ^ w) * 0x100000001B3ull;
        }
        seen += uint32_t(n);
        if (n < page.size()) break;
    }
    return h ^ seen;
}

Observation observe(const GuestImages& images, const RunOptions& options) {
    Session session(images, options);
    session.run();
    const RunResult result = session.result();
    Observation o;
    o.console = result.console;
    o.stop = result.stopReason;
    o.stopMessage = result.stopMessage;
    o.pc = result.finalState.pc;
    o.r = result.finalState.r;
    o.conditionFlags = result.finalState.flags & isa::flag::Condition;
    o.memoryDigest = digest(session.machine().cpu, options.memoryBytes);
    return o;
}

std::string escaped(const std::string& text, size_t limit = 400) {
    std::string out;
    for (char c : text.substr(0, limit)) {
        if (c == '\n')
            out += "\\n";
        else if (c >= 32 && c < 127)
            out += c;
        else
            out += fmt::format("\\x{:02x}", uint8_t(c));
    }
    return text.size() > limit ? out + "..." : out;
}

// Where two consoles first differ, with some context.
std::string consoleDifference(const std::string& a, const std::string& b) {
    size_t at = 0;
    while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
    const size_t from = at > 60 ? at - 60 : 0;
    return fmt::format("first difference at byte {}:\n  native: {}\n  mode:   {}", at, escaped(a.substr(from), 160),
                       escaped(b.substr(from), 160));
}

// What differs, or nothing. `full` compares registers and memory too;
// `console` (when not) leaves the console out.
std::optional<Divergence> difference(const Observation& native, const Observation& got, const std::string& expectedConsole,
                                     bool full, bool console = true) {
    if (console && got.console != expectedConsole) return Divergence{"", "console", consoleDifference(expectedConsole, got.console)};
    if (got.stop != native.stop)
        return Divergence{"", "stop", fmt::format("native: {} ({})\n  mode:   {} ({})", stopReasonName(native.stop),
                                                  native.stopMessage, stopReasonName(got.stop), got.stopMessage)};
    if (!full) return std::nullopt;
    if (got.pc != native.pc) return Divergence{"", "pc", fmt::format("native {:#010x}, mode {:#010x}", native.pc, got.pc)};
    for (size_t i = 0; i < native.r.size(); ++i)
        if (got.r[i] != native.r[i])
            return Divergence{"", "registers", fmt::format("r{}: native {:#010x}, mode {:#010x}", i, native.r[i], got.r[i])};
    if (got.conditionFlags != native.conditionFlags)
        return Divergence{"", "registers",
                          fmt::format("condition flags: native {:#x}, mode {:#x}", native.conditionFlags, got.conditionFlags)};
    if (got.memoryDigest != native.memoryDigest) return Divergence{"", "memory", "the digest of guest memory differs"};
    return std::nullopt;
}

const assembler::Program& bundledKernel(uint32_t timerPeriod, bool paravirt) {
    static std::map<std::pair<uint32_t, bool>, assembler::Program> cache;
    auto key = std::make_pair(timerPeriod, paravirt);
    auto it = cache.find(key);
    if (it == cache.end()) {
        assembler::Options options;
        options.defines["TIMER_PERIOD"] = timerPeriod;
        if (paravirt) options.defines["PARAVIRT"] = 1;
        auto result = assembler::assembleFile(kGuestFolder + "kernel.s", options);
        if (!result.ok()) throw InputError(result.errorText());
        it = cache.emplace(key, *result.program).first;
    }
    return it->second;
}

// The guest's images, or the assembler's complaint.
std::optional<GuestImages> build(const RandomGuest& guest, const std::vector<bool>& keep, bool paravirt,
                                 std::string& errors) {
    GuestImages images;
    assembler::Options options;
    options.includeDirs = {kGuestFolder};
    for (size_t i = 0; i < guest.parts.size(); ++i) {
        const std::string name = guest.family == GuestFamily::BareMetal ? "guest.s" : fmt::format("p{}.s", i);
        auto result = assembler::assembleText(guest.source(i, keep), name, options);
        if (!result.ok()) {
            errors = result.errorText();
            return std::nullopt;
        }
        if (guest.family == GuestFamily::BareMetal) {
            images.kernel = *result.program;
        } else {
            images.programs.push_back(*result.program);
            images.programNames.push_back(name);
        }
    }
    if (guest.family == GuestFamily::UserPrograms) images.kernel = bundledKernel(guest.timerPeriod, paravirt);
    return images;
}

RunOptions optionsFor(const RandomGuest& guest, const std::string& mode, const std::string& preset) {
    RunOptions options;
    options.mode = parseMode(mode);
    options.preset = preset;
    options.memoryBytes = guest.family == GuestFamily::BareMetal ? kBareMetalMemory : kUserMemory;
    options.maxCycles = guest.family == GuestFamily::BareMetal ? 40'000'000 : 400'000'000;
    options.eventCapacity = 16;
    return options;
}

uint64_t envNumber(const char* name, uint64_t fallback) {
    const char* text = std::getenv(name);
    return text && *text ? std::strtoull(text, nullptr, 0) : fallback;
}

}  // namespace

std::string presetForSeed(uint64_t seed) { return seed % 4 == 3 ? "vtx-2006" : "modern"; }

std::vector<EquivalenceMode> equivalenceModes(GuestFamily family, const std::string& preset) {
    std::vector<EquivalenceMode> modes = {
        {"binary-translation", "binary-translation"},
        {"emulation", "emulation"},
        {"hw-assist/shadow", "hw-assist", "shadow"},
        {"trap-emulate --strict", "trap-emulate", "auto", true},
    };
    if (preset != "vtx-2006") modes.insert(modes.begin() + 2, {"hw-assist/nested", "hw-assist", "nested"});
    if (family == GuestFamily::UserPrograms) {
        modes.push_back({"paravirt", "paravirt"});
        modes.push_back({"container", "container"});
    }
    return modes;
}

std::optional<Divergence> checkGuest(const RandomGuest& guest, const std::vector<EquivalenceMode>& modes,
                                     const std::string& preset, const std::vector<bool>& keep) {
    std::string errors;
    auto images = build(guest, keep, false, errors);
    if (!images) return Divergence{"assembler", "does not assemble", errors};
    std::optional<Observation> native, nativeStrict;
    auto reference = [&](bool strict) -> const Observation& {
        auto& slot = strict ? nativeStrict : native;
        if (!slot) {
            RunOptions options = optionsFor(guest, "native", preset);
            options.strict = strict;
            slot = observe(*images, options);
        }
        return *slot;
    };
    for (const EquivalenceMode& m : modes) {
        RunOptions options = optionsFor(guest, m.mode, preset);
        options.paging = m.paging;
        options.strict = m.strict;
        const bool paravirt = m.mode == "paravirt";
        const bool container = m.mode == "container";
        Observation got;
        if (paravirt) {
            auto pv = build(guest, keep, true, errors);
            if (!pv) return Divergence{"assembler", "does not assemble", errors};
            got = observe(*pv, options);
        } else {
            got = observe(*images, options);
        }
        const Observation& expected = reference(m.strict);
        const std::string expectedConsole = consoleExpectedIn(*modeFromName(m.mode), expected.console);
        const bool full = !paravirt && !container && !guest.readsClock;
        const bool console = !(paravirt && guest.readsKernelLog);
        if (auto d = difference(expected, got, expectedConsole, full, console)) {
            d->mode = m.label;
            return d;
        }
    }
    return std::nullopt;
}

std::string nativeOutcome(const RandomGuest& guest, const std::string& preset) {
    std::string errors;
    auto images = build(guest, {}, false, errors);
    if (!images) return errors;
    const Observation o = observe(*images, optionsFor(guest, "native", preset));
    return fmt::format("{} ({})\n{}", stopReasonName(o.stop), o.stopMessage, o.console);
}

std::vector<bool> minimise(const RandomGuest& guest, const EquivalenceMode& mode, const std::string& preset,
                           const Divergence& divergence) {
    std::vector<bool> keep(guest.chunkCount(), true);
    std::vector<Chunk> all;
    for (const auto& part : guest.parts) all.insert(all.end(), part.begin(), part.end());
    auto stillDiverges = [&](const std::vector<bool>& k) {
        auto d = checkGuest(guest, {mode}, preset, k);
        return d && d->mode == divergence.mode && d->aspect == divergence.aspect;
    };
    // Whole groups first (a group's ring entry and exit go with it), then single chunks.
    int groups = 0;
    for (const Chunk& c : all) groups = std::max(groups, c.group + 1);
    for (int g = 0; g < groups; ++g) {
        std::vector<bool> trial = keep;
        for (size_t i = 0; i < all.size(); ++i)
            if (all[i].group == g) trial[i] = false;
        if (trial != keep && stillDiverges(trial)) keep = trial;
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < all.size(); ++i) {
            if (!keep[i] || !all[i].removable) continue;
            std::vector<bool> trial = keep;
            trial[i] = false;
            if (stillDiverges(trial)) {
                keep = trial;
                changed = true;
            }
        }
    }
    return keep;
}

uint64_t seedsPerCase(uint64_t fallback) { return envNumber("RINGSIM_SEEDS", fallback); }
uint64_t firstSeed() { return envNumber("RINGSIM_SEED_START", 1); }

std::string runSeeds(GuestFamily family, uint64_t first, uint64_t count) {
    // RINGSIM_MAX_FAILURES (default 3) ends a run early; RINGSIM_NO_SHRINK=1 reports without minimising.
    const uint64_t maxFailures = envNumber("RINGSIM_MAX_FAILURES", 3);
    const bool shrink = envNumber("RINGSIM_NO_SHRINK", 0) == 0;
    std::string report;
    uint64_t failures = 0;
    for (uint64_t seed = first; seed < first + count && failures < maxFailures; ++seed) {
        const RandomGuest guest = family == GuestFamily::BareMetal ? generateBareMetal(seed) : generateUserPrograms(seed);
        const std::string preset = presetForSeed(seed);
        const auto modes = equivalenceModes(family, preset);
        auto d = checkGuest(guest, modes, preset);
        if (!d) continue;
        ++failures;
        const char* familyName = family == GuestFamily::BareMetal ? "bare-metal" : "user-programs";
        report += fmt::format("seed {} ({} guest, preset {}): {} differs from native in its {}:\n  {}\n", seed, familyName,
                              preset, d->mode, d->aspect, d->detail);
        if (!shrink) continue;
        std::vector<bool> keep;
        for (const auto& m : modes)
            if (m.label == d->mode) keep = minimise(guest, m, preset, *d);
        report += fmt::format("rerun: RINGSIM_SEED_START={} RINGSIM_SEEDS=1 ringsim_tests \"[equivalence][{}]\"\n", seed, familyName);
        report += "minimised program:\n" + guest.listing(keep) + "\n";
    }
    return report;
}

}  // namespace ringsim::test
