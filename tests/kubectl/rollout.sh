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

# Revisions: a new template is revision 2 in its own ReplicaSet; undo goes back to the first
# ReplicaSet (no third one) under revision 3, as the deployment controller does.
run_k rev1 get deployment k8s-combat-service -o 'jsonpath={.metadata.annotations.deployment\.kubernetes\.io/revision}'
expect_out rev1 '1'
run_k set set image deployment/k8s-combat-service k8s-combat-service=crossoverjie/k8s-combat:v2
expect_rc 0
run_k wait2 rollout status deployment/k8s-combat-service --timeout=20s
expect_rc 0
run_k history rollout history deployment/k8s-combat-service
expect_rc 0
expect_lines history 1 '^1 '
expect_lines history 1 '^2 '
run_k undo rollout undo deployment/k8s-combat-service
expect_rc 0
expect_out undo 'rolled back'
run_k wait3 rollout status deployment/k8s-combat-service --timeout=20s
expect_rc 0
run_k rs get rs -l app=k8s-combat-service -o 'jsonpath={range .items[*]}{.metadata.annotations.deployment\.kubernetes\.io/revision}:{.spec.replicas}{"\n"}{end}'
expect_lines rs 2 '^[0-9]+:[0-9]+$'
expect_out rs '3:3'
expect_out rs '2:0'
run_k image get deployment k8s-combat-service -o 'jsonpath={.spec.template.spec.containers[0].image}'
expect_out image 'crossoverjie/k8s-combat:istio'

# What gwsim cannot do is said, not answered with NotFound.
POD=$(k get pods -l app=k8s-combat-service -o 'jsonpath={.items[0].metadata.name}')
run_k exec exec "$POD" -- ls
expect_out exec 'not supported by gwsim'
run_k healthz get --raw /readyz
expect_rc 0
expect_out healthz 'ok'
echo PASS
