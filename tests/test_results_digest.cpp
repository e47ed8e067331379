// The results every bundled scenario gives, held as digests: a change to the
// CPU's loop (or anything else) that alters one counter, one console byte,
// one event or one receipt fails here. Issue 19 made the loop faster on the
// promise that nothing it reports changes; this test keeps that promise.
// A change meant to alter results updates the table: the failure prints
// each command with the digest it gave now.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "cli_runner.h"

namespace {

// FNV-1a, 64 bits: the same on every platform (std::hash is not).
uint64_t digestOf(std::string_view text) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

struct RecordedResult {
    const char* command;  // ringsim's arguments, run from the source folder
    uint64_t digest;      // of its stdout and stderr together
};

// Recorded at 22fc8c0 (before issue 19's changes to the CPU loop).
const RecordedResult kRecorded[] = {
    {"compare scenarios/01-rings.yaml --modes all --presets modern vtx-2006 --format json", 0xca0940177659b276ull},
    {"compare scenarios/02-trap-emulate-flaw.yaml --modes all --presets modern vtx-2006 --format json", 0x49a8c0bda41db5e8ull},
    {"compare scenarios/03-trap-emulate-strict.yaml --modes all --presets modern vtx-2006 --format json", 0x95d5d41d104fbc87ull},
    {"compare scenarios/04-binary-translation.yaml --modes all --presets modern vtx-2006 --format json", 0x55c296fb7a692fc0ull},
    {"compare scenarios/05-emulation-vs-translation.yaml --modes all --presets modern vtx-2006 --format json", 0x8f91405c98820ff0ull},
    {"compare scenarios/06-paravirt.yaml --modes all --presets modern vtx-2006 --format json", 0x0e3b9fc449a77dcaull},
    {"compare scenarios/06b-paravirt-kernel-on-hardware.yaml --modes all --presets modern vtx-2006 --format json", 0x81b29067c694daaeull},
    {"compare scenarios/07-hw-assist.yaml --modes all --presets modern vtx-2006 --format json", 0x07a93724b92a4266ull},
    {"compare scenarios/08-memory-shadow.yaml --modes all --presets modern vtx-2006 --format json", 0x02b0533d7d1d12caull},
    {"compare scenarios/09-memory-nested.yaml --modes all --presets modern vtx-2006 --format json", 0xa8ac6f3adab3dbd7ull},
    {"compare scenarios/10-io.yaml --modes all --presets modern vtx-2006 --format json", 0x5d3cf7603d659882ull},
    {"compare scenarios/11-containers-vs-vms.yaml --modes all --presets modern vtx-2006 --format json", 0x622f722f5083db06ull},
    {"compare scenarios/12-shared-kernel.yaml --modes all --presets modern vtx-2006 --format json", 0x31bd848857c5e59full},
    {"compare scenarios/13-pooling-isolation.yaml --modes all --presets modern vtx-2006 --format json", 0x50e3ab7bb00f28feull},
    {"compare scenarios/14-isolation.yaml --modes all --presets modern vtx-2006 --format json", 0x1c992fa4fe63fce2ull},
    {"compare scenarios/15-red-pill.yaml --modes all --presets modern vtx-2006 --format json", 0x196ba82504612dadull},
    {"compare scenarios/default.yaml --modes all --presets modern vtx-2006 --format json", 0x63e9eeff23aa58c3ull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode native --format json", 0x719bcd035f6d28d2ull},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode native --receipts --limit 3000", 0x782c566f15304211ull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode trap-emulate --format json", 0xe71c476593375485ull},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode trap-emulate --receipts --limit 3000", 0x570595abcb406b53ull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode binary-translation --format json", 0x1035f206cdff3dcbull},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode binary-translation --receipts --limit 3000", 0x7fadbceb23530539ull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode emulation --format json", 0x28852a5b626740adull},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode emulation --receipts --limit 3000", 0x1eea77eb179dbf59ull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode paravirt --format json", 0x67a07d6fe235b1baull},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode paravirt --receipts --limit 3000", 0x04a9e83bacd4a875ull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode hw-assist --format json", 0x576809ffcf431de2ull},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode hw-assist --receipts --limit 3000", 0x4153554fbc1e1a98ull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode container --format json", 0x1ffdfe520a3d695aull},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode container --receipts --limit 3000", 0xc39096345f9a8254ull},
    {"run scenarios/07-hw-assist.yaml --mode native --format json", 0x6a89a9cfa9901c11ull},
    {"trace scenarios/07-hw-assist.yaml --mode native --receipts --limit 3000", 0xea8111c98d61b6a5ull},
    {"run scenarios/07-hw-assist.yaml --mode trap-emulate --format json", 0x5c6f4422d14293d8ull},
    {"trace scenarios/07-hw-assist.yaml --mode trap-emulate --receipts --limit 3000", 0x340ff6b8f2185399ull},
    {"run scenarios/07-hw-assist.yaml --mode binary-translation --format json", 0x072a4ecae282165full},
    {"trace scenarios/07-hw-assist.yaml --mode binary-translation --receipts --limit 3000", 0x342fdf3ae3a4c918ull},
    {"run scenarios/07-hw-assist.yaml --mode emulation --format json", 0x6aa311ed1236c22bull},
    {"trace scenarios/07-hw-assist.yaml --mode emulation --receipts --limit 3000", 0x1decc834346e6bb8ull},
    {"run scenarios/07-hw-assist.yaml --mode paravirt --format json", 0xd5dfc565c094c133ull},
    {"trace scenarios/07-hw-assist.yaml --mode paravirt --receipts --limit 3000", 0xb160060b0fa7a3bcull},
    {"run scenarios/07-hw-assist.yaml --mode hw-assist --format json", 0x7dac686fcc99b082ull},
    {"trace scenarios/07-hw-assist.yaml --mode hw-assist --receipts --limit 3000", 0x0782b90ea9201fa4ull},
    {"run scenarios/07-hw-assist.yaml --mode container --format json", 0xfb25cdc0a7381639ull},
    {"trace scenarios/07-hw-assist.yaml --mode container --receipts --limit 3000", 0x0ca1958534308eb0ull},
    {"run scenarios/08-memory-shadow.yaml --mode native --format json", 0x9f6b79d8a8277cbdull},
    {"trace scenarios/08-memory-shadow.yaml --mode native --receipts --limit 3000", 0xf17f5cc9591345b1ull},
    {"run scenarios/08-memory-shadow.yaml --mode trap-emulate --format json", 0x1f84f2d44c01cddbull},
    {"trace scenarios/08-memory-shadow.yaml --mode trap-emulate --receipts --limit 3000", 0x78a8708ced73376dull},
    {"run scenarios/08-memory-shadow.yaml --mode binary-translation --format json", 0xf3b34c8a93d3e9b0ull},
    {"trace scenarios/08-memory-shadow.yaml --mode binary-translation --receipts --limit 3000", 0xcda3cd135349fec3ull},
    {"run scenarios/08-memory-shadow.yaml --mode emulation --format json", 0x6c73c2f69812f0b2ull},
    {"trace scenarios/08-memory-shadow.yaml --mode emulation --receipts --limit 3000", 0xaac86dc548ddfc84ull},
    {"run scenarios/08-memory-shadow.yaml --mode paravirt --format json", 0x8f9f270a0d43c37bull},
    {"trace scenarios/08-memory-shadow.yaml --mode paravirt --receipts --limit 3000", 0x9bfbff7c796e5d46ull},
    {"run scenarios/08-memory-shadow.yaml --mode hw-assist --format json", 0x7d2c8c8d26536728ull},
    {"trace scenarios/08-memory-shadow.yaml --mode hw-assist --receipts --limit 3000", 0xb678f07b32898321ull},
    {"run scenarios/08-memory-shadow.yaml --mode container --format json", 0x13177650fef4bea1ull},
    {"trace scenarios/08-memory-shadow.yaml --mode container --receipts --limit 3000", 0x9526b35130d8a8d9ull},
    {"run scenarios/11-containers-vs-vms.yaml --mode native --format json", 0x7b9ec14678ff0d46ull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode native --receipts --limit 3000", 0xc85057aa54091021ull},
    {"run scenarios/11-containers-vs-vms.yaml --mode trap-emulate --format json", 0x0d77dbe3d1f960b4ull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode trap-emulate --receipts --limit 3000", 0x3a075072a02c9b0eull},
    {"run scenarios/11-containers-vs-vms.yaml --mode binary-translation --format json", 0xa0907053332aaa46ull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode binary-translation --receipts --limit 3000", 0x3f845b7639f5037aull},
    {"run scenarios/11-containers-vs-vms.yaml --mode emulation --format json", 0xa8c1126cb95815f9ull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode emulation --receipts --limit 3000", 0xad8d70dae8b16e5aull},
    {"run scenarios/11-containers-vs-vms.yaml --mode paravirt --format json", 0x6d57a2f7b8cd0ca9ull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode paravirt --receipts --limit 3000", 0x5f407a9756ee30e4ull},
    {"run scenarios/11-containers-vs-vms.yaml --mode hw-assist --format json", 0xc356750a83fad557ull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode hw-assist --receipts --limit 3000", 0xf06be11931106887ull},
    {"run scenarios/11-containers-vs-vms.yaml --mode container --format json", 0xc4b8266557ab6543ull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode container --receipts --limit 3000", 0x130ee8fd39e1233aull},
    {"run scenarios/13-pooling-isolation.yaml --mode native --format json", 0x919be646ab16942eull},
    {"trace scenarios/13-pooling-isolation.yaml --mode native --receipts --limit 3000", 0x4bc5d5ada69ce940ull},
    {"run scenarios/13-pooling-isolation.yaml --mode trap-emulate --format json", 0x3093fe716d6043d5ull},
    {"trace scenarios/13-pooling-isolation.yaml --mode trap-emulate --receipts --limit 3000", 0xee13d68dfc7ad045ull},
    {"run scenarios/13-pooling-isolation.yaml --mode binary-translation --format json", 0x9a2c3e59d21c4d31ull},
    {"trace scenarios/13-pooling-isolation.yaml --mode binary-translation --receipts --limit 3000", 0x0573f509703e6b26ull},
    {"run scenarios/13-pooling-isolation.yaml --mode emulation --format json", 0xe34a4e723fe60125ull},
    {"trace scenarios/13-pooling-isolation.yaml --mode emulation --receipts --limit 3000", 0x2f5312d488eb3544ull},
    {"run scenarios/13-pooling-isolation.yaml --mode paravirt --format json", 0x018d9bf53000f366ull},
    {"trace scenarios/13-pooling-isolation.yaml --mode paravirt --receipts --limit 3000", 0x4efa0e6fb5c3571eull},
    {"run scenarios/13-pooling-isolation.yaml --mode hw-assist --format json", 0xa56a3d2f8f2f70a2ull},
    {"trace scenarios/13-pooling-isolation.yaml --mode hw-assist --receipts --limit 3000", 0xff6df6a354139962ull},
    {"run scenarios/13-pooling-isolation.yaml --mode container --format json", 0x7f9bd6051f9ab55eull},
    {"trace scenarios/13-pooling-isolation.yaml --mode container --receipts --limit 3000", 0x02c361f218070560ull},
    {"paper --all --format json", 0x396dc689b12fea2dull}
};

void checkRecorded(std::string_view prefix) {
    for (const auto& recorded : kRecorded) {
        const std::string command = recorded.command;
        if (!command.starts_with(prefix)) continue;
        const CliOutput out = runShell("cd " RINGSIM_DATA_DIR " && " RINGSIM_CLI " " + command + " 2>&1");
        INFO("ringsim " << command << " now gives digest 0x" << std::hex << digestOf(out.text));
        CHECK(digestOf(out.text) == recorded.digest);
    }
}

}  // namespace

TEST_CASE("compare gives, for every bundled scenario, every mode and both presets, the results recorded", "[digest]") {
    checkRecorded("compare ");
}

TEST_CASE("runs and traces of five scenarios in every mode give the results recorded", "[digest]") {
    checkRecorded("run ");
    checkRecorded("trace ");
}

TEST_CASE("the papers' experiments give the results recorded", "[digest]") {
    checkRecorded("paper ");
}
