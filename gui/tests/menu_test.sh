#!/bin/sh
# The menu bar under real mouse and key events (xdotool): File > Open
# scenario file opens a scenario typed by path (a missing one keeps the
# dialog open with the reason), File > Export window as PNG saves the window
# under the suggested name ringsim-<scenario>-<mode>-<cycle>.png.
# usage (under xvfb-run at 1280x800): menu_test.sh RINGSIM_GUI SCENARIOS_FOLDER
set -eu
gui=$1
scenarios=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() {
    echo "FAIL: $*"
    exit 1
}
# ImGui 1.86 samples keys once a frame: Enter is held long enough to be seen.
enter() { xdotool keydown Return sleep 0.15 keyup Return sleep 0.5; }
# Menu items by where they are: File at the left of the menu bar, items one line apart.
file_menu() { xdotool mousemove 22 10 click 1 sleep 0.4 mousemove 80 "$1" click 1 sleep 0.5; }
open_item=58
export_item=82

"$gui" "$scenarios/07-hw-assist.yaml" --config-dir "$work/config" --print-state >"$work/out" 2>&1 &
pid=$!
xdotool search --sync --name '^ringsim: ' >/dev/null  # titled after its first frame
sleep 0.5

file_menu $open_item
xdotool type --delay 20 "$work/no-such.yaml"
enter
xdotool type --delay 20 "$scenarios/01-rings.yaml"
enter
file_menu $export_item
enter
kill -TERM "$pid"
wait "$pid"
cat "$work/out"
grep -qF "scenario $scenarios/01-rings.yaml" "$work/out" || fail "01-rings was not opened through File > Open scenario file"
picture=$(ls ringsim-*.png 2>/dev/null || true)
echo "exported: $picture"
[ "$picture" = "ringsim-01-rings-native-0.png" ] || fail "expected ringsim-01-rings-native-0.png in $work"
# A PNG's width and height are bytes 16-23 of the file, big-endian.
size=$(od -An -tu1 -j16 -N8 "$picture" | awk '{ print $3 * 256 + $4 "x" $7 * 256 + $8 }')
[ "$size" = "1280x800" ] || fail "the exported picture is $size, not 1280x800"
echo ok
