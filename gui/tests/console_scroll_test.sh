#!/bin/sh
# The Console keeps the newest lines in view until the user scrolls up, and
# again once scrolled back to the bottom: the mouse wheel over the panel
# (real X events with xdotool), then the state the GUI reports as it exits.
# usage (under xvfb-run): console_scroll_test.sh RINGSIM_GUI SCENARIOS_FOLDER
set -eu
gui=$1
scenario=$2/11-containers-vs-vms.yaml
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# Where the layout puts the Console: "panel X Y W H Console".
rect=$("$gui" "$scenario" --mode container --frames 3 --print-panels | grep ' Console$')
set -- $rect
x=$(($2 + $4 / 2))
y=$(($3 + $5 * 2 / 3))

# $1: the wheel's clicks (4 up, 5 down); prints the console lines of the state.
scrolled() {
    "$gui" "$scenario" --mode container --run-to-stop 999 --print-state >"$out" &
    pid=$!
    xdotool search --sync --name '^ringsim' >/dev/null
    sleep 0.5
    xdotool mousemove "$x" "$y"
    sleep 0.3
    for button in $1; do
        xdotool click "$button"
        sleep 0.2
    done
    sleep 0.5
    kill -TERM "$pid"
    wait "$pid"
    grep '^console ' "$out"
}

up=$(scrolled "4 4 4")
echo "$up"
case "$up" in
*"following 0"*) ;;
*) echo "FAIL: scrolling up should stop following the newest lines"; exit 1 ;;
esac
down=$(scrolled "4 4 4 5 5 5 5 5 5 5 5 5 5 5 5")
echo "$down"
case "$down" in
*"following 1"*) ;;
*) echo "FAIL: scrolling back to the bottom should follow the newest lines again"; exit 1 ;;
esac
echo ok
