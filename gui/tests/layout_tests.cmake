# Layouts under Xvfb: P pressed live against --presentation, a layout kept per
# window size, the popped-out Compare over every panel (real input,
# xdotool), and no text cut off at 1280x800 and in presentation mode.
# Included from gui/CMakeLists.txt inside its Xvfb block.
add_executable(ringsim_gui_image_rows_check tests/image_rows_check.cpp)
target_link_libraries(ringsim_gui_image_rows_check PRIVATE PkgConfig::STB)
if(XDOTOOL)
  add_test(NAME gui.layout.presentation-key
    COMMAND ${XVFB_RUN} -a -s "-screen 0 1920x1080x24" ${CMAKE_CURRENT_SOURCE_DIR}/tests/presentation_key_test.sh
            $<TARGET_FILE:ringsim-gui> $<TARGET_FILE:ringsim_gui_image_rows_check> ${PROJECT_SOURCE_DIR}/scenarios)
  add_test(NAME gui.layout.per-size
    COMMAND ${XVFB_RUN} -a -s "-screen 0 1920x1080x24" ${CMAKE_CURRENT_SOURCE_DIR}/tests/layout_size_test.sh
            $<TARGET_FILE:ringsim-gui> ${PROJECT_SOURCE_DIR}/scenarios)
  add_test(NAME gui.layout.compare-popout
    COMMAND ${XVFB_RUN} -a -s "-screen 0 1280x800x24" ${CMAKE_CURRENT_SOURCE_DIR}/tests/compare_popout_test.sh
            $<TARGET_FILE:ringsim-gui> ${PROJECT_SOURCE_DIR}/scenarios)
  set_tests_properties(gui.layout.presentation-key gui.layout.per-size gui.layout.compare-popout PROPERTIES TIMEOUT 180
    FAIL_REGULAR_EXPRESSION "FAIL:")
endif()
