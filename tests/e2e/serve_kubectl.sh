#!/usr/bin/env bash
# End to end: `gwsim serve` with the fake API server; the real kubectl applies the seed
# manifests; a request through the gateway reaches v1; kubectl applies a VirtualService with
# weights 0/100; requests now reach v2 — without restarting anything — and serve prints what
# that change did to the route table.
# Usage: serve_kubectl.sh GWSIM SOURCE_DIR. Exit 77 (skipped) without kubectl or curl.
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
ping_pod() { curl -s --max-time 5 -H 'Host: www.service1.io' "$GATEWAY/ping" | sed -n 's/^Hostname=//p'; }

# expect_pods PREFIX: ten requests, every one answered by a pod named PREFIX* (the change may
# take a moment to reach the proxy: up to 5 s).
expect_pods() {
  local prefix=$1 ok=0 pod
  for _ in $(seq 50); do
    ok=1
    for _ in $(seq 10); do
      pod=$(ping_pod)
      case "$pod" in "$prefix"*) ;; *) ok=0; break ;; esac
    done
    [ "$ok" = 1 ] && return 0
    sleep 0.1
  done
  fail "expected pods $prefix*, last answer from '${pod:-nobody}'"
}

k apply -f "$SOURCE_DIR/scenarios/seed/manifests/" > "$WORK/apply.out" 2>&1 || fail "kubectl apply: $(cat "$WORK/apply.out")"
k get pods > /dev/null 2>&1 || fail "kubectl get pods"
# The gateway listens on port 80 once a Gateway server asks for it: serve prints the address.
GATEWAY=""
for _ in $(seq 100); do
  GATEWAY=$(sed -n 's|^gateway istio-system/istio-ingressgateway \(http://[0-9.:]*\) (port 80)$|\1|p' "$WORK/serve.out" | tail -1)
  [ -n "$GATEWAY" ] && break
  sleep 0.1
done
[ -n "$GATEWAY" ] || fail "gwsim serve printed no listening address for port 80"
echo "gateway $GATEWAY"
expect_pods k8s-combat-service-v1-
echo "seed applied: www.service1.io/ping reaches v1"

cat > "$WORK/v2.yaml" <<'YAML'
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: k8s-combat-istio-http-vs
spec:
  gateways: [istio-ingress-gateway]
  hosts: [www.service1.io]
  http:
    - name: default
      route:
        - destination: {host: k8s-combat-service-istio-mesh, port: {number: 8081}, subset: v1}
          weight: 0
        - destination: {host: k8s-combat-service-istio-mesh, port: {number: 8081}, subset: v2}
          weight: 100
YAML
k apply -f "$WORK/v2.yaml" > "$WORK/apply2.out" 2>&1 || fail "kubectl apply v2: $(cat "$WORK/apply2.out")"
expect_pods k8s-combat-service-v2-
echo "weights 0/100 applied: www.service1.io/ping reaches v2"
# serve prints one line per change, right after the API answered: allow it a moment.
LINE="^VirtualService default/k8s-combat-istio-http-vs configured: virtual hosts ~www.service1.io:80\$"
for _ in $(seq 50); do grep -q "$LINE" "$WORK/serve.out" && break; sleep 0.1; done
grep -q "$LINE" "$WORK/serve.out" || fail "gwsim serve did not print what the change did to the route table"
echo "gwsim serve printed: $(grep "^VirtualService default/k8s-combat-istio-http-vs configured" "$WORK/serve.out")"
echo "PASS"
