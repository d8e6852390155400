// The compiled route table of one gateway workload: the Envoy configuration Istio would push
// to it (listeners, filter chains, route configurations, virtual hosts, routes, clusters with
// endpoints), named as Istio names them. Immutable once built; a pure function of the
// ConfigSnapshot and the gateway workload (see compile.h).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/istio.h"
#include "engine/route/virtual_host_table.h"

namespace re2 {
class RE2;
}

namespace gwsim::route {

using model::Labels;
using model::Millis;

struct JwtAuthnConfig;

// ---- matching ------------------------------------------------------------------------

struct StringMatcher {
  enum class Kind { kExact, kPrefix, kRegex, kPresent };
  Kind kind = Kind::kPresent;
  std::string value;
  std::shared_ptr<const re2::RE2> regex;  // compiled once, for kRegex (full match, as Envoy)
  bool matches(std::string_view candidate) const;
  // Equal matchers match the same; the compiled regex follows from the value.
  bool operator==(const StringMatcher& o) const { return kind == o.kind && value == o.value; }
};

struct HeaderMatcher {
  std::string name;  // lower-case; pseudo headers ":method", ":authority", ":scheme"
  StringMatcher match;
  bool invert = false;  // withoutHeaders
  bool operator==(const HeaderMatcher&) const = default;
};

// A VirtualService header match on @request.auth.claims.<a>[.<b>...] (or [a][b]): Istio turns it into
// a metadata match on the jwt_authn filter's payload (route.go translateMetadataMatch,
// authz MetadataMatcherForJWTClaims): the claim at that path, a string equal to the match or a
// list with an element that is.
struct ClaimMatcher {
  std::vector<std::string> path;  // nested claim names
  StringMatcher match;
  bool invert = false;  // withoutHeaders
  bool operator==(const ClaimMatcher&) const = default;
};

struct QueryParameterMatcher {
  std::string name;
  StringMatcher match;
  bool operator==(const QueryParameterMatcher&) const = default;
};

struct PathMatcher {
  // kPathSeparatedPrefix: Envoy's path_separated_prefix, which Istio emits for prefix matches of
  // Gateway API and Ingress routes (route.go TranslateRouteMatch): the path without its query is
  // the prefix itself or continues with "/" after it ("/foo" matches "/foo" and "/foo/bar", not
  // "/foobar").
  enum class Kind { kPrefix, kExact, kRegex, kPathSeparatedPrefix };
  Kind kind = Kind::kPrefix;
  std::string value = "/";
  bool case_sensitive = true;
  std::shared_ptr<const re2::RE2> regex;
  bool operator==(const PathMatcher& o) const {
    return kind == o.kind && value == o.value && case_sensitive == o.case_sensitive;
  }
};

struct RouteMatch {
  PathMatcher path;
  std::vector<HeaderMatcher> headers;  // sorted by name, as Istio emits them
  std::vector<QueryParameterMatcher> query_parameters;
  std::vector<ClaimMatcher> claims;  // dynamic metadata: JWT claims (see ClaimMatcher)
  // Istio's IsCatchAllRoute: prefix "/" (or regex "*") with no header or query condition.
  bool is_catch_all() const;
  bool operator==(const RouteMatch&) const = default;
};

// ---- actions -------------------------------------------------------------------------

struct HeaderOps {
  std::vector<std::pair<std::string, std::string>> set;
  std::vector<std::pair<std::string, std::string>> add;
  std::vector<std::string> remove;
  bool empty() const { return set.empty() && add.empty() && remove.empty(); }
  bool operator==(const HeaderOps&) const = default;
};

struct WeightedCluster {
  std::string cluster;  // outbound|<port>|<subset>|<fqdn>
  std::uint32_t weight = 100;
  std::string host;  // destination FQDN
  std::string subset;
  std::uint32_t port = 0;
  HeaderOps request_headers;
  HeaderOps response_headers;
  std::string host_rewrite;  // this destination's authority; the route's host rewrite wins over it
  bool operator==(const WeightedCluster&) const = default;
};

struct RetryPolicy {
  std::uint32_t num_retries = 2;  // Istio's default policy (2 retries)
  std::string retry_on = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
  std::vector<std::uint32_t> retriable_status_codes;  // the mesh default has none: 503 is not retried
  std::optional<Millis> per_try_timeout;
  bool retry_previous_hosts = true;  // Istio adds envoy.retry_host_predicates.previous_hosts
  std::uint32_t host_selection_retry_max_attempts = 5;
  bool operator==(const RetryPolicy&) const = default;
};

struct Mirror {
  std::string cluster;
  double percent = 100;
  bool operator==(const Mirror&) const = default;
};

struct RouteAction {
  std::vector<WeightedCluster> clusters;  // one entry: a plain cluster; several: weighted
  std::uint32_t total_weight = 0;
  std::optional<Millis> timeout;  // Istio: 0 (disabled) unless the VirtualService sets one
  std::optional<RetryPolicy> retry;  // nullopt: retries disabled (attempts: 0)
  std::optional<std::string> prefix_rewrite;
  std::optional<model::RegexRewrite> regex_rewrite;
  std::shared_ptr<const re2::RE2> regex_rewrite_pattern;  // compiled from regex_rewrite
  std::optional<std::string> host_rewrite;
  std::vector<Mirror> mirrors;
  // cluster_not_found_response_code: what a request to a cluster that does not exist gets;
  // Istio sets 500 for Gateway API routes (route.go applyHTTPRouteDestination), Envoy's default
  // is 503.
  std::uint32_t cluster_not_found_status = 503;
  bool operator==(const RouteAction& o) const {
    return clusters == o.clusters && total_weight == o.total_weight && timeout == o.timeout && retry == o.retry &&
           prefix_rewrite == o.prefix_rewrite && regex_rewrite == o.regex_rewrite && host_rewrite == o.host_rewrite &&
           mirrors == o.mirrors && cluster_not_found_status == o.cluster_not_found_status;
  }
};

struct RedirectAction {
  std::string scheme;     // "" keeps the request's
  std::string host;       // "" keeps the request's
  std::uint32_t port = 0; // 0: no explicit port
  bool port_from_request = false;
  std::string path;       // full path replacement, "" keeps
  std::string prefix_rewrite;
  bool has_prefix_rewrite = false;
  std::uint32_t code = 301;
  bool operator==(const RedirectAction&) const = default;
};

struct DirectResponseAction {
  std::uint32_t status = 200;
  std::string body;
  bool operator==(const DirectResponseAction&) const = default;
};

struct FaultPolicy {
  std::optional<std::uint32_t> abort_status;
  double abort_percent = 0;   // TranslateFault: no percentage means 0% (Envoy's default)
  std::optional<Millis> delay;
  double delay_percent = 0;
  bool operator==(const FaultPolicy&) const = default;
};

struct CorsConfig {
  model::CorsPolicy policy;
  std::vector<StringMatcher> origins;
  bool operator==(const CorsConfig&) const = default;
};

struct Route {
  std::string name;  // the http route's name, plus "." + match name when the match has one
  RouteMatch match;
  enum class ActionKind { kRoute, kRedirect, kDirectResponse, kUnsupported };
  ActionKind action_kind = ActionKind::kRoute;
  RouteAction route;
  RedirectAction redirect;
  DirectResponseAction direct_response;
  std::optional<FaultPolicy> fault;
  std::optional<CorsConfig> cors;
  HeaderOps request_headers;
  HeaderOps response_headers;
  std::string unsupported_reason;  // for kUnsupported: what gwsim cannot do yet

  // Where it came from: VirtualService "ns/name", index of the http route and of the match.
  std::string virtual_service;
  // The objects a generated VirtualService came from (internal.istio.io/parents, e.g.
  // "HTTPRoute/http.default"); "" for VirtualServices users write.
  std::string parents;
  std::string gateway;  // the Gateway ("ns/name") whose server bound the VirtualService
  int http_index = 0;
  int match_index = -1;  // -1: the http route has no match block
  model::SourcePos source;
  bool operator==(const Route&) const = default;
};

// Immutable elements held by shared pointers. Reads like a const std::vector<T>; a table
// compiled after a change shares every route the change did not touch with the table before
// it, and virtual hosts that collapsed share theirs, instead of copying them (issue #5: a
// change among 10,000 VirtualServices must cost little).
template <typename T>
class SharedList {
 public:
  using value_type = T;
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;
    const_iterator() = default;
    explicit const_iterator(typename std::vector<std::shared_ptr<const T>>::const_iterator it) : it_(it) {}
    const T& operator*() const { return **it_; }
    const T* operator->() const { return it_->get(); }
    const_iterator& operator++() {
      ++it_;
      return *this;
    }
    const_iterator operator++(int) { return const_iterator(it_++); }
    const_iterator& operator+=(difference_type n) {
      it_ += n;
      return *this;
    }
    const_iterator operator+(difference_type n) const { return const_iterator(it_ + n); }
    difference_type operator-(const const_iterator& o) const { return it_ - o.it_; }
    bool operator==(const const_iterator& o) const { return it_ == o.it_; }
    bool operator!=(const const_iterator& o) const { return it_ != o.it_; }

   private:
    typename std::vector<std::shared_ptr<const T>>::const_iterator it_;
  };

  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  const T& operator[](std::size_t i) const { return *items_[i]; }
  const T& at(std::size_t i) const { return *items_.at(i); }
  const T& front() const { return *items_.front(); }
  const T& back() const { return *items_.back(); }
  const_iterator begin() const { return const_iterator(items_.begin()); }
  const_iterator end() const { return const_iterator(items_.end()); }

  void reserve(std::size_t n) { items_.reserve(n); }
  void push_back(std::shared_ptr<const T> item) { items_.push_back(std::move(item)); }
  void push_back(T item) { items_.push_back(std::make_shared<const T>(std::move(item))); }

  // Element by element; a shared element is equal to itself without looking inside.
  bool operator==(const SharedList& o) const {
    return std::equal(items_.begin(), items_.end(), o.items_.begin(), o.items_.end(),
                      [](const auto& a, const auto& b) { return a == b || *a == *b; });
  }

 private:
  std::vector<std::shared_ptr<const T>> items_;
};

struct VirtualHost {
  std::string name;                  // "<host>:<server port>" or "blackhole:<port>"
  std::vector<std::string> domains;  // lower-case; one per vhost unless routes collapsed
  SharedList<Route> routes;          // first match wins
  bool require_tls = false;          // httpsRedirect: plaintext requests get a 301
  bool operator==(const VirtualHost&) const = default;
};

struct RouteConfiguration {
  std::string name;  // http.<port> or https.<port>.<portName>.<gateway>.<ns>
  SharedList<VirtualHost> virtual_hosts;  // sorted by name, as Istio emits them
  VirtualHostTable lookup;                 // built from virtual_hosts; see virtual_host_table.h
};

// The certificate a terminating server presents, from the Secret its credentialName names (in
// the gateway workload's namespace): tls.crt/tls.key or cert/key, and for MUTUAL a CA from
// ca.crt/cacert or the Secret "<name>-cacert".
struct TlsCredential {
  std::string secret;  // "ns/name"
  std::string certificate_chain;
  std::string private_key;
  std::string ca_certificates;
};

struct FilterChain {
  std::string name;
  std::vector<std::string> server_names;  // SNI criterion (exact or "*.suffix"); empty: any
  // "" plaintext; SIMPLE, MUTUAL, OPTIONAL_MUTUAL, ISTIO_MUTUAL terminate; PASSTHROUGH forwards.
  std::string tls_mode;
  std::optional<model::ServerTLSSettings> tls;  // the server's TLS settings (certificates)
  std::optional<TlsCredential> credential;     // resolved credentialName, when found
  std::string credential_error;               // why a terminating chain has no certificate
  bool http = true;                       // an HTTP connection manager (else a TCP proxy)
  std::string route_config;               // for HTTP chains
  std::vector<WeightedCluster> tcp_clusters;  // for TCP proxy chains; several: weighted
  std::uint32_t tcp_total_weight = 0;
  std::string virtual_service;            // "ns/name" whose tcp or tls route built a TCP chain
  model::SourcePos source;                // where that tcp or tls route is written
  std::uint32_t server_port = 0;          // the Gateway server's port number
  std::string gateway;                    // "ns/name" of the Gateway owning the server
};

struct Listener {
  std::string name;  // "0.0.0.0_8080"
  std::string bind = "0.0.0.0";
  std::uint32_t port = 0;  // the listen port on the gateway pod (translated targetPort)
  std::vector<FilterChain> filter_chains;
};

// ---- clusters ------------------------------------------------------------------------

struct Endpoint {
  std::string ip;
  std::uint32_t port = 0;  // the pod port (targetPort)
  std::string pod_name;
  std::string pod_namespace;
  Labels labels;
  bool healthy = true;
};

// "namespace/name" of an endpoint's pod, as traces and outcomes name it.
inline std::string pod_ref(const Endpoint& e) { return e.pod_namespace + "/" + e.pod_name; }
// "ip:port", Envoy's %UPSTREAM_HOST%.
inline std::string endpoint_ref(const Endpoint& e) { return e.ip + ":" + std::to_string(e.port); }

struct LoadBalancerPolicy {
  enum class Kind { kLeastRequest, kRoundRobin, kRandom, kRingHash };
  Kind kind = Kind::kLeastRequest;  // Istio's default (UNSPECIFIED -> LEAST_REQUEST)
  std::optional<model::ConsistentHash> hash;  // for kRingHash
};

struct Cluster {
  std::string name;       // outbound|<port>|<subset>|<fqdn>
  std::string host;       // FQDN
  std::uint32_t port = 0; // the service port
  std::string subset;
  std::string service;    // "ns/name" of the Service (or ServiceEntry)
  std::string destination_rule;  // "ns/name" of the DestinationRule that applied, if any
  LoadBalancerPolicy lb;
  std::vector<Endpoint> endpoints;  // healthy and unhealthy
};

// The gateway workload the table is compiled for.
struct GatewayProxy {
  std::string service;  // "istio-system/istio-ingressgateway"
  std::string namespace_;
  std::string pod_name;
  std::string pod_ip;
  Labels labels;
  // Service port -> pod listen port (targetPort), for the Service that receives the request.
  std::map<std::uint32_t, std::uint32_t> service_ports;
  // Server port -> listen port, from every Service selecting the pod (Istio's port translation).
  std::map<std::uint32_t, std::uint32_t> translated_ports;
  // Every Service selecting the pod, oldest first (Istio's proxy.ServiceTargets): what a Gateway
  // bound by internal.istio.io/gateway-service resolves its ports against.
  struct ServiceTarget {
    std::string hostname;  // name.ns.svc.cluster.local
    std::string namespace_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ports;  // Service port -> targetPort
  };
  std::vector<ServiceTarget> service_targets;
  // gatewayTopology.numTrustedProxies: trusted hops whose X-Forwarded-* headers are kept.
  std::uint32_t num_trusted_proxies = 0;
};

// An object gwsim reads but does not simulate that applies to this gateway's workload and may
// change any answer it gives (EnvoyFilter, WasmPlugin, an AuthorizationPolicy with action
// CUSTOM, ...): named beside every outcome, never silently ignored (issue #12).
struct UnsimulatedRef {
  std::string kind;
  std::string namespace_;
  std::string name;
  std::string why;  // what it could change, briefly ("adds HTTP filters gwsim does not run")
  auto operator<=>(const UnsimulatedRef&) const = default;
};

struct AuthorizationConfig;  // authorization.h

struct RouteTable {
  GatewayProxy proxy;
  std::vector<Listener> listeners;  // sorted by name
  std::map<std::string, RouteConfiguration> route_configs;
  std::map<std::string, Cluster> clusters;
  std::vector<std::string> gateways;  // "ns/name" of the Gateways that applied, in Istio order
  std::vector<std::string> warnings;  // what Istio would log (dropped servers, conflicts, ...)
  std::vector<UnsimulatedRef> unsimulated;  // sorted; what may change every answer of this table
  std::shared_ptr<const AuthorizationConfig> authorization;  // the rbac filters (authorization.h); null: none
  // The jwt_authn filter (RequestAuthentication; engine/route/request_authentication.h); nullptr: none.
  std::shared_ptr<const JwtAuthnConfig> jwt_authn;

  const Listener* find_listener(std::uint32_t listen_port) const;
  const Cluster* find_cluster(const std::string& name) const;
};

}  // namespace gwsim::route
