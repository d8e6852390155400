// Builds typed snapshots by hand for engine tests, so they need neither YAML nor the fakes.
#pragma once

#include <string>
#include <vector>

#include "engine/model/snapshot.h"

namespace gwsim::testing {

using namespace model;

inline Meta meta(std::string ns, std::string name, std::int64_t created = 0, Labels labels = {}) {
  Meta m;
  m.namespace_ = std::move(ns);
  m.name = std::move(name);
  m.creation_time = created;
  m.labels = std::move(labels);
  return m;
}

class WorldBuilder {
 public:
  WorldBuilder() {
    // The default ingress gateway: Service port 80 -> pod port 8080.
    Service gw;
    gw.meta = meta("istio-system", "istio-ingressgateway");
    gw.selector = {{"istio", "ingressgateway"}};
    gw.ports = {port("http2", 80, 8080), port("https", 443, 8443)};
    snap.services.push_back(gw);
    add_pod("istio-system", "istio-ingressgateway-1", {{"app", "istio-ingressgateway"}, {"istio", "ingressgateway"}});
  }

  static ServicePort port(std::string name, int port, int target = 0) {
    ServicePort p;
    p.name = std::move(name);
    p.port = port;
    p.target_port_number = target ? target : port;
    return p;
  }

  Pod& add_pod(const std::string& ns, const std::string& name, Labels labels, bool ready = true) {
    Pod p;
    p.meta = meta(ns, name, 0, std::move(labels));
    p.ip = "127.1.0." + std::to_string(++ip_);
    p.ready = ready;
    snap.pods.push_back(p);
    return snap.pods.back();
  }

  // A Service with pods: `pods` name -> labels. Endpoints are derived like the controller does.
  void add_service(const std::string& ns, const std::string& name, Labels selector, std::vector<ServicePort> ports,
                   std::vector<std::pair<std::string, Labels>> pods) {
    Service s;
    s.meta = meta(ns, name);
    s.selector = selector;
    s.ports = ports;
    snap.services.push_back(s);
    Endpoints e;
    e.meta = meta(ns, name);
    EndpointSubset subset;
    for (auto& [pod_name, labels] : pods) {
      Pod& p = add_pod(ns, pod_name, labels);
      subset.addresses.push_back(EndpointAddress{p.ip, p.meta.name, ns, p.ready});
    }
    for (const auto& sp : ports) subset.ports.push_back(EndpointPort{sp.name, sp.target_port_number});
    e.subsets.push_back(subset);
    snap.endpoints.push_back(e);
  }

  Gateway& add_gateway(const std::string& ns, const std::string& name, std::vector<std::string> hosts,
                       std::uint32_t port = 80, std::int64_t created = 0) {
    Gateway g;
    g.meta = meta(ns, name, created);
    g.selector = {{"istio", "ingressgateway"}};
    Server s;
    s.port = GatewayPort{port, "HTTP", "http-" + std::to_string(port), 0};
    s.hosts = std::move(hosts);
    g.servers.push_back(s);
    snap.gateways.push_back(g);
    return snap.gateways.back();
  }

  VirtualService& add_vs(const std::string& ns, const std::string& name, std::vector<std::string> hosts,
                         std::vector<std::string> gateways, std::vector<HTTPRoute> http, std::int64_t created = 0) {
    VirtualService vs;
    vs.meta = meta(ns, name, created);
    vs.hosts = std::move(hosts);
    vs.gateways = std::move(gateways);
    vs.http = std::move(http);
    snap.virtual_services.push_back(vs);
    return snap.virtual_services.back();
  }

  DestinationRule& add_dr(const std::string& ns, const std::string& name, std::string host,
                          std::vector<Subset> subsets) {
    DestinationRule dr;
    dr.meta = meta(ns, name);
    dr.host = std::move(host);
    dr.subsets = std::move(subsets);
    snap.destination_rules.push_back(dr);
    return snap.destination_rules.back();
  }

  ConfigSnapshot snap;

 private:
  int ip_ = 1;
};

inline HTTPRoute route_to(std::string host, std::string subset = "", std::uint32_t port = 0, std::string name = "") {
  HTTPRoute r;
  r.name = std::move(name);
  HTTPRouteDestination d;
  d.destination.host = std::move(host);
  d.destination.subset = std::move(subset);
  if (port) d.destination.port = PortSelector{port};
  r.route.push_back(d);
  return r;
}

inline HTTPMatchRequest uri(StringMatch::Kind kind, std::string value) {
  HTTPMatchRequest m;
  m.uri = StringMatch{kind, std::move(value)};
  return m;
}

}  // namespace gwsim::testing
