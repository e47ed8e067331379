// `ringsim disk` as a user meets it: create, info, snapshot, clone, check,
// import and export, and bad input answered with the file's name and exit 2.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "qcow2_test_support.h"
#include "storage/image_files.h"

using ringsim::test::readBytes;
using ringsim::test::runTool;
using ringsim::test::TempFolder;
using ringsim::test::ToolOutput;
using ringsim::test::writeBytes;

namespace {

ToolOutput disk(const std::string& args) { return runTool(std::string(RINGSIM_CLI) + " disk " + args); }

nlohmann::json infoJson(const std::string& file) {
    const auto out = runTool(std::string(RINGSIM_CLI) + " disk info --format json " + file, false);
    INFO(out.text);
    REQUIRE(out.code == 0);
    return nlohmann::json::parse(out.text);
}

}  // namespace

TEST_CASE("ringsim disk creates an image, an overlay, a snapshot and a clone, and shows their chains", "[cli][storage]") {
    TempFolder dir("cli_chain");
    auto out = disk("create " + (dir / "base.qcow2") + " --size 64M");
    INFO(out.text);
    REQUIRE(out.code == 0);
    auto info = infoJson(dir / "base.qcow2");
    CHECK(info.at("virtual_size") == 64 << 20);
    CHECK(info.at("cluster_size") == 65536);
    CHECK(info.at("allocated_clusters") == 0);
    CHECK(info.at("chain").size() == 1);

    REQUIRE(disk("create " + (dir / "vm.qcow2") + " --backing " + (dir / "base.qcow2")).code == 0);
    info = infoJson(dir / "vm.qcow2");
    CHECK(info.at("virtual_size") == 64 << 20);  // the backing's size
    CHECK(info.at("backing_file") == "base.qcow2");

    out = disk("snapshot " + (dir / "vm.qcow2") + " monday");
    INFO(out.text);
    REQUIRE(out.code == 0);
    CHECK(std::filesystem::exists(dir / "vm.monday.qcow2"));
    info = infoJson(dir / "vm.qcow2");
    REQUIRE(info.at("chain").size() == 3);
    CHECK(info.at("chain")[1].at("file").get<std::string>().ends_with("vm.monday.qcow2"));

    REQUIRE(disk("clone " + (dir / "vm.monday.qcow2") + " " + (dir / "clone.qcow2")).code == 0);
    CHECK(infoJson(dir / "clone.qcow2").at("backing_file") == "vm.monday.qcow2");
    out = disk("check " + (dir / "clone.qcow2"));
    INFO(out.text);
    CHECK(out.code == 0);
    CHECK_THAT(out.text, Catch::Contains("no errors"));

    out = disk("info " + (dir / "clone.qcow2"));
    CHECK(out.code == 0);
    CHECK_THAT(out.text, Catch::Contains("virtual size 64 MiB") && Catch::Contains("base.qcow2"));
}

TEST_CASE("ringsim disk import keeps zero clusters thin and export gives the same bytes back", "[cli][storage]") {
    TempFolder dir("cli_raw");
    std::vector<uint8_t> raw(512 * 1024, 0);
    for (size_t i = 0; i < 1000; ++i) raw[300000 + i] = uint8_t(i);
    writeBytes(dir / "in.raw", raw);
    REQUIRE(disk("import " + (dir / "in.raw") + " " + (dir / "d.qcow2")).code == 0);
    CHECK(infoJson(dir / "d.qcow2").at("allocated_clusters") == 1);
    REQUIRE(disk("export " + (dir / "d.qcow2") + " " + (dir / "out.raw")).code == 0);
    CHECK(readBytes(dir / "out.raw") == raw);
}

TEST_CASE("ringsim disk answers a corrupt image, a broken chain and a bad size with exit 2 and the file named",
          "[cli][storage]") {
    TempFolder dir("cli_bad");
    writeBytes(dir / "junk.qcow2", std::vector<uint8_t>(4096, 0x41));
    auto out = disk("info " + (dir / "junk.qcow2"));
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Catch::Contains("junk.qcow2: not a qcow2 image"));

    out = disk("check " + (dir / "nothing.qcow2"));
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Catch::Contains("nothing.qcow2: no such file"));

    out = disk("create " + (dir / "x.qcow2") + " --size 12Q");
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Catch::Contains("--size '12Q': not a size"));
    CHECK(!std::filesystem::exists(dir / "x.qcow2"));

    // A base that goes missing under its overlay.
    REQUIRE(disk("create " + (dir / "a.qcow2") + " --size 1M").code == 0);
    REQUIRE(disk("create " + (dir / "b.qcow2") + " --backing " + (dir / "a.qcow2")).code == 0);
    std::filesystem::remove(dir / "a.qcow2");
    out = disk("check " + (dir / "b.qcow2"));
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Catch::Contains("b.qcow2: backing file 'a.qcow2' not found"));

    // A chain that loops: a is rewritten as an overlay on b, which lies on a.
    using namespace ringsim::storage;
    CreateOptions loop;
    loop.backing = Qcow2Image::create("b", 1 << 20, {});
    loop.backingName = "b.qcow2";
    saveImageFile(*Qcow2Image::create("a", 1 << 20, loop), dir / "a.qcow2");
    out = disk("info " + (dir / "b.qcow2"));
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Catch::Contains("the backing chain loops") && Catch::Contains("a.qcow2"));

    out = disk("snapshot " + (dir / "b.qcow2") + " ../escape");
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Catch::Contains("snapshot name '../escape'"));
    out = disk("create " + (dir / "b.qcow2") + " --size 1M");
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Catch::Contains("b.qcow2: already exists"));
}
