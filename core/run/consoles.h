// Each guest's console as a run stands now, named as its results name the
// guests: each VM's virtual console, each container's stream and the host
// kernel's own, or the one console of a native run. It only points into the
// machine's consoles (Session::result() copies them and measures footprints
// as well), so a front end can read it every frame while the run goes on.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ringsim {

class Session;

struct LiveConsole {
    std::string name;       // "vm0", "container1", "native", "host kernel"
    std::string_view text;  // valid until the session runs on
    bool truncated = false;
    bool hostStream = false;  // the host kernel's own stream under containers: no guest's output
};

// In the order of RunResult::guests, the host kernel's stream last (under containers).
std::vector<LiveConsole> liveConsoles(Session& session);

}  // namespace ringsim
