#!/usr/bin/env bash
# Fails when an #include crosses gwsim's allowed folder graph (docs/architecture.md):
#   - folders depend one way: engine < fakes < runtime < conformance < cli, never upward;
#   - no include cycle between folders (engine/route, conformance/report, ...: a file directly in a
#     top folder belongs to that folder) nor between modules (x.h with x.cc);
#   - test and benchmark code is not checked here (it may use anything below it).
# Usage: scripts/check_layering.sh [REPO]    (exit 0 clean, 1 violations; prints each one)
set -euo pipefail

repo="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$repo"

layers=(engine fakes runtime conformance cli)
rank_of() {
  local i
  for i in "${!layers[@]}"; do
    [[ "${layers[$i]}" == "$1" ]] && { echo "$i"; return; }
  done
  echo -1
}

# "module folder" of a path: engine/route/compile.cc -> engine/route; conformance/world.cc -> conformance.
folder_of() {
  local path="$1" top rest
  top="${path%%/*}"
  rest="${path#*/}"
  if [[ "$rest" == */* ]]; then echo "$top/${rest%%/*}"; else echo "$top"; fi
}

status=0
edges_folder="$(mktemp)"
edges_module="$(mktemp)"
trap 'rm -f "$edges_folder" "$edges_module"' EXIT

sources=()
for top in "${layers[@]}"; do
  [[ -d "$top" ]] || continue
  while IFS= read -r f; do sources+=("$f"); done < <(find "$top" -type f \( -name '*.h' -o -name '*.cc' \) | sort)
done

for file in "${sources[@]}"; do
  from_top="${file%%/*}"
  from_rank="$(rank_of "$from_top")"
  from_folder="$(folder_of "$file")"
  from_module="${file%.*}"
  while IFS= read -r included; do
    to_top="${included%%/*}"
    to_rank="$(rank_of "$to_top")"
    ((to_rank < 0)) && continue  # not one of ours (a system or library header)
    if [[ ! -f "$included" ]]; then
      echo "$file: includes \"$included\", which does not exist"
      status=1
      continue
    fi
    if ((to_rank > from_rank)); then
      echo "$file: includes \"$included\": $from_top/ may not depend on $to_top/ (order: ${layers[*]})"
      status=1
    fi
    to_folder="$(folder_of "$included")"
    to_module="${included%.*}"
    [[ "$to_folder" != "$from_folder" ]] && echo "$from_folder $to_folder" >>"$edges_folder"
    [[ "$to_module" != "$from_module" ]] && echo "$from_module $to_module" >>"$edges_module"
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file")
done

check_cycles() {
  local what="$1" edges="$2" out
  if ! out="$(sort -u "$edges" | tsort 2>&1 >/dev/null)"; then
    echo "include cycle between ${what}:"
    echo "$out" | sed -n 's/^tsort: \([^-].*\)$/  \1/p' | grep -v 'input contains a loop' || true
    status=1
  fi
}
check_cycles folders "$edges_folder"
check_cycles modules "$edges_module"

if ((status == 0)); then
  echo "layering: ${#sources[@]} files, no upward include, no cycle between folders or modules"
fi
exit "$status"
