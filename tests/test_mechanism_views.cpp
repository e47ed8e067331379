// What the GUI's mechanism views read from core, checked against the event
// log they summarise: the translation cache's blocks (binary translation,
// emulation), the paravirtual monitor's record of hypercalls and their call
// sites in the kernel's source, and hardware assistance's exit controls.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <string>

#include "bundled_guest.h"
#include "machine/errors.h"
#include "lesson/mechanisms.h"
#include "run/run.h"
#include "run/session.h"

using namespace ringsim;

namespace {


const GuestImages& images(const std::string& program, bool paravirt) {
    return testing::bundledGuest(program, paravirt);
}

RunOptions optionsFor(Mode mode) {
    RunOptions options;
    options.mode = mode;
    options.maxCycles = 400'000'000;
    options.eventCapacity = size_t(1) << 20;
    return options;
}

// The text of line `line` (1-based) of a file.
std::string sourceLine(const std::string& path, int line) {
    std::ifstream in(path);
    std::string text;
    for (int i = 0; i < line && std::getline(in, text); ++i) {
    }
    return text;
}

}  // namespace

TEST_CASE("the translation cache's blocks agree with the translation events", "[mechanisms][translation]") {
    for (Mode mode : {Mode::BinaryTranslation, Mode::Emulation}) {
        for (const char* program : {"pagetables", "syscalls"}) {
            INFO(program << " under " << mode);
            Session session(images(program, false), optionsFor(mode));
            uint64_t droppedByEvents = 0;
            session.setListener([&](const Event& e) {
                if (e.kind == EventKind::TranslationInvalidate) droppedByEvents += e.extra;
                return true;
            });
            session.run();
            REQUIRE(session.lastStop() == StopReason::Halted);
            const TranslationCache* cache = translationCacheOf(monitorOf(session, 0));
            REQUIRE(cache);
            const EventLog& log = session.machine().events;
            CHECK(cache->translations() == log.count(EventKind::Translation));
            CHECK(cache->invalidations() == droppedByEvents);

            uint64_t lookups = 0, hits = 0, translations = 0, invalidations = 0;
            for (const auto& [physical, record] : cache->records()) {
                translations += record.translations;
                invalidations += record.invalidations;
                lookups += record.droppedLookups;
                hits += record.droppedHits;
                const TranslatedBlock* block = cache->block(physical);
                // A block is live unless its latest translation was dropped.
                CHECK((block != nullptr) == (record.translations > record.invalidations));
                if (block) {
                    lookups += block->lookups();
                    hits += block->hits;
                    CHECK(block->guestPc == record.guestPc);
                    CHECK(block->rewritten <= block->instructions);
                }
            }
            CHECK(translations == cache->translations());
            CHECK(invalidations == cache->invalidations());
            // Per-block lookups sum to the translation-hit events; chained
            // entries are hits without a lookup, counted by the monitor too.
            CHECK(lookups == log.count(EventKind::TranslationHit));
            CHECK(hits == session.counters().monitor.cacheHits);
            CHECK(cache->blocks().size() == cache->translations() - cache->invalidations());
            // Under emulation user code is translated too, and pagetables writes over its own.
            if (std::string(program) == "pagetables" && mode == Mode::Emulation)
                CHECK(cache->invalidations() > 0);
        }
    }
}

TEST_CASE("binary translation rewrites only the kernel's sensitive instructions", "[mechanisms][translation]") {
    Session session(images("privileged", false), optionsFor(Mode::BinaryTranslation));
    session.run();
    const TranslationCache* cache = translationCacheOf(monitorOf(session, 0));
    REQUIRE(cache);
    uint64_t rewritten = 0;
    for (const auto& [physical, block] : cache->blocks()) rewritten += block.rewritten;
    CHECK(rewritten > 0);
    // Other modes have no translation cache to show.
    Session native(images("privileged", false), optionsFor(Mode::Native));
    CHECK(translationCacheOf(monitorOf(native, 0)) == nullptr);
    Session hw(images("privileged", false), optionsFor(Mode::HwAssist));
    CHECK(translationCacheOf(monitorOf(hw, 0)) == nullptr);
}

TEST_CASE("the hypercall record matches the hypercall events, in order, with their results", "[mechanisms][hypercalls]") {
    Session session(images("console", true), optionsFor(Mode::Paravirt));
    session.run();
    REQUIRE(session.lastStop() == StopReason::Halted);
    const HypercallLog* calls = hypercallLogOf(monitorOf(session, 0));
    REQUIRE(calls);
    const EventLog& log = session.machine().events;
    REQUIRE(log.firstRetained() == 0);
    CHECK(calls->total() == log.count(EventKind::Hypercall));
    CHECK(calls->total() == session.counters().monitor.totalHypercalls());
    REQUIRE(calls->retained() > 0);

    // Every retained call is its Hypercall event, in the same order.
    uint64_t previous = 0;
    uint64_t consoleWrites = 0;
    for (uint64_t n = calls->firstRetained(); n < calls->total(); ++n) {
        const HypercallRecord& call = calls->at(n);
        INFO("call " << n << " number " << call.number);
        if (n > calls->firstRetained()) CHECK(call.event > previous);
        previous = call.event;
        const Event& e = log.at(call.event);
        CHECK(e.kind == EventKind::Hypercall);
        CHECK(e.detail == call.number);
        CHECK(e.cycle == call.cycle);
        CHECK(e.pc == call.pc);
        CHECK(e.extra == call.arguments[0]);
        CHECK(call.cost >= session.machine().costs.hypercall);
        if (call.number == uint32_t(HypercallNumber::ConsoleWrite)) {
            ++consoleWrites;
            CHECK(call.results[0] == call.arguments[1]);  // the whole buffer written
        }
        if (call.number == uint32_t(HypercallNumber::IrqSave)) CHECK(call.results[0] <= 1);
        if (call.number == uint32_t(HypercallNumber::ReadClock)) CHECK(call.results[0] == uint32_t(call.cycle));
    }
    CHECK(consoleWrites > 0);
    // The calls no longer retained are the oldest: the record is bounded.
    CHECK(calls->retained() == std::min<uint64_t>(calls->total(), calls->capacity()));
}

TEST_CASE("a bounded hypercall record keeps the newest calls", "[mechanisms][hypercalls]") {
    HypercallLog log(3);
    for (uint32_t i = 0; i < 5; ++i) log.record(HypercallRecord{i, i, 0, i});
    CHECK(log.total() == 5);
    CHECK(log.firstRetained() == 2);
    CHECK(log.at(2).number == 2);
    CHECK(log.at(4).number == 4);
}

TEST_CASE("hypercall signatures are read from the hypercall table", "[mechanisms][hypercalls]") {
    const HypercallSignature block = hypercallSignature(*hypercallByName("block_io"));
    REQUIRE(block.inputs.size() == 4);
    CHECK(block.inputs[0].reg == 1);
    CHECK(block.inputs[0].meaning == "op");
    CHECK(block.inputs[3].reg == 4);
    CHECK(block.inputs[3].meaning == "sectors");
    REQUIRE(block.outputs.size() == 1);
    CHECK(block.outputs[0].reg == 0);
    CHECK(block.outputs[0].meaning == "sectors or -1");
    const HypercallSignature mmu = hypercallSignature(*hypercallByName("mmu_update"));
    REQUIRE(mmu.inputs.size() == 2);
    CHECK(mmu.inputs[0].meaning == "list of (pte address, value)");
    CHECK(mmu.inputs[1].meaning == "count");
    const HypercallSignature clock = hypercallSignature(*hypercallByName("read_clock"));
    CHECK(clock.inputs.empty());
    CHECK(clock.outputs.size() == 2);
    CHECK(hypercallSignature(*hypercallByName("iret")).outputs.empty());
    for (const HypercallInfo& info : hypercallTable()) {
        INFO(info.name);
        const HypercallSignature s = hypercallSignature(info);
        for (const auto& op : s.inputs) CHECK((op.reg >= 1 && op.reg <= 4 && !op.meaning.empty()));
    }
}

TEST_CASE("every hypercall the paravirtual kernel makes comes from a call site in its source", "[mechanisms][hypercalls]") {
    const GuestImages& guest = images("console", true);
    const std::vector<HypercallSite> sites = hypercallSites(guest.kernel);
    REQUIRE(!sites.empty());
    std::map<uint32_t, const HypercallSite*> byAddress;
    for (const auto& site : sites) {
        byAddress[site.address] = &site;
        INFO(site.location.file << ":" << site.location.line);
        CHECK(hypercallByNumber(site.number) != nullptr);
        CHECK(sourceLine(site.location.file, site.location.line).find("hcall") != std::string::npos);
    }
    Session session(guest, optionsFor(Mode::Paravirt));
    session.run();
    const EventLog& log = session.machine().events;
    for (uint64_t n = log.firstRetained(); n < log.total(); ++n) {
        const Event& e = log.at(n);
        if (e.kind != EventKind::Hypercall) continue;
        const auto it = byAddress.find(e.pc);
        REQUIRE(it != byAddress.end());
        CHECK(it->second->number == e.detail);
    }
    // The native build of the same kernel makes no hypercalls.
    CHECK(hypercallSites(images("console", false).kernel).empty());
}

namespace {
RunResult runWithControls(const std::string& program, const VmControls& controls, const std::string& paging = "auto") {
    RunOptions options = optionsFor(Mode::HwAssist);
    options.paging = paging;
    options.exitControls = controls;
    return runGuest(images(program, false), options);
}
uint64_t exits(const RunResult& r, VmExitReason reason) { return r.monitor.exits[size_t(reason)]; }
}  // namespace

TEST_CASE("exit controls decide which events exit", "[mechanisms][exit-controls]") {
    RunOptions options = optionsFor(Mode::HwAssist);
    const RunResult defaults = runGuest(images("console", false), options);
    REQUIRE(defaults.stopReason == StopReason::Halted);
    REQUIRE(exits(defaults, VmExitReason::IoInstruction) > 0);
    REQUIRE(exits(defaults, VmExitReason::ExternalInterrupt) > 0);
    CHECK(exits(defaults, VmExitReason::ControlRegisterRead) == 0);

    SECTION("off: the instruction runs in the guest, and that reason never exits") {
        VmControls controls = VmControls::defaults();
        controls.exitOn[size_t(VmExitReason::IoInstruction)] = false;
        const RunResult r = runWithControls("console", controls);
        CHECK(r.stopReason == StopReason::Halted);
        CHECK(exits(r, VmExitReason::IoInstruction) == 0);
        CHECK(exits(r, VmExitReason::Hlt) == exits(defaults, VmExitReason::Hlt));
        // The ports reach the VM's own devices without a world switch: the same output, fewer cycles.
        CHECK(r.console == defaults.console);
        CHECK(r.totalCycles < defaults.totalCycles);
        // Deterministic: the same controls give the same counters.
        const RunResult again = runWithControls("console", controls);
        CHECK(again.totalCycles == r.totalCycles);
        CHECK(again.monitor.exits == r.monitor.exits);
    }
    SECTION("on: an event that ran in the guest now exits") {
        VmControls controls = VmControls::defaults();
        controls.exitOn[size_t(VmExitReason::ControlRegisterRead)] = true;
        controls.exitOn[size_t(VmExitReason::TlbInvalidate)] = true;
        const RunResult r = runWithControls("pagetables", controls);
        CHECK(r.stopReason == StopReason::Halted);
        CHECK(exits(r, VmExitReason::TlbInvalidate) > 0);
        CHECK(r.console == runGuest(images("pagetables", false), options).console);
    }
    SECTION("timer interrupts no longer exit: the monitor stops seeing the ticks") {
        VmControls controls = VmControls::defaults();
        controls.exitOn[size_t(VmExitReason::ExternalInterrupt)] = false;
        const RunResult r = runWithControls("console", controls);
        CHECK(exits(r, VmExitReason::ExternalInterrupt) == 0);
        CHECK(r.events[size_t(EventKind::Interrupt)] > 0);  // the guest takes them itself
    }
    SECTION("shadow paging without page-table write exits: no shadow updates") {
        VmControls controls = VmControls::defaults();
        const RunResult shadow = runWithControls("pagetables", controls, "shadow");
        CHECK(exits(shadow, VmExitReason::GuestPageTableWrite) > 0);
        controls.exitOn[size_t(VmExitReason::GuestPageTableWrite)] = false;
        const RunResult unseen = runWithControls("pagetables", controls, "shadow");
        CHECK(exits(unseen, VmExitReason::GuestPageTableWrite) == 0);
        CHECK(unseen.monitor.shadowUpdates < shadow.monitor.shadowUpdates);
    }
}

TEST_CASE("exit controls are hardware assistance's alone", "[mechanisms][exit-controls]") {
    RunOptions options = optionsFor(Mode::BinaryTranslation);
    options.exitControls = VmControls::defaults();
    CHECK_THROWS_AS(Session(images("console", false), options), InputError);
}

TEST_CASE("any one exit control changed still runs the guest, deterministically", "[mechanisms][exit-controls]") {
    // What a student may try with the checkboxes: each control flipped from the
    // monitor's choice, under both kinds of paging. The run must end (halted
    // here: the simulator's MMU and devices stay correct, the tooltips say
    // where a real machine would not) and give the same counters twice.
    for (const char* paging : {"nested", "shadow"}) {
        RunOptions options = optionsFor(Mode::HwAssist);
        options.paging = paging;
        const RunResult reference = runGuest(images("pagetables", false), options);
        for (size_t r = 0; r < kVmExitReasonCount; ++r) {
            INFO(paging << " paging, " << vmExitReasonName(VmExitReason(r)) << " flipped");
            Session probe(images("pagetables", false), options);
            VmControls controls = probe.machine().cpu.vmControls;
            controls.exitOn[r] = !controls.exitOn[r];
            const RunResult a = runWithControls("pagetables", controls, paging);
            const RunResult b = runWithControls("pagetables", controls, paging);
            CHECK(a.stopReason == StopReason::Halted);
            CHECK(a.console == reference.console);
            CHECK(a.totalCycles == b.totalCycles);
            CHECK(a.monitor.exits == b.monitor.exits);
            if (!controls.exitOn[r]) CHECK(a.monitor.exits[r] == 0);
        }
    }
}
