#!/bin/sh
# Each window size keeps its own layout: the Stage dragged at 1280x800
# (real mouse events, xdotool) is not where it opens at 1920x1080, which
# gets its design as a fresh window does; back at 1280x800 the Stage is where
# it was dragged to.
# usage (under xvfb-run at 1920x1080): layout_size_test.sh RINGSIM_GUI SCENARIOS_FOLDER
set -eu
gui=$1
scenarios=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scenario="$scenarios/07-hw-assist.yaml"
. "$(dirname "$0")/window_report.sh"
report="$work/report"
config="$work/config"

# fresh SIZE: where the panels open at SIZE with no layout kept
fresh() { "$gui" "$scenario" --size "$1" --config-dir "$work/fresh-$1" --frames 3 --print-panels >"$work/fresh-$1"; }
# opened SIZE: where they open at SIZE with the test's settings
opened() { "$gui" "$scenario" --size "$1" --config-dir "$config" --frames 3 --print-panels >"$work/opened-$1"; }
fresh 1280x800
fresh 1920x1080

echo "1. the Stage dragged by 300,100 at 1280x800"
start_window "$scenario" --size 1280x800 --config-dir "$config"
settle standard
set -- $(rect_of Stage)
x=$1 y=$2
drag $((x + 100)) $((y + 10)) $((x + 400)) $((y + 110))
moved=$(rect_of Stage)
stop_window
[ "$(echo "$moved" | cut -d' ' -f1,2)" = "$((x + 300)) $((y + 100))" ] || fail "the Stage was not dragged: $moved"
[ -s "$config/layouts/1280x800.ini" ] || fail "no layout kept for 1280x800"

echo "2. at 1920x1080 the panels are where a fresh window puts them"
opened 1920x1080
diff "$work/fresh-1920x1080" "$work/opened-1920x1080" || fail "the layout made at 1280x800 was used at 1920x1080"

echo "3. back at 1280x800 the Stage is where it was dragged to"
opened 1280x800
[ "$(rect_of Stage "$work/opened-1280x800")" = "$moved" ] || fail "the Stage is at $(rect_of Stage "$work/opened-1280x800"), not $moved"
[ "$(rect_of Tour "$work/opened-1280x800")" = "$(rect_of Tour "$work/fresh-1280x800")" ] || fail "the Tour moved"
echo ok
