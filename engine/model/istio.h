// Typed Istio networking resources (networking.istio.io v1alpha3, v1beta1 and v1 share one
// schema). Field names follow the Istio API so the mapping stays obvious; an unset optional
// field is std::nullopt, because Istio often treats "unset" differently from a zero value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/k8s.h"

namespace gwsim::model {

// ---- shared pieces -------------------------------------------------------------------

// StringMatch: exactly one of exact/prefix/regex; none set means "present" for headers and
// query parameters.
struct StringMatch {
  enum class Kind { kNone, kExact, kPrefix, kRegex };
  Kind kind = Kind::kNone;
  std::string value;
  bool operator==(const StringMatch&) const = default;
};

struct PortSelector {
  std::uint32_t number = 0;
};

struct Destination {
  std::string host;
  std::string subset;
  std::optional<PortSelector> port;
};

struct HeaderOperations {
  std::vector<std::pair<std::string, std::string>> set;
  std::vector<std::pair<std::string, std::string>> add;
  std::vector<std::string> remove;
  bool empty() const { return set.empty() && add.empty() && remove.empty(); }
};

struct Headers {
  std::optional<HeaderOperations> request;
  std::optional<HeaderOperations> response;
};

using Millis = std::int64_t;  // durations, converted from "1.5s", "100ms", ...

struct Percent {
  double value = 0;  // 0..100
};

// ---- VirtualService ------------------------------------------------------------------

struct HTTPMatchRequest {
  std::string name;
  std::optional<StringMatch> uri;
  std::optional<StringMatch> scheme;
  std::optional<StringMatch> method;
  std::optional<StringMatch> authority;
  std::map<std::string, StringMatch> headers;          // header name as written
  std::map<std::string, StringMatch> without_headers;
  std::map<std::string, StringMatch> query_params;
  std::uint32_t port = 0;  // 0 = unset
  Labels source_labels;
  std::vector<std::string> gateways;
  bool ignore_uri_case = false;
  std::string source_namespace;
  std::string stat_prefix;
};

struct HTTPRouteDestination {
  Destination destination;
  std::optional<std::int32_t> weight;
  std::optional<Headers> headers;
};

struct HTTPRedirect {
  std::string uri;
  std::string authority;
  std::optional<std::uint32_t> port;
  std::string derive_port;  // "", "FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT"
  std::string scheme;
  std::uint32_t redirect_code = 0;  // 0 = unset (301)
  std::string prefix_rewrite;  // replaces the matched uri prefix (prefix matches only); "" = unset
};

struct RegexRewrite {
  std::string match;
  std::string rewrite;
  bool operator==(const RegexRewrite&) const = default;
};

struct HTTPRewrite {
  std::string uri;
  std::string authority;
  std::optional<RegexRewrite> uri_regex_rewrite;
};

struct HTTPDirectResponse {
  std::uint32_t status = 0;
  std::optional<std::string> body;  // body.string or decoded body.bytes
};

struct Delegate {
  std::string name;
  std::string namespace_;
};

struct HTTPRetry {
  std::int32_t attempts = 0;
  std::optional<Millis> per_try_timeout;
  std::string retry_on;
  std::optional<bool> retry_remote_localities;
  std::optional<bool> retry_ignore_previous_hosts;
  std::optional<Millis> backoff;
};

struct FaultDelay {
  std::optional<Millis> fixed_delay;
  std::optional<Percent> percentage;
  std::optional<std::int32_t> percent;  // deprecated integer form
};

struct FaultAbort {
  std::optional<std::int32_t> http_status;
  std::string grpc_status;
  std::optional<Percent> percentage;
};

struct HTTPFaultInjection {
  std::optional<FaultDelay> delay;
  std::optional<FaultAbort> abort;
};

struct HTTPMirrorPolicy {
  Destination destination;
  std::optional<Percent> percentage;
};

struct CorsPolicy {
  std::vector<StringMatch> allow_origins;
  std::vector<std::string> allow_methods;
  std::vector<std::string> allow_headers;
  std::vector<std::string> expose_headers;
  std::optional<Millis> max_age;
  std::optional<bool> allow_credentials;
  std::string unmatched_preflights;  // "", "FORWARD", "IGNORE"
  bool operator==(const CorsPolicy&) const = default;
};

struct HTTPRoute {
  std::string name;
  std::vector<HTTPMatchRequest> match;
  std::vector<HTTPRouteDestination> route;
  std::optional<HTTPRedirect> redirect;
  std::optional<HTTPDirectResponse> direct_response;
  std::optional<Delegate> delegate;
  std::optional<HTTPRewrite> rewrite;
  std::optional<Millis> timeout;
  std::optional<HTTPRetry> retries;
  std::optional<HTTPFaultInjection> fault;
  std::optional<Destination> mirror;
  std::optional<Percent> mirror_percentage;
  std::vector<HTTPMirrorPolicy> mirrors;
  std::optional<CorsPolicy> cors_policy;
  std::optional<Headers> headers;
  SourcePos source;
};

struct RouteDestination {
  Destination destination;
  std::optional<std::int32_t> weight;
};

struct TLSMatchAttributes {
  std::vector<std::string> sni_hosts;
  std::vector<std::string> destination_subnets;
  std::uint32_t port = 0;
  Labels source_labels;
  std::vector<std::string> gateways;
  std::string source_namespace;
};

struct TLSRoute {
  std::vector<TLSMatchAttributes> match;
  std::vector<RouteDestination> route;
  SourcePos source;  // where this tls route is written
};

struct L4MatchAttributes {
  std::vector<std::string> destination_subnets;
  std::uint32_t port = 0;
  std::string source_subnet;
  Labels source_labels;
  std::vector<std::string> gateways;
  std::string source_namespace;
};

struct TCPRoute {
  std::vector<L4MatchAttributes> match;
  std::vector<RouteDestination> route;
  SourcePos source;  // where this tcp route is written
};

struct VirtualService {
  Meta meta;
  std::vector<std::string> hosts;
  std::vector<std::string> gateways;
  std::vector<HTTPRoute> http;
  std::vector<TLSRoute> tls;
  std::vector<TCPRoute> tcp;
  std::vector<std::string> export_to;
};

// ---- Gateway -------------------------------------------------------------------------

struct ServerTLSSettings {
  bool https_redirect = false;
  std::string mode;  // "" (unset = PASSTHROUGH), SIMPLE, MUTUAL, PASSTHROUGH, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL
  std::string server_certificate;
  std::string private_key;
  std::string ca_certificates;
  std::string credential_name;
  std::vector<std::string> credential_names;
  std::vector<std::string> subject_alt_names;
  std::string min_protocol_version;
  std::string max_protocol_version;
  std::vector<std::string> cipher_suites;
  bool mode_set = false;  // whether `mode` was written
};

struct GatewayPort {
  std::uint32_t number = 0;
  std::string protocol;  // upper-cased: HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP, TLS
  std::string name;
  std::uint32_t target_port = 0;
};

struct Server {
  GatewayPort port;
  std::string bind;
  std::vector<std::string> hosts;
  std::optional<ServerTLSSettings> tls;
  std::string default_endpoint;
  std::string name;
  SourcePos source;
};

struct Gateway {
  Meta meta;
  std::vector<Server> servers;
  Labels selector;
};

// ---- DestinationRule -----------------------------------------------------------------

struct ConsistentHash {
  std::string http_header_name;
  struct Cookie {
    std::string name;
    std::string path;
    std::optional<Millis> ttl;
  };
  std::optional<Cookie> http_cookie;
  bool use_source_ip = false;
  std::string http_query_parameter_name;
  std::uint64_t minimum_ring_size = 0;
};

struct LoadBalancerSettings {
  std::string simple;  // "", UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST
  std::optional<ConsistentHash> consistent_hash;
};

struct PortTrafficPolicy {
  std::uint32_t port = 0;
  std::optional<LoadBalancerSettings> load_balancer;
  Json connection_pool;     // kept as written; not yet interpreted
  Json outlier_detection;
  Json tls;
};

struct TrafficPolicy {
  std::optional<LoadBalancerSettings> load_balancer;
  Json connection_pool;
  Json outlier_detection;
  Json tls;
  std::vector<PortTrafficPolicy> port_level_settings;
};

struct Subset {
  std::string name;
  Labels labels;
  std::optional<TrafficPolicy> traffic_policy;
};

struct DestinationRule {
  Meta meta;
  std::string host;
  std::optional<TrafficPolicy> traffic_policy;
  std::vector<Subset> subsets;
  std::vector<std::string> export_to;
  std::optional<Labels> workload_selector;
};

// ---- ServiceEntry --------------------------------------------------------------------

struct ServiceEntryPort {
  std::uint32_t number = 0;
  std::string protocol;
  std::string name;
  std::uint32_t target_port = 0;
};

struct WorkloadEntry {
  std::string address;
  std::map<std::string, std::uint32_t> ports;
  Labels labels;
  std::string network;
  std::string locality;
  std::uint32_t weight = 0;
};

struct ServiceEntry {
  Meta meta;
  std::vector<std::string> hosts;
  std::vector<std::string> addresses;
  std::vector<ServiceEntryPort> ports;
  std::string location;    // MESH_EXTERNAL (default) or MESH_INTERNAL
  std::string resolution;  // NONE (default), STATIC, DNS, DNS_ROUND_ROBIN
  std::vector<WorkloadEntry> endpoints;
  std::optional<Labels> workload_selector;
  std::vector<std::string> export_to;
};

}  // namespace gwsim::model
