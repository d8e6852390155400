# kubectl apply --server-side: creates (PATCH to a missing object), updates, removes what the
# manager no longer applies, and merges (never replaces) when it follows a client-side apply.
source "${BASH_SOURCE%/*}/lib/common.sh" "$@" || { echo "FAIL: cannot load lib/common.sh"; exit 1; }
start_server

run_k ssa apply --server-side -f "$SEED"
expect_rc 0
expect_lines ssa 9 ' serverside-applied$'
grep -q 'PATCH /api/v1/namespaces/default/services/k8s-combat-service?fieldManager=kubectl.* -> 201' "$WORK/server.log" ||
  fail "the first server-side apply did not create through PATCH"
run_k pods get pods
expect_lines pods 5 'Running'

# Drop a label and change the replicas: the label goes, the replicas change.
sed -e 's/replicas: 3/replicas: 1/' -e '/^  labels:$/,/^  name:/{/app: k8s-combat-service/d;/^  labels:$/d}' \
  "$SEED/deployment-istio.yaml" > "$WORK/deployment.yaml"
grep -q 'labels' "$WORK/deployment.yaml" && head -8 "$WORK/deployment.yaml"
run_k ssa2 apply --server-side -f "$WORK/deployment.yaml"
expect_rc 0
expect_out ssa2 'deployment.apps/k8s-combat-service serverside-applied'
run_k labels get deploy k8s-combat-service -o 'jsonpath=[{.metadata.labels}] {.spec.replicas} {.spec.template.spec.containers[0].image}'
expect_out labels '[] 1 crossoverjie/k8s-combat:istio'
run_k fields get deploy k8s-combat-service -o yaml --show-managed-fields
expect_out fields 'manager: kubectl'
expect_out fields 'operation: Apply'

# Client-side apply first, then server-side: kubectl also sends a metadata-only PATCH
# (fieldManager=kubectl-last-applied) which must not wipe the spec.
cat > "$WORK/vs.yaml" <<'YAML'
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: csa-then-ssa
spec:
  hosts: [csa.example.com]
  gateways: [istio-ingress-gateway]
  http:
  - route:
    - destination: {host: k8s-combat-service-istio-mesh, subset: v1}
YAML
run_k csa apply -f "$WORK/vs.yaml"
expect_out csa 'created'
sed -i 's/subset: v1/subset: v2/' "$WORK/vs.yaml"
run_k ssa3 apply --server-side -f "$WORK/vs.yaml"
expect_rc 0
grep -q 'fieldManager=kubectl-last-applied' "$WORK/server.log" || fail "kubectl sent no kubectl-last-applied PATCH"
run_k vs get vs csa-then-ssa -o 'jsonpath={.spec.hosts[0]} {.spec.http[0].route[0].destination.subset}'
expect_out vs 'csa.example.com v2'
echo PASS
