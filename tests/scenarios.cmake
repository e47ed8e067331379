# The bundled scenarios (scenarios/*.yaml) as CTest tests:
#   scenario.<name>.check         `ringsim check` passes every expected outcome
#   scenario.<name>.tour.<mode>   `ringsim tour --mode <mode>` reaches every stop,
#                                 for each mode the tour's `modes:` line names
#   scenario.tour-stops           every bundled scenario has a tour of 4 to 10 stops
#
# Included from tests/CMakeLists.txt. The same file is also the script behind
# scenario.tour-stops: run with `cmake -P` it checks the stop counts
# (RINGSIM = the CLI, SCENARIOS = the files, separated by "|").

if(CMAKE_SCRIPT_MODE_FILE)
  # ---- script mode: count each tour's stops ----
  string(REPLACE "|" ";" _files "${SCENARIOS}")
  set(_failed 0)
  foreach(_file IN LISTS _files)
    get_filename_component(_name "${_file}" NAME)
    execute_process(COMMAND "${RINGSIM}" tour "${_file}"
                    OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _rc)
    if(NOT _out MATCHES "stop 1 of ([0-9]+)")
      message(SEND_ERROR "${_name}: no tour stops printed (exit ${_rc}): ${_err}")
      set(_failed 1)
      continue()
    endif()
    set(_stops ${CMAKE_MATCH_1})
    if(_stops LESS 4 OR _stops GREATER 10)
      message(SEND_ERROR "${_name}: the tour has ${_stops} stops; a bundled tour has 4 to 10")
      set(_failed 1)
    else()
      message(STATUS "${_name}: ${_stops} stops")
    endif()
  endforeach()
  if(_failed)
    message(FATAL_ERROR "some bundled tours have the wrong number of stops")
  endif()
  return()
endif()

# ---- configure time: one set of tests per bundled scenario ----
file(GLOB RINGSIM_BUNDLED_SCENARIOS CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/scenarios/*.yaml")

# The modes a scenario's tour runs in: the `modes:` line of its `tour:` block
# (`[a, b]` or a single mode). Without one the tour runs in the default mode,
# which `ringsim tour` picks by itself: the result is then "".
function(ringsim_tour_modes file out)
  file(READ "${file}" _text)
  set(_text "\n${_text}")
  set(_modes "")
  # `tour:` at the start of a line, then its first key if that is `modes:`
  if(_text MATCHES "\ntour:[ \t]*(#[^\n]*)?\n([ \t]*#[^\n]*\n)*[ \t]+modes:[ \t]*([^\n#]*)")
    set(_line "${CMAKE_MATCH_3}")
    string(REGEX REPLACE "[][ \t]" "" _line "${_line}")
    string(REPLACE "," ";" _modes "${_line}")
  endif()
  set(${out} "${_modes}" PARENT_SCOPE)
endfunction()

set(_all_scenarios "")
foreach(_file IN LISTS RINGSIM_BUNDLED_SCENARIOS)
  get_filename_component(_name "${_file}" NAME_WE)
  list(APPEND _all_scenarios "${_file}")

  add_test(NAME scenario.${_name}.check COMMAND $<TARGET_FILE:ringsim> check "${_file}")
  set_tests_properties(scenario.${_name}.check PROPERTIES LABELS scenario)

  ringsim_tour_modes("${_file}" _modes)
  if(_modes STREQUAL "")
    add_test(NAME scenario.${_name}.tour COMMAND $<TARGET_FILE:ringsim> tour "${_file}")
    set_tests_properties(scenario.${_name}.tour PROPERTIES LABELS scenario)
  else()
    foreach(_mode IN LISTS _modes)
      add_test(NAME scenario.${_name}.tour.${_mode}
               COMMAND $<TARGET_FILE:ringsim> tour "${_file}" --mode ${_mode})
      set_tests_properties(scenario.${_name}.tour.${_mode} PROPERTIES LABELS scenario)
    endforeach()
  endif()
endforeach()

string(REPLACE ";" "|" _all_scenarios "${_all_scenarios}")
add_test(NAME scenario.tour-stops
         COMMAND ${CMAKE_COMMAND} -DRINGSIM=$<TARGET_FILE:ringsim> "-DSCENARIOS=${_all_scenarios}"
                 -P "${CMAKE_CURRENT_LIST_FILE}")
set_tests_properties(scenario.tour-stops PROPERTIES LABELS scenario)
