// Files picked in the browser arrive flat; arrangePickedFiles puts each where
// the scenario (and the sources it names) look for it: a picked file of that
// name first, else the bundled one at that place.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "picked_files.h"

namespace fs = std::filesystem;
using ringsim::gui::web::arrangePickedFiles;

namespace {

// A fresh folder of the test's own, removed at the end.
struct TempFolder {
    fs::path path;
    TempFolder() {
        path = fs::temp_directory_path() / ("ringsim-picked-" + std::to_string(std::random_device{}()));
        fs::create_directories(path);
    }
    ~TempFolder() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("a picked scenario finds its picked program under the folder it names, and bundled includes", "[web]") {
    TempFolder picked;
    write(picked.path / "mine.yaml", "guests:\n  kernel: guests/kernel.s\n  programs: [guests/greeting.s]\n");
    write(picked.path / "greeting.s", "        .include \"include/syscalls.inc\"\n; mine\n");
    const auto arranged = arrangePickedFiles(picked.path, RINGSIM_SCENARIOS);
    CHECK(arranged.scenario == (picked.path / "mine.yaml").string());
    CHECK(read(picked.path / "guests/greeting.s") == read(picked.path / "greeting.s"));  // the picked one, not bundled
    // Not picked: the bundled kernel, and the includes both programs name, relative to the including file.
    CHECK(read(picked.path / "guests/kernel.s") == read(fs::path(RINGSIM_SCENARIOS) / "guests/kernel.s"));
    CHECK(fs::exists(picked.path / "guests/include/syscalls.inc"));
}

TEST_CASE("no scenario among the picked files, and names that lead nowhere, are left alone", "[web]") {
    TempFolder picked;
    write(picked.path / "lonely.s", "        .include \"../../../etc/passwd.inc\"\n        .include \"nowhere/missing.inc\"\n");
    const auto arranged = arrangePickedFiles(picked.path, RINGSIM_SCENARIOS);
    CHECK(arranged.scenario.empty());
    CHECK(arranged.placed.empty());
    CHECK_FALSE(fs::exists(picked.path / "nowhere"));
}

TEST_CASE("of several picked scenarios the first by name opens", "[web]") {
    TempFolder picked;
    write(picked.path / "b.yaml", "title: b\n");
    write(picked.path / "a.yml", "title: a\n");
    CHECK(fs::path(arrangePickedFiles(picked.path, RINGSIM_SCENARIOS).scenario).filename() == "a.yml");
}
