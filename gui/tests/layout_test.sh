#!/bin/sh
# The layout under real mouse and key events (xdotool), against where the
# panels are when nobody touches them: a panel dragged by its title bar
# moves and one dragged by its corner resizes; locked (L), a drag moves and
# resizes nothing, not even while the button is held; presentation mode (P)
# and back puts every panel where it was before; View > Reset layout puts
# them where they started.
# usage (under xvfb-run at 1280x800): layout_test.sh RINGSIM_GUI SCENARIOS_FOLDER
set -eu
gui=$1
scenarios=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
    echo "FAIL: $*"
    exit 1
}
# rect FILE PANEL: "x y w h" of the panel in the GUI's --print-panels report
rect() { awk -v name="$2" '$1 == "panel" { n = $6; for (i = 7; i <= NF; ++i) n = n " " $i; if (n == name) print $2, $3, $4, $5 }' "$1"; }
# drag X0 Y0 X1 Y1: press, move in two steps, release
drag() {
    xdotool mousemove "$1" "$2" sleep 0.2 mousedown 1 sleep 0.2 \
        mousemove $((($1 + $3) / 2)) $((($2 + $4) / 2)) sleep 0.2 mousemove "$3" "$4" sleep 0.2 mouseup 1 sleep 0.3
}
start() {  # start OUT [ARGS]: the GUI in the background, its window up
    out=$1
    shift
    "$gui" "$scenarios/07-hw-assist.yaml" --config-dir "$work/config-$out" --print-panels "$@" >"$work/$out" 2>&1 &
    pid=$!
    xdotool search --sync --name '^ringsim: ' >/dev/null  # titled after its first frame
    sleep 0.5
}
stop() {
    kill -TERM "$pid"
    wait "$pid"
}

"$gui" "$scenarios/07-hw-assist.yaml" --config-dir "$work/config-base" --frames 3 --print-panels >"$work/base"
cat "$work/base"
set -- $(rect "$work/base" Stage)
rings_x=$1 rings_y=$2
set -- $(rect "$work/base" Counters)
counters_right=$(($1 + $3)) counters_bottom=$(($2 + $4))
tour=$(rect "$work/base" Tour)
set -- $tour
tour_x=$1 tour_y=$2 tour_right=$(($1 + $3)) tour_bottom=$(($2 + $4))

echo "1. unlocked: a title bar moves a panel, a corner resizes one; locked: neither; P and P again restore"
start moved
drag $((rings_x + 100)) $((rings_y + 10)) $((rings_x + 500)) $((rings_y + 210))
# 8 pixels in: the panel below is hoverable 4 pixels above its edge (ImGui pads windows for resizing)
drag $((counters_right - 8)) $((counters_bottom - 8)) $((counters_right - 84)) $((counters_bottom - 44))
xdotool key l
sleep 0.3
drag $((tour_x + 100)) $((tour_y + 10)) $((tour_x + 300)) $((tour_y + 180))
drag $((tour_right - 4)) $((tour_bottom - 4)) $((tour_right - 70)) $((tour_bottom - 100))
xdotool key p
sleep 0.6
xdotool key p
sleep 0.6
stop
cat "$work/moved"
[ "$(rect "$work/moved" Stage | cut -d' ' -f1,2)" = "$((rings_x + 400)) $((rings_y + 200))" ] ||
    fail "Stage should have moved by 400,200 and stayed there after presentation mode"
set -- $(rect "$work/moved" Counters)
[ $(($1 + $3)) -lt "$counters_right" ] || fail "Counters should be narrower after a drag of its corner"
[ "$(rect "$work/moved" Tour)" = "$tour" ] || fail "Tour moved or resized while the layout was locked"

echo "2. locked from the start, a drag still under way has moved and resized nothing"
start held --lock-layout
xdotool mousemove $((tour_right - 4)) $((tour_bottom - 4)) sleep 0.2 mousedown 1 sleep 0.2 \
    mousemove $((tour_right - 70)) $((tour_bottom - 100)) sleep 0.4
stop
xdotool mouseup 1
cat "$work/held"
[ "$(rect "$work/held" Tour)" = "$tour" ] || fail "Tour resized during a drag while the layout was locked"

echo "3. View > Reset layout puts a moved panel back"
start reset
drag $((rings_x + 100)) $((rings_y + 10)) $((rings_x + 500)) $((rings_y + 210))
xdotool mousemove 68 10 click 1 sleep 0.4 mousemove 90 98 click 1 sleep 0.5
stop
cat "$work/reset"
[ "$(rect "$work/reset" Stage)" = "$(rect "$work/base" Stage)" ] || fail "Stage is not back in its place after Reset layout"
echo ok
