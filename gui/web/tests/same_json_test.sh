#!/bin/sh
# The web build's core (the ringsim command line compiled to WebAssembly, run
# by node) compares a scenario exactly as the native build does: the same
# `compare --format json`, byte for byte.
# Usage: same_json_test.sh NODE WEB_RINGSIM_JS NATIVE_RINGSIM SCENARIO OUT_DIR
set -eu
node=$1 web=$2 native=$3 scenario=$4 out=$5
mkdir -p "$out"
"$native" compare "$scenario" --format json > "$out/native.json"
# Emscripten 3.1.6 fetches the .wasm with fetch() when node has it, which cannot read a file path.
"$node" --no-experimental-fetch "$web" compare "$scenario" --format json > "$out/web.json"
if cmp -s "$out/native.json" "$out/web.json"; then
  echo "ok: the same $(wc -c < "$out/native.json") bytes of JSON from the web build and the native one"
else
  echo "FAIL: the web build's JSON differs from the native one's:"
  diff "$out/native.json" "$out/web.json" | head -20
  exit 1
fi
