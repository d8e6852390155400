#include "runtime/gateway_services.h"

#include <set>
#include <tuple>
#include <utility>

#include "engine/model/snapshot.h"
#include "runtime/control_plane.h"

namespace gwsim::runtime {

namespace {

using model::Json;

const Json& null_json() {
  static const Json null = nullptr;
  return null;
}

const Json& at(const Json& parent, const char* key) {
  if (!parent.is_object()) return null_json();
  auto it = parent.find(key);
  return it == parent.end() ? null_json() : *it;
}

std::string str(const Json& value) { return value.is_string() ? value.get<std::string>() : std::string(); }

model::Object make_object(Json doc) {
  model::Object object;
  object.doc = std::move(doc);
  return object;
}

std::string key(const std::string& ns, const std::string& name) { return ns + "/" + name; }

bool subset_of(const model::Labels& selector, const model::Labels& labels) {
  for (const auto& [k, v] : selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

}  // namespace

std::vector<model::Object> default_ingress_gateway_objects() {
  const Json labels = {{"app", "istio-ingressgateway"}, {"istio", "ingressgateway"}};
  Json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "istio-system"}}}};

  Json container_ports = Json::array();
  for (int port : {15021, 8080, 8443})
    container_ports.push_back({{"containerPort", port}, {"protocol", "TCP"}});
  Json deployment = {
      {"apiVersion", "apps/v1"},
      {"kind", "Deployment"},
      {"metadata", {{"name", "istio-ingressgateway"}, {"namespace", "istio-system"}, {"labels", labels}}},
      {"spec",
       {{"replicas", 1},
        {"selector", {{"matchLabels", labels}}},
        {"template",
         {{"metadata", {{"labels", labels}}},
          {"spec",
           {{"containers", Json::array({{{"name", "istio-proxy"},
                                         {"image", "docker.io/istio/proxyv2"},
                                         {"ports", container_ports}}})}}}}}}}};

  Json service_ports = Json::array();
  for (const auto& [name, port, target] : {std::tuple<const char*, int, int>{"status-port", 15021, 15021},
                                           {"http2", 80, 8080},
                                           {"https", 443, 8443}})
    service_ports.push_back({{"name", name}, {"port", port}, {"targetPort", target}, {"protocol", "TCP"}});
  Json service = {
      {"apiVersion", "v1"},
      {"kind", "Service"},
      {"metadata", {{"name", "istio-ingressgateway"}, {"namespace", "istio-system"}, {"labels", labels}}},
      {"spec", {{"type", "LoadBalancer"}, {"selector", labels}, {"ports", service_ports}}}};

  return {make_object(std::move(ns)), make_object(std::move(deployment)), make_object(std::move(service))};
}

bool has_ingress_gateway(const fakes::ApiStore& store) {
  if (store.get({"", "Service", "istio-system", "istio-ingressgateway"})) return true;
  auto labelled = [](const Json& labels) { return str(at(labels, "istio")) == "ingressgateway"; };
  for (const char* kind : {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"})
    for (const model::Object& w : store.list("apps", kind))
      if (labelled(at(at(at(at(w.doc, "spec"), "template"), "metadata"), "labels"))) return true;
  for (const model::Object& pod : store.list("", "Pod"))
    if (labelled(at(at(pod.doc, "metadata"), "labels"))) return true;
  return false;
}

std::vector<std::string> gateway_services(ControlPlane& control_plane) {
  std::set<std::string> out;
  control_plane.read_snapshot([&out](const model::ConfigSnapshot& snap) {
    for (const auto& s : snap.services) {
      if (s.selector.empty()) continue;
      bool gateway = key(s.meta.namespace_, s.meta.name) == kDefaultIngressGateway;
      for (const auto& p : snap.pods) {
        if (gateway) break;
        if (p.meta.namespace_ != s.meta.namespace_ || !subset_of(s.selector, p.meta.labels)) continue;
        auto istio = p.meta.labels.find("istio");
        if (istio != p.meta.labels.end() && istio->second == "ingressgateway") gateway = true;
        for (const auto& g : snap.gateways)
          if (!g.selector.empty() && subset_of(g.selector, p.meta.labels)) gateway = true;
      }
      if (gateway) out.insert(key(s.meta.namespace_, s.meta.name));
    }
  });
  std::vector<std::string> sorted;
  if (out.count(kDefaultIngressGateway)) sorted.push_back(kDefaultIngressGateway);
  for (const auto& g : out)
    if (g != kDefaultIngressGateway) sorted.push_back(g);
  return sorted;
}

}  // namespace gwsim::runtime
