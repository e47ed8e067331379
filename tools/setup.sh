#!/usr/bin/env bash
# One-step set-up for a fresh Debian 12 machine (run as root). Installs what is
# missing from Debian's packages, builds ringsim (Release), then either runs
# the main job or every test. Safe to re-run: it installs nothing twice and
# rebuilds only what changed.
#
#   tools/setup.sh run    the GUI on the default scenario when a display exists,
#                         else the headless comparison of the default scenario
#   tools/setup.sh test   every test, in a Release build and in an
#                         AddressSanitizer + UndefinedBehaviourSanitizer build,
#                         then a minute of each fuzz target (clang, build-fuzz),
#                         and the web edition built and tested in headless Chromium
#   tools/setup.sh web    the web edition (Emscripten) built into build-web/, the
#                         page at build-web/index.html; prints how to serve it
set -euo pipefail
cd "$(dirname "$0")/.."

job=${1:-run}
case "$job" in run|test|web) ;; *) echo "usage: tools/setup.sh run|test|web" >&2; exit 2;; esac

packages=(build-essential cmake pkg-config git
          libimgui-dev libglfw3-dev python3-glad libyaml-cpp-dev catch2 libstb-dev
          libcli11-dev nlohmann-json3-dev libfmt-dev
          xvfb xauth xdotool fonts-dejavu-core qemu-utils
          clang libclang-rt-dev tcpdump tshark)
# The web edition (and its tests): Emscripten, Chromium, and dpkg-source for Debian's source packages.
[ "$job" = run ] || packages+=(emscripten chromium dpkg-dev nodejs)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
build() {  # build DIR [cmake options...]; BUILD_TARGETS="a b" builds only those
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$dir" -j "$jobs" ${BUILD_TARGETS:+--target $BUILD_TARGETS}
}

# The web edition (gui/web/): Dear ImGui and yaml-cpp compiled from Debian's
# source packages, which apt fetches into build-web/debian-src through a
# private list of deb-src entries copied from the machine's own (the system's
# apt configuration is left alone).
web_build() {
  local src=build-web/debian-src
  if [ ! -d "$src/imgui" ] || [ ! -d "$src/yaml-cpp" ]; then
    local apt="$PWD/$src/apt"
    mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/cache/archives/partial"
    {
      if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources
      fi
    } > "$apt/parts/debian-src.sources"
    if [ -f /etc/apt/sources.list ]; then
      sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list > "$apt/parts/debian-src.list"
    fi
    local opts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt/parts" -o Dir::State::Lists="$apt/lists"
                -o Dir::Cache="$apt/cache" -o APT::Sandbox::User=root)
    apt-get "${opts[@]}" update -qq
    (cd "$src" && apt-get "${opts[@]}" source --download-only imgui yaml-cpp >/dev/null &&
       rm -rf imgui yaml-cpp && dpkg-source -x imgui_*.dsc imgui >/dev/null && dpkg-source -x yaml-cpp_*.dsc yaml-cpp >/dev/null)
  fi
  # This machine's node may not be Debian's: emcc needs Debian's acorn.
  export NODE_PATH=/usr/share/nodejs
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  emcmake cmake -S . -B build-web -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
  cmake --build build-web -j "$jobs" --target ringsim-web ringsim
}

if [ "$job" = web ]; then
  web_build
  echo "setup: the web edition is in build-web/ (index.html, index.js, index.wasm, index.data)."
  echo "setup: serve it with   python3 -m http.server --directory build-web 8000"
  echo "setup: then open       http://localhost:8000/   (or copy build-web's index.* to any static web host)"
  exit 0
fi

# The test command builds the web edition first, so that the desktop build's
# web.* tests (gui/web/tests.cmake) load its page.
[ "$job" = test ] && web_build
build build

if [ "$job" = run ]; then
  if [ -n "${DISPLAY:-}" ] && [ -x build/bin/ringsim-gui ]; then
    exec build/bin/ringsim-gui scenarios/default.yaml
  fi
  # Headless: the default scenario in every mode, side by side.
  exec build/bin/ringsim compare scenarios/default.yaml
fi

ctest --test-dir build --output-on-failure -j "$jobs"
# The same tests once more under AddressSanitizer and UndefinedBehaviourSanitizer.
build build-sanitize -DRINGSIM_SANITIZE=ON -DRINGSIM_GUI=OFF
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-sanitize --output-on-failure -j "$jobs"
# The fuzz targets (fuzz/): built with clang in a build of their own (only
# the libraries they link, at -O1 to keep the build short), then each run
# for a minute from its seed corpus; a finding fails the test command. The
# targets run side by side on the two cores, so they add one minute, not one each.
fuzz_targets=(assembler_fuzz cpu_fuzz scenario_fuzz qcow2_fuzz frame_fuzz)
BUILD_TARGETS="${fuzz_targets[*]}" build build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DRINGSIM_FUZZ=ON -DRINGSIM_GUI=OFF -DRINGSIM_TESTS=OFF -DCMAKE_CXX_FLAGS_RELEASE="-O1 -gline-tables-only"
fuzz_pids=()
for t in "${fuzz_targets[@]}"; do
  fuzz/run.sh build-fuzz "$t" 60 & fuzz_pids+=($!)
done
fuzz_failed=0
for p in "${fuzz_pids[@]}"; do wait "$p" || fuzz_failed=1; done
[ $fuzz_failed -eq 0 ] || { echo "setup: a fuzz target found something (above)" >&2; exit 1; }
echo "setup: all tests passed (Release and sanitizer builds, fuzz targets)"
