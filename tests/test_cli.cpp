// The headless CLI as a user meets it: exit codes, messages that name the
// file and line (or cycle and pc), and the JSON fields batch users rely on.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "cli_runner.h"

namespace {

using Output = CliOutput;  // stdout and stderr together

Output ringsim(const std::string& args) { return runRingsim(args); }

// Named after this process too: ctest runs test cases in parallel, each in its own process.
std::string tempPath(const std::string& name) {
    return "/tmp/ringsim_test_cli_" + std::to_string(getpid()) + "_" + name;
}

std::string writeTemp(const std::string& name, const std::string& text) {
    const std::string path = tempPath(name);
    std::ofstream(path) << text;
    return path;
}

const char* kHalting = "_start: li r1, 'o'\n out 0x10, r1\n li r1, 'k'\n out 0x10, r1\n cli\n hlt\n";

}  // namespace

TEST_CASE("ringsim run prints the console and exits 0 when the guest halts", "[cli]") {
    auto out = ringsim("run " + writeTemp("ok.s", kHalting));
    CHECK(out.code == 0);
    CHECK(out.text.rfind("ok\n---\n", 0) == 0);
    CHECK_THAT(out.text, Catch::Contains("halted"));
}

TEST_CASE("ringsim run --format json has the documented fields", "[cli]") {
    auto out = ringsim("run " + writeTemp("ok.s", kHalting) + " --format json");
    REQUIRE(out.code == 0);
    auto j = nlohmann::json::parse(out.text);
    CHECK(j["mode"] == "native");
    CHECK(j["preset"] == "modern");
    CHECK(j["console"] == "ok");
    CHECK(j["stop_reason"] == "halted");
    CHECK(j["instructions"] == 6);
    uint64_t sum = 0;
    for (const char* c : {"guest_user", "guest_kernel", "monitor", "translation", "world_switch", "page_walk",
                          "device", "idle"})
        sum += j["cycles"][c].get<uint64_t>();
    CHECK(sum == j["cycles"]["total"].get<uint64_t>());
    CHECK(j["events"]["port-io"] == 2);
    CHECK(j["costs"]["io_port"] == 1500);
}

TEST_CASE("bad input is exit code 2 with file, line and column", "[cli][bad-input]") {
    auto bad = ringsim("run " + writeTemp("bad.s", "_start: nop\n  mvo r1, r2\nx: nop\nx: nop\n"));
    CHECK(bad.code == 2);
    CHECK_THAT(bad.text, Catch::Contains("bad.s:2:3: error: unknown mnemonic 'mvo'"));
    CHECK_THAT(bad.text, Catch::Contains("bad.s:4:1: error: label 'x' defined twice"));

    auto missing = ringsim("run /tmp/ringsim_no_such_file.s");
    CHECK(missing.code == 2);
    CHECK_THAT(missing.text, Catch::Contains("ringsim_no_such_file.s"));

    const std::string ok = writeTemp("ok.s", kHalting);
    auto mode = ringsim("run " + ok + " --mode warp");
    CHECK(mode.code == 2);
    CHECK_THAT(mode.text, Catch::Contains("unknown mode 'warp'"));
    auto preset = ringsim("run " + ok + " --preset pentium");
    CHECK(preset.code == 2);
    CHECK_THAT(preset.text, Catch::Contains("unknown preset 'pentium'"));
    auto cost = ringsim("run " + ok + " --cost trap_entry=lots");
    CHECK(cost.code == 2);
    CHECK_THAT(cost.text, Catch::Contains("trap_entry"));
    auto usage = ringsim("frobnicate");
    CHECK(usage.code == 2);
}

TEST_CASE("a guest that never halts stops at the cycle budget with exit code 1", "[cli][bad-input]") {
    auto out = ringsim("run " + writeTemp("spin.s", "_start: jmp _start\n") + " --max-cycles 5000");
    CHECK(out.code == 1);
    CHECK_THAT(out.text, Catch::Contains("cycle-budget"));
    CHECK_THAT(out.text, Catch::Contains("cycle 5000"));
}

TEST_CASE("a wild jump is a guest fault reported with cycle and pc", "[cli][bad-input]") {
    auto out = ringsim("run " + writeTemp("wild.s", "_start: li r1, 0x7000000\n jmpr r1\n"));
    CHECK(out.code == 1);
    CHECK_THAT(out.text, Catch::Contains("guest-fault"));
    CHECK_THAT(out.text, Catch::Contains("bus-error"));
    CHECK_THAT(out.text, Catch::Contains("pc 0x07000000"));
}

TEST_CASE("ringsim trace prints one line per event and honours --limit", "[cli]") {
    auto out = ringsim("trace " + writeTemp("ok.s", kHalting) + " --limit 1");
    CHECK(out.code == 0);
    CHECK_THAT(out.text, Catch::Contains("port-io"));
    CHECK_THAT(out.text, Catch::Contains("stopped after 1 event;"));
    auto kinds = ringsim("trace " + writeTemp("ok.s", kHalting) + " --kinds halt");
    CHECK_THAT(kinds.text, !Catch::Contains("port-io"));
    // The header, the one halt event, the closing line: the event line itself must be there.
    std::vector<std::string> lines;
    for (size_t at = 0; at < kinds.text.size();) {
        const size_t end = kinds.text.find('\n', at);
        lines.push_back(kinds.text.substr(at, end - at));
        at = end == std::string::npos ? kinds.text.size() : end + 1;
    }
    REQUIRE(lines.size() == 3);
    CHECK_THAT(lines[1], Catch::Contains(" halt ") && Catch::Contains("idle"));
    CHECK(lines[2] == "(1 event; the guest halted)");
    auto badKind = ringsim("trace " + writeTemp("ok.s", kHalting) + " --kinds nonsense");
    CHECK(badKind.code == 2);
}

TEST_CASE("ringsim trace --receipts shows under each event the mechanism, route and bill", "[cli][receipts]") {
    const std::string scenario = std::string(RINGSIM_DATA_DIR) + "/scenarios/02-trap-emulate-flaw.yaml";
    auto out = ringsim("trace " + scenario + " --mode trap-emulate --receipts --kinds syscall --limit 1");
    CHECK(out.code == 0);
    // A syscall under trap-and-emulate lands in the monitor first, which reflects it to the guest kernel.
    CHECK_THAT(out.text, Catch::Contains("reflected-by-monitor: 3 user -> 0 monitor -> 1 kernel; reflect_gate"));
    CHECK_THAT(out.text, Catch::Contains("monitor_trap") && Catch::Contains("apart"));
    auto paravirt = ringsim("trace " + scenario + " --mode paravirt --receipts --kinds syscall --limit 1");
    CHECK_THAT(paravirt.text, Catch::Contains("syscall-gate: 3 user -> 1 kernel; syscall_entry"));
}

TEST_CASE("ringsim asm and disasm round-trip through files", "[cli]") {
    const std::string source = writeTemp("rt.s", kHalting);
    const std::string binary = tempPath("rt.bin"), binaryAgain = tempPath("rt2.bin");
    auto assembled = ringsim("asm " + source + " -o " + binary + " --listing");
    REQUIRE(assembled.code == 0);
    CHECK_THAT(assembled.text, Catch::Contains("_start:"));
    auto disassembled = ringsim("disasm " + binary);
    REQUIRE(disassembled.code == 0);
    const std::string again = writeTemp("rt2.s", disassembled.text);
    auto reassembled = ringsim("asm " + again + " -o " + binaryAgain);
    REQUIRE(reassembled.code == 0);
    std::ifstream a(binary, std::ios::binary), b(binaryAgain, std::ios::binary);
    std::string bytesA((std::istreambuf_iterator<char>(a)), {}), bytesB((std::istreambuf_iterator<char>(b)), {});
    CHECK(!bytesA.empty());
    CHECK(bytesA == bytesB);
}

TEST_CASE("ringsim bench --format json reports its speed", "[cli][bench]") {
    auto out = ringsim("bench --seconds 0.05 --format json");
    REQUIRE(out.code == 0);
    auto j = nlohmann::json::parse(out.text);
    CHECK(j["instructions"].get<uint64_t>() > 0);
    CHECK(j["mips"].get<double>() > 0);
    CHECK(j["seconds"].get<double>() > 0);
}

TEST_CASE("ringsim bench measures every mode", "[cli][bench]") {
    for (const char* mode :
         {"native", "trap-emulate", "binary-translation", "emulation", "paravirt", "hw-assist", "container"}) {
        INFO(mode);
        auto out = ringsim(std::string("bench --seconds 0.02 --format json --mode ") + mode);
        REQUIRE(out.code == 0);
        CHECK(nlohmann::json::parse(out.text)["instructions"].get<uint64_t>() > 0);
    }
}

TEST_CASE("ringsim run --mode container shows the container's console, then the host's stream", "[cli][container]") {
    const std::string guests = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";
    const std::string guest = guests + "kernel.s -p " + guests + "hello.s --mode container";
    auto text = ringsim("run " + guest);
    REQUIRE(text.code == 0);
    CHECK(text.text.rfind("hello from pid 1 in ring 3\n--- the host's console stream\nkernel: running in ring 0\n", 0) == 0);
    auto j = nlohmann::json::parse(ringsim("run " + guest + " --format json").text);
    CHECK(j["mode"] == "container");
    CHECK(j["console"] == "hello from pid 1 in ring 3\n");
    CHECK(j["host_console"].get<std::string>().rfind("kernel: running in ring 0\n", 0) == 0);
}

TEST_CASE("ringsim compare runs every mode and marks where the output parts from native", "[cli][compare]") {
    const std::string guests = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";
    const std::string guest = guests + "kernel.s -p " + guests + "hello.s";
    auto text = ringsim("compare " + guest);
    REQUIRE(text.code == 0);
    for (const char* mode :
         {"native", "trap-emulate", "binary-translation", "emulation", "paravirt", "hw-assist", "container"})
        CHECK_THAT(text.text, Catch::Contains(mode));
    auto json = nlohmann::json::parse(ringsim("compare " + guest + " --format json").text);
    REQUIRE(json.size() == 7);
    for (const auto& row : json) {
        INFO(row["mode"]);
        CHECK(row["diverged_from_native"] == (row["mode"] == "trap-emulate"));
        CHECK(row.contains("vm_exits"));
        CHECK(row.contains("hypercalls"));
        CHECK(row.contains("translations"));
    }
    auto csv = ringsim("compare " + guest + " --modes native,hw-assist --format csv");
    REQUIRE(csv.code == 0);
    CHECK(csv.text.rfind("mode,stop,cycles,overhead,", 0) == 0);
    CHECK(std::count(csv.text.begin(), csv.text.end(), '\n') == 3);
    auto refused = ringsim("compare " + guest + " --modes hw-assist --no-hardware-assist");
    CHECK(refused.code == 0);
    CHECK_THAT(refused.text, Catch::Contains("no hardware virtualisation extensions"));
    CHECK(ringsim("compare " + guest + " --modes warp").code == 2);
}

TEST_CASE("ringsim run --vms N prefixes each VM's console and reports every guest", "[cli][vms]") {
    const std::string ok = writeTemp("ok.s", kHalting);
    auto out = ringsim("run " + ok + " --mode trap-emulate --vms 2");
    CHECK(out.code == 0);
    CHECK(out.text.rfind("[vm0] ok\n[vm1] ok\n", 0) == 0);
    CHECK_THAT(out.text, Catch::Contains("2 VMs under one monitor"));
    auto json = ringsim("run " + ok + " --mode hw-assist --vms 3 --weights 1,2,3 --format json");
    REQUIRE(json.code == 0);
    const auto j = nlohmann::json::parse(json.text);
    REQUIRE(j["guests"].size() == 3);
    CHECK(j["guests"][2]["weight"] == 3);
    CHECK(j["guests"][1]["console"] == "ok");
    CHECK(j["footprint"]["pages"]["per_instance"].size() == 3);
    CHECK(j["footprint"]["startup_cycles"]["total"].is_number());
    CHECK(j["host_cycles"]["world_switch"].is_number());
}

TEST_CASE("ringsim refuses impossible sets of guests with exit 2 and the limit", "[cli][vms]") {
    const std::string ok = writeTemp("ok.s", kHalting);
    auto tooMany = ringsim("run " + ok + " --mode hw-assist --vms 200 --memory 16777216");
    CHECK(tooMany.code == 2);
    CHECK_THAT(tooMany.text, Catch::Contains("at most 63 VMs of this size"));
    auto zero = ringsim("run " + ok + " --mode paravirt --vms 2 --weights 0,5");
    CHECK(zero.code == 2);
    auto native = ringsim("run " + ok + " --vms 2");
    CHECK(native.code == 2);
    CHECK_THAT(native.text, Catch::Contains("--vms needs a mode that runs virtual machines"));
    auto containers = ringsim("run " + ok + " --mode hw-assist --containers 2");
    CHECK(containers.code == 2);
    CHECK_THAT(containers.text, Catch::Contains("use --vms"));
}

TEST_CASE("console bytes of 0x80 and above are carried by JSON, one character U+00XX per byte", "[cli][json]") {
    const std::string source =
        writeTemp("bytes.s", "_start: li r1, 0xe9\n out 0x10, r1\n li r1, 0x80\n out 0x10, r1\n li r1, 0xff\n"
                             " out 0x10, r1\n cli\n hlt\n");
    auto run = ringsim("run " + source + " --format json");
    REQUIRE(run.code == 0);
    CHECK_THAT(run.text, Catch::Contains("\"console\": \"\\u00e9\\u0080\\u00ff\""));
    CHECK(nlohmann::json::parse(run.text)["console"] == "\u00e9\u0080\u00ff");
    auto compare = ringsim("compare " + source + " --modes native,emulation --format json");
    REQUIRE(compare.code == 0);
    const auto rows = nlohmann::json::parse(compare.text);
    REQUIRE(rows.size() == 2);
    for (const auto& row : rows) CHECK(row["console"] == "\u00e9\u0080\u00ff");
}

TEST_CASE("container mode without a program is refused: containers need programs", "[cli][container][bad-input]") {
    const std::string kernel = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/kernel.s";
    for (const std::string extra : {"", " --containers 4"}) {
        auto out = ringsim("run " + kernel + " --mode container" + extra);
        CHECK(out.code == 2);
        CHECK_THAT(out.text, Catch::Contains("containers need programs"));
    }
}

TEST_CASE("a user program without .org USER_BASE is refused by the loader, naming the program", "[cli][bad-input]") {
    const std::string guests = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";
    const std::string program = writeTemp("no_org.s", "_start: li r0, 0\n syscall\n");
    auto out = ringsim("run " + guests + "kernel.s -p " + program);
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Catch::Contains("no_org.s"));
    CHECK_THAT(out.text, Catch::Contains(".org USER_BASE"));
    CHECK_THAT(out.text, !Catch::Contains("cannot start program"));
}

TEST_CASE("compare gives no overhead against a native run that failed, and says why", "[cli][compare]") {
    const std::string scenario = std::string(RINGSIM_DATA_DIR) + "/scenarios/06b-paravirt-kernel-on-hardware.yaml";
    auto json = ringsim("compare " + scenario + " --format json");
    REQUIRE(json.code == 0);
    const auto rows = nlohmann::json::parse(json.text);
    REQUIRE(rows.size() == 2);
    for (const auto& row : rows) {
        INFO(row["mode"]);
        CHECK(row["overhead_percent"].is_null());
        CHECK(row["overhead_note"].get<std::string>().rfind("native failed: guest-fault", 0) == 0);
    }
    auto text = ringsim("compare " + scenario);
    CHECK_THAT(text.text, Catch::Contains("native failed: guest-fault"));
    CHECK_THAT(text.text, !Catch::Contains("%"));
    auto csv = ringsim("compare " + scenario + " --format csv");
    CHECK_THAT(csv.text, Catch::Contains("paravirt,halted,"));
    CHECK_THAT(csv.text, Catch::Contains("native failed"));
}

TEST_CASE("the -I option lets a program outside scenarios/guests include the bundled library", "[cli][include]") {
    const std::string guests = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests";
    const std::string program =
        writeTemp("outside.s", ".include \"include/syscalls.inc\"\n .org USER_BASE\n .include \"include/userlib.inc\"\n"
                               "_start: li r1, 0\n SYS SYS_EXIT\n");
    auto without = ringsim("asm " + program);
    CHECK(without.code == 2);
    CHECK_THAT(without.text, Catch::Contains("syscalls.inc"));
    CHECK(ringsim("asm " + program + " -I " + guests).code == 0);
    CHECK(ringsim("disasm " + program + " -I " + guests).code == 0);
    auto run = ringsim("run " + guests + "/kernel.s -p " + program + " -I " + guests + " -I " + guests);
    CHECK(run.code == 0);
    CHECK_THAT(run.text, Catch::Contains("kernel: 1 process exited"));
    CHECK(ringsim("trace " + guests + "/kernel.s -p " + program + " -I " + guests + " --limit 5").code == 0);
    CHECK(ringsim("compare " + guests + "/kernel.s -p " + program + " -I " + guests + " --modes native").code == 0);
    CHECK(ringsim("asm " + program + " -I /no/such/folder").code != 0);
}

TEST_CASE("messages count in the singular for one, and a listing shows every label at an address", "[cli][messages]") {
    auto trace = ringsim("trace " + writeTemp("ok.s", kHalting) + " --kinds halt");
    CHECK_THAT(trace.text, Catch::Contains("(1 event; the guest halted)"));
    auto wild = ringsim("trace " + writeTemp("wild.s", "_start: li r1, 0x7000000\n jmpr r1\n") + " --kinds halt");
    CHECK(wild.code == 1);
    CHECK_THAT(wild.text, Catch::Contains("(0 events; the run stopped: guest-fault)"));
    auto listing = ringsim("asm " + writeTemp("two_labels.s", "_start:\nzeta:\nalpha: cli\n hlt\n") + " --listing");
    REQUIRE(listing.code == 0);
    CHECK_THAT(listing.text, Catch::Contains("_start:\n") && Catch::Contains("zeta:\n") && Catch::Contains("alpha:\n"));
}

TEST_CASE("ringsim list says 1 scenario, not 1 scenarios", "[cli][messages]") {
    const std::string folder = tempPath("one_scenario");
    std::filesystem::create_directories(folder);
    std::ofstream(folder + "/only.yaml") << "title: the only one\n";
    auto out = ringsim("list " + folder);
    CHECK_THAT(out.text, Catch::Contains("(1 scenario in "));
    std::filesystem::remove_all(folder);
}

TEST_CASE("hostile inputs: one memory cap in every mode", "[cli][bad-input][hostile]") {
    const std::string source = writeTemp("ok.s", kHalting);
    for (const char* mode : {"native", "trap-emulate", "hw-assist"}) {
        INFO(mode);
        auto out = ringsim("run " + source + " --mode " + mode + " --memory 4294963200");
        CHECK(out.code == 2);
        CHECK_THAT(out.text, Catch::Contains("limit"));
    }
}

TEST_CASE("a bus error is reported at the address the access reached, not its page", "[cli][bad-input]") {
    auto out = ringsim("run " + writeTemp("bus.s", "_start: li r1, 0xfffffffc\n st [r1], r1\n"));
    CHECK(out.code == 1);
    CHECK_THAT(out.text, Catch::Contains("bus-error") && Catch::Contains("at address 0xfffffffc"));
}
