// The bundled kernel with bundled programs (names without folder and .s),
// assembled once per test binary (natively or as the paravirtual build) and
// kept: tests that run the same guest in many modes share the images.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "machine/guest.h"

namespace ringsim::testing {

inline const std::string kGuestFolder = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";

inline const GuestImages& bundledGuest(const std::vector<std::string>& programs, bool paravirt) {
    static std::map<std::pair<std::vector<std::string>, bool>, GuestImages> cache;
    const auto key = std::make_pair(programs, paravirt);
    auto it = cache.find(key);
    if (it == cache.end()) {
        GuestSources sources;
        sources.kernel = kGuestFolder + "kernel.s";
        for (const auto& p : programs) sources.programs.push_back(kGuestFolder + p + ".s");
        if (paravirt) sources.defines["PARAVIRT"] = 1;
        it = cache.emplace(key, assembleGuest(sources)).first;
    }
    return it->second;
}

inline const GuestImages& bundledGuest(const std::string& program, bool paravirt) {
    return bundledGuest(std::vector<std::string>{program}, paravirt);
}

}  // namespace ringsim::testing
