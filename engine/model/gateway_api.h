// Typed Gateway API objects (gateway.networking.k8s.io, as release v1.6 serves them): the
// fields Istio's kube gateway controller reads (pilot/pkg/config/kube/gateway). An optional
// field stays std::optional because Istio tells "unset" from a zero value (a backendRef weight,
// a listener hostname, a parentRef port). engine/kube_gateway translates them into Istio
// Gateways and VirtualServices.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/k8s.h"
#include "engine/model/object.h"

namespace gwsim::model::gateway_api {

inline constexpr const char* kIstioController = "istio.io/gateway-controller";

// ParentReference (route -> Gateway). `raw` is the reference as written, which route status
// repeats verbatim in status.parents[].parentRef.
struct ParentReference {
  std::optional<std::string> group;
  std::optional<std::string> kind;
  std::optional<std::string> namespace_;
  std::string name;
  std::optional<std::string> section_name;
  std::optional<std::int32_t> port;
  Json raw;
  bool operator==(const ParentReference& o) const { return raw == o.raw; }
};

struct BackendObjectReference {
  std::optional<std::string> group;
  std::optional<std::string> kind;
  std::string name;
  std::optional<std::string> namespace_;
  std::optional<std::int32_t> port;
};

struct HTTPHeader {
  std::string name;
  std::string value;
};

struct HTTPHeaderFilter {
  std::vector<HTTPHeader> set;
  std::vector<HTTPHeader> add;
  std::vector<std::string> remove;
};

struct HTTPPathModifier {
  std::string type;  // ReplaceFullPath, ReplacePrefixMatch
  std::optional<std::string> replace_full_path;
  std::optional<std::string> replace_prefix_match;
};

struct HTTPRequestRedirectFilter {
  std::optional<std::string> scheme;
  std::optional<std::string> hostname;
  std::optional<HTTPPathModifier> path;
  std::optional<std::int32_t> port;
  std::optional<std::int32_t> status_code;
};

struct HTTPURLRewriteFilter {
  std::optional<std::string> hostname;
  std::optional<HTTPPathModifier> path;
};

struct Fraction {
  std::int32_t numerator = 0;
  std::optional<std::int32_t> denominator;
};

struct HTTPRequestMirrorFilter {
  BackendObjectReference backend_ref;
  std::optional<std::int32_t> percent;
  std::optional<Fraction> fraction;
};

struct HTTPCORSFilter {
  std::vector<std::string> allow_origins;
  std::optional<bool> allow_credentials;
  std::vector<std::string> allow_methods;
  std::vector<std::string> allow_headers;
  std::vector<std::string> expose_headers;
  std::int32_t max_age = 0;  // seconds; 0 = unset (the API defaults it to 5)
};

// HTTPRouteFilter and GRPCRouteFilter: `type` says which member is set.
struct RouteFilter {
  std::string type;  // RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect, URLRewrite,
                     // RequestMirror, CORS, ExtensionRef, ...
  std::optional<HTTPHeaderFilter> request_header_modifier;
  std::optional<HTTPHeaderFilter> response_header_modifier;
  std::optional<HTTPRequestRedirectFilter> request_redirect;
  std::optional<HTTPURLRewriteFilter> url_rewrite;
  std::optional<HTTPRequestMirrorFilter> request_mirror;
  std::optional<HTTPCORSFilter> cors;
};

// BackendRef of every route kind (HTTPBackendRef and GRPCBackendRef add filters).
struct BackendRef {
  BackendObjectReference ref;
  std::optional<std::int32_t> weight;
  std::vector<RouteFilter> filters;
};

struct StringMatchSpec {  // header / query parameter matches
  std::optional<std::string> type;  // Exact (default), RegularExpression
  std::string name;
  std::string value;
};

struct HTTPPathMatch {
  std::optional<std::string> type;  // PathPrefix (default), Exact, RegularExpression
  std::optional<std::string> value;  // default "/"
};

struct HTTPRouteMatch {
  HTTPPathMatch path;  // the API defaults it to PathPrefix "/"
  std::vector<StringMatchSpec> headers;
  std::vector<StringMatchSpec> query_params;
  std::optional<std::string> method;
};

struct HTTPRouteTimeouts {
  std::optional<std::string> request;
  std::optional<std::string> backend_request;
};

struct HTTPRouteRetry {
  std::vector<std::int32_t> codes;
  std::optional<std::int32_t> attempts;
  std::optional<std::string> backoff;
};

struct HTTPRouteRule {
  std::optional<std::string> name;
  std::vector<HTTPRouteMatch> matches;
  std::vector<RouteFilter> filters;
  std::vector<BackendRef> backend_refs;
  std::optional<HTTPRouteTimeouts> timeouts;
  std::optional<HTTPRouteRetry> retry;
};

struct GRPCMethodMatch {
  std::optional<std::string> type;  // Exact (default), RegularExpression
  std::optional<std::string> service;
  std::optional<std::string> method;
};

struct GRPCRouteMatch {
  std::optional<GRPCMethodMatch> method;
  std::vector<StringMatchSpec> headers;
};

struct GRPCRouteRule {
  std::optional<std::string> name;
  std::vector<GRPCRouteMatch> matches;
  std::vector<RouteFilter> filters;
  std::vector<BackendRef> backend_refs;
};

struct L4RouteRule {  // TCPRouteRule and TLSRouteRule
  std::optional<std::string> name;
  std::vector<BackendRef> backend_refs;
};

// What every route kind shares; `status` is the object's status as stored (route status keeps
// the parents other controllers wrote).
struct RouteCommon {
  Meta meta;
  std::int64_t generation = 0;
  std::vector<ParentReference> parent_refs;
  std::vector<std::string> hostnames;
  Json status;
};

struct HTTPRoute : RouteCommon {
  std::vector<HTTPRouteRule> rules;
};

struct GRPCRoute : RouteCommon {
  std::vector<GRPCRouteRule> rules;
};

struct TLSRoute : RouteCommon {
  std::vector<L4RouteRule> rules;
};

struct TCPRoute : RouteCommon {  // hostnames stay empty
  std::vector<L4RouteRule> rules;
};

struct GatewayClass {
  Meta meta;
  std::int64_t generation = 0;
  std::string controller_name;
  Json status;
};

struct SecretObjectReference {
  std::optional<std::string> group;
  std::optional<std::string> kind;
  std::string name;
  std::optional<std::string> namespace_;
};

struct ListenerTLSConfig {
  std::optional<std::string> mode;  // Terminate (default), Passthrough
  std::vector<SecretObjectReference> certificate_refs;
  std::map<std::string, std::string> options;
};

struct LabelSelectorRequirement {
  std::string key;
  std::string op;  // In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
};

struct LabelSelector {
  Labels match_labels;
  std::vector<LabelSelectorRequirement> match_expressions;
};

struct RouteGroupKind {
  std::optional<std::string> group;  // default gateway.networking.k8s.io
  std::string kind;
  bool operator==(const RouteGroupKind&) const = default;
};

struct AllowedRoutes {
  std::optional<std::string> from;  // Same (default), All, Selector
  std::optional<LabelSelector> selector;
  std::vector<RouteGroupKind> kinds;
};

struct Listener {
  std::string name;
  std::optional<std::string> hostname;
  std::int32_t port = 0;
  std::string protocol;  // HTTP, HTTPS, TLS, TCP, ... as written
  std::optional<ListenerTLSConfig> tls;
  std::optional<AllowedRoutes> allowed_routes;
};

struct GatewayAddress {
  std::optional<std::string> type;  // IPAddress, Hostname, or a domain-prefixed type
  std::string value;
};

// A Kubernetes Gateway (gateway.networking.k8s.io), not Istio's networking Gateway.
struct Gateway {
  Meta meta;
  std::int64_t generation = 0;
  std::string gateway_class_name;
  std::vector<Listener> listeners;
  std::vector<GatewayAddress> addresses;
  Json infrastructure;  // kept as written; Istio reads parametersRef from it
  Json tls;             // spec.tls as written (frontend client validation, backend client certificate)
  Json status;
};

struct ReferenceGrantFrom {
  std::string group;
  std::string kind;
  std::string namespace_;
};

struct ReferenceGrantTo {
  std::string group;
  std::string kind;
  std::optional<std::string> name;
};

struct ReferenceGrant {
  Meta meta;
  std::vector<ReferenceGrantFrom> from;
  std::vector<ReferenceGrantTo> to;
};

// A problem reading one object: where (a JSON pointer into it) and what.
struct ReadProblem {
  std::string pointer;
  std::string message;
};

// Readers of each kind, called by snapshot.cc for objects of the Gateway API group. `meta` is
// the object's metadata as snapshot.cc reads every kind's; problems found are appended (with a
// JSON pointer into the object), and an object with problems is not to be used.
GatewayClass read_gateway_class(const Object& object, Meta meta, std::vector<ReadProblem>& problems);
Gateway read_gateway(const Object& object, Meta meta, std::vector<ReadProblem>& problems);
HTTPRoute read_http_route(const Object& object, Meta meta, std::vector<ReadProblem>& problems);
GRPCRoute read_grpc_route(const Object& object, Meta meta, std::vector<ReadProblem>& problems);
TLSRoute read_tls_route(const Object& object, Meta meta, std::vector<ReadProblem>& problems);
TCPRoute read_tcp_route(const Object& object, Meta meta, std::vector<ReadProblem>& problems);
ReferenceGrant read_reference_grant(const Object& object, Meta meta, std::vector<ReadProblem>& problems);

}  // namespace gwsim::model::gateway_api
