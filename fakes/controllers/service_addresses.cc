#include "fakes/controllers/service_addresses.h"

#include <set>
#include <utility>

#include "engine/model/json_fields.h"

namespace gwsim::fakes {

using model::member;
using model::string_or_empty;

namespace {

std::string service_type(const Json& spec) {
  const std::string type = string_or_empty(member(spec, "type"));
  return type.empty() ? "ClusterIP" : type;
}

// The load balancer address a Service has in its status ("" when none).
std::string ingress_ip(const Json& service) {
  const Json& ingress = member(member(member(service, "status"), "loadBalancer"), "ingress");
  if (!ingress.is_array() || ingress.empty()) return {};
  return string_or_empty(member(ingress[0], "ip"));
}

}  // namespace

void allocate_service_addresses(const ApiStore& store, Json& doc) {
  if (!doc.contains("spec") || !doc["spec"].is_object()) doc["spec"] = Json::object();
  Json& spec = doc["spec"];
  const std::string type = service_type(spec);
  std::set<std::string> ips;
  std::set<std::int64_t> node_ports;
  for (const auto& svc : store.list("", "Service")) {
    const Json& s = member(svc.doc, "spec");
    if (!string_or_empty(member(s, "clusterIP")).empty()) ips.insert(string_or_empty(member(s, "clusterIP")));
    if (member(s, "ports").is_array())
      for (const auto& p : member(s, "ports"))
        if (member(p, "nodePort").is_number_integer()) node_ports.insert(member(p, "nodePort").get<std::int64_t>());
  }
  if (type != "ExternalName" && string_or_empty(member(spec, "clusterIP")).empty()) {
    // 10.96.0.0/12 as a default cluster; 10.96.0.1 is the kubernetes Service of a real one.
    for (std::uint32_t n = 10; n < (1u << 20); ++n) {
      const std::string ip =
          "10." + std::to_string(96 + (n >> 16)) + "." + std::to_string((n >> 8) & 255) + "." + std::to_string(n & 255);
      if (ips.count(ip) || (n & 255) == 0) continue;
      spec["clusterIP"] = ip;
      spec["clusterIPs"] = Json::array({ip});
      break;
    }
  }
  if ((type == "NodePort" || type == "LoadBalancer") && spec.contains("ports") && spec["ports"].is_array()) {
    std::int64_t next = 30000;
    for (auto& p : spec["ports"]) {
      if (!p.is_object() || p.contains("nodePort")) continue;
      while (node_ports.count(next)) ++next;
      if (next > 32767) break;
      p["nodePort"] = next;
      node_ports.insert(next++);
    }
  }
}

std::string load_balancer_ip(std::uint32_t n) {
  // 254 addresses per /24 (no .0 or .255): 192.0.2.x, then 198.51.100.x, then 203.0.113.x.
  static constexpr const char* kRanges[] = {"192.0.2.", "198.51.100.", "203.0.113."};
  const std::uint32_t range = (n / 254) % 3;
  return std::string(kRanges[range]) + std::to_string(n % 254 + 1);
}

int reconcile_load_balancers(ApiStore& store) {
  int written = 0;
  const std::vector<Object> services = store.list("", "Service");
  std::set<std::string> used;
  for (const Object& svc : services)
    if (service_type(member(svc.doc, "spec")) == "LoadBalancer" && !ingress_ip(svc.doc).empty())
      used.insert(ingress_ip(svc.doc));
  std::uint32_t next = 0;
  for (const Object& svc : services) {
    const Json& spec = member(svc.doc, "spec");
    const Json& current = member(svc.doc, "status");
    Json status = current.is_object() ? current : Json::object();
    if (service_type(spec) == "LoadBalancer") {
      std::string ip = string_or_empty(member(spec, "loadBalancerIP"));
      if (ip.empty()) ip = ingress_ip(svc.doc);
      if (ip.empty()) {
        do ip = load_balancer_ip(next++);
        while (used.count(ip) && next < 3 * 254);
        used.insert(ip);
      }
      status["loadBalancer"] = {{"ingress", Json::array({{{"ip", ip}, {"ipMode", "VIP"}}})}};
    } else {
      if (!member(member(status, "loadBalancer"), "ingress").is_array()) continue;
      status["loadBalancer"] = Json::object();
    }
    if (status == current) continue;
    if (store.update_status(key_of(svc), std::move(status)).ok()) ++written;
  }
  return written;
}

}  // namespace gwsim::fakes
