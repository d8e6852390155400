#!/usr/bin/env bash
# End to end, the Gateway API: `gwsim serve` empty; the real kubectl applies a Gateway of class
# istio and an HTTPRoute (scenarios/gateway-api/manifests); the Istio deployment controller's
# `shop-gateway-istio` appears, `kubectl wait --for=condition=Programmed` returns, `kubectl get
# gateway` shows CLASS / ADDRESS / PROGRAMMED as a cluster does, and curl through the deployed
# gateway reaches the HTTPRoute's backend. Usage: serve_gateway_api.sh GWSIM SOURCE_DIR.
# Exit 77 (skipped) without kubectl or curl.
set -u
GWSIM=${1:?usage: $0 GWSIM SOURCE_DIR}
SOURCE_DIR=${2:?usage: $0 GWSIM SOURCE_DIR}
for tool in kubectl curl; do
  if ! command -v "$tool" > /dev/null 2>&1; then
    echo "SKIP: $tool is not installed; this test drives gwsim serve with the real kubectl and curl"
    exit 77
  fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gwsim-e2e-gwapi.XXXXXX")
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

k() { KUBECONFIG="$WORK/kubeconfig" timeout 60 kubectl --cache-dir "$WORK/cache" "$@"; }

k apply -f "$SOURCE_DIR/scenarios/gateway-api/manifests/" > "$WORK/apply.out" 2>&1 || fail "kubectl apply: $(cat "$WORK/apply.out")"
k wait --for=condition=Programmed gateway/shop-gateway --timeout=20s > "$WORK/wait.out" 2>&1 ||
  fail "kubectl wait Programmed: $(cat "$WORK/wait.out")"
k get gateway shop-gateway > "$WORK/get.out" 2>&1 || fail "kubectl get gateway: $(cat "$WORK/get.out")"
head -1 "$WORK/get.out" | grep -Eq '^NAME +CLASS +ADDRESS +PROGRAMMED +AGE$' || fail "columns: $(cat "$WORK/get.out")"
grep -Eq '^shop-gateway +istio +[0-9.]+ +True ' "$WORK/get.out" || fail "gateway row: $(cat "$WORK/get.out")"
k get deployment shop-gateway-istio > /dev/null 2>&1 || fail "no deployment shop-gateway-istio"
k get httproute shop -o jsonpath='{.status.parents[0].conditions[?(@.type=="Accepted")].status}' > "$WORK/route.out" 2>&1
[ "$(cat "$WORK/route.out")" = True ] || fail "HTTPRoute shop not Accepted: $(cat "$WORK/route.out")"
echo "Gateway programmed, HTTPRoute accepted"

GATEWAY=""
for _ in $(seq 100); do
  GATEWAY=$(sed -n 's|^gateway default/shop-gateway-istio \(http://[0-9.:]*\) (port 80)$|\1|p' "$WORK/serve.out" | tail -1)
  [ -n "$GATEWAY" ] && break
  sleep 0.1
done
[ -n "$GATEWAY" ] || fail "gwsim serve printed no listening address for shop-gateway-istio port 80"
for _ in $(seq 50); do
  POD=$(curl -s --max-time 5 -H 'Host: www.shop.example' "$GATEWAY/cart/items" | sed -n 's/^Hostname=//p')
  case "$POD" in cart-*) break ;; esac
  sleep 0.1
done
case "$POD" in cart-*) ;; *) fail "www.shop.example/cart/items answered by '${POD:-nobody}', expected a cart pod" ;; esac
echo "www.shop.example/cart/items reaches $POD through $GATEWAY"
