#!/usr/bin/env bash
# The layering check itself: a clean tree passes, and an upward include, a folder cycle and a
# module cycle each fail with a message naming the files. Usage: check_layering_test.sh REPO
set -euo pipefail
repo="$1"
check="$repo/scripts/check_layering.sh"
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir -p "$tree/engine/a" "$tree/engine/b" "$tree/fakes/x" "$tree/conformance"
echo '#include "engine/b/b.h"' >"$tree/engine/a/a.h"
echo '#include <vector>' >"$tree/engine/b/b.h"
echo '#include "engine/a/a.h"' >"$tree/fakes/x/x.h"
echo '#include "fakes/x/x.h"' >"$tree/conformance/one.h"
echo '#include "conformance/one.h"' >"$tree/conformance/two.h"
out="$(bash "$check" "$tree")" || fail "clean tree refused: $out"
grep -q 'no upward include' <<<"$out" || fail "clean tree: unexpected output: $out"

echo '#include "fakes/x/x.h"' >>"$tree/engine/b/b.h"
if out="$(bash "$check" "$tree")"; then fail "upward include accepted"; fi
grep -q 'engine/b/b.h: includes "fakes/x/x.h": engine/ may not depend on fakes/' <<<"$out" || fail "upward: $out"
grep -q 'include cycle between folders' <<<"$out" || fail "folder cycle not named: $out"
echo '#include <vector>' >"$tree/engine/b/b.h"

echo '#include "conformance/two.h"' >>"$tree/conformance/one.h"
if out="$(bash "$check" "$tree")"; then fail "module cycle accepted"; fi
grep -q 'include cycle between modules' <<<"$out" || fail "module cycle: $out"
grep -q 'conformance/one' <<<"$out" || fail "module cycle does not name conformance/one: $out"
echo '#include "fakes/x/x.h"' >"$tree/conformance/one.h"

echo '#include "engine/a/missing.h"' >>"$tree/engine/a/a.h"
if out="$(bash "$check" "$tree")"; then fail "missing include accepted"; fi
grep -q 'which does not exist' <<<"$out" || fail "missing include: $out"
echo "check_layering: clean tree, upward include, folder and module cycles, missing header: ok"
