// `ringsim pool` as a user meets it: a pool in a folder, a golden base,
// overlay disks, snapshot, revert, clone, a mirrored disk with a failure in
// the middle of its writes and the resync, status as JSON; and bad input
// (sizes, names, a full device, a missing folder) named, with exit 2.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "qcow2_test_support.h"

using ringsim::test::runTool;
using ringsim::test::TempFolder;
using ringsim::test::ToolOutput;
using ringsim::test::writeBytes;

namespace {

ToolOutput pool(const std::string& args) { return runTool(std::string(RINGSIM_CLI) + " pool " + args); }

ToolOutput poolOk(const std::string& args) {
    const auto out = pool(args);
    INFO("ringsim pool " << args << "\n" << out.text);
    REQUIRE(out.code == 0);
    return out;
}

nlohmann::json status(const std::string& folder) {
    const auto out = runTool(std::string(RINGSIM_CLI) + " pool status --format json " + folder, false);
    INFO(out.text);
    REQUIRE(out.code == 0);
    return nlohmann::json::parse(out.text);
}

}  // namespace

TEST_CASE("ringsim pool hands out overlays on a golden base, snapshots, reverts and clones them", "[cli][storage][pool]") {
    TempFolder dir("cli_pool");
    const std::string p = dir / "lab";
    std::vector<uint8_t> raw(4 << 20, 0);
    std::fill(raw.begin(), raw.begin() + 200000, uint8_t(0x5a));
    writeBytes(dir / "golden.raw", raw);
    poolOk("create " + p + " --capacity 16M --devices a,b");
    poolOk("base " + p + " golden --from " + (dir / "golden.raw"));
    for (const char* vm : {"vm1", "vm2"}) poolOk("disk " + p + " " + vm + " --base golden");
    poolOk("write " + p + " vm1 --offset 100 --length 10");
    poolOk("snapshot " + p + " vm1 monday");
    poolOk("write " + p + " vm1 --offset 1M --length 64K --count 3");
    poolOk("clone " + p + " vm1 monday vm3");
    poolOk("revert " + p + " vm1 monday");

    const auto j = status(p);
    CHECK(j.at("cluster_size") == 65536);
    const auto& disks = j.at("disks");
    REQUIRE(disks.size() == 4);
    CHECK(disks[0].at("name") == "golden");
    CHECK(disks[0].at("base") == true);
    CHECK(disks[1].at("snapshots") == std::vector<std::string>{"monday"});
    CHECK(disks[1].at("replicas")[0].at("chain") ==
          std::vector<std::string>{"vm1.qcow2", "vm1.monday.qcow2", "golden.qcow2"});
    CHECK(disks[1].at("replicas")[0].at("allocated_clusters") == 0);  // reverted
    CHECK(disks[3].at("replicas")[0].at("chain") ==
          std::vector<std::string>{"vm3.qcow2", "vm1.monday.qcow2", "golden.qcow2"});
    const auto& counters = j.at("counters");
    CHECK(counters.at("guest_writes") == 4 + 4);  // the import's four clusters, then the VM's
    CHECK(counters.at("copy_on_write_copies") == 1);
    CHECK(counters.at("refused_writes") == 0);
    CHECK(j.at("devices")[0].at("used_clusters").get<uint64_t>() < 256);

    const auto text = poolOk("status " + p).text;
    CHECK(text.find("golden (4 MiB, base, read-only)") != std::string::npos);
}

TEST_CASE("ringsim pool fails a device in the middle of a mirrored disk's writes and resyncs it", "[cli][storage][pool]") {
    TempFolder dir("cli_pool_mirror");
    const std::string p = dir / "m";
    poolOk("create " + p + " --capacity 16M --devices a,b");
    poolOk("disk " + p + " vm --size 8M --mirror b");
    const auto out = poolOk("write " + p + " vm --length 64K --count 6 --fail 'b after 2 writes'");
    CHECK(out.text.find("device b has failed") != std::string::npos);
    auto j = status(p);
    CHECK(j.at("devices")[1].at("failed") == true);
    CHECK(j.at("disks")[0].at("replicas")[1].at("missed_clusters") == 4);
    CHECK(pool("snapshot " + p + " vm s1").code == 2);  // not while degraded
    const auto back = poolOk("restore " + p + " b");
    CHECK(back.text.find("resynchronised 4 clusters (262144 bytes)") != std::string::npos);
    j = status(p);
    CHECK(j.at("counters").at("resync_clusters") == 4);
    CHECK(j.at("devices")[0].at("bytes_written") == 6 * 65536 + 65536);  // and one L2 table
    CHECK(j.at("devices")[1].at("bytes_written") == 2 * 65536 + 65536);
}

TEST_CASE("ringsim pool names bad input and exits 2", "[cli][storage][pool]") {
    TempFolder dir("cli_pool_bad");
    const std::string p = dir / "lab";
    auto expectError = [&](const std::string& args, const std::string& message) {
        const auto out = pool(args);
        INFO("ringsim pool " << args << "\n" << out.text);
        CHECK(out.code == 2);
        CHECK(out.text.find(message) != std::string::npos);
    };
    expectError("create " + p + " --capacity lots", "--capacity 'lots': not a size");
    expectError("create " + (dir / "no/such/lab") + " --capacity 1M", "does not exist");
    expectError("status " + (dir / "nothing"), "no such folder");
    poolOk("create " + p + " --capacity 1M");
    expectError("create " + p + " --capacity 1M", "already a pool");
    expectError("disk " + p + " vm --size 1Q", "--size '1Q': not a size");
    expectError("disk " + p + " vm --base nobody", "no disk named 'nobody'");
    expectError("disk " + p + " vm --size 1M --device z", "no device named 'z'");
    expectError("disk " + p + " ../vm --size 1M", "letters, digits");
    poolOk("disk " + p + " vm --size 64M");
    expectError("write " + p + " vm --length 1M", "device a is full");
    expectError("write " + p + " vm --fail 'soon'", "DEVICE after N writes");
    expectError("revert " + p + " vm monday", "no snapshot 'monday'");
    CHECK(status(p).at("counters").at("refused_writes") == 1);

    std::filesystem::remove(dir / "lab/a/vm.qcow2");
    expectError("status " + p, "image vm.qcow2 is missing from device a");
    writeBytes(dir / "lab/pool.json", {'{', '"', 'x'});
    expectError("status " + p, "not a pool manifest");
}
