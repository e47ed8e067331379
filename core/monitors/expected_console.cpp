#include "monitors/expected_console.h"

#include "monitors/container.h"

namespace ringsim {

namespace {
// The boot line of scenarios/guests/kernel/boot.s in each build.
constexpr std::string_view kNativeRingLine = "kernel: running in ring 0\n";
constexpr std::string_view kParavirtRingLine = "kernel: paravirtual, running deprivileged in ring 1\n";
}  // namespace

std::string consoleExpectedIn(Mode mode, std::string_view nativeConsole) {
    const ModeInfo& info = modeInfo(mode);
    if (info.containerConsole) return withoutKernelLines(nativeConsole);
    std::string expected(nativeConsole);
    if (info.needsParavirtKernel && expected.starts_with(kNativeRingLine))
        expected.replace(0, kNativeRingLine.size(), kParavirtRingLine);
    return expected;
}

}  // namespace ringsim
