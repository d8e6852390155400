#!/usr/bin/env bash
# The malformed-input corpus (issue #15 item 7): every manifests/NAME.yaml is loaded with
# `gwsim route NAME.yaml --host shop.example.com`, every scenarios/NAME.yaml is run with
# `gwsim run --quiet NAME.yaml`, each from its own folder so messages name the bare file.
# NAME.expected holds the exit code ("exit 2") and then the exact first error line: for route
# the first line of stderr, for run the first line after "ERROR NAME.yaml: bad input", without
# its indentation. Each run is bounded by `timeout 5`. (The API requests of api/ are run by
# tests/fakes/apiserver/malformed_requests_test.cc.)
# Usage: malformed_test.sh GWSIM SOURCE_DIR [--print]   (--print: show what each case got)
set -u
gwsim=$(realpath "$1")
corpus=$2/tests/malformed
print=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0 passed=0

# first_error KIND: the first error line of the run just made ($work/out, $work/err).
first_error() {
  if [[ $1 == manifests ]]; then
    head -n 1 "$work/err"
  else
    # run prints "ERROR file: bad input" and the reason indented on the next line.
    awk '/^ERROR .*: bad input/ { getline; sub(/^ +/, ""); print; exit }' "$work/out"
  fi
}

for kind in manifests scenarios; do
  for input in "$corpus/$kind"/*.yaml; do
    name=$(basename "$input" .yaml)
    if [[ $kind == manifests ]]; then
      (cd "$corpus/$kind" && timeout 5 "$gwsim" route "$name.yaml" --host shop.example.com >"$work/out" 2>"$work/err")
    else
      (cd "$corpus/$kind" && timeout 5 "$gwsim" run --quiet "$name.yaml" >"$work/out" 2>"$work/err")
    fi
    rc=$?
    got=$(printf 'exit %s\n%s' "$rc" "$(first_error "$kind")")
    if [[ -n $print ]]; then
      printf '== %s/%s\n%s\n' "$kind" "$name" "$got"
    fi
    expected_file="$corpus/$kind/$name.expected"
    if [[ ! -f $expected_file ]]; then
      echo "FAIL $kind/$name: no $name.expected; got:"
      printf '%s\n' "$got" | sed 's/^/    /'
      failed=$((failed + 1))
      continue
    fi
    if [[ "$got" != "$(cat "$expected_file")" ]]; then
      echo "FAIL $kind/$name"
      echo "  expected:"
      sed 's/^/    /' "$expected_file"
      echo "  got:"
      printf '%s\n' "$got" | sed 's/^/    /'
      echo "  full output:"
      cat "$work/out" "$work/err" | head -20 | sed 's/^/    /'
      failed=$((failed + 1))
    elif [[ $rc -ne 2 ]]; then
      # Every input here is bad input: exit code 2, never 0 (accepted), 1, a crash or a timeout.
      echo "FAIL $kind/$name: the expectation itself says exit $rc; bad input must give 2"
      failed=$((failed + 1))
    else
      passed=$((passed + 1))
    fi
  done
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
