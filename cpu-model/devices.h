// The devices on I/O ports: a console, a clock (the timer's readable side; the
// timer interrupt itself is in the CPU), and a block device with both
// programmed I/O (one port access per word) and DMA (one command per sector).
// The same classes serve as the physical devices and as a VM's virtual ones.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "disk_front_end.h"
#include "dma_window.h"
#include "memory.h"
#include "nic.h"

namespace ringsim {

// One serial console. `text()` is everything written, interleaved, as a
// physical console shows it. A host kernel that runs containers tags its
// output with a stream (port ConsoleStream: 0 = the host's own, n = container
// n), and each stream's text is kept apart as well, as each container's own
// log would be.
class Console {
public:
    static constexpr size_t kLimit = 1 << 20;  // keeps a chatty guest's output bounded (all streams together)
    void select(uint32_t stream) { selected_ = stream; }
    uint32_t selected() const { return selected_; }
    // `cycle` stamps the line the byte starts, so start-up times can be read back.
    void put(uint8_t byte, uint64_t cycle);
    const std::string& text() const { return text_; }
    // The text of one stream (empty if nothing was written to it).
    const std::string& streamText(uint32_t stream) const;
    const std::map<uint32_t, std::string>& streams() const { return streams_; }
    bool truncated() const { return truncated_; }
    uint64_t bytesWritten() const { return written_; }
    // The cycle at which the first line not starting with `skipPrefix` began:
    // in one stream, or in the whole text when `stream` is kWholeText. Empty
    // if there is no such line.
    static constexpr uint32_t kWholeText = 0xFFFFFFFFu;
    std::optional<uint64_t> firstLineCycle(uint32_t stream, std::string_view skipPrefix) const;
    // The cycle at which the first line starting with `prefix` began.
    std::optional<uint64_t> lineCycle(uint32_t stream, std::string_view prefix) const;
    void clear() { *this = Console{}; }

private:
    struct LineStart {
        size_t offset = 0;
        uint64_t cycle = 0;
    };
    struct Lines {
        std::vector<LineStart> starts;
        bool atLineStart = true;
        void add(const std::string& text, uint8_t byte, uint64_t cycle) {
            if (atLineStart) starts.push_back({text.size() - 1, cycle});
            atLineStart = byte == '\n';
        }
    };
    // The first line that starts (or, with starts false, does not start) with prefix.
    std::optional<uint64_t> firstLineWhere(uint32_t stream, std::string_view prefix, bool starts) const;
    std::string text_;
    std::map<uint32_t, std::string> streams_;
    Lines textLines_;
    std::map<uint32_t, Lines> streamLines_;
    uint32_t selected_ = 0;
    bool truncated_ = false;
    uint64_t written_ = 0;
};

class BlockDevice {
public:
    explicit BlockDevice(uint32_t sectors = 64);
    uint32_t sectorCount() const { return static_cast<uint32_t>(data_.size() / isa::kSectorSize); }
    // The DMA address register: where the next transfer reads or writes memory (window-relative).
    uint32_t dmaAddress() const { return address_; }
    std::vector<uint8_t>& contents() { return data_; }
    const std::vector<uint8_t>& contents() const { return data_; }

    // Port interface. Returns the number of sectors moved by DMA (for costing).
    uint32_t write(uint32_t port, uint32_t value, const DmaWindow& dma);
    uint32_t read(uint32_t port);
    uint64_t sectorsTransferred() const { return transferred_; }
    bool sectorValid() const { return sector_ < sectorCount(); }
    // The next programmed-I/O word is the last of its sector.
    bool atLastPioWord() const { return sector_ < sectorCount() && pioWord_ + 1 == isa::kSectorSize / 4; }

private:
    std::vector<uint8_t> data_;
    uint32_t sector_ = 0;
    uint32_t address_ = 0;
    uint32_t status_ = 0;
    uint32_t pioWord_ = 0;  // next word of the current sector for programmed I/O
    uint64_t transferred_ = 0;
};

std::string_view portName(uint32_t port);

// The physical (or a virtual) set of devices behind the I/O ports.
class DeviceSet {
public:
    Console console;
    BlockDevice disk;
    // The NIC, when the run has one (--nic); null otherwise, and its ports answer nothing.
    EmulatedNic* nic = nullptr;
    DiskFrontEnd diskFrontEnd;  // none unless a run asks for one (--disk ide|virtio)

    struct Access {
        bool known = true;          // false: no device answers this port
        uint32_t value = 0;         // for reads
        uint32_t sectorsMoved = 0;  // DMA work done by this access
        // Memory the access wrote by DMA (window-relative), which whoever watches
        // pages for stores must hear of too (Cpu::deviceWrote).
        uint32_t wroteAt = 0;
        uint32_t wroteBytes = 0;
        // The access finished something a virtual device's backend carries
        // to real hardware in one request: a console line, a DMA command, a
        // sector moved word by word. (A physical device pays per access.)
        bool hostRequest = false;
    };
    // `now` is the clock the clock ports read.
    Access in(uint32_t port, uint64_t now);
    Access out(uint32_t port, uint32_t value, const DmaWindow& dma, uint64_t now);
    // Whether the access would finish a host request (Access::hostRequest),
    // asked before it is made.
    bool finishesHostRequest(uint32_t port, uint32_t value, bool isWrite) const;
    // Whether a device every set has sits behind the port (the NIC's ports
    // answer only where a run has one: see `nic`).
    static bool answers(uint32_t port) { return portName(port) != kUnassigned && !isNicPort(port); }
    static bool isNicPort(uint32_t port) { return port >= isa::port::NicFirst && port <= isa::port::NicLast; }
    static constexpr std::string_view kUnassigned = "unassigned";
    // The container register (port Container): which container's process the
    // kernel said it runs. On its own it is only a register; a container
    // platform watches the writes to it.
    uint32_t container() const { return container_; }
    // Every in and out that reached this set. For the machine's own devices,
    // that is how often the real hardware was touched (a monitor's emulated
    // devices are sets of their own).
    uint64_t accesses() const { return accesses_; }

private:
    uint64_t accesses_ = 0;
    uint32_t clockHighLatch_ = 0;
    uint32_t container_ = 0;
};

// The device register's name, or DeviceSet::kUnassigned.
std::string_view portName(uint32_t port);

}  // namespace ringsim
