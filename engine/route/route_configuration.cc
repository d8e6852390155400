// Paraphrases Istio's core/gateway.go buildGatewayHTTPRouteConfig; see route_configuration.h.
#include "engine/route/route_configuration.h"

#include <algorithm>

#include "engine/host/host_name.h"
#include "engine/route/compile_cache.h"
#include "engine/route/compile_context.h"
#include "engine/route/detail_config.h"
#include "engine/route/route_configuration_state.h"

namespace gwsim::route {

namespace {

using detail::HostContribution;
using detail::HostState;
using detail::RouteConfigState;
using detail::VirtualHostGroup;
using Parts = std::vector<std::pair<std::string, HostContribution>>;

// The routes of `vs` at a gateway server, reused from the cache while the VirtualService, the
// route environment and the Service ports the routes read are unchanged. The port lookups the
// routes depend on are appended to `lookups`. The list is shared with the route
// configurations' state, which keeps the entry alive.
std::shared_ptr<const RouteList> translated_routes(CompileContext& ctx, const model::VirtualService& vs,
                                                   std::uint32_t port, bool is_tls, const std::string& gateway,
                                                   PortLookups& lookups) {
  const RouteTranslationScope scope = ctx.translation_scope();
  auto translate = [&](PortLookups& into) {
    return std::make_shared<const RouteList>(build_http_routes_for_virtual_service(scope, vs, port, is_tls, gateway, into));
  };
  detail::CompileCacheState* cache = ctx.cache;
  if (!cache || !cache->keeps_routes() || vs.meta.resource_version.empty()) return translate(lookups);
  std::string key = gateway;
  key.append("|").append(vs.meta.namespace_).append("/").append(vs.meta.name);
  key.append("|").append(std::to_string(port)).append(is_tls ? "|tls" : "|");
  auto [it, inserted] = cache->routes.try_emplace(std::move(key));
  auto& entry = it->second;
  if (!inserted && entry.resource_version == vs.meta.resource_version &&
      (!ctx.services_changed || port_lookups_hold(scope, entry.value.lookups))) {
    ++cache->stats.routes_reused;
  } else {
    entry.resource_version = vs.meta.resource_version;
    entry.value.lookups.clear();
    entry.value.routes = translate(entry.value.lookups);
    ++cache->stats.routes_built;
  }
  if (entry.seen != cache->generation) ++cache->routes_seen;
  entry.seen = cache->generation;
  lookups.insert(lookups.end(), entry.value.lookups.begin(), entry.value.lookups.end());
  return entry.value.routes;
}

// What a route configuration's state was built for: its servers (without their hosts)...
std::string route_shape(const CompileContext& ctx, const std::vector<int>& server_indexes) {
  std::string out = ctx.proxy_namespace();
  for (int idx : server_indexes) {
    const ServerRef& ref = ctx.gateway.servers[idx];
    const model::Server& s = ref.sanitized;
    out += "|" + ref.gateway + "@" + std::to_string(s.port.number) + (s.tls ? "+tls" : "") +
           (s.tls && s.tls->https_redirect ? "+redirect" : "");
  }
  return out;
}

// ... and their hosts.
std::string route_hosts(const CompileContext& ctx, const std::vector<int>& server_indexes) {
  std::string out;
  for (int idx : server_indexes) {
    out += "|";
    for (const auto& h : ctx.gateway.servers[idx].sanitized.hosts) out += h + ",";
  }
  return out;
}

HostState& touch_host(RouteConfigState& st, const std::string& hostname) {
  auto [it, inserted] = st.hosts.try_emplace(hostname);
  if (!it->second.dirty) {
    it->second.dirty = true;
    st.dirty_hosts.push_back(hostname);
  }
  return it->second;
}

// httpsRedirect servers make a virtual host for each of their hosts, routes or not.
void add_https_hosts(const CompileContext& ctx, RouteConfigState& st, const std::vector<int>& server_indexes) {
  for (std::size_t k = 0; k < server_indexes.size(); ++k) {
    const model::Server& server = ctx.gateway.servers[server_indexes[k]].sanitized;
    if (!server.tls || !server.tls->https_redirect) continue;
    for (const auto& h : server.hosts) {
      HostState& host = touch_host(st, text::to_lower(h));
      if (host.https_server < 0) host.https_server = static_cast<int>(k);
    }
  }
}

// Whether a VirtualService binds as it did: the same hosts, servers, groups and routes.
bool same_parts(const Parts& a, const Parts& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.first == y.first && x.second.server == y.second.server && x.second.rank == y.second.rank &&
           x.second.vs == y.second.vs && *x.second.routes == *y.second.routes;
  });
}

// One VirtualService's part in a route configuration: per server it binds to, the hosts it
// shares with the server and its routes there. Routes are translated once per gateway, at
// the first server's port, as Istio keeps them; a VirtualService with no routes is omitted.
Parts contributions(CompileContext& ctx, const model::VirtualService& vs, const std::vector<int>& server_indexes,
                    PortLookups& lookups) {
  Parts out;
  if (vs.hosts.empty()) return out;  // delegates never bind directly
  std::map<std::string, std::shared_ptr<const RouteList>> by_gateway;
  for (std::size_t k = 0; k < server_indexes.size(); ++k) {
    const ServerRef& ref = ctx.gateway.servers[server_indexes[k]];
    const model::Server& server = ref.sanitized;
    const int rank = visibility_rank(vs, ref.gateway, ctx.proxy_namespace());
    if (rank < 0) continue;
    auto hosts = host::intersection(host::names_for_namespace(server.hosts, vs.meta.namespace_, ref.gateway_namespace),
                                    vs.hosts);
    if (hosts.empty()) continue;
    auto& routes = by_gateway[ref.gateway];
    if (!routes) {
      auto translated = translated_routes(ctx, vs, server.port.number, server.tls.has_value(), ref.gateway, lookups);
      if (translated->empty()) continue;  // "no routes matched"
      routes = std::move(translated);
    }
    for (const auto& h : hosts)
      out.emplace_back(text::to_lower(h), HostContribution{static_cast<int>(k), rank, &vs, routes});
  }
  return out;
}

bool contribution_before(const HostContribution& a, const HostContribution& b) {
  if (a.server != b.server) return a.server < b.server;
  if (a.rank != b.rank) return a.rank < b.rank;
  return detail::older(*a.vs, *b.vs);
}

void add_contribution(RouteConfigState& st, const std::string& hostname, const HostContribution& part) {
  auto& list = touch_host(st, hostname).contributions;
  list.insert(std::upper_bound(list.begin(), list.end(), part, contribution_before), part);
}

void remove_contribution(RouteConfigState& st, const std::string& hostname, const HostContribution& part) {
  auto& list = touch_host(st, hostname).contributions;
  auto it = std::find_if(list.begin(), list.end(), [&part](const HostContribution& c) {
    return c.vs == part.vs && c.server == part.server && c.routes == part.routes;
  });
  if (it != list.end()) list.erase(it);
}

// Regroup the hosts that changed (collapseDuplicateRoutes) and re-emit the groups that
// changed with them.
void settle_hosts(const CompileContext& ctx, RouteConfigState& st, const std::vector<int>& server_indexes) {
  const auto& servers = ctx.gateway.servers;
  std::vector<VirtualHostGroup*> dirty_groups;
  auto mark = [&dirty_groups](VirtualHostGroup* g) {
    if (!g->dirty) {
      g->dirty = true;
      dirty_groups.push_back(g);
    }
  };
  std::vector<std::string> gone;
  for (const auto& hostname : st.dirty_hosts) {
    auto hit = st.hosts.find(hostname);
    HostState& host = hit->second;
    host.dirty = false;
    if (host.group) {
      auto& members = host.group->members;
      auto m = std::lower_bound(members.begin(), members.end(), hostname, more_specific_host);
      if (m != members.end() && *m == hostname) members.erase(m);
      mark(host.group);
      host.group = nullptr;
    }
    if (host.contributions.empty() && host.https_server < 0) {
      gone.push_back(hostname);
      continue;
    }
    detail::RouteListKey key;
    key.require_tls = host.https_server >= 0;
    for (const auto& c : host.contributions) {
      const model::Server& server = servers[server_indexes[c.server]].sanitized;
      if (server.tls && server.tls->https_redirect) key.require_tls = true;
      for (const auto& r : *c.routes) key.routes.push_back(r.get());
    }
    auto [git, inserted] = st.groups.try_emplace(std::move(key));
    VirtualHostGroup& group = git->second;
    group.key = &git->first;
    auto& members = group.members;
    members.insert(std::lower_bound(members.begin(), members.end(), hostname, more_specific_host), hostname);
    host.group = &group;
    mark(&group);
  }
  st.dirty_hosts.clear();
  for (VirtualHostGroup* g : dirty_groups) {
    g->dirty = false;
    std::string old_name = std::move(g->emitted);
    std::vector<std::string> old_domains;
    if (auto old = st.emitted.find(old_name); old != st.emitted.end()) {
      old_domains = old->second->domains;
      st.emitted.erase(old);
    }
    g->emitted.clear();
    if (g->members.empty()) {
      st.layout_changed = true;
      continue;
    }
    const HostState& primary = st.hosts.at(g->members.front());
    int first_server = primary.https_server;
    if (!primary.contributions.empty() && (first_server < 0 || primary.contributions.front().server < first_server)) {
      first_server = primary.contributions.front().server;
    }
    VirtualHost vh;
    vh.name = g->members.front() + ":" + std::to_string(servers[server_indexes[first_server]].sanitized.port.number);
    vh.domains = g->members;
    vh.require_tls = g->key->require_tls;
    std::vector<std::shared_ptr<const Route>> routes;
    for (const auto& c : primary.contributions) routes.insert(routes.end(), c.routes->begin(), c.routes->end());
    // route.go SortVHostRoutes: catch-all routes last, relative order kept.
    std::stable_partition(routes.begin(), routes.end(),
                          [](const std::shared_ptr<const Route>& r) { return !r->match.is_catch_all(); });
    vh.routes.reserve(routes.size());
    for (auto& r : routes) vh.routes.push_back(std::move(r));
    if (vh.name != old_name || vh.domains != old_domains) st.layout_changed = true;
    g->emitted = vh.name;
    st.emitted[g->emitted] = std::make_shared<const VirtualHost>(std::move(vh));
  }
  for (VirtualHostGroup* g : dirty_groups) {
    if (g->members.empty()) st.groups.erase(*g->key);
  }
  for (const auto& hostname : gone) st.hosts.erase(hostname);
}

}  // namespace

bool more_specific_host(const std::string& a, const std::string& b) {
  bool aw = host::is_wildcard(a), bw = host::is_wildcard(b);
  if (aw != bw) return !aw;
  if (a.size() == b.size()) return a < b;
  return a.size() > b.size();
}

// Only the VirtualServices that changed since the state was built are taken out and put back.
RouteConfiguration build_gateway_http_route_config(CompileContext& ctx, const std::string& route_name,
                                                   const std::vector<int>& server_indexes) {
  // The state lives in the cache while every VirtualService has a resourceVersion (their
  // addresses then identify unchanged ones) and no delegates merge; else it is built afresh.
  RouteConfigState local;
  const bool keep = ctx.cache && ctx.cache->keeps_routes();
  RouteConfigState& st = keep ? ctx.cache->route_configs[route_name] : local;
  const auto& ordered = ctx.virtual_services.ordered;
  // Other servers: start afresh. The same servers with other hosts: every VirtualService's
  // bindings are checked again, and only those that differ are replaced.
  std::string shape = route_shape(ctx, server_indexes);
  std::string hosts = route_hosts(ctx, server_indexes);
  bool recheck = false;
  if (st.shape != shape) {
    st = RouteConfigState{};
    st.shape = std::move(shape);
    st.server_hosts = std::move(hosts);
    // Growing these one rehash at a time costs more than the building itself.
    st.contributors.reserve(ordered.size());
    st.hosts.reserve(ordered.size());
    st.groups.reserve(ordered.size());
    st.dirty_hosts.reserve(ordered.size());
    add_https_hosts(ctx, st, server_indexes);
  } else if (st.server_hosts != hosts) {
    st.server_hosts = std::move(hosts);
    recheck = true;
    for (auto& [hostname, host] : st.hosts) {
      if (host.https_server >= 0) touch_host(st, hostname).https_server = -1;
    }
    add_https_hosts(ctx, st, server_indexes);
  }
  const std::uint64_t stamp = ctx.cache ? ctx.cache->generation : 1;
  st.seen = stamp;
  const RouteTranslationScope scope = ctx.translation_scope();
  // Take out the VirtualServices that are gone or changed (a changed one has a new
  // address), put in the new ones.
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    const model::VirtualService* vs = ordered[i];
    auto [it, inserted] = st.contributors.try_emplace(vs);
    if (!inserted && (recheck || (ctx.services_changed && !port_lookups_hold(scope, it->second.lookups)))) {
      PortLookups lookups;
      auto parts = contributions(ctx, *vs, server_indexes, lookups);
      if (!same_parts(parts, it->second.parts)) {
        for (const auto& [hostname, part] : it->second.parts) remove_contribution(st, hostname, part);
        it->second.parts = std::move(parts);
        for (auto& [hostname, part] : it->second.parts) add_contribution(st, hostname, part);
      }
      it->second.lookups = std::move(lookups);
    }
    if (inserted) {
      // Without delegates the VirtualServices are shared ones, and the state may keep them.
      if (!ctx.virtual_services.shared.empty()) it->second.keep = ctx.virtual_services.shared[i];
      it->second.parts = contributions(ctx, *vs, server_indexes, it->second.lookups);
      for (auto& [hostname, part] : it->second.parts) add_contribution(st, hostname, part);
    }
    it->second.seen = stamp;
  }
  for (auto it = st.contributors.begin(); it != st.contributors.end();) {
    if (it->second.seen == stamp) {
      ++it;
      continue;
    }
    for (const auto& [hostname, part] : it->second.parts) remove_contribution(st, hostname, part);
    it = st.contributors.erase(it);
  }
  settle_hosts(ctx, st, server_indexes);

  RouteConfiguration rc;
  rc.name = route_name;
  if (st.emitted.empty()) {
    const std::uint32_t port = ctx.gateway.servers[server_indexes.front()].sanitized.port.number;
    VirtualHost vh;
    vh.name = "blackhole:" + std::to_string(port);
    vh.domains = {"*"};
    rc.virtual_hosts.push_back(std::move(vh));
    ctx.warn("route config " + route_name + " has no virtual hosts: every request gets 404 (blackhole:" +
             std::to_string(port) + ")");
  } else {
    rc.virtual_hosts.reserve(st.emitted.size());
    for (const auto& [name, vh] : st.emitted) rc.virtual_hosts.push_back(vh);
  }
  if (!st.emitted.empty() && !st.layout_changed) {
    rc.lookup = st.lookup;  // the same names and domains: the same lookup (shared)
    return rc;
  }
  for (std::size_t i = 0; i < rc.virtual_hosts.size(); ++i) {
    for (const auto& d : rc.virtual_hosts[i].domains) rc.lookup.add(d, static_cast<int>(i));
  }
  st.lookup = rc.lookup;
  st.layout_changed = st.emitted.empty();
  return rc;
}

}  // namespace gwsim::route
