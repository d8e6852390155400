# The Gateway API through kubectl: discovery (short names, categories, served versions per
# kind), the GatewayClasses an Istio install creates (Accepted by Istio), the Deployment and
# Service Istio's deployment controller makes for a Gateway of class istio (and removes with it),
# none for a manual deployment (spec.addresses naming a Service), and the CRDs' printer columns.
source "${BASH_SOURCE%/*}/lib/common.sh" "$@" || { echo "FAIL: cannot load lib/common.sh"; exit 1; }
start_server

run_k resources api-resources --api-group=gateway.networking.k8s.io
expect_rc 0
expect_lines resources 1 '^gatewayclasses +gc +gateway.networking.k8s.io/v1 +false +GatewayClass$'
expect_lines resources 1 '^gateways +gtw +gateway.networking.k8s.io/v1 +true +Gateway$'
expect_lines resources 1 '^httproutes +gateway.networking.k8s.io/v1 +true +HTTPRoute$'
expect_lines resources 1 '^grpcroutes +gateway.networking.k8s.io/v1 +true +GRPCRoute$'
expect_lines resources 1 '^referencegrants +refgrant +gateway.networking.k8s.io/v1 +true +ReferenceGrant$'
expect_lines resources 1 '^tlsroutes +gateway.networking.k8s.io/v1 +true +TLSRoute$'
expect_lines resources 1 '^tcproutes +gateway.networking.k8s.io/v1 +true +TCPRoute$'
expect_lines resources 1 '^backendtlspolicies +btlspolicy +gateway.networking.k8s.io/v1 +true +BackendTLSPolicy$'
expect_lines resources 1 '^listenersets +lset +gateway.networking.k8s.io/v1 +true +ListenerSet$'
run_k ingress api-resources --api-group=networking.k8s.io
expect_lines ingress 1 '^ingresses +ing +networking.k8s.io/v1 +true +Ingress$'
expect_lines ingress 1 '^ingressclasses +networking.k8s.io/v1 +false +IngressClass$'
run_k category api-resources --categories=gateway-api -o name
expect_lines category 9 '\.gateway\.networking\.k8s\.io$'

# Each version lists only its own kinds: v1beta1 has no GRPCRoute, TLSRoute, ListenerSet.
run_k versions api-versions
expect_out versions 'gateway.networking.k8s.io/v1beta1'
run_k beta get --raw /apis/gateway.networking.k8s.io/v1beta1
expect_out beta '"name":"httproutes"'
expect_no_out beta '"name":"grpcroutes"'
expect_no_out beta '"name":"listenersets"'

run_k classes get gatewayclass
expect_rc 0
expect_out classes 'NAME           CONTROLLER                    ACCEPTED   AGE'
expect_lines classes 1 '^istio +istio.io/gateway-controller +True +[0-9]+s$'
expect_lines classes 1 '^istio-remote +istio.io/unmanaged-gateway +True +[0-9]+s$'
run_k class_yaml get gc istio -o yaml
expect_out class_yaml 'message: Handled by Istio controller'
expect_out class_yaml 'description: The default Istio GatewayClass'

cat > "$WORK/gateway.yaml" <<'YAML'
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  namespace: default
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: Same
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: default
spec:
  parentRefs:
  - name: web
  hostnames: [shop.example.com]
  rules:
  - backendRefs:
    - name: shop
      port: 80
YAML
run_k apply apply -f "$WORK/gateway.yaml"
expect_rc 0
expect_out apply 'gateway.gateway.networking.k8s.io/web created'
expect_out apply 'httproute.gateway.networking.k8s.io/shop created'

run_k workload get deploy,svc
expect_rc 0
expect_lines workload 1 '^deployment.apps/web-istio +1/1 +1 +1 '
expect_lines workload 1 '^service/web-istio +LoadBalancer +10\.96\.[0-9.]+ +192\.0\.2\.[0-9]+ +15021:[0-9]+/TCP,80:[0-9]+/TCP '
run_k pods get pods -l gateway.networking.k8s.io/gateway-name=web -o name
expect_lines pods 1 '^pod/web-istio-'
run_k svc_yaml get svc web-istio -o yaml
expect_out svc_yaml 'gateway.istio.io/managed: istio.io-gateway-controller'
expect_out svc_yaml 'kind: Gateway'
expect_out svc_yaml 'appProtocol: http'

# The Gateway API's Gateway comes first (its group sorts before networking.istio.io); its
# columns are the CRD's. PROGRAMMED is the engine's to write, so it is not asserted here.
run_k gateways get gateway
expect_rc 0
expect_lines gateways 1 '^NAME +CLASS +ADDRESS +PROGRAMMED +AGE$'
expect_lines gateways 1 '^web +istio +'
run_k short get gtw web -o jsonpath='{.metadata.annotations.gateway\.istio\.io/controller-version}'
expect_out short '5'
run_k routes get httproute
expect_lines routes 1 '^NAME +HOSTNAMES +AGE$'
expect_lines routes 1 '^shop +\["shop.example.com"\] +[0-9]+s$'

# A Gateway no controller handles keeps the status its CRD defaults it to.
cat > "$WORK/nginx.yaml" <<'YAML'
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: elsewhere
spec:
  gatewayClassName: nginx
  listeners:
  - name: http
    port: 80
    protocol: HTTP
YAML
run_k nginx apply -f "$WORK/nginx.yaml"
expect_rc 0
run_k nginx_get get gateway elsewhere
expect_lines nginx_get 1 '^elsewhere +nginx +Unknown +[0-9]+s$'
run_k nginx_yaml get gateway elsewhere -o yaml
expect_out nginx_yaml 'message: Waiting for controller'
run_k nginx_deploy get deploy elsewhere-nginx
expect_rc 1

# A Gateway whose address is a hostname uses an existing deployment: nothing is made for it.
cat > "$WORK/manual.yaml" <<'YAML'
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: manual
spec:
  gatewayClassName: istio
  addresses:
  - type: Hostname
    value: istio-ingressgateway.istio-system.svc.cluster.local
  listeners:
  - name: http
    port: 80
    protocol: HTTP
YAML
run_k manual apply -f "$WORK/manual.yaml"
expect_rc 0
run_k manual_deploy get deploy manual-istio
expect_rc 1
expect_out manual_deploy 'deployments.apps "manual-istio" not found'

# Deleting the Gateway removes what was made for it (owner references).
run_k delete delete gateway web
expect_rc 0
run_k gone get deploy,svc,sa,pods -o name
expect_no_out gone 'web-istio'
echo PASS
