// Paraphrases Istio's pilot/pkg/model/gateway.go MergeGateways; see merged_gateway.h.
#include "engine/route/merged_gateway.h"

#include <algorithm>
#include <set>

#include "engine/host/host_name.h"
#include "engine/model/labels.h"
#include "engine/route/detail_config.h"

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

}  // namespace

const model::Gateway& MergedGateway::find_gateway(const std::string& name) const {
  for (const auto* g : gateways) {
    if (g->meta.namespace_ + "/" + g->meta.name == name) return *g;
  }
  return *gateways.front();
}

std::vector<const model::Gateway*> select_gateways(const model::ConfigSnapshot& snapshot, const model::Labels& labels) {
  std::vector<const model::Gateway*> out;
  for (const auto& gw : snapshot.gateways) {
    if (model::selects(gw.selector, labels)) out.push_back(&gw);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const model::Gateway* a, const model::Gateway* b) { return detail::older(*a, *b); });
  return out;
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
  out.gateways = select_gateways(snapshot, proxy.labels);
  auto warn = [&warnings](std::string message) { warnings.push_back(std::move(message)); };
  std::set<std::uint32_t> gateway_ports;
  std::map<std::uint32_t, ServerPortKey> plain_text;
  std::map<std::uint32_t, std::set<std::string>> non_plain_binds;
  std::map<std::uint32_t, std::map<std::string, std::string>> tls_hosts;  // port -> host -> bind
  for (const auto* gw : out.gateways) {
    const std::string gw_name = gw->meta.namespace_ + "/" + gw->meta.name;
    for (const auto& original : gw->servers) {
      out.servers.push_back(
          ServerRef{&original, sanitize_server_hosts(original, gw->meta.namespace_), gw_name, gw->meta.namespace_});
      const int idx = static_cast<int>(out.servers.size() - 1);
      const model::Server& s = out.servers.back().sanitized;
      const std::uint32_t port = resolve_port(proxy, s.port.number);
      const std::string route_name = gateway_rds_route_name(s, port, *gw);
      if (s.tls) {
        // Duplicate hosts among TLS servers on one port+bind would make ambiguous SNI chains.
        auto& known = tls_hosts[port];
        std::vector<std::string> dups;
        for (const auto& h : s.hosts) {
          auto it = known.find(h);
          if (it != known.end() && it->second == s.bind) dups.push_back(h);
        }
        if (!dups.empty()) {
          warn("skipping server on gateway " + gw_name + ", duplicate host names: " + dups.front());
          continue;
        }
        for (const auto& h : s.hosts) known[h] = s.bind;
      }
      ServerPortKey key{port, text::to_upper(s.port.protocol), s.bind};
      if (!gateway_ports.count(port)) {
        gateway_ports.insert(port);
        add_plain_text(out, idx, key, route_name, plain_text);
        continue;
      }
      if (auto cur = plain_text.find(port); cur != plain_text.end()) {
        const ServerPortKey current = cur->second;
        const bool can_merge = (is_http_protocol(current.protocol) || current.protocol == key.protocol) &&
                               is_http_protocol(key.protocol);
        if (!can_merge && current.bind == key.bind) {
          warn("skipping server on gateway " + gw_name + " port " + s.port.name + "." + std::to_string(port) + "." +
               key.protocol + ": conflict with existing server " + std::to_string(current.port) + "." +
               current.protocol);
          continue;
        }
        if (route_name.empty() && current.bind == key.bind) {
          warn("skipping server on gateway " + gw_name + " port " + std::to_string(port) + ": could not build RDS name");
          continue;
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
        continue;
      }
      if (!is_tls_server(s)) {
        plain_text[port] = key;
        if (is_http_server(s)) out.servers_by_route[route_name] = {idx};
        out.merged[key] = MergedServers{{idx}, route_name};
        out.server_ports.push_back(key);
        continue;
      }
      if (is_http_server(s)) {
        if (route_name.empty() || out.servers_by_route.count(route_name)) {
          warn("skipping server on gateway " + gw_name + " port " + s.port.name + ": non unique port name for HTTPS port");
          continue;
        }
        out.servers_by_route[route_name] = {idx};
      }
      bool new_bind = non_plain_binds[port].insert(key.bind).second;
      if (!s.tls && !new_bind) {
        warn("TLS server without TLS options " + gw_name);
        continue;
      }
      if (!out.merged.count(key)) {
        out.merged[key] = MergedServers{{idx}, ""};
        out.server_ports.push_back(key);
      } else {
        out.merged[key].servers.push_back(idx);
      }
    }
  }
  return out;
}

}  // namespace gwsim::route
