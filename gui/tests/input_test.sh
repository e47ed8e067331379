#!/bin/sh
# Drives ringsim-gui with real X input events (xdotool) under the Xvfb that
# xvfb-run started, and checks the state the GUI reports (asked for with
# SIGUSR1 after each key, polled until the key's work is done, so a loaded
# machine only makes it slower): three presses of N show tour stop 3 (stops
# 2 and 3 fall in one instruction in 07-hw-assist, so the third press runs
# nothing), two presses of I and one of U (step back) leave exactly one
# instruction more; Space runs (slowly) and Space again pauses; M moves to
# the scenario's next mode.
# usage (under xvfb-run): input_test.sh RINGSIM_GUI SCENARIOS_FOLDER
set -eu
gui=$1
scenarios=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# It runs until told to stop (SIGTERM), then prints its state. Space runs at 20 instructions a second.
"$gui" "$scenarios/07-hw-assist.yaml" --do speed:20 --print-state >"$out" &
pid=$!

# Asks for the state until the newest state line matches the pattern (grep -E); fails after about a minute.
await() {
    tries=0
    while :; do
        before=$(grep -c '^mode ' "$out" || true)
        kill -USR1 "$pid"
        while [ "$(grep -c '^mode ' "$out" || true)" -le "$before" ]; do
            sleep 0.05
            tries=$((tries + 1))
            if [ $tries -gt 1200 ]; then echo "FAIL: no state line for '$1'"; cat "$out"; exit 1; fi
        done
        if grep '^mode ' "$out" | tail -n 1 | grep -Eq "$1"; then return 0; fi
        tries=$((tries + 1))
        if [ $tries -gt 1200 ]; then echo "FAIL: never reached '$1'; last state:"; grep '^mode ' "$out" | tail -n 1; exit 1; fi
        sleep 0.05
    done
}

xdotool search --sync --name '^ringsim' >/dev/null
# A click in the tour text gives the window the keyboard (there is no window manager).
xdotool mousemove 600 120 click 1
await "busy 0"
xdotool key n
await "tour-stop 1/8 .* busy 0"
xdotool key n
await "tour-stop 2/8 .* busy 0"
xdotool key n
await "tour-stop 3/8 .* busy 0"
# 308 instructions up to stops 2 and 3 (as `ringsim tour` reaches them), then two steps and one back.
await " instructions 308 "
xdotool key i
await " instructions 309 .* busy 0"
xdotool key i
await " instructions 310 .* busy 0"
xdotool key u
await " instructions 309 .* busy 0"
xdotool key space
await "running 1 "
xdotool key space
await "running 0 .* busy 0"
instructions=$(grep '^mode ' "$out" | tail -n 1 | sed 's/.* instructions \([0-9]*\) .*/\1/')
if [ "$instructions" -le 309 ]; then
    echo "FAIL: Space did not run anything ($instructions instructions)"; exit 1
fi
# M: the scenario's next mode after hw-assist (the last of native, binary-translation, hw-assist) is native.
xdotool key m
await "^mode native cycle 0 "
kill -TERM "$pid"
wait "$pid"
echo ok
