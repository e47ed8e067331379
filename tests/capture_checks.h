// Reading a run's pcapng capture back with tshark, as Catch2 checks: shared
// by the switch's capture tests and the NIC's.
#pragma once

#include <string>

#include "cli_runner.h"

namespace ringsim::test {

// How often `what` occurs in `text`.
inline size_t countOf(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// tshark reading the capture, with IP's and UDP's checksums checked
// (Wireshark checks ICMP's always, the others only when asked).
inline std::string tsharkReading(const std::string& capturePath) {
    return "tshark -n -r " + capturePath + " -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE";
}

// What tshark says on stderr while reading, but the notice it gives root
// (test machines often run as root): empty for a capture it reads cleanly.
inline std::string tsharkComplaints(const std::string& tshark) {
    return runShell(tshark + " 2>&1 >/dev/null | grep -v '^Running as user \"root\"'").text;
}

}  // namespace ringsim::test
