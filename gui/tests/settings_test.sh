#!/bin/sh
# Settings persist between runs (gui.json and imgui.ini in --config-dir), a
# broken settings file is reported in one line and ignored, keys change
# settings live (xdotool), and runs that end by themselves (--screenshot)
# leave the user's settings alone. Runs under the Xvfb that xvfb-run started.
# usage (under xvfb-run): settings_test.sh RINGSIM_GUI SCENARIOS_FOLDER
set -eu
gui=$1
scenarios=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
config="$work/config"
mkdir "$config"

fail() {
    echo "FAIL: $*"
    exit 1
}
expect() {  # expect FILE TEXT: the GUI's report holds TEXT
    grep -qF -- "$2" "$1" || { cat "$1"; fail "expected \"$2\""; }
}

echo "1. a broken settings file: one line on stderr, the window opens with the defaults"
printf '{"theme": "light", oops' >"$config/gui.json"
"$gui" --config-dir "$config" --frames 3 --print-state >"$work/out" 2>"$work/err" || fail "exit status $?"
cat "$work/err"
[ "$(wc -l <"$work/err")" -eq 1 ] || fail "expected one line on stderr"
expect "$work/err" "settings ignored"
expect "$work/out" "settings theme dark presentation 0"

echo "2. a setting chosen on the command line is remembered, with the scenario and mode"
"$gui" "$scenarios/07-hw-assist.yaml" --mode binary-translation --config-dir "$config" --theme light --frames 3 \
    >/dev/null 2>&1 || fail "exit status $?"
"$gui" --config-dir "$config" --frames 3 --print-state >"$work/out" 2>&1
cat "$work/out"
expect "$work/out" "settings theme light presentation 0 locked 0"
expect "$work/out" "scenario $(cd "$scenarios" && pwd)/07-hw-assist.yaml"
expect "$work/out" "mode binary-translation "
[ -s "$config/layouts/1280x800.ini" ] || fail "the layout (layouts/1280x800.ini) was not saved beside gui.json"

echo "3. keys change settings live: T (theme), P (presentation), L (lock); kept after the window closes"
"$gui" --config-dir "$config" --print-state >"$work/out" 2>&1 &
pid=$!
xdotool search --sync --name '^ringsim: ' >/dev/null  # titled after its first frame
# A click in the tour text gives the window the keyboard (there is no window manager).
xdotool mousemove 150 700 click 1
sleep 0.3
for key in t p l; do
    xdotool key "$key"
    sleep 0.4
done
kill -TERM "$pid"
wait "$pid"
cat "$work/out"
expect "$work/out" "settings theme dark presentation 1 locked 1"
expect "$work/out" "layout presentation"
"$gui" --config-dir "$config" --frames 3 --print-state >"$work/out" 2>&1
expect "$work/out" "settings theme dark presentation 1 locked 1"

echo "4. RINGSIM_CONFIG_DIR is used, and a screenshot run neither reads nor writes it"
RINGSIM_CONFIG_DIR="$config" "$gui" --frames 3 --print-state >"$work/out" 2>&1
expect "$work/out" "settings theme dark presentation 1"
before=$(cat "$config/gui.json")
RINGSIM_CONFIG_DIR="$config" "$gui" "$scenarios/01-rings.yaml" --theme light --screenshot "$work/shot.png" --print-state \
    >"$work/out" 2>&1
expect "$work/out" "settings theme light presentation 0 locked 0"
[ "$before" = "$(cat "$config/gui.json")" ] || fail "a screenshot run changed gui.json"
echo ok
