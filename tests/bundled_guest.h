// The bundled kernel with one bundled program, assembled once per test
// binary (natively or as the paravirtual build) and kept: tests that run
// the same guest in many modes share the images.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "core/guest.h"

namespace ringsim::testing {

inline const std::string kGuestFolder = std::string(RINGSIM_DATA_DIR) + "/scenarios/guests/";

inline const GuestImages& bundledGuest(const std::string& program, bool paravirt) {
    static std::map<std::pair<std::string, bool>, GuestImages> cache;
    const auto key = std::make_pair(program, paravirt);
    auto it = cache.find(key);
    if (it == cache.end()) {
        GuestSources sources;
        sources.kernel = kGuestFolder + "kernel.s";
        sources.programs = {kGuestFolder + program + ".s"};
        if (paravirt) sources.defines["PARAVIRT"] = 1;
        it = cache.emplace(key, assembleGuest(sources)).first;
    }
    return it->second;
}

}  // namespace ringsim::testing
