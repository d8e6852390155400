# Hostile input as the real kubectl meets it: unknown fields of a built-in kind are dropped with
# a Warning (--validate=warn) or refused (kubectl's default, fieldValidation=Strict), a body
# over 3 MiB is 413, a patch cannot change an object's kind or name, an int32 out of range is
# the decoder's error, and a huge replica count is capped.
source "${BASH_SOURCE%/*}/lib/common.sh" "$@" || { echo "FAIL: cannot load lib/common.sh"; exit 1; }
start_server "$SEED"

cat > "$WORK/unknown.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
data:
  k: v
spec:
  foo: 1
YAML
run_k strict apply -f "$WORK/unknown.yaml"
expect_rc 1
expect_out strict 'Error from server (BadRequest)'
expect_out strict 'strict decoding error: unknown field "spec"'
run_k warned apply --validate=warn -f "$WORK/unknown.yaml"
expect_rc 0
expect_out warned 'Warning: unknown field "spec"'
expect_out warned 'configmap/extra created'
run_k stored get configmap extra -o 'jsonpath={.data.k}|{.spec}'
expect_rc 0
expect_out stored 'v|'
run_k ignored apply --validate=false -f "$WORK/unknown.yaml"
expect_rc 0
expect_no_out ignored 'Warning'

# Over kube-apiserver's MaxRequestBodyBytes (3 MiB).
{
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  blob: "'
  head -c 4194304 /dev/zero | tr '\0' 'x'
  printf '"\n'
} > "$WORK/huge.yaml"
run_k huge create -f "$WORK/huge.yaml"
expect_rc 1
expect_out huge 'Request entity too large: limit is 3145728'
run_k nohuge get configmap huge
expect_rc 1

# A patch may not change the kind or the name.
run_k kind patch configmap extra --type=json -p '[{"op":"replace","path":"/kind","value":"Secret"}]'
expect_rc 1
expect_out kind 'The request is invalid: patch: Invalid value'
expect_out kind 'no kind "Secret" is registered for version "v1"'
run_k name patch configmap extra --type=merge -p '{"metadata":{"name":"other"}}'
expect_rc 1
expect_out name 'the name of the object (other) does not match the name on the URL (extra)'
run_k still get configmap extra -o 'jsonpath={.kind}'
expect_out still 'ConfigMap'

# replicas beyond int32.
cat > "$WORK/huge-replicas.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: many
spec:
  replicas: 4294967297
  selector: {matchLabels: {app: many}}
  template:
    metadata: {labels: {app: many}}
    spec: {containers: [{name: app, image: many}]}
YAML
run_k replicas apply -f "$WORK/huge-replicas.yaml"
expect_rc 1
expect_out replicas 'cannot unmarshal number 4294967297 into Go struct field DeploymentSpec.spec.replicas of type int32'

# kubectl scale: beyond int32 is the decoder's 400; 2147483647 gets gwsim's pod limit (1000 per
# workload) and a FailedCreate event that names it.
run_k create create deployment capped --image=capped
expect_rc 0
run_k scale_wrap scale deployment capped --replicas=4294967297
expect_rc 1
expect_out scale_wrap 'Error from server (BadRequest)'
expect_out scale_wrap 'into Go struct field ScaleSpec.spec.replicas of type int32'
run_k scale_max scale deployment capped --replicas=2147483647
expect_rc 0
run_k pods get pods -l app=capped --no-headers
expect_lines pods 1000 '^capped-'
run_k events get events
expect_out events 'FailedCreate'
expect_out events "over gwsim's limit of 1000 pods per workload"
echo PASS
