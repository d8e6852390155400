#!/usr/bin/env bash
# End to end: `gwsim serve` with the fake API server; the real kubectl applies the seed
# manifests; a request through the gateway reaches v1; kubectl applies a VirtualService with
# weights 0/100; requests now reach v2 — without restarting anything — and serve prints what
# that change did to the route table; its admin and status ports answer curl.
# Usage: serve_kubectl.sh GWSIM SOURCE_DIR. Exit 77 (skipped) without kubectl or curl.
source "${BASH_SOURCE%/*}/lib/serve.sh" "$@" || exit 1
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
wait_for_gateway istio-system/istio-ingressgateway
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

# The gateway's admin and status ports (issue #13 item 4), read with curl as on a real gateway:
# readiness, the configuration, and the requests above counted by cluster and response code.
ADMIN=$(sed -n 's|^gateway istio-system/istio-ingressgateway admin \(http://[0-9.:]*\) status .*|\1|p' "$WORK/serve.out" | head -1)
STATUS=$(sed -n 's|^gateway istio-system/istio-ingressgateway admin .* status \(http://[0-9.:]*\)/healthz/ready$|\1|p' "$WORK/serve.out" | head -1)
[ -n "$ADMIN" ] && [ -n "$STATUS" ] || fail "gwsim serve printed no admin and status address"
[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$STATUS/healthz/ready")" = 200 ] || fail "$STATUS/healthz/ready is not 200"
[ "$(curl -s --max-time 5 "$ADMIN/ready")" = LIVE ] || fail "$ADMIN/ready is not LIVE"
curl -s --max-time 5 "$ADMIN/config_dump" | grep -q '"type.googleapis.com/envoy.admin.v3.ListenersConfigDump"' ||
  fail "$ADMIN/config_dump has no listeners"
curl -s --max-time 5 "$ADMIN/stats/prometheus" > "$WORK/stats.txt" || fail "$ADMIN/stats/prometheus"
V2='outbound|8081|v2|k8s-combat-service-istio-mesh.default.svc.cluster.local'
grep -q "^envoy_cluster_upstream_rq{response_code=\"200\",cluster_name=\"$V2\"} [1-9]" "$WORK/stats.txt" ||
  fail "no 200s of $V2 in /stats/prometheus: $(head -20 "$WORK/stats.txt")"
grep -q '^istio_requests_total{reporter="source",source_workload="istio-ingressgateway",.*destination_workload="k8s-combat-service-v2",.*response_code="200"' "$WORK/stats.txt" ||
  fail "no istio_requests_total of v2 in /stats/prometheus: $(grep istio_requests_total "$WORK/stats.txt" | head -3)"
echo "admin $ADMIN and status $STATUS: ready, config_dump, requests counted"
echo "PASS"
