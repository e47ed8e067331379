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

// Recorded at 22fc8c0 (before issue 19's changes to the CPU loop); again in session 9, when a
// dying process's pages came to be unmapped in its own address space and vtx-2006 lost VPID.
const RecordedResult kRecorded[] = {
    {"compare scenarios/01-rings.yaml --modes all --presets modern vtx-2006 --format json", 0x2c29125beeb5f50dull},
    {"compare scenarios/02-trap-emulate-flaw.yaml --modes all --presets modern vtx-2006 --format json", 0xbc996f05cf09b38eull},
    {"compare scenarios/03-trap-emulate-strict.yaml --modes all --presets modern vtx-2006 --format json", 0xc2c4fd72869da6d6ull},
    {"compare scenarios/04-binary-translation.yaml --modes all --presets modern vtx-2006 --format json", 0x03cba551ad08a16eull},
    {"compare scenarios/05-emulation-vs-translation.yaml --modes all --presets modern vtx-2006 --format json", 0xa3002c6ee83aedc6ull},
    {"compare scenarios/06-paravirt.yaml --modes all --presets modern vtx-2006 --format json", 0xfb5d220081887338ull},
    {"compare scenarios/06b-paravirt-kernel-on-hardware.yaml --modes all --presets modern vtx-2006 --format json", 0x50c247f9bed3ebe1ull},
    {"compare scenarios/07-hw-assist.yaml --modes all --presets modern vtx-2006 --format json", 0xda6409b5e2a44a44ull},
    {"compare scenarios/08-memory-shadow.yaml --modes all --presets modern vtx-2006 --format json", 0x7c88ba30ca393d79ull},
    {"compare scenarios/09-memory-nested.yaml --modes all --presets modern vtx-2006 --format json", 0x135884407f5f8a20ull},
    {"compare scenarios/10-io.yaml --modes all --presets modern vtx-2006 --format json", 0xee745430fd9b8804ull},
    {"compare scenarios/11-containers-vs-vms.yaml --modes all --presets modern vtx-2006 --format json", 0x3b9840e038677ae0ull},
    {"compare scenarios/12-shared-kernel.yaml --modes all --presets modern vtx-2006 --format json", 0x62363a5898ff7d5dull},
    {"compare scenarios/13-pooling-isolation.yaml --modes all --presets modern vtx-2006 --format json", 0x3f473fc6fcc83144ull},
    {"compare scenarios/14-isolation.yaml --modes all --presets modern vtx-2006 --format json", 0x81936c852f97d39full},
    {"compare scenarios/15-red-pill.yaml --modes all --presets modern vtx-2006 --format json", 0x03ab9f5a9c1b8b41ull},
    {"compare scenarios/default.yaml --modes all --presets modern vtx-2006 --format json", 0x7a60470e15e2c167ull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode native --format json", 0x5523d791bb242a3cull},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode native --receipts --limit 3000", 0x3fdd5562300da632ull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode trap-emulate --format json", 0x62bf3ac9dffddbb2ull},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode trap-emulate --receipts --limit 3000", 0x7636d96be30b544dull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode binary-translation --format json", 0xa887cd7252680cc1ull},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode binary-translation --receipts --limit 3000", 0x46461a323b15dc43ull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode emulation --format json", 0x687495d9a43fae59ull},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode emulation --receipts --limit 3000", 0x710e648ecf7c43b9ull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode paravirt --format json", 0xd6f506b6bea9111full},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode paravirt --receipts --limit 3000", 0x3eeb2df2bfca16cbull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode hw-assist --format json", 0xb16927199fd9632eull},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode hw-assist --receipts --limit 3000", 0x748e794a1c41d740ull},
    {"run scenarios/02-trap-emulate-flaw.yaml --mode container --format json", 0x1ffb67abbb84e372ull},
    {"trace scenarios/02-trap-emulate-flaw.yaml --mode container --receipts --limit 3000", 0xa6c991c1e1386918ull},
    {"run scenarios/07-hw-assist.yaml --mode native --format json", 0x31b9753daad8e120ull},
    {"trace scenarios/07-hw-assist.yaml --mode native --receipts --limit 3000", 0xcb865f1721d3c6cdull},
    {"run scenarios/07-hw-assist.yaml --mode trap-emulate --format json", 0x6395303de2d75471ull},
    {"trace scenarios/07-hw-assist.yaml --mode trap-emulate --receipts --limit 3000", 0x79f10e22d60a2c29ull},
    {"run scenarios/07-hw-assist.yaml --mode binary-translation --format json", 0x01909db763c1a467ull},
    {"trace scenarios/07-hw-assist.yaml --mode binary-translation --receipts --limit 3000", 0xe7b7ef7cb7310626ull},
    {"run scenarios/07-hw-assist.yaml --mode emulation --format json", 0x9b5c8134fbed90b3ull},
    {"trace scenarios/07-hw-assist.yaml --mode emulation --receipts --limit 3000", 0x793b5bd762909aa9ull},
    {"run scenarios/07-hw-assist.yaml --mode paravirt --format json", 0xf7764b4df0ec261aull},
    {"trace scenarios/07-hw-assist.yaml --mode paravirt --receipts --limit 3000", 0xde52d8f6b353e1eeull},
    {"run scenarios/07-hw-assist.yaml --mode hw-assist --format json", 0x7f607b5751e7dac6ull},
    {"trace scenarios/07-hw-assist.yaml --mode hw-assist --receipts --limit 3000", 0xd51297b43146ed0aull},
    {"run scenarios/07-hw-assist.yaml --mode container --format json", 0x237891598fe279e3ull},
    {"trace scenarios/07-hw-assist.yaml --mode container --receipts --limit 3000", 0x26d99cb15740cfebull},
    {"run scenarios/08-memory-shadow.yaml --mode native --format json", 0x4653a27209258f29ull},
    {"trace scenarios/08-memory-shadow.yaml --mode native --receipts --limit 3000", 0xe4f805acd3bf986aull},
    {"run scenarios/08-memory-shadow.yaml --mode trap-emulate --format json", 0x6420db4572a9d76eull},
    {"trace scenarios/08-memory-shadow.yaml --mode trap-emulate --receipts --limit 3000", 0xd44116e5ca8d1e0dull},
    {"run scenarios/08-memory-shadow.yaml --mode binary-translation --format json", 0x4052ed6bb6b5c913ull},
    {"trace scenarios/08-memory-shadow.yaml --mode binary-translation --receipts --limit 3000", 0xcbd419c215ab8dd2ull},
    {"run scenarios/08-memory-shadow.yaml --mode emulation --format json", 0xe545b9dce4d046afull},
    {"trace scenarios/08-memory-shadow.yaml --mode emulation --receipts --limit 3000", 0x97f0d595d073ef72ull},
    {"run scenarios/08-memory-shadow.yaml --mode paravirt --format json", 0x79f3da890aef5dc6ull},
    {"trace scenarios/08-memory-shadow.yaml --mode paravirt --receipts --limit 3000", 0x561ad83f7e4eb2bcull},
    {"run scenarios/08-memory-shadow.yaml --mode hw-assist --format json", 0x58023640f8f8e583ull},
    {"trace scenarios/08-memory-shadow.yaml --mode hw-assist --receipts --limit 3000", 0x95228eb0bc357461ull},
    {"run scenarios/08-memory-shadow.yaml --mode container --format json", 0x897bf0df6a7e2c20ull},
    {"trace scenarios/08-memory-shadow.yaml --mode container --receipts --limit 3000", 0x43bf868c092e902bull},
    {"run scenarios/11-containers-vs-vms.yaml --mode native --format json", 0x1f67928cecd1d9e5ull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode native --receipts --limit 3000", 0xd6063f35e1237a2eull},
    {"run scenarios/11-containers-vs-vms.yaml --mode trap-emulate --format json", 0xea2d70bfd57f3186ull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode trap-emulate --receipts --limit 3000", 0x53e6d0af0fee8e6cull},
    {"run scenarios/11-containers-vs-vms.yaml --mode binary-translation --format json", 0x5e4e832b2b2129dcull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode binary-translation --receipts --limit 3000", 0x46f4037d2600a231ull},
    {"run scenarios/11-containers-vs-vms.yaml --mode emulation --format json", 0x08a788858e034098ull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode emulation --receipts --limit 3000", 0x8f6b16418d9e71eaull},
    {"run scenarios/11-containers-vs-vms.yaml --mode paravirt --format json", 0xa6a48a5e5ec3e819ull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode paravirt --receipts --limit 3000", 0xc3f8fc1ebd5ec9d6ull},
    {"run scenarios/11-containers-vs-vms.yaml --mode hw-assist --format json", 0x4028d29106f8d486ull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode hw-assist --receipts --limit 3000", 0x4526375e86bcab0cull},
    {"run scenarios/11-containers-vs-vms.yaml --mode container --format json", 0xba0393cb3e9a8486ull},
    {"trace scenarios/11-containers-vs-vms.yaml --mode container --receipts --limit 3000", 0xf79396f3be0c4cbaull},
    {"run scenarios/13-pooling-isolation.yaml --mode native --format json", 0x8d3413db41661ffaull},
    {"trace scenarios/13-pooling-isolation.yaml --mode native --receipts --limit 3000", 0xd1e5a148c6f6bec3ull},
    {"run scenarios/13-pooling-isolation.yaml --mode trap-emulate --format json", 0x4c4133f92c6793a7ull},
    {"trace scenarios/13-pooling-isolation.yaml --mode trap-emulate --receipts --limit 3000", 0xe13c32181cd92239ull},
    {"run scenarios/13-pooling-isolation.yaml --mode binary-translation --format json", 0x649c8956ddc5e32eull},
    {"trace scenarios/13-pooling-isolation.yaml --mode binary-translation --receipts --limit 3000", 0x93574d919992f147ull},
    {"run scenarios/13-pooling-isolation.yaml --mode emulation --format json", 0x004d084f42ca93b2ull},
    {"trace scenarios/13-pooling-isolation.yaml --mode emulation --receipts --limit 3000", 0x75454c146a12ed25ull},
    {"run scenarios/13-pooling-isolation.yaml --mode paravirt --format json", 0x2bef9abd3398616bull},
    {"trace scenarios/13-pooling-isolation.yaml --mode paravirt --receipts --limit 3000", 0x28796292d0858478ull},
    {"run scenarios/13-pooling-isolation.yaml --mode hw-assist --format json", 0x3c27e63464afdc68ull},
    {"trace scenarios/13-pooling-isolation.yaml --mode hw-assist --receipts --limit 3000", 0x43c94e04c0a1ba96ull},
    {"run scenarios/13-pooling-isolation.yaml --mode container --format json", 0xdcef78f8ebefeaf6ull},
    {"trace scenarios/13-pooling-isolation.yaml --mode container --receipts --limit 3000", 0xbc413a60248a7c9cull},
    {"paper --all --format json", 0x2bf0f42212a7f5e6ull}
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
