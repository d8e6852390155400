#include "runtime/ingress_install.h"

#include <tuple>
#include <utility>

#include "engine/model/json_fields.h"

namespace gwsim::runtime {

using model::Json;
using model::member;
using model::string_or_empty;

namespace {

model::Object make_object(Json doc) {
  model::Object object;
  object.doc = std::move(doc);
  return object;
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
  auto labelled = [](const Json& labels) { return string_or_empty(member(labels, "istio")) == "ingressgateway"; };
  for (const char* kind : {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"})
    for (const model::Object& w : store.list("apps", kind))
      if (labelled(member(member(member(member(w.doc, "spec"), "template"), "metadata"), "labels"))) return true;
  for (const model::Object& pod : store.list("", "Pod"))
    if (labelled(member(member(pod.doc, "metadata"), "labels"))) return true;
  return false;
}

}  // namespace gwsim::runtime
