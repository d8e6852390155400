#include "fakes/apiserver/resources.h"

#include <sstream>

#include "engine/model/kinds.h"

namespace gwsim::fakes {

namespace {

const std::vector<std::string> kIstioCategories = {"istio-io", "networking-istio-io"};

std::vector<ResourceInfo> make_resources() {
  std::vector<ResourceInfo> r;
  // Versions from the engine's table of kinds, preferred first (kubectl uses the first for `get`).
  auto add = [&](std::string group, std::string plural, std::string singular, std::string kind, bool namespaced,
                 std::vector<std::string> short_names, std::vector<std::string> categories, bool smp) {
    std::vector<std::string> versions = {"v1"};  // Event: served, though no manifest holds one
    if (const model::KindInfo* info = model::find_kind(group, kind))
      versions.assign(info->versions.begin(), info->versions.end());
    r.push_back({std::move(group), std::move(versions), std::move(plural), std::move(singular), std::move(kind),
                 namespaced, std::move(short_names), std::move(categories), smp});
  };
  // Short names and categories as a real cluster reports them (`kubectl api-resources`).
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
  const std::string istio = model::kIstioNetworkingGroup;
  add(istio, "gateways", "gateway", "Gateway", true, {"gw"}, kIstioCategories, false);
  add(istio, "virtualservices", "virtualservice", "VirtualService", true, {"vs"}, kIstioCategories, false);
  add(istio, "destinationrules", "destinationrule", "DestinationRule", true, {"dr"}, kIstioCategories, false);
  add(istio, "serviceentries", "serviceentry", "ServiceEntry", true, {"se"}, kIstioCategories, false);
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

const std::vector<std::string>* versions_of(const std::string& group) {
  for (const auto& r : served_resources())
    if (r.group == group) return &r.versions;
  return nullptr;
}

bool serves_version(const std::string& group, const std::string& version) {
  const auto* versions = versions_of(group);
  if (!versions) return false;
  for (const auto& v : *versions)
    if (v == version) return true;
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
  for (const auto& v : *versions_of(group)) versions.push_back({{"groupVersion", group + "/" + v}, {"version", v}});
  return versions;
}

Json group_entry(const std::string& group) {
  const std::string preferred = versions_of(group)->front();
  return {{"name", group},
          {"versions", group_versions(group)},
          {"preferredVersion", {{"groupVersion", group + "/" + preferred}, {"version", preferred}}}};
}

}  // namespace

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
    for (const auto& v : r.versions)
      if (v == version) return &r;
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
    if (tail[2] != "status" && tail[2] != "scale" && tail[2] != "finalize") return std::nullopt;
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
          {"versions", *versions_of("")},
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
    if (r.group != group) continue;
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
