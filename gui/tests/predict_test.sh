#!/bin/sh
# Predict, then reveal under real X input (xdotool): Space runs 02's
# trap-and-emulate lesson with questions on; past the tour's first stop the
# run pauses before the kernel's first lksp, and until the student answers nothing of the trap is
# shown (no event in the log, none on the stage, no tour stop). The answer is
# clicked (ring 0, trap to the monitor, Reveal): then the trap is in the log
# and on the stage, the score counts it and the tour shows its stop; Space
# runs on to the next question. States are asked for with SIGUSR1 and polled for, never waited
# for by a fixed time.
# usage (under xvfb-run, a 1280x800 screen): predict_test.sh RINGSIM_GUI SCENARIOS_FOLDER
set -eu
gui=$1
scenarios=$2
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() {
    cat "$work/out"
    echo "FAIL: $*"
    exit 1
}

# Asks for the state until its line matches $1 (a grep pattern); the stage's JSON is the line before it.
wait_state() {
    for _ in $(seq 1 300); do
        kill -USR1 "$pid"
        sleep 0.1
        line=$(grep '^mode ' "$work/out" | tail -n 1)
        if echo "$line" | grep -q -- "$1"; then
            stage=$(grep -B1 -F "$line" "$work/out" | tail -n 2 | head -n 1)
            return 0
        fi
    done
    fail "the window never reported '$1'"
}
# Where the boxes put the choices at 1280x800 (the question is centred, the answer at the foot).
click() { xdotool mousemove "$1" "$2" click 1 sleep 0.3; }
ring0="457 383"
trap_to_monitor="307 455"
reveal="322 537"
continue_button="330 765"

"$gui" "$scenarios/02-trap-emulate-flaw.yaml" --mode trap-emulate --predict --config-dir "$work/config" \
    --print-state --print-stage >"$work/out" 2>&1 &
pid=$!
xdotool search --sync --name '^ringsim: ' >/dev/null  # titled after its first frame
click 600 120  # the window takes the keyboard (there is no window manager)
# The first Space pauses at the tour's first stop (the label boot), the second runs on to the question.
xdotool key space
wait_state "tour-stop 1/8 .* busy 0"
xdotool key space

wait_state "question asked"
echo "asked:    $line"
echo "          $stage"
case "$line" in *" events 0 "*) ;; *) fail "an event was recorded before the answer: $line" ;; esac
case "$line" in *"tour-stop 1/8 "*) ;; *) fail "the trap's tour stop was shown before the answer: $line" ;; esac
case "$stage" in '{"event":null,'*) ;; *) fail "the stage shows an event before the answer: $stage" ;; esac
case "$line" in *"running 0 "*) ;; *) fail "the run did not pause at the question: $line" ;; esac

click $ring0
click $trap_to_monitor
click $reveal
wait_state "question answered"
echo "answered: $line"
echo "          $stage"
case "$line" in *" events 1 "*) ;; *) fail "the answer did not run the instruction: $line" ;; esac
case "$line" in *"score 1/1/1"*) ;; *) fail "the right answer was not scored: $line" ;; esac
case "$stage" in *'"kind":"sensitive-trapped"'*) ;; *) fail "the stage does not show the trap after the answer: $stage" ;; esac

# The trap reached the tour's second stop, where the run pauses; Continue
# closes the question, and Space runs on to the next question's
# instruction: later than the reveal, its event not yet recorded.
click $continue_button
wait_state "tour-stop 2/8 .* busy 0 question none"
xdotool key space
wait_state "question asked score 1/1/1"
echo "next:     $line"
cycle=$(echo "$line" | sed 's/.* cycle \([0-9]*\) .*/\1/')
[ "$cycle" -gt 355 ] || fail "Continue did not run on: $line"
case "$line" in *" events 1 "*) ;; *) fail "the next question's event was recorded before its answer: $line" ;; esac
kill -TERM "$pid"
wait "$pid"
pid=
echo ok
