# kubectl delete -f really removes (kubectl waits for the objects to be gone), and what the
# controllers made for a Deployment goes with it.
source "${BASH_SOURCE%/*}/lib/common.sh" "$@" || { echo "FAIL: cannot load lib/common.sh"; exit 1; }
start_server "$SEED"

run_k before get pods -l app=k8s-combat-service -o name
expect_lines before 3 '^pod/'

run_k del delete -f "$SEED/deployment-istio.yaml"
expect_rc 0
expect_out del 'deployment.apps "k8s-combat-service" deleted'
expect_out del 'service "k8s-combat-service" deleted'

run_k gone get deploy k8s-combat-service
expect_rc 1
expect_out gone 'Error from server (NotFound): deployments.apps "k8s-combat-service" not found'
run_k pods get pods -l app=k8s-combat-service
expect_out pods 'No resources found in default namespace.'
run_k ep get endpoints k8s-combat-service
expect_rc 1

run_k vs delete -f "$SEED/istio-ingress-gateway.yaml"
expect_rc 0
expect_out vs 'virtualservice.networking.istio.io "k8s-combat-istio-http-vs" deleted'
run_k vs_gone get vs k8s-combat-istio-http-vs
expect_rc 1

run_k again delete -f "$SEED/istio-ingress-gateway.yaml"
expect_rc 1
expect_out again 'NotFound'
run_k ignore delete -f "$SEED/istio-ingress-gateway.yaml" --ignore-not-found
expect_rc 0

# A pod the Deployment owns comes back under the controller, as in a cluster.
run_k pod_name get pods -l app=k8s-combat-service-v1 -o 'jsonpath={.items[0].metadata.name}'
POD=$(cat "$WORK/pod_name.out")
run_k pod_del delete pod "$POD"
expect_rc 0
run_k pod_back get pods -l app=k8s-combat-service-v1 -o name
expect_lines pod_back 1 '^pod/'
echo PASS
