# kubectl apply of the seed manifests creates everything (pods appear, Ready, with IPs); the
# same apply again changes nothing; an apply of a changed file updates just that.
source "${BASH_SOURCE%/*}/lib/common.sh" "$@" || { echo "FAIL: cannot load lib/common.sh"; exit 1; }
start_server

run_k apply apply -f "$SEED"
expect_rc 0
expect_lines apply 9 ' created$'
expect_out apply 'virtualservice.networking.istio.io/k8s-combat-service-vs created'
expect_out apply 'deployment.apps/k8s-combat-service created'

# The controllers made the Deployments' pods: 3 + 1 + 1, Running and Ready, with IPs.
run_k pods get pods -o wide
expect_rc 0
expect_out pods 'NAME'
expect_out pods 'IP'
expect_lines pods 5 '^k8s-combat-service-[a-z0-9-]+ +1/1 +Running +0 +[0-9]+s +127\.'
run_k endpoints get endpoints k8s-combat-service
expect_out endpoints '127.1.0.'

run_k again apply -f "$SEED"
expect_rc 0
expect_lines again 9 ' unchanged$'

# Change a Deployment (3 -> 2 replicas) and a VirtualService (route to v2).
mkdir -p "$WORK/changed"
cp "$SEED"/*.yaml "$WORK/changed/"
sed -i 's/replicas: 3/replicas: 2/' "$WORK/changed/deployment-istio.yaml"
sed -i 's/subset: v1$/subset: v2/' "$WORK/changed/istio-ingress-gateway.yaml"
run_k change apply -f "$WORK/changed"
expect_rc 0
expect_out change 'deployment.apps/k8s-combat-service configured'
expect_out change 'virtualservice.networking.istio.io/k8s-combat-istio-http-vs configured'
expect_lines change 7 ' unchanged$'
grep -q 'PATCH /apis/apps/v1/namespaces/default/deployments/k8s-combat-service' "$WORK/server.log" ||
  fail "kubectl did not patch the Deployment"

run_k subset get vs k8s-combat-istio-http-vs -o 'jsonpath={.spec.http[0].route[0].destination.subset} {.metadata.generation}'
expect_out subset 'v2 2'
run_k replicas get deploy k8s-combat-service -o 'jsonpath={.spec.replicas} {.status.readyReplicas}'
expect_out replicas '2 2'
run_k pods2 get pods -l app=k8s-combat-service
expect_lines pods2 2 '^k8s-combat-service-'
echo PASS
