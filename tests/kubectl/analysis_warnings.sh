# `gwsim serve`'s API server answers a write with what `gwsim analyze` finds about the object, as
# Warning headers, and the real kubectl prints them ("Warning: ...") as it prints Istio's webhook
# warnings (issue #13 item 1). Unlike the other tests here it runs `gwsim serve` (the analysis
# is istiod's part, above the fakes), found beside fake_apiserver.
source "${BASH_SOURCE%/*}/lib/common.sh" "$@" || { echo "FAIL: cannot load lib/common.sh"; exit 1; }
GWSIM="$(dirname "$FAKE_APISERVER")/gwsim"
[ -x "$GWSIM" ] || fail "no gwsim binary beside $FAKE_APISERVER"

"$GWSIM" serve "$SEED" --api 127.0.0.1:0 --kubeconfig "$WORK/kubeconfig" > "$WORK/serve.out" 2> "$WORK/serve.err" &
BACKGROUND_PIDS="$!"
wait_for 10 grep -q '^api http' "$WORK/serve.out" || fail "gwsim serve printed no API address: $(cat "$WORK/serve.err")"

cat > "$WORK/dangling.yaml" <<'YAML'
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: dangling
spec:
  hosts: [dangling.example.com]
  gateways: [no-such-gateway]
  http:
  - route:
    - destination: {host: k8s-combat-service-istio-mesh, subset: v1}
YAML
run_k apply apply -f "$WORK/dangling.yaml"
expect_rc 0
expect_out apply 'Warning: Error [IST0101] (VirtualService default/dangling) Referenced gateway not found: "no-such-gateway"'
expect_out apply 'virtualservice.networking.istio.io/dangling created'

# One whose gateway exists gets no such warning.
sed -e 's/name: dangling/name: fine/' -e 's/no-such-gateway/istio-ingress-gateway/' "$WORK/dangling.yaml" > "$WORK/fine.yaml"
run_k fine apply -f "$WORK/fine.yaml"
expect_rc 0
expect_out fine 'virtualservice.networking.istio.io/fine created'
expect_no_out fine 'Referenced gateway not found'

# serve's line for the change names the new finding too.
wait_for 5 grep -qF '+ Error [IST0101] (VirtualService default/dangling) Referenced gateway not found' "$WORK/serve.out" ||
  fail "gwsim serve's line per change did not name the finding: $(cat "$WORK/serve.out")"
echo "PASS"
