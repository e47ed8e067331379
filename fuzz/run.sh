#!/usr/bin/env bash
# Runs one libFuzzer target of this folder from its seed corpus, with the
# options it needs (dictionary, input size, time-outs).
#
#   fuzz/run.sh BUILD_DIR TARGET SECONDS [WORK_DIR] [extra libFuzzer options...]
#
# New inputs and any crashing input go to WORK_DIR (default: a new temporary
# folder); the seeds in fuzz/corpus/TARGET are only read. Exits non-zero on a
# finding (crash, sanitizer report, leak, time-out, failed assertion).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

[ $# -ge 3 ] || { echo "usage: fuzz/run.sh BUILD_DIR TARGET SECONDS [WORK_DIR] [libFuzzer options...]" >&2; exit 2; }
build=$1 target=$2 seconds=$3
shift 3
work=${1:-}
[ $# -gt 0 ] && shift
[ -n "$work" ] || work=$(mktemp -d "${TMPDIR:-/tmp}/ringsim-$target.XXXXXX")
mkdir -p "$work/corpus" "$work/findings"

options=(-max_total_time="$seconds" -max_len=4096 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1
         -artifact_prefix="$work/findings/")
case "$target" in
  assembler_fuzz) options+=(-dict="$here/assembler.dict") ;;
  scenario_fuzz)  options+=(-dict="$here/scenario.dict") ;;
  cpu_fuzz)       ;;
  qcow2_fuzz)     ;;
  frame_fuzz)     options+=(-dict="$here/frame.dict") ;;
  *) echo "fuzz/run.sh: unknown target '$target'" >&2; exit 2 ;;
esac

# Only the closing lines: libFuzzer reports every new input, which is noise here.
status=0
"$build/bin/$target" "$work/corpus" "$here/corpus/$target" "${options[@]}" "$@" >"$work/log" 2>&1 || status=$?
if [ $status -ne 0 ]; then
  tail -n 60 "$work/log"
  echo "fuzz: $target found something (exit $status): input in $work/findings/, log $work/log" >&2
  exit 1
fi
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -n 1)
echo "fuzz: $target: no finding in ${seconds} s ($runs runs, $cov; log $work/log)"
