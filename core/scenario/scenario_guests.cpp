// The guests: section of a scenario: the kernel and programs, defines, how
// many instances and how they share the CPU. What depends on the modes is
// checked later (checkGuestsAgainstModes, scenario_crosschecks.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "machine/guest.h"
#include "run/vm_host.h"
#include "scenario/scenario_limits.h"
#include "scenario/scenario_loader.h"
#include "scenario/scenario_words.h"

namespace ringsim::scenario_detail {

Loader::GuestKeys Loader::guests(const Value& v, Scenario& s) const {
    const Fields f(*this, v,
                   {"kernel", "programs", "defines", "vms", "containers", "instances", "weights", "slice",
                    "per_instance", "paravirtual_kernel"});
    ScenarioGuests& g = s.guests;
    GuestKeys keys{v, {}, f.get("weights")};
    g.kernel = sourceFile(f.require("kernel", "the guest kernel's source file, e.g. kernel: guests/kernel.s"));
    if (auto x = f.get("programs")) {
        const auto items = list(*x);
        if (items.size() > bootinfo::kMaxPrograms)
            fail(*x, fmt::format("{} programs; the kernel starts at most {}", items.size(), bootinfo::kMaxPrograms));
        for (const auto& item : items) g.programs.push_back(sourceFile(item));
    }
    if (auto x = f.get("defines")) {
        if (!x->node.IsMap())
            fail(*x, fmt::format("expects a map of NAME: value (e.g. {{TIMER_PERIOD: 100000}}), not {}",
                                 kindOf(x->node)));
        std::vector<std::string> names;
        for (const auto& item : x->node) names.push_back(item.first.IsScalar() ? item.first.Scalar() : "");
        const Fields defines(*this, *x, names);
        for (const auto& [name, value] : defines.entries()) {
            const bool identifier =
                !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
                std::all_of(name.begin(), name.end(),
                            [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
            if (!identifier)
                fail(defines.keyLine(name), value.key,
                     "a define's name is letters, digits and '_', starting with a letter or '_'");
            if (name == "PARAVIRT")
                fail(defines.keyLine(name), value.key,
                     "PARAVIRT is set by the paravirt mode itself; list paravirt among the modes instead");
            g.defines[name] = signedWhole(value, INT32_MIN, int64_t(UINT32_MAX));
        }
    }
    int given = 0;
    for (const char* key : {"vms", "containers", "instances"}) {
        auto x = f.get(key);
        if (!x) continue;
        if (++given > 1) fail(*x, "give only one of vms, containers and instances");
        keys.count = x;
        const std::string_view k = key;
        if (k == "vms") {
            g.countedAs = ScenarioGuests::Count::Vms;
            g.instances = uint32_t(whole(*x, 1, kMaxVms));
        } else if (k == "containers") {
            g.countedAs = ScenarioGuests::Count::Containers;
            g.instances = uint32_t(whole(*x, 1, kMaxContainers));
        } else {
            g.instances = uint32_t(whole(*x, 1, kMaxInstances));
        }
    }
    if (auto x = f.get("weights")) {
        // cgroup v2 weights for containers, Xen's for VMs; `instances` serves both.
        const uint64_t maxWeight =
            g.countedAs == ScenarioGuests::Count::Vms ? kMaxVmWeight : uint64_t(kMaxContainerWeight);
        for (const auto& item : list(*x)) g.weights.push_back(uint32_t(whole(item, 1, maxWeight)));
        if (g.weights.size() != g.instances)
            fail(*x, fmt::format("{} weights for {} instance{}: give one weight per instance", g.weights.size(),
                                 g.instances, g.instances == 1 ? "" : "s"));
    }
    if (auto x = f.get("slice")) g.sliceCycles = whole(*x, 1, kMaxSlice);
    if (auto x = f.get("paravirtual_kernel")) g.paravirtualKernel = flag(*x);
    if (auto x = f.get("per_instance")) {
        // Each instance's own programs, named as in `programs`: different tenants, different work.
        const auto instances = list(*x);
        if (instances.size() != g.instances)
            fail(*x, fmt::format("{} program lists for {} instance{}: give one list per instance", instances.size(),
                                 g.instances, g.instances == 1 ? "" : "s"));
        for (const auto& instance : instances) {
            std::vector<uint32_t> chosen;
            for (const auto& item : list(instance)) {
                const std::string path = sourceFile(item);
                const auto it = std::find(g.programs.begin(), g.programs.end(), path);
                if (it == g.programs.end())
                    fail(item, "each program of an instance must be one of guests.programs");
                chosen.push_back(uint32_t(it - g.programs.begin()));
            }
            g.programsPerInstance.push_back(std::move(chosen));
        }
    }
    return keys;
}

}  // namespace ringsim::scenario_detail
