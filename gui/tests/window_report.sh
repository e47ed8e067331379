# Shell helpers for tests that drive a running ringsim-gui (sourced): the
# window prints its layout and panels on SIGUSR2 into $report; these wait
# for its frames instead of sleeping, so they hold under any load.
# Needs $pid (the GUI) and $report (its standard output).

fail() {
    echo "FAIL: $*"
    exit 1
}
# reports: how many reports the window has printed
reports() { grep -c '^panels-end' "$report" || true; }
# next_frame: asks for a report and waits for it (a frame has passed)
next_frame() {
    count=$(reports)
    kill -USR2 "$pid"
    while [ "$(reports)" -le "$count" ]; do sleep 0.05; done
}
# last_panels: the last report's panel lines, sorted
last_panels() {
    awk '/^layout /{ n = 0 } { block[++n] = $0 } /^panels-end/{ last = ""; for (i = 1; i < n; ++i) if (block[i] ~ /^panel /) last = last block[i] "\n" } END { printf "%s", last }' "$report" | sort
}
last_design() { grep '^layout ' "$report" | tail -n 1 | cut -d' ' -f2; }
# settle DESIGN: until the layout is DESIGN and two reports in a row agree
settle() {
    previous=""
    for attempt in $(seq 1 100); do
        next_frame
        now=$(last_panels)
        if [ "$(last_design)" = "$1" ] && [ "$now" = "$previous" ]; then return 0; fi
        previous=$now
    done
    fail "the layout did not settle in $1"
}
# rect_of PANEL [FILE]: "x y w h" of the panel (in the last report, or in FILE's --print-panels)
rect_of() {
    if [ $# -gt 1 ]; then cat "$2"; else last_panels; fi |
        awk -v name="$1" '$1 == "panel" { n = $6; for (i = 7; i <= NF; ++i) n = n " " $i; if (n == name) print $2, $3, $4, $5 }'
}
# drag X0 Y0 X1 Y1: press, move in two steps, release, a frame between each
drag() {
    xdotool mousemove "$1" "$2"
    next_frame
    xdotool mousedown 1
    next_frame
    xdotool mousemove $((($1 + $3) / 2)) $((($2 + $4) / 2))
    next_frame
    xdotool mousemove "$3" "$4"
    next_frame
    xdotool mouseup 1
    next_frame
}
# start_window ARGS...: ringsim-gui in the background, its first frame drawn
start_window() {
    "$gui" "$@" >"$report" 2>&1 &
    pid=$!
    xdotool search --sync --name '^ringsim: ' >/dev/null  # titled after its first frame
}
stop_window() {
    kill -TERM "$pid"
    wait "$pid"
}
