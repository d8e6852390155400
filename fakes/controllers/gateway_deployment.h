// Istio's deployment controller (pilot/pkg/config/kube/gatewaycommon/deploymentcontroller.go,
// DeploymentController.Reconcile and configureIstioGateway) with its template
// (manifests/charts/istio-control/istio-discovery/files/kube-gateway.yaml): a Gateway
// (gateway.networking.k8s.io) whose class's controller is istio.io/gateway-controller gets a
// ServiceAccount, a Deployment and a Service named "<gateway>-<class>" in its namespace, owned
// by the Gateway (the garbage collector removes them with it). Outputs as Istio's
// testdata/deployment/simple.yaml, for a default install (no ambient, revision "default"):
//   labels (all three):  the Gateway's labels (or spec.infrastructure.labels), then
//                        gateway.networking.k8s.io/gateway-name: <gateway>
//                        gateway.networking.k8s.io/gateway-class-name: <class>
//                        gateway.istio.io/managed: istio.io-gateway-controller
//   pod labels:          sidecar.istio.io/inject: "false", service.istio.io/canonical-name:
//                        <deployment>, service.istio.io/canonical-revision: latest, then the
//                        labels above
//   selector (Deployment matchLabels and Service selector): gateway.networking.k8s.io/gateway-name
//   Service ports:       status-port 15021 (appProtocol tcp), then one per distinct listener
//                        port (ListenerSets' included) named after the listener, appProtocol its
//                        protocol lower-cased; type LoadBalancer unless the Gateway's
//                        networking.istio.io/service-type annotation says otherwise.
// Not deployed: a class Istio does not handle or without template (istio-remote), a Gateway
// whose spec.addresses is not a single IP (IsManaged: a Hostname points at an existing
// Service, the manual deployment), one of another revision (istio.io/rev), or one a newer
// controller version owns. An existing object without the managed label is never taken over
// (canManage). Istio writes gateway.istio.io/controller-version: "5" on the Gateway.
// istiod does this, not Kubernetes; gwsim runs it with the other controllers (controllers.h).
#pragma once

#include <vector>

#include "fakes/store/api_store.h"

namespace gwsim::fakes {

inline constexpr const char* kGatewayNameLabel = "gateway.networking.k8s.io/gateway-name";
inline constexpr const char* kGatewayClassNameLabel = "gateway.networking.k8s.io/gateway-class-name";
inline constexpr const char* kGatewayManagedLabel = "gateway.istio.io/managed";
inline constexpr const char* kControllerVersionAnnotation = "gateway.istio.io/controller-version";
inline constexpr int kGatewayControllerVersion = 5;
// The annotation that picks the Service's type (annotation.NetworkingServiceType).
inline constexpr const char* kServiceTypeAnnotation = "networking.istio.io/service-type";

// IsManaged: no spec.addresses, or a single one of type IPAddress (or no type).
bool is_managed_gateway(const Json& gateway_spec);

// The ServiceAccount, Deployment and Service Istio's template renders for `gateway`, in that
// order; empty when Istio does not deploy it (see above). The Gateway must be stored (its uid).
std::vector<Json> render_gateway_deployment(const ApiStore& store, const Object& gateway);

// Reconcile of every Gateway: writes what render_gateway_deployment() gives (creating, or
// updating an object that carries the managed label; a new Service gets its cluster IP), and the
// controller-version annotation. Returns the number of objects written.
int reconcile_gateway_deployments(ApiStore& store);

}  // namespace gwsim::fakes
