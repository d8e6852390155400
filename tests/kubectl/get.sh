# kubectl get: Tables with the real columns, short names (vs, gw, dr, se), -o yaml, -o name,
# label and field selectors, and -A across namespaces.
source "${BASH_SOURCE%/*}/lib/common.sh" "$@" || { echo "FAIL: cannot load lib/common.sh"; exit 1; }
start_server "$SEED"  # loaded before start, as `gwsim serve PATH` does

cat > "$WORK/shop.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: networking.istio.io/v1alpha3
kind: ServiceEntry
metadata:
  name: payments
  namespace: shop
spec:
  hosts: [payments.example.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports:
  - {number: 443, name: https, protocol: TLS}
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata:
  name: payments
  namespace: shop
spec:
  host: payments.example.com
YAML
run_k shop apply -f "$WORK/shop.yaml"
expect_rc 0
expect_out shop 'namespace/shop created'

run_k vs get vs
expect_rc 0
expect_out vs 'GATEWAYS'
expect_out vs 'HOSTS'
expect_out vs '["istio-ingress-gateway"]'
expect_out vs '["www.service1.io"]'
expect_lines vs 2 '^k8s-combat'

run_k yaml get virtualservices -o yaml
expect_rc 0
expect_out yaml 'kind: List'
expect_out yaml 'apiVersion: networking.istio.io/v1'
expect_out yaml 'kind: VirtualService'
expect_out yaml 'resourceVersion:'
expect_out yaml 'uid:'
expect_out yaml 'creationTimestamp:'

run_k all get gw,dr,svc,se -A
expect_rc 0
expect_out all 'NAMESPACE'
expect_out all 'gateway.networking.istio.io/istio-ingress-gateway'
expect_lines all 1 '^shop +destinationrule.networking.istio.io/payments +payments.example.com'
expect_lines all 1 '^default +destinationrule.networking.istio.io/k8s-combat-service-ds'
expect_lines all 1 '^shop +serviceentry.networking.istio.io/payments +\["payments.example.com"\] +MESH_EXTERNAL +DNS'
expect_out all 'service/k8s-combat-service'
expect_out all 'ClusterIP'

run_k se get se
expect_out se 'No resources found in default namespace.'
run_k se_shop get se -n shop -o name
expect_out se_shop 'serviceentry.networking.istio.io/payments'

run_k pods get po -l app=k8s-combat-service-v1 -o wide
expect_rc 0
expect_lines pods 1 '^k8s-combat-service-v1-[a-z0-9]+-[a-z0-9]+ +1/1 +Running +0 .* 127\.1\.0\.[0-9]+ '
run_k field get pods --field-selector status.phase=Running -o name
expect_lines field 5 '^pod/'
run_k one get deploy k8s-combat-service
expect_lines one 1 '^k8s-combat-service +3/3 +3 +3 '
run_k ns get ns
expect_lines ns 1 '^shop +Active'
run_k missing get vs nope
expect_rc 1
expect_out missing 'Error from server (NotFound): virtualservices.networking.istio.io "nope" not found'
run_k resources api-resources --api-group=networking.istio.io
expect_lines resources 1 '^virtualservices +vs +networking.istio.io/v1 +true +VirtualService'
echo PASS
