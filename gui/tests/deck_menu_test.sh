#!/bin/sh
# The lecture deck from a running window, under real mouse and key events
# (xdotool): File > Lecture deck > Start the bundled lecture opens its first
# lesson's title card, N goes to the lesson's first stop, Page Down to the
# second, and Page Up back to the (first) lesson's title card.
# usage (under xvfb-run at 1280x800): deck_menu_test.sh RINGSIM_GUI SCENARIOS_FOLDER
set -eu
gui=$1
scenarios=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
    echo "FAIL: $*"
    exit 1
}
# ImGui 1.86 samples keys once a frame: each key is held long enough to be seen.
key() { xdotool keydown "$1" sleep 0.15 keyup "$1" sleep 0.6; }
# File at the left of the menu bar; Lecture deck is its fifth item, and its
# submenu opens to the right of the File menu on the same line.
deck_item=127

"$gui" "$scenarios/07-hw-assist.yaml" --config-dir "$work/config" --print-state >"$work/out" 2>&1 &
pid=$!
xdotool search --sync --name '^ringsim: ' >/dev/null  # titled after its first frame
sleep 0.5
xdotool mousemove 22 10 click 1 sleep 0.4 mousemove 80 $deck_item sleep 0.6 mousemove 360 $deck_item sleep 0.4 click 1 sleep 0.8
kill -USR1 "$pid"
sleep 0.5
key n
key Next
kill -USR1 "$pid"
sleep 0.5
key Prior
kill -TERM "$pid"
wait "$pid"
cat "$work/out"
grep -qF "scenario $scenarios/01-rings.yaml" "$work/out" || fail "the menu did not open the bundled lecture's first lesson"
# The state lines in order: the title card (stop 0), after N and Page Down (stop 2), after Page Up (stop 0 again).
stops=$(grep -o 'tour-stop [0-9]*/' "$work/out" | sed 's/[^0-9]//g' | tr '\n' ' ')
echo "stops seen: $stops"
[ "$stops" = "0 2 0 " ] || fail "expected the tour stops 0, 2, 0 (title card, two stops, back to the card); saw $stops"
grep -qF "deck lesson 1/16 mode native (1/1) title-card 1" "$work/out" || fail "the window did not end on lesson 1's title card"
echo ok
