// The gateway Services: the default install's ingress gateway, and which Services front one.
#include "runtime/gateway_services.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"
#include "fakes/controllers/controllers.h"
#include "runtime/control_plane.h"
#include "tests/support/manifests.h"

namespace gwsim::runtime {
namespace {

using model::Json;
using model::Object;

void apply_yaml(ControlPlane& control_plane, const std::string& yaml) {
  model::ManifestLoad load = model::load_manifest_text(yaml, "test.yaml");
  ASSERT_FALSE(load.has_errors());
  auto result = control_plane.apply(load.objects);
  for (const auto& r : result.rejected) ADD_FAILURE() << r;
}

TEST(GatewayServices, DefaultFirstThenServicesOfGatewayPodsSorted) {
  ControlPlane control_plane;
  apply_yaml(control_plane, gwsim::testing::echo_behind_gateway("*.example.com", 1) + R"(---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b-gw, namespace: edge}
spec:
  selector: {matchLabels: {app: b-gw}}
  template:
    metadata: {labels: {app: b-gw, istio: ingressgateway}}
    spec: {containers: [{name: istio-proxy, image: proxyv2, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: b-gw, namespace: edge}
spec: {selector: {app: b-gw}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: a-gw, namespace: edge}
spec:
  selector: {matchLabels: {app: a-gw}}
  template:
    metadata: {labels: {app: a-gw, custom: gateway}}
    spec: {containers: [{name: istio-proxy, image: proxyv2, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: a-gw, namespace: edge}
spec: {selector: {app: a-gw}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: custom, namespace: edge}
spec:
  selector: {custom: gateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
)");
  // Before the install: only the Services of gateway pods; echo is an ordinary Service.
  EXPECT_EQ(gateway_services(control_plane), (std::vector<std::string>{"edge/a-gw", "edge/b-gw"}));
  // b-gw counts as an ingress gateway, so nothing is installed by default; an explicit
  // install of the default one comes first.
  control_plane.install_default_gateway_if_missing();
  EXPECT_EQ(gateway_services(control_plane).size(), 2u);
  ASSERT_TRUE(control_plane.apply(default_ingress_gateway_objects()).ok());
  EXPECT_EQ(gateway_services(control_plane),
            (std::vector<std::string>{kDefaultIngressGateway, "edge/a-gw", "edge/b-gw"}));
}

// The gateway Istio deploys for a Gateway API Gateway (Deployment and Service "<gateway>-istio",
// pods labelled gateway.networking.k8s.io/gateway-name; written by hand here), and a Service a
// generated Gateway names in internal.istio.io/gateway-service, are gateway Services.
TEST(GatewayServices, GatewayApiGatewaysAndGatewayServiceAnnotationsCount) {
  ControlPlane control_plane;
  apply_yaml(control_plane, R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: gateway-istio, namespace: istio-system}
spec:
  selector: {matchLabels: {gateway.networking.k8s.io/gateway-name: gateway}}
  template:
    metadata: {labels: {gateway.networking.k8s.io/gateway-name: gateway}}
    spec: {containers: [{name: istio-proxy, image: auto, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: gateway-istio, namespace: istio-system}
spec: {selector: {gateway.networking.k8s.io/gateway-name: gateway}, ports: [{name: default, port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: plain, namespace: edge}
spec:
  selector: {matchLabels: {app: plain}}
  template:
    metadata: {labels: {app: plain}}
    spec: {containers: [{name: istio-proxy, image: auto, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: plain, namespace: edge}
spec: {selector: {app: plain}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: unnamed, namespace: edge}
spec: {selector: {app: plain}, ports: [{name: http, port: 80}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: generated
  namespace: edge
  annotations: {internal.istio.io/gateway-service: plain.edge.svc.cluster.local}
spec:
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
)");
  EXPECT_EQ(gateway_services(control_plane), (std::vector<std::string>{"edge/plain", "istio-system/gateway-istio"}));
}

}  // namespace
}  // namespace gwsim::runtime
