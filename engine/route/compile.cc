// Paraphrases Istio's gateway config generation; file references point at istio/istio.
#include "engine/route/compile.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <set>
#include <unordered_map>

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
using RouteList = std::vector<std::shared_ptr<const Route>>;

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

}  // namespace

namespace detail {

// What translated routes read of the world besides their VirtualService: the port a
// destination without one gets from its Service (the Service's only port, else none = 0).
struct PortLookup {
  std::string host;
  std::string namespace_;  // the VirtualService's, which Service lookup prefers
  std::uint32_t port = 0;
};

// The state a route configuration is assembled from (gateway.go buildGatewayHTTPRouteConfig),
// kept so that a change re-does only what it touches: each VirtualService's contributions
// (hostnames and routes per server), each hostname's virtual host in the making, and the
// groups collapseDuplicateRoutes merges. A full build is this state filled from empty.
struct HostContribution {
  int server = 0;  // position among the route configuration's servers
  int rank = 0;    // VirtualServicesForGateway: 0 private to the proxy's namespace, 1 exported, 2 public
  const model::VirtualService* vs = nullptr;
  std::shared_ptr<const RouteList> routes;
};

struct VirtualHostGroup;

struct HostState {
  std::vector<HostContribution> contributions;  // Istio's order: server, rank, age
  int https_server = -1;  // the first httpsRedirect server naming this host (-1: none)
  VirtualHostGroup* group = nullptr;
  bool dirty = false;
};

// Virtual hosts with the very same route list (by route identity) and TLS requirement.
struct RouteListKey {
  bool require_tls = false;
  std::vector<const Route*> routes;
  bool operator==(const RouteListKey& o) const { return require_tls == o.require_tls && routes == o.routes; }
  struct Hash {
    std::size_t operator()(const RouteListKey& k) const {
      std::size_t h = k.require_tls ? 0x9e3779b97f4a7c15ull : 0;
      for (const Route* r : k.routes) h = (h ^ std::hash<const Route*>{}(r)) * 0x100000001b3ull;
      return h;
    }
  };
};

struct VirtualHostGroup {
  const RouteListKey* key = nullptr;
  std::vector<std::string> members;  // hostnames, most specific first: the first names the vhost
  std::string emitted;                // name of the virtual host emitted for it ("" when none)
  bool dirty = false;
};

struct RouteConfigState {
  std::string shape;         // the servers it was built for, without their hosts
  std::string server_hosts;  // and their hosts
  struct Contributor {
    std::shared_ptr<const model::VirtualService> keep;  // keeps the address (the map key) unique
    std::vector<std::pair<std::string, HostContribution>> parts;  // (hostname, contribution)
    std::vector<PortLookup> lookups;  // what its routes read of the Services
    std::uint64_t seen = 0;
  };
  std::unordered_map<const model::VirtualService*, Contributor> contributors;
  std::unordered_map<std::string, HostState> hosts;  // lower-cased hostname
  std::unordered_map<RouteListKey, VirtualHostGroup, RouteListKey::Hash> groups;
  std::map<std::string, std::shared_ptr<const VirtualHost>> emitted;  // by name, as Istio sorts them
  VirtualHostTable lookup;      // for `emitted`, reused while no name or domain changes
  bool layout_changed = true;   // a virtual host came, went, or changed name or domains
  std::vector<std::string> dirty_hosts;
  std::uint64_t seen = 0;
};

struct CompileCacheState {
  template <typename T>
  struct Entry {
    std::string resource_version;
    T value;
    std::uint64_t seen = 0;  // the generation of the last compile that used it
  };
  std::unordered_map<std::string, Entry<std::shared_ptr<const model::VirtualService>>> resolved;  // "ns/name"
  struct TranslatedRoutes {
    std::shared_ptr<const RouteList> routes;
    std::vector<PortLookup> lookups;
  };
  std::unordered_map<std::string, Entry<TranslatedRoutes>> routes;  // "gateway|ns/name|port|tls"
  std::string environment;  // route_environment() of the compile that filled `routes`
  std::string services;     // services_stamp() of the last compile
  std::unordered_map<std::string, RouteConfigState> route_configs;  // by name
  std::uint64_t generation = 0;
  CompileCache::Stats stats;

  // Entries the compile that just ended did not use belong to objects that are gone; route
  // lists a kept route configuration still holds were not looked up because nothing changed.
  void forget_unseen() {
    std::erase_if(resolved, [this](const auto& e) { return e.second.seen != generation; });
    std::erase_if(routes, [this](const auto& e) {
      return e.second.seen != generation && e.second.value.routes.use_count() == 1;
    });
    std::erase_if(route_configs, [this](const auto& e) { return e.second.seen != generation; });
  }
};

}  // namespace detail

CompileCache::CompileCache() : state_(std::make_unique<detail::CompileCacheState>()) {}
CompileCache::~CompileCache() = default;
CompileCache::Stats CompileCache::last_stats() const { return state_->stats; }

namespace {

// ---- the world as seen from the gateway ---------------------------------------------

struct ServiceIndex {
  // hostname -> services with that hostname (one per namespace), in snapshot order.
  std::map<std::string, std::vector<const Service*>> by_host;
  std::map<std::string, const model::Pod*> pods;  // "ns/name"
  std::map<std::string, const model::Endpoints*> endpoints;  // "ns/name"
};

class Compiler {
 public:
  Compiler(const ConfigSnapshot& snapshot, GatewayProxy proxy, CompileCache* cache)
   : snap_(snapshot), cache_(cache ? &cache->state() : nullptr) {
    table_.proxy = std::move(proxy);
    if (cache_) {
      ++cache_->generation;
      cache_->stats = {};
    }
    for (const auto& s : snap_.services) index_.by_host[s.hostname()].push_back(&s);
    for (const auto& p : snap_.pods) index_.pods[p.meta.namespace_ + "/" + p.meta.name] = &p;
    for (const auto& e : snap_.endpoints) index_.endpoints[e.meta.namespace_ + "/" + e.meta.name] = &e;
    add_service_entries();
    std::vector<std::shared_ptr<const VirtualService>> resolved;
    resolved.reserve(snap_.virtual_services.size());
    for (const auto& vs : snap_.virtual_services) resolved.push_back(resolved_from_cache(vs));
    // Delegates are merged into their roots before anything binds (virtualservice.go).
    const bool any_delegate = std::any_of(resolved.begin(), resolved.end(), [](const auto& vs) {
      return vs->hosts.empty() || std::any_of(vs->http.begin(), vs->http.end(),
                                              [](const model::HTTPRoute& r) { return r.delegate.has_value(); });
    });
    if (any_delegate) {
      std::vector<VirtualService> copies;
      copies.reserve(resolved.size());
      for (const auto& vs : resolved) copies.push_back(*vs);
      merged_vs_ = merge_delegates(copies, table_.warnings);
      for (const auto& vs : merged_vs_) ordered_vs_.push_back(&vs);
      // Oldest first; pointers are sorted, not the VirtualServices themselves (they are large).
      std::stable_sort(ordered_vs_.begin(), ordered_vs_.end(),
                       [](const VirtualService* a, const VirtualService* b) { return older(*a, *b); });
    } else {
      resolved_vs_ = std::move(resolved);
      std::stable_sort(resolved_vs_.begin(), resolved_vs_.end(), [](const auto& a, const auto& b) { return older(*a, *b); });
      for (const auto& vs : resolved_vs_) ordered_vs_.push_back(vs.get());
    }
    // Translated routes may be reused only while what they depend on besides their own
    // VirtualService is unchanged, and never when delegates merge several objects into one.
    if (cache_) {
      std::string services = services_stamp();
      std::string environment = any_delegate || services.empty() ? std::string() : route_environment();
      if (environment.empty() || environment != cache_->environment) {
        cache_->routes.clear();
        cache_->route_configs.clear();
      }
      // Changed Services or ServiceEntries: kept routes are checked against what they read.
      services_changed_ = services != cache_->services;
      cache_->environment = std::move(environment);
      cache_->services = std::move(services);
    }
  }

  RouteTable build() {
    select_gateways();
    merge_servers();
    build_clusters();
    build_listeners_and_routes();
    if (cache_) cache_->forget_unseen();
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
  detail::CompileCacheState* cache_;  // null: nothing is kept between compiles
  bool services_changed_ = true;      // since the compile that filled the cache
  std::vector<detail::PortLookup>* recording_ = nullptr;  // set while routes are translated
  // Hosts and gateways resolved: shared with the cache, or, when delegates merged, owned.
  std::vector<std::shared_ptr<const VirtualService>> resolved_vs_;  // oldest first
  std::vector<VirtualService> merged_vs_;
  std::vector<const VirtualService*> ordered_vs_;  // either of them, oldest first
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

  // The resolved form of a VirtualService, reused while its resourceVersion is unchanged.
  std::shared_ptr<const VirtualService> resolved_from_cache(const VirtualService& vs) {
    if (!cache_ || vs.meta.resource_version.empty()) return std::make_shared<const VirtualService>(resolve(vs));
    auto& entry = cache_->resolved[vs.meta.namespace_ + "/" + vs.meta.name];
    if (entry.value && entry.resource_version == vs.meta.resource_version) {
      ++cache_->stats.resolved_reused;
    } else {
      entry.resource_version = vs.meta.resource_version;
      entry.value = std::make_shared<const VirtualService>(resolve(vs));
      ++cache_->stats.resolved_built;
    }
    entry.seen = cache_->generation;
    return entry.value;
  }

  // What translate_route() reads besides its VirtualService, its arguments and the Services
  // (see PortLookup): the gateway workload (source matches, visibility).
  std::string route_environment() const {
    std::string out = table_.proxy.namespace_;
    for (const auto& [k, v] : table_.proxy.labels) out += "|" + k + "=" + v;
    return out;
  }

  // The Services and ServiceEntries as they are now; "" when one has no resourceVersion, so
  // nothing is reused.
  std::string services_stamp() const {
    std::string out;
    auto add = [&out](const model::Meta& m) {
      if (m.resource_version.empty()) return false;
      out += "|" + m.namespace_ + "/" + m.name + "@" + m.resource_version;
      return true;
    };
    for (const auto& s : snap_.services) {
      if (!add(s.meta)) return {};
    }
    out += "|serviceentries";
    for (const auto& se : snap_.service_entries) {
      if (!add(se.meta)) return {};
    }
    return out;
  }

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

  // push_context.go VirtualServicesForGateway, for one VirtualService: -1 when it is not bound
  // to `gateway` or not visible to the proxy; else its group (private, exported, public).
  int visibility_rank(const VirtualService& vs, const std::string& gateway) const {
    if (std::find(vs.gateways.begin(), vs.gateways.end(), gateway) == vs.gateways.end()) return -1;
    const auto& ex = vs.export_to;
    if (ex.empty() || std::find(ex.begin(), ex.end(), "*") != ex.end()) return 2;
    if (std::find(ex.begin(), ex.end(), "~") != ex.end()) return -1;
    if (std::find(ex.begin(), ex.end(), proxy_ns()) == ex.end()) return -1;
    return vs.meta.namespace_ == proxy_ns() ? 0 : 1;
  }

  // push_context.go VirtualServicesForGateway: private to the proxy's namespace, exported to
  // it, then public; each group oldest first.
  std::vector<const VirtualService*> virtual_services_for(const std::string& gateway) const {
    std::vector<const VirtualService*> by_rank[3];
    for (const VirtualService* vs : ordered_vs_) {
      if (int rank = visibility_rank(*vs, gateway); rank >= 0) by_rank[rank].push_back(vs);
    }
    by_rank[0].insert(by_rank[0].end(), by_rank[1].begin(), by_rank[1].end());
    by_rank[0].insert(by_rank[0].end(), by_rank[2].begin(), by_rank[2].end());
    return by_rank[0];
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

  // The port a destination without one goes to: its Service's only port (0: none).
  std::uint32_t implied_port(const std::string& host, const std::string& vs_namespace) const {
    const Service* svc = service_for(host, vs_namespace);
    return svc && svc->ports.size() == 1 ? static_cast<std::uint32_t>(svc->ports.front().port) : 0;
  }

  bool lookups_hold(const std::vector<detail::PortLookup>& lookups) const {
    return std::all_of(lookups.begin(), lookups.end(), [this](const detail::PortLookup& l) {
      return implied_port(l.host, l.namespace_) == l.port;
    });
  }

  WeightedCluster destination_cluster(const model::Destination& d, const std::string& vs_namespace,
                                      std::uint32_t listener_port) const {
    WeightedCluster wc;
    wc.host = d.host;
    std::uint32_t port = listener_port;
    if (d.port) {
      port = d.port->number;
    } else {
      const std::uint32_t implied = implied_port(d.host, vs_namespace);
      if (recording_) recording_->push_back(detail::PortLookup{d.host, vs_namespace, implied});
      if (implied) port = implied;
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

  // routes_for(), reused from the cache while the VirtualService, the route environment and
  // the Service ports the routes read are unchanged. What they read is added to `lookups`.
  // The list is shared with the route configurations' state, which keeps the entry alive.
  std::shared_ptr<const RouteList> translated_routes(const VirtualService& vs, std::uint32_t port, bool is_tls,
                                                     const std::string& gateway,
                                                     std::vector<detail::PortLookup>& lookups) {
    auto translate = [&](std::vector<detail::PortLookup>& into) {
      recording_ = &into;
      auto routes = std::make_shared<const RouteList>(routes_for(vs, port, is_tls, gateway));
      recording_ = nullptr;
      return routes;
    };
    if (!cache_ || cache_->environment.empty() || vs.meta.resource_version.empty()) return translate(lookups);
    std::string key = gateway;
    key.append("|").append(vs.meta.namespace_).append("/").append(vs.meta.name);
    key.append("|").append(std::to_string(port)).append(is_tls ? "|tls" : "|");
    auto [it, inserted] = cache_->routes.try_emplace(std::move(key));
    auto& entry = it->second;
    if (!inserted && entry.resource_version == vs.meta.resource_version &&
        (!services_changed_ || lookups_hold(entry.value.lookups))) {
      ++cache_->stats.routes_reused;
    } else {
      entry.resource_version = vs.meta.resource_version;
      entry.value.lookups.clear();
      entry.value.routes = translate(entry.value.lookups);
      ++cache_->stats.routes_built;
    }
    entry.seen = cache_->generation;
    lookups.insert(lookups.end(), entry.value.lookups.begin(), entry.value.lookups.end());
    return entry.value.routes;
  }

  // route.go BuildHTTPRoutesForVirtualService: one route per match; stop after a catch-all.
  RouteList routes_for(const VirtualService& vs, std::uint32_t port, bool is_tls, const std::string& gateway) const {
    RouteList out;
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

  // pkg/config/host/names.go MoreSpecific: longest first, alphabetical, wildcards last.
  static bool more_specific(const std::string& a, const std::string& b) {
    bool aw = host::is_wildcard(a), bw = host::is_wildcard(b);
    if (aw != bw) return !aw;
    if (a.size() == b.size()) return a < b;
    return a.size() > b.size();
  }

  // gateway.go buildGatewayHTTPRouteConfig, kept as state (see RouteConfigState): only the
  // VirtualServices that changed since the state was built are taken out and put back in.
  RouteConfiguration build_route_config(const std::string& route_name, const std::vector<int>& server_indexes) {
    // The state lives in the cache while every VirtualService has a resourceVersion (their
    // addresses then identify unchanged ones) and no delegates merge; else it is built afresh.
    detail::RouteConfigState local;
    const bool keep = cache_ && !cache_->environment.empty();
    detail::RouteConfigState& st = keep ? cache_->route_configs[route_name] : local;
    // Other servers: start afresh. The same servers with other hosts: every VirtualService's
    // bindings are checked again, and only those that differ are replaced.
    std::string shape = route_shape(server_indexes);
    std::string hosts = route_hosts(server_indexes);
    bool recheck = false;
    if (st.shape != shape) {
      st = detail::RouteConfigState{};
      st.shape = std::move(shape);
      st.server_hosts = std::move(hosts);
      // Growing these one rehash at a time costs more than the building itself.
      st.contributors.reserve(ordered_vs_.size());
      st.hosts.reserve(ordered_vs_.size());
      st.groups.reserve(ordered_vs_.size());
      st.dirty_hosts.reserve(ordered_vs_.size());
      add_https_hosts(st, server_indexes);
    } else if (st.server_hosts != hosts) {
      st.server_hosts = std::move(hosts);
      recheck = true;
      for (auto& [hostname, host] : st.hosts) {
        if (host.https_server >= 0) touch_host(st, hostname).https_server = -1;
      }
      add_https_hosts(st, server_indexes);
    }
    const std::uint64_t stamp = cache_ ? cache_->generation : 1;
    st.seen = stamp;
    // Take out the VirtualServices that are gone or changed (a changed one has a new
    // address), put in the new ones.
    for (std::size_t i = 0; i < ordered_vs_.size(); ++i) {
      const VirtualService* vs = ordered_vs_[i];
      auto [it, inserted] = st.contributors.try_emplace(vs);
      if (!inserted && (recheck || (services_changed_ && !lookups_hold(it->second.lookups)))) {
        std::vector<detail::PortLookup> lookups;
        auto parts = contributions(*vs, server_indexes, lookups);
        if (!same_parts(parts, it->second.parts)) {
          for (const auto& [hostname, part] : it->second.parts) remove_contribution(st, hostname, part);
          it->second.parts = std::move(parts);
          for (auto& [hostname, part] : it->second.parts) add_contribution(st, hostname, part);
        }
        it->second.lookups = std::move(lookups);
      }
      if (inserted) {
        // Without delegates the VirtualServices are shared ones, and the state may keep them.
        if (!resolved_vs_.empty()) it->second.keep = resolved_vs_[i];
        it->second.parts = contributions(*vs, server_indexes, it->second.lookups);
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
    settle_hosts(st, server_indexes);

    RouteConfiguration rc;
    rc.name = route_name;
    if (st.emitted.empty()) {
      const std::uint32_t port = servers_[server_indexes.front()].sanitized.port.number;
      VirtualHost vh;
      vh.name = "blackhole:" + std::to_string(port);
      vh.domains = {"*"};
      rc.virtual_hosts.push_back(std::move(vh));
      warn("route config " + route_name + " has no virtual hosts: every request gets 404 (blackhole:" +
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

  // What a route configuration's state was built for: its servers (without their hosts)...
  std::string route_shape(const std::vector<int>& server_indexes) const {
    std::string out = proxy_ns();
    for (int idx : server_indexes) {
      const ServerRef& ref = servers_[idx];
      const Server& s = ref.sanitized;
      out += "|" + ref.gateway + "@" + std::to_string(s.port.number) + (s.tls ? "+tls" : "") +
             (s.tls && s.tls->https_redirect ? "+redirect" : "");
    }
    return out;
  }

  // ... and their hosts.
  std::string route_hosts(const std::vector<int>& server_indexes) const {
    std::string out;
    for (int idx : server_indexes) {
      out += "|";
      for (const auto& h : servers_[idx].sanitized.hosts) out += h + ",";
    }
    return out;
  }

  // httpsRedirect servers make a virtual host for each of their hosts, routes or not.
  static void add_https_hosts_of(detail::RouteConfigState& st, const Server& server, int k) {
    if (!server.tls || !server.tls->https_redirect) return;
    for (const auto& h : server.hosts) {
      detail::HostState& host = touch_host(st, lower(h));
      if (host.https_server < 0) host.https_server = k;
    }
  }
  void add_https_hosts(detail::RouteConfigState& st, const std::vector<int>& server_indexes) const {
    for (std::size_t k = 0; k < server_indexes.size(); ++k) {
      add_https_hosts_of(st, servers_[server_indexes[k]].sanitized, static_cast<int>(k));
    }
  }

  // Whether a VirtualService binds as it did: the same hosts, servers, groups and routes.
  static bool same_parts(const std::vector<std::pair<std::string, detail::HostContribution>>& a,
                         const std::vector<std::pair<std::string, detail::HostContribution>>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
      return x.first == y.first && x.second.server == y.second.server && x.second.rank == y.second.rank &&
             x.second.vs == y.second.vs && *x.second.routes == *y.second.routes;
    });
  }

  // One VirtualService's part in a route configuration: per server it binds to, the hosts it
  // shares with the server and its routes there. Routes are translated once per gateway, at
  // the first server's port, as Istio keeps them; a VirtualService with no routes is omitted.
  std::vector<std::pair<std::string, detail::HostContribution>> contributions(const VirtualService& vs,
                                                                             const std::vector<int>& server_indexes,
                                                                             std::vector<detail::PortLookup>& lookups) {
    std::vector<std::pair<std::string, detail::HostContribution>> out;
    if (vs.hosts.empty()) return out;  // delegates never bind directly
    std::map<std::string, std::shared_ptr<const RouteList>> by_gateway;
    for (std::size_t k = 0; k < server_indexes.size(); ++k) {
      const ServerRef& ref = servers_[server_indexes[k]];
      const Server& server = ref.sanitized;
      const int rank = visibility_rank(vs, ref.gateway);
      if (rank < 0) continue;
      auto hosts = host::intersection(host::names_for_namespace(server.hosts, vs.meta.namespace_, ref.gateway_namespace),
                                      vs.hosts);
      if (hosts.empty()) continue;
      auto& routes = by_gateway[ref.gateway];
      if (!routes) {
        auto translated = translated_routes(vs, server.port.number, server.tls.has_value(), ref.gateway, lookups);
        if (translated->empty()) continue;  // "no routes matched"
        routes = std::move(translated);
      }
      for (const auto& h : hosts) out.emplace_back(lower(h), detail::HostContribution{static_cast<int>(k), rank, &vs, routes});
    }
    return out;
  }

  static detail::HostState& touch_host(detail::RouteConfigState& st, const std::string& hostname) {
    auto [it, inserted] = st.hosts.try_emplace(hostname);
    if (!it->second.dirty) {
      it->second.dirty = true;
      st.dirty_hosts.push_back(hostname);
    }
    return it->second;
  }

  static bool contribution_before(const detail::HostContribution& a, const detail::HostContribution& b) {
    if (a.server != b.server) return a.server < b.server;
    if (a.rank != b.rank) return a.rank < b.rank;
    return older(*a.vs, *b.vs);
  }

  static void add_contribution(detail::RouteConfigState& st, const std::string& hostname,
                               const detail::HostContribution& part) {
    auto& list = touch_host(st, hostname).contributions;
    list.insert(std::upper_bound(list.begin(), list.end(), part, contribution_before), part);
  }

  static void remove_contribution(detail::RouteConfigState& st, const std::string& hostname,
                                  const detail::HostContribution& part) {
    auto& list = touch_host(st, hostname).contributions;
    auto it = std::find_if(list.begin(), list.end(), [&part](const detail::HostContribution& c) {
      return c.vs == part.vs && c.server == part.server && c.routes == part.routes;
    });
    if (it != list.end()) list.erase(it);
  }

  // Regroup the hosts that changed (collapseDuplicateRoutes) and re-emit the groups that
  // changed with them.
  void settle_hosts(detail::RouteConfigState& st, const std::vector<int>& server_indexes) {
    std::vector<detail::VirtualHostGroup*> dirty_groups;
    auto mark = [&dirty_groups](detail::VirtualHostGroup* g) {
      if (!g->dirty) {
        g->dirty = true;
        dirty_groups.push_back(g);
      }
    };
    std::vector<std::string> gone;
    for (const auto& hostname : st.dirty_hosts) {
      auto hit = st.hosts.find(hostname);
      detail::HostState& host = hit->second;
      host.dirty = false;
      if (host.group) {
        auto& members = host.group->members;
        auto m = std::lower_bound(members.begin(), members.end(), hostname, more_specific);
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
        if (servers_[server_indexes[c.server]].sanitized.tls && servers_[server_indexes[c.server]].sanitized.tls->https_redirect) {
          key.require_tls = true;
        }
        for (const auto& r : *c.routes) key.routes.push_back(r.get());
      }
      auto [git, inserted] = st.groups.try_emplace(std::move(key));
      detail::VirtualHostGroup& group = git->second;
      group.key = &git->first;
      auto& members = group.members;
      members.insert(std::lower_bound(members.begin(), members.end(), hostname, more_specific), hostname);
      host.group = &group;
      mark(&group);
    }
    st.dirty_hosts.clear();
    for (detail::VirtualHostGroup* g : dirty_groups) {
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
      const detail::HostState& primary = st.hosts.at(g->members.front());
      int first_server = primary.https_server;
      if (!primary.contributions.empty() && (first_server < 0 || primary.contributions.front().server < first_server)) {
        first_server = primary.contributions.front().server;
      }
      VirtualHost vh;
      vh.name = g->members.front() + ":" + std::to_string(servers_[server_indexes[first_server]].sanitized.port.number);
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
    for (detail::VirtualHostGroup* g : dirty_groups) {
      if (g->members.empty()) st.groups.erase(*g->key);
    }
    for (const auto& hostname : gone) st.hosts.erase(hostname);
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
        chain.source = tcp.source;
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
          chain.source = tls.source;
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
    // A listener with no filter chain is not emitted (Envoy would reject it); nor is one with
    // two chains that match the same connections, which Envoy refuses as a whole.
    for (auto& [name, l] : listeners) {
      if (l.filter_chains.empty()) continue;
      if (auto clash = duplicate_chain_match(l)) {
        warn("Envoy rejects listener " + name + ": multiple filter chains with the same matching rules are defined (" +
             *clash + "); the port has no listener");
        continue;
      }
      table_.listeners.push_back(std::move(l));
    }
  }

  // Envoy's filter chain matching: two chains clash when they match the same transport (TLS
  // or not) and the same server names. Istio drops duplicate hosts within a namespace, but the
  // same host from two namespaces ("./*" in two Gateways) reaches Envoy twice; Istio's own
  // simulation test "duplicate tls gateway" records it as a bug (istio/istio#24638).
  static std::optional<std::string> duplicate_chain_match(const Listener& l) {
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

RouteTable compile_for_proxy(const model::ConfigSnapshot& snapshot, GatewayProxy proxy, CompileCache* cache) {
  return Compiler(snapshot, std::move(proxy), cache).build();
}

Result<RouteTable> compile_gateway(const model::ConfigSnapshot& snapshot, const std::string& gateway_service,
                                   CompileCache* cache) {
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
  return compile_for_proxy(snapshot, std::move(proxy), cache);
}

}  // namespace gwsim::route
