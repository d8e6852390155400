# kubectl apply --dry-run=server and kubectl diff answer what would change and change nothing.
source "${BASH_SOURCE%/*}/lib/common.sh" "$@" || { echo "FAIL: cannot load lib/common.sh"; exit 1; }
start_server
# Applied by kubectl (so the objects carry its last-applied annotation, which kubectl diff compares).
k apply -f "$SEED" > /dev/null || fail "kubectl apply of the seed failed"

rv() { k get vs k8s-combat-istio-http-vs -o 'jsonpath={.metadata.resourceVersion} {.spec.http[0].route[0].destination.subset}'; }
BEFORE=$(rv)
echo "before: $BEFORE"

sed 's/subset: v1$/subset: v2/' "$SEED/istio-ingress-gateway.yaml" > "$WORK/changed.yaml"
cat > "$WORK/new.yaml" <<'YAML'
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: dry-new
spec:
  host: k8s-combat-service
YAML

run_k dry apply --dry-run=server -f "$WORK/changed.yaml"
expect_rc 0
expect_out dry 'virtualservice.networking.istio.io/k8s-combat-istio-http-vs configured (server dry run)'
run_k dry_ssa apply --server-side --dry-run=server -f "$WORK/changed.yaml"
expect_rc 0
expect_out dry_ssa 'serverside-applied (server dry run)'
run_k dry_new apply --dry-run=server -f "$WORK/new.yaml"
expect_rc 0
expect_out dry_new 'destinationrule.networking.istio.io/dry-new created (server dry run)'
run_k new_absent get dr dry-new
expect_rc 1

run_k diff diff -f "$WORK/changed.yaml"
expect_rc 1  # differences found
expect_out diff '-        subset: v1'
expect_out diff '+        subset: v2'
run_k diff_same diff -f "$SEED/istio-ingress-gateway.yaml"
expect_rc 0
run_k diff_ssa diff --server-side -f "$WORK/changed.yaml"
expect_rc 1

AFTER=$(rv)
echo "after: $AFTER"
[ "$BEFORE" = "$AFTER" ] || fail "a dry run changed the object: $BEFORE -> $AFTER"
grep -q 'dryRun=All' "$WORK/server.log" || fail "kubectl sent no dryRun=All"

# And for real, for contrast.
run_k real apply -f "$WORK/changed.yaml"
expect_out real 'configured'
case "$(rv)" in *" v2") ;; *) fail "the real apply did not change the object" ;; esac
echo PASS
