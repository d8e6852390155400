# Shared by tests/e2e/*.sh: start `gwsim serve` (empty, API on a free loopback port) and drive it
# with the real kubectl and curl.
# Usage in a test:  source "${BASH_SOURCE%/*}/lib/serve.sh" "$@" || exit 1   (args: GWSIM SOURCE_DIR)
# Exit 77 (skipped) without kubectl or curl, never a silent pass.
set -u
GWSIM=${1:?usage: $0 GWSIM SOURCE_DIR}
SOURCE_DIR=${2:?usage: $0 GWSIM SOURCE_DIR}
for tool in kubectl curl; do
  if ! command -v "$tool" > /dev/null 2>&1; then
    echo "SKIP: $tool is not installed; this test drives gwsim serve with the real kubectl and curl"
    exit 77
  fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gwsim-e2e.XXXXXX")
SERVE_PID=""
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2> /dev/null && wait "$SERVE_PID" 2> /dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  echo "--- gwsim serve output"; cat "$WORK/serve.out" "$WORK/serve.err" 2> /dev/null | tail -40
  exit 1
}

"$GWSIM" serve --api 127.0.0.1:0 --kubeconfig "$WORK/kubeconfig" > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVE_PID=$!
API=""
for _ in $(seq 100); do
  API=$(sed -n 's|^api \(http://[0-9.:]*\) .*|\1|p' "$WORK/serve.out" | head -1)
  [ -n "$API" ] && break
  kill -0 "$SERVE_PID" 2> /dev/null || fail "gwsim serve exited"
  sleep 0.1
done
[ -n "$API" ] || fail "gwsim serve printed no API address"
echo "API $API"

k() { KUBECONFIG="$WORK/kubeconfig" timeout 60 kubectl --cache-dir "$WORK/cache" "$@"; }

# wait_for_gateway NS/NAME: sets GATEWAY to the address serve printed for that gateway Service's
# port 80, once a Gateway server asks for the port (up to 10 s); fails the test without one.
wait_for_gateway() {
  local service=$1
  GATEWAY=""
  for _ in $(seq 100); do
    GATEWAY=$(sed -n "s|^gateway $service \(http://[0-9.:]*\) (port 80)\$|\1|p" "$WORK/serve.out" | tail -1)
    [ -n "$GATEWAY" ] && break
    sleep 0.1
  done
  [ -n "$GATEWAY" ] || fail "gwsim serve printed no listening address for $service port 80"
  echo "gateway $GATEWAY"
}
