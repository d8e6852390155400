// The resources the fake API server serves, and the discovery documents kubectl reads to find
// them (legacy discovery: /api, /apis, /api/v1, /apis/<group>/<version>), plus the parsing of
// resource paths. Every version of a group is served from one store: the store keys objects by
// group and kind, never by version (../shared/research/kubectl-api.md, section 3).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/model/object.h"
#include "engine/model/result.h"

namespace gwsim::fakes {

using model::Json;

struct ResourceInfo {
  std::string group;                  // "" for the core group
  std::vector<std::string> versions;  // served versions, preferred first
  std::string plural;                 // "virtualservices"
  std::string singular;               // "virtualservice"
  std::string kind;                   // "VirtualService"
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  // Built-in kinds accept strategic merge patch; custom resources (Istio's) answer 415, as a
  // real API server does, and kubectl sends them JSON merge patches instead.
  bool strategic_merge = false;

  // "pods", "deployments.apps", "virtualservices.networking.istio.io": how Status messages
  // name the resource.
  std::string group_resource() const;
  // "v1", "apps/v1", "networking.istio.io/v1beta1".
  std::string group_version(const std::string& version) const;
};

// Every resource served: core (pods, services, endpoints, namespaces, secrets, configmaps,
// serviceaccounts, events), apps/v1 (deployments, replicasets, statefulsets, daemonsets),
// networking.k8s.io/v1 (ingresses, ingressclasses), the Gateway API's standard kinds
// (gateway.networking.k8s.io, each with its own served versions) and networking.istio.io v1,
// v1beta1, v1alpha3 (gateways, virtualservices, destinationrules, serviceentries).
const std::vector<ResourceInfo>& served_resources();

// Kubernetes' version priority (apimachinery version.CompareKubeAwareVersionStrings): GA before
// beta before alpha before anything else, then the higher major, then the higher minor
// ("v1" < "v1beta1" < "v1alpha3" < "v1alpha2"). Negative when `a` comes first, 0 when equal.
int compare_kube_versions(const std::string& a, const std::string& b);

// The resource named `plural` in group/version, or nullptr.
const ResourceInfo* find_resource(const std::string& group, const std::string& version, const std::string& plural);
// The resource of a kind in a group (any version), or nullptr.
const ResourceInfo* find_resource_by_kind(const std::string& group, const std::string& kind);

// What a request path names.
struct ApiPath {
  enum class Type {
    kVersion,        // /version
    kCoreVersions,   // /api
    kGroupList,      // /apis
    kGroup,          // /apis/<group>
    kResourceList,   // /api/v1, /apis/<group>/<version>
    kOpenApiV2,      // /openapi/v2
    kOpenApiV3,      // /openapi/v3[/...]
    kHealth,         // /healthz, /livez, /readyz [/<check>]
    kCollection,     // .../[namespaces/<ns>/]<resource>
    kItem,           // .../[namespaces/<ns>/]<resource>/<name>[/<subresource>]
  };
  Type type = Type::kVersion;
  std::string group;
  std::string version;
  std::string namespace_;   // "" = all namespaces (collection) or cluster-scoped
  std::string name;
  std::string subresource;  // "status", "scale", ...
  const ResourceInfo* resource = nullptr;
};

// Parses a request path (without query). nullopt: nothing is served there (404).
std::optional<ApiPath> parse_api_path(const std::string& path);

// /version: minor "32" keeps kubectl's dispatcher on its built-in 1.32 client.
Json version_document();
// /api
Json core_versions_document(const std::string& server_address);
// /apis
Json group_list_document();
// /apis/<group>, or nullopt for an unknown group. A group's versions are the union of its
// resources' served versions, highest priority first (the preferred one).
std::optional<Json> group_document(const std::string& group);
// /api/v1 and /apis/<group>/<version> (the resources serving that version), or nullopt for an
// unknown group/version.
std::optional<Json> resource_list_document(const std::string& group, const std::string& version);

}  // namespace gwsim::fakes
