// Paraphrases Istio's pilot/pkg/model/gateway.go MergeGateways; see merged_gateway.h.
#include "engine/route/merged_gateway.h"

#include <algorithm>
#include <set>

#include "engine/host/host_name.h"
#include "engine/model/labels.h"
#include "engine/route/detail_config.h"
#include "engine/route/internal_annotations.h"

namespace gwsim::route {

namespace {

using detail::is_http_protocol;
using detail::is_http_server;
using detail::is_tls_server;

void add_plain_text(MergedGateway& out, int idx, const ServerPortKey& key, const std::string& route_name,
                    std::map<std::uint32_t, ServerPortKey>& plain_text) {
  const model::Server& s = out.servers[idx].sanitized;
  if (!is_tls_server(s)) plain_text[key.port] = key;
  if (is_http_server(s)) out.servers_by_route[route_name] = {idx};
  out.merged[key] = MergedServers{{idx}, route_name};
  out.server_ports.push_back(key);
}

// What merging has seen so far, across Gateways (mergeGateways' local maps).
struct MergeState {
  std::set<std::uint32_t> gateway_ports;
  std::map<std::uint32_t, ServerPortKey> plain_text;
  std::map<std::uint32_t, std::set<std::string>> non_plain_binds;
  std::map<std::uint32_t, std::map<std::string, std::string>> tls_hosts;  // port -> host -> bind
};

// mergeGateways' body for one server (out.servers[idx]) at one resolved listen port.
template <typename Warn>
void merge_server(MergedGateway& out, MergeState& st, const model::Gateway& gw, const std::string& gw_name, int idx,
                  std::uint32_t port, const Warn& warn) {
  const model::Server& s = out.servers[idx].sanitized;
  auto& plain_text = st.plain_text;
  const std::string route_name = gateway_rds_route_name(s, port, gw);
  if (s.tls) {
    // Duplicate hosts among TLS servers on one port+bind would make ambiguous SNI chains.
    auto& known = st.tls_hosts[port];
    std::vector<std::string> dups;
    for (const auto& h : s.hosts) {
      auto it = known.find(h);
      if (it != known.end() && it->second == s.bind) dups.push_back(h);
    }
    if (!dups.empty()) {
      warn("skipping server on gateway " + gw_name + ", duplicate host names: " + dups.front());
      return;
    }
    for (const auto& h : s.hosts) known[h] = s.bind;
  }
  ServerPortKey key{port, text::to_upper(s.port.protocol), s.bind};
  if (!st.gateway_ports.count(port)) {
    st.gateway_ports.insert(port);
    add_plain_text(out, idx, key, route_name, plain_text);
    return;
  }
  if (auto cur = plain_text.find(port); cur != plain_text.end()) {
    const ServerPortKey current = cur->second;
    const bool can_merge =
        (is_http_protocol(current.protocol) || current.protocol == key.protocol) && is_http_protocol(key.protocol);
    if (!can_merge && current.bind == key.bind) {
      warn("skipping server on gateway " + gw_name + " port " + s.port.name + "." + std::to_string(port) + "." +
           key.protocol + ": conflict with existing server " + std::to_string(current.port) + "." + current.protocol);
      return;
    }
    if (route_name.empty() && current.bind == key.bind) {
      warn("skipping server on gateway " + gw_name + " port " + std::to_string(port) + ": could not build RDS name");
      return;
    }
    if (current.bind != key.bind) {
      if (!out.merged.count(key)) {
        add_plain_text(out, idx, key, route_name, plain_text);
      } else {
        out.merged[key].route_name = route_name;
        out.merged[key].servers.push_back(idx);
        out.servers_by_route[route_name].push_back(idx);
      }
    } else {
      out.merged[current].servers.push_back(idx);
      out.servers_by_route[route_name].push_back(idx);
    }
    return;
  }
  if (!is_tls_server(s)) {
    plain_text[port] = key;
    if (is_http_server(s)) out.servers_by_route[route_name] = {idx};
    out.merged[key] = MergedServers{{idx}, route_name};
    out.server_ports.push_back(key);
    return;
  }
  if (is_http_server(s)) {
    if (route_name.empty() || out.servers_by_route.count(route_name)) {
      warn("skipping server on gateway " + gw_name + " port " + s.port.name + ": non unique port name for HTTPS port");
      return;
    }
    out.servers_by_route[route_name] = {idx};
  }
  bool new_bind = st.non_plain_binds[port].insert(key.bind).second;
  if (!s.tls && !new_bind) {
    warn("TLS server without TLS options " + gw_name);
    return;
  }
  if (!out.merged.count(key)) {
    out.merged[key] = MergedServers{{idx}, ""};
    out.server_ports.push_back(key);
  } else {
    out.merged[key].servers.push_back(idx);
  }
}

}  // namespace

const model::Gateway& MergedGateway::find_gateway(const std::string& name) const {
  for (const auto* g : gateways) {
    if (g->meta.namespace_ + "/" + g->meta.name == name) return *g;
  }
  return *gateways.front();
}

// push_context.go mergeGateways: a Gateway with internal.istio.io/gateway-service applies to the
// workloads of the Services it names (by hostname, in the Gateway's namespace or its
// internal.istio.io/parent-namespace) and has no selector; any other Gateway applies when its
// selector is a subset of the pod's labels (no selector: every gateway workload).
std::vector<const model::Gateway*> select_gateways(const model::ConfigSnapshot& snapshot, const GatewayProxy& proxy,
                                                   std::vector<std::string>* warnings) {
  std::vector<const model::Gateway*> out;
  for (const auto& gw : snapshot.gateways) {
    const bool applies = has_gateway_service(gw.meta) ? !resolve_service_ports(gw, proxy, 0, /*any_port=*/true).empty()
                                                      : model::selects(gw.selector, proxy.labels);
    if (applies) out.push_back(&gw);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const model::Gateway* a, const model::Gateway* b) { return detail::older(*a, *b); });
  // push_context.go filterStrictGatewayMerging (PILOT_ENABLE_STRICT_GATEWAY_MERGING, on by
  // default): once a Gateway API Gateway with a managed deployment (a service account) applies,
  // other Gateways apply only from its namespace(s), so no credential leaks across namespaces.
  std::set<std::string> managed;
  for (const auto* gw : out) {
    if (is_gateway_api_gateway(gw->meta) && !annotation(gw->meta, kServiceAccountAnnotation).empty()) {
      managed.insert(gw->meta.namespace_);
    }
  }
  if (managed.empty()) return out;
  std::erase_if(out, [&](const model::Gateway* gw) {
    if (is_gateway_api_gateway(gw->meta) || managed.count(gw->meta.namespace_)) return false;
    if (warnings) {
      warnings->push_back("strict gateway merging: skipping gateway " + gw->meta.namespace_ + "/" + gw->meta.name +
                          " not in managed GatewayAPI namespace");
    }
    return true;
  });
  return out;
}

std::vector<std::uint32_t> resolve_service_ports(const model::Gateway& gw, const GatewayProxy& proxy,
                                                 std::uint32_t server_port, bool any_port) {
  const auto hostnames = gateway_service_hostnames(gw.meta);
  std::string ns = annotation(gw.meta, kParentNamespaceAnnotation);
  if (ns.empty()) ns = gw.meta.namespace_;
  std::set<std::uint32_t> ports;
  for (const auto& target : proxy.service_targets) {
    if (target.namespace_ != ns || std::find(hostnames.begin(), hostnames.end(), target.hostname) == hostnames.end()) {
      continue;
    }
    for (const auto& [port, listen] : target.ports) {
      if (any_port || port == server_port) ports.insert(listen);
    }
  }
  return {ports.begin(), ports.end()};
}

std::uint32_t resolve_port(const GatewayProxy& proxy, std::uint32_t number) {
  auto it = proxy.translated_ports.find(number);
  return it == proxy.translated_ports.end() ? number : it->second;
}

model::Server sanitize_server_hosts(const model::Server& in, const std::string& ns) {
  model::Server s = in;
  for (std::size_t i = 0; i < s.hosts.size(); ++i) {
    auto sh = host::parse_server_host(s.hosts[i]);
    if (s.hosts[i].find('/') == std::string::npos) continue;
    if (sh.namespace_ == ".") {
      s.hosts[i] = ns + "/" + sh.dns_name;
    } else if (sh.namespace_ == "*") {
      if (sh.dns_name == "*") {
        s.hosts = {"*"};  // Istio replaces the whole list here
        break;
      }
      s.hosts[i] = sh.dns_name;
    }
  }
  return s;
}

std::string gateway_rds_route_name(const model::Server& s, std::uint32_t port, const model::Gateway& gw) {
  std::string bind = s.bind.empty() ? "" : "." + s.bind;
  if (is_http_protocol(s.port.protocol)) return "http." + std::to_string(port) + bind;
  if (text::to_upper(s.port.protocol) == "HTTPS" && !detail::is_passthrough(s)) {
    return "https." + std::to_string(s.port.number) + "." + s.port.name + "." + gw.meta.name + "." +
           gw.meta.namespace_ + bind;
  }
  return "";
}

// HTTP/HTTPS/TLS/TCP server merging per port.
MergedGateway merge_gateways(const model::ConfigSnapshot& snapshot, const GatewayProxy& proxy,
                             std::vector<std::string>& warnings) {
  MergedGateway out;
  out.gateways = select_gateways(snapshot, proxy, &warnings);
  auto warn = [&warnings](std::string message) { warnings.push_back(std::move(message)); };
  MergeState state;
  for (const auto* gw : out.gateways) {
    const std::string gw_name = gw->meta.namespace_ + "/" + gw->meta.name;
    const bool service_bound = has_gateway_service(gw->meta);
    for (const auto& original : gw->servers) {
      out.servers.push_back(
          ServerRef{&original, sanitize_server_hosts(original, gw->meta.namespace_), gw_name, gw->meta.namespace_});
      const int idx = static_cast<int>(out.servers.size() - 1);
      const model::Server& s = out.servers.back().sanitized;
      // gateway.go resolvePorts: a selector-bound Gateway listens on one port (translated, or the
      // server port as is); a Service-bound one on every targetPort of the named Services' port
      // equal to the server port, and on none when they have no such port.
      std::vector<std::uint32_t> ports = service_bound ? resolve_service_ports(*gw, proxy, s.port.number)
                                                       : std::vector<std::uint32_t>{resolve_port(proxy, s.port.number)};
      if (ports.empty()) {
        warn("server port " + std::to_string(s.port.number) + " of gateway " + gw_name +
             " is not a port of its gateway Service: the server is not used");
      }
      for (const std::uint32_t port : ports) merge_server(out, state, *gw, gw_name, idx, port, warn);
    }
  }
  return out;
}

}  // namespace gwsim::route
