// The scenario loader (core/scenario/): a complete file parses into every
// field; each kind of bad input gets one message naming the file, the line
// and the key, with a "did you mean" where a known name is close.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <set>
#include <string>

#include "doc_examples.h"
#include "machine/errors.h"
#include "scenario/scenario.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

using namespace ringsim;

const std::string kDir = std::string(RINGSIM_TEST_FIXTURES) + "/scenarios/";
const std::string kFile = kDir + "inline.yaml";  // the name inline texts go by; paths resolve in kDir
const std::string kGuests = std::filesystem::weakly_canonical(std::string(RINGSIM_DATA_DIR) + "/scenarios/guests").string() + "/";

// The smallest valid scenario, to which a test adds one bad thing.
const std::string kHead =
    "title: T\n"                                       // line 1
    "guests:\n"                                        // line 2
    "  kernel: ../../../scenarios/guests/kernel.s\n";  // line 3

std::string errorOf(const std::string& text) {
    try {
        parseScenario(text, kFile);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

std::string loadError(const std::string& path) {
    try {
        loadScenario(path);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

// "file:line: key: " begins the message.
std::string at(int line, const std::string& key) { return kFile + ":" + std::to_string(line) + ": " + key + ": "; }

}  // namespace

TEST_CASE("a complete scenario parses with every field", "[scenario]") {
    const Scenario s = loadScenario(kDir + "complete.yaml");
    CHECK(s.path == kDir + "complete.yaml");
    CHECK(s.name == "complete");
    CHECK(s.title == "Rings and system calls under every monitor");
    CHECK_THAT(s.summary, StartsWith("A user program in ring 3 asks"));

    CHECK(s.machine.memoryBytes == 4u << 20);
    CHECK_FALSE(s.machine.strict);
    CHECK(s.machine.hardwareAssist);
    CHECK(s.machine.paging == "shadow");
    CHECK(s.machine.preset == "modern");
    CHECK(s.machine.costOverrides == std::vector<std::string>{"syscall_entry=500", "insn.div=40"});
    CHECK(s.machine.maxCycles == 50'000'000);

    CHECK(s.guests.kernel == kGuests + "kernel.s");
    CHECK(s.guests.programs == std::vector<std::string>{kGuests + "hello.s", kGuests + "privileged.s"});
    CHECK(s.guests.defines == std::map<std::string, int64_t>{{"TIMER_PERIOD", 100000}});
    CHECK(s.guests.instances == 2);
    CHECK(s.guests.countedAs == ScenarioGuests::Count::Vms);
    CHECK(s.guests.weights == std::vector<uint32_t>{256, 512});
    CHECK(s.guests.sliceCycles == 50000);

    CHECK(s.modes == std::vector<Mode>{Mode::Native, Mode::TrapEmulate, Mode::BinaryTranslation, Mode::Paravirt, Mode::HwAssist});
    CHECK(s.defaultMode == Mode::HwAssist);

    // Two diverges entries make two expectations: nine in all.
    REQUIRE(s.expectations.size() == 9);
    const auto& e = s.expectations;
    CHECK(e[0].kind == Expectation::Kind::Console);
    CHECK(e[0].match == Expectation::Match::Contains);
    CHECK(e[0].text == "hello from pid 1");
    CHECK(e[0].modes == std::vector<Mode>{Mode::Native, Mode::BinaryTranslation});
    CHECK(e[0].where.line == 25);
    CHECK(e[0].where.key == "expect[1]");
    CHECK(e[0].where.file == kDir + "complete.yaml");
    CHECK(e[1].match == Expectation::Match::Contains);
    CHECK(e[1].text == "privileged: pid 2");
    CHECK(e[1].modes.empty());
    CHECK(e[2].match == Expectation::Match::Regex);
    CHECK(e[2].guest == "vm1");
    CHECK(e[3].match == Expectation::Match::Exact);
    CHECK(e[3].text.empty());
    CHECK(e[3].preset == "vtx-2006");
    CHECK(e[4].kind == Expectation::Kind::Diverges);
    CHECK(e[4].modes == std::vector<Mode>{Mode::TrapEmulate});
    CHECK(e[4].diverges);
    CHECK(e[4].where.key == "expect[5].diverges_from_native.trap-emulate");
    CHECK(e[5].modes == std::vector<Mode>{Mode::BinaryTranslation});
    CHECK_FALSE(e[5].diverges);
    CHECK(e[6].kind == Expectation::Kind::Counter);
    CHECK(e[6].counter == "vm_exits.io-instruction");
    CHECK(e[6].op == ">=");
    CHECK(e[6].value == 100);
    CHECK(e[6].preset == "vtx-2006");
    CHECK(e[7].counter == "overhead_percent");
    CHECK(e[7].op == "<");
    CHECK(e[7].value == 10.5);
    CHECK(e[8].kind == Expectation::Kind::Order);
    CHECK(e[8].order == std::vector<Mode>{Mode::Native, Mode::Paravirt, Mode::HwAssist, Mode::BinaryTranslation});

    CHECK(e[0].describe() == "native, binary-translation: console contains \"hello from pid 1\"");
    CHECK(e[2].describe() == "hw-assist: vm1 console matches /hello from pid [0-9]+ in ring 3/");
    CHECK(e[4].describe() == "trap-emulate: diverges from native");
    CHECK(e[5].describe() == "binary-translation: does not diverge from native");
    CHECK(e[6].describe() == "hw-assist (vtx-2006): vm_exits.io-instruction >= 100");
    CHECK(e[7].describe() == "overhead_percent < 10.5");
    CHECK(e[8].describe() == "total cycles native < paravirt < hw-assist < binary-translation");

    REQUIRE(s.tour);
    CHECK(s.tour->modes == std::vector<Mode>{Mode::HwAssist});
    REQUIRE(s.tour->stops.size() == 6);
    const auto& st = s.tour->stops;
    CHECK(st[0].when.kind == StopCondition::Kind::Event);
    CHECK(st[0].when.eventKind == "syscall");
    CHECK(st[0].when.nth == 2);
    CHECK_THAT(st[0].say, StartsWith("At cycle {cycle} the program"));
    CHECK(st[0].where.key == "tour.stops[1]");
    CHECK(st[1].when.kind == StopCondition::Kind::ExitReason);
    CHECK(st[1].when.exitReason == "io-instruction");
    CHECK(st[1].when.nth == 1);
    CHECK(st[2].when.kind == StopCondition::Kind::Label);
    CHECK(st[2].when.label == "boot");
    CHECK(st[3].when.label == "hello.s:_start");
    CHECK(st[4].when.kind == StopCondition::Kind::RingChange);
    CHECK(st[4].when.fromRing == 0);
    CHECK(st[4].when.toRing == -1);
    CHECK(st[5].when.kind == StopCondition::Kind::Cycle);
    CHECK(st[5].when.cycle == 100000);
}

TEST_CASE("optionsFor fills the run options from the machine, the guests and the mode", "[scenario]") {
    const Scenario s = loadScenario(kDir + "complete.yaml");
    const RunOptions vm = s.optionsFor(Mode::HwAssist);
    CHECK(vm.mode == Mode::HwAssist);
    CHECK(vm.preset == "modern");
    CHECK(vm.costOverrides == s.machine.costOverrides);
    CHECK(vm.maxCycles == 50'000'000);
    CHECK(vm.memoryBytes == 4u << 20);
    CHECK(vm.paging == "shadow");
    CHECK(vm.hardwareAssist);
    CHECK(vm.instances == 2);
    CHECK(vm.weights == std::vector<uint32_t>{256, 512});
    CHECK(vm.sliceCycles == 50000);
    CHECK(s.optionsFor(Mode::HwAssist, "vtx-2006").preset == "vtx-2006");
    // VM weights mean nothing natively: two processes, no weights.
    const RunOptions native = s.optionsFor(Mode::Native);
    CHECK(native.instances == 2);
    CHECK(native.weights.empty());
    CHECK_THROWS_AS(s.optionsFor(parseMode("warp-drive")), InputError);

    CHECK(s.sourcesFor(Mode::Paravirt).defines.at("PARAVIRT") == 1);
    CHECK_FALSE(s.sourcesFor(Mode::HwAssist).defines.count("PARAVIRT"));
    CHECK(s.sourcesFor(Mode::Native).defines.at("TIMER_PERIOD") == 100000);
}

TEST_CASE("defaults of a minimal scenario", "[scenario]") {
    const Scenario s = loadScenario(kDir + "minimal.yaml");
    CHECK(s.machine.memoryBytes == 4u << 20);
    CHECK(s.machine.preset == "modern");
    CHECK(s.machine.paging == "auto");
    CHECK(s.guests.programs.empty());
    CHECK(s.guests.instances == 1);
    CHECK(s.guests.countedAs == ScenarioGuests::Count::Instances);
    // No modes: every mode the machine can run.
    CHECK(s.modes.size() == 7);
    CHECK(s.defaultMode == Mode::Native);
    CHECK(s.expectations.empty());
    CHECK_FALSE(s.tour);
    CHECK_FALSE(s.predict);
    CHECK(parseScenario(kHead + "predict: true\n", kFile).predict);
    CHECK_THROWS_WITH(parseScenario(kHead + "predict: sometimes\n", kFile), Catch::Contains("predict"));

    const Scenario noHw = parseScenario(kHead + "machine: {hardware_assist: false}\n", kFile);
    CHECK(std::find(noHw.modes.begin(), noHw.modes.end(), Mode::HwAssist) == noHw.modes.end());
    CHECK(noHw.modes.size() == 6);
}

TEST_CASE("knownCounters mirrors the JSON of a run", "[scenario]") {
    const auto& c = knownCounters();
    for (const char* name : {"cycles.total", "cycles.guest_user", "cycles.world_switch", "events.syscall", "events.vm-exit",
                             "vm_exits.total", "vm_exits.io-instruction", "hypercalls.total", "hypercalls.console_write",
                             "monitor.traps_into_monitor", "monitor.shadow_updates", "translations.cache_hits",
                             "tlb.misses", "tlb.walk_references", "port_accesses", "instructions", "footprint.pages",
                             "footprint.startup_cycles", "guest_switches", "overhead_percent"})
        CHECK(std::find(c.begin(), c.end(), name) != c.end());
    CHECK(std::set<std::string>(c.begin(), c.end()).size() == c.size());
}

TEST_CASE("the file itself: missing, empty, not YAML, not a map", "[scenario]") {
    CHECK(loadError(kDir + "no-such-file.yaml") == kDir + "no-such-file.yaml: cannot read");
    CHECK_THAT(loadError(kDir), Contains("cannot read"));
    // yaml-cpp's message, with the line of the unclosed list.
    CHECK_THAT(loadError(kDir + "syntax_error.yaml"),
               StartsWith(kDir + "syntax_error.yaml:5: YAML syntax error: end of sequence flow not found"));
    CHECK_THAT(errorOf("title: [a\n"), StartsWith(kFile + ":2: YAML syntax error:"));
    CHECK_THAT(errorOf("a: b: c\n"), StartsWith(kFile + ":1: YAML syntax error:"));
    CHECK_THAT(errorOf(""), StartsWith(kFile + ":1: the file is empty"));
    CHECK_THAT(errorOf("# nothing but a comment\n"), StartsWith(kFile + ":1: the file is empty"));
    CHECK_THAT(errorOf("- a\n- b\n"), StartsWith(kFile + ":1: the top level must be a map"));
    CHECK_THAT(errorOf(kHead + "---\ntitle: again\n"), StartsWith(kFile + ":5: a second YAML document"));
    CHECK_THAT(errorOf(kHead + "---\n"), StartsWith(kFile + ":4: a second YAML document"));
    // yaml-cpp 0.7's LoadAll never returns on these; the loader must.
    CHECK_THAT(errorOf(",a"), StartsWith(kFile + ":1: YAML syntax error: unexpected ','"));
    CHECK_THAT(errorOf(kHead + "---\n,a\n"), StartsWith(kFile + ":5: YAML syntax error: unexpected ','"));
    CHECK_THAT(errorOf("- a\n,\n"), StartsWith(kFile + ":2: YAML syntax error: unexpected ','"));
    CHECK_THAT(errorOf("---\n---\n"), StartsWith(kFile + ":2: a second YAML document"));
}

TEST_CASE("unknown keys at every level, with did you mean", "[scenario]") {
    CHECK_THAT(loadError(kDir + "unknown_key.yaml"),
               StartsWith(kDir + "unknown_key.yaml:4: machine.hardware_asist: unknown key 'hardware_asist' "
                                 "(did you mean 'hardware_assist'?)"));
    CHECK(errorOf("tilte: T\n") == at(1, "tilte") + "unknown key 'tilte' (did you mean 'title'?)");
    CHECK_THAT(errorOf(kHead + "  programz: []\n"), StartsWith(at(4, "guests.programz") + "unknown key 'programz' (did you mean 'programs'?)"));
    // A prefix of a key counts as close.
    CHECK_THAT(errorOf(kHead + "machine: {hardware: true}\n"), Contains("(did you mean 'hardware_assist'?)"));
    // Nothing close: the known keys are listed.
    CHECK_THAT(errorOf(kHead + "colour: red\n"),
               StartsWith(at(4, "colour") + "unknown key 'colour' (known: title, summary, machine,"));
    CHECK_THAT(errorOf(kHead + "expect:\n  - counter: instructions > 1\n    mode: [native]\n"),
               StartsWith(at(6, "expect[1].mode") + "unknown key 'mode' (did you mean 'modes'?)"));
    CHECK_THAT(errorOf(kHead + "tour:\n  stops:\n    - when: {evnt: syscall}\n      say: x\n"),
               StartsWith(at(6, "tour.stops[1].when.evnt") + "unknown key 'evnt' (did you mean 'event'?)"));
    CHECK_THAT(errorOf(kHead + "machine:\n  costs: {syscall_entri: 5}\n"),
               StartsWith(at(5, "machine.costs.syscall_entri") + "unknown key 'syscall_entri' (did you mean 'syscall_entry'?)"));
    // A key given twice.
    CHECK_THAT(errorOf(kHead + "title: U\n"), StartsWith(at(4, "title") + "given twice (first on line 1)"));
}

TEST_CASE("wrong types and out-of-range values", "[scenario]") {
    CHECK(errorOf(kHead + "machine:\n  memory: lots\n") ==
          at(5, "machine.memory") + "expects a size in bytes, or \"<n> KiB\" / \"<n> MiB\" / \"<n> GiB\", not 'lots'");
    CHECK_THAT(errorOf(kHead + "machine:\n  memory: 5000\n"), StartsWith(at(5, "machine.memory") + "'5000' must be a multiple of 4096"));
    CHECK(parseScenario(kHead + "machine:\n  memory: 512 KiB\n", kFile).machine.memoryBytes == 512u << 10);
    CHECK_THAT(errorOf(kHead + "machine:\n  memory: 99999999999 GiB\n"), StartsWith(at(5, "machine.memory") + "'99999999999 GiB' is more than the machine can address"));
    CHECK_THAT(errorOf(kHead + "machine:\n  memory: 4 GiB\n"), StartsWith(at(5, "machine.memory") + "'4 GiB' is more than"));
    CHECK(parseScenario(kHead + "machine:\n  memory: 65536\n", kFile).machine.memoryBytes == 65536);
    CHECK(errorOf(kHead + "machine:\n  strict: maybe\n") == at(5, "machine.strict") + "expects true or false, not 'maybe'");
    CHECK(errorOf(kHead + "machine:\n  max_cycles: many\n") == at(5, "machine.max_cycles") + "expects a whole number, not 'many'");
    CHECK(errorOf(kHead + "machine:\n  max_cycles: 0\n") == at(5, "machine.max_cycles") + "must be from 1 to 1125899906842624, not '0'");
    CHECK_THAT(errorOf(kHead + "machine:\n  max_cycles: -5\n"), StartsWith(at(5, "machine.max_cycles") + "must be from 1 to"));
    CHECK_THAT(errorOf(kHead + "machine:\n  max_cycles: [1]\n"), StartsWith(at(5, "machine.max_cycles") + "expects a whole number, not a list"));
    // A map where a list is wanted, and a text where a map is.
    CHECK_THAT(errorOf(kHead + "  programs: {a: b}\n"), StartsWith(at(4, "guests.programs") + "expects a list"));
    CHECK_THAT(errorOf(kHead + "machine: fast\n"), StartsWith(at(4, "machine") + "expects a map (lines of key: value), not the text 'fast'"));
    CHECK_THAT(errorOf(kHead + "title2: x\n"), Contains("did you mean 'title'?"));
    CHECK_THAT(errorOf("title:\nguests:\n  kernel: ../../../scenarios/guests/kernel.s\n"), StartsWith(kFile + ":1: title: is empty"));
    // Instances, weights, the slice.
    CHECK(errorOf(kHead + "  vms: 0\nmodes: [hw-assist]\n") == at(4, "guests.vms") + "must be from 1 to 256, not '0'");
    CHECK(errorOf(kHead + "  containers: 32\nmodes: [container]\n") == at(4, "guests.containers") + "must be from 1 to 31, not '32'");
    CHECK_THAT(errorOf(kHead + "  vms: 2\n  containers: 2\n"), StartsWith(at(5, "guests.containers") + "give only one of vms, containers and instances"));
    CHECK(errorOf(kHead + "  vms: 2\n  weights: [100, 70000]\nmodes: [hw-assist]\n") ==
          at(5, "guests.weights[2]") + "must be from 1 to 65535, not '70000'");
    CHECK(errorOf(kHead + "  containers: 2\n  weights: [100, 20000]\nmodes: [container]\n") ==
          at(5, "guests.weights[2]") + "must be from 1 to 10000, not '20000'");
    CHECK(errorOf(kHead + "  vms: 3\n  weights: [100, 200]\nmodes: [hw-assist]\n") ==
          at(5, "guests.weights") + "2 weights for 3 instances: give one weight per instance");
    CHECK(errorOf(kHead + "  slice: 0\n") == at(4, "guests.slice") + "must be from 1 to 1099511627776, not '0'");
    CHECK_THAT(errorOf(kHead + "  defines: {PARAVIRT: 1}\n"), StartsWith(at(4, "guests.defines.PARAVIRT") + "PARAVIRT is set by the paravirt mode"));
    CHECK_THAT(errorOf(kHead + "  defines: {ROUNDS: ten}\n"), StartsWith(at(4, "guests.defines.ROUNDS") + "expects a whole number"));
    // Guest counts the modes cannot run.
    CHECK_THAT(errorOf(kHead + "  vms: 2\nmodes: [native, container]\n"), StartsWith(at(4, "guests.vms") + "VMs need a mode that runs them"));
    CHECK_THAT(errorOf(kHead + "  containers: 2\nmodes: [native]\n"), StartsWith(at(4, "guests.containers") + "containers need the container mode"));
    CHECK_THAT(errorOf(kHead + "  weights: [5]\nmodes: [native]\n"), StartsWith(at(4, "guests.weights") + "weights share the CPU among VMs or containers"));
    CHECK_THAT(errorOf(kHead + "  programs: [../../../scenarios/guests/hello.s, ../../../scenarios/guests/hello.s]\n"
                               "  instances: 20\nmodes: [native]\n"),
               StartsWith(at(5, "guests.instances") + "20 instances of 2 programs make 40 processes"));
    CHECK_THAT(errorOf(kHead + "  vms: 256\nmodes: [hw-assist]\nmachine: {memory: 64 MiB}\n"), StartsWith(at(4, "guests.vms")));
}

TEST_CASE("missing required keys", "[scenario]") {
    CHECK(errorOf("guests:\n  kernel: ../../../scenarios/guests/kernel.s\n") ==
          kFile + ":1: title: missing: a one-line title for the lesson");
    CHECK_THAT(errorOf("title: T\n"), StartsWith(kFile + ":1: guests: missing"));
    CHECK_THAT(errorOf("title: T\nguests:\n  programs: []\n"), StartsWith(kFile + ":3: guests.kernel: missing"));
    CHECK_THAT(errorOf(kHead + "tour:\n  modes: [native]\n"), StartsWith(kFile + ":5: tour.stops: missing"));
    CHECK_THAT(errorOf(kHead + "tour:\n  stops:\n    - when: {event: syscall}\n"), StartsWith(at(6, "tour.stops[1].say") + "missing"));
}

TEST_CASE("missing source files name the path as resolved", "[scenario]") {
    CHECK(loadError(kDir + "missing_kernel.yaml") ==
          kDir + "missing_kernel.yaml:3: guests.kernel: file not found: " + kDir + "guests/no-such-kernel.s");
    CHECK(errorOf(kHead + "  programs: [../../../scenarios/guests/hello.s, nope.s]\n") ==
          at(4, "guests.programs[2]") + "file not found: " + kDir + "nope.s");
    CHECK(errorOf("title: T\nguests:\n  kernel: ../asm\n") == at(3, "guests.kernel") + "not a file: " + std::string(RINGSIM_TEST_FIXTURES) + "/asm");
}

TEST_CASE("unknown modes, presets, costs, event kinds, exit reasons, hypercalls", "[scenario]") {
    CHECK(errorOf(kHead + "modes: [native, trap-emulat]\n") == at(4, "modes[2]") + "unknown mode 'trap-emulat' (did you mean 'trap-emulate'?)");
    CHECK_THAT(errorOf(kHead + "modes: [warp]\n"), StartsWith(at(4, "modes[1]") + "unknown mode 'warp' (known: native, trap-emulate,"));
    CHECK_THAT(errorOf(kHead + "modes: [native, native]\n"), StartsWith(at(4, "modes[2]") + "native is listed twice"));
    CHECK_THAT(errorOf(kHead + "modes: [native, all]\n"), StartsWith(at(4, "modes[2]") + "'all' stands alone"));
    CHECK_THAT(errorOf(kHead + "machine: {hardware_assist: false}\nmodes: [hw-assist]\n"),
               StartsWith(at(5, "modes[1]") + "hw-assist needs a CPU with hardware assistance"));
    CHECK(errorOf(kHead + "modes: [native]\ndefault_mode: hw-assist\n") == at(5, "default_mode") + "hw-assist is not among the scenario's modes (native)");
    CHECK(errorOf(kHead + "machine: {preset: modrn}\n") == at(4, "machine.preset") + "unknown preset 'modrn' (did you mean 'modern'?)");
    CHECK(errorOf(kHead + "machine: {paging: nestd}\n") == at(4, "machine.paging") + "unknown paging 'nestd' (did you mean 'nested'?)");
    CHECK_THAT(errorOf(kHead + "machine: {paging: nested, preset: vtx-2006}\n"), StartsWith(at(4, "machine.paging") + "the 'vtx-2006' preset's CPU cannot walk nested"));
    CHECK_THAT(errorOf(kHead + "machine:\n  costs: {insn.dvi: 3}\n"), Contains("(did you mean 'insn.div'?)"));
    CHECK_THAT(errorOf(kHead + "machine:\n  costs: {insn.div: 0}\n"), StartsWith(at(5, "machine.costs.insn.div") + "cost 'insn.div': an instruction takes 1 to 10000 cycles"));
    CHECK(errorOf(kHead + "tour:\n  stops:\n    - when: {event: vmexit}\n      say: x\n") ==
          at(6, "tour.stops[1].when.event") + "unknown event kind 'vmexit' (did you mean 'vm-exit'?)");
    CHECK(errorOf(kHead + "modes: [hw-assist]\ntour:\n  stops:\n    - when: {exit_reason: io_instruction}\n      say: x\n") ==
          at(7, "tour.stops[1].when.exit_reason") + "unknown exit reason 'io_instruction' (did you mean 'io-instruction'?)");
    CHECK(errorOf(kHead + "modes: [paravirt]\ntour:\n  stops:\n    - when: {hypercall: console_wrte}\n      say: x\n") ==
          at(7, "tour.stops[1].when.hypercall") + "unknown hypercall 'console_wrte' (did you mean 'console_write'?)");
    CHECK_THAT(errorOf(kHead + "modes: [paravirt]\ntour:\n  stops:\n    - when: {hypercall: 99}\n      say: x\n"),
               StartsWith(at(7, "tour.stops[1].when.hypercall") + "there is no hypercall number '99'"));
    const Scenario pv = parseScenario(kHead + "modes: [paravirt]\ntour:\n  stops:\n    - when: {hypercall: console_write}\n      say: x\n"
                                              "    - when: {hypercall: 9, nth: 3}\n      say: y\n", kFile);
    CHECK(pv.tour->stops[0].when.number == 7);
    CHECK(pv.tour->stops[1].when.number == 9);
    CHECK(pv.tour->stops[1].when.nth == 3);
}

TEST_CASE("expectations: counters, consoles, diverges, orders", "[scenario]") {
    const std::string expect = kHead + "modes: [native, hw-assist]\nexpect:\n";  // items from line 6
    CHECK(errorOf(expect + "  - counter: vm_exits.io_instruction >= 100\n") ==
          at(6, "expect[1].counter") + "unknown counter 'vm_exits.io_instruction' (did you mean 'vm_exits.io-instruction'?)");
    CHECK_THAT(errorOf(expect + "  - counter: vm_exits.bogus_thing > 1\n"), Contains("(known: vm_exits.total, vm_exits.hlt,"));
    CHECK_THAT(errorOf(expect + "  - counter: speed > 1\n"), Contains("unknown counter 'speed' (known groups: cycles, events,"));
    CHECK_THAT(errorOf(expect + "  - counter: cycles.total 100\n"), StartsWith(at(6, "expect[1].counter") + "expects \"<counter> <op> <number>\""));
    CHECK_THAT(errorOf(expect + "  - counter: cycles.total => 100\n"), StartsWith(at(6, "expect[1].counter") + "unknown comparison '=>'"));
    CHECK_THAT(errorOf(expect + "  - counter: cycles.total > lots\n"), StartsWith(at(6, "expect[1].counter") + "expects a number after >, not 'lots'"));
    CHECK_THAT(errorOf(expect + "  - counter: cycles.total > 1\n    modes: [paravirt]\n"),
               StartsWith(at(7, "expect[1].modes[1]") + "paravirt is not among the scenario's modes (native, hw-assist)"));
    CHECK_THAT(errorOf(expect + "  - counter: cycles.total > 1\n    preset: old\n"), StartsWith(at(7, "expect[1].preset") + "unknown preset 'old'"));
    CHECK_THAT(errorOf(expect + "  - console: {matches: \"hello (\"}\n"), StartsWith(at(6, "expect[1].console.matches") + "not a valid regular expression"));
    CHECK_THAT(errorOf(expect + "  - console: {matches: \"(a{1000}){1000}\"}\n"), StartsWith(at(6, "expect[1].console.matches") + "the pattern is too complex"));
    CHECK_THAT(errorOf(expect + "  - console: {contains: a, exact: b}\n"), StartsWith(at(6, "expect[1].console") + "give exactly one of"));
    CHECK_THAT(errorOf(expect + "  - console: {contain: a}\n"), Contains("(did you mean 'contains'?)"));
    CHECK_THAT(errorOf(expect + "  - console: hi\n    guest: vm0\n"), StartsWith(at(7, "expect[1].guest") + "vm0 exists only in VM modes, but the expectation applies to native"));
    CHECK_THAT(errorOf(expect + "  - console: hi\n    guest: vm1\n    modes: [hw-assist]\n"), StartsWith(at(7, "expect[1].guest") + "there is no vm1: the guests are vm0 to vm0"));
    CHECK_THAT(errorOf(expect + "  - console: hi\n    guest: vm01\n    modes: [hw-assist]\n"), StartsWith(at(7, "expect[1].guest") + "a guest is vm0, vm1"));
    CHECK_THAT(errorOf(expect + "  - counter: cycles.total > 1\n    guest: vm0\n"), StartsWith(at(7, "expect[1].guest") + "guest: applies to console expectations only"));
    CHECK_THAT(errorOf(expect + "  - diverges_from_native: {hw-assist: perhaps}\n"), StartsWith(at(6, "expect[1].diverges_from_native.hw-assist") + "expects true or false"));
    CHECK_THAT(errorOf(expect + "  - diverges_from_native: {native: true}\n"), StartsWith(at(6, "expect[1].diverges_from_native.native") + "native never diverges"));
    CHECK_THAT(errorOf(expect + "  - diverges_from_native:\n      paravirt: true\n"),
               StartsWith(at(7, "expect[1].diverges_from_native.paravirt") + "paravirt is not among the scenario's modes"));
    CHECK_THAT(errorOf(expect + "  - diverges_from_native: {hw-asist: false}\n"), Contains("(did you mean 'hw-assist'?)"));
    CHECK_THAT(errorOf(expect + "  - order: [native]\n"), StartsWith(at(6, "expect[1].order") + "an order needs at least two modes"));
    CHECK_THAT(errorOf(expect + "  - order: [native, hw-assist]\n    modes: [native]\n"), StartsWith(at(7, "expect[1].modes") + "order names its modes itself"));
    CHECK_THAT(errorOf(expect + "  - modes: [native]\n"), StartsWith(at(6, "expect[1]") + "an expectation needs one of"));
    CHECK_THAT(errorOf(expect + "  - {console: a, counter: instructions > 1}\n"), StartsWith(at(6, "expect[1]") + "one expectation per item"));
    CHECK_THAT(errorOf(kHead + "expect: {console: hi}\n"), StartsWith(at(4, "expect") + "expects a list"));
}

TEST_CASE("tour conditions that can never match", "[scenario]") {
    // A tour for the default (first) mode unless tour.modes says otherwise.
    auto tour = [](const std::string& modes, const std::string& when, const std::string& say = "x") {
        return kHead + "modes: [" + modes + "]\ntour:\n  stops:\n    - when: " + when + "\n      say: \"" + say + "\"\n";
    };
    const std::string key = "tour.stops[1].when.";
    CHECK_THAT(errorOf(tour("native, paravirt", "{hypercall: yield}")),
               StartsWith(at(7, key + "hypercall") + "hypercalls happen only in the paravirt mode, but the tour is also for native"));
    CHECK_THAT(errorOf(tour("trap-emulate", "{event: hypercall}")), StartsWith(at(7, key + "event") + "hypercalls happen only in the paravirt mode"));
    // hlt is a VM exit under hw-assist and a hypercall under paravirt: no halt event to stop on.
    for (const char* mode : {"hw-assist", "paravirt"})
        CHECK_THAT(errorOf(tour(std::string(mode) + ", native", "{event: halt}")),
                   StartsWith(at(7, key + "event") + "halt events happen only in modes where the guest's hlt is an "
                                                     "event") && Contains(std::string("also for ") + mode));
    CHECK_NOTHROW(parseScenario(tour("native, trap-emulate, binary-translation, emulation, container", "{event: halt}"),
                                kFile));
    CHECK_THAT(errorOf(tour("trap-emulate, hw-assist", "{exit_reason: hlt}")),
               StartsWith(at(7, key + "exit_reason") + "VM exits, entries and root mode (ring -1) happen only in the hw-assist mode, but the tour is also for trap-emulate"));
    CHECK_THAT(errorOf(tour("native", "{event: vm-exit}")), StartsWith(at(7, key + "event") + "VM exits"));
    CHECK_THAT(errorOf(tour("paravirt", "{event: translation}")), StartsWith(at(7, key + "event") + "translations happen only in binary-translation and emulation"));
    CHECK_THAT(errorOf(tour("trap-emulate", "{ring_change: [0, -1]}")), StartsWith(at(7, key + "ring_change") + "VM exits, entries and root mode"));
    CHECK(errorOf(tour("native", "{ring_change: [3, 4]}")) == at(7, key + "ring_change[2]") + "must be from -1 to 3, not '4'");
    CHECK_THAT(errorOf(tour("native", "{ring_change: [3, 3]}")), StartsWith(at(7, key + "ring_change") + "a ring change needs two different rings"));
    CHECK_THAT(errorOf(tour("native", "{ring_change: [3]}")), StartsWith(at(7, key + "ring_change") + "expects two rings"));
    // Exits the monitor's controls never take, or nested paging removes.
    CHECK_THAT(errorOf(tour("hw-assist", "{exit_reason: control-register-read}")), StartsWith(at(7, key + "exit_reason") + "the hw-assist monitor never exits for control-register-read"));
    CHECK_THAT(errorOf(tour("hw-assist", "{exit_reason: page-table-base-load}")), StartsWith(at(7, key + "exit_reason") + "with nested paging"));
    CHECK(parseScenario("machine: {paging: shadow}\n" + tour("hw-assist", "{exit_reason: page-table-base-load}"), kFile).tour);
    CHECK_THAT(errorOf(tour("native", "{cycle: 3000000000}")), StartsWith(at(7, key + "cycle") + "must be from 1 to 2000000000"));
    CHECK_THAT(errorOf(tour("native", "{cycle: 5, nth: 2}")), StartsWith(at(7, key + "nth") + "nth does not apply to a cycle stop"));
    CHECK_THAT(errorOf(tour("native", "{event: syscall, nth: 0}")), StartsWith(at(7, key + "nth") + "must be from 1 to"));
    CHECK_THAT(errorOf(tour("native", "{event: syscall, cycle: 5}")), StartsWith(at(7, "tour.stops[1].when") + "one condition per stop: event, cycle"));
    CHECK_THAT(errorOf(tour("native", "{nth: 2}")), StartsWith(at(7, "tour.stops[1].when") + "needs one of event, exit_reason"));
    // Labels: looked up in the build each tour mode runs.
    CHECK(errorOf(tour("native", "{label: bot}")) == at(7, key + "label") + "no label 'bot' in kernel.s (did you mean 'boot'?)");
    CHECK_THAT(errorOf(tour("native", "{label: \"hello.s:mian\"}")), StartsWith(at(7, key + "label") + "no program 'hello.s' among guests.programs"));
    CHECK_THAT(errorOf(tour("native", "{label: pv_pte_queue}")), StartsWith(at(7, key + "label") + "no label 'pv_pte_queue' in kernel.s"));
    CHECK(parseScenario(tour("paravirt", "{label: pv_pte_queue}"), kFile).tour->stops[0].when.label == "pv_pte_queue");
    // The file store's labels exist in the build a disk front end gets (FILESTORE=1).
    CHECK(parseScenario("machine: {disk: ide}\n" + tour("native", "{label: ide_io}"), kFile).tour);
    CHECK_THAT(errorOf(tour("native", "{label: ide_io}")), StartsWith(at(7, key + "label") + "no label 'ide_io' in kernel.s"));
    CHECK_THAT(errorOf(tour("native, paravirt", "{label: pv_pte_queue}")), StartsWith(at(7, key + "label") + "no label 'pv_pte_queue' in kernel.s"));
    // Tour modes, stop counts, the explanation.
    CHECK_THAT(errorOf(kHead + "modes: [native]\ntour:\n  modes: [hw-assist]\n  stops: []\n"),
               StartsWith(at(6, "tour.modes[1]") + "hw-assist is not among the scenario's modes (native), so the tour never runs in it"));
    CHECK_THAT(errorOf(kHead + "tour:\n  stops: []\n"), StartsWith(at(5, "tour.stops") + "has 0 stops; a tour has 1 to 20"));
    std::string many = kHead + "tour:\n  stops:\n";
    for (int i = 0; i < 21; ++i) many += "    - {when: {event: syscall}, say: x}\n";
    CHECK_THAT(errorOf(many), StartsWith(at(6, "tour.stops") + "has 21 stops"));
    CHECK_THAT(errorOf(tour("native", "{event: syscall}", " ")), StartsWith(at(8, "tour.stops[1].say") + "is empty"));
    CHECK(errorOf(tour("native", "{event: syscall}", "ring {ring}")) ==
          at(8, "tour.stops[1].say") + "unknown placeholder {ring} (did you mean 'ring_before'?)");
    CHECK_THAT(errorOf(tour("native", "{event: syscall}", "at {cycel}")), Contains("unknown placeholder {cycel} (did you mean 'cycle'?)"));
    CHECK_THAT(errorOf(tour("native", "{event: syscall}", "at {cycle")), StartsWith(at(8, "tour.stops[1].say") + "a '{' without its '}'"));
    CHECK_THAT(errorOf(tour("native", "{event: syscall}", std::string(700, 'a'))), StartsWith(at(8, "tour.stops[1].say") + "is 700 characters long"));
}

TEST_CASE("no input crashes the loader", "[scenario]") {
    // Inputs the fuzzer found interesting, and YAML corners: each is an InputError or a scenario.
    for (const std::string& text : {std::string("\0", 1), std::string("\xff\xfe"), std::string("&a [*a]"), std::string("? [a]\n: b\n"),
                                   std::string("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["), std::string(3000, '['),
                                   std::string("title: !!binary x\n"), std::string("title: *x\n"), std::string("title: T\nguests: &g\n  kernel: *g\n"),
                                   std::string("title: T\nguests:\n  kernel: \"a\\0b\"\n"), std::string("{title: T, guests: {kernel: /dev/null}}"),
                                   std::string("{title: T, guests: {kernel: /proc/self/status}}")}) {
        try {
            parseScenario(text, kFile);
        } catch (const InputError& e) {
            CHECK_THAT(std::string(e.what()), StartsWith(kFile + ":"));
        }
    }
}

TEST_CASE("docs/scenarios.md: its complete example loads, and it lists every counter", "[scenario]") {
    std::ifstream file(std::string(RINGSIM_DATA_DIR) + "/docs/scenarios.md");
    REQUIRE(file);
    std::stringstream text;
    text << file.rdbuf();
    const std::string doc = text.str();
    const std::string example = ringsim::testing::yamlExampleAfter("## A complete example");
    REQUIRE(!example.empty());
    // As if it were a bundled scenario, so guests/... resolves.
    const Scenario s = parseScenario(example, std::string(RINGSIM_DATA_DIR) + "/scenarios/example.yaml");
    CHECK(s.modes.size() == 5);
    CHECK(s.expectations.size() == 9);
    REQUIRE(s.tour);
    CHECK(s.tour->stops.size() == 6);
    for (const auto& counter : knownCounters()) {
        INFO(counter);
        CHECK(doc.find("`" + counter + "`") != std::string::npos);
    }
}

TEST_CASE("machine.nic: a NIC for the guest, its kernel built with the driver, a bad model or a mode without a "
          "driver refused with its line",
          "[scenario][network]") {
    const Scenario s = parseScenario(kHead + "machine:\n  nic: e1000\nmodes: [native, hw-assist]\n", kFile);
    CHECK(s.machine.nic == "e1000");
    CHECK(s.optionsFor(Mode::HwAssist, "").nic == "e1000");
    CHECK(s.sourcesFor(Mode::HwAssist).defines.at("NET") == 1);
    CHECK(parseScenario(kHead, kFile).optionsFor(Mode::Native, "").nic.empty());
    CHECK(parseScenario(kHead, kFile).sourcesFor(Mode::Native).defines.count("NET") == 0);
    CHECK_THAT(errorOf(kHead + "machine:\n  nic: e100\n"),
               StartsWith(at(5, "machine.nic") + "unknown NIC model 'e100' (did you mean 'e1000'?)"));
    CHECK_THAT(errorOf(kHead + "machine:\n  nic: e1000\nmodes: [native, paravirt]\n"),
               StartsWith(at(5, "machine.nic") + "paravirt runs the paravirtual kernel"));
    CHECK_THAT(errorOf(kHead + "  vms: 2\nmachine:\n  nic: e1000\nmodes: [hw-assist]\n"),
               StartsWith(at(6, "machine.nic") + "a NIC is for one guest"));
}

TEST_CASE("machine.disk: read, into the run's options and the file store's build", "[scenario]") {
    const Scenario s = parseScenario(kHead + "machine: {disk: virtio}\n", kFile);
    CHECK(s.machine.disk == DiskFrontEndKind::Virtio);
    CHECK(s.optionsFor(Mode::HwAssist, "").diskFrontEnd == DiskFrontEndKind::Virtio);
    CHECK(s.sourcesFor(Mode::Native).defines.at("FILESTORE") == 1);
    CHECK(s.sourcesFor(Mode::Paravirt).defines.at("FILESTORE") == 1);
    const Scenario plain = parseScenario(kHead, kFile);
    CHECK(plain.machine.disk == DiskFrontEndKind::None);
    CHECK(plain.optionsFor(Mode::Native, "").diskFrontEnd == DiskFrontEndKind::None);
    CHECK_FALSE(plain.sourcesFor(Mode::Native).defines.contains("FILESTORE"));
    CHECK(errorOf(kHead + "machine: {disk: vritio}\n") ==
          at(4, "machine.disk") + "unknown disk front end 'vritio' (did you mean 'virtio'?)");
    const auto& c = knownCounters();
    for (const char* name : {"storage.requests", "storage.notifications", "storage.monitor_entries_per_request"})
        CHECK(std::find(c.begin(), c.end(), name) != c.end());
}
