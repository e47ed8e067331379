// libFuzzer target for the scenario loader: the bytes are a scenario file.
// The loader must answer every input with a Scenario or an InputError;
// anything else escaping (another exception, a crash, a sanitizer report,
// a hang, a leak) is a bug in it. How to build and run it: fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string>

#include "machine/errors.h"
#include "scenario/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // Named as if it lay beside the seeds, so their relative guest paths
    // resolve and the fuzzer reaches the checks behind them.
    static const std::string path = std::string(RINGSIM_FUZZ_SOURCE_DIR) + "/fuzz/corpus/scenario_fuzz/input.yaml";
    try {
        ringsim::parseScenario(std::string(reinterpret_cast<const char*>(data), size), path);
    } catch (const ringsim::InputError&) {
        // The expected answer to bad input.
    }
    return 0;
}
