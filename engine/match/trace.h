// DecisionTrace: what the gateway decided for one request, step by step, in the spirit of
// Istio's pilot/pkg/simulation/traffic.go: listener, filter chain, route config, virtual
// host, route, cluster, endpoint, plus one outcome from a closed set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace gwsim::match {

// The closed set of outcomes. Each maps to what Envoy does (see outcome_description()).
enum class Outcome {
  kRouted,             // an endpoint was chosen (the upstream's answer decides the status)
  kNoListener,         // nothing listens on that port: connection refused
  kNoFilterChain,      // no filter chain matches (e.g. unknown SNI): connection closed
  kTlsError,           // plaintext into a TLS chain, or TLS into a plaintext one
  kNoVirtualHost,      // 404 NR
  kNoRoute,            // 404 NR
  kTlsRedirect,        // 301 to https (require_tls)
  kRedirect,           // route redirect: 3xx
  kDirectResponse,     // route direct_response
  kFaultAbort,         // fault injection abort: FI
  kClusterNotFound,    // 503 NC
  kNoHealthyUpstream,  // 503 UH
  kUpstreamFailure,    // connection failure / reset after retries: 503 UF (URX)
  kUpstreamTimeout,    // route or per-try timeout: 504 UT
  kCorsPreflight,      // a CORS preflight answered by the gateway
  kUnsupported,        // configuration gwsim does not simulate yet (never guessed)
  kUnauthenticated,    // Envoy's jwt_authn refused the request's token: 401 (RequestAuthentication)
  kAccessDenied,       // Envoy's rbac filter denied the request: 403 (AuthorizationPolicy)
  kRequestRejected,    // the HTTP/1 codec or the connection manager refused the request before routing
                      // (400 missing Host, 426 HTTP/1.0, 431 headers, 501 transfer coding, ...)
};

// Every outcome, in declaration order.
inline constexpr Outcome kAllOutcomes[] = {
    Outcome::kRouted,          Outcome::kNoListener,      Outcome::kNoFilterChain,   Outcome::kTlsError,
    Outcome::kNoVirtualHost,   Outcome::kNoRoute,         Outcome::kTlsRedirect,     Outcome::kRedirect,
    Outcome::kDirectResponse,  Outcome::kFaultAbort,      Outcome::kClusterNotFound, Outcome::kNoHealthyUpstream,
    Outcome::kUpstreamFailure, Outcome::kUpstreamTimeout, Outcome::kCorsPreflight,   Outcome::kUnsupported,
    Outcome::kUnauthenticated, Outcome::kAccessDenied, Outcome::kRequestRejected,
};

// Its name in traces, reports and scenario files ("NoRoute", "TLSError").
const char* outcome_name(Outcome outcome);

// The outcome of that name; nullopt when there is none.
std::optional<Outcome> outcome_named(std::string_view name);

struct Attempt {
  std::string endpoint;  // ip:port
  std::string pod;       // namespace/name
  int status = 0;        // 0: connection failed
  std::string note;      // "connection refused", "retriable status 503", ...
};

struct DecisionTrace {
  Outcome outcome = Outcome::kNoListener;
  std::string gateway_service;  // "istio-system/istio-ingressgateway"
  std::uint32_t service_port = 0;
  std::string listener;         // "0.0.0.0_8080"
  std::string filter_chain;
  std::string tls_mode;         // the chain's TLS mode ("" plaintext, SIMPLE, PASSTHROUGH, ...)
  std::string sni;              // the server name the client sent (TLS only)
  std::string route_config;     // "http.8080"
  std::string virtual_host;     // "www.service1.io:80"
  std::string route_name;       // the http route's name ("" if unnamed)
  int route_index = -1;         // position in the virtual host
  std::string virtual_service;  // "ns/name"
  // For a VirtualService Istio generated: the objects it came from, as its
  // internal.istio.io/parents annotation lists them ("HTTPRoute/http.default"); else "".
  std::string virtual_service_parents;
  std::string gateway;          // Gateway "ns/name" that bound it
  int http_index = -1;
  int match_index = -1;
  std::string cluster;          // outbound|8081|v1|k8s-combat-service-istio-mesh.default.svc.cluster.local
  std::string service;          // "ns/name"
  std::string subset;
  std::uint32_t service_port_upstream = 0;
  std::string pod;              // "ns/name" of the endpoint that answered
  std::string endpoint;         // ip:port
  std::vector<Attempt> attempts;
  std::vector<std::string> mirrors;  // clusters that got a fire-and-forget copy of the request
  int status = 0;               // final HTTP status; 0 when the connection was refused/closed
  std::string response_flags = "-";
  std::string detail;           // free text: why (e.g. "subset v3 not defined")
  // jwt_authn (RequestAuthentication): the policies that configured it and what it found
  // ("RequestAuthentication istio-system/jwt: origins-0 verified issuer ... sub ..."); "" when none applies.
  std::string authentication;

  nlohmann::json to_json() const;
  std::string to_text() const;  // multi-line, for `gwsim route` and failing steps
};

}  // namespace gwsim::match
