#!/bin/sh
# P pressed in a running window (a real key, xdotool) gives the same window as
# starting with --presentation: every panel in the same place, and the menu
# bar drawn the same (no title bar over it); P again puts the panels back
# where they were. The window reports its layout on SIGUSR2; the test polls
# until two reports agree (the fonts change a frame after the key).
# usage (under xvfb-run at 1920x1080): presentation_key_test.sh RINGSIM_GUI ROWS_CHECK SCENARIOS_FOLDER
set -eu
gui=$1
rows_check=$2
scenarios=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scenario="$scenarios/02-trap-emulate-flaw.yaml"

. "$(dirname "$0")/window_report.sh"
report="$work/live"

"$gui" "$scenario" --size 1920x1080 --presentation --config-dir "$work/started" --screenshot "$work/started.png" \
    --print-panels >"$work/started" 2>&1
grep '^panel ' "$work/started" | sort >"$work/started-panels"

start_window "$scenario" --size 1920x1080 --config-dir "$work/live-config" --signal-screenshot "$work/live.png"
settle wide
# A click on the tour text gives the window the keyboard (there is no window manager).
set -- $(rect_of Tour)
xdotool mousemove $(($1 + 100)) $(($2 + 200)) click 1
settle wide
last_panels >"$work/before-panels"

echo "1. P: the same places as --presentation, and the same menu bar"
xdotool key p
settle presentation
last_panels >"$work/live-panels"
diff "$work/started-panels" "$work/live-panels" || fail "P pressed live placed the panels elsewhere than --presentation"
# The menu bar: the upper half of the rows above the Stage (the menu, then the row of title bars).
set -- $(grep ' Stage$' "$work/live-panels")
"$rows_check" "$work/started.png" "$work/live.png" 0 "$(($3 / 2))" || fail "the menu bar differs after P pressed live"

echo "2. P again: every panel back where it was"
xdotool key p
settle wide
last_panels >"$work/after-panels"
diff "$work/before-panels" "$work/after-panels" || fail "P twice did not put the panels back"
stop_window
echo ok
