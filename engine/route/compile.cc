// Paraphrases Istio's gateway config generation; file references point at istio/istio.
#include "engine/route/compile.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <set>

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include "engine/host/host_name.h"
#include "engine/route/delegate.h"

namespace gwsim::route {

namespace {

using model::ConfigSnapshot;
using model::Gateway;
using model::Server;
using model::Service;
using model::VirtualService;

constexpr const char* kRootNamespace = "istio-system";  // meshConfig.rootNamespace default
constexpr const char* kMeshGateway = "mesh";

bool labels_subset(const Labels& subset, const Labels& of) {
  for (const auto& [k, v] : subset) {
    auto it = of.find(k);
    if (it == of.end() || it->second != v) return false;
  }
  return true;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// protocol.Parse(...).IsHTTP(): the protocols that share one HTTP connection manager.
bool is_http_protocol(const std::string& protocol) {
  const std::string p = upper(protocol);
  return p == "HTTP" || p == "HTTP2" || p == "GRPC" || p == "GRPC-WEB" || p == "HTTP_PROXY";
}

bool is_passthrough(const Server& s) {
  return s.tls && (s.tls->mode.empty() || s.tls->mode == "PASSTHROUGH" || s.tls->mode == "AUTO_PASSTHROUGH");
}

// pkg/config/gateway: IsTLSServer / IsHTTPServer.
bool is_tls_server(const Server& s) { return s.tls && !is_http_protocol(s.port.protocol); }
bool is_http_server(const Server& s) {
  if (is_http_protocol(s.port.protocol)) return true;
  return upper(s.port.protocol) == "HTTPS" && s.tls && !is_passthrough(s);
}

// Istio's creation-time order: creationTimestamp, then name, then namespace.
template <typename T>
bool older(const T& a, const T& b) {
  if (a.meta.creation_time != b.meta.creation_time) return a.meta.creation_time < b.meta.creation_time;
  if (a.meta.name != b.meta.name) return a.meta.name < b.meta.name;
  return a.meta.namespace_ < b.meta.namespace_;
}

// pilot/pkg/model/config.go resolveGatewayName.
std::string resolve_gateway_name(const std::string& name, const std::string& ns) {
  if (name == kMeshGateway) return name;
  auto slash = name.find('/');
  if (slash == std::string::npos) {
    auto dot = name.find('.');
    if (dot == std::string::npos) return ns + "/" + name;
    std::string rest = name.substr(dot + 1);
    auto dot2 = rest.find('.');
    return (dot2 == std::string::npos ? rest : rest.substr(0, dot2)) + "/" + name.substr(0, dot);
  }
  if (name.substr(0, slash) == ".") return ns + "/" + name.substr(slash + 1);
  return name;
}

// exportTo visibility of a resource in `owner_ns` from `from_ns`. Empty means public.
bool visible_from(const std::vector<std::string>& export_to, const std::string& owner_ns, const std::string& from_ns) {
  if (export_to.empty()) return true;
  for (const auto& e : export_to) {
    if (e == "*") return true;
    if (e == "~") return false;
    if (e == "." && owner_ns == from_ns) return true;
    if (e == from_ns) return true;
  }
  return false;
}

std::shared_ptr<const re2::RE2> compile_regex(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const re2::RE2>(pattern, options);
  return re->ok() ? re : nullptr;
}

StringMatcher to_matcher(const model::StringMatch& m) {
  StringMatcher out;
  switch (m.kind) {
    case model::StringMatch::Kind::kNone: out.kind = StringMatcher::Kind::kPresent; break;
    case model::StringMatch::Kind::kExact: out.kind = StringMatcher::Kind::kExact; break;
    case model::StringMatch::Kind::kPrefix: out.kind = StringMatcher::Kind::kPrefix; break;
    case model::StringMatch::Kind::kRegex:
      // route.go canBeConvertedToPresentMatch: regex "*" means "present".
      if (m.value == "*") {
        out.kind = StringMatcher::Kind::kPresent;
      } else {
        out.kind = StringMatcher::Kind::kRegex;
        out.regex = compile_regex(m.value);
      }
      break;
  }
  out.value = m.value;
  return out;
}

// route.go isInternalHeader: pseudo headers and Host cannot be changed as headers.
bool is_internal_header(const std::string& name) { return name.rfind(':', 0) == 0 || lower(name) == "host"; }
bool is_authority_header(const std::string& name) { return lower(name) == ":authority" || lower(name) == "host"; }

// route.go TranslateHeadersOperations: internal headers are dropped; ":authority"/"host" in set
// (else in add) becomes a host rewrite, reported through `authority`.
HeaderOps to_header_ops(const std::optional<model::HeaderOperations>& ops, std::string* authority = nullptr) {
  HeaderOps out;
  if (!ops) return out;
  std::string set_authority, add_authority;
  for (const auto& [k, v] : ops->set) {
    if (is_authority_header(k)) set_authority = v;
    if (!is_internal_header(k)) out.set.emplace_back(lower(k), v);
  }
  for (const auto& [k, v] : ops->add) {
    if (is_authority_header(k)) add_authority = v;
    if (!is_internal_header(k)) out.add.emplace_back(lower(k), v);
  }
  for (const auto& k : ops->remove) {
    if (!is_internal_header(k)) out.remove.push_back(lower(k));
  }
  if (authority) *authority = set_authority.empty() ? add_authority : set_authority;
  return out;
}

void append_ops(HeaderOps& to, const HeaderOps& from) {
  to.set.insert(to.set.end(), from.set.begin(), from.set.end());
  to.add.insert(to.add.end(), from.add.begin(), from.add.end());
  to.remove.insert(to.remove.end(), from.remove.begin(), from.remove.end());
}

// route.go TranslateRouteMatch.
RouteMatch translate_match(const model::HTTPMatchRequest* in) {
  RouteMatch out;
  if (!in) return out;
  for (const auto& [name, m] : in->headers) {
    out.headers.push_back(HeaderMatcher{lower(name), to_matcher(m), false});
  }
  for (const auto& [name, m] : in->without_headers) {
    out.headers.push_back(HeaderMatcher{lower(name), to_matcher(m), true});
  }
  std::stable_sort(out.headers.begin(), out.headers.end(),
                   [](const HeaderMatcher& a, const HeaderMatcher& b) { return a.name < b.name; });
  if (in->uri) {
    switch (in->uri->kind) {
      case model::StringMatch::Kind::kExact:
        out.path.kind = PathMatcher::Kind::kExact;
        out.path.value = in->uri->value;
        break;
      case model::StringMatch::Kind::kPrefix:
        out.path.kind = PathMatcher::Kind::kPrefix;
        out.path.value = in->uri->value;
        break;
      case model::StringMatch::Kind::kRegex:
        out.path.kind = PathMatcher::Kind::kRegex;
        out.path.value = in->uri->value;
        out.path.regex = compile_regex(in->uri->value);
        break;
      case model::StringMatch::Kind::kNone: break;
    }
  }
  out.path.case_sensitive = !in->ignore_uri_case;
  if (out.path.kind == PathMatcher::Kind::kRegex && !out.path.case_sensitive && out.path.regex) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(false);
    out.path.regex = std::make_shared<const re2::RE2>(out.path.value, options);
  }
  if (in->method) out.headers.push_back(HeaderMatcher{":method", to_matcher(*in->method), false});
  if (in->authority) out.headers.push_back(HeaderMatcher{":authority", to_matcher(*in->authority), false});
  if (in->scheme) out.headers.push_back(HeaderMatcher{":scheme", to_matcher(*in->scheme), false});
  for (const auto& [name, m] : in->query_params) {
    out.query_parameters.push_back(QueryParameterMatcher{name, to_matcher(m)});
  }
  return out;
}

// ---- the world as seen from the gateway ---------------------------------------------

struct ServiceIndex {
  // hostname -> services with that hostname (one per namespace), in snapshot order.
  std::map<std::string, std::vector<const Service*>> by_host;
  std::map<std::string, const model::Pod*> pods;  // "ns/name"
  std::map<std::string, const model::Endpoints*> endpoints;  // "ns/name"
};

class Compiler {
 public:
  Compiler(const ConfigSnapshot& snapshot, GatewayProxy proxy) : snap_(snapshot) {
    table_.proxy = std::move(proxy);
    for (const auto& s : snap_.services) index_.by_host[s.hostname()].push_back(&s);
    for (const auto& p : snap_.pods) index_.pods[p.meta.namespace_ + "/" + p.meta.name] = &p;
    for (const auto& e : snap_.endpoints) index_.endpoints[e.meta.namespace_ + "/" + e.meta.name] = &e;
    add_service_entries();
    std::vector<VirtualService> resolved;
    resolved.reserve(snap_.virtual_services.size());
    for (const auto& vs : snap_.virtual_services) resolved.push_back(resolve(vs));
    // Delegates are merged into their roots before anything binds (virtualservice.go).
    const bool any_delegate = std::any_of(resolved.begin(), resolved.end(), [](const VirtualService& vs) {
      return vs.hosts.empty() || std::any_of(vs.http.begin(), vs.http.end(),
                                             [](const model::HTTPRoute& r) { return r.delegate.has_value(); });
    });
    virtual_services_ = any_delegate ? merge_delegates(resolved, table_.warnings) : std::move(resolved);
    // Oldest first; pointers are sorted, not the VirtualServices themselves (they are large).
    ordered_vs_.reserve(virtual_services_.size());
    for (const auto& vs : virtual_services_) ordered_vs_.push_back(&vs);
    std::stable_sort(ordered_vs_.begin(), ordered_vs_.end(),
                     [](const VirtualService* a, const VirtualService* b) { return older(*a, *b); });
  }

  RouteTable build() {
    select_gateways();
    merge_servers();
    build_clusters();
    build_listeners_and_routes();
    return std::move(table_);
  }

 private:
  struct ServerRef {
    const Server* server;
    Server sanitized;  // hosts after sanitizeServerHostNamespace
    std::string gateway;  // "ns/name"
    std::string gateway_namespace;
  };
  struct ServerPortKey {
    std::uint32_t port;
    std::string protocol;
    std::string bind;
    auto tie() const { return std::tie(port, protocol, bind); }
    bool operator<(const ServerPortKey& o) const { return tie() < o.tie(); }
    bool operator==(const ServerPortKey& o) const { return tie() == o.tie(); }
  };
  struct MergedServers {
    std::vector<int> servers;  // indexes into servers_
    std::string route_name;
  };

  const ConfigSnapshot& snap_;
  RouteTable table_;
  ServiceIndex index_;
  std::vector<VirtualService> virtual_services_;   // hosts and gateways resolved
  std::vector<const VirtualService*> ordered_vs_;  // the same, oldest first
  std::vector<const Gateway*> gateways_;
  std::vector<ServerRef> servers_;
  std::map<ServerPortKey, MergedServers> merged_;
  std::vector<ServerPortKey> server_ports_;  // in the order they were first seen
  std::map<std::string, std::vector<int>> servers_by_route_;
  std::map<std::string, std::vector<const model::DestinationRule*>> dr_by_ns_;
  std::deque<Service> se_services_;  // ServiceEntry hosts as services (stable addresses)
  std::map<std::pair<const Service*, std::uint32_t>, std::vector<Endpoint>> se_endpoints_;

  void warn(std::string message) { table_.warnings.push_back(std::move(message)); }
  const std::string& proxy_ns() const { return table_.proxy.namespace_; }

  // pilot/pkg/model/virtualservice.go resolveVirtualServiceShortnames.
  static VirtualService resolve(const VirtualService& in) {
    VirtualService vs = in;
    const std::string& ns = vs.meta.namespace_;
    for (auto& h : vs.hosts) h = host::resolve_short_name(h, ns);
    for (auto& g : vs.gateways) g = resolve_gateway_name(g, ns);
    for (auto& http : vs.http) {
      for (auto& m : http.match) {
        for (auto& g : m.gateways) g = resolve_gateway_name(g, ns);
      }
      for (auto& d : http.route) d.destination.host = host::resolve_short_name(d.destination.host, ns);
      if (http.mirror) http.mirror->host = host::resolve_short_name(http.mirror->host, ns);
      for (auto& m : http.mirrors) m.destination.host = host::resolve_short_name(m.destination.host, ns);
    }
    for (auto& t : vs.tcp) {
      for (auto& d : t.route) d.destination.host = host::resolve_short_name(d.destination.host, ns);
    }
    for (auto& t : vs.tls) {
      for (auto& d : t.route) d.destination.host = host::resolve_short_name(d.destination.host, ns);
    }
    for (auto& e : vs.export_to) {
      if (e == ".") e = ns;
    }
    return vs;
  }

  // pilot/pkg/model/push_context.go: gateways whose selector is a subset of the pod's labels,
  // from every namespace, oldest first.
  void select_gateways() {
    for (const auto& gw : snap_.gateways) {
      if (labels_subset(gw.selector, table_.proxy.labels)) gateways_.push_back(&gw);
    }
    std::stable_sort(gateways_.begin(), gateways_.end(),
                     [](const Gateway* a, const Gateway* b) { return older(*a, *b); });
    for (const auto* gw : gateways_) table_.gateways.push_back(gw->meta.namespace_ + "/" + gw->meta.name);
  }

  // pilot/pkg/model/gateway.go resolvePorts, for label-selected ("legacy") gateways: the first
  // Service port equal to the server port gives the targetPort, else the server port as is.
  std::uint32_t resolve_port(std::uint32_t number) const {
    auto it = table_.proxy.translated_ports.find(number);
    return it == table_.proxy.translated_ports.end() ? number : it->second;
  }

  static Server sanitize(const Server& in, const std::string& ns) {
    Server s = in;
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

  static std::string rds_name(const Server& s, std::uint32_t port, const Gateway& gw) {
    std::string bind = s.bind.empty() ? "" : "." + s.bind;
    if (is_http_protocol(s.port.protocol)) return "http." + std::to_string(port) + bind;
    if (upper(s.port.protocol) == "HTTPS" && !is_passthrough(s)) {
      return "https." + std::to_string(s.port.number) + "." + s.port.name + "." + gw.meta.name + "." +
             gw.meta.namespace_ + bind;
    }
    return "";
  }

  // pilot/pkg/model/gateway.go mergeGateways (HTTP/HTTPS/TLS/TCP server merging per port).
  void merge_servers() {
    std::set<std::uint32_t> gateway_ports;
    std::map<std::uint32_t, ServerPortKey> plain_text;
    std::map<std::uint32_t, std::set<std::string>> non_plain_binds;
    std::map<std::uint32_t, std::map<std::string, std::string>> tls_hosts;  // port -> host -> bind
    for (const auto* gw : gateways_) {
      const std::string gw_name = gw->meta.namespace_ + "/" + gw->meta.name;
      for (const auto& original : gw->servers) {
        servers_.push_back(ServerRef{&original, sanitize(original, gw->meta.namespace_), gw_name, gw->meta.namespace_});
        const int idx = static_cast<int>(servers_.size() - 1);
        const Server& s = servers_.back().sanitized;
        const std::uint32_t port = resolve_port(s.port.number);
        const std::string route_name = rds_name(s, port, *gw);
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
        ServerPortKey key{port, upper(s.port.protocol), s.bind};
        if (!gateway_ports.count(port)) {
          gateway_ports.insert(port);
          add_plain_text(idx, key, route_name, plain_text);
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
            if (!merged_.count(key)) {
              add_plain_text(idx, key, route_name, plain_text);
            } else {
              merged_[key].route_name = route_name;
              merged_[key].servers.push_back(idx);
              servers_by_route_[route_name].push_back(idx);
            }
          } else {
            merged_[current].servers.push_back(idx);
            servers_by_route_[route_name].push_back(idx);
          }
          continue;
        }
        if (!is_tls_server(s)) {
          plain_text[port] = key;
          if (is_http_server(s)) servers_by_route_[route_name] = {idx};
          merged_[key] = MergedServers{{idx}, route_name};
          server_ports_.push_back(key);
          continue;
        }
        if (is_http_server(s)) {
          if (route_name.empty() || servers_by_route_.count(route_name)) {
            warn("skipping server on gateway " + gw_name + " port " + s.port.name + ": non unique port name for HTTPS port");
            continue;
          }
          servers_by_route_[route_name] = {idx};
        }
        bool new_bind = non_plain_binds[port].insert(key.bind).second;
        if (!s.tls && !new_bind) {
          warn("TLS server without TLS options " + gw_name);
          continue;
        }
        if (!merged_.count(key)) {
          merged_[key] = MergedServers{{idx}, ""};
          server_ports_.push_back(key);
        } else {
          merged_[key].servers.push_back(idx);
        }
      }
    }
  }

  void add_plain_text(int idx, const ServerPortKey& key, const std::string& route_name,
                      std::map<std::uint32_t, ServerPortKey>& plain_text) {
    const Server& s = servers_[idx].sanitized;
    if (!is_tls_server(s)) plain_text[key.port] = key;
    if (is_http_server(s)) servers_by_route_[route_name] = {idx};
    merged_[key] = MergedServers{{idx}, route_name};
    server_ports_.push_back(key);
  }

  // ---- services, destination rules and clusters ---------------------------------------

  bool service_visible(const Service& s) const { return visible_from(s.export_to, s.meta.namespace_, proxy_ns()); }

  // push.ServiceForHostname with the gateway's preference for the VirtualService's namespace.
  const Service* service_for(const std::string& hostname, const std::string& vs_namespace) const {
    auto it = index_.by_host.find(hostname);
    if (it == index_.by_host.end()) return nullptr;
    for (const auto* s : it->second) {
      if (s->meta.namespace_ == vs_namespace && service_visible(*s)) return s;
    }
    for (const auto* s : it->second) {
      if (service_visible(*s)) return s;
    }
    return nullptr;
  }

  struct EffectiveRule {
    std::vector<const model::DestinationRule*> rules;  // merged, oldest first
    std::string name;                                   // "ns/name" of the first
  };

  // Istio's DestinationRule host match within one namespace: exact host first, then the most
  // specific wildcard; several rules for the same host merge (consolidated rules).
  std::optional<EffectiveRule> rules_in_namespace(const std::string& ns, const std::string& hostname,
                                                  const std::function<bool(const model::DestinationRule&)>& eligible) {
    auto it = dr_by_ns_.find(ns);
    if (it == dr_by_ns_.end()) return std::nullopt;
    std::vector<std::string> hosts;
    std::vector<const model::DestinationRule*> rules;
    for (const auto* dr : it->second) {
      if (!eligible(*dr)) continue;
      hosts.push_back(host::resolve_short_name(dr->host, dr->meta.namespace_));
      rules.push_back(dr);
    }
    int best = host::most_specific_match(hostname, hosts);
    if (best < 0) return std::nullopt;
    EffectiveRule out;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (hosts[i] == hosts[best]) out.rules.push_back(rules[i]);
    }
    out.name = out.rules.front()->meta.namespace_ + "/" + out.rules.front()->meta.name;
    return out;
  }

  // pilot/pkg/model/push_context.go destinationRule(): the proxy's namespace (unless it is the
  // root namespace), then the service's namespace, then the root namespace.
  std::optional<EffectiveRule> destination_rule_for(const Service& svc) {
    const std::string hostname = svc.hostname();
    auto exported = [this](const model::DestinationRule& dr) {
      return visible_from(dr.export_to, dr.meta.namespace_, proxy_ns());
    };
    if (proxy_ns() != kRootNamespace) {
      if (auto r = rules_in_namespace(proxy_ns(), hostname, [](const model::DestinationRule&) { return true; })) return r;
    } else {
      // Root-namespace rules private to it ("."), meant for this proxy.
      auto root_local = [](const model::DestinationRule& dr) {
        return !dr.export_to.empty() && std::all_of(dr.export_to.begin(), dr.export_to.end(), [&dr](const std::string& e) {
                 return e == "." || e == dr.meta.namespace_;
               });
      };
      if (auto r = rules_in_namespace(kRootNamespace, hostname, root_local)) return r;
    }
    if (auto r = rules_in_namespace(svc.meta.namespace_, hostname, exported)) return r;
    return rules_in_namespace(kRootNamespace, hostname, exported);
  }

  static LoadBalancerPolicy lb_from(const model::LoadBalancerSettings& s) {
    LoadBalancerPolicy p;
    if (s.consistent_hash) {
      p.kind = LoadBalancerPolicy::Kind::kRingHash;
      p.hash = s.consistent_hash;
    } else if (s.simple == "ROUND_ROBIN") {
      p.kind = LoadBalancerPolicy::Kind::kRoundRobin;
    } else if (s.simple == "RANDOM") {
      p.kind = LoadBalancerPolicy::Kind::kRandom;
    } else {
      p.kind = LoadBalancerPolicy::Kind::kLeastRequest;  // UNSPECIFIED, LEAST_REQUEST, LEAST_CONN
    }
    return p;
  }

  // The load balancer a cluster gets (util.MergeSubsetTrafficPolicy): the rule's policy, where
  // port-level settings for the port replace it wholesale (an omitted loadBalancer falls back to
  // the default, it is not inherited); then the subset's policy, treated the same way, overrides
  // the load balancer when it sets one or has port-level settings for the port.
  static LoadBalancerPolicy lb_for(const std::vector<const model::DestinationRule*>& rules, std::uint32_t port,
                                   const model::Subset* subset) {
    using LB = std::optional<model::LoadBalancerSettings>;
    // GetPortLevelTrafficPolicy: the policy's load balancer for `port`, and whether port-level
    // settings for the port exist.
    auto for_port = [port](const model::TrafficPolicy& tp) -> std::pair<LB, bool> {
      for (const auto& pl : tp.port_level_settings) {
        if (pl.port == port) return {pl.load_balancer, true};
      }
      return {tp.load_balancer, false};
    };
    const model::TrafficPolicy* top = nullptr;
    for (const auto* dr : rules) {
      if (dr->traffic_policy) {
        top = &*dr->traffic_policy;  // the first rule with a top-level policy wins (consolidation)
        break;
      }
    }
    LB chosen = top ? for_port(*top).first : LB{};
    if (subset && subset->traffic_policy) {
      auto [subset_lb, has_port_level] = for_port(*subset->traffic_policy);
      if (!top || subset_lb || has_port_level) chosen = subset_lb;
    }
    return chosen ? lb_from(*chosen) : LoadBalancerPolicy{};
  }

  // ServiceEntry hosts are services too (serviceentry/conversion.go): one per host, named by
  // the host as written, with the entry's ports. Endpoints: the pods its workloadSelector picks
  // (in its namespace), or its inline endpoints; DNS resolution without endpoints resolves the
  // host itself. Wildcard hosts make no cluster a gateway can route to.
  void add_service_entries() {
    for (const auto& se : snap_.service_entries) {
      for (const auto& h : se.hosts) {
        if (host::is_wildcard(h)) continue;
        Service& svc = se_services_.emplace_back();
        svc.meta = se.meta;
        svc.fqdn = h;
        svc.export_to = se.export_to;
        for (const auto& p : se.ports) {
          model::ServicePort sp;
          sp.name = p.name;
          sp.port = static_cast<std::int32_t>(p.number);
          sp.protocol = p.protocol;
          sp.target_port_number = static_cast<std::int32_t>(p.target_port ? p.target_port : p.number);
          svc.ports.push_back(sp);
          se_endpoints_[{&svc, p.number}] = service_entry_endpoints(se, h, p);
        }
        index_.by_host[h].push_back(&svc);
      }
    }
  }

  std::vector<Endpoint> service_entry_endpoints(const model::ServiceEntry& se, const std::string& hostname,
                                                const model::ServiceEntryPort& port) const {
    std::vector<Endpoint> out;
    const std::uint32_t target = port.target_port ? port.target_port : port.number;
    if (se.workload_selector) {
      for (const auto& p : snap_.pods) {
        if (p.meta.namespace_ != se.meta.namespace_ || !p.ready || !labels_subset(*se.workload_selector, p.meta.labels)) continue;
        out.push_back(Endpoint{p.ip, target, p.meta.name, p.meta.namespace_, p.meta.labels, true});
      }
    } else if (!se.endpoints.empty()) {
      for (const auto& we : se.endpoints) {
        auto mapped = we.ports.find(port.name);
        out.push_back(Endpoint{we.address, mapped != we.ports.end() ? mapped->second : target, "", se.meta.namespace_,
                               we.labels, true});
      }
    } else if (se.resolution == "DNS" || se.resolution == "DNS_ROUND_ROBIN") {
      out.push_back(Endpoint{hostname, target, "", se.meta.namespace_, {}, true});
    }
    // resolution NONE: an original-destination cluster, which has nowhere to go from a gateway.
    std::sort(out.begin(), out.end(), [](const Endpoint& a, const Endpoint& b) {
      return std::tie(a.pod_name, a.ip) < std::tie(b.pod_name, b.ip);
    });
    return out;
  }

  std::vector<Endpoint> endpoints_for(const Service& svc, const model::ServicePort& sp) const {
    std::vector<Endpoint> out;
    if (!svc.fqdn.empty()) {
      auto se = se_endpoints_.find({&svc, static_cast<std::uint32_t>(sp.port)});
      return se == se_endpoints_.end() ? out : se->second;
    }
    auto it = index_.endpoints.find(svc.meta.namespace_ + "/" + svc.meta.name);
    if (it == index_.endpoints.end()) return out;
    for (const auto& subset : it->second->subsets) {
      const model::EndpointPort* port = nullptr;
      for (const auto& p : subset.ports) {
        if (p.name == sp.name || subset.ports.size() == 1) port = &p;
      }
      if (!port) continue;
      for (const auto& a : subset.addresses) {
        if (!a.ready) continue;  // Istio sends only ready endpoints to gateways
        Endpoint e;
        e.ip = a.ip;
        e.port = static_cast<std::uint32_t>(port->port);
        e.pod_name = a.pod_name;
        e.pod_namespace = a.pod_namespace.empty() ? svc.meta.namespace_ : a.pod_namespace;
        if (auto p = index_.pods.find(e.pod_namespace + "/" + e.pod_name); p != index_.pods.end()) {
          e.labels = p->second->meta.labels;
        }
        out.push_back(std::move(e));
      }
    }
    std::sort(out.begin(), out.end(), [](const Endpoint& a, const Endpoint& b) { return a.pod_name < b.pod_name; });
    return out;
  }

  static std::string subset_key(std::uint32_t port, const std::string& subset, const std::string& hostname) {
    return "outbound|" + std::to_string(port) + "|" + subset + "|" + hostname;
  }

  // CDS for a gateway: one cluster per visible Service port, plus one per DestinationRule subset.
  void build_clusters() {
    for (const auto& dr : snap_.destination_rules) dr_by_ns_[dr.meta.namespace_].push_back(&dr);
    for (auto& [ns, list] : dr_by_ns_) {
      std::stable_sort(list.begin(), list.end(),
                       [](const model::DestinationRule* a, const model::DestinationRule* b) { return older(*a, *b); });
    }
    for (const auto& [hostname, services] : index_.by_host) {
      const Service* svc = nullptr;
      for (const auto* s : services) {
        if (service_visible(*s)) {
          svc = s;
          break;
        }
      }
      if (!svc) continue;
      auto rule = destination_rule_for(*svc);
      for (const auto& sp : svc->ports) {
        const auto port = static_cast<std::uint32_t>(sp.port);
        auto endpoints = endpoints_for(*svc, sp);
        Cluster base;
        base.name = subset_key(port, "", hostname);
        base.host = hostname;
        base.port = port;
        base.service = svc->meta.namespace_ + "/" + svc->meta.name;
        if (rule) {
          base.destination_rule = rule->name;
          base.lb = lb_for(rule->rules, port, nullptr);
        }
        base.endpoints = endpoints;
        table_.clusters[base.name] = base;
        if (!rule) continue;
        std::set<std::string> seen;
        for (const auto* dr : rule->rules) {
          for (const auto& subset : dr->subsets) {
            if (!seen.insert(subset.name).second) continue;  // first definition of a subset wins
            Cluster c = base;
            c.name = subset_key(port, subset.name, hostname);
            c.subset = subset.name;
            c.lb = lb_for(rule->rules, port, &subset);
            c.endpoints.clear();
            for (const auto& e : endpoints) {
              if (labels_subset(subset.labels, e.labels)) c.endpoints.push_back(e);
            }
            table_.clusters[c.name] = std::move(c);
          }
        }
      }
    }
  }

  // ---- virtual services -> routes -----------------------------------------------------

  // push_context.go VirtualServicesForGateway: private to the proxy's namespace, exported to
  // it, then public; each group oldest first.
  std::vector<const VirtualService*> virtual_services_for(const std::string& gateway) const {
    std::vector<const VirtualService*> priv, exported, pub;
    for (const VirtualService* p : ordered_vs_) {
      const VirtualService& vs = *p;
      if (std::find(vs.gateways.begin(), vs.gateways.end(), gateway) == vs.gateways.end()) continue;
      const auto& ex = vs.export_to;
      bool is_public = ex.empty() || std::find(ex.begin(), ex.end(), "*") != ex.end();
      if (is_public) {
        pub.push_back(&vs);
        continue;
      }
      if (std::find(ex.begin(), ex.end(), "~") != ex.end()) continue;
      if (std::find(ex.begin(), ex.end(), proxy_ns()) == ex.end()) continue;
      (vs.meta.namespace_ == proxy_ns() ? priv : exported).push_back(&vs);
    }
    priv.insert(priv.end(), exported.begin(), exported.end());
    priv.insert(priv.end(), pub.begin(), pub.end());
    return priv;
  }

  bool source_matches(const model::HTTPMatchRequest* m, const std::string& gateway) const {
    if (!m) return true;
    if (!m->gateways.empty()) {
      return std::find(m->gateways.begin(), m->gateways.end(), gateway) != m->gateways.end();
    }
    if (labels_subset(m->source_labels, table_.proxy.labels)) {
      return m->source_namespace.empty() || m->source_namespace == proxy_ns();
    }
    return false;
  }

  WeightedCluster destination_cluster(const model::Destination& d, const std::string& vs_namespace,
                                      std::uint32_t listener_port) const {
    WeightedCluster wc;
    wc.host = d.host;
    const Service* svc = service_for(d.host, vs_namespace);
    std::uint32_t port = listener_port;
    if (d.port) {
      port = d.port->number;
    } else if (svc && svc->ports.size() == 1) {
      port = static_cast<std::uint32_t>(svc->ports.front().port);
    }
    wc.port = port;
    wc.subset = d.subset;
    wc.cluster = subset_key(port, d.subset, d.host);
    return wc;
  }

  // route.go TranslateRoute.
  std::shared_ptr<Route> translate_route(const VirtualService& vs, int http_index, const model::HTTPRoute& in,
                                         const model::HTTPMatchRequest* match, int match_index,
                                         std::uint32_t port, const std::string& gateway, bool is_tls) const {
    if (match && match->port != 0 && match->port != port) return nullptr;
    if (!source_matches(match, gateway)) return nullptr;
    auto out = std::make_shared<Route>();
    out->name = in.name;
    if (match && !match->name.empty()) out->name += "." + match->name;
    out->match = translate_match(match);
    out->virtual_service = vs.meta.namespace_ + "/" + vs.meta.name;
    out->gateway = gateway;
    out->http_index = http_index;
    out->match_index = match_index;
    out->source = in.source;
    std::string route_authority;
    if (in.headers) {
      out->request_headers = to_header_ops(in.headers->request, &route_authority);
      out->response_headers = to_header_ops(in.headers->response);
    }
    if (in.redirect) {
      apply_redirect(*out, *in.redirect, port, is_tls);
    } else if (in.direct_response) {
      out->action_kind = Route::ActionKind::kDirectResponse;
      out->direct_response.status = in.direct_response->status;
      out->direct_response.body = in.direct_response->body.value_or("");
    } else {
      apply_destinations(*out, vs, in, port, route_authority);
    }
    if (in.fault) {
      FaultPolicy f;
      if (in.fault->abort) {
        f.abort_status = in.fault->abort->http_status ? std::optional<std::uint32_t>(*in.fault->abort->http_status)
                                                      : std::nullopt;
        f.abort_percent = in.fault->abort->percentage ? in.fault->abort->percentage->value : 0;  // unset: Envoy's 0%
      }
      if (in.fault->delay) {
        f.delay = in.fault->delay->fixed_delay;
        f.delay_percent = in.fault->delay->percentage ? in.fault->delay->percentage->value
                          : in.fault->delay->percent ? *in.fault->delay->percent
                                                     : 0;
      }
      out->fault = f;
    }
    if (in.cors_policy) {
      CorsConfig c;
      c.policy = *in.cors_policy;
      for (const auto& o : in.cors_policy->allow_origins) c.origins.push_back(to_matcher(o));
      out->cors = std::move(c);
    }
    return out;
  }

  static void apply_redirect(Route& out, const model::HTTPRedirect& r, std::uint32_t port, bool is_tls) {
    out.action_kind = Route::ActionKind::kRedirect;
    RedirectAction& a = out.redirect;
    a.host = r.authority;
    if (!r.prefix_rewrite.empty()) {
      a.has_prefix_rewrite = true;
      a.prefix_rewrite = r.prefix_rewrite;
    } else {
      a.path = r.uri;
    }
    a.scheme = r.scheme;
    if (r.port || !r.derive_port.empty()) {
      if (r.derive_port == "FROM_REQUEST_PORT") a.port = port;
      if (r.port) a.port = *r.port;
      std::string scheme = r.scheme.empty() ? (is_tls ? "https" : "http") : r.scheme;
      if ((a.port == 80 && scheme == "http") || (a.port == 443 && scheme == "https")) a.port = 0;
    }
    switch (r.redirect_code) {
      case 0: case 301: a.code = 301; break;
      case 302: case 303: case 307: case 308: a.code = r.redirect_code; break;
      default:
        // route.go ApplyRedirect: unsupported codes leave the route without an action.
        out.action_kind = Route::ActionKind::kUnsupported;
        out.unsupported_reason = "redirect code " + std::to_string(r.redirect_code) +
                                 " is not supported by Istio (the route has no action)";
    }
  }

  void apply_destinations(Route& out, const VirtualService& vs, const model::HTTPRoute& in, std::uint32_t port,
                          std::string authority) const {
    out.action_kind = Route::ActionKind::kRoute;
    RouteAction& a = out.route;
    a.timeout = in.timeout;
    if (in.rewrite) {
      if (in.rewrite->uri_regex_rewrite) {
        a.regex_rewrite = in.rewrite->uri_regex_rewrite;
        a.regex_rewrite_pattern = compile_regex(in.rewrite->uri_regex_rewrite->match);
      } else if (!in.rewrite->uri.empty()) {
        a.prefix_rewrite = in.rewrite->uri;
      }
      if (!in.rewrite->authority.empty()) authority = in.rewrite->authority;
    }
    if (!authority.empty()) a.host_rewrite = authority;
    if (in.route.size() == 1) {
      WeightedCluster wc = destination_cluster(in.route.front().destination, vs.meta.namespace_, port);
      if (in.route.front().headers) {
        std::string dest_authority;
        append_ops(out.request_headers, to_header_ops(in.route.front().headers->request, &dest_authority));
        // The route's own authority wins; the destination's applies only without one.
        if (!dest_authority.empty() && !a.host_rewrite) a.host_rewrite = dest_authority;
        append_ops(out.response_headers, to_header_ops(in.route.front().headers->response));
      }
      a.clusters.push_back(std::move(wc));
    } else {
      for (const auto& d : in.route) {
        if (d.weight.value_or(0) == 0) continue;  // zero weights are dropped
        WeightedCluster wc = destination_cluster(d.destination, vs.meta.namespace_, port);
        wc.weight = static_cast<std::uint32_t>(*d.weight);
        if (d.headers) {
          std::string dest_authority;
          wc.request_headers = to_header_ops(d.headers->request, &dest_authority);
          wc.host_rewrite = dest_authority;
          wc.response_headers = to_header_ops(d.headers->response);
        }
        a.clusters.push_back(std::move(wc));
      }
    }
    for (const auto& c : a.clusters) a.total_weight += c.weight;
    if (a.clusters.size() == 1) a.total_weight = a.clusters.front().weight = 100;
    // retry.go ConvertPolicy: the mesh default unless the route sets attempts (0 disables).
    if (!in.retries) {
      a.retry = RetryPolicy{};
    } else if (in.retries->attempts > 0) {
      RetryPolicy p;
      p.num_retries = static_cast<std::uint32_t>(in.retries->attempts);
      if (!in.retries->retry_on.empty()) {
        p.retry_on.clear();
        p.retriable_status_codes.clear();
        std::string token;
        std::string spec = in.retries->retry_on + ",";
        for (char c : spec) {
          if (c != ',') {
            token += c;
            continue;
          }
          if (!token.empty()) {
            if (std::all_of(token.begin(), token.end(), ::isdigit)) {
              p.retriable_status_codes.push_back(static_cast<std::uint32_t>(std::stoul(token)));
            } else {
              p.retry_on += (p.retry_on.empty() ? "" : ",") + token;
            }
          }
          token.clear();
        }
        if (!p.retriable_status_codes.empty() && p.retry_on.find("retriable-status-codes") == std::string::npos) {
          p.retry_on += (p.retry_on.empty() ? "" : ",") + std::string("retriable-status-codes");
        }
      }
      p.per_try_timeout = in.retries->per_try_timeout;
      if (in.retries->retry_ignore_previous_hosts) p.retry_previous_hosts = *in.retries->retry_ignore_previous_hosts;
      a.retry = p;
    }
    auto add_mirror = [&](const model::Destination& d, double percent) {
      a.mirrors.push_back(Mirror{destination_cluster(d, vs.meta.namespace_, port).cluster, percent});
    };
    if (in.mirror) add_mirror(*in.mirror, in.mirror_percentage ? in.mirror_percentage->value : 100);
    for (const auto& m : in.mirrors) add_mirror(m.destination, m.percentage ? m.percentage->value : 100);
  }

  // route.go BuildHTTPRoutesForVirtualService: one route per match; stop after a catch-all.
  std::vector<std::shared_ptr<Route>> routes_for(const VirtualService& vs, std::uint32_t port, bool is_tls,
                                                 const std::string& gateway) const {
    std::vector<std::shared_ptr<Route>> out;
    bool catch_all = false;
    for (std::size_t i = 0; i < vs.http.size() && !catch_all; ++i) {
      const auto& http = vs.http[i];
      if (http.match.empty()) {
        if (auto r = translate_route(vs, static_cast<int>(i), http, nullptr, -1, port, gateway, is_tls)) out.push_back(r);
        catch_all = true;
        continue;
      }
      for (std::size_t m = 0; m < http.match.size(); ++m) {
        auto r = translate_route(vs, static_cast<int>(i), http, &http.match[m], static_cast<int>(m), port, gateway, is_tls);
        if (!r) continue;
        out.push_back(r);
        if (r->match.is_catch_all()) {
          catch_all = true;
          break;
        }
      }
    }
    return out;
  }

  struct VHostBuild {
    std::string name;
    std::vector<std::string> domains;
    std::vector<std::shared_ptr<Route>> routes;
    bool require_tls = false;
  };

  // pkg/config/host/names.go MoreSpecific: longest first, alphabetical, wildcards last.
  static bool more_specific(const std::string& a, const std::string& b) {
    bool aw = host::is_wildcard(a), bw = host::is_wildcard(b);
    if (aw != bw) return !aw;
    if (a.size() == b.size()) return a < b;
    return a.size() > b.size();
  }

  // gateway.go buildGatewayHTTPRouteConfig.
  RouteConfiguration build_route_config(const std::string& route_name, const std::vector<int>& server_indexes) {
    std::map<std::string, VHostBuild> vhosts;  // keyed by lower-cased hostname
    std::map<std::string, std::vector<std::shared_ptr<Route>>> routes_cache;  // gateway + vs
    for (int idx : server_indexes) {
      const ServerRef& ref = servers_[idx];
      const Server& server = ref.sanitized;
      const std::uint32_t port = server.port.number;
      const bool https_redirect = server.tls && server.tls->https_redirect;
      for (const VirtualService* vs : virtual_services_for(ref.gateway)) {
        if (vs->hosts.empty()) continue;  // delegates never bind directly
        auto server_hosts = host::names_for_namespace(server.hosts, vs->meta.namespace_, ref.gateway_namespace);
        auto hosts = host::intersection(server_hosts, vs->hosts);
        if (hosts.empty()) continue;
        const std::string key = ref.gateway + "|" + vs->meta.namespace_ + "/" + vs->meta.name;
        auto cached = routes_cache.find(key);
        if (cached == routes_cache.end()) {
          auto routes = routes_for(*vs, port, server.tls.has_value(), ref.gateway);
          if (routes.empty()) continue;  // "no routes matched": the VirtualService is omitted
          cached = routes_cache.emplace(key, std::move(routes)).first;
        }
        for (const auto& h : hosts) {
          const std::string hostname = lower(h);
          auto it = vhosts.find(hostname);
          if (it != vhosts.end()) {
            it->second.routes.insert(it->second.routes.end(), cached->second.begin(), cached->second.end());
            if (https_redirect) it->second.require_tls = true;
          } else {
            VHostBuild vh;
            vh.name = hostname + ":" + std::to_string(port);
            vh.domains = {hostname};
            vh.routes = cached->second;
            vh.require_tls = https_redirect;
            vhosts.emplace(hostname, std::move(vh));
          }
        }
      }
      if (https_redirect) {
        for (const auto& h : server.hosts) {
          const std::string hostname = lower(h);
          auto it = vhosts.find(hostname);
          if (it != vhosts.end()) {
            it->second.require_tls = true;
            continue;
          }
          VHostBuild vh;
          vh.name = hostname + ":" + std::to_string(port);
          vh.domains = {hostname};
          vh.require_tls = true;
          vhosts.emplace(hostname, std::move(vh));
        }
      }
    }

    std::vector<VHostBuild> built;
    if (vhosts.empty()) {
      const std::uint32_t port = servers_[server_indexes.front()].sanitized.port.number;
      VHostBuild vh;
      vh.name = "blackhole:" + std::to_string(port);
      vh.domains = {"*"};
      built.push_back(std::move(vh));
      warn("route config " + route_name + " has no virtual hosts: every request gets 404 (blackhole:" +
           std::to_string(port) + ")");
    } else {
      // collapseDuplicateRoutes: virtual hosts with the very same route list (the same routes
      // of the same VirtualServices) merge; the most specific hostname's vhost survives.
      std::vector<std::string> keys;
      for (const auto& [k, v] : vhosts) keys.push_back(k);
      std::sort(keys.begin(), keys.end(), more_specific);
      // Keyed by the identity of the route list (as Istio hashes the route pointers), so the
      // merge stays linear in the number of virtual hosts.
      std::vector<std::string> primaries;
      std::map<std::pair<bool, std::vector<const Route*>>, std::string> by_routes;
      for (const auto& k : keys) {
        VHostBuild& vh = vhosts[k];
        std::vector<const Route*> identity;
        identity.reserve(vh.routes.size());
        for (const auto& r : vh.routes) identity.push_back(r.get());
        auto [it, inserted] = by_routes.emplace(std::make_pair(vh.require_tls, std::move(identity)), k);
        if (inserted) {
          primaries.push_back(k);
        } else {
          VHostBuild& primary = vhosts[it->second];
          primary.domains.insert(primary.domains.end(), vh.domains.begin(), vh.domains.end());
        }
      }
      for (const auto& p : primaries) {
        VHostBuild vh = std::move(vhosts[p]);
        // route.go SortVHostRoutes: catch-all routes last, relative order kept.
        std::stable_partition(vh.routes.begin(), vh.routes.end(),
                              [](const std::shared_ptr<Route>& r) { return !r->match.is_catch_all(); });
        built.push_back(std::move(vh));
      }
    }
    std::stable_sort(built.begin(), built.end(), [](const VHostBuild& a, const VHostBuild& b) { return a.name < b.name; });

    // Routes only this virtual host still holds are moved, not copied (most of them).
    routes_cache.clear();
    vhosts.clear();
    RouteConfiguration rc;
    rc.name = route_name;
    for (auto& b : built) {
      VirtualHost vh;
      vh.name = std::move(b.name);
      vh.domains = std::move(b.domains);
      vh.require_tls = b.require_tls;
      vh.routes.reserve(b.routes.size());
      for (auto& r : b.routes) vh.routes.push_back(r.use_count() == 1 ? std::move(*r) : *r);
      rc.virtual_hosts.push_back(std::move(vh));
    }
    for (std::size_t i = 0; i < rc.virtual_hosts.size(); ++i) {
      for (const auto& d : rc.virtual_hosts[i].domains) rc.lookup.add(d, static_cast<int>(i));
    }
    return rc;
  }

  // pkg/config/gateway: IsHTTPSServerWithTLSTermination.
  static bool terminates_https(const Server& s) {
    return s.tls && upper(s.port.protocol) == "HTTPS" && !is_passthrough(s);
  }

  // model.GetSNIHostsForServer: hosts without namespace, deduplicated, sorted. A "*" among
  // them means no SNI criterion at all (the chain matches every server name).
  static std::vector<std::string> sni_hosts(const Server& s) {
    std::set<std::string> names;
    for (const auto& h : s.hosts) names.insert(host::parse_server_host(h).dns_name);
    if (names.count("*")) return {};
    return {names.begin(), names.end()};
  }

  // Istio's SDS lookup for credentialName, in the gateway workload's namespace.
  void resolve_credential(FilterChain& chain) const {
    const auto& tls = *chain.tls;
    if (tls.mode == "ISTIO_MUTUAL") return;  // the workload's own Istio certificate
    if (tls.credential_name.empty()) {
      if (tls.server_certificate.empty()) chain.credential_error = "the server has no credentialName and no certificate files";
      else chain.credential_error = "certificate files (serverCertificate) are not simulated; use credentialName";
      return;
    }
    auto find_secret = [this](const std::string& name) -> const model::Secret* {
      for (const auto& s : snap_.secrets) {
        if (s.meta.namespace_ == proxy_ns() && s.meta.name == name) return &s;
      }
      return nullptr;
    };
    auto value = [](const model::Secret& s, std::initializer_list<const char*> keys) -> std::string {
      for (const char* k : keys) {
        if (auto it = s.data.find(k); it != s.data.end() && !it->second.empty()) return it->second;
      }
      return {};
    };
    const model::Secret* secret = find_secret(tls.credential_name);
    if (!secret) {
      chain.credential_error = "Secret " + proxy_ns() + "/" + tls.credential_name +
                               " not found (credentialName is looked up in the gateway's namespace)";
      return;
    }
    TlsCredential c;
    c.secret = proxy_ns() + "/" + tls.credential_name;
    c.certificate_chain = value(*secret, {"tls.crt", "cert"});
    c.private_key = value(*secret, {"tls.key", "key"});
    c.ca_certificates = value(*secret, {"ca.crt", "cacert"});
    if (c.ca_certificates.empty()) {
      if (const model::Secret* ca = find_secret(tls.credential_name + "-cacert")) c.ca_certificates = value(*ca, {"ca.crt", "cacert"});
    }
    if (c.certificate_chain.empty() || c.private_key.empty()) {
      chain.credential_error = "Secret " + c.secret + " has no certificate and key (tls.crt/tls.key or cert/key)";
      return;
    }
    if ((tls.mode == "MUTUAL" || tls.mode == "OPTIONAL_MUTUAL") && c.ca_certificates.empty()) {
      chain.credential_error = "Secret " + c.secret + " has no CA certificate for " + tls.mode +
                               " (ca.crt, cacert, or Secret " + tls.credential_name + "-cacert)";
      return;
    }
    chain.credential = std::move(c);
  }

  // gateway.go l4SingleMatch: the match's port (if any) is the server port, and its gateways
  // (if any) include this one.
  static bool l4_match(std::uint32_t match_port, const std::vector<std::string>& gateways, const Server& s,
                       const std::string& gateway) {
    if (match_port != 0 && match_port != s.port.number) return false;
    return gateways.empty() || std::find(gateways.begin(), gateways.end(), gateway) != gateways.end();
  }

  // gateway.go pickMatchingGatewayHosts: any VirtualService host overlapping a server host
  // (a "ns/" prefix must name the VirtualService's namespace).
  static bool vs_hosts_overlap(const Server& s, const VirtualService& vs) {
    for (const auto& vh : vs.hosts) {
      for (const auto& h : s.hosts) {
        auto sh = host::parse_server_host(h);
        if (!sh.namespace_.empty() && sh.namespace_ != vs.meta.namespace_) continue;
        if (host::matches(sh.dns_name, vh)) return true;
      }
    }
    return false;
  }

  void set_tcp_destinations(FilterChain& chain, const std::vector<model::RouteDestination>& routes,
                            const VirtualService& vs, std::uint32_t server_port) const {
    chain.http = false;
    chain.virtual_service = vs.meta.namespace_ + "/" + vs.meta.name;
    for (const auto& r : routes) {
      if (routes.size() > 1 && r.weight.value_or(0) == 0) continue;
      WeightedCluster wc = destination_cluster(r.destination, vs.meta.namespace_, server_port);
      wc.weight = routes.size() > 1 ? static_cast<std::uint32_t>(*r.weight) : 100;
      chain.tcp_total_weight += wc.weight;
      chain.tcp_clusters.push_back(std::move(wc));
    }
  }

  // gateway.go buildGatewayNetworkFiltersFromTCPRoutes: the first bound VirtualService with a
  // tcp block matching this server wins the whole server.
  bool tcp_route_chain(FilterChain& chain, const ServerRef& ref) const {
    const Server& s = ref.sanitized;
    for (const VirtualService* vs : virtual_services_for(ref.gateway)) {
      if (!vs_hosts_overlap(s, *vs)) continue;
      for (const auto& tcp : vs->tcp) {
        bool any = tcp.match.empty();
        for (const auto& m : tcp.match) any = any || l4_match(m.port, m.gateways, s, ref.gateway);
        if (!any || tcp.route.empty()) continue;
        set_tcp_destinations(chain, tcp.route, *vs, s.port.number);
        return true;
      }
    }
    return false;
  }

  // gateway.go buildGatewayNetworkFiltersFromTLSRoutes: one chain per matching tls route match,
  // its sniHosts the SNI criterion; duplicate SNI hosts on a port are skipped.
  void passthrough_chains(std::vector<FilterChain>& out, const ServerRef& ref, std::uint32_t listen_port,
                          std::map<std::uint32_t, std::map<std::string, std::string>>& sni_by_port) {
    const Server& s = ref.sanitized;
    if (s.tls->mode == "AUTO_PASSTHROUGH") {
      warn("AUTO_PASSTHROUGH server on gateway " + ref.gateway + " port " + std::to_string(s.port.number) +
           " is not simulated yet");
      return;
    }
    for (const VirtualService* vs : virtual_services_for(ref.gateway)) {
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
            warn("skipping VirtualService " + vs->meta.name + " rule #" + std::to_string(i) + " on server port " +
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
          set_tcp_destinations(chain, tls.route, *vs, s.port.number);
          out.push_back(std::move(chain));
        }
      }
    }
  }

  FilterChain base_chain(const ServerRef& ref) const {
    FilterChain chain;
    chain.server_port = ref.sanitized.port.number;
    chain.gateway = ref.gateway;
    if (ref.sanitized.tls) {
      chain.tls = ref.sanitized.tls;
      chain.tls_mode = ref.sanitized.tls->mode.empty() ? "PASSTHROUGH" : ref.sanitized.tls->mode;
    }
    return chain;
  }

  const RouteConfiguration& ensure_route_config(const std::string& name) {
    auto it = table_.route_configs.find(name);
    if (it == table_.route_configs.end()) {
      it = table_.route_configs.emplace(name, build_route_config(name, servers_by_route_[name])).first;
    }
    return it->second;
  }

  // gateway.go buildGatewayListeners / buildGatewayTCPBasedFilterChains.
  void build_listeners_and_routes() {
    std::map<std::string, Listener> listeners;
    std::map<std::uint32_t, std::map<std::string, std::string>> sni_by_port;
    for (const auto& key : server_ports_) {
      const MergedServers& ms = merged_[key];
      const std::string bind = key.bind.empty() ? "0.0.0.0" : key.bind;
      const std::string name = bind + "_" + std::to_string(key.port);
      Listener& l = listeners[name];
      l.name = name;
      l.bind = bind;
      l.port = key.port;
      if (is_http_protocol(key.protocol)) {
        // All plaintext HTTP servers of the port share one chain and route config.
        FilterChain chain = base_chain(servers_[ms.servers.front()]);
        chain.tls.reset();
        chain.tls_mode.clear();
        chain.route_config = ms.route_name;
        ensure_route_config(ms.route_name);
        l.filter_chains.push_back(std::move(chain));
        continue;
      }
      for (int idx : ms.servers) {
        const ServerRef& ref = servers_[idx];
        const Server& s = ref.sanitized;
        if (terminates_https(s)) {
          FilterChain chain = base_chain(ref);
          chain.server_names = sni_hosts(s);
          chain.route_config = rds_name(s, key.port, *find_gateway(ref.gateway));
          ensure_route_config(chain.route_config);
          resolve_credential(chain);
          l.filter_chains.push_back(std::move(chain));
        } else if (!s.tls) {
          FilterChain chain = base_chain(ref);
          if (tcp_route_chain(chain, ref)) l.filter_chains.push_back(std::move(chain));
          else warn("gateway " + ref.gateway + ":" + std::to_string(s.port.number) + " listener missed network filter");
        } else if (!is_passthrough(s)) {
          FilterChain chain = base_chain(ref);
          chain.server_names = sni_hosts(s);
          resolve_credential(chain);
          if (tcp_route_chain(chain, ref)) l.filter_chains.push_back(std::move(chain));
          else warn("gateway " + ref.gateway + ":" + std::to_string(s.port.number) + " listener missed network filter");
        } else {
          passthrough_chains(l.filter_chains, ref, key.port, sni_by_port);
        }
      }
    }
    // A listener with no filter chain is not emitted (Envoy would reject it).
    for (auto& [name, l] : listeners) {
      if (!l.filter_chains.empty()) table_.listeners.push_back(std::move(l));
    }
  }

  const Gateway* find_gateway(const std::string& name) const {
    for (const auto* g : gateways_) {
      if (g->meta.namespace_ + "/" + g->meta.name == name) return g;
    }
    return gateways_.front();
  }
};

std::int32_t resolve_target_port(const model::ServicePort& sp, const model::Pod* pod) {
  if (sp.target_port_number) return sp.target_port_number;
  if (!sp.target_port_name.empty() && pod) {
    for (const auto& cp : pod->ports) {
      if (cp.name == sp.target_port_name) return cp.container_port;
    }
    return 0;
  }
  return sp.port;
}

}  // namespace

RouteTable compile_for_proxy(const model::ConfigSnapshot& snapshot, GatewayProxy proxy) {
  return Compiler(snapshot, std::move(proxy)).build();
}

Result<RouteTable> compile_gateway(const model::ConfigSnapshot& snapshot, const std::string& gateway_service) {
  auto slash = gateway_service.find('/');
  const std::string ns = slash == std::string::npos ? "default" : gateway_service.substr(0, slash);
  const std::string name = slash == std::string::npos ? gateway_service : gateway_service.substr(slash + 1);
  const Service* svc = nullptr;
  for (const auto& s : snapshot.services) {
    if (s.meta.namespace_ == ns && s.meta.name == name) svc = &s;
  }
  if (!svc) return make_error("gateway Service " + ns + "/" + name + " not found");
  if (svc->selector.empty()) return make_error("gateway Service " + ns + "/" + name + " has no selector");
  const model::Pod* pod = nullptr;
  for (const auto& p : snapshot.pods) {
    if (p.meta.namespace_ != ns || !p.ready || !labels_subset(svc->selector, p.meta.labels)) continue;
    if (!pod || p.meta.name < pod->meta.name) pod = &p;
  }
  if (!pod) return make_error("gateway Service " + ns + "/" + name + " has no ready pods");
  GatewayProxy proxy;
  proxy.service = ns + "/" + name;
  proxy.namespace_ = ns;
  proxy.pod_name = pod->meta.name;
  proxy.pod_ip = pod->ip;
  proxy.labels = pod->meta.labels;
  // The requested Service maps the client's port to the pod's listen port.
  for (const auto& sp : svc->ports) {
    auto target = resolve_target_port(sp, pod);
    if (target > 0) proxy.service_ports.emplace(static_cast<std::uint32_t>(sp.port), static_cast<std::uint32_t>(target));
  }
  // resolvePorts: every Service selecting the gateway pod (oldest first) translates server ports
  // to listen ports, the first matching port wins; Services labelled
  // experimental.istio.io/disable-gateway-port-translation take no part.
  std::vector<const Service*> selecting;
  for (const auto& s : snapshot.services) {
    if (s.meta.namespace_ == ns && !s.selector.empty() && labels_subset(s.selector, pod->meta.labels) &&
        !s.meta.labels.count("experimental.istio.io/disable-gateway-port-translation")) {
      selecting.push_back(&s);
    }
  }
  std::stable_sort(selecting.begin(), selecting.end(), [](const Service* a, const Service* b) { return older(*a, *b); });
  for (const auto* s : selecting) {
    for (const auto& sp : s->ports) {
      auto target = resolve_target_port(sp, pod);
      if (target > 0) proxy.translated_ports.emplace(static_cast<std::uint32_t>(sp.port), static_cast<std::uint32_t>(target));
    }
  }
  // meshConfig/proxy.istio.io/config gatewayTopology.numTrustedProxies on the gateway pod.
  if (auto it = pod->meta.annotations.find("proxy.istio.io/config"); it != pod->meta.annotations.end()) {
    try {
      YAML::Node config = YAML::Load(it->second);
      if (config["gatewayTopology"] && config["gatewayTopology"]["numTrustedProxies"]) {
        proxy.num_trusted_proxies = config["gatewayTopology"]["numTrustedProxies"].as<std::uint32_t>();
      }
    } catch (const YAML::Exception&) {
      // An unreadable annotation is ignored, as the proxy would fall back to the mesh default.
    }
  }
  return compile_for_proxy(snapshot, std::move(proxy));
}

}  // namespace gwsim::route
