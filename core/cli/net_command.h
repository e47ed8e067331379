// `ringsim net`: the virtual switch (core/network) without guests. `net demo`
// runs a fixed scenario (two tenants on VLANs and an outside peer) and prints
// the per-port counters; --pcap writes every frame the switch sent, with its
// port. Exit codes as the other commands: 0 success, 2 bad input.
#pragma once

#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace ringsim::cli {

struct NetArgs {
    std::string pcap;             // empty: no capture
    std::string format = "text";  // text | json
};

// Adds `net` and its subcommands to the app; the returned command is set when it was given.
CLI::App* addNetCommand(CLI::App& app, NetArgs& args);
int netCommand(const CLI::App& net, const NetArgs& args, std::ostream& out, std::ostream& err);

}  // namespace ringsim::cli
