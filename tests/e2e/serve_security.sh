#!/usr/bin/env bash
# End to end, issue #12: `gwsim serve` with the fake API server; the real kubectl applies the seed,
# then an AuthorizationPolicy that denies /ping at the ingress gateway: the same request that
# reached v1 now answers 403 "RBAC: access denied" (Envoy's rbac filter), and 200 again once
# kubectl deletes the policy. A policy with an invalid CIDR is refused with Istio's webhook
# message; `kubectl get ap` prints the CRD's ACTION column; an EnvoyFilter applied through the
# API is named by serve as something it does not simulate.
# Usage: serve_security.sh GWSIM SOURCE_DIR. Exit 77 (skipped) without kubectl or curl.
source "${BASH_SOURCE%/*}/lib/serve.sh" "$@" || exit 1
ping_status() { curl -s -o "$WORK/body" -w '%{http_code}' --max-time 5 -H 'Host: www.service1.io' "$GATEWAY/ping"; }

# expect_status CODE: the change may take a moment to reach the proxy (up to 5 s).
expect_status() {
  local want=$1 got
  for _ in $(seq 50); do
    got=$(ping_status)
    [ "$got" = "$want" ] && return 0
    sleep 0.1
  done
  fail "expected status $want for www.service1.io/ping, got $got: $(cat "$WORK/body" 2> /dev/null)"
}

k apply -f "$SOURCE_DIR/scenarios/seed/manifests/" > "$WORK/apply.out" 2>&1 || fail "kubectl apply: $(cat "$WORK/apply.out")"
wait_for_gateway istio-system/istio-ingressgateway
expect_status 200
echo "seed applied: www.service1.io/ping answers 200"

cat > "$WORK/deny.yaml" <<'YAML'
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: deny-ping
  namespace: istio-system
spec:
  selector:
    matchLabels: {istio: ingressgateway}
  action: DENY
  rules:
  - to:
    - operation:
        paths: ["/ping"]
YAML
k apply -f "$WORK/deny.yaml" > "$WORK/deny.out" 2>&1 || fail "kubectl apply deny: $(cat "$WORK/deny.out")"
grep -q 'authorizationpolicy.security.istio.io/deny-ping created' "$WORK/deny.out" || fail "apply said: $(cat "$WORK/deny.out")"
expect_status 403
grep -q '^RBAC: access denied$' "$WORK/body" || fail "403 body: $(cat "$WORK/body")"
echo "DENY /ping applied: 403 RBAC: access denied"
LINE='^AuthorizationPolicy istio-system/deny-ping created: policies [+]DENY istio-system/deny-ping$'
for _ in $(seq 50); do grep -q "$LINE" "$WORK/serve.out" && break; sleep 0.1; done
grep -q "$LINE" "$WORK/serve.out" || fail "gwsim serve did not say what the policy changed"

k get ap -n istio-system > "$WORK/get.out" 2>&1 || fail "kubectl get ap: $(cat "$WORK/get.out")"
grep -Eq '^NAME +ACTION +AGE$' "$WORK/get.out" || fail "kubectl get ap columns: $(cat "$WORK/get.out")"
grep -Eq '^deny-ping +DENY +[0-9]+s$' "$WORK/get.out" || fail "kubectl get ap row: $(cat "$WORK/get.out")"

cat > "$WORK/bad.yaml" <<'YAML'
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: bad-cidr
  namespace: istio-system
spec:
  rules:
  - from:
    - source:
        ipBlocks: ["10.0.0.0/33"]
YAML
if k apply -f "$WORK/bad.yaml" > "$WORK/bad.out" 2>&1; then fail "an invalid CIDR was accepted: $(cat "$WORK/bad.out")"; fi
grep -q 'admission webhook "validation.istio.io" denied the request' "$WORK/bad.out" || fail "refusal: $(cat "$WORK/bad.out")"
grep -q '10.0.0.0/33' "$WORK/bad.out" || fail "the refusal does not name the CIDR: $(cat "$WORK/bad.out")"
echo "invalid CIDR refused: $(head -1 "$WORK/bad.out")"

k delete ap deny-ping -n istio-system > "$WORK/delete.out" 2>&1 || fail "kubectl delete ap: $(cat "$WORK/delete.out")"
expect_status 200
echo "policy deleted: 200 again"

cat > "$WORK/filter.yaml" <<'YAML'
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: add-lua
  namespace: istio-system
spec:
  workloadSelector:
    labels: {istio: ingressgateway}
  configPatches:
  - applyTo: HTTP_FILTER
    match: {context: GATEWAY}
    patch: {operation: INSERT_BEFORE, value: {name: envoy.filters.http.lua}}
YAML
k apply -f "$WORK/filter.yaml" > "$WORK/filter.out" 2>&1 || fail "kubectl apply envoyfilter: $(cat "$WORK/filter.out")"
LINE='^gateway istio-system/istio-ingressgateway: unsimulated: EnvoyFilter istio-system/add-lua may change its answers'
for _ in $(seq 50); do grep -q "$LINE" "$WORK/serve.out" && break; sleep 0.1; done
grep -q "$LINE" "$WORK/serve.out" || fail "gwsim serve did not name the EnvoyFilter: $(tail -5 "$WORK/serve.out")"
echo "gwsim serve printed: $(grep -m1 "$LINE" "$WORK/serve.out")"
echo "PASS"
