#!/usr/bin/env bash
# Builds gwsim under a sanitizer and runs its tests there (issue #15 item 6; docs/reliability.md).
#
#   scripts/sanitize.sh asan|tsan                 configure the preset (CMakePresets.json), build
#                                                 everything, run ctest without the browser test
#   scripts/sanitize.sh asan|tsan TARGET...       build only these targets and run what they test:
#                                                 a *_tests binary directly (--gtest_filter given
#                                                 as GTEST_FILTER), gwsim the malformed corpus and
#                                                 the hostile files, stress_tests the stress test
#   scripts/sanitize.sh fuzz                      build the libFuzzer targets and run their smoke runs
#
# asan: AddressSanitizer + UndefinedBehaviorSanitizer (GCC) into build-asan; tsan: ThreadSanitizer
# (GCC) into build-tsan; fuzz: the libFuzzer targets with ASan + UBSan (clang 14) into build-fuzz.
# GCC for the sanitizers: clang 14 cannot compile the data path's coroutines with libstdc++ 12.
# A sanitizer build recompiles everything (nothing is shared with build/): name the targets.
#   GWSIM_JOBS   parallel build jobs (default: nproc)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode=${1:-}
case "$mode" in
  asan | tsan | fuzz) ;;
  *)
    echo "usage: scripts/sanitize.sh asan|tsan [TARGET...] | fuzz" >&2
    exit 2
    ;;
esac
shift
targets=("$@")
build="$repo/build-$mode"
jobs="${GWSIM_JOBS:-$(nproc)}"
supp="$repo/scripts/sanitizers"

launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
(cd "$repo" && cmake --preset "$mode" "${launcher[@]}" >/dev/null)

# Each suppressions file says why each of its lines is there.
export ASAN_OPTIONS="detect_leaks=1:check_initialization_order=1:strict_init_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export TSAN_OPTIONS="suppressions=$supp/tsan.supp:second_deadlock_stack=1:history_size=4${TSAN_OPTIONS:+:$TSAN_OPTIONS}"

if [[ $mode == fuzz ]]; then
  cmake --build "$build" -j"$jobs" --target yaml_json_fuzz manifest_fuzz validation_fuzz api_patch_fuzz
  cd "$repo" && ctest --preset fuzz
  exit
fi

if ((${#targets[@]} == 0)); then
  cmake --build "$build" -j"$jobs"
  cd "$repo" && ctest --preset "$mode" -j"$jobs"
  exit
fi

cmake --build "$build" -j"$jobs" --target "${targets[@]}"
failed=0
for target in "${targets[@]}"; do
  case "$target" in
    *_tests)
      echo "== $mode: $target"
      "$build/bin/$target" --gtest_brief=1 ${GTEST_FILTER:+--gtest_filter="$GTEST_FILTER"} || failed=1
      ;;
    stress_tests)
      echo "== $mode: the stress test"
      (cd "$build" && ctest --output-on-failure -R '^serve_stress$') || failed=1
      ;;
    gwsim)
      echo "== $mode: gwsim (malformed corpus, hostile files)"
      (cd "$build" && ctest --output-on-failure -R '^(malformed_inputs|hostile_files)$') || failed=1
      ;;
    *) echo "== $mode: $target built (no test of its own)" ;;
  esac
done
exit $failed
