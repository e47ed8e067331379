#!/bin/sh
# Stepping back lands exactly where stepping forward had been: for each mode,
# the state the GUI reports after N steps equals the state after N+k steps
# and k steps back (by instruction, and by event), compared by --print-state's
# digest of registers, control registers, cycle and event count. Also
# checks what stepping by one cycle does.
# usage (under xvfb-run): step_back_test.sh RINGSIM_GUI SCENARIOS_FOLDER
set -eu
gui=$1
scenarios=$2
failed=0

state() {  # scenario mode commands
    "$gui" "$scenarios/$1.yaml" --mode "$2" --frames 1 --print-state --do "$3" | tail -n 1
}

same() {  # scenario mode forward back
    a=$(state "$1" "$2" "$3")
    b=$(state "$1" "$2" "$4")
    if [ "$a" = "$b" ]; then
        echo "ok   $1 $2: $3 == $4"
    else
        echo "FAIL $1 $2: $3 gives"
        echo "       $a"
        echo "     but $4 gives"
        echo "       $b"
        failed=1
    fi
}

for run in "01-rings native" "02-trap-emulate-flaw trap-emulate" "04-binary-translation binary-translation" \
           "05-emulation-vs-translation emulation" "06-paravirt paravirt" "07-hw-assist hw-assist" \
           "11-containers-vs-vms container" "13-pooling-isolation hw-assist"; do
    set -- $run
    same "$1" "$2" "step*3000" "step*3002,back*2"
    same "$1" "$2" "event*60" "event*62,back-event*2"
done
# Stepping by cycle: one-cycle instructions retire one per step; the first
# block under binary translation occupies 341 cycles (its translation), so
# 340 steps walk through it and the 341st starts the next instruction.
same 01-rings native "cycle*5" "step*5"
same 04-binary-translation binary-translation "cycle*340" "step"
same 04-binary-translation binary-translation "cycle*341" "step*2"
# A step back from cycle 0 does nothing; a step back by event before any event goes to cycle 0.
same 07-hw-assist hw-assist "reset" "back,back-event"
same 07-hw-assist hw-assist "reset" "step*5,back-event"
exit $failed
