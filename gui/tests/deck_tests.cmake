# The lecture deck (--lecture) under Xvfb, through the screenshot check:
# the bundled deck walked with "next" from its first title card to its last
# stop; title cards at the lecture's size; a deck with a missing lesson opens
# the rest; a deck that cannot be read leaves a usable window.
# Included from gui/CMakeLists.txt inside its Xvfb block.
set(_deck_check ringsim_gui_screenshot_check ${XVFB_RUN} $<TARGET_FILE:ringsim-gui>)
set(_deck_fixtures ${PROJECT_SOURCE_DIR}/tests/fixtures/decks)
# Every lesson's stops in turn: "next" past the end does nothing, so a
# generous count ends on the last lesson's last stop.
add_test(NAME gui.deck.whole
  COMMAND ${_deck_check} ${CMAKE_CURRENT_BINARY_DIR}/deck-end.png --tour-complete
          --expect "deck lesson 16/16 mode hw-assist (1/1) title-card 0 end 1 problems 0" -- --lecture --do next*400)
# The first "next" from a title card is the lesson's first stop; the lesson after the last stop is a title card.
add_test(NAME gui.deck.first-stop
  COMMAND ${_deck_check} ${CMAKE_CURRENT_BINARY_DIR}/deck-first-stop.png
          --expect "deck lesson 1/16 mode native (1/1) title-card 0 end 0" --expect "tour-stop 1/" -- --lecture --do next)
add_test(NAME gui.deck.next-lesson
  COMMAND ${_deck_check} ${CMAKE_CURRENT_BINARY_DIR}/deck-next-lesson.png
          --expect "deck lesson 2/16 mode trap-emulate (1/1) title-card 1" --expect "tour-stop 0/"
          -- --lecture --do next*9)
add_test(NAME gui.deck.previous-lesson
  COMMAND ${_deck_check} ${CMAKE_CURRENT_BINARY_DIR}/deck-previous-lesson.png
          --expect "deck lesson 3/16 mode trap-emulate (1/1) title-card 1"
          -- --lecture --do next-lesson*3,next,previous-lesson)
# A title card as the back row sees it, and at the small size.
add_test(NAME gui.deck.title-card-presentation
  COMMAND ${_deck_check} ${CMAKE_CURRENT_BINARY_DIR}/deck-title-card-presentation.png --size 1920x1080
          --expect "deck lesson 4/16 mode binary-translation (1/1) title-card 1"
          -- --lecture --do next-lesson*3 --presentation)
add_test(NAME gui.deck.title-card
  COMMAND ${_deck_check} ${CMAKE_CURRENT_BINARY_DIR}/deck-title-card.png
          --expect "deck lesson 1/16 mode native (1/1) title-card 1" -- --lecture)
add_test(NAME gui.deck.missing-lesson
  COMMAND ${_deck_check} ${CMAKE_CURRENT_BINARY_DIR}/deck-missing-lesson.png
          --expect "deck lesson 2/2 mode hw-assist (1/1) title-card 1 end 0 problems 1"
          -- --lecture ${_deck_fixtures}/missing-lesson.yaml --do next-lesson)
set_tests_properties(gui.deck.missing-lesson PROPERTIES
  PASS_REGULAR_EXPRESSION "missing-lesson.yaml:5: deck\\[2\\]\\.scenario: no scenario 'no-such-lesson.yaml'.*ok: "
  FAIL_REGULAR_EXPRESSION "FAIL:")
add_test(NAME gui.deck.unreadable
  COMMAND ${_deck_check} ${CMAKE_CURRENT_BINARY_DIR}/deck-unreadable.png --expect "deck none problems 1"
          -- --lecture ${_deck_fixtures}/not-a-list.yaml ${PROJECT_SOURCE_DIR}/scenarios/01-rings.yaml)
set_tests_properties(gui.deck.unreadable PROPERTIES
  PASS_REGULAR_EXPRESSION "not-a-list.yaml:1: a deck is a list of lessons.*scenario .*01-rings.yaml.*ok: "
  FAIL_REGULAR_EXPRESSION "FAIL:")
set_tests_properties(gui.deck.first-stop gui.deck.next-lesson gui.deck.previous-lesson gui.deck.title-card-presentation
  gui.deck.title-card gui.deck.missing-lesson gui.deck.unreadable PROPERTIES TIMEOUT 120)
set_tests_properties(gui.deck.whole PROPERTIES TIMEOUT 900)
# The menu entry and the keys, with real X input.
find_program(XDOTOOL xdotool)
if(XDOTOOL)
  add_test(NAME gui.deck.menu-keys
    COMMAND ${XVFB_RUN} -a -s "-screen 0 1280x800x24" ${CMAKE_CURRENT_SOURCE_DIR}/tests/deck_menu_test.sh
            $<TARGET_FILE:ringsim-gui> ${PROJECT_SOURCE_DIR}/scenarios)
  set_tests_properties(gui.deck.menu-keys PROPERTIES TIMEOUT 120)
endif()
