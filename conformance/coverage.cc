#include "conformance/coverage.h"

#include <algorithm>
#include <filesystem>

namespace gwsim::conformance {

namespace {

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// One target per destination of a weighted route, else one for the route.
template <typename Add>
void per_destination(const std::vector<route::WeightedCluster>& clusters, const Add& add) {
  if (clusters.size() <= 1) {
    add(std::string(), 0u);
    return;
  }
  for (const auto& c : clusters) add(c.cluster, c.weight);
}

const std::vector<route::WeightedCluster>& destinations_of(const route::Route& r) {
  static const std::vector<route::WeightedCluster> none;
  return r.action_kind == route::Route::ActionKind::kRoute ? r.route.clusters : none;
}

// What a route without weighted destinations does: its cluster, or the answer it gives itself.
std::string single_action(const route::Route& r) {
  switch (r.action_kind) {
    case route::Route::ActionKind::kRoute: return r.route.clusters.empty() ? std::string() : r.route.clusters.front().cluster;
    case route::Route::ActionKind::kRedirect: return "redirect " + std::to_string(r.redirect.code);
    case route::Route::ActionKind::kDirectResponse: return "direct response " + std::to_string(r.direct_response.status);
    case route::Route::ActionKind::kUnsupported: return "not simulated: " + r.unsupported_reason;
  }
  return {};
}

RouteTarget http_target(const route::Route& r, const std::string& destination, std::uint32_t weight) {
  RouteTarget t;
  t.kind = "http";
  t.virtual_service = r.virtual_service;
  t.gateway = r.gateway;
  t.index = r.http_index;
  t.match_index = r.match_index;
  t.name = r.name;
  t.destination = destination;
  t.weight = weight;
  t.source = detail::normal_source(r.source);
  if (destination.empty()) t.action = single_action(r);
  t.id = "http|" + t.virtual_service + "|" + std::to_string(t.index) + "|" + std::to_string(t.match_index) + "|" +
         t.destination + "|" + t.source;
  return t;
}


// tcp routes build chains on TCP servers and on terminating TLS servers; tls routes build
// PASSTHROUGH chains.
std::string chain_kind(const route::FilterChain& chain) { return chain.tls_mode == "PASSTHROUGH" ? "tls" : "tcp"; }

std::string chain_match(const route::FilterChain& chain) {
  std::string m = "port " + std::to_string(chain.server_port);
  if (!chain.server_names.empty()) m += " sni " + join(chain.server_names, ",");
  return m;
}

RouteTarget tcp_target(const route::FilterChain& chain, const std::string& destination, std::uint32_t weight) {
  RouteTarget t;
  t.kind = chain_kind(chain);
  t.virtual_service = chain.virtual_service;
  t.gateway = chain.gateway;
  t.destination = destination;
  t.weight = weight;
  t.match = chain_match(chain);
  t.source = detail::normal_source(chain.source);
  if (destination.empty() && !chain.tcp_clusters.empty()) t.action = chain.tcp_clusters.front().cluster;
  // The gateway, port and SNI tell l4 routes apart (a position could be shared by two chains).
  t.id = t.kind + "|" + t.virtual_service + "|" + t.gateway + "|" + t.match + "|" + t.destination;
  return t;
}

bool sni_matches(const std::string& pattern, const std::string& sni) {
  if (pattern == sni) return true;
  if (pattern.rfind("*.", 0) == 0) {
    std::string suffix = pattern.substr(1);  // ".example.com"
    return sni.size() > suffix.size() && sni.compare(sni.size() - suffix.size(), suffix.size(), suffix) == 0;
  }
  return false;
}

}  // namespace

std::string RouteTarget::label() const {
  std::string out = virtual_service.empty() ? std::string("(no VirtualService)") : virtual_service;
  if (kind == "http") {
    out += " http[" + std::to_string(index) + "]";
    if (!name.empty()) out += " \"" + name + "\"";
    if (match_index >= 0) out += " match[" + std::to_string(match_index) + "]";
  } else {
    out += " " + kind + " (" + match + ")";
  }
  if (!destination.empty()) out += " -> " + destination + " (weight " + std::to_string(weight) + ")";
  return out;
}

std::vector<RouteTarget> route_targets(const route::RouteTable& table) {
  std::vector<RouteTarget> out;
  for (const auto& [name, config] : table.route_configs) {
    for (const auto& vh : config.virtual_hosts) {
      for (const auto& r : vh.routes) {
        if (r.virtual_service.empty()) continue;  // not from a VirtualService (none today)
        per_destination(destinations_of(r), [&](const std::string& d, std::uint32_t w) {
          out.push_back(http_target(r, d, w));
        });
      }
    }
  }
  for (const auto& listener : table.listeners) {
    for (const auto& chain : listener.filter_chains) {
      if (chain.http || chain.virtual_service.empty()) continue;
      per_destination(chain.tcp_clusters, [&](const std::string& d, std::uint32_t w) {
        out.push_back(tcp_target(chain, d, w));
      });
    }
  }
  std::vector<RouteTarget> unique;
  merge_targets(unique, std::move(out));
  return unique;
}

std::string target_hit(const route::RouteTable& table, const match::DecisionTrace& trace) {
  if (trace.virtual_service.empty()) return {};
  if (!trace.route_config.empty() && trace.route_index >= 0) {
    auto config = table.route_configs.find(trace.route_config);
    if (config == table.route_configs.end()) return {};
    for (const auto& vh : config->second.virtual_hosts) {
      if (vh.name != trace.virtual_host) continue;
      if (trace.route_index >= static_cast<int>(vh.routes.size())) return {};
      const route::Route& r = vh.routes[static_cast<std::size_t>(trace.route_index)];
      const auto& clusters = destinations_of(r);
      if (clusters.size() <= 1) return http_target(r, "", 0).id;
      for (const auto& c : clusters)
        if (c.cluster == trace.cluster) return http_target(r, c.cluster, c.weight).id;
      return {};
    }
    return {};
  }
  const route::FilterChain* chain = detail::tcp_chain_of(table, trace);
  if (!chain) return {};
  if (chain->tcp_clusters.size() <= 1) return tcp_target(*chain, "", 0).id;
  for (const auto& c : chain->tcp_clusters)
    if (c.cluster == trace.cluster) return tcp_target(*chain, c.cluster, c.weight).id;
  return {};
}

void merge_targets(std::vector<RouteTarget>& into, std::vector<RouteTarget> more) {
  auto by_id = [](const RouteTarget& a, const RouteTarget& b) { return a.id < b.id; };
  std::stable_sort(more.begin(), more.end(), by_id);
  std::vector<RouteTarget> merged;
  merged.reserve(into.size() + more.size());
  std::merge(std::make_move_iterator(into.begin()), std::make_move_iterator(into.end()),
             std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()), std::back_inserter(merged),
             by_id);
  // std::merge keeps `into`'s element first among equals: the first seen wins.
  merged.erase(std::unique(merged.begin(), merged.end(),
                           [](const RouteTarget& a, const RouteTarget& b) { return a.id == b.id; }),
               merged.end());
  into = std::move(merged);
}

namespace detail {

const route::FilterChain* tcp_chain_of(const route::RouteTable& table, const match::DecisionTrace& trace) {
  for (const auto& listener : table.listeners) {
    if (listener.name != trace.listener) continue;
    // Envoy's filter chain match on SNI: exact name, then the longest wildcard, then a chain
    // without server names; restricted to the chains the trace's VirtualService built.
    const route::FilterChain* best = nullptr;
    std::size_t best_rank = 0;  // 3: exact, 2 + length share: wildcard, 1: any
    std::size_t best_length = 0;
    for (const auto& chain : listener.filter_chains) {
      if (chain.http || chain.virtual_service != trace.virtual_service) continue;
      if (!trace.gateway.empty() && chain.gateway != trace.gateway) continue;
      if (chain.tls_mode != trace.tls_mode) continue;
      std::size_t rank = 0, length = 0;
      if (chain.server_names.empty()) rank = 1;
      for (const auto& name : chain.server_names) {
        if (name == trace.sni) rank = 3;
        else if (rank < 3 && sni_matches(name, trace.sni)) {
          rank = 2;
          length = std::max(length, name.size());
        }
      }
      if (rank > best_rank || (rank == best_rank && rank == 2 && length > best_length)) {
        best = &chain;
        best_rank = rank;
        best_length = length;
      }
    }
    return best;
  }
  return nullptr;
}

std::string normal_source(const model::SourcePos& source) {
  if (source.file.empty()) return {};
  model::SourcePos normal = source;
  normal.file = std::filesystem::path(source.file).lexically_normal().generic_string();
  return normal.to_string();
}

}  // namespace detail

}  // namespace gwsim::conformance
