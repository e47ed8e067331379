// The documentation that is generated from the one instruction table must
// not drift from it.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "cli/commands.h"

TEST_CASE("docs/isa.md carries the current instruction table", "[docs]") {
    std::ifstream file(std::string(RINGSIM_DATA_DIR) + "/docs/isa.md");
    REQUIRE(file);
    std::stringstream doc;
    doc << file.rdbuf();
    std::ostringstream table;
    ringsim::cli::isaCommand("markdown", table);
    const std::string begin = "<!-- BEGIN GENERATED: ringsim isa --format markdown -->\n";
    const auto at = doc.str().find(begin);
    REQUIRE(at != std::string::npos);
    INFO("regenerate the table in docs/isa.md with: ringsim isa --format markdown");
    CHECK(doc.str().compare(at + begin.size(), table.str().size(), table.str()) == 0);
}
