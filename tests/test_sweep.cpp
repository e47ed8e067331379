// `ringsim sweep` and `ringsim merge` as a batch user meets them: the points
// in a fixed order, shards that merge into exactly what one process writes,
// results that do not depend on the threads, and bad input refused with
// exit 2 and a message that names the problem (and the grid's line).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "qcow2_test_support.h"

using ringsim::test::TempFolder;

namespace {

const std::string kExampleGrid = std::string(RINGSIM_DATA_DIR) + "/docs/sweep-example.yaml";

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A run of ringsim whose stdout goes to `file`; its stderr comes back.
CliOutput ringsimTo(const std::string& args, const std::string& file) {
    return runRingsim(args + " > " + file, " 2>&1");
}

// A small grid of a bundled scenario: 2 modes x 2 presets x 2 trap costs = 8 points.
const char* const kSmallGrid = R"(scenarios: [03-trap-emulate-strict]
modes: [native, trap-emulate]
presets: [modern, vtx-2006]
costs:
  trap_entry: {from: 100, to: 200, step: 100}
)";

size_t lineCount(const std::string& text) { return size_t(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_CASE("sweep --list prints the points in a fixed order: scenario, preset, costs, then the mode fastest",
          "[cli][sweep]") {
    TempFolder dir("sweep_list");
    write(dir / "grid.yaml", kSmallGrid);
    const auto out = runRingsim("sweep --list " + (dir / "grid.yaml"));
    INFO(out.text);
    REQUIRE(out.code == 0);
    CHECK(out.text.starts_with("0 03-trap-emulate-strict native modern trap_entry=100\n"
                               "1 03-trap-emulate-strict trap-emulate modern trap_entry=100\n"
                               "2 03-trap-emulate-strict native modern trap_entry=200\n"
                               "3 03-trap-emulate-strict trap-emulate modern trap_entry=200\n"
                               "4 03-trap-emulate-strict native vtx-2006 trap_entry=100\n"));
    CHECK(lineCount(out.text) == 8);
    CHECK(runRingsim("sweep --list " + (dir / "grid.yaml")).text == out.text);
    // A share lists every third point, from its own.
    const auto second = runRingsim("sweep --list --shard 2/3 " + (dir / "grid.yaml"));
    CHECK(second.text.starts_with("1 03-trap-emulate-strict trap-emulate modern trap_entry=100\n"
                                  "4 03-trap-emulate-strict native vtx-2006 trap_entry=100\n"));
    CHECK(lineCount(second.text) == 3);
    // The example in the docs holds a few hundred points.
    const auto example = runRingsim("sweep --list " + kExampleGrid);
    REQUIRE(example.code == 0);
    CHECK(lineCount(example.text) == 300);
}

TEST_CASE("three shards of the example sweep merge into what one process writes, byte for byte, in CSV and JSON",
          "[cli][sweep]") {
    TempFolder dir("sweep_merge");
    for (const char* format : {"csv", "json", "jsonl"}) {
        INFO(format);
        REQUIRE(ringsimTo(std::string("sweep -j2 --format ") + format + " " + kExampleGrid, dir / "whole").code == 0);
        const std::string whole = read(dir / "whole");
        REQUIRE(!whole.empty());
        if (std::string(format) == "csv") {
            // A header, then a row per point (consoles in quotes span lines); the last is point 299.
            CHECK(whole.starts_with("point,scenario,mode,preset,"));
            CHECK(whole.find("\n299,06-paravirt,hw-assist,vtx-2006,") != std::string::npos);
        }
        std::string shards;
        for (const char* k : {"1", "2", "3"}) {
            const std::string part = dir / (std::string("part-") + k + ".jsonl");
            if (std::string(format) == "csv")  // the shards once; the other formats merge the same files
                REQUIRE(ringsimTo(std::string("sweep -j2 --shard ") + k + "/3 " + kExampleGrid, part).code == 0);
            shards += " " + part;
        }
        const auto merged = ringsimTo(std::string("merge --format ") + format + shards, dir / "merged");
        INFO(merged.text);
        REQUIRE(merged.code == 0);
        CHECK(read(dir / "merged") == whole);
    }
}

TEST_CASE("a sweep's points are the same with one thread and with two", "[cli][sweep]") {
    TempFolder dir("sweep_jobs");
    write(dir / "grid.yaml", kSmallGrid);
    REQUIRE(ringsimTo("sweep -j1 " + (dir / "grid.yaml"), dir / "one").code == 0);
    REQUIRE(ringsimTo("sweep -j2 " + (dir / "grid.yaml"), dir / "two").code == 0);
    const std::string one = read(dir / "one");
    CHECK(lineCount(one) == 8);
    CHECK(one == read(dir / "two"));
    // Each line is the run as compare gives it, with the point's configuration.
    std::istringstream lines(one);
    std::string first;
    std::getline(lines, first);
    CHECK(first.find("\"point\":0") != std::string::npos);
    CHECK(first.find("\"cost_overrides\":{\"trap_entry\":100}") != std::string::npos);
    CHECK(first.find("\"grid_points\":8") != std::string::npos);
    CHECK(first.find("\"overhead_percent\":0.0") != std::string::npos);
}

TEST_CASE("a sweep costs what compare --cost costs: a point's cycles are compare's for that configuration",
          "[cli][sweep]") {
    TempFolder dir("sweep_compare");
    write(dir / "grid.yaml", kSmallGrid);
    const auto sweep = runRingsim("sweep --shard 4/8 " + (dir / "grid.yaml"), " 2>/dev/null");
    REQUIRE(sweep.code == 0);  // point 3: trap-emulate, modern, trap_entry=200
    const auto compare = runRingsim(std::string("compare ") + RINGSIM_DATA_DIR +
                                        "/scenarios/03-trap-emulate-strict.yaml --modes trap-emulate --presets modern "
                                        "--cost trap_entry=200 --format json",
                                    " 2>/dev/null");
    REQUIRE(compare.code == 0);
    const auto total = [](const std::string& text) {
        const size_t at = text.find("\"total\":");
        REQUIRE(at != std::string::npos);
        return text.substr(at, text.find_first_of(",}", at) - at);
    };
    std::string spaced = compare.text;  // compare indents its JSON; the sweep writes one line
    spaced.erase(std::remove_if(spaced.begin(), spaced.end(), [](char c) { return c == ' ' || c == '\n'; }),
                 spaced.end());
    CHECK(total(sweep.text) == total(spaced));
}

TEST_CASE("bad grids and bad shares are refused with exit 2 and a message naming the problem and the line",
          "[cli][sweep]") {
    TempFolder dir("sweep_bad");
    struct Bad {
        const char* grid;
        const char* message;
    };
    const Bad cases[] = {
        {"scenarios: [no-such-scenario]\nmodes: [native]\n", "grid.yaml:1: scenarios[1]: unknown scenario"},
        {"scenarios: [01-rings]\nmodes: [native, trap-emulat]\n", "grid.yaml:2: modes[2]: unknown mode"},
        {"scenarios: [01-rings]\nmodes: [native]\npresets: [modern, vtx-2099]\n",
         "grid.yaml:3: presets[2]: unknown preset"},
        {"scenarios: [01-rings]\nmodes: [native]\ncosts:\n  trap_entri: [1, 2]\n", "grid.yaml:4: costs.trap_entri: unknown key"},
        {"scenarios: [01-rings]\nmodes: [native]\ncosts:\n  trap_entry: {from: 300, to: 200}\n",
         "grid.yaml:4: costs.trap_entry: is an empty range"},
        {"scenarios: [01-rings]\nmodes: [native]\ncosts:\n  trap_entry: []\n",
         "grid.yaml:4: costs.trap_entry: lists no value"},
        {"scenarios: []\nmodes: [native]\n", "grid.yaml:1: scenarios: lists no scenario"},
    };
    for (const Bad& bad : cases) {
        INFO(bad.grid);
        write(dir / "grid.yaml", bad.grid);
        for (const char* how : {"sweep --list ", "sweep "}) {
            const auto out = runRingsim(how + (dir / "grid.yaml"));
            INFO(out.text);
            CHECK(out.code == 2);
            CHECK(out.text.find(bad.message) != std::string::npos);
        }
    }
    write(dir / "grid.yaml", kSmallGrid);
    for (const char* shard : {"0/3", "4/3", "3", "1/0"}) {
        INFO(shard);
        const auto out = runRingsim(std::string("sweep --list --shard ") + shard + " " + (dir / "grid.yaml"));
        CHECK(out.code == 2);
        CHECK(out.text.find(std::string("--shard ") + shard + ":") != std::string::npos);
    }
}

TEST_CASE("merge refuses shards of different grids, a missing shard and a shard given twice, with exit 2",
          "[cli][sweep]") {
    TempFolder dir("sweep_merge_bad");
    write(dir / "grid.yaml", kSmallGrid);
    std::string other = kSmallGrid;
    other.replace(other.find("step: 100"), 9, "step: 50");  // another grid: 12 points, another digest
    write(dir / "other.yaml", other);
    for (const char* k : {"1", "2"})
        REQUIRE(ringsimTo("sweep --shard " + std::string(k) + "/2 " + (dir / "grid.yaml"), dir / (std::string("a") + k))
                    .code == 0);
    REQUIRE(ringsimTo("sweep --shard 2/2 " + (dir / "other.yaml"), dir / "b2").code == 0);
    REQUIRE(runRingsim("merge " + (dir / "a1") + " " + (dir / "a2"), " >/dev/null 2>&1").code == 0);

    auto out = runRingsim("merge " + (dir / "a1") + " " + (dir / "b2"));
    CHECK(out.code == 2);
    CHECK(out.text.find("comes from a different grid than " + (dir / "a1")) != std::string::npos);

    out = runRingsim("merge --format csv " + (dir / "a1"));
    CHECK(out.code == 2);
    CHECK(out.text.find("4 of the grid's 8 points are missing (1, 3, 5, 7)") != std::string::npos);

    out = runRingsim("merge " + (dir / "a1") + " " + (dir / "a2") + " " + (dir / "a2"));
    CHECK(out.code == 2);
    CHECK(out.text.find("point 1 is also at " + (dir / "a2") + ":1 (a shard given twice?)") != std::string::npos);

    write(dir / "junk", "not json\n");
    out = runRingsim("merge " + (dir / "junk"));
    CHECK(out.code == 2);
    CHECK(out.text.find(dir / "junk" + ":1: not a line of `ringsim sweep`") != std::string::npos);
}
