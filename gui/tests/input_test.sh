#!/bin/sh
# Drives ringsim-gui with real X input events (xdotool) under the Xvfb that
# xvfb-run started, and checks the state the GUI reports when it exits:
# three presses of N show tour stop 3 (stops 2 and 3 fall in one instruction
# in 07-hw-assist, so the third press runs nothing), two presses of I and
# one of U (step back) leave exactly one instruction more; Space runs and
# Space again pauses (states asked for with SIGUSR1 mid-way); M moves to the
# scenario's next mode.
# usage (under xvfb-run): input_test.sh RINGSIM_GUI SCENARIOS_FOLDER
set -eu
gui=$1
scenarios=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# It runs until told to stop (SIGTERM), then prints its state.
"$gui" "$scenarios/07-hw-assist.yaml" --print-state >"$out" &
pid=$!
xdotool search --sync --name '^ringsim' >/dev/null
# A click in the tour text gives the window the keyboard (there is no window manager).
xdotool mousemove 600 120 click 1
sleep 0.3
for key in n n n; do
    xdotool key "$key"
    sleep 0.3
done
xdotool key i
sleep 0.3
xdotool key i
sleep 0.3
xdotool key u
sleep 1
kill -USR1 "$pid"
sleep 0.5
xdotool key space
sleep 0.5
xdotool key space
sleep 0.5
kill -USR1 "$pid"
sleep 0.5
# M: the scenario's next mode after hw-assist (the last of native, binary-translation, hw-assist) is native.
xdotool key m
sleep 0.5
kill -TERM "$pid"
wait "$pid"

cat "$out"
state=$(head -n 1 "$out")
case "$state" in
*"tour-stop 3/8"*) ;;
*) echo "FAIL: expected tour stop 3 of 8 after three presses of N"; exit 1 ;;
esac
# 308 instructions up to stops 2 and 3 (as `ringsim tour` reaches them), then two steps and one back.
case "$state" in
*"instructions 309 "*) ;;
*) echo "FAIL: expected 309 instructions after two steps and one step back past stop 3"; exit 1 ;;
esac
final=$(grep '^mode ' "$out" | sed -n 2p)
case "$final" in
*"running 0 "*) ;;
*) echo "FAIL: expected the run paused after Space, Space"; exit 1 ;;
esac
instructions=$(echo "$final" | sed 's/.* instructions \([0-9]*\) .*/\1/')
if [ "$instructions" -le 309 ]; then
    echo "FAIL: Space did not run anything ($instructions instructions)"; exit 1
fi
last=$(tail -n 1 "$out")
case "$last" in
"mode native cycle 0 "*) ;;
*) echo "FAIL: expected M to start the run again in native"; exit 1 ;;
esac
echo ok
