// Paraphrases Istio's core/gateway.go buildGatewayListeners; see listener.h.
#include "engine/route/listener.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/host/host_name.h"
#include "engine/route/compile_context.h"
#include "engine/route/detail_config.h"
#include "engine/route/internal_annotations.h"
#include "engine/route/route_configuration.h"
#include "engine/route/tls_credentials.h"

namespace gwsim::route {

namespace {

using model::Server;
using model::VirtualService;

// pkg/config/gateway: IsHTTPSServerWithTLSTermination.
bool terminates_https(const Server& s) {
  return s.tls && text::to_upper(s.port.protocol) == "HTTPS" && !detail::is_passthrough(s);
}

// Istio's SDS lookup for credentialName, in the gateway workload's namespace.
void resolve_credential(const CompileContext& ctx, FilterChain& chain) {
  auto credential = gateway_credential(*chain.tls, ctx.snapshot.secrets, ctx.proxy_namespace());
  if (!credential.ok()) {
    chain.credential_error = credential.error().message;
    return;
  }
  chain.credential = std::move(credential.value());
}

// gateway.go l4SingleMatch: the match's port (if any) is the server port, and its gateways
// (if any) include this one.
bool l4_match(std::uint32_t match_port, const std::vector<std::string>& gateways, const Server& s,
              const std::string& gateway) {
  if (match_port != 0 && match_port != s.port.number) return false;
  return gateways.empty() || std::find(gateways.begin(), gateways.end(), gateway) != gateways.end();
}

// gateway.go pickMatchingGatewayHosts: any VirtualService host overlapping a server host
// (a "ns/" prefix must name the VirtualService's namespace).
bool vs_hosts_overlap(const Server& s, const VirtualService& vs) {
  for (const auto& vh : vs.hosts) {
    for (const auto& h : s.hosts) {
      auto sh = host::parse_server_host(h);
      if (!sh.namespace_.empty() && sh.namespace_ != vs.meta.namespace_) continue;
      if (host::matches(sh.dns_name, vh)) return true;
    }
  }
  return false;
}

void set_tcp_destinations(const CompileContext& ctx, FilterChain& chain,
                          const std::vector<model::RouteDestination>& routes, const VirtualService& vs,
                          std::uint32_t server_port) {
  chain.http = false;
  chain.virtual_service = vs.meta.namespace_ + "/" + vs.meta.name;
  // TCP chains are rebuilt on every compile, so the Service lookups they make are not kept.
  PortLookups uncached;
  for (const auto& r : routes) {
    if (routes.size() > 1 && r.weight.value_or(0) == 0) continue;
    WeightedCluster wc = destination_cluster(ctx.translation_scope(), r.destination, vs.meta.namespace_, server_port,
                                             uncached);
    wc.weight = routes.size() > 1 ? static_cast<std::uint32_t>(*r.weight) : 100;
    chain.tcp_total_weight += wc.weight;
    chain.tcp_clusters.push_back(std::move(wc));
  }
}

FilterChain base_chain(const ServerRef& ref) {
  FilterChain chain;
  chain.server_port = ref.sanitized.port.number;
  chain.gateway = ref.gateway;
  if (ref.sanitized.tls) {
    chain.tls = ref.sanitized.tls;
    chain.tls_mode = ref.sanitized.tls->mode.empty() ? "PASSTHROUGH" : ref.sanitized.tls->mode;
  }
  return chain;
}

// gateway.go buildGatewayNetworkFiltersFromTCPRoutes: the first bound VirtualService with a
// tcp block matching this server wins the whole server (or, generated from a TLSRoute, a tls
// block on a terminating server).
bool tcp_route_chain(const CompileContext& ctx, FilterChain& chain, const ServerRef& ref) {
  const Server& s = ref.sanitized;
  for (const VirtualService* vs : virtual_services_for_gateway(ctx.virtual_services, ref.gateway, ctx.proxy_namespace())) {
    if (!vs_hosts_overlap(s, *vs)) continue;
    for (const auto& tcp : vs->tcp) {
      bool any = tcp.match.empty();
      for (const auto& m : tcp.match) any = any || l4_match(m.port, m.gateways, s, ref.gateway);
      if (!any || tcp.route.empty()) continue;
      set_tcp_destinations(ctx, chain, tcp.route, *vs, s.port.number);
      chain.source = tcp.source;
      return true;
    }
    // A TLSRoute's VirtualService (internal.istio.io/parents "TLSRoute/...") has tls blocks
    // only; on a terminating server its first matching one is the TCP route.
    if (annotation(vs->meta, kParentsAnnotation).starts_with("TLSRoute/") && !detail::is_passthrough(s)) {
      for (const auto& tls : vs->tls) {
        for (const auto& m : tls.match) {
          if (!l4_match(m.port, m.gateways, s, ref.gateway)) continue;
          set_tcp_destinations(ctx, chain, tls.route, *vs, s.port.number);
          chain.source = tls.source;
          return true;
        }
      }
    }
  }
  return false;
}

// gateway.go buildGatewayNetworkFiltersFromTLSRoutes: one chain per matching tls route match,
// its sniHosts the SNI criterion; duplicate SNI hosts on a port are skipped.
void passthrough_chains(CompileContext& ctx, std::vector<FilterChain>& out, const ServerRef& ref,
                        std::uint32_t listen_port, std::map<std::uint32_t, std::map<std::string, std::string>>& sni_by_port) {
  const Server& s = ref.sanitized;
  if (s.tls->mode == "AUTO_PASSTHROUGH") {
    ctx.warn("AUTO_PASSTHROUGH server on gateway " + ref.gateway + " port " + std::to_string(s.port.number) +
             " is not simulated yet");
    return;
  }
  for (const VirtualService* vs : virtual_services_for_gateway(ctx.virtual_services, ref.gateway, ctx.proxy_namespace())) {
    if (!vs_hosts_overlap(s, *vs)) continue;
    for (std::size_t i = 0; i < vs->tls.size(); ++i) {
      const auto& tls = vs->tls[i];
      if (tls.route.empty()) continue;
      for (const auto& m : tls.match) {
        if (!l4_match(m.port, m.gateways, s, ref.gateway)) continue;
        auto& known = sni_by_port[listen_port];
        std::vector<std::string> dups;
        for (const auto& h : m.sni_hosts) {
          if (auto it = known.find(h); it != known.end() && it->second == s.bind) dups.push_back(h);
        }
        if (!dups.empty()) {
          ctx.warn("skipping VirtualService " + vs->meta.name + " rule #" + std::to_string(i) + " on server port " +
                   std::to_string(s.port.number) + " of gateway " + ref.gateway + ", duplicate SNI host names: " +
                   dups.front());
          continue;
        }
        for (const auto& h : m.sni_hosts) known[h] = s.bind;
        FilterChain chain = base_chain(ref);
        chain.server_names = m.sni_hosts;
        if (std::find(chain.server_names.begin(), chain.server_names.end(), "*") != chain.server_names.end()) {
          chain.server_names.clear();
        }
        set_tcp_destinations(ctx, chain, tls.route, *vs, s.port.number);
        chain.source = tls.source;
        out.push_back(std::move(chain));
      }
    }
  }
}

// The route configuration an HTTP chain names, built the first time a chain names it.
void ensure_route_config(CompileContext& ctx, const std::string& name) {
  auto& configs = ctx.table.route_configs;
  if (configs.find(name) == configs.end()) {
    configs.emplace(name, build_gateway_http_route_config(ctx, name, ctx.gateway.servers_by_route[name]));
  }
}

}  // namespace

std::vector<std::string> sni_hosts_for_server(const Server& s) {
  std::set<std::string> names;
  for (const auto& h : s.hosts) names.insert(host::parse_server_host(h).dns_name);
  if (names.count("*")) return {};
  return {names.begin(), names.end()};
}

// Envoy's filter chain matching: two chains clash when they match the same transport (TLS
// or not) and the same server names. Istio drops duplicate hosts within a namespace, but the
// same host from two namespaces ("./*" in two Gateways) reaches Envoy twice; Istio's own
// simulation test "duplicate tls gateway" records it as a bug (istio/istio#24638).
std::optional<std::string> duplicate_chain_match(const Listener& l) {
  std::map<std::pair<bool, std::vector<std::string>>, const FilterChain*> seen;
  for (const auto& chain : l.filter_chains) {
    std::vector<std::string> names = chain.server_names;
    std::sort(names.begin(), names.end());
    auto [it, inserted] = seen.emplace(std::make_pair(!chain.tls_mode.empty(), names), &chain);
    if (inserted) continue;
    std::string sni;
    for (const auto& n : names) sni += (sni.empty() ? "" : ",") + n;
    return "server names " + (sni.empty() ? std::string("any") : sni) + ", from gateways " + it->second->gateway +
           " and " + chain.gateway;
  }
  return std::nullopt;
}

void build_gateway_listeners(CompileContext& ctx) {
  const MergedGateway& gateway = ctx.gateway;
  std::map<std::string, Listener> listeners;
  std::map<std::uint32_t, std::map<std::string, std::string>> sni_by_port;
  for (const auto& key : gateway.server_ports) {
    const MergedServers& ms = gateway.merged.at(key);
    const std::string bind = key.bind.empty() ? "0.0.0.0" : key.bind;
    const std::string name = bind + "_" + std::to_string(key.port);
    Listener& l = listeners[name];
    l.name = name;
    l.bind = bind;
    l.port = key.port;
    if (detail::is_http_protocol(key.protocol)) {
      // All plaintext HTTP servers of the port share one chain and route config.
      FilterChain chain = base_chain(gateway.servers[ms.servers.front()]);
      chain.tls.reset();
      chain.tls_mode.clear();
      chain.route_config = ms.route_name;
      ensure_route_config(ctx, ms.route_name);
      l.filter_chains.push_back(std::move(chain));
      continue;
    }
    for (int idx : ms.servers) {
      const ServerRef& ref = gateway.servers[idx];
      const Server& s = ref.sanitized;
      if (terminates_https(s)) {
        FilterChain chain = base_chain(ref);
        chain.server_names = sni_hosts_for_server(s);
        chain.route_config = gateway_rds_route_name(s, key.port, gateway.find_gateway(ref.gateway));
        ensure_route_config(ctx, chain.route_config);
        resolve_credential(ctx, chain);
        l.filter_chains.push_back(std::move(chain));
      } else if (!s.tls) {
        FilterChain chain = base_chain(ref);
        if (tcp_route_chain(ctx, chain, ref)) l.filter_chains.push_back(std::move(chain));
        else ctx.warn("gateway " + ref.gateway + ":" + std::to_string(s.port.number) + " listener missed network filter");
      } else if (!detail::is_passthrough(s)) {
        FilterChain chain = base_chain(ref);
        chain.server_names = sni_hosts_for_server(s);
        resolve_credential(ctx, chain);
        if (tcp_route_chain(ctx, chain, ref)) l.filter_chains.push_back(std::move(chain));
        else ctx.warn("gateway " + ref.gateway + ":" + std::to_string(s.port.number) + " listener missed network filter");
      } else {
        passthrough_chains(ctx, l.filter_chains, ref, key.port, sni_by_port);
      }
    }
  }
  // A listener with no filter chain is not emitted (Envoy would reject it); nor is one with
  // two chains that match the same connections, which Envoy refuses as a whole.
  for (auto& [name, l] : listeners) {
    if (l.filter_chains.empty()) continue;
    if (auto clash = duplicate_chain_match(l)) {
      ctx.warn("Envoy rejects listener " + name + ": multiple filter chains with the same matching rules are defined (" +
               *clash + "); the port has no listener");
      continue;
    }
    ctx.table.listeners.push_back(std::move(l));
  }
}

}  // namespace gwsim::route
