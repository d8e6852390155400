#include "engine/route/table_diff.h"

#include <initializer_list>
#include <map>
#include <set>

namespace gwsim::route {

namespace {

// Routes are equal when shared (the compiler reuses untouched ones) or when what they do is.
bool same_route(const Route& a, const Route& b) {
  if (&a == &b) return true;
  if (a.name != b.name || a.virtual_service != b.virtual_service || a.http_index != b.http_index ||
      a.match_index != b.match_index || a.action_kind != b.action_kind || a.gateway != b.gateway) {
    return false;
  }
  if (a.route.clusters.size() != b.route.clusters.size()) return false;
  for (std::size_t i = 0; i < a.route.clusters.size(); ++i) {
    if (a.route.clusters[i].cluster != b.route.clusters[i].cluster || a.route.clusters[i].weight != b.route.clusters[i].weight) {
      return false;
    }
  }
  // The rest of a route comes from the same VirtualService fields; a new object with the same
  // origin and destinations is counted as changed only through those.
  return a.match.path.kind == b.match.path.kind && a.match.path.value == b.match.path.value &&
         a.redirect.host == b.redirect.host && a.redirect.path == b.redirect.path &&
         a.direct_response.status == b.direct_response.status && a.direct_response.body == b.direct_response.body;
}

bool same_virtual_host(const VirtualHost& a, const VirtualHost& b) {
  if (&a == &b) return true;
  if (a.domains != b.domains || a.require_tls != b.require_tls || a.routes.size() != b.routes.size()) return false;
  for (std::size_t i = 0; i < a.routes.size(); ++i) {
    if (!same_route(a.routes[i], b.routes[i])) return false;
  }
  return true;
}

// Both lists are sorted by name (as the compiler emits them): one merge walk, no copies.
void diff_virtual_hosts(const SharedList<VirtualHost>* before, const SharedList<VirtualHost>* after,
                        const std::string& prefix, TableChange& c) {
  static const SharedList<VirtualHost> none;
  const auto& a = before ? *before : none;
  const auto& b = after ? *after : none;
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].name < b[j].name)) {
      c.virtual_hosts_removed.push_back(prefix + a[i++].name);
    } else if (i == a.size() || b[j].name < a[i].name) {
      c.virtual_hosts_added.push_back(prefix + b[j++].name);
    } else {
      if (!same_virtual_host(a[i], b[j])) c.virtual_hosts_changed.push_back(prefix + b[j].name);
      ++i;
      ++j;
    }
  }
}

std::set<std::string> endpoint_ips(const Cluster& c) {
  std::set<std::string> out;
  for (const auto& e : c.endpoints) out.insert(e.ip + ":" + std::to_string(e.port));
  return out;
}

}  // namespace

bool TableChange::empty() const {
  return listeners_added.empty() && listeners_removed.empty() && virtual_hosts_added.empty() &&
         virtual_hosts_removed.empty() && virtual_hosts_changed.empty() && clusters_added.empty() &&
         clusters_removed.empty() && endpoints_changed.empty();
}

std::string TableChange::summary(std::size_t max_names) const {
  if (empty()) return "route table unchanged";
  std::string out;
  // "<label> +a, +b, +2 more, -c": each group's names with its mark, at most max_names each.
  auto section = [&out, max_names](const char* label,
                                   std::initializer_list<std::pair<char, const std::vector<std::string>*>> groups) {
    std::string body;
    for (const auto& [mark, names] : groups) {
      for (std::size_t i = 0; i < names->size() && i < max_names; ++i) body += (body.empty() ? "" : ", ") + std::string(1, mark) + (*names)[i];
      if (names->size() > max_names) body += ", " + std::string(1, mark) + std::to_string(names->size() - max_names) + " more";
    }
    if (body.empty()) return;
    out += (out.empty() ? "" : "; ") + std::string(label) + " " + body;
  };
  section("listeners", {{'+', &listeners_added}, {'-', &listeners_removed}});
  section("virtual hosts", {{'+', &virtual_hosts_added}, {'~', &virtual_hosts_changed}, {'-', &virtual_hosts_removed}});
  section("clusters", {{'+', &clusters_added}, {'-', &clusters_removed}});
  section("endpoints", {{'~', &endpoints_changed}});
  return out;
}

TableChange diff_tables(const RouteTable* before, const RouteTable& after) {
  static const RouteTable empty;
  const RouteTable& old = before ? *before : empty;
  TableChange c;

  std::set<std::string> old_listeners, new_listeners;
  for (const auto& l : old.listeners) old_listeners.insert(l.name);
  for (const auto& l : after.listeners) new_listeners.insert(l.name);
  for (const auto& l : new_listeners) {
    if (!old_listeners.count(l)) c.listeners_added.push_back(l);
  }
  for (const auto& l : old_listeners) {
    if (!new_listeners.count(l)) c.listeners_removed.push_back(l);
  }

  // Route configurations by name; their names qualify virtual hosts when there are several.
  const bool qualify = old.route_configs.size() > 1 || after.route_configs.size() > 1;
  std::set<std::string> configs;
  for (const auto& [name, rc] : old.route_configs) configs.insert(name);
  for (const auto& [name, rc] : after.route_configs) configs.insert(name);
  for (const auto& name : configs) {
    auto o = old.route_configs.find(name);
    auto n = after.route_configs.find(name);
    diff_virtual_hosts(o == old.route_configs.end() ? nullptr : &o->second.virtual_hosts,
                       n == after.route_configs.end() ? nullptr : &n->second.virtual_hosts, qualify ? name + "/" : "", c);
  }

  for (const auto& [name, cluster] : after.clusters) {
    auto it = old.clusters.find(name);
    if (it == old.clusters.end()) {
      c.clusters_added.push_back(name);
    } else if (endpoint_ips(it->second) != endpoint_ips(cluster)) {
      c.endpoints_changed.push_back(name + " " + std::to_string(it->second.endpoints.size()) + " -> " +
                                    std::to_string(cluster.endpoints.size()));
    }
  }
  for (const auto& [name, cluster] : old.clusters) {
    if (!after.clusters.count(name)) c.clusters_removed.push_back(name);
  }
  return c;
}

}  // namespace gwsim::route
