#include "engine/config_diff/config_change.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "engine/route/table_diff.h"

namespace gwsim::config_diff {

namespace {

using route::RouteTable;
using route::VirtualHost;

std::string percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g%%", share * 100.0);
  return buffer;
}

const char* string_match_kind(route::StringMatcher::Kind kind) {
  switch (kind) {
    case route::StringMatcher::Kind::kExact:
      return "exact";
    case route::StringMatcher::Kind::kPrefix:
      return "prefix";
    case route::StringMatcher::Kind::kRegex:
      return "regex";
    case route::StringMatcher::Kind::kPresent:
      return "present";
  }
  return "?";
}

std::string describe_string_match(const route::StringMatcher& m) {
  if (m.kind == route::StringMatcher::Kind::kPresent) return "present";
  return std::string(string_match_kind(m.kind)) + " " + m.value;
}

std::string describe_header_ops(const route::HeaderOps& ops) {
  std::string out;
  for (const auto& [k, v] : ops.set) out += (out.empty() ? "" : ", ") + ("set " + k + ": " + v);
  for (const auto& [k, v] : ops.add) out += (out.empty() ? "" : ", ") + ("add " + k + ": " + v);
  for (const auto& k : ops.remove) out += (out.empty() ? "" : ", ") + ("remove " + k);
  return out.empty() ? "none" : out;
}

// The object a generated VirtualService came from ("HTTPRoute/shop.default" -> "HTTPRoute
// default/shop"), else the VirtualService itself.
std::string route_origin(const route::Route& r) {
  if (!r.parents.empty()) {
    std::string first = r.parents.substr(0, r.parents.find(','));
    auto slash = first.find('/');
    auto dot = first.rfind('.');
    if (slash != std::string::npos && dot != std::string::npos && dot > slash)
      return first.substr(0, slash) + " " + first.substr(dot + 1) + "/" + first.substr(slash + 1, dot - slash - 1);
  }
  return r.virtual_service.empty() ? std::string() : "VirtualService " + r.virtual_service;
}

// Finds "rc/vh" (or "vh" when the table's route configuration is not named) in a table: the
// first virtual host of that name, route configurations in name order. Indexed on first use,
// since a diff may look up every virtual host of a table (10,000 in bench/diff_bench).
class VirtualHostFinder {
 public:
  explicit VirtualHostFinder(const RouteTable* table) : table_(table) {}

  std::pair<std::string, const VirtualHost*> operator()(const std::string& name) {
    if (!table_) return {{}, nullptr};
    if (!indexed_) index();
    const auto slash = name.find('/');
    if (slash == std::string::npos) {
      const auto it = by_name_.find(name);
      return it == by_name_.end() ? std::pair<std::string, const VirtualHost*>{{}, nullptr} : it->second;
    }
    const auto it = by_qualified_name_.find({name.substr(0, slash), name.substr(slash + 1)});
    return it == by_qualified_name_.end() ? std::pair<std::string, const VirtualHost*>{{}, nullptr} : it->second;
  }

 private:
  void index() {
    indexed_ = true;
    for (const auto& [rc_name, rc] : table_->route_configs)
      for (const auto& vh : rc.virtual_hosts) {
        by_qualified_name_.emplace(std::make_pair(rc_name, vh.name), std::make_pair(rc_name, &vh));
        by_name_.emplace(vh.name, std::make_pair(rc_name, &vh));
      }
  }

  const RouteTable* table_;
  bool indexed_ = false;
  // (route configuration, virtual host), or the virtual host alone -> the first such virtual host.
  std::map<std::pair<std::string, std::string>, std::pair<std::string, const VirtualHost*>> by_qualified_name_;
  std::map<std::string, std::pair<std::string, const VirtualHost*>> by_name_;
};

// The Gateway whose server made a listener or route configuration.
std::string gateway_of(const RouteTable* table, const std::string& listener, const std::string& route_config) {
  if (!table) return {};
  for (const auto& l : table->listeners)
    for (const auto& chain : l.filter_chains)
      if ((!listener.empty() && l.name == listener) || (!route_config.empty() && chain.route_config == route_config))
        if (!chain.gateway.empty()) return "Gateway " + chain.gateway;
  return {};
}

std::string cluster_origin(const route::Cluster& c, const SourceIndex& sources) {
  if (!c.destination_rule.empty() && (!c.subset.empty() || c.lb.kind != route::LoadBalancerPolicy::Kind::kLeastRequest))
    return "DestinationRule " + c.destination_rule;
  if (sources.count("ServiceEntry " + c.service)) return "ServiceEntry " + c.service;
  return "Service " + c.service;
}

const char* lb_name(route::LoadBalancerPolicy::Kind kind) {
  switch (kind) {
    case route::LoadBalancerPolicy::Kind::kLeastRequest:
      return "LEAST_REQUEST";
    case route::LoadBalancerPolicy::Kind::kRoundRobin:
      return "ROUND_ROBIN";
    case route::LoadBalancerPolicy::Kind::kRandom:
      return "RANDOM";
    case route::LoadBalancerPolicy::Kind::kRingHash:
      return "RING_HASH";
  }
  return "?";
}

class Differ {
 public:
  Differ(std::string gateway, const SourceIndex& before, const SourceIndex& after, ConfigChange& out)
      : gateway_(std::move(gateway)), before_(before), after_(after), out_(out) {}

  void add(ConfigObject kind, Change change, std::string name, std::string origin, std::string detail = {},
           const model::SourcePos* known = nullptr) {
    ObjectChange c;
    c.gateway = gateway_;
    c.kind = kind;
    c.change = change;
    c.name = std::move(name);
    c.detail = std::move(detail);
    if (known && known->known()) {
      c.source = *known;
    } else if (!origin.empty()) {
      const SourceIndex& sources = change == Change::kRemoved ? before_ : after_;
      if (auto it = sources.find(origin); it != sources.end()) c.source = it->second;
    }
    c.origin = std::move(origin);
    out_.changes.push_back(std::move(c));
  }

  // Routes of one virtual host in both versions, paired by VirtualService, name and match.
  void routes(const std::string& prefix, const VirtualHost& a, const VirtualHost& b, std::vector<std::string>& notes) {
    auto key = [](const route::Route& r) { return r.virtual_service + "\n" + r.name + "\n" + describe_match(r.match); };
    std::map<std::string, std::vector<std::size_t>> unpaired;  // key -> old indices, in order
    for (std::size_t i = a.routes.size(); i-- > 0;) unpaired[key(a.routes[i])].push_back(i);
    std::vector<std::pair<std::size_t, std::size_t>> pairs;  // (old, new) in new order
    std::size_t added = 0, removed = 0, changed = 0;
    for (std::size_t j = 0; j < b.routes.size(); ++j) {
      auto it = unpaired.find(key(b.routes[j]));
      if (it == unpaired.end() || it->second.empty()) {
        const auto& r = b.routes[j];
        add(ConfigObject::kRoute, Change::kAdded, route_name(prefix, r, j), route_origin(r),
            describe_match(r.match) + " " + describe_action(r), &r.source);
        ++added;
        continue;
      }
      pairs.emplace_back(it->second.back(), j);
      it->second.pop_back();
    }
    for (const auto& [k, left] : unpaired) {
      for (std::size_t i : left) {
        const auto& r = a.routes[i];
        add(ConfigObject::kRoute, Change::kRemoved, route_name(prefix, r, i), route_origin(r),
            describe_match(r.match) + " " + describe_action(r), &r.source);
        ++removed;
      }
    }
    const std::vector<bool> moved = out_of_order(pairs);
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      const auto [i, j] = pairs[p];
      std::string detail = differences(a.routes[i], b.routes[j]);
      if (moved[p])
        detail = "position #" + std::to_string(i) + " -> #" + std::to_string(j) + (detail.empty() ? "" : "; ") + detail;
      if (detail.empty()) continue;
      const auto& r = b.routes[j];
      add(ConfigObject::kRoute, Change::kChanged, route_name(prefix, r, j), route_origin(r), std::move(detail),
          &r.source);
      ++changed;
    }
    if (added || removed || changed)
      notes.push_back("routes +" + std::to_string(added) + " ~" + std::to_string(changed) + " -" +
                      std::to_string(removed));
  }

 private:
  static std::string route_name(const std::string& prefix, const route::Route& r, std::size_t index) {
    return prefix + " #" + std::to_string(index) + (r.name.empty() ? "" : " " + r.name);
  }

  // Pairs (in new order) whose old positions are not in a longest increasing run: the routes
  // that moved relative to the others (a route inserted before them does not move them).
  static std::vector<bool> out_of_order(const std::vector<std::pair<std::size_t, std::size_t>>& pairs) {
    std::vector<std::size_t> tails;  // index into pairs of the smallest tail of each length
    std::vector<long> previous(pairs.size(), -1);
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      auto it = std::lower_bound(tails.begin(), tails.end(), pairs[p].first,
                                 [&](std::size_t t, std::size_t value) { return pairs[t].first < value; });
      if (it != tails.begin()) previous[p] = static_cast<long>(*(it - 1));
      if (it == tails.end())
        tails.push_back(p);
      else
        *it = p;
    }
    std::vector<bool> moved(pairs.size(), true);
    for (long p = tails.empty() ? -1 : static_cast<long>(tails.back()); p >= 0; p = previous[p]) moved[p] = false;
    return moved;
  }

  static std::string differences(const route::Route& a, const route::Route& b) {
    std::vector<std::string> out;
    const std::string action_a = describe_action(a), action_b = describe_action(b);
    if (action_a != action_b)
      out.push_back(action_a + " => " + action_b);
    else if (a.route.clusters != b.route.clusters)
      out.push_back("destination header operations");
    if (a.action_kind == b.action_kind && a.action_kind == route::Route::ActionKind::kRoute) {
      const auto& x = a.route;
      const auto& y = b.route;
      if (x.timeout != y.timeout)
        out.push_back("timeout " + (x.timeout ? std::to_string(*x.timeout) + "ms" : std::string("none")) + " -> " +
                      (y.timeout ? std::to_string(*y.timeout) + "ms" : std::string("none")));
      if (x.retry != y.retry)
        out.push_back("retries " + (x.retry ? std::to_string(x.retry->num_retries) : std::string("0")) + " -> " +
                      (y.retry ? std::to_string(y.retry->num_retries) : std::string("0")) +
                      (x.retry && y.retry && x.retry->num_retries == y.retry->num_retries ? " (policy)" : ""));
      if (x.prefix_rewrite != y.prefix_rewrite || x.regex_rewrite != y.regex_rewrite ||
          x.host_rewrite != y.host_rewrite)
        out.push_back("rewrite");
      if (x.mirrors != y.mirrors) out.push_back("mirrors");
      if (x.cluster_not_found_status != y.cluster_not_found_status) out.push_back("cluster_not_found_response_code");
    }
    if (a.fault != b.fault) out.push_back("fault");
    if (a.cors != b.cors) out.push_back("cors");
    if (a.request_headers != b.request_headers)
      out.push_back("request headers " + describe_header_ops(a.request_headers) + " -> " +
                    describe_header_ops(b.request_headers));
    if (a.response_headers != b.response_headers)
      out.push_back("response headers " + describe_header_ops(a.response_headers) + " -> " +
                    describe_header_ops(b.response_headers));
    if (a.gateway != b.gateway) out.push_back("bound by Gateway " + a.gateway + " -> " + b.gateway);
    std::string joined;
    for (const auto& s : out) joined += (joined.empty() ? "" : "; ") + s;
    return joined;
  }

  std::string gateway_;
  const SourceIndex& before_;
  const SourceIndex& after_;
  ConfigChange& out_;
};

route::TableChange flipped(route::TableChange c) {
  std::swap(c.listeners_added, c.listeners_removed);
  std::swap(c.virtual_hosts_added, c.virtual_hosts_removed);
  std::swap(c.clusters_added, c.clusters_removed);
  std::swap(c.policies_added, c.policies_removed);
  std::swap(c.unsimulated_added, c.unsimulated_removed);
  return c;
}

// "DENY ns/name (dry-run)" -> "AuthorizationPolicy ns/name"; "RequestAuthentication ns/name" as is.
std::string policy_origin(const std::string& name) {
  auto space = name.find(' ');
  if (space == std::string::npos) return {};
  std::string kind = name.substr(0, space);
  std::string rest = name.substr(space + 1);
  rest = rest.substr(0, rest.find(' '));
  if (kind == "AUDIT" || kind == "DENY" || kind == "ALLOW") kind = "AuthorizationPolicy";
  return kind + " " + rest;
}

}  // namespace

SourceIndex index_sources(const std::vector<model::Object>& objects) {
  SourceIndex out;
  for (const auto& o : objects) {
    const std::string ns = o.namespace_();
    out.emplace(o.kind() + " " + (ns.empty() ? o.name() : ns + "/" + o.name()), o.source);
    // A namespaced object written without a namespace lands in "default".
    if (ns.empty()) out.emplace(o.kind() + " default/" + o.name(), o.source);
  }
  return out;
}

const char* config_object_name(ConfigObject kind) {
  switch (kind) {
    case ConfigObject::kListener:
      return "listener";
    case ConfigObject::kRouteConfiguration:
      return "route configuration";
    case ConfigObject::kVirtualHost:
      return "virtual host";
    case ConfigObject::kRoute:
      return "route";
    case ConfigObject::kCluster:
      return "cluster";
    case ConfigObject::kEndpoints:
      return "endpoints";
    case ConfigObject::kPolicy:
      return "policy";
  }
  return "?";
}

char change_mark(Change change) {
  switch (change) {
    case Change::kAdded:
      return '+';
    case Change::kRemoved:
      return '-';
    case Change::kChanged:
      return '~';
  }
  return '?';
}

std::string describe_match(const route::RouteMatch& match) {
  std::string out = "path ";
  switch (match.path.kind) {
    case route::PathMatcher::Kind::kPrefix:
      out += "prefix ";
      break;
    case route::PathMatcher::Kind::kExact:
      out += "exact ";
      break;
    case route::PathMatcher::Kind::kRegex:
      out += "regex ";
      break;
    case route::PathMatcher::Kind::kPathSeparatedPrefix:
      out += "path-separated prefix ";
      break;
  }
  out += match.path.value;
  if (!match.path.case_sensitive) out += " (ignore case)";
  for (const auto& h : match.headers)
    out += ", header " + h.name + (h.invert ? " not " : " ") + describe_string_match(h.match);
  for (const auto& q : match.query_parameters) out += ", query " + q.name + " " + describe_string_match(q.match);
  for (const auto& c : match.claims) {
    std::string path;
    for (const auto& p : c.path) path += (path.empty() ? "" : ".") + p;
    out += ", claim " + path + (c.invert ? " not " : " ") + describe_string_match(c.match);
  }
  return out;
}

std::string describe_action(const route::Route& r) {
  switch (r.action_kind) {
    case route::Route::ActionKind::kRoute: {
      std::string out = "->";
      const auto& clusters = r.route.clusters;
      for (std::size_t i = 0; i < clusters.size(); ++i) {
        out += (i ? ", " : " ") + clusters[i].cluster;
        if (clusters.size() > 1 && r.route.total_weight)
          out += " " + percent(static_cast<double>(clusters[i].weight) / r.route.total_weight);
      }
      return out;
    }
    case route::Route::ActionKind::kRedirect: {
      const auto& d = r.redirect;
      std::string target = (d.scheme.empty() ? "" : d.scheme + "://") + d.host +
                           (d.port ? ":" + std::to_string(d.port) : "") + d.path +
                           (d.has_prefix_rewrite ? " prefix " + d.prefix_rewrite : "");
      return "redirect " + std::to_string(d.code) + (target.empty() ? "" : " to " + target);
    }
    case route::Route::ActionKind::kDirectResponse:
      return "direct response " + std::to_string(r.direct_response.status);
    case route::Route::ActionKind::kUnsupported:
      return "unsupported (" + r.unsupported_reason + ")";
  }
  return "?";
}

ConfigChange diff_config(const std::string& gateway, const RouteTable* before, const RouteTable* after,
                         const SourceIndex& before_sources, const SourceIndex& after_sources) {
  ConfigChange out;
  if (!before && !after) return out;
  const route::TableChange tc =
      after ? route::diff_tables(before, *after) : flipped(route::diff_tables(nullptr, *before));
  Differ d(gateway, before_sources, after_sources, out);

  for (const auto& name : tc.listeners_added)
    d.add(ConfigObject::kListener, Change::kAdded, name, gateway_of(after, name, {}));
  for (const auto& name : tc.listeners_removed)
    d.add(ConfigObject::kListener, Change::kRemoved, name, gateway_of(before, name, {}));

  // Route configurations: table_diff names only their virtual hosts.
  std::set<std::string> before_configs, after_configs;
  if (before)
    for (const auto& [name, rc] : before->route_configs) before_configs.insert(name);
  if (after)
    for (const auto& [name, rc] : after->route_configs) after_configs.insert(name);
  for (const auto& name : after_configs)
    if (!before_configs.count(name))
      d.add(ConfigObject::kRouteConfiguration, Change::kAdded, name, gateway_of(after, {}, name));
  for (const auto& name : before_configs)
    if (!after_configs.count(name))
      d.add(ConfigObject::kRouteConfiguration, Change::kRemoved, name, gateway_of(before, {}, name));

  auto vhost_origin = [](const RouteTable* table, const std::string& rc, const VirtualHost& vh) {
    return vh.routes.empty() ? gateway_of(table, {}, rc) : route_origin(vh.routes.front());
  };
  VirtualHostFinder find_before(before), find_after(after);
  for (const auto& name : tc.virtual_hosts_added) {
    auto [rc, vh] = find_after(name);
    if (vh) d.add(ConfigObject::kVirtualHost, Change::kAdded, rc + "/" + vh->name, vhost_origin(after, rc, *vh));
  }
  for (const auto& name : tc.virtual_hosts_removed) {
    auto [rc, vh] = find_before(name);
    if (vh) d.add(ConfigObject::kVirtualHost, Change::kRemoved, rc + "/" + vh->name, vhost_origin(before, rc, *vh));
  }
  for (const auto& name : tc.virtual_hosts_changed) {
    auto [rc, a] = find_before(name);
    auto [rc_after, b] = find_after(name);
    if (!a || !b) continue;
    const std::string prefix = rc_after + "/" + b->name;
    std::vector<std::string> notes;
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
      return s;
    };
    if (a->domains != b->domains) notes.push_back("domains [" + join(a->domains) + "] -> [" + join(b->domains) + "]");
    if (a->require_tls != b->require_tls)
      notes.push_back(std::string("httpsRedirect ") + (b->require_tls ? "on" : "off"));
    // The virtual host's line comes before its routes' lines.
    const std::size_t at = out.changes.size();
    d.routes(prefix, *a, *b, notes);
    if (notes.empty()) continue;  // only positions in the files moved
    std::string detail;
    for (const auto& n : notes) detail += (detail.empty() ? "" : "; ") + n;
    d.add(ConfigObject::kVirtualHost, Change::kChanged, prefix, vhost_origin(after, rc_after, *b), detail);
    std::rotate(out.changes.begin() + static_cast<std::ptrdiff_t>(at), out.changes.end() - 1, out.changes.end());
  }

  for (const auto& name : tc.clusters_added) {
    const auto& c = after->clusters.at(name);
    d.add(ConfigObject::kCluster, Change::kAdded, name, cluster_origin(c, after_sources),
          std::to_string(c.endpoints.size()) + " endpoints");
  }
  for (const auto& name : tc.clusters_removed)
    d.add(ConfigObject::kCluster, Change::kRemoved, name, cluster_origin(before->clusters.at(name), before_sources));
  if (before && after) {
    for (const auto& [name, b] : after->clusters) {
      auto it = before->clusters.find(name);
      if (it == before->clusters.end()) continue;
      const auto& a = it->second;
      std::string detail;
      if (a.lb.kind != b.lb.kind)
        detail = std::string("load balancer ") + lb_name(a.lb.kind) + " -> " + lb_name(b.lb.kind);
      if (a.destination_rule != b.destination_rule)
        detail += (detail.empty() ? "" : "; ") +
                  ("DestinationRule " + (a.destination_rule.empty() ? "none" : a.destination_rule) + " -> " +
                   (b.destination_rule.empty() ? "none" : b.destination_rule));
      if (!detail.empty())
        d.add(ConfigObject::kCluster, Change::kChanged, name, cluster_origin(b, after_sources), detail);
    }
  }
  for (const auto& line : tc.endpoints_changed) {
    const auto space = line.find(' ');
    const std::string name = line.substr(0, space);
    const auto it = after->clusters.find(name);  // endpoints change only in clusters of both tables
    d.add(ConfigObject::kEndpoints, Change::kChanged, name,
          it != after->clusters.end() ? "Service " + it->second.service : std::string(),
          space == std::string::npos ? std::string() : line.substr(space + 1));
  }
  for (const auto& name : tc.policies_added) d.add(ConfigObject::kPolicy, Change::kAdded, name, policy_origin(name));
  for (const auto& name : tc.policies_removed)
    d.add(ConfigObject::kPolicy, Change::kRemoved, name, policy_origin(name));
  for (const auto& name : tc.unsimulated_added)
    d.add(ConfigObject::kPolicy, Change::kAdded, name + " (unsimulated)", name);
  for (const auto& name : tc.unsimulated_removed)
    d.add(ConfigObject::kPolicy, Change::kRemoved, name + " (unsimulated)", name);
  return out;
}

}  // namespace gwsim::config_diff
