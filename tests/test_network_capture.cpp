// `ringsim net demo`: its counters, its JSON, its errors, and the capture it
// writes, read by Debian's tcpdump and tshark without a warning, showing the
// ARP, ICMP, UDP and VLAN traffic with every checksum good. The tool checks
// are skipped, with a warning, only where tcpdump or tshark is not installed.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "capture_checks.h"
#include "cli_runner.h"

using namespace ringsim::test;

namespace {

// A capture file of this test process's own, removed afterwards.
struct CaptureFile {
    std::string path;
    explicit CaptureFile(const std::string& name)
        : path((std::filesystem::temp_directory_path() /
                ("ringsim_net_" + std::to_string(getpid()) + "_" + name + ".pcapng"))
                   .string()) {}
    ~CaptureFile() {
        std::error_code ec;
        std::filesystem::remove(path, ec);
    }
};

bool toolInstalled(const std::string& tool) {
    if (runShell("command -v " + tool + " >/dev/null 2>&1").code == 0) return true;
    WARN(tool << " is not installed (Debian: apt-get install " << tool << "); its checks are skipped");
    return false;
}

const nlohmann::json& portNamed(const nlohmann::json& report, const std::string& name) {
    for (const auto& port : report["ports"])
        if (port["name"] == name) return port;
    FAIL("no port " << name);
    static const nlohmann::json none;
    return none;
}

}  // namespace

TEST_CASE("net demo: each tenant reaches the peer, tenant B's attempts on VLAN 10 are dropped by reason",
          "[network][cli]") {
    const CliOutput out = runRingsim("net demo --format json", " 2>/dev/null");
    REQUIRE(out.code == 0);
    const auto report = nlohmann::json::parse(out.text);
    const auto& peer = portNamed(report, "uplink")["host"];
    CHECK(peer["arp_answered"] == 2);
    CHECK(peer["echo_answered"] == 6);
    CHECK(peer["udp_echoed"] == 4);
    for (const char* tenant : {"tenant-a", "tenant-b"}) {
        INFO(tenant);
        const auto& host = portNamed(report, tenant)["host"];
        CHECK(host["arp_learned"] == 1);
        CHECK(host["echo_replies"] == 3);
    }
    // Two echoed datagrams each; tenant A also the peer's stream of eight.
    CHECK(portNamed(report, "tenant-a")["host"]["udp_received"] == 10);
    CHECK(portNamed(report, "tenant-b")["host"]["udp_received"] == 2);
    CHECK(portNamed(report, "tenant-a2")["host"]["echo_replies"] == 1);
    const auto& drops = portNamed(report, "tenant-b")["drops"];
    CHECK(drops["spoofed-source"] == 1);
    CHECK(drops["foreign-vlan"] == 1);
    CHECK(drops["double-tag"] == 1);
    CHECK(portNamed(report, "tenant-b")["dropped"] == 3);
    CHECK(portNamed(report, "tenant-a")["dropped"] == 0);
    // Nothing of VLAN 20 was learned on a VLAN 10 port or the other way round (ports: uplink 0,
    // tenant-a 1, tenant-a2 2, tenant-b 3).
    for (const auto& entry : report["mac_table"]) {
        if (entry["vlan"] == 20) CHECK((entry["port"] == 0 || entry["port"] == 3));
        if (entry["vlan"] == 10) CHECK(entry["port"] != 3);
    }

    const CliOutput text = runRingsim("net demo");
    REQUIRE(text.code == 0);
    CHECK(text.text.find("tenant-b   spoofed-source  1") != std::string::npos);
    CHECK(text.text.find("uplink") != std::string::npos);
}

TEST_CASE("net demo: bad usage is an error with exit 2, before anything runs", "[network][cli]") {
    const CliOutput unwritable = runRingsim("net demo --pcap /nonexistent-folder/x.pcapng");
    CHECK(unwritable.code == 2);
    CHECK(unwritable.text.find("--pcap '/nonexistent-folder/x.pcapng': cannot be written") != std::string::npos);
    const CliOutput format = runRingsim("net demo --format xml");
    CHECK(format.code == 2);
    CHECK(format.text.find("--format 'xml': text or json") != std::string::npos);
    CHECK(runRingsim("net").code == 2);
    CHECK(runRingsim("net nonsense").code == 2);
}

TEST_CASE("net demo's capture is the same bytes on every run", "[network][cli]") {
    CaptureFile first("first");
    CaptureFile second("second");
    REQUIRE(runRingsim("net demo --pcap " + first.path, " >/dev/null 2>&1").code == 0);
    REQUIRE(runRingsim("net demo --pcap " + second.path, " >/dev/null 2>&1").code == 0);
    CHECK(runShell("cmp -s " + first.path + " " + second.path).code == 0);
    CHECK(std::filesystem::file_size(first.path) > 1000);
}

TEST_CASE("tcpdump reads net demo's capture without complaint", "[network][cli][pcap]") {
    if (!toolInstalled("tcpdump")) return;
    CaptureFile capture("tcpdump");
    REQUIRE(runRingsim("net demo --pcap " + capture.path, " >/dev/null 2>&1").code == 0);
    // stderr alone first: tcpdump's only line there must be its "reading from file" notice.
    const CliOutput errors = runShell("tcpdump -nn -e -r " + capture.path + " 2>&1 >/dev/null");
    INFO(errors.text);
    REQUIRE(errors.code == 0);
    CHECK(errors.text.find("reading from file") != std::string::npos);
    CHECK(countOf(errors.text, "\n") == 1);
    const CliOutput out = runShell("tcpdump -nn -e -v -r " + capture.path + " 2>/dev/null");
    INFO(out.text);
    CHECK(out.text.find("Request who-has 10.0.0.1 tell 10.0.0.2") != std::string::npos);
    CHECK(out.text.find("Reply 10.0.0.1 is-at 02:00:00:00:00:01") != std::string::npos);
    CHECK(out.text.find("vlan 10") != std::string::npos);
    CHECK(out.text.find("vlan 20") != std::string::npos);
    CHECK(countOf(out.text, "ICMP echo request") == 7);  // three per tenant, one within VLAN 10
    CHECK(countOf(out.text, "ICMP echo reply") == 7);
    CHECK(out.text.find("10.0.0.2.40000 > 10.0.0.1.7: UDP") != std::string::npos);
    CHECK(out.text.find("bad cksum") == std::string::npos);
    CHECK(out.text.find("wrong") == std::string::npos);
}

TEST_CASE("tshark reads net demo's capture: every port an interface, every checksum good", "[network][cli][pcap]") {
    if (!toolInstalled("tshark")) return;
    CaptureFile capture("tshark");
    REQUIRE(runRingsim("net demo --pcap " + capture.path, " >/dev/null 2>&1").code == 0);
    const std::string tshark = tsharkReading(capture.path);
    const std::string complaints = tsharkComplaints(tshark);
    INFO(complaints);
    CHECK(complaints.empty());
    // One line per frame: its port, VLAN, and the checksum verdicts (1 = good, 0 = bad).
    const CliOutput fields =
        runShell(tshark + " -T fields -E separator=, -e frame.interface_name -e vlan.id -e ip.checksum.status"
                          " -e udp.checksum.status -e icmp.checksum.status -e _ws.col.Protocol 2>/dev/null");
    INFO(fields.text);
    CHECK(fields.code == 0);
    CHECK(countOf(fields.text, "uplink,10,") == 7);  // VLAN 10's two ARP requests, three pings, two datagrams
    CHECK(countOf(fields.text, "uplink,20,") == 6);
    CHECK(countOf(fields.text, "tenant-a,,") == 16);
    CHECK(countOf(fields.text, "tenant-b,,") == 6);
    CHECK(countOf(fields.text, ",0,") == 0);  // no bad checksum anywhere
    CHECK(countOf(fields.text, "1,1,,UDP") == 8);   // the stream: IP and UDP checksums good
    CHECK(countOf(fields.text, "1,1,,ECHO") == 8);  // to and from the echo port
    CHECK(countOf(fields.text, "1,,1,ICMP") == 14);
    CHECK(countOf(fields.text, ",ARP") == 8);
    // Wireshark's expert info has no warnings or errors for these frames.
    const CliOutput expert = runShell(tshark + " -q -z expert,warn 2>/dev/null");
    INFO(expert.text);
    CHECK(expert.text.find("Warnings") == std::string::npos);
    CHECK(expert.text.find("Errors") == std::string::npos);
}
