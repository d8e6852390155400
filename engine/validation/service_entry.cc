// Istio's webhook for ServiceEntry: paraphrases pkg/config/validation/validation.go
// ValidateServiceEntry (and validateWorkloadEntry for its endpoints), check by check.
#include <set>

#include "engine/host/host_name.h"
#include "engine/validation/detail_fields.h"
#include "engine/validation/detail_kinds.h"
#include "engine/validation/detail_rules.h"

namespace gwsim::validation::detail {

namespace {

Errors validate_workload_entry(const Json& we, const std::set<std::string>& service_ports) {
  Errors e;
  std::string address = string_member(we, "address");
  bool unix_endpoint = false;
  if (address.empty()) {
    if (string_member(we, "network").empty()) {
      e.add("address is required");
      return e;
    }
    e.warn("address is unset with network " + go_quote(string_member(we, "network")));
  }
  if (address.rfind("unix://", 0) == 0) {
    unix_endpoint = true;
    e.add(validate_unix_address(address.substr(7)));
    if (!members(we, "ports").empty()) e.add("unix endpoint " + address + " must not include ports");
  } else if (!address.empty() && !is_ip_address(address)) {
    e.add("endpoint address " + go_quote(address) + " is not a valid IP address");
  }
  for (const auto& [name, port] : members(we, "ports").items()) {
    std::int64_t p = port.is_number() ? static_cast<std::int64_t>(port.get<double>()) : 0;
    if (!service_ports.count(name)) e.add("endpoint port " + std::to_string(p) + " is not defined by the service entry");
    e.add(validate_port_name(name));
    e.add(validate_port(p));
  }
  e.add(validate_labels(string_map(we, "labels")));
  if (unix_endpoint && service_ports.size() != 1) e.add("exactly 1 service port required for unix endpoints");
  return e;
}

}  // namespace

Errors validate_service_entry(const model::Object& object, const std::string& ns, const Json& spec) {
  Errors e;
  const Json* selector = get(spec, "workloadSelector");
  if (selector) {
    Errors sel;
    auto labels = string_map(*selector, "labels");
    for (const auto& [k, v] : labels) {
      if (k.empty()) sel.add("empty key is not supported in selector: " + go_quote(k + "=" + v));
      if (k.find('*') != std::string::npos || v.find('*') != std::string::npos) {
        sel.add("wildcard is not supported in selector: " + go_quote(k + "=" + v));
      }
    }
    if (!sel.empty()) return sel;  // Istio returns these alone
    if (labels.empty()) {
      e.warn("service entry: workload selector specified without labels, will be applied to all services in namespace");
    }
  }
  const bool has_endpoints = get(spec, "endpoints") != nullptr;
  if (selector && has_endpoints) e.add("only one of WorkloadSelector or Endpoints is allowed in Service Entry");
  std::vector<std::string> hosts = strings(spec, "hosts");
  std::string resolution = string_member(spec, "resolution");
  if (resolution.empty()) resolution = "NONE";
  if (hosts.empty()) e.add("service entry must have at least one host");
  for (const auto& h : hosts) {
    if (h == "*") {
      e.add("invalid host " + h);
    } else {
      e.add(validate_wildcard_domain(h));
      if (resolution != "DYNAMIC_DNS") {
        if (auto w = validate_partial_wildcard(h)) e.warn(*w);
      }
    }
  }
  std::vector<std::string> addresses = strings(spec, "addresses");
  bool cidr = false;
  for (const auto& a : addresses) {
    cidr = cidr || a.find('/') != std::string::npos;
    e.add(validate_ip_subnet(a));
  }
  if (cidr && resolution != "NONE" && resolution != "STATIC") {
    e.add("CIDR addresses are allowed only for NONE/STATIC resolution types");
  }
  const auto labels = string_map(object.doc.value("metadata", Json::object()), "labels");
  auto auto_allocate = labels.find("networking.istio.io/enable-autoallocate-ip");
  const bool auto_allocation = auto_allocate != labels.end() && auto_allocate->second == "true";
  std::set<std::string> port_names;
  std::set<std::int64_t> port_numbers;
  const Json& ports = list(spec, "ports");
  for (const auto& p : ports) {
    std::string name = string_member(p, "name");
    std::int64_t number = integer(p, "number");
    if (!port_names.insert(name).second) e.add("service entry port name " + go_quote(name) + " already defined");
    if (!port_numbers.insert(number).second) e.add("service entry port " + std::to_string(number) + " already defined");
    if (integer(p, "targetPort") != 0) e.add(validate_port(integer(p, "targetPort")));
    std::string protocol = string_member(p, "protocol");
    if (addresses.empty() && !auto_allocation && (protocol.empty() || protocol == "TCP")) {
      e.warn("addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled");
    }
    e.add(validate_port_name(name));
    if (!protocol.empty() && parse_protocol(protocol).empty()) e.add("unsupported protocol: " + protocol);
    e.add(validate_port(number));
  }
  const Json& endpoints = list(spec, "endpoints");
  if (resolution == "NONE") {
    if (!endpoints.empty()) e.add("no endpoints should be provided for resolution type none");
    if (selector) e.warn("workloadSelector should not be set when resolution mode is NONE");
  } else if (resolution == "STATIC") {
    for (const auto& ep : endpoints) e.add(validate_workload_entry(ep, port_names));
  } else if (resolution == "DNS" || resolution == "DNS_ROUND_ROBIN") {
    if (endpoints.empty()) {
      for (const auto& h : hosts) {
        if (auto err = validate_fqdn(h)) {
          e.add("hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode " +
                resolution + ", " + *err);
          break;
        }
      }
    }
    if (resolution == "DNS_ROUND_ROBIN" && endpoints.size() > 1) {
      e.add("there must only be 0 or 1 endpoint for resolution mode " + resolution);
    }
    for (const auto& ep : endpoints) {
      std::string address = string_member(ep, "address");
      if (!is_ip_address(address) && validate_fqdn(address)) {
        e.add("endpoint address " + go_quote(address) + " is not a valid FQDN or an IP address");
      }
      e.add(validate_labels(string_map(ep, "labels")));
      for (const auto& [name, port] : members(ep, "ports").items()) {
        std::int64_t p = port.is_number() ? static_cast<std::int64_t>(port.get<double>()) : 0;
        if (!port_names.count(name)) e.add("endpoint port " + std::to_string(p) + " is not defined by the service entry");
        e.add(validate_port_name(name));
        e.add(validate_port(p));
      }
    }
    if (!addresses.empty()) {
      for (const auto& p : ports) {
        if (protocol_is_tcp(parse_protocol(string_member(p, "protocol")))) {
          if (hosts.size() > 1) {
            e.warn("service entry can not have more than one host specified simultaneously with address and tcp port");
          }
          break;
        }
      }
    }
  } else if (resolution == "DYNAMIC_DNS") {
    if (hosts.empty()) e.add("at least one wildcard host must be provided for resolution type " + resolution);
    for (const auto& h : hosts) {
      if (!host::is_wildcard(h)) e.add("host must be wildcarded for resolution mode " + resolution);
    }
    if (!addresses.empty()) {
      e.add("addresses cannot be set for resolution type " + resolution +
            ". HTTP route domains will only be generatedfrom the hosts field values");
    }
    if (!endpoints.empty()) {
      e.add("endpoints cannot be set for resolution type " + resolution +
            ". Destination IP address determined from hostsfield values");
    }
    for (const auto& p : ports) {
      std::string proto = parse_protocol(string_member(p, "protocol"));
      if (proto != "HTTP" && proto != "TLS" && proto != "GRPC" && proto != "HTTP2") {
        e.add("only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type " + resolution);
      }
    }
    auto waypoint = labels.find("istio.io/use-waypoint");
    bool uses_waypoint = waypoint != labels.end() && !waypoint->second.empty() && to_lower(waypoint->second) != "none";
    if (string_member(spec, "location") == "MESH_INTERNAL" && uses_waypoint) {
      e.add("location MESH_INTERNAL with resolution type " + resolution + " is not supported when using waypoints");
    }
  }
  if (resolution != "NONE" && hosts.size() > 1) {
    for (const auto& p : ports) {
      std::string proto = parse_protocol(string_member(p, "protocol"));
      if (!protocol_is_http(proto) && !protocol_is_tls(proto)) {
        e.add("multiple hosts provided with non-HTTP, non-TLS ports");
        break;
      }
    }
  }
  e.add(validate_export_to(ns, strings(spec, "exportTo"), true, false));
  return e;
}

// validateMetadata: annotations that the webhook refuses on every kind it validates.

}  // namespace gwsim::validation::detail
