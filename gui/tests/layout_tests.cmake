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

# No text cut off: every bundled scenario in its default mode at its fourth
# tour stop, every panel opened (those the layout shows as title bars too),
# at 1280x800 and at 1920x1080 in presentation mode; then the modes the
# issue found cut (binary translation's translation cache, hardware
# assistance, containers, each mode's combo box) and the Compare panel docked.
set(_clip_cases)
foreach(path ${_gui_scenarios})
  get_filename_component(scenario ${path} NAME_WE)
  list(APPEND _clip_cases "${scenario}|${path}|--run-to-stop:4")
endforeach()
list(APPEND _clip_cases
  "compare-docked|${PROJECT_SOURCE_DIR}/scenarios/02-trap-emulate-flaw.yaml|--compare:native,trap-emulate:--run-to-stop:4"
  "default-hw-assist|${PROJECT_SOURCE_DIR}/scenarios/default.yaml|--mode:hw-assist:--run-to-stop:6"
  "default-binary-translation|${PROJECT_SOURCE_DIR}/scenarios/default.yaml|--mode:binary-translation:--run-to-stop:6")
foreach(case ${_clip_cases})
  string(REPLACE "|" ";" case "${case}")
  list(GET case 0 name)
  list(GET case 1 path)
  list(GET case 2 args)
  string(REPLACE ":" ";" args "${args}")
  foreach(look standard presentation)
    set(size 1280x800)
    set(extra "")
    if(look STREQUAL "presentation")
      set(size 1920x1080)
      set(extra --presentation)
    endif()
    add_test(NAME gui.clipping.${name}.${look}
      COMMAND ${XVFB_RUN} -a -s "-screen 0 ${size}x24" $<TARGET_FILE:ringsim-gui> ${path} ${args} --size ${size} ${extra}
              --open-panels --check-clipping)
    set_tests_properties(gui.clipping.${name}.${look} PROPERTIES TIMEOUT 180
      PASS_REGULAR_EXPRESSION "clipping-check 0" FAIL_REGULAR_EXPRESSION "clipped ")
  endforeach()
endforeach()
