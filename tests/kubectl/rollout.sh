# The CI idiom: `kubectl wait --for=condition=Available deployment/x` returns once the
# Deployment's pods are ready, and `kubectl rollout status` says it rolled out, as against a real
# cluster (the deployment controller's Available and Progressing conditions).
source "${BASH_SOURCE%/*}/lib/common.sh" "$@" || { echo "FAIL: cannot load lib/common.sh"; exit 1; }
start_server

run_k apply apply -f "$SEED"
expect_rc 0
run_k wait wait --for=condition=Available --timeout=20s deployment/k8s-combat-service
expect_rc 0
expect_out wait 'deployment.apps/k8s-combat-service condition met'
run_k status rollout status deployment/k8s-combat-service --timeout=20s
expect_rc 0
expect_out status 'successfully rolled out'
run_k reason get deployment k8s-combat-service -o 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}'
expect_out reason 'NewReplicaSetAvailable'
echo PASS
