// The e1000-like NIC: its registers and rings on their own (a cable of the
// test's), then a guest with the kernel's driver (-D NET=1) talking to the
// outside peer through the switch in every mode that can run it, what each
// mode pays per packet, and the capture of such a run, read by tshark.
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "bundled_guest.h"
#include "capture_checks.h"
#include "cli_runner.h"
#include "cpu-model/devices.h"
#include "cpu-model/isa.h"
#include "cpu-model/nic.h"
#include "machine/errors.h"
#include "monitors/modes.h"
#include "run/run.h"
#include "scenario/scenario.h"
#include "scenario/scenario_images.h"

using namespace ringsim;

using namespace ringsim::test;

namespace {

// A cable that keeps what the NIC sent and hands it what the test queued.
struct TestCable : NicLink {
    std::vector<std::vector<uint8_t>> sent;
    std::vector<std::vector<uint8_t>> incoming;
    void transmit(std::span<const uint8_t> frame, uint64_t) override { sent.emplace_back(frame.begin(), frame.end()); }
    std::vector<std::vector<uint8_t>> arrived(uint64_t) override { return std::exchange(incoming, {}); }
};

// A NIC with two-descriptor rings in a small memory: transmit ring at 0x100,
// receive ring at 0x200, buffers from 0x1000.
struct NicBench {
    PhysicalMemory memory{64 * 1024};
    DmaWindow dma{&memory, 0, 64 * 1024};
    TestCable cable;
    EmulatedNic nic{{2, 0, 0, 0, 0x0a, 2}, cable};
    NicBench() {
        nic.write(isa::port::NicTxRing, 0x100, dma, 0);
        nic.write(isa::port::NicTxCount, 2, dma, 0);
        nic.write(isa::port::NicRxRing, 0x200, dma, 0);
        nic.write(isa::port::NicRxCount, 2, dma, 0);
        memory.write32(0x200 + nic_descriptor::Address, 0x1000);
        memory.write32(0x210 + nic_descriptor::Address, 0x1800);
    }
    void send(uint32_t descriptor, uint32_t buffer, uint32_t length) {
        const uint32_t d = 0x100 + descriptor * nic_descriptor::kSize;
        memory.write32(d + nic_descriptor::Address, buffer);
        memory.write32(d + nic_descriptor::Length, length);
        memory.write32(d + nic_descriptor::Status, 0);
        nic.write(isa::port::NicTxTail, descriptor + 1, dma, 0);
    }
};

}  // namespace

TEST_CASE("nic: a filled transmit descriptor goes on the wire at the tail write and is marked done", "[network][nic]") {
    NicBench bench;
    for (uint32_t i = 0; i < 60; ++i) bench.memory.write8(0x3000 + i, uint8_t(i));
    bench.send(0, 0x3000, 60);
    REQUIRE(bench.cable.sent.size() == 1);
    CHECK(bench.cable.sent[0].size() == 60);
    CHECK(bench.cable.sent[0][59] == 59);
    CHECK(bench.memory.read32(0x100 + nic_descriptor::Status) == nic_descriptor::StatusDone);
    CHECK(bench.nic.read(isa::port::NicTxHead) == 1);
    // The cause register says why, and reading it clears it.
    CHECK(bench.nic.read(isa::port::NicCause) == nic_cause::TxDone);
    CHECK(bench.nic.read(isa::port::NicCause) == 0);
    CHECK(bench.nic.counters().txPackets == 1);
    CHECK(bench.nic.counters().txBytes == 60);
}

TEST_CASE("nic: a descriptor with a bad length or buffer is refused, counted, and sends nothing", "[network][nic]") {
    NicBench bench;
    bench.send(0, 0x3000, 2000);          // longer than any Ethernet frame
    bench.send(1, 0xFFF0, 60);            // runs past the end of memory
    CHECK(bench.cable.sent.empty());
    CHECK(bench.nic.counters().txErrors == 2);
    CHECK(bench.memory.read32(0x100 + nic_descriptor::Status) ==
          (nic_descriptor::StatusDone | nic_descriptor::StatusError));
}

TEST_CASE("nic: a frame lands in a free receive buffer, without one it waits, and past the FIFO it is dropped",
          "[network][nic]") {
    NicBench bench;
    bench.cable.incoming.push_back(std::vector<uint8_t>(64, 0xAB));
    bench.nic.write(isa::port::NicMask, nic_cause::Rx, bench.dma, 0);
    // No buffer given yet (tail == head): the frame waits on the card.
    CHECK(bench.nic.counters().rxPackets == 0);
    CHECK_FALSE(bench.nic.interruptAsserted());
    bench.nic.write(isa::port::NicRxTail, 1, bench.dma, 0);
    CHECK(bench.nic.counters().rxPackets == 1);
    CHECK(bench.memory.read32(0x200 + nic_descriptor::Length) == 64);
    CHECK(bench.memory.read32(0x200 + nic_descriptor::Status) == nic_descriptor::StatusDone);
    CHECK(bench.memory.read8(0x1000 + 63) == 0xAB);
    CHECK(bench.nic.interruptAsserted());
    CHECK(bench.nic.counters().interrupts == 1);
    CHECK(bench.nic.read(isa::port::NicCause) == nic_cause::Rx);
    CHECK_FALSE(bench.nic.interruptAsserted());
    // More frames than buffers and the card's FIFO hold: the excess is dropped and said so.
    bench.cable.incoming.assign(EmulatedNic::kFifoFrames + 3, std::vector<uint8_t>(60, 1));
    bench.nic.write(isa::port::NicMask, 0, bench.dma, 0);
    CHECK(bench.nic.counters().rxNoBuffer == 3);
    CHECK(bench.nic.read(isa::port::NicCause) == nic_cause::RxOverrun);
}

TEST_CASE("nic: its MAC address reads from two registers, low byte first", "[network][nic]") {
    NicBench bench;
    CHECK(bench.nic.read(isa::port::NicMacLow) == 0x00000002u);
    CHECK(bench.nic.read(isa::port::NicMacHigh) == 0x020au);
}

TEST_CASE("nic: its ports answer only in a device set that has a NIC", "[network][nic]") {
    DeviceSet without;
    CHECK_FALSE(DeviceSet::answers(isa::port::NicCause));
    CHECK_FALSE(without.in(isa::port::NicCause, 0).known);
    CHECK(portName(isa::port::NicTxTail) == "nic.tx_tail");
}

namespace {

const GuestImages& networkGuest(const std::string& program) {
    static std::map<std::string, GuestImages> cache;
    auto it = cache.find(program);
    if (it == cache.end()) {
        GuestSources sources;
        sources.kernel = testing::kGuestFolder + "kernel.s";
        sources.programs.push_back(testing::kGuestFolder + program + ".s");
        sources.defines["NET"] = 1;
        it = cache.emplace(program, assembleGuest(sources)).first;
    }
    return it->second;
}

std::string programLines(const std::string& console) {
    std::string out;
    size_t at = 0;
    while (at < console.size()) {
        const size_t end = std::min(console.find('\n', at), console.size());
        if (console.compare(at, 7, "kernel:") != 0) out += console.substr(at, end - at) + "\n";
        at = end + 1;
    }
    return out;
}

RunResult runWithNic(const std::string& program, Mode mode) {
    RunOptions options;
    options.mode = mode;
    options.nic = "e1000";
    return runGuest(networkGuest(program), options);
}

}  // namespace

TEST_CASE("the UDP echo client gets its three replies back in every mode with an e1000 driver, the same lines",
          "[network][nic][modes]") {
    const RunResult native = runWithNic("udp_echo", Mode::Native);
    REQUIRE(native.succeeded());
    CHECK(native.console.find("echo 1: hello 1 from the guest (from 10.0.0.1 port 7)\n") != std::string::npos);
    CHECK(native.console.find("echo 3: hello 3 from the guest (from 10.0.0.1 port 7)\n") != std::string::npos);
    REQUIRE(native.network);
    // One ARP exchange and three datagrams each way; the peer echoed all three.
    CHECK(native.network->nicCounters.txPackets == 4);
    CHECK(native.network->nicCounters.rxPackets == 4);
    CHECK(native.network->peer.udpEchoed == 3);
    CHECK(native.network->guestPort.dropped() == 0);
    for (const ModeInfo& info : modeTable()) {
        if (info.mode == Mode::Native || info.needsParavirtKernel) continue;
        INFO(info.name);
        const RunResult r = runWithNic("udp_echo", info.mode);
        CHECK(r.succeeded());
        // The program's lines are the same; the kernel's own may not be (trap-emulate's kernel sees ring 1,
        // a container's console has none).
        CHECK(programLines(r.console) == programLines(native.console));
        REQUIRE(r.network);
        CHECK(r.network->nicCounters.registerAccesses == native.network->nicCounters.registerAccesses);
        CHECK(r.network->peer.udpEchoed == 3);
    }
}

TEST_CASE("ping gets an echo reply for each of its three requests", "[network][nic]") {
    const RunResult r = runWithNic("ping", Mode::HwAssist);
    REQUIRE(r.succeeded());
    for (const char* line : {"reply from 10.0.0.1: seq 1\n", "reply from 10.0.0.1: seq 2\n",
                             "reply from 10.0.0.1: seq 3\n"})
        CHECK(r.console.find(line) != std::string::npos);
    REQUIRE(r.network);
    CHECK(r.network->peer.echoAnswered == 3);
}

TEST_CASE("under hw-assist every NIC register access is an I/O exit: several per packet", "[network][nic][modes]") {
    const RunResult with = runWithNic("udp_echo", Mode::HwAssist);
    REQUIRE(with.succeeded());
    REQUIRE(with.network);
    const NicCounters& nic = with.network->nicCounters;
    // Per packet: the transmit tail, the cause register, the receive tail handed back.
    CHECK(double(nic.registerAccesses) / double(nic.txPackets + nic.rxPackets) >= 2.0);
    CHECK(nic.txDoorbells == nic.txPackets);
    // Each access exits (the console's and the disk's exit as well, so the I/O exits are at least as many).
    const uint64_t ioExits = with.monitor.exits[size_t(VmExitReason::IoInstruction)];
    const RunResult ping = runWithNic("ping", Mode::HwAssist);
    CHECK(ioExits >= nic.registerAccesses);
    CHECK(ping.monitor.exits[size_t(VmExitReason::IoInstruction)] >= ping.network->nicCounters.registerAccesses);
}

TEST_CASE("a run without --nic has no network and its NIC ports answer nothing", "[network][nic]") {
    RunOptions options;
    options.mode = Mode::Native;
    const RunResult r = runGuest(testing::bundledGuest("hello", false), options);
    CHECK_FALSE(r.network);
    options.mode = Mode::Paravirt;
    options.nic = "e1000";
    CHECK_THROWS_AS(runGuest(testing::bundledGuest("hello", true), options), InputError);
    options.mode = Mode::Native;
    options.nic = "rtl8139";
    CHECK_THROWS_AS(runGuest(testing::bundledGuest("hello", false), options), InputError);
}

namespace {

struct TempCapture {
    std::string path = (std::filesystem::temp_directory_path() /
                        ("ringsim_nic_" + std::to_string(getpid()) + ".pcapng"))
                           .string();
    ~TempCapture() {
        std::error_code ec;
        std::filesystem::remove(path, ec);
    }
};

// --nic builds the kernel with its driver (NET=1) by itself.
const std::string kEchoGuest = "run " + testing::kGuestFolder + "kernel.s -p " + testing::kGuestFolder +
                               "udp_echo.s --mode hw-assist";
const std::string kEchoRun = kEchoGuest + " --nic e1000";

}  // namespace

TEST_CASE("ringsim run --nic: the network object in the JSON, and bad network options exit 2 before the run",
          "[network][nic][cli]") {
    const CliOutput out = runRingsim(kEchoRun + " --format json", " 2>/dev/null");
    REQUIRE(out.code == 0);
    const auto report = nlohmann::json::parse(out.text);
    REQUIRE(report.contains("network"));
    CHECK(report["network"]["nic"] == "e1000");
    CHECK(report["network"]["tx_packets"] == 4);
    CHECK(report["network"]["rx_packets"] == 4);
    CHECK(report["network"]["register_accesses_per_packet"].get<double>() >= 2.0);
    CHECK(report["network"]["switch"]["uplink"]["tx_packets"] == 4);
    // NET given by hand as well changes nothing.
    const CliOutput byHand = runRingsim(kEchoRun + " -D NET=1 --format json", " 2>/dev/null");
    REQUIRE(byHand.code == 0);
    CHECK(nlohmann::json::parse(byHand.text)["network"]["rx_packets"] == 4);
    const CliOutput unwritable = runRingsim(kEchoRun + " --pcap /nonexistent-folder/x.pcapng");
    CHECK(unwritable.code == 2);
    CHECK(unwritable.text.find("--pcap '/nonexistent-folder/x.pcapng': cannot be written") != std::string::npos);
    CHECK(unwritable.text.find("echo 1") == std::string::npos);  // nothing ran
    const CliOutput noNic = runRingsim("run " + testing::kGuestFolder + "kernel.s -p " + testing::kGuestFolder +
                                       "hello.s --pcap /tmp/never.pcapng");
    CHECK(noNic.code == 2);
    CHECK(noNic.text.find("no NIC") != std::string::npos);
    const CliOutput model = runRingsim(kEchoGuest + " --nic rtl8139");
    CHECK(model.code == 2);
    CHECK(model.text.find("the NIC models are e1000") != std::string::npos);
}

TEST_CASE("tshark reads the capture of a run with a NIC: ARP, then UDP to the echo port and back, checksums good",
          "[network][nic][cli][pcap]") {
    if (runShell("command -v tshark >/dev/null 2>&1").code != 0) {
        WARN("tshark is not installed (Debian: apt-get install tshark); its checks are skipped");
        return;
    }
    TempCapture capture;
    REQUIRE(runRingsim(kEchoRun + " --pcap " + capture.path, " >/dev/null 2>&1").code == 0);
    const std::string tshark = tsharkReading(capture.path);
    const std::string complaints = tsharkComplaints(tshark);
    INFO(complaints);
    CHECK(complaints.empty());
    const CliOutput fields =
        runShell(tshark + " -T fields -E separator=, -e frame.interface_name -e vlan.id -e ip.checksum.status"
                          " -e udp.checksum.status -e udp.dstport -e _ws.col.Protocol 2>/dev/null");
    INFO(fields.text);
    CHECK(fields.code == 0);
    CHECK(countOf(fields.text, "uplink,10,,,,ARP") == 1);  // the guest asks for the peer, tagged on the trunk
    CHECK(countOf(fields.text, "guest,,,,,ARP") == 1);     // the answer, untagged on the guest's access port
    CHECK(countOf(fields.text, "uplink,10,1,1,7,ECHO") == 3);  // to the echo port, both checksums good
    CHECK(countOf(fields.text, "guest,,1,1,40000,ECHO") == 3);
    CHECK(countOf(fields.text, "\n") == 8);
    const CliOutput expert = runShell(tshark + " -q -z expert,warn 2>/dev/null");
    INFO(expert.text);
    CHECK(expert.text.find("Warnings") == std::string::npos);
    CHECK(expert.text.find("Errors") == std::string::npos);
}

TEST_CASE("every event of a run with a NIC carries a receipt whose items add up to its cost, in every mode",
          "[network][nic][receipts]") {
    for (const ModeInfo& info : modeTable()) {
        if (info.needsParavirtKernel) continue;
        INFO(info.name);
        RunOptions options;
        options.mode = info.mode;
        options.nic = "e1000";
        uint64_t nicEvents = 0;
        const RunResult r = runGuest(networkGuest("udp_echo"), options, [&](const Event& e) {
            if (e.kind == EventKind::PortIo && DeviceSet::isNicPort(e.detail)) ++nicEvents;
            INFO(describeEvent(e) << " [" << mechanismId(e.receipt.mechanism) << "]");
            REQUIRE(e.receipt.written());
            CHECK(e.receipt.route[0].ring == e.ringBefore);
            CHECK(e.receipt.inEventCycles() == e.cost);
            return true;
        });
        CHECK(r.succeeded());
        // Each register access is an event of its own, in every mode.
        CHECK(nicEvents == r.network->nicCounters.registerAccesses);
    }
}

TEST_CASE("a scenario with machine.nic runs its guest on the network", "[network][nic][scenario]") {
    const std::string text = "title: UDP echo\n"
                             "machine:\n  nic: e1000\n"
                             "guests:\n  kernel: " + testing::kGuestFolder + "kernel.s\n"
                             "  programs: [" + testing::kGuestFolder + "udp_echo.s]\n"
                             "modes: [native, binary-translation]\n";
    const Scenario scenario = parseScenario(text, testing::kGuestFolder + "inline.yaml");
    const ScenarioImages images(scenario);
    for (const Mode mode : scenario.modes) {
        const RunResult r = runGuest(images.forMode(mode), scenario.optionsFor(mode, ""));
        INFO(modeName(mode));
        CHECK(r.console.find("echo 3: hello 3 from the guest (from 10.0.0.1 port 7)") != std::string::npos);
        REQUIRE(r.network);
        CHECK(r.network->peer.udpEchoed == 3);
    }
}
