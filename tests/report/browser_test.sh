#!/usr/bin/env bash
# Renders conformance.html in headless Chromium and checks that the page works in a real
# browser: the feature matrix and a distribution chart (inline SVG) are in the rendered DOM,
# the inline script ran (it fills the scenario count and marks <body data-ready="yes">), and a
# screenshot can be taken. And that it answers at a glance: the header names the Istio release,
# the summaries (features, coverage, not simulated) come before the charts and the scenario
# list, a reference with a note after its URL links the URL only, and every unreached route
# names its destination.
#
#   browser_test.sh GWSIM_BINARY SOURCE_DIR
#
# Exit 77 (CTest SKIP_RETURN_CODE) when Chromium is not installed or cannot start here, with
# the reason on stdout; never a silent pass. CHROMIUM=/path/to/chromium overrides the binary.
set -euo pipefail

gwsim="$1"
source_dir="$2"

skip() {
  echo "SKIP: $*"
  exit 77
}

chromium="${CHROMIUM:-}"
if [[ -z "$chromium" ]]; then
  for candidate in chromium chromium-browser; do
    if command -v "$candidate" >/dev/null 2>&1; then
      chromium="$(command -v "$candidate")"
      break
    fi
  done
fi
[[ -n "$chromium" && -x "$chromium" ]] ||
  skip "Chromium is not installed (Debian: apt-get install chromium; scripts/setup.sh installs it)"

work="$(mktemp -d "${TMPDIR:-/tmp}/gwsim-browser-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# A small run with distributions (seed 03, load balancing) so there are charts to draw, and a
# Gateway API test whose references carry notes after their URLs.
status=0
"$gwsim" report --no-timestamps --out "$work/report" \
  "$source_dir/scenarios/seed" "$source_dir/conformance/suite/LoadBalancing" \
  "$source_dir/conformance/suite/GatewayAPIGatewayHTTPListenerIsolation" >"$work/gwsim.log" 2>&1 || status=$?
if ((status == 2)) || [[ ! -s "$work/report/conformance.html" ]]; then
  cat "$work/gwsim.log"
  echo "FAIL: gwsim report did not write conformance.html (exit $status)"
  exit 1
fi

# Fresh profile, nothing fetched, no first-run or background work: a hermetic render.
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
  --disable-sync --no-first-run --disable-extensions --mute-audio --user-data-dir="$work/profile")
page="file://$work/report/conformance.html"

chromium_status=0
timeout 120 "$chromium" "${flags[@]}" --dump-dom "$page" >"$work/dom.html" 2>"$work/chromium.log" ||
  chromium_status=$?
if [[ ! -s "$work/dom.html" ]]; then
  tail -n 20 "$work/chromium.log" || true
  skip "Chromium ($chromium) could not start or render here (exit $chromium_status)"
fi

failures=0
expect() {
  local what="$1" pattern="$2"
  if grep -Eq -- "$pattern" "$work/dom.html"; then
    echo "ok: $what"
  else
    echo "FAIL: $what (no match for $pattern in the rendered DOM)"
    failures=$((failures + 1))
  fi
}
expect "feature matrix rendered" '<table id="feature-matrix"'
expect "feature matrix has rows" '<tr data-feature="LoadBalancing"'
expect "a distribution chart (inline SVG)" '<svg class="chart"[^>]*>'
expect "chart bars: expected and observed" '<rect class="observed"'
expect "the inline script ran" '<body data-ready="yes"'
expect "the scenario filter counted the scenarios" 'id="visible-count"[^>]*>[0-9]+ of [0-9]+ scenarios shown<'
expect "route coverage section" '<section id="coverage">'
expect "the header names the Istio release" 'id="istio-release"[^>]*>Istio [0-9]+\.[0-9]+<'
expect "a reference with a note links its URL only" '<a href="https://[^" ]+"[^>]*>https://[^<]+</a> \('

refuse() {
  local what="$1" pattern="$2"
  if grep -Eq -- "$pattern" "$work/dom.html"; then
    echo "FAIL: $what (found $(grep -Eo -- "$pattern" "$work/dom.html" | head -n 1))"
    failures=$((failures + 1))
  else
    echo "ok: $what"
  fi
}
refuse "no link has a space in its href" 'href="[^"]* [^"]*"'
# Route rows: VirtualService, route, name, destination (weight), ...: the fourth cell is never empty.
refuse "no route row without a destination" '<tr><td><code>[^<]*</code></td><td>[^<]*</td><td>[^<]*</td><td><code></code>'

# Order on the page: the summaries first, then the charts, then the scenario list.
offset() { grep -bo -- "$1" "$work/dom.html" | head -n 1 | cut -d: -f1; }
previous=0
for section in features coverage unsimulated charts scenarios; do
  at="$(offset "<section id=\"$section\">")"
  if [[ -z "$at" ]] || ((at < previous)); then
    echo "FAIL: section $section missing or out of order (features, coverage, unsimulated, charts, scenarios)"
    failures=$((failures + 1))
    break
  fi
  previous=$at
done
[[ -n "$at" ]] && ((at >= previous)) && echo "ok: summaries come before the charts and the scenario list"

timeout 120 "$chromium" "${flags[@]}" --window-size=1280,1600 --screenshot="$work/page.png" "$page" \
  >/dev/null 2>>"$work/chromium.log" || true
if [[ -s "$work/page.png" ]] && [[ "$(head -c 8 "$work/page.png" | od -An -tx1 | tr -d ' \n')" == 89504e470d0a1a0a ]]; then
  echo "ok: screenshot ($(wc -c <"$work/page.png") bytes)"
else
  echo "FAIL: no PNG screenshot"
  failures=$((failures + 1))
fi

if ((failures > 0)); then
  echo "$failures check(s) failed; Chromium's log:"
  tail -n 20 "$work/chromium.log" || true
  exit 1
fi
echo "PASS: conformance.html renders in $("$chromium" --version 2>/dev/null || echo "$chromium")"
