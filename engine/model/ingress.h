// Typed Kubernetes Ingress and IngressClass (networking.k8s.io/v1), the fields Istio's ingress
// controller reads (pilot/pkg/config/kube/ingress: ingress.go, gateways.go, virtualservices.go),
// and their reader. Field names follow k8s.io/api/networking/v1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/k8s.h"
#include "engine/model/object.h"

namespace gwsim::model {

inline constexpr const char* kKubernetesNetworkingGroup = "networking.k8s.io";

// The pathType values of networking/v1 HTTPIngressPath.
inline constexpr const char* kPathTypeExact = "Exact";
inline constexpr const char* kPathTypePrefix = "Prefix";
inline constexpr const char* kPathTypeImplementationSpecific = "ImplementationSpecific";

// ServiceBackendPort: a port number, or the name of a port of the Service.
struct ServiceBackendPort {
  std::int32_t number = 0;  // 0 = unset
  std::string name;
};

struct IngressServiceBackend {
  std::string name;
  ServiceBackendPort port;
};

// A backend that is not a Service (spec.rules[].http.paths[].backend.resource).
struct IngressResourceBackend {
  std::string api_group;
  std::string kind;
  std::string name;
};

struct IngressBackend {
  std::optional<IngressServiceBackend> service;
  std::optional<IngressResourceBackend> resource;
};

struct HTTPIngressPath {
  std::string path;
  std::optional<std::string> path_type;  // unset: Istio's legacy string rules (createFallbackStringMatch)
  IngressBackend backend;
  SourcePos source;
};

struct IngressRule {
  std::string host;                                        // "" = every host
  std::optional<std::vector<HTTPIngressPath>> http_paths;  // unset: the rule has no `http`
  SourcePos source;
};

struct IngressTLS {
  std::vector<std::string> hosts;
  std::string secret_name;
};

struct Ingress {
  Meta meta;
  std::optional<std::string> ingress_class_name;
  std::optional<IngressBackend> default_backend;
  std::vector<IngressTLS> tls;
  std::vector<IngressRule> rules;
};

// Cluster-scoped: meta.namespace_ is "".
struct IngressClass {
  Meta meta;
  std::string controller;
};

// A field the reader refused: the JSON pointer and what is wrong with it.
struct IngressFieldProblem {
  std::string pointer;
  std::string message;
};

// Read the spec of an Ingress (its metadata read already, into `meta`). Wrong types and values
// the API server refuses (an unknown pathType, a port with both number and name) are problems;
// the object is then not usable.
Ingress read_ingress(const Object& object, Meta meta, std::vector<IngressFieldProblem>& problems);
IngressClass read_ingress_class(const Object& object, Meta meta, std::vector<IngressFieldProblem>& problems);

}  // namespace gwsim::model
