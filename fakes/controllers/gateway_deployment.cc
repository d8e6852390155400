#include "fakes/controllers/gateway_deployment.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "engine/model/json_fields.h"
#include "engine/model/kinds.h"
#include "engine/model/labels.h"
#include "engine/text/ascii.h"
#include "fakes/controllers/gateway_class.h"
#include "fakes/controllers/service_addresses.h"

namespace gwsim::fakes {

using model::member;
using model::string_or_empty;

namespace {

constexpr const char* kRevisionLabel = "istio.io/rev";
// Annotations the template never copies from the Gateway onto what it renders.
constexpr const char* kOmittedAnnotations[] = {"kubectl.kubernetes.io/last-applied-configuration",
                                               "gateway.istio.io/name-override", "gateway.istio.io/service-account",
                                               kControllerVersionAnnotation};
// The proxy image of the default install's gateways (as runtime/ingress_install's).
constexpr const char* kProxyImage = "docker.io/istio/proxyv2";

using model::make_object;

const Json& metadata(const Json& doc) { return member(doc, "metadata"); }

Json string_map(const Json& map) {
  Json out = Json::object();
  if (!map.is_object()) return out;
  for (const auto& [key, value] : map.items())
    if (value.is_string()) out[key] = value;
  return out;
}

// extractInfrastructureMetadata: spec.infrastructure.labels/annotations when set (without keys
// under gateway.networking.k8s.io/), else a copy of the Gateway's own
// (PILOT_ENABLE_GATEWAY_API_COPY_LABELS_ANNOTATIONS, on by default).
Json infrastructure_metadata(const Json& gateway, const char* field) {
  const Json& infra = member(member(member(gateway, "spec"), "infrastructure"), field);
  if (infra.is_object()) {
    Json out = Json::object();
    const Json strings = string_map(infra);
    for (const auto& [key, value] : strings.items())
      if (key.rfind("gateway.networking.k8s.io/", 0) != 0) out[key] = value;
    return out;
  }
  return string_map(member(metadata(gateway), field));
}

Json without_omitted(Json annotations) {
  for (const char* key : kOmittedAnnotations) annotations.erase(key);
  return annotations;
}

// toJsonMap: later maps win.
Json merged(std::initializer_list<Json> maps) {
  Json out = Json::object();
  for (const Json& m : maps)
    for (const auto& [key, value] : m.items()) out[key] = value;
  return out;
}

// sanitizeListenerNameForPort: periods to dashes, at most 63 characters.
std::string port_name_of_listener(std::string name) {
  std::replace(name.begin(), name.end(), '.', '-');
  return name.size() > 63 ? name.substr(0, 63) : name;
}

// uniquePortName: a name used already gets "-<port>" (then "x"s) within 63 characters.
std::string unique_port_name(std::string name, std::int64_t port, std::set<std::string>& used) {
  if (name.size() > 63) name.resize(63);
  std::string candidate = name;
  for (std::string suffix = "-" + std::to_string(port); used.count(candidate); suffix += "x") {
    std::string trimmed = name;
    if (trimmed.size() + suffix.size() > 63) trimmed.resize(63 - std::min<std::size_t>(63, suffix.size()));
    candidate = trimmed + suffix;
  }
  used.insert(candidate);
  return candidate;
}

// NamespaceAcceptedByAllowListeners: spec.allowedListeners.namespaces.from Same, All, or a
// Selector's matchLabels; none by default.
bool listener_set_allowed(const ApiStore& store, const Object& gateway, const std::string& set_namespace) {
  const Json& namespaces = member(member(member(gateway.doc, "spec"), "allowedListeners"), "namespaces");
  const std::string from = string_or_empty(member(namespaces, "from"));
  if (from == "All") return true;
  if (from == "Same") return set_namespace == gateway.namespace_();
  if (from == "Selector") {
    const Json& selector = member(namespaces, "selector");
    if (member(selector, "matchExpressions").is_array() && !member(selector, "matchExpressions").empty())
      return false;  // matchExpressions are not simulated: nothing is accepted through them
    auto ns = store.get({"", "Namespace", "", set_namespace});
    model::Labels wanted;
    const Json match_labels = string_map(member(selector, "matchLabels"));
    for (const auto& [key, value] : match_labels.items()) wanted[key] = value.get<std::string>();
    return ns && model::selects(wanted, member(metadata(ns->doc), "labels"));
  }
  return false;
}

// The listeners of the Gateway, then those of the ListenerSets attached to it and allowed.
std::vector<Json> all_listeners(const ApiStore& store, const Object& gateway) {
  std::vector<Json> listeners;
  const Json& own = member(member(gateway.doc, "spec"), "listeners");
  if (own.is_array())
    for (const Json& l : own) listeners.push_back(l);
  for (const Object& set : store.list(model::kGatewayApiGroup, "ListenerSet")) {
    const Json& parent = member(member(set.doc, "spec"), "parentRef");
    std::string parent_ns = string_or_empty(member(parent, "namespace"));
    if (parent_ns.empty()) parent_ns = set.namespace_();
    if (string_or_empty(member(parent, "name")) != gateway.name() || parent_ns != gateway.namespace_()) continue;
    if (!listener_set_allowed(store, gateway, set.namespace_())) continue;
    const Json& theirs = member(member(set.doc, "spec"), "listeners");
    if (theirs.is_array())
      for (const Json& l : theirs) listeners.push_back(l);
  }
  return listeners;
}

// extractServicePorts.
Json service_ports(const std::vector<Json>& listeners) {
  Json ports = Json::array({{{"name", "status-port"}, {"port", 15021}, {"protocol", "TCP"}, {"appProtocol", "tcp"}}});
  std::set<std::int64_t> numbers;
  std::set<std::string> used = {"status-port"};
  for (std::size_t i = 0; i < listeners.size(); ++i) {
    const Json& l = listeners[i];
    if (!member(l, "port").is_number_integer()) continue;
    const std::int64_t port = member(l, "port").get<std::int64_t>();
    if (!numbers.insert(port).second) continue;
    const std::string protocol = text::to_lower(string_or_empty(member(l, "protocol")));
    std::string name = port_name_of_listener(string_or_empty(member(l, "name")));
    if (name.empty()) name = protocol + "-" + std::to_string(i);
    ports.push_back(
        {{"name", unique_port_name(name, port, used)}, {"port", port}, {"protocol", "TCP"}, {"appProtocol", protocol}});
  }
  return ports;
}

// The controller of the Gateway's class: the GatewayClass's, else a built-in class's.
const IstioGatewayClass* class_info(const ApiStore& store, const std::string& class_name) {
  if (auto gc = store.get({model::kGatewayApiGroup, "GatewayClass", "", class_name}))
    return istio_class_for_controller(string_or_empty(member(member(gc->doc, "spec"), "controllerName")));
  const IstioGatewayClass* builtin = istio_builtin_class(class_name);
  return builtin ? istio_class_for_controller(builtin->controller) : nullptr;
}

// tagWatcher.IsMine for the default revision: the Gateway's istio.io/rev label, else its
// namespace's, is absent or "default".
bool is_mine(const ApiStore& store, const Object& gateway) {
  const Json& labels = member(metadata(gateway.doc), "labels");
  std::string revision;
  if (labels.is_object() && labels.contains(kRevisionLabel)) {
    revision = string_or_empty(labels[kRevisionLabel]);
  } else if (auto ns = store.get({"", "Namespace", "", gateway.namespace_()})) {
    revision = string_or_empty(member(member(metadata(ns->doc), "labels"), kRevisionLabel));
  }
  return revision.empty() || revision == "default";
}

enum class VersionAction { kSkip, kManage, kTakeOver };

// ManagedGatewayControllerVersion.
VersionAction controller_version_action(const Object& gateway) {
  const Json& annotations = member(metadata(gateway.doc), "annotations");
  if (!annotations.is_object() || !annotations.contains(kControllerVersionAnnotation)) return VersionAction::kTakeOver;
  const std::string text = string_or_empty(annotations[kControllerVersionAnnotation]);
  long version = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (error != std::errc() || end != text.data() + text.size()) return VersionAction::kSkip;
  if (version > kGatewayControllerVersion) return VersionAction::kSkip;
  return version == kGatewayControllerVersion ? VersionAction::kManage : VersionAction::kTakeOver;
}

struct Deployable {
  const IstioGatewayClass* info = nullptr;
  VersionAction version = VersionAction::kSkip;
};

// Reconcile and configureIstioGateway up to rendering: nullopt when Istio leaves the Gateway.
std::optional<Deployable> deployable(const ApiStore& store, const Object& gateway) {
  const Json& spec = member(gateway.doc, "spec");
  const IstioGatewayClass* info = class_info(store, string_or_empty(member(spec, "gatewayClassName")));
  if (!info || !is_mine(store, gateway)) return std::nullopt;
  if (std::string(info->templates).empty() || !is_managed_gateway(spec)) return std::nullopt;
  const VersionAction version = controller_version_action(gateway);
  if (version == VersionAction::kSkip) return std::nullopt;
  return Deployable{info, version};
}

std::vector<Json> render(const ApiStore& store, const Object& gateway, const IstioGatewayClass& info) {
  const Json& meta = metadata(gateway.doc);
  const Json& spec = member(gateway.doc, "spec");
  const std::string name = gateway.name();
  const std::string ns = gateway.namespace_();
  const std::string class_name = string_or_empty(member(spec, "gatewayClassName"));
  const Json annotations_in = string_map(member(meta, "annotations"));
  // GetDefaultName, then the name-override and service-account annotations.
  const std::string default_name = name + "-" + class_name;
  std::string deployment_name = string_or_empty(member(annotations_in, "gateway.istio.io/name-override"));
  if (deployment_name.empty()) deployment_name = default_name;
  std::string service_account = string_or_empty(member(annotations_in, "gateway.istio.io/service-account"));
  if (service_account.empty()) service_account = default_name;
  std::string service_type = string_or_empty(member(annotations_in, kServiceTypeAnnotation));
  if (!annotations_in.contains(kServiceTypeAnnotation)) service_type = info.default_service_type;

  const Json infra_labels = infrastructure_metadata(gateway.doc, "labels");
  const Json annotations = without_omitted(infrastructure_metadata(gateway.doc, "annotations"));
  const Json gateway_labels = {{kGatewayNameLabel, name}, {kGatewayClassNameLabel, class_name}};
  // apply() sets the managed label on every object it writes; the Deployment's template has it too.
  const Json managed = {{kGatewayManagedLabel, kIstioGatewayControllerLabel}};
  const Json labels = merged({infra_labels, gateway_labels, managed});
  const Json owner = Json::array({{{"apiVersion", std::string(model::kGatewayApiGroup) + "/v1"},
                                   {"kind", "Gateway"},
                                   {"name", name},
                                   {"uid", string_or_empty(member(meta, "uid"))}}});
  auto object_meta = [&](const std::string& object_name) {
    Json m = {{"name", object_name}, {"namespace", ns}, {"labels", labels}, {"ownerReferences", owner}};
    if (!annotations.empty()) m["annotations"] = annotations;
    return m;
  };

  Json service_account_doc = {
      {"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", object_meta(service_account)}};

  const Json selector = {{kGatewayNameLabel, name}};
  const Json pod_labels = merged({Json{{"sidecar.istio.io/inject", "false"},
                                       {"service.istio.io/canonical-name", deployment_name},
                                       {"service.istio.io/canonical-revision", "latest"}},
                                  infra_labels, gateway_labels, managed});
  const Json pod_annotations = merged({annotations, Json{{"istio.io/rev", "default"}},
                                       Json{{"prometheus.io/path", "/stats/prometheus"},
                                            {"prometheus.io/port", "15020"},
                                            {"prometheus.io/scrape", "true"}}});
  const Json probe = {
      {"failureThreshold", 4},    {"httpGet", {{"path", "/healthz/ready"}, {"port", 15021}, {"scheme", "HTTP"}}},
      {"initialDelaySeconds", 0}, {"periodSeconds", 15},
      {"successThreshold", 1},    {"timeoutSeconds", 1}};
  // The container as the template renders it with the chart's default values; its env and
  // volumes are left out (nothing in gwsim reads them).
  const Json container = {{"name", "istio-proxy"},
                          {"image", kProxyImage},
                          {"args",
                           {"proxy", "router", "--domain", "$(POD_NAMESPACE).svc.cluster.local", "--proxyLogLevel",
                            "warning", "--proxyComponentLogLevel", "misc:error", "--log_output_level", "default:info"}},
                          {"ports",
                           {{{"containerPort", 15020}, {"name", "metrics"}, {"protocol", "TCP"}},
                            {{"containerPort", 15021}, {"name", "status-port"}, {"protocol", "TCP"}},
                            {{"containerPort", 15090}, {"name", "http-envoy-prom"}, {"protocol", "TCP"}}}},
                          {"readinessProbe", probe},
                          {"securityContext",
                           {{"allowPrivilegeEscalation", false},
                            {"capabilities", {{"drop", {"ALL"}}}},
                            {"privileged", false},
                            {"readOnlyRootFilesystem", true},
                            {"runAsGroup", 1337},
                            {"runAsNonRoot", true},
                            {"runAsUser", 1337}}}};
  Json deployment_meta = object_meta(deployment_name);
  Json deployment_doc = {
      {"apiVersion", "apps/v1"},
      {"kind", "Deployment"},
      {"metadata", deployment_meta},
      {"spec",
       {{"selector", {{"matchLabels", selector}}},
        {"template",
         {{"metadata", {{"annotations", pod_annotations}, {"labels", pod_labels}}},
          {"spec",
           {{"securityContext", {{"sysctls", {{{"name", "net.ipv4.ip_unprivileged_port_start"}, {"value", "0"}}}}}},
            {"serviceAccountName", service_account},
            {"containers", Json::array({container})}}}}}}}};

  Json service_spec = {{"ipFamilyPolicy", "PreferDualStack"},
                       {"ports", service_ports(all_listeners(store, gateway))},
                       {"selector", selector},
                       {"type", service_type}};
  const Json& addresses = member(spec, "addresses");
  if (addresses.is_array() && !addresses.empty() && service_type == "LoadBalancer")
    service_spec["loadBalancerIP"] = string_or_empty(member(addresses[0], "value"));
  Json service_doc = {
      {"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", object_meta(deployment_name)}, {"spec", service_spec}};
  return {std::move(service_account_doc), std::move(deployment_doc), std::move(service_doc)};
}

// Server-side apply of our fields over an object we manage: our labels, annotations and owner
// references are set, the spec fields the template sets replace the live ones, and what others
// set stays (a Deployment's replicas, a Service's cluster IP and node ports).
Json applied_over(const Json& live, const Json& desired) {
  Json out = live;
  Json& meta = out["metadata"];
  for (const char* field : {"labels", "annotations"}) {
    const Json& ours = member(metadata(desired), field);
    if (!ours.is_object()) continue;
    if (!meta[field].is_object()) meta[field] = Json::object();
    for (const auto& [key, value] : ours.items()) meta[field][key] = value;
  }
  meta["ownerReferences"] = member(metadata(desired), "ownerReferences");
  const Json& spec = member(desired, "spec");
  if (!spec.is_object()) return out;
  Json live_spec = member(live, "spec").is_object() ? member(live, "spec") : Json::object();
  const Json live_ports = member(live_spec, "ports");
  if (!spec.contains("loadBalancerIP")) live_spec.erase("loadBalancerIP");
  for (const auto& [key, value] : spec.items()) live_spec[key] = value;
  const std::string type = string_or_empty(member(live_spec, "type"));
  if (live_spec.contains("ports") && live_ports.is_array() && (type == "NodePort" || type == "LoadBalancer"))
    for (Json& port : live_spec["ports"])
      for (const Json& old : live_ports)
        if (member(old, "port") == member(port, "port") && member(old, "protocol") == member(port, "protocol") &&
            member(old, "nodePort").is_number_integer())
          port["nodePort"] = member(old, "nodePort");
  out["spec"] = std::move(live_spec);
  return out;
}

std::string group_of(const Json& doc) {
  const std::string api_version = string_or_empty(member(doc, "apiVersion"));
  const auto slash = api_version.find('/');
  return slash == std::string::npos ? "" : api_version.substr(0, slash);
}

// apply(): creates the object, or updates it when it carries the managed label (canManage).
int apply_rendered(ApiStore& store, Json desired) {
  const std::string kind = string_or_empty(member(desired, "kind"));
  const ObjectKey key{group_of(desired), kind, string_or_empty(member(metadata(desired), "namespace")),
                      string_or_empty(member(metadata(desired), "name"))};
  auto live = store.get(key);
  if (!live) {
    if (kind == "Service") allocate_service_addresses(store, desired);
    return store.create(make_object(std::move(desired))).ok() ? 1 : 0;
  }
  const Json& live_labels = member(metadata(live->doc), "labels");
  if (!live_labels.is_object() || !live_labels.contains(kGatewayManagedLabel)) return 0;
  Json updated = applied_over(live->doc, desired);
  if (updated == live->doc) return 0;
  return store.update(make_object(std::move(updated))).ok() ? 1 : 0;
}

}  // namespace

bool is_managed_gateway(const Json& gateway_spec) {
  const Json& addresses = member(gateway_spec, "addresses");
  if (!addresses.is_array() || addresses.empty()) return true;
  if (addresses.size() > 1) return false;
  const Json& type = member(addresses[0], "type");
  return type.is_null() || string_or_empty(type) == "IPAddress";
}

std::vector<Json> render_gateway_deployment(const ApiStore& store, const Object& gateway) {
  auto d = deployable(store, gateway);
  if (!d) return {};
  return render(store, gateway, *d->info);
}

int reconcile_gateway_deployments(ApiStore& store) {
  int written = 0;
  for (const Object& gateway : store.list(model::kGatewayApiGroup, "Gateway")) {
    auto d = deployable(store, gateway);
    if (!d) continue;
    if (d->version == VersionAction::kTakeOver) {
      // setGatewayControllerVersion: Istio patches the annotation through the status subresource.
      Object annotated = gateway;
      annotated.doc["metadata"]["annotations"][kControllerVersionAnnotation] =
          std::to_string(kGatewayControllerVersion);
      if (store.update(std::move(annotated)).ok()) ++written;
    }
    for (Json& doc : render(store, gateway, *d->info)) written += apply_rendered(store, std::move(doc));
  }
  return written;
}

}  // namespace gwsim::fakes
