#!/bin/sh
# The popped-out Compare stays over every other panel while it is out: the
# translation cache opened from its title bar, and the Controls clicked
# (real mouse events, xdotool), are drawn behind it. The window lists its
# panels back to front on SIGUSR2.
# usage (under xvfb-run at 1280x800): compare_popout_test.sh RINGSIM_GUI SCENARIOS_FOLDER
set -eu
gui=$1
scenarios=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/window_report.sh"
report="$work/report"

# in_front_of_compare: the panels the last report lists after Compare (drawn over it)
in_front_of_compare() {
    awk '/^layout /{ n = 0 } { block[++n] = $0 } /^panels-end/{ last = ""; after = 0
         for (i = 1; i < n; ++i) { if (block[i] ~ / Compare$/) after = 1; else if (after && block[i] ~ /^panel /) last = last block[i] "\n" } }
         END { printf "%s", last }' "$report"
}

start_window "$scenarios/04-binary-translation.yaml" --mode binary-translation --compare native,binary-translation \
    --compare-large --config-dir "$work/config"
settle standard
set -- $(rect_of "Translation cache")
cache_x=$1 cache_y=$2 cache_h=$4
set -- $(rect_of Compare)
[ "$3" -gt 1000 ] && [ "$4" -gt 600 ] || fail "Compare is not popped out, open: $*"

echo "1. the translation cache opened by a click on its title bar's arrow stays behind Compare"
xdotool mousemove $((cache_x + 10)) $((cache_y + cache_h / 2)) click 1
settle standard
set -- $(rect_of "Translation cache")
[ "$4" -gt $((cache_h * 3)) ] || fail "the translation cache did not open: $*"
[ -z "$(in_front_of_compare)" ] || fail "drawn over Compare: $(in_front_of_compare)"

echo "2. the Controls clicked beside Compare stay behind it"
set -- $(rect_of Controls)
xdotool mousemove $(($1 + 50)) $(($2 + 8)) click 1  # its title bar
settle standard
[ -z "$(in_front_of_compare)" ] || fail "drawn over Compare: $(in_front_of_compare)"
stop_window
echo ok
