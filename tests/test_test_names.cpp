// CTest finds each Catch2 test by its name (catch_discover_tests), and a
// semicolon in a name splits it into two tests that match nothing and pass:
// the test would never run. No test may have one.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

TEST_CASE("no test's name has a semicolon, which would keep CTest from running it", "[tests]") {
    namespace fs = std::filesystem;
    const std::regex testCase(R"(TEST_CASE\(\s*"([^"]*)\")");
    size_t files = 0;
    for (const char* folder : {"tests", "gui/tests"}) {
        const fs::path dir = fs::path(RINGSIM_DATA_DIR) / folder;
        if (!fs::exists(dir)) continue;
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (entry.path().extension() != ".cpp") continue;
            ++files;
            std::ifstream in(entry.path());
            std::stringstream text;
            text << in.rdbuf();
            const std::string source = text.str();
            for (std::sregex_iterator it(source.begin(), source.end(), testCase), end; it != end; ++it) {
                INFO(entry.path().string() << ": " << (*it)[1].str());
                CHECK((*it)[1].str().find(';') == std::string::npos);
            }
        }
    }
    CHECK(files > 20);
}
