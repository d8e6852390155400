#include "engine/route/table_diff.h"

#include "engine/route/authorization.h"
#include "engine/route/request_authentication.h"

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <set>

namespace gwsim::route {

namespace {

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
      if (!(a[i] == b[j])) c.virtual_hosts_changed.push_back(prefix + b[j].name);
      ++i;
      ++j;
    }
  }
}

// "DENY ns/name" per AuthorizationPolicy in an rbac filter, "RequestAuthentication ns/name" per
// policy in jwt_authn.
std::set<std::string> policy_names(const RouteTable& t) {
  std::set<std::string> out;
  if (t.authorization) {
    const std::pair<const char*, const std::optional<RbacConfig>*> filters[] = {
        {"AUDIT", &t.authorization->audit}, {"DENY", &t.authorization->deny}, {"ALLOW", &t.authorization->allow}};
    for (const auto& [action, config] : filters) {
      if (!*config) continue;
      for (const auto& p : (*config)->policies) out.insert(std::string(action) + " " + p.policy);
      for (const auto& p : (*config)->shadow_policies) out.insert(std::string(action) + " " + p.policy + " (dry-run)");
    }
  }
  if (t.jwt_authn)
    for (const auto& p : t.jwt_authn->policies) out.insert("RequestAuthentication " + p);
  return out;
}

std::set<std::string> unsimulated_names(const RouteTable& t) {
  std::set<std::string> out;
  for (const auto& u : t.unsimulated) out.insert(u.kind + " " + u.namespace_ + "/" + u.name);
  return out;
}

// Both ways between two sets of names.
void added_removed(const std::set<std::string>& before, const std::set<std::string>& after,
                   std::vector<std::string>& added, std::vector<std::string>& removed) {
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(added));
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(removed));
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
         clusters_removed.empty() && endpoints_changed.empty() && policies_added.empty() && policies_removed.empty() &&
         unsimulated_added.empty() && unsimulated_removed.empty();
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
  section("policies", {{'+', &policies_added}, {'-', &policies_removed}});
  section("unsimulated", {{'+', &unsimulated_added}, {'-', &unsimulated_removed}});
  return out;
}

TableChange diff_tables(const RouteTable* before, const RouteTable& after) {
  static const RouteTable empty;
  const RouteTable& old = before ? *before : empty;
  TableChange c;

  // Listeners are sorted by name.
  auto listener_names = [](const RouteTable& t) {
    std::vector<std::string> out;
    for (const auto& l : t.listeners) out.push_back(l.name);
    return out;
  };
  const auto old_listeners = listener_names(old), new_listeners = listener_names(after);
  std::set_difference(new_listeners.begin(), new_listeners.end(), old_listeners.begin(), old_listeners.end(),
                      std::back_inserter(c.listeners_added));
  std::set_difference(old_listeners.begin(), old_listeners.end(), new_listeners.begin(), new_listeners.end(),
                      std::back_inserter(c.listeners_removed));

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
  added_removed(policy_names(old), policy_names(after), c.policies_added, c.policies_removed);
  added_removed(unsimulated_names(old), unsimulated_names(after), c.unsimulated_added, c.unsimulated_removed);
  return c;
}

}  // namespace gwsim::route
