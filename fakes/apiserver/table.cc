#include "fakes/apiserver/table.h"

#include <algorithm>
#include <functional>

#include "engine/model/json_fields.h"
#include "engine/text/ascii.h"
#include "fakes/store/api_store.h"

namespace gwsim::fakes {

using model::member;
using model::string_member;

namespace {

std::int64_t integer(const Json& j, const char* key) {
  const Json& v = member(j, key);
  return v.is_number_integer() ? v.get<std::int64_t>() : 0;
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string or_none(const std::string& s) { return s.empty() ? "<none>" : s; }

struct Column {
  std::string name;
  std::string type;  // "string", "integer", "date"
  int priority = 0;  // 1: only with -o wide
  std::string format;
  std::function<Json(const Json&, std::int64_t now)> cell;
};

Json age(const Json& object, std::int64_t now) {
  auto created = parse_timestamp(string_member(member(object, "metadata"), "creationTimestamp"));
  if (!created) return "<unknown>";
  return human_duration(now - *created);
}

Column name_column() {
  return {"Name", "string", 0, "name",
          [](const Json& o, std::int64_t) { return Json(string_member(member(o, "metadata"), "name")); }};
}
Column age_column() { return {"Age", "date", 0, "", age}; }

// CRD printer columns with a JSONPath to a list print the list as JSON, as kubectl shows
// `["gateway"]` for a VirtualService's gateways.
Json json_path_cell(const Json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value;
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A CRD printer column whose JSONPath is a plain field path (".spec.hostnames"); a missing field
// is a null cell, which kubectl prints empty (apiextensions-apiserver's tableconvertor).
std::function<Json(const Json&, std::int64_t)> json_path(std::string path) {
  std::vector<std::string> fields;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t dot = path.find('.', start);
    if (dot == std::string::npos) dot = path.size();
    fields.push_back(path.substr(start, dot - start));
    start = dot + 1;
  }
  return [fields](const Json& o, std::int64_t) {
    const Json* value = &o;
    for (const auto& f : fields) {
      if (!value->is_object() || !value->contains(f)) return Json();
      value = &(*value)[f];
    }
    return value->is_null() ? Json() : json_path_cell(*value);
  };
}

// `.status.conditions[?(@.type=="<type>")].status`: the first such condition's status.
std::function<Json(const Json&, std::int64_t)> condition_status(std::string type) {
  return [type](const Json& o, std::int64_t) {
    const Json& conditions = member(member(o, "status"), "conditions");
    if (conditions.is_array())
      for (const auto& c : conditions)
        if (string_member(c, "type") == type && member(c, "status").is_string()) return member(c, "status");
    return Json();
  };
}

// `.status.addresses[*].value`: the tableconvertor prints only the first result.
std::function<Json(const Json&, std::int64_t)> first_address() {
  return [](const Json& o, std::int64_t) {
    const Json& addresses = member(member(o, "status"), "addresses");
    if (addresses.is_array())
      for (const auto& a : addresses)
        if (a.is_object() && a.contains("value")) return json_path_cell(a["value"]);
    return Json();
  };
}

// ---- ingresses ----

std::string ingress_class(const Json& ing) {
  std::string name = string_member(member(ing, "spec"), "ingressClassName");
  return name.empty() ? "<none>" : name;
}

// kubectl's formatHosts: the first three rules' hosts, then "+ N more..." counting rules.
std::string ingress_hosts(const Json& ing) {
  constexpr std::size_t kMax = 3;
  std::vector<std::string> hosts;
  bool more = false;
  const Json& rules = member(member(ing, "spec"), "rules");
  const std::size_t count = rules.is_array() ? rules.size() : 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (hosts.size() == kMax) more = true;
    if (!more && !string_member(rules[i], "host").empty()) hosts.push_back(string_member(rules[i], "host"));
  }
  if (hosts.empty()) return "*";
  std::string text = join(hosts, ",");
  if (more) text += " + " + std::to_string(count - kMax) + " more...";
  return text;
}

std::string ingress_address(const Json& ing) {
  std::vector<std::string> addresses;
  const Json& ingress = member(member(member(ing, "status"), "loadBalancer"), "ingress");
  if (ingress.is_array())
    for (const auto& i : ingress) {
      if (!string_member(i, "ip").empty()) addresses.push_back(string_member(i, "ip"));
      else if (!string_member(i, "hostname").empty()) addresses.push_back(string_member(i, "hostname"));
    }
  return join(addresses, ",");
}

std::string ingress_ports(const Json& ing) {
  const Json& tls = member(member(ing, "spec"), "tls");
  return tls.is_array() && !tls.empty() ? "80, 443" : "80";
}

std::string ingress_class_parameters(const Json& ic) {
  const Json& params = member(member(ic, "spec"), "parameters");
  if (!params.is_object()) return "<none>";
  std::string text = string_member(params, "kind");
  if (const std::string group = string_member(params, "apiGroup"); !group.empty()) text.append(1, '.').append(group);
  text.append(1, '/').append(string_member(params, "name"));
  return text;
}

// ---- pods ----

std::string pod_status(const Json& pod) {
  if (!member(member(pod, "metadata"), "deletionTimestamp").is_null()) return "Terminating";
  const Json& status = member(pod, "status");
  std::string reason = string_member(status, "reason");
  if (!reason.empty()) return reason;
  for (const auto& cs :
       member(status, "containerStatuses").is_array() ? member(status, "containerStatuses") : Json::array()) {
    const Json& waiting = member(member(cs, "state"), "waiting");
    if (!string_member(waiting, "reason").empty()) return string_member(waiting, "reason");
    const Json& terminated = member(member(cs, "state"), "terminated");
    if (!string_member(terminated, "reason").empty()) return string_member(terminated, "reason");
  }
  std::string phase = string_member(status, "phase");
  return phase.empty() ? "Pending" : phase;
}

bool condition_true(const Json& status, const std::string& type) {
  const Json& conditions = member(status, "conditions");
  if (!conditions.is_array()) return false;
  for (const auto& c : conditions)
    if (string_member(c, "type") == type) return string_member(c, "status") == "True";
  return false;
}

std::string pod_ready(const Json& pod) {
  const Json& containers = member(member(pod, "spec"), "containers");
  const std::size_t total = containers.is_array() ? containers.size() : 0;
  const Json& statuses = member(member(pod, "status"), "containerStatuses");
  std::size_t ready = 0;
  if (statuses.is_array() && !statuses.empty()) {
    for (const auto& cs : statuses)
      if (member(cs, "ready").is_boolean() && member(cs, "ready").get<bool>()) ++ready;
  } else if (condition_true(member(pod, "status"), "Ready")) {
    // The fake kubelet reports readiness per pod only: a Ready pod has every container ready.
    ready = total;
  }
  return std::to_string(ready) + "/" + std::to_string(total);
}

std::string pod_restarts(const Json& pod) {
  std::int64_t restarts = 0;
  const Json& statuses = member(member(pod, "status"), "containerStatuses");
  if (statuses.is_array())
    for (const auto& cs : statuses) restarts += integer(cs, "restartCount");
  return std::to_string(restarts);
}

std::vector<Column> pod_columns() {
  return {name_column(),
          {"Ready", "string", 0, "", [](const Json& o, std::int64_t) { return Json(pod_ready(o)); }},
          {"Status", "string", 0, "", [](const Json& o, std::int64_t) { return Json(pod_status(o)); }},
          {"Restarts", "string", 0, "", [](const Json& o, std::int64_t) { return Json(pod_restarts(o)); }},
          age_column(),
          {"IP", "string", 1, "",
           [](const Json& o, std::int64_t) { return Json(or_none(string_member(member(o, "status"), "podIP"))); }},
          {"Node", "string", 1, "",
           [](const Json& o, std::int64_t) { return Json(or_none(string_member(member(o, "spec"), "nodeName"))); }},
          {"Nominated Node", "string", 1, "",
           [](const Json& o, std::int64_t) {
             return Json(or_none(string_member(member(o, "status"), "nominatedNodeName")));
           }},
          {"Readiness Gates", "string", 1, "", [](const Json&, std::int64_t) { return Json("<none>"); }}};
}

// ---- services ----

std::string service_ports(const Json& svc) {
  const Json& ports = member(member(svc, "spec"), "ports");
  if (!ports.is_array() || ports.empty()) return "<none>";
  std::vector<std::string> parts;
  for (const auto& p : ports) {
    std::string protocol = string_member(p, "protocol").empty() ? "TCP" : string_member(p, "protocol");
    std::string text = std::to_string(integer(p, "port"));
    if (integer(p, "nodePort") > 0) {
      text += ':';
      text += std::to_string(integer(p, "nodePort"));
    }
    parts.push_back(text + "/" + protocol);
  }
  return join(parts, ",");
}

std::string service_type(const Json& svc) {
  std::string type = string_member(member(svc, "spec"), "type");
  return type.empty() ? "ClusterIP" : type;
}

std::string service_external_ip(const Json& svc) {
  const std::string type = service_type(svc);
  std::vector<std::string> ips;
  if (member(member(svc, "spec"), "externalIPs").is_array())
    for (const auto& ip : member(member(svc, "spec"), "externalIPs"))
      if (ip.is_string()) ips.push_back(ip.get<std::string>());
  if (type == "ExternalName") return string_member(member(svc, "spec"), "externalName");
  if (type == "LoadBalancer") {
    const Json& ingress = member(member(member(svc, "status"), "loadBalancer"), "ingress");
    if (ingress.is_array())
      for (const auto& i : ingress)
        ips.push_back(!string_member(i, "ip").empty() ? string_member(i, "ip") : string_member(i, "hostname"));
    return ips.empty() ? "<pending>" : join(ips, ",");
  }
  return ips.empty() ? "<none>" : join(ips, ",");
}

std::string selector_text(const Json& selector) {
  if (!selector.is_object() || selector.empty()) return "<none>";
  std::vector<std::string> parts;
  for (const auto& [k, v] : selector.items()) parts.push_back(k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
  return join(parts, ",");
}

std::vector<Column> service_columns() {
  return {name_column(),
          {"Type", "string", 0, "", [](const Json& o, std::int64_t) { return Json(service_type(o)); }},
          {"Cluster-IP", "string", 0, "",
           [](const Json& o, std::int64_t) { return Json(or_none(string_member(member(o, "spec"), "clusterIP"))); }},
          {"External-IP", "string", 0, "", [](const Json& o, std::int64_t) { return Json(service_external_ip(o)); }},
          {"Port(s)", "string", 0, "", [](const Json& o, std::int64_t) { return Json(service_ports(o)); }},
          age_column(),
          {"Selector", "string", 1, "",
           [](const Json& o, std::int64_t) { return Json(selector_text(member(member(o, "spec"), "selector"))); }}};
}

// ---- endpoints ----

std::string endpoints_text(const Json& ep) {
  std::vector<std::string> all;
  const Json& subsets = member(ep, "subsets");
  if (subsets.is_array()) {
    // As kubectl's formatEndpoints: per subset, every address of the first port, then the next port.
    for (const auto& s : subsets) {
      if (!member(s, "addresses").is_array()) continue;
      const Json& ports = member(s, "ports");
      if (!ports.is_array() || ports.empty()) {
        for (const auto& a : member(s, "addresses")) all.push_back(string_member(a, "ip"));
        continue;
      }
      for (const auto& p : ports)
        for (const auto& a : member(s, "addresses"))
          all.push_back(string_member(a, "ip") + ":" + std::to_string(integer(p, "port")));
    }
  }
  if (all.empty()) return "<none>";
  // As kubectl's formatEndpoints: at most three, then "+ N more...".
  std::vector<std::string> shown(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(3, all.size())));
  std::string text = join(shown, ",");
  if (all.size() > 3) text += " + " + std::to_string(all.size() - 3) + " more...";
  return text;
}

// ---- workloads ----

std::string containers_text(const Json& pod_spec, const char* field) {
  std::vector<std::string> names;
  const Json& containers = member(pod_spec, "containers");
  if (containers.is_array())
    for (const auto& c : containers) names.push_back(string_member(c, field));
  return join(names, ",");
}

std::string label_selector_text(const Json& selector) {
  std::vector<std::string> parts;
  const Json& match_labels = member(selector, "matchLabels");
  if (match_labels.is_object())
    for (const auto& [k, v] : match_labels.items())
      parts.push_back(k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
  if (member(selector, "matchExpressions").is_array())
    for (const auto& e : member(selector, "matchExpressions")) {
      std::vector<std::string> values;
      if (member(e, "values").is_array())
        for (const auto& v : member(e, "values")) values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
      std::string op = string_member(e, "operator");
      if (op == "In")
        parts.push_back(string_member(e, "key") + " in (" + join(values, ",") + ")");
      else if (op == "NotIn")
        parts.push_back(string_member(e, "key") + " notin (" + join(values, ",") + ")");
      else if (op == "Exists")
        parts.push_back(string_member(e, "key"));
      else if (op == "DoesNotExist")
        parts.push_back(std::string(1, '!').append(string_member(e, "key")));
    }
  return parts.empty() ? "<none>" : join(parts, ",");
}

std::int64_t replicas(const Json& o) {
  const Json& r = member(member(o, "spec"), "replicas");
  return r.is_number_integer() ? r.get<std::int64_t>() : 1;
}
std::int64_t status_count(const Json& o, const char* field) { return integer(member(o, "status"), field); }

Column containers_column() {
  return {"Containers", "string", 1, "", [](const Json& o, std::int64_t) {
            return Json(containers_text(member(member(member(o, "spec"), "template"), "spec"), "name"));
          }};
}
Column images_column() {
  return {"Images", "string", 1, "", [](const Json& o, std::int64_t) {
            return Json(containers_text(member(member(member(o, "spec"), "template"), "spec"), "image"));
          }};
}
Column workload_selector_column() {
  return {"Selector", "string", 1, "",
          [](const Json& o, std::int64_t) { return Json(label_selector_text(member(member(o, "spec"), "selector"))); }};
}

std::vector<Column> columns_for(const ResourceInfo& r) {
  using C = std::vector<Column>;
  if (r.group.empty()) {
    if (r.kind == "Pod") return pod_columns();
    if (r.kind == "Service") return service_columns();
    if (r.kind == "Endpoints")
      return C{name_column(),
               {"Endpoints", "string", 0, "", [](const Json& o, std::int64_t) { return Json(endpoints_text(o)); }},
               age_column()};
    if (r.kind == "Namespace")
      return C{name_column(),
               {"Status", "string", 0, "",
                [](const Json& o, std::int64_t) {
                  std::string phase = string_member(member(o, "status"), "phase");
                  return Json(phase.empty() ? "Active" : phase);
                }},
               age_column()};
    if (r.kind == "Secret")
      return C{name_column(),
               {"Type", "string", 0, "",
                [](const Json& o, std::int64_t) {
                  std::string type = string_member(o, "type");
                  return Json(type.empty() ? "Opaque" : type);
                }},
               {"Data", "string", 0, "",
                [](const Json& o, std::int64_t) {
                  return Json(static_cast<std::int64_t>(
                      (member(o, "data").is_object() ? member(o, "data").size() : 0) +
                      (member(o, "stringData").is_object() ? member(o, "stringData").size() : 0)));
                }},
               age_column()};
    if (r.kind == "ConfigMap")
      return C{name_column(),
               {"Data", "string", 0, "",
                [](const Json& o, std::int64_t) {
                  return Json(static_cast<std::int64_t>(
                      (member(o, "data").is_object() ? member(o, "data").size() : 0) +
                      (member(o, "binaryData").is_object() ? member(o, "binaryData").size() : 0)));
                }},
               age_column()};
    if (r.kind == "Event")
      return C{
          {"Last Seen", "string", 0, "",
           [](const Json& o, std::int64_t now) {
             auto t = parse_timestamp(string_member(o, "lastTimestamp"));
             return Json(t ? human_duration(now - *t) : "<unknown>");
           }},
          {"Type", "string", 0, "", [](const Json& o, std::int64_t) { return Json(string_member(o, "type")); }},
          {"Reason", "string", 0, "", [](const Json& o, std::int64_t) { return Json(string_member(o, "reason")); }},
          {"Object", "string", 0, "",
           [](const Json& o, std::int64_t) {
             const Json& io = member(o, "involvedObject");
             std::string kind = text::to_lower(string_member(io, "kind"));
             kind += '/';
             kind += string_member(io, "name");
             return Json(kind);
           }},
          {"Message", "string", 0, "", [](const Json& o, std::int64_t) { return Json(string_member(o, "message")); }}};
    if (r.kind == "ServiceAccount")
      return C{
          name_column(),
          {"Secrets", "string", 0, "",
           [](const Json& o, std::int64_t) {
             return Json(static_cast<std::int64_t>(member(o, "secrets").is_array() ? member(o, "secrets").size() : 0));
           }},
          age_column()};
  }
  if (r.group == "apps") {
    if (r.kind == "Deployment")
      return C{name_column(),
               {"Ready", "string", 0, "",
                [](const Json& o, std::int64_t) {
                  return Json(std::to_string(status_count(o, "readyReplicas")) + "/" + std::to_string(replicas(o)));
                }},
               {"Up-to-date", "integer", 0, "",
                [](const Json& o, std::int64_t) { return Json(status_count(o, "updatedReplicas")); }},
               {"Available", "integer", 0, "",
                [](const Json& o, std::int64_t) { return Json(status_count(o, "availableReplicas")); }},
               age_column(), containers_column(), images_column(), workload_selector_column()};
    if (r.kind == "ReplicaSet")
      return C{name_column(),
               {"Desired", "integer", 0, "", [](const Json& o, std::int64_t) { return Json(replicas(o)); }},
               {"Current", "integer", 0, "", [](const Json& o, std::int64_t) { return Json(status_count(o, "replicas")); }},
               {"Ready", "integer", 0, "",
                [](const Json& o, std::int64_t) { return Json(status_count(o, "readyReplicas")); }},
               age_column(), containers_column(), images_column(), workload_selector_column()};
    if (r.kind == "StatefulSet")
      return C{name_column(),
               {"Ready", "string", 0, "",
                [](const Json& o, std::int64_t) {
                  return Json(std::to_string(status_count(o, "readyReplicas")) + "/" + std::to_string(replicas(o)));
                }},
               age_column(), containers_column(), images_column()};
    if (r.kind == "DaemonSet")
      return C{
          name_column(),
          {"Desired", "integer", 0, "",
           [](const Json& o, std::int64_t) { return Json(status_count(o, "desiredNumberScheduled")); }},
          {"Current", "integer", 0, "",
           [](const Json& o, std::int64_t) { return Json(status_count(o, "currentNumberScheduled")); }},
          {"Ready", "integer", 0, "", [](const Json& o, std::int64_t) { return Json(status_count(o, "numberReady")); }},
          {"Up-to-date", "integer", 0, "",
           [](const Json& o, std::int64_t) { return Json(status_count(o, "updatedNumberScheduled")); }},
          {"Available", "integer", 0, "",
           [](const Json& o, std::int64_t) { return Json(status_count(o, "numberAvailable")); }},
          {"Node Selector", "string", 0, "",
           [](const Json& o, std::int64_t) {
             return Json(selector_text(member(member(member(member(o, "spec"), "template"), "spec"), "nodeSelector")));
           }},
          age_column(),
          containers_column(),
          images_column(),
          workload_selector_column()};
  }
  // The additionalPrinterColumns of Istio's CRDs (manifests/charts/base/files/crd-all.gen.yaml).
  auto spec_field = [](const char* field) {
    return [field](const Json& o, std::int64_t) { return json_path_cell(member(member(o, "spec"), field)); };
  };
  if (r.group == "security.istio.io") {
    if (r.kind == "AuthorizationPolicy") return C{name_column(), {"Action", "string", 0, "", spec_field("action")}, age_column()};
    if (r.kind == "PeerAuthentication")
      return C{name_column(),
               {"Mode", "string", 0, "",
                [](const Json& o, std::int64_t) { return json_path_cell(member(member(member(o, "spec"), "mtls"), "mode")); }},
               age_column()};
  }
  if (r.group == "networking.istio.io") {
    if (r.kind == "VirtualService")
      return C{name_column(),
               {"Gateways", "string", 0, "", spec_field("gateways")},
               {"Hosts", "string", 0, "", spec_field("hosts")},
               age_column()};
    if (r.kind == "DestinationRule")
      return C{name_column(), {"Host", "string", 0, "", spec_field("host")}, age_column()};
    if (r.kind == "ServiceEntry")
      return C{name_column(),
               {"Hosts", "string", 0, "", spec_field("hosts")},
               {"Location", "string", 0, "", spec_field("location")},
               {"Resolution", "string", 0, "", spec_field("resolution")},
               age_column()};
  }
  if (r.group == "networking.k8s.io") {
    // Kubernetes' pkg/printers/internalversion printIngress and printIngressClass.
    if (r.kind == "Ingress")
      return C{name_column(),
               {"Class", "string", 0, "", [](const Json& o, std::int64_t) { return Json(ingress_class(o)); }},
               {"Hosts", "string", 0, "", [](const Json& o, std::int64_t) { return Json(ingress_hosts(o)); }},
               {"Address", "string", 0, "", [](const Json& o, std::int64_t) { return Json(ingress_address(o)); }},
               {"Ports", "string", 0, "", [](const Json& o, std::int64_t) { return Json(ingress_ports(o)); }},
               age_column()};
    if (r.kind == "IngressClass")
      return C{name_column(),
               {"Controller", "string", 0, "",
                [](const Json& o, std::int64_t) { return Json(string_member(member(o, "spec"), "controller")); }},
               {"Parameters", "string", 0, "",
                [](const Json& o, std::int64_t) { return Json(ingress_class_parameters(o)); }},
               age_column()};
  }
  if (r.group == "gateway.networking.k8s.io") {
    // The additionalPrinterColumns of the Gateway API's CRDs (v1.6.1 standard channel).
    if (r.kind == "GatewayClass")
      return C{name_column(),
               {"Controller", "string", 0, "", json_path(".spec.controllerName")},
               {"Accepted", "string", 0, "", condition_status("Accepted")},
               age_column(),
               {"Description", "string", 1, "", json_path(".spec.description")}};
    if (r.kind == "Gateway")
      return C{name_column(),
               {"Class", "string", 0, "", json_path(".spec.gatewayClassName")},
               {"Address", "string", 0, "", first_address()},
               {"Programmed", "string", 0, "", condition_status("Programmed")},
               age_column()};
    if (r.kind == "HTTPRoute" || r.kind == "GRPCRoute")
      return C{name_column(), {"Hostnames", "string", 0, "", json_path(".spec.hostnames")}, age_column()};
    if (r.kind == "ListenerSet")
      return C{name_column(),
               {"Accepted", "string", 0, "", condition_status("Accepted")},
               {"Programmed", "string", 0, "", condition_status("Programmed")},
               age_column()};
  }
  return C{name_column(), age_column()};
}

Json row_object(const Json& object, TableOptions::IncludeObject include) {
  if (include == TableOptions::IncludeObject::kObject) return object;
  return {{"kind", "PartialObjectMetadata"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", object.is_object() && object.contains("metadata") ? object["metadata"] : Json::object()}};
}

}  // namespace

std::string human_duration(std::int64_t seconds) {
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return std::to_string(seconds) + "s";
  const std::int64_t minutes = seconds / 60;
  if (minutes < 10) {
    const std::int64_t s = seconds % 60;
    return s == 0 ? std::to_string(minutes) + "m" : std::to_string(minutes) + "m" + std::to_string(s) + "s";
  }
  if (minutes < 60 * 3) return std::to_string(minutes) + "m";
  const std::int64_t hours = seconds / 3600;
  if (hours < 8) {
    const std::int64_t m = minutes % 60;
    return m == 0 ? std::to_string(hours) + "h" : std::to_string(hours) + "h" + std::to_string(m) + "m";
  }
  if (hours < 48) return std::to_string(hours) + "h";
  if (hours < 24 * 8) {
    const std::int64_t h = hours % 24;
    return h == 0 ? std::to_string(hours / 24) + "d" : std::to_string(hours / 24) + "d" + std::to_string(h) + "h";
  }
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    const std::int64_t dy = (hours / 24) % 365;
    const std::string years = std::to_string(hours / 24 / 365) + "y";
    return dy == 0 ? years : years + std::to_string(dy) + "d";
  }
  return std::to_string(hours / 24 / 365) + "y";
}

Json make_table(const ResourceInfo& resource, const std::vector<Json>& objects, const TableOptions& options,
                const std::string& resource_version) {
  const std::vector<Column> columns = columns_for(resource);
  Json definitions = Json::array();
  for (const auto& c : columns)
    definitions.push_back({{"name", c.name},
                           {"type", c.type},
                           {"format", c.format},
                           {"description", ""},
                           {"priority", c.priority}});
  Json rows = Json::array();
  for (const auto& object : objects) {
    Json cells = Json::array();
    for (const auto& c : columns) cells.push_back(c.cell(object, options.now));
    Json row = {{"cells", cells}};
    if (options.include_object != TableOptions::IncludeObject::kNone)
      row["object"] = row_object(object, options.include_object);
    rows.push_back(std::move(row));
  }
  Json meta = Json::object();
  if (!resource_version.empty()) meta["resourceVersion"] = resource_version;
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", meta},
          {"columnDefinitions", definitions},
          {"rows", rows}};
}

}  // namespace gwsim::fakes
