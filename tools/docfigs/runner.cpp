#include "docfigs.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <cstdio>
#include <sys/wait.h>

namespace docfigs {

namespace {
std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}
} // namespace

Runner::Runner(std::string sourceDir, std::string binDir)
    : sourceDir_(std::move(sourceDir)), binDir_(std::move(binDir)) {}

const CommandResult& Runner::run(const std::string& command) {
    std::shared_future<CommandResult> future;
    std::promise<CommandResult> promise;
    bool mine = false;
    {
        std::lock_guard lock(mutex_);
        auto it = cache_.find(command);
        if (it == cache_.end()) {
            it = cache_.emplace(command, promise.get_future().share()).first;
            order_.push_back(command);
            mine = true;
        }
        future = it->second;
    }
    if (mine) promise.set_value(execute(command));
    return future.get(); // lives in the shared state, which the cache keeps
}

void Runner::prefetch(std::vector<std::string> commands, unsigned threads) {
    // The comparisons are the long ones: start them first.
    std::stable_partition(commands.begin(), commands.end(),
                          [](const std::string& c) { return c.find("compare") != std::string::npos; });
    std::atomic<size_t> next{0};
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < std::max(1u, threads); ++t)
        workers.emplace_back([&] {
            for (size_t i; (i = next++) < commands.size();) run(commands[i]);
        });
    for (auto& w : workers) w.join();
}

std::vector<std::pair<std::string, CommandResult>> Runner::history() const {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<std::string, CommandResult>> out;
    for (const auto& c : order_) {
        auto future = cache_.at(c);
        if (future.wait_for(std::chrono::seconds(0)) == std::future_status::ready) out.emplace_back(c, future.get());
    }
    return out;
}

CommandResult Runner::execute(const std::string& command) {
    // The C locale and the source folder make the output the same wherever the
    // test runs; stderr goes nowhere (a failing command shows in its stdout
    // and exit code, and the document decides with 2>&1 what it shows).
    const std::string full = "cd " + shellQuote(sourceDir_) + " && PATH=" + shellQuote(binDir_) +
                             ":\"$PATH\" LC_ALL=C && export PATH LC_ALL && { " + command + "\n} 2>/dev/null";
    CommandResult result;
    const auto start = std::chrono::steady_clock::now();
    FILE* pipe = popen(full.c_str(), "r");
    if (!pipe) {
        result.status = 127;
        return result;
    }
    char buffer[65536];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
    const int raw = pclose(pipe);
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + (WIFSIGNALED(raw) ? WTERMSIG(raw) : 0);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace docfigs
