#!/usr/bin/env bash
# End to end, the Gateway API: `gwsim serve` empty; the real kubectl applies a Gateway of class
# istio and an HTTPRoute (scenarios/gateway-api/manifests); the Istio deployment controller's
# `shop-gateway-istio` appears, `kubectl wait --for=condition=Programmed` returns, `kubectl get
# gateway` shows CLASS / ADDRESS / PROGRAMMED as a cluster does, and curl through the deployed
# gateway reaches the HTTPRoute's backend. Usage: serve_gateway_api.sh GWSIM SOURCE_DIR.
# Exit 77 (skipped) without kubectl or curl.
source "${BASH_SOURCE%/*}/lib/serve.sh" "$@" || exit 1

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

wait_for_gateway default/shop-gateway-istio
for _ in $(seq 50); do
  POD=$(curl -s --max-time 5 -H 'Host: www.shop.example' "$GATEWAY/cart/items" | sed -n 's/^Hostname=//p')
  case "$POD" in cart-*) break ;; esac
  sleep 0.1
done
case "$POD" in cart-*) ;; *) fail "www.shop.example/cart/items answered by '${POD:-nobody}', expected a cart pod" ;; esac
echo "www.shop.example/cart/items reaches $POD through $GATEWAY"
