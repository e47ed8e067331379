// Guest sources edited in memory (core/source_edit.h): an editor's text
// stands in for the file on disk, included files too, in both builds of the
// kernel; errors come back as diagnostics at their lines, never as a throw.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "machine/errors.h"
#include "scenario/scenario.h"
#include "scenario/scenario_images.h"
#include "machine/source_edit.h"

using namespace ringsim;

namespace {

std::string scenarioPath(const std::string& name) { return std::string(RINGSIM_DATA_DIR) + "/scenarios/" + name + ".yaml"; }

// The text with its line `number` (1-based) replaced.
std::string withLine(const std::string& text, int number, const std::string& replacement) {
    size_t start = 0;
    for (int line = 1; line < number; ++line) start = text.find('\n', start) + 1;
    const size_t end = text.find('\n', start);
    return text.substr(0, start) + replacement + text.substr(end);
}

}  // namespace

TEST_CASE("an edited program is assembled instead of its file, and its error is reported at its line", "[source-edit]") {
    const Scenario scenario = loadScenario(scenarioPath("01-rings"));
    const std::string hello = scenario.guests.programs.front();
    const auto original = readSourceFile(hello);
    REQUIRE(original.has_value());

    const GuestBuild clean = buildGuest(scenario.sourcesFor(Mode::Native), {{hello, *original}});
    REQUIRE(clean.ok());

    const GuestBuild broken = buildGuest(scenario.sourcesFor(Mode::Native), {{hello, withLine(*original, 12, "        bogus r1, r2")}});
    CHECK_FALSE(broken.ok());
    REQUIRE(broken.errors.size() == 1);
    CHECK(normalSourcePath(broken.errors[0].file) == normalSourcePath(hello));
    CHECK(broken.errors[0].line == 12);
    CHECK(broken.errors[0].column > 0);
    CHECK(broken.errorText().find("bogus") != std::string::npos);
    // The file on disk is untouched.
    CHECK(readSourceFile(hello) == original);
}

TEST_CASE("an edited include file reaches every source that includes it, by a path written differently",
          "[source-edit]") {
    const Scenario scenario = loadScenario(scenarioPath("01-rings"));
    const GuestBuild reference = buildGuest(scenario.sourcesFor(Mode::Native));
    REQUIRE(reference.ok());
    // The kernel reads kernel/defs.inc; an error planted there shows up in it.
    std::string defs;
    for (const auto& f : reference.images->kernel.files)
        if (f.ends_with("kernel/defs.inc")) defs = f;
    REQUIRE(!defs.empty());
    const std::string roundabout = defs.substr(0, defs.rfind('/')) + "/./../kernel/defs.inc";
    const GuestBuild broken = buildGuest(scenario.sourcesFor(Mode::Native), {{roundabout, ".equ broken, )\n"}});
    CHECK_FALSE(broken.ok());
    REQUIRE(!broken.errors.empty());
    CHECK(broken.errors.front().file == defs);
    CHECK(broken.errors.front().line == 1);
}

TEST_CASE("a scenario rebuilt with edits: both kernels use them, and the errors are listed once", "[source-edit]") {
    Scenario scenario = loadScenario(scenarioPath("06-paravirt"));
    const std::string kernel = scenario.guests.kernel;
    const auto text = readSourceFile(kernel);
    REQUIRE(text.has_value());

    // A constant the edit adds is in the native and in the paravirtual build.
    const ScenarioBuild edited = buildScenarioImages(scenario, {{kernel, *text + "\n        .equ EDITED_IN_MEMORY, 42\n"}});
    REQUIRE(edited.images);
    CHECK(edited.images->forMode(Mode::Native).kernel.constants.at("EDITED_IN_MEMORY") == 42);
    CHECK(edited.images->forMode(Mode::Paravirt).kernel.constants.at("EDITED_IN_MEMORY") == 42);
    CHECK(edited.images->forMode(Mode::Paravirt).kernel.constants.at("PARAVIRT") == 1);

    // The same error in both builds is one diagnostic.
    const ScenarioBuild broken = buildScenarioImages(scenario, {{kernel, *text + "\n        nosuchinstruction\n"}});
    CHECK_FALSE(broken.images);
    REQUIRE(broken.errors.size() == 1);
    CHECK(broken.errors[0].message.find("nosuchinstruction") != std::string::npos);
    // The throwing constructor says the same.
    CHECK_THROWS_AS(ScenarioImages(scenario, {{kernel, "        nosuchinstruction\n"}}), InputError);
}

TEST_CASE("saving writes the file back, reading a missing file gives nothing", "[source-edit]") {
    const std::string path = (std::filesystem::temp_directory_path() / "ringsim-source-edit-save-test.s").string();
    CHECK_FALSE(readSourceFile(path + ".missing").has_value());
    REQUIRE_FALSE(writeSourceFile(path, "        nop\n").has_value());
    CHECK(readSourceFile(path) == std::string("        nop\n"));
    CHECK(writeSourceFile("/no/such/folder/x.s", "nop\n").has_value());
    std::filesystem::remove(path);
}
