#include "fakes/apiserver/resources.h"

#include <algorithm>
#include <sstream>

#include "engine/model/kinds.h"

namespace gwsim::fakes {

namespace {

// A Kubernetes-style version "v<major>[alpha|beta<minor>]": stability 2 (GA), 1 (beta), 0
// (alpha), with its numbers; nullopt for any other text.
struct KubeVersion {
  int stability = 0;
  long major = 0;
  long minor = 0;
};

std::optional<KubeVersion> parse_kube_version(const std::string& v) {
  auto digits = [](const std::string& s, std::size_t from, std::size_t& end) -> std::optional<long> {
    end = from;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9' && end - from < 9) ++end;
    if (end == from || s[from] == '0' || (end < s.size() && s[end] >= '0' && s[end] <= '9')) return std::nullopt;
    return std::stol(s.substr(from, end - from));
  };
  if (v.size() < 2 || v[0] != 'v') return std::nullopt;
  std::size_t end = 0;
  auto major = digits(v, 1, end);
  if (!major) return std::nullopt;
  if (end == v.size()) return KubeVersion{2, *major, 0};
  int stability = 0;
  std::size_t rest = end;
  if (v.compare(end, 4, "beta") == 0) {
    stability = 1;
    rest = end + 4;
  } else if (v.compare(end, 5, "alpha") == 0) {
    stability = 0;
    rest = end + 5;
  } else {
    return std::nullopt;
  }
  auto minor = digits(v, rest, end);
  if (!minor || end != v.size()) return std::nullopt;
  return KubeVersion{stability, *major, *minor};
}

const std::vector<std::string> kIstioCategories = {"istio-io", "networking-istio-io"};
const std::vector<std::string> kGatewayApiCategories = {"gateway-api"};

std::vector<ResourceInfo> make_resources() {
  std::vector<ResourceInfo> r;
  // Versions from the engine's table of kinds, preferred first (kubectl uses the first for `get`),
  // unless `served` names them (a CRD may know versions it no longer serves).
  auto add = [&](std::string group, std::string plural, std::string singular, std::string kind, bool namespaced,
                 std::vector<std::string> short_names, std::vector<std::string> categories, bool smp,
                 std::vector<std::string> served = {}) {
    std::vector<std::string> versions = {"v1"};  // Event: served, though no manifest holds one
    if (const model::KindInfo* info = model::find_kind(group, kind))
      versions.assign(info->versions.begin(), info->versions.end());
    if (!served.empty()) versions = std::move(served);
    r.push_back({std::move(group), std::move(versions), std::move(plural), std::move(singular), std::move(kind),
                 namespaced, std::move(short_names), std::move(categories), smp});
  };
  // Short names and categories as a real cluster reports them (`kubectl api-resources`). Groups
  // are listed in the order kube-apiserver's discovery gives them (built-in groups by priority,
  // then the CRDs' groups by name), which is the order kubectl resolves an unqualified resource
  // in: `kubectl get gateway` names the Gateway API's Gateway, Istio's is `gw` or
  // `gateways.networking.istio.io`.
  add("", "pods", "pod", "Pod", true, {"po"}, {"all"}, true);
  add("", "services", "service", "Service", true, {"svc"}, {"all"}, true);
  add("", "endpoints", "endpoints", "Endpoints", true, {"ep"}, {}, true);
  add("", "namespaces", "namespace", "Namespace", false, {"ns"}, {}, true);
  add("", "secrets", "secret", "Secret", true, {}, {}, true);
  add("", "configmaps", "configmap", "ConfigMap", true, {"cm"}, {}, true);
  add("", "serviceaccounts", "serviceaccount", "ServiceAccount", true, {"sa"}, {}, true);
  // Nothing writes events; serving the (empty) list lets `kubectl describe` print "Events: <none>".
  add("", "events", "event", "Event", true, {"ev"}, {}, true);
  add("apps", "deployments", "deployment", "Deployment", true, {"deploy"}, {"all"}, true);
  add("apps", "replicasets", "replicaset", "ReplicaSet", true, {"rs"}, {"all"}, true);
  add("apps", "statefulsets", "statefulset", "StatefulSet", true, {"sts"}, {"all"}, true);
  add("apps", "daemonsets", "daemonset", "DaemonSet", true, {"ds"}, {"all"}, true);
  // Kubernetes' pkg/registry/networking/{ingress,ingressclass}/storage: "ing", no categories.
  add("networking.k8s.io", "ingresses", "ingress", "Ingress", true, {"ing"}, {}, true);
  add("networking.k8s.io", "ingressclasses", "ingressclass", "IngressClass", false, {}, {}, true);
  // Istio's extensions.istio.io sorts before the Gateway API's group.
  add("extensions.istio.io", "wasmplugins", "wasmplugin", "WasmPlugin", true, {}, {"istio-io", "extensions-istio-io"},
      false);
  // The Gateway API's standard CRDs (config/crd/standard of v1.6.1): names, short names, the
  // category "gateway-api" and the versions with `served: true` (TLSRoute, TCPRoute and
  // BackendTLSPolicy keep their alpha versions with `served: false`).
  const std::string gw = model::kGatewayApiGroup;
  const auto& gc = kGatewayApiCategories;
  add(gw, "gatewayclasses", "gatewayclass", "GatewayClass", false, {"gc"}, gc, false, {"v1", "v1beta1"});
  add(gw, "gateways", "gateway", "Gateway", true, {"gtw"}, gc, false, {"v1", "v1beta1"});
  add(gw, "httproutes", "httproute", "HTTPRoute", true, {}, gc, false, {"v1", "v1beta1"});
  add(gw, "grpcroutes", "grpcroute", "GRPCRoute", true, {}, gc, false, {"v1"});
  add(gw, "referencegrants", "referencegrant", "ReferenceGrant", true, {"refgrant"}, gc, false, {"v1", "v1beta1"});
  add(gw, "tlsroutes", "tlsroute", "TLSRoute", true, {}, gc, false, {"v1"});
  add(gw, "tcproutes", "tcproute", "TCPRoute", true, {}, gc, false, {"v1"});
  add(gw, "backendtlspolicies", "backendtlspolicy", "BackendTLSPolicy", true, {"btlspolicy"}, gc, false, {"v1"});
  add(gw, "listenersets", "listenerset", "ListenerSet", true, {"lset"}, gc, false, {"v1"});
  const std::string istio = model::kIstioNetworkingGroup;
  add(istio, "gateways", "gateway", "Gateway", true, {"gw"}, kIstioCategories, false);
  add(istio, "virtualservices", "virtualservice", "VirtualService", true, {"vs"}, kIstioCategories, false);
  add(istio, "destinationrules", "destinationrule", "DestinationRule", true, {"dr"}, kIstioCategories, false);
  add(istio, "serviceentries", "serviceentry", "ServiceEntry", true, {"se"}, kIstioCategories, false);
  add(istio, "envoyfilters", "envoyfilter", "EnvoyFilter", true, {}, kIstioCategories, false);
  add(istio, "proxyconfigs", "proxyconfig", "ProxyConfig", true, {}, kIstioCategories, false);
  const std::string security = model::kIstioSecurityGroup;
  const std::vector<std::string> security_categories = {"istio-io", "security-istio-io"};
  add(security, "authorizationpolicies", "authorizationpolicy", "AuthorizationPolicy", true, {"ap"},
      security_categories, false);
  add(security, "requestauthentications", "requestauthentication", "RequestAuthentication", true, {"ra"},
      security_categories, false);
  return r;
}

// The groups under /apis, in the order listed.
std::vector<std::string> api_groups() {
  std::vector<std::string> groups;
  for (const auto& r : served_resources()) {
    if (r.group.empty()) continue;
    bool seen = false;
    for (const auto& g : groups) seen = seen || g == r.group;
    if (!seen) groups.push_back(r.group);
  }
  return groups;
}

bool serves(const ResourceInfo& r, const std::string& version) {
  return std::find(r.versions.begin(), r.versions.end(), version) != r.versions.end();
}

// The versions of a group: the union of its resources' versions, highest priority first
// (kube-apiserver lists a group's versions so and prefers the first), or nullopt for a group not
// served.
std::optional<std::vector<std::string>> versions_of(const std::string& group) {
  std::vector<std::string> versions;
  bool found = false;
  for (const auto& r : served_resources()) {
    if (r.group != group) continue;
    found = true;
    for (const auto& v : r.versions)
      if (std::find(versions.begin(), versions.end(), v) == versions.end()) versions.push_back(v);
  }
  if (!found) return std::nullopt;
  std::stable_sort(versions.begin(), versions.end(),
                   [](const std::string& a, const std::string& b) { return compare_kube_versions(a, b) < 0; });
  return versions;
}

bool serves_version(const std::string& group, const std::string& version) {
  for (const auto& r : served_resources())
    if (r.group == group && serves(r, version)) return true;
  return false;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(path);
  while (std::getline(in, part, '/'))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

Json group_versions(const std::string& group) {
  Json versions = Json::array();
  for (const auto& v : versions_of(group).value_or(std::vector<std::string>{}))
    versions.push_back({{"groupVersion", group + "/" + v}, {"version", v}});
  return versions;
}

Json group_entry(const std::string& group) {
  const std::string preferred = versions_of(group).value().front();
  return {{"name", group},
          {"versions", group_versions(group)},
          {"preferredVersion", {{"groupVersion", group + "/" + preferred}, {"version", preferred}}}};
}

}  // namespace

int compare_kube_versions(const std::string& a, const std::string& b) {
  const auto ka = parse_kube_version(a);
  const auto kb = parse_kube_version(b);
  if (!ka || !kb) {
    if (ka) return -1;
    if (kb) return 1;
    return a.compare(b);
  }
  if (ka->stability != kb->stability) return kb->stability - ka->stability;
  if (ka->major != kb->major) return ka->major > kb->major ? -1 : 1;
  if (ka->minor != kb->minor) return ka->minor > kb->minor ? -1 : 1;
  return 0;
}

std::string ResourceInfo::group_resource() const { return group.empty() ? plural : plural + "." + group; }

std::string ResourceInfo::group_version(const std::string& version) const {
  return group.empty() ? version : group + "/" + version;
}

const std::vector<ResourceInfo>& served_resources() {
  static const std::vector<ResourceInfo> resources = make_resources();
  return resources;
}

const ResourceInfo* find_resource(const std::string& group, const std::string& version, const std::string& plural) {
  for (const auto& r : served_resources()) {
    if (r.group != group || r.plural != plural) continue;
    if (serves(r, version)) return &r;
  }
  return nullptr;
}

const ResourceInfo* find_resource_by_kind(const std::string& group, const std::string& kind) {
  for (const auto& r : served_resources())
    if (r.group == group && r.kind == kind) return &r;
  return nullptr;
}

std::optional<ApiPath> parse_api_path(const std::string& path) {
  const std::vector<std::string> parts = split_path(path);
  ApiPath out;
  if (parts.empty()) return std::nullopt;
  if (parts.size() == 1 && parts[0] == "version") {
    out.type = ApiPath::Type::kVersion;
    return out;
  }
  if (parts[0] == "healthz" || parts[0] == "livez" || parts[0] == "readyz") {
    out.type = ApiPath::Type::kHealth;
    out.name = parts[0];
    return out;
  }
  if (parts[0] == "openapi") {
    if (parts.size() == 2 && parts[1] == "v2") {
      out.type = ApiPath::Type::kOpenApiV2;
      return out;
    }
    if (parts.size() >= 2 && parts[1] == "v3") {
      out.type = ApiPath::Type::kOpenApiV3;
      return out;
    }
    return std::nullopt;
  }
  std::size_t rest = 0;  // index of the first segment after the group/version
  if (parts[0] == "api") {
    if (parts.size() == 1) {
      out.type = ApiPath::Type::kCoreVersions;
      return out;
    }
    out.group = "";
    out.version = parts[1];
    rest = 2;
  } else if (parts[0] == "apis") {
    if (parts.size() == 1) {
      out.type = ApiPath::Type::kGroupList;
      return out;
    }
    out.group = parts[1];
    if (!versions_of(out.group)) return std::nullopt;
    if (parts.size() == 2) {
      out.type = ApiPath::Type::kGroup;
      return out;
    }
    out.version = parts[2];
    rest = 3;
  } else {
    return std::nullopt;
  }
  if (!serves_version(out.group, out.version)) return std::nullopt;
  std::vector<std::string> tail(parts.begin() + static_cast<std::ptrdiff_t>(rest), parts.end());
  if (tail.empty()) {
    out.type = ApiPath::Type::kResourceList;
    return out;
  }
  // namespaces/<ns>/<resource>... names a namespaced resource; namespaces[/<name>[/<sub>]] the
  // Namespace objects themselves (as the Kubernetes API server decides it).
  if (tail.size() >= 3 && tail[0] == "namespaces") {
    const ResourceInfo* info = find_resource(out.group, out.version, tail[2]);
    if (info && info->namespaced) {
      out.namespace_ = tail[1];
      tail.erase(tail.begin(), tail.begin() + 2);
    }
  }
  out.resource = find_resource(out.group, out.version, tail[0]);
  if (!out.resource) return std::nullopt;
  if (tail.size() == 1) {
    out.type = ApiPath::Type::kCollection;
    return out;
  }
  // A namespaced item always needs its namespace in the path.
  if (out.resource->namespaced && out.namespace_.empty()) return std::nullopt;
  if (tail.size() > 3) return std::nullopt;
  out.type = ApiPath::Type::kItem;
  out.name = tail[1];
  if (tail.size() == 3) {
    const bool pod_stream = out.resource->kind == "Pod" &&
                            (tail[2] == "exec" || tail[2] == "attach" || tail[2] == "portforward");
    if (tail[2] != "status" && tail[2] != "scale" && tail[2] != "finalize" && !pod_stream) return std::nullopt;
    out.subresource = tail[2];
  }
  return out;
}

Json version_document() {
  return {{"major", "1"},
          {"minor", "32"},
          {"gitVersion", "v1.32.0-gwsim"},
          {"gitCommit", "0000000000000000000000000000000000000000"},
          {"gitTreeState", "clean"},
          {"buildDate", "2025-01-01T00:00:00Z"},
          {"goVersion", "go1.23.0"},
          {"compiler", "gc"},
          {"platform", "linux/amd64"}};
}

Json core_versions_document(const std::string& server_address) {
  return {{"kind", "APIVersions"},
          {"versions", versions_of("").value()},
          {"serverAddressByClientCIDRs", Json::array({{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}})}};
}

Json group_list_document() {
  Json groups = Json::array();
  for (const auto& g : api_groups()) groups.push_back(group_entry(g));
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

std::optional<Json> group_document(const std::string& group) {
  if (group.empty() || !versions_of(group)) return std::nullopt;
  Json doc = group_entry(group);
  doc["kind"] = "APIGroup";
  doc["apiVersion"] = "v1";
  return doc;
}

std::optional<Json> resource_list_document(const std::string& group, const std::string& version) {
  if (!serves_version(group, version)) return std::nullopt;
  static const std::vector<std::string> kVerbs = {"create", "delete", "deletecollection", "get",
                                                  "list",   "patch",  "update",           "watch"};
  Json resources = Json::array();
  for (const auto& r : served_resources()) {
    if (r.group != group || !serves(r, version)) continue;
    Json entry = {{"name", r.plural},       {"singularName", r.singular}, {"namespaced", r.namespaced},
                  {"kind", r.kind},         {"verbs", kVerbs}};
    if (!r.short_names.empty()) entry["shortNames"] = r.short_names;
    if (!r.categories.empty()) entry["categories"] = r.categories;
    resources.push_back(std::move(entry));
    if (r.group == "apps" && r.kind != "DaemonSet")
      resources.push_back({{"name", r.plural + "/scale"}, {"singularName", ""}, {"namespaced", true},
                           {"group", "autoscaling"}, {"version", "v1"}, {"kind", "Scale"},
                           {"verbs", {"get", "patch", "update"}}});
  }
  const std::string gv = group.empty() ? version : group + "/" + version;
  return Json{{"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", gv}, {"resources", resources}};
}

}  // namespace gwsim::fakes
