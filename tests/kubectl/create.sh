# kubectl's typed commands send protobuf (application/vnd.kubernetes.protobuf): create namespace,
# create deployment / configmap / secret, expose, run all work, and a manifest can then go into
# the new namespace.
source "${BASH_SOURCE%/*}/lib/common.sh" "$@" || { echo "FAIL: cannot load lib/common.sh"; exit 1; }
start_server

run_k ns create namespace shop
expect_rc 0
expect_out ns 'namespace/shop created'
grep 'POST /api/v1/namespaces?' "$WORK/server.log" | grep -qF '[application/vnd.kubernetes.protobuf] -> 201' ||
  fail "kubectl create namespace did not send protobuf"

run_k deploy -n shop create deployment web --image=nginx:1.27 --replicas=2 --port=8080
expect_rc 0
expect_out deploy 'deployment.apps/web created'
run_k expose -n shop expose deployment web --port=80 --target-port=8080
expect_rc 0
expect_out expose 'service/web exposed'
run_k run -n shop run solo --image=busybox --labels=app=solo -- sleep 3600
expect_rc 0
expect_out run 'pod/solo created'
run_k cm -n shop create configmap settings --from-literal=mode=canary
expect_rc 0
run_k secret -n shop create secret generic creds --from-literal=password=s3cret
expect_rc 0

run_k pods get pods -n shop -o wide
expect_lines pods 2 '^web-[a-z0-9]+-[a-z0-9]+ +1/1 +Running +0 .* 127\.'
expect_lines pods 1 '^solo +1/1 +Running'
run_k svc get svc web -n shop -o 'jsonpath={.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.selector.app} {.spec.clusterIP}'
expect_out svc '80 8080 web 10.96.'
run_k ep get endpoints web -n shop -o 'jsonpath={.subsets[0].addresses[*].ip}'
expect_out ep '127.'
run_k image get deploy web -n shop -o 'jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}'
expect_out image 'nginx:1.27 8080'
run_k data get cm settings -n shop -o 'jsonpath={.data.mode}'
expect_out data 'canary'
run_k pw get secret creds -n shop -o 'jsonpath={.data.password}'
expect_out pw 'czNjcmV0'  # base64 of s3cret

cat > "$WORK/vs.yaml" <<'YAML'
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: shop
spec:
  hosts: [shop.example.com]
  http:
  - route:
    - destination: {host: web}
YAML
run_k vs apply -f "$WORK/vs.yaml"
expect_rc 0
expect_out vs 'virtualservice.networking.istio.io/web created'
echo PASS
