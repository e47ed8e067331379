# The web edition's tests (gui/web/tests/), run from the desktop build against
# the page in build-web/: registered when that page exists (tools/setup.sh
# web or test builds it first) or when RINGSIM_WEB_TESTS says so.
option(RINGSIM_WEB_TESTS "Register the web.* tests even before build-web/index.html exists" OFF)
set(RINGSIM_WEB_BUILD ${PROJECT_SOURCE_DIR}/build-web CACHE PATH "the web edition's build folder (tools/setup.sh web)")
find_program(CHROMIUM chromium)
find_program(NODE node)
find_package(Python3 COMPONENTS Interpreter QUIET)
if(RINGSIM_TESTS AND (RINGSIM_WEB_TESTS OR EXISTS ${RINGSIM_WEB_BUILD}/index.html) AND CHROMIUM AND Python3_FOUND)
  set(_page_test ${CMAKE_CURRENT_SOURCE_DIR}/web/tests/page_test.py)
  foreach(case deep-link bad-link no-webgl measure files settings hidpi presentation)
    add_test(NAME web.page.${case}
      COMMAND ${Python3_EXECUTABLE} ${_page_test} ${case} ${CHROMIUM} ${RINGSIM_WEB_BUILD} ${CMAKE_CURRENT_BINARY_DIR}/web-test
              $<TARGET_FILE:ringsim>)  # the files case matches the desktop's messages
    set_tests_properties(web.page.${case} PROPERTIES TIMEOUT 600 FAIL_REGULAR_EXPRESSION "FAIL:"
      RESOURCE_LOCK chromium)  # one headless Chromium at a time: each wants both cores
  endforeach()
  if(NODE)
    add_test(NAME web.compare.same-json
      COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/web/tests/same_json_test.sh ${NODE} ${RINGSIM_WEB_BUILD}/bin/ringsim.js
              $<TARGET_FILE:ringsim> ${PROJECT_SOURCE_DIR}/scenarios/default.yaml ${CMAKE_CURRENT_BINARY_DIR}/web-test/json)
    set_tests_properties(web.compare.same-json PROPERTIES TIMEOUT 300)
  endif()
endif()

# Where picked files are put (gui/web/picked_files.cpp) is plain C++: tested
# here on the desktop, without a browser.
if(RINGSIM_TESTS)
  add_executable(ringsim_web_unit_tests web/tests/test_picked_files.cpp web/picked_files.cpp)
  target_include_directories(ringsim_web_unit_tests PRIVATE web)
  target_link_libraries(ringsim_web_unit_tests PRIVATE Catch2::Catch2WithMain)
  target_compile_definitions(ringsim_web_unit_tests PRIVATE RINGSIM_SCENARIOS="${PROJECT_SOURCE_DIR}/scenarios")
  add_test(NAME web.picked-files COMMAND ringsim_web_unit_tests)
endif()
