// The guest's file store on both disk front ends, in every mode: the same
// programs leave the same files whichever front end carries them, and the
// paravirtual front end needs far fewer monitor entries per request than the
// emulated IDE-like one (the lesson of issue 16's item 3).
#include <catch2/catch.hpp>
#include <cstring>
#include <map>
#include <memory>

#include "bundled_guest.h"
#include "monitors/modes.h"
#include "run/run.h"

using namespace ringsim;

namespace {

const GuestImages& fileGuest(bool paravirt) {
    static std::map<bool, GuestImages> cache;
    auto it = cache.find(paravirt);
    if (it == cache.end()) {
        GuestSources sources;
        sources.kernel = testing::kGuestFolder + "kernel.s";
        sources.programs = {testing::kGuestFolder + "filecopy.s", testing::kGuestFolder + "filerandom.s"};
        sources.defines["FILESTORE"] = 1;
        if (paravirt) sources.defines["PARAVIRT"] = 1;
        it = cache.emplace(paravirt, assembleGuest(sources)).first;
    }
    return it->second;
}

struct FileRun {
    RunResult result;
    std::shared_ptr<MemoryBlockBackend> disk;
};

FileRun runFiles(Mode mode, DiskFrontEndKind frontEnd, const std::string& preset = "modern") {
    FileRun run;
    run.disk = std::make_shared<MemoryBlockBackend>(64);
    RunOptions options;
    options.mode = mode;
    options.preset = preset;
    options.diskFrontEnd = frontEnd;
    options.diskBackend = run.disk;
    options.maxCycles = 400'000'000;
    options.strict = mode == Mode::TrapEmulate;  // trap-and-emulate is correct only on a strict CPU
    run.result = runGuest(fileGuest(modeInfo(mode).needsParavirtKernel), options);
    return run;
}

uint32_t word(const std::vector<uint8_t>& bytes, size_t at) {
    uint32_t v;
    std::memcpy(&v, bytes.data() + at, 4);
    return v;
}

// The files on the disk by name, read as the kernel lays them out
// (kernel/filestore.s): sector 0 the directory, file i from sector 1 + 8i.
std::map<std::string, std::vector<uint8_t>> filesOn(const MemoryBlockBackend& disk) {
    std::map<std::string, std::vector<uint8_t>> files;
    const auto& bytes = disk.contents();
    for (size_t i = 0; i < 16; ++i) {
        const size_t entry = i * 32;
        if (word(bytes, entry + 28) == 0) continue;
        const std::string name(reinterpret_cast<const char*>(bytes.data() + entry));
        const size_t start = (1 + 8 * i) * isa::kSectorSize;
        files[name] = std::vector<uint8_t>(bytes.begin() + start, bytes.begin() + start + word(bytes, entry + 24));
    }
    return files;
}

}  // namespace

TEST_CASE("file store: the same programs leave the same files on ide and virtio, in every mode") {
    const FileRun reference = runFiles(Mode::Native, DiskFrontEndKind::Ide);
    const auto expected = filesOn(*reference.disk);
    REQUIRE(expected.size() == 3);
    CHECK(expected.at("source").size() == 3000);
    CHECK(expected.at("copy") == expected.at("source"));
    CHECK(expected.at("source")[2999] == uint8_t(2999 * 7 + 3));
    for (const ModeInfo& mode : modeTable()) {
        for (const auto frontEnd : {DiskFrontEndKind::Ide, DiskFrontEndKind::Virtio}) {
            INFO(mode.name << " " << diskFrontEndName(frontEnd));
            const FileRun run = runFiles(mode.mode, frontEnd);
            const std::string& console = run.result.console;
            CHECK(run.result.succeeded());
            CHECK(console.find("FAILED") == std::string::npos);
            CHECK(console.find("filecopy: 3000 bytes copied, checksum 0x") != std::string::npos);
            CHECK(console.find("filecopy: files: ") != std::string::npos);
            CHECK(console.find("filerandom: 40 writes at random offsets") != std::string::npos);
            CHECK(filesOn(*run.disk) == expected);
            REQUIRE(run.result.storage);
            const StorageResult& storage = *run.result.storage;
            CHECK(storage.frontEnd == frontEnd);
            CHECK(storage.counters.errors == 0);
            CHECK(storage.counters.requests == storage.counters.sectors);  // both drivers: a sector a request
            if (frontEnd == DiskFrontEndKind::Ide) {
                CHECK(storage.counters.interrupts == storage.counters.requests);
                CHECK(storage.counters.notifications == 0);
            } else {
                CHECK(storage.counters.interrupts == storage.counters.notifications);  // one per batch
                CHECK(storage.counters.requests > storage.counters.notifications);
            }
            CHECK((storage.monitorEntries != 0) == mode.virtualMachine);
        }
    }
}

TEST_CASE("file store: ide and virtio move the same sectors for the same programs") {
    const FileRun ide = runFiles(Mode::Native, DiskFrontEndKind::Ide);
    const FileRun virtio = runFiles(Mode::Native, DiskFrontEndKind::Virtio);
    REQUIRE(ide.result.storage);
    REQUIRE(virtio.result.storage);
    CHECK(ide.result.storage->counters.sectors == virtio.result.storage->counters.sectors);
}

TEST_CASE("file store: paravirtual disk requests enter the monitor far less often than emulated IDE ones") {
    for (const char* preset : {"modern", "vtx-2006"}) {
        for (const Mode mode : {Mode::HwAssist, Mode::BinaryTranslation, Mode::TrapEmulate}) {
            INFO(preset << " " << modeName(mode));
            const FileRun ide = runFiles(mode, DiskFrontEndKind::Ide, preset);
            const FileRun virtio = runFiles(mode, DiskFrontEndKind::Virtio, preset);
            REQUIRE(ide.result.storage);
            REQUIRE(virtio.result.storage);
            const double idePerRequest = ide.result.storage->perRequest(ide.result.storage->monitorEntries);
            const double virtioPerRequest = virtio.result.storage->perRequest(virtio.result.storage->monitorEntries);
            CHECK(idePerRequest > 128);  // the words of a sector alone
            CHECK(virtioPerRequest * 20 < idePerRequest);
            CHECK(virtio.result.totalCycles < ide.result.totalCycles);
        }
    }
}

TEST_CASE("file store: a run without a front end has no storage counters, and its kernel none of this") {
    RunOptions options;
    const RunResult plain = runGuest(testing::bundledGuest("hello", false), options);
    CHECK_FALSE(plain.storage);
}

TEST_CASE("file store: a kernel with the file store but no front end refuses the calls") {
    const FileRun run = runFiles(Mode::Native, DiskFrontEndKind::None);
    CHECK(run.result.console.find("filecopy: FAILED: fcreate") != std::string::npos);
    CHECK(run.result.console.find("filerandom: FAILED: fcreate") != std::string::npos);
    CHECK_FALSE(run.result.storage);
}
