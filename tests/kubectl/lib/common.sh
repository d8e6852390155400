# Shared by tests/kubectl/*.sh: start fake_apiserver and drive the REAL kubectl against it.
# Usage in a test:  source "${BASH_SOURCE%/*}/lib/common.sh" "$@" || exit 1   (args: FAKE_APISERVER SOURCE_DIR)
# Each test has its own temporary directory, kubeconfig and kubectl --cache-dir (kubectl caches
# discovery, and its dispatcher the server's /version, across runs otherwise).
set -u

FAKE_APISERVER=${1:?usage: $0 FAKE_APISERVER SOURCE_DIR}
SOURCE_DIR=${2:?usage: $0 FAKE_APISERVER SOURCE_DIR}
SEED="$SOURCE_DIR/scenarios/seed/manifests"  # the seed manifests (Deployments, Services, Istio config)

# CTest treats exit code 77 as "skipped" (SKIP_RETURN_CODE): never a silent pass.
if ! command -v kubectl > /dev/null 2>&1; then
  echo "SKIP: kubectl is not installed; these tests drive the real kubectl against gwsim's fake API server"
  exit 77
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gwsim-kubectl.XXXXXX")
SERVER_PID=""
BACKGROUND_PIDS=""

cleanup() {
  for pid in $BACKGROUND_PIDS; do kill "$pid" 2> /dev/null; done
  exec 9>&- 2> /dev/null  # the server exits when its stdin closes
  if [ -n "$SERVER_PID" ]; then
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2> /dev/null || break; sleep 0.1; done
    kill "$SERVER_PID" 2> /dev/null
    wait "$SERVER_PID" 2> /dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  if [ -f "$WORK/server.log" ]; then
    echo "--- fake_apiserver requests (last 40)"
    tail -40 "$WORK/server.log"
  fi
  exit 1
}

# start_server [MANIFEST...]: sets URL; kubectl then talks to it through $WORK/kubeconfig.
start_server() {
  mkfifo "$WORK/stdin"
  "$FAKE_APISERVER" --log --kubeconfig "$WORK/kubeconfig" "$@" < "$WORK/stdin" > "$WORK/server.out" 2> "$WORK/server.log" &
  SERVER_PID=$!
  exec 9> "$WORK/stdin"
  for _ in $(seq 100); do
    [ -s "$WORK/server.out" ] && break
    kill -0 "$SERVER_PID" 2> /dev/null || fail "fake_apiserver exited: $(cat "$WORK/server.log")"
    sleep 0.1
  done
  URL=$(head -1 "$WORK/server.out")
  [ -n "$URL" ] || fail "fake_apiserver printed no address"
  echo "fake API server at $URL; kubectl $(kubectl version --client 2> /dev/null | head -1)"
}

# k ARGS...: the real kubectl against the fake server (bounded, so a hang fails the test).
k() {
  KUBECONFIG="$WORK/kubeconfig" timeout 60 kubectl --cache-dir "$WORK/cache" "$@"
}

# run_k NAME ARGS...: kubectl with stdout+stderr in $WORK/NAME.out and its exit code in RC.
run_k() {
  local name=$1
  shift
  k "$@" > "$WORK/$name.out" 2>&1
  RC=$?
  echo "\$ kubectl $*  (exit $RC)"
  sed 's/^/  | /' "$WORK/$name.out"
  [ -z "$(tail -c 1 "$WORK/$name.out")" ] || echo
}

# expect_rc WANT: the last run_k's exit code.
expect_rc() { [ "$RC" = "$1" ] || fail "expected exit code $1, got $RC"; }
# expect_out NAME TEXT: the output of run_k NAME holds TEXT (fixed string).
expect_out() { grep -qF -- "$2" "$WORK/$1.out" || fail "output of '$1' lacks: $2"; }
# expect_no_out NAME TEXT
expect_no_out() { ! grep -qF -- "$2" "$WORK/$1.out" || fail "output of '$1' should not contain: $2"; }
# expect_lines NAME N PATTERN: N lines of the output match the regular expression.
expect_lines() {
  local n
  n=$(grep -cE -- "$3" "$WORK/$1.out")
  [ "$n" = "$2" ] || fail "output of '$1': expected $2 lines matching /$3/, got $n"
}

# wait_for SECONDS COMMAND...: polls until COMMAND succeeds.
wait_for() {
  local limit=$1
  shift
  for _ in $(seq $((limit * 10))); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}
