# Invalid Istio config is refused at apply as Istio's validating webhook refuses it (HTTP 400,
# Istio's message), also by server-side apply and dry runs, and is not stored. Schema errors
# come from the API server itself, as for a CRD.
source "${BASH_SOURCE%/*}/lib/common.sh" "$@" || { echo "FAIL: cannot load lib/common.sh"; exit 1; }
start_server "$SEED"

cat > "$WORK/bad.yaml" <<'YAML'
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: bad-weights
spec:
  hosts: [www.service1.io]
  gateways: [istio-ingress-gateway]
  http:
  - route:
    - destination: {host: k8s-combat-service-istio-mesh, subset: v1}
    - destination: {host: k8s-combat-service-istio-mesh, subset: v2}
YAML
MESSAGE='admission webhook "validation.istio.io" denied the request: configuration is invalid: total destination weight = 0'

run_k csa apply -f "$WORK/bad.yaml"
expect_rc 1
expect_out csa "Error from server: error when creating \"$WORK/bad.yaml\": $MESSAGE"
run_k ssa apply --server-side -f "$WORK/bad.yaml"
expect_rc 1
expect_out ssa "$MESSAGE"
run_k dry apply --dry-run=server -f "$WORK/bad.yaml"
expect_rc 1
expect_out dry "$MESSAGE"
run_k absent get vs bad-weights
expect_rc 1
expect_out absent 'NotFound'

# An update that would break a stored VirtualService is refused and leaves it as it was.
sed 's/^      route:/      route:\n        - destination: {host: k8s-combat-service-istio-mesh, subset: v2}/' \
  "$SEED/istio-ingress-gateway.yaml" > "$WORK/broken-update.yaml"
run_k update apply -f "$WORK/broken-update.yaml"
expect_rc 1
expect_out update "$MESSAGE"
run_k kept get vs k8s-combat-istio-http-vs -o 'jsonpath={.metadata.generation} {.spec.http[0].route[*].destination.subset}'
expect_out kept '1 v1'

# The CRD schema: an unknown field is a strict decoding error, a missing required one Invalid.
cat > "$WORK/unknown.yaml" <<'YAML'
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: typo
spec:
  hosts: [a.example.com]
  htpp: []
YAML
run_k unknown apply -f "$WORK/unknown.yaml"
expect_rc 1
expect_out unknown 'Error from server (BadRequest)'
expect_out unknown 'strict decoding error: unknown field "spec.htpp"'
cat > "$WORK/required.yaml" <<'YAML'
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: no-port-name
spec:
  servers:
  - port: {number: 8080, protocol: HTTP}
    hosts: ["*"]
YAML
run_k required apply -f "$WORK/required.yaml"
expect_rc 1
expect_out required 'The Gateway "no-port-name" is invalid'
expect_out required 'spec.servers[0].port.name: Required value'

# A valid object still goes in.
sed 's/bad-weights/good-weights/; s/subset: v2}/subset: v2}\n      weight: 100/' "$WORK/bad.yaml" > "$WORK/good.yaml"
run_k good apply -f "$WORK/good.yaml"
expect_rc 0
expect_out good 'virtualservice.networking.istio.io/good-weights created'
echo PASS
