// ConfigSnapshot: the typed world the gateway engine compiles from. It is built from a list of
// Objects (the API store's contents, or a real cluster's one day) and holds nothing else, so
// the compiled route table is a pure function of it.
#pragma once

#include <string>
#include <vector>

#include "engine/model/authorization_policy.h"
#include "engine/model/gateway_api.h"
#include "engine/model/ingress.h"
#include "engine/model/istio.h"
#include "engine/model/k8s.h"
#include "engine/model/kinds.h"
#include "engine/model/object.h"
#include "engine/model/request_authentication.h"
#include "engine/model/result.h"
#include "engine/model/unsimulated.h"

namespace gwsim::model {

struct ConfigSnapshot {
  std::vector<Namespace> namespaces;
  std::vector<Service> services;
  std::vector<Pod> pods;
  std::vector<Endpoints> endpoints;
  std::vector<Secret> secrets;
  std::vector<Gateway> gateways;
  std::vector<VirtualService> virtual_services;
  std::vector<DestinationRule> destination_rules;
  std::vector<ServiceEntry> service_entries;
  std::vector<AuthorizationPolicy> authorization_policies;  // security.istio.io
  // security.istio.io RequestAuthentication, and the JWKS documents that stand in for the
  // servers their jwksUri names (ConfigMaps annotated gwsim.io/jwks-uri).
  std::vector<RequestAuthentication> request_authentications;
  std::vector<JwksDocument> jwks_documents;

  // Kubernetes Ingress (networking.k8s.io), which kube_ingress::convert translates into the
  // Gateways and VirtualServices Istio derives from them (engine/kube_ingress).
  std::vector<Ingress> ingresses;
  std::vector<IngressClass> ingress_classes;  // cluster-scoped

  // ---- the Gateway API (gateway.networking.k8s.io) ----
  // Read as written; kube_gateway::convert translates them into Istio Gateways and
  // VirtualServices (engine/kube_gateway).
  std::vector<gateway_api::GatewayClass> gateway_classes;
  std::vector<gateway_api::Gateway> kubernetes_gateways;
  std::vector<gateway_api::HTTPRoute> http_routes;
  std::vector<gateway_api::GRPCRoute> grpc_routes;
  std::vector<gateway_api::TLSRoute> tls_routes;
  std::vector<gateway_api::TCPRoute> tcp_routes;
  std::vector<gateway_api::ReferenceGrant> reference_grants;

  // Objects gwsim reads but does not simulate (EnvoyFilter, WasmPlugin, ProxyConfig), sorted by
  // kind, namespace and name: what engine/route/unsimulated.h names beside the outcomes.
  std::vector<UnsimulatedObject> unsimulated;
};

// A problem found while reading objects into the typed model. The object is skipped; the
// rest of the snapshot is still built (one bad object never hides the others).
struct SnapshotProblem {
  std::string where;    // file:line:col of the offending field, when known
  std::string object;   // "VirtualService default/foo"
  std::string message;  // "spec.http[0].route[0].weight: expected an integer"
};

struct SnapshotBuild {
  ConfigSnapshot snapshot;
  std::vector<SnapshotProblem> problems;
};

// Whether the objects came through admission (validation::admit), which checked the CRD schema
// of Istio objects already: then they are read as they are, not checked a second time.
enum class Admitted { kNo, kYes };

// Parse one object of an engine kind into the snapshot. Returns an error naming the field.
// Objects of other kinds are ignored (ok).
Result<bool> add_to_snapshot(const Object& object, ConfigSnapshot& snapshot, Admitted admitted = Admitted::kNo);

SnapshotBuild build_snapshot(const std::vector<Object>& objects, Admitted admitted = Admitted::kNo);

// Durations as Istio writes them ("1s", "1.5s", "100ms", "1m", "1h", "500us").
Result<Millis> parse_duration(const std::string& text);

}  // namespace gwsim::model
