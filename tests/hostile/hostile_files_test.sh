#!/usr/bin/env bash
# Hostile input files must give one clear error and exit code 2 within `timeout 5`, never crash,
# hang or eat the machine: the YAML/JSON files in this folder (a recursive alias, an alias bomb,
# arrays nested 100,000 and 50,000 deep), plus what cannot be committed and is made here: a FIFO,
# a self-looping symlink, /dev/zero, a file over the size limit, and directories holding them.
# Where /usr/bin/time exists, each run must also take under 1 s and under 256 MB.
# Usage: hostile_files_test.sh GWSIM SOURCE_DIR
set -u
gwsim=$(realpath "$1")
hostile=$2/tests/hostile
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# expect_lines DIR EXPECTED_FILE -- GWSIM_ARGS...: run gwsim in DIR; its output (stdout and
# stderr) must hold every line of EXPECTED_FILE and its exit code must be 2.
expect_lines() {
  local dir=$1 expected=$2
  shift 3
  local out=$work/out rc measured=""
  if [[ -x /usr/bin/time ]]; then
    (cd "$dir" && /usr/bin/time -o "$work/time" -f '%e %M' timeout 5 "$gwsim" "$@" >"$out" 2>&1)
    rc=$?
    # /usr/bin/time writes "Command exited with non-zero status N" first when the command fails.
    read -r seconds rss_kb < <(tail -n 1 "$work/time")
    measured=" (${seconds} s, max RSS ${rss_kb} KB)"
    if awk -v s="$seconds" -v m="$rss_kb" 'BEGIN { exit !(s >= 1.0 || m >= 262144) }'; then
      echo "FAIL gwsim $*: took ${seconds} s and ${rss_kb} KB; the bound is 1 s and 256 MB"
      failed=1
    fi
  else
    (cd "$dir" && timeout 5 "$gwsim" "$@" >"$out" 2>&1)
    rc=$?
  fi
  if [[ $rc -ne 2 ]]; then
    [[ $rc -eq 124 ]] && echo "FAIL gwsim $*: timed out after 5 s" || echo "FAIL gwsim $*: exit code $rc, want 2"
    sed 's/^/    /' "$out" | head -20
    failed=1
    return
  fi
  local line
  while IFS= read -r line; do
    if ! grep -qxF -- "$line" "$out"; then
      echo "FAIL gwsim $*: missing line: $line"
      echo "  got:"
      sed 's/^/    /' "$out" | head -20
      failed=1
      return
    fi
  done <"$expected"
  echo "ok   gwsim $*$measured"
}

# expect DIR 'LINE...' -- ARGS...: as expect_lines, the expected lines given inline.
expect() {
  local dir=$1
  printf '%s\n' "$2" >"$work/expected"
  shift 2
  expect_lines "$dir" "$work/expected" "$@"
}

route=(route --host shop.example.com)

# ---- the committed hostile files, loaded as manifests --------------------------------------------

expect "$hostile" 'recursive-alias.yaml:1:11: error: alias *r is inside the node it names (a recursive alias)' \
  -- "${route[@]}" recursive-alias.yaml
expect "$hostile" 'alias-bomb.yaml:12:10: error: aliases expand to more than 10000 nodes (the limit; an alias bomb is refused, never expanded)' \
  -- "${route[@]}" alias-bomb.yaml
expect "$hostile" "deep-array.json:1:574: error: nesting is deeper than yaml-cpp's parser allows (500 levels)" \
  -- "${route[@]}" deep-array.json
expect "$hostile" "deep-json-patch.json:1:538: error: nesting is deeper than yaml-cpp's parser allows (500 levels)" \
  -- "${route[@]}" deep-json-patch.json
expect "$hostile" 'ERROR recursive-alias-scenario.yaml: bad input
    recursive-alias-scenario.yaml:5:21: YAML error: alias *loop is inside the node it names (a recursive alias)' \
  -- run recursive-alias-scenario.yaml

# ---- files that are not regular files, or too large ------------------------------------------------

mkdir -p "$work/dir"
mkfifo "$work/dir/fifo.yaml"
ln -s loop.yaml "$work/dir/loop.yaml"
truncate -s 9M "$work/big.yaml"

expect "$work/dir" 'fifo.yaml: error: not a regular file (a FIFO)' -- "${route[@]}" fifo.yaml
expect "$work/dir" 'ERROR fifo.yaml: bad input
    fifo.yaml: cannot read scenario file: not a regular file (a FIFO)' -- run fifo.yaml
expect "$work" '/dev/zero: error: not a regular file (a character device)' -- "${route[@]}" /dev/zero
expect "$work" 'big.yaml: error: file is 9437184 bytes, over the limit of 8388608 bytes (8 MiB)' -- "${route[@]}" big.yaml

# ---- directories holding them: skipped with a warning, the rest still loads ------------------------

cp "$hostile/recursive-alias.yaml" "$hostile/recursive-alias-scenario.yaml" "$work/dir/"
mv "$work/big.yaml" "$work/dir/"
expect "$work" 'dir/fifo.yaml: warning: skipped: not a regular file
dir/loop.yaml: warning: skipped: symbolic link loop
dir/recursive-alias.yaml:1:11: error: alias *r is inside the node it names (a recursive alias)
dir/big.yaml: error: file is 9437184 bytes, over the limit of 8388608 bytes (8 MiB)' -- "${route[@]}" dir
expect "$work" 'WARNING dir/fifo.yaml: skipped: not a regular file
WARNING dir/loop.yaml: skipped: symbolic link loop
WARNING dir/big.yaml: skipped: file is 9437184 bytes, over the limit of 8388608 bytes (8 MiB)
ERROR dir/recursive-alias-scenario.yaml: bad input' -- run dir

exit $failed
