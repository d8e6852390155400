// The typed form of a scenario file (apiVersion gwsim.io/v1alpha1, kind Scenario): the
// contract in SCENARIO_FORMAT.md (our reference: docs/scenario-format.md), as the loader
// (scenario.h, scenario_parser.h) fills it and the runner reads it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/model/object.h"
#include "engine/model/result.h"
#include "runtime/control_plane.h"
#include "runtime/ingress_install.h"

namespace gwsim::conformance {

inline constexpr const char* kScenarioApiVersion = "gwsim.io/v1alpha1";
inline constexpr const char* kDefaultGateway = runtime::kDefaultIngressGateway;

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// ---- request -------------------------------------------------------------------------

struct RequestSpec {
  std::string gateway = kDefaultGateway;  // gateway Service "ns/name"
  std::uint32_t port = 80;                // default 80, or 443 for https
  std::string scheme = "http";
  std::string host;
  std::string sni;  // default: host without port when https
  bool client_certificate = false;  // present a client certificate (MUTUAL TLS servers)
  std::string source_ip = "127.0.0.1";  // the client address (x-forwarded-for, useSourceIp hashing)
  std::string method = "GET";
  std::string path = "/";
  HeaderList headers;  // a name given several times is sent once per value, in order
  int count = 1;
  // A gRPC call (service and method): POST /<service>/<method> over HTTP/2 with content-type
  // application/grpc; `method` and `path` above are then set from it.
  std::optional<std::pair<std::string, std::string>> grpc;
  std::string upgrade;                // "" or "websocket" (HTTP/1.1 Upgrade)
  std::string protocol = "HTTP/1.1";  // or "HTTP/2" (h2c prior knowledge; also set by grpc)
  // A token the `jwt` field minted (it is in `headers` or `path`), and how reports print it instead:
  // "<jwt k1 {\"sub\":\"x\"} expired>" (an expired token, or an ES/PS signature, differs on every run).
  std::string minted_token;
  std::string minted_description;
};

// ---- expectations --------------------------------------------------------------------

struct RouteExpectation {
  std::optional<std::string> gateway;          // Gateway "ns/name" that bound the route
  std::optional<std::string> virtual_service;  // "ns/name"
  std::optional<std::string> name;             // the http route's name
  std::optional<int> index;                    // the http route's index in the VirtualService
  std::optional<std::string> listener;
  std::optional<std::string> route_config;
  std::optional<std::string> virtual_host;
};

struct BackendExpectation {
  std::optional<std::string> service;  // "ns/name"
  std::optional<std::uint32_t> port;   // the service port
  std::optional<std::string> subset;
  std::optional<std::string> pod;      // prefix of the pod name (or of "ns/name" when it has '/')
  std::map<std::string, std::string> pod_labels;
};

struct UpstreamRequestExpectation {
  std::optional<std::string> host;
  std::optional<std::string> path;
  HeaderList headers;  // compared case-insensitively by name; repeated ones joined with ","
  std::vector<std::string> absent_headers;
  std::optional<std::string> method;    // the method the backend received
  std::optional<bool> tls;              // whether the gateway's connection to the backend was TLS
  std::optional<std::string> sni;       // the server name the backend saw ("" none)
  std::optional<std::string> protocol;  // HTTP/1.1 or HTTP/2, as the backend received it
};

struct DistributionExpectation {
  std::string by;  // subset | pod | service | cluster | version | status | label:<key>
  std::map<std::string, double> expected;  // key -> share (0..1); keys not listed expect 0
  double tolerance = 0.05;                 // absolute difference of shares
  std::optional<int> distinct;             // how many different keys were seen
};

// ---- object steps (a read of one object from the simulated cluster) -------------------

// One status condition: `type` names it; every other field given is compared exactly
// (messageContains: a substring of the message).
struct ConditionExpectation {
  std::string type;
  std::optional<std::string> status;
  std::optional<std::string> reason;
  std::optional<std::string> message;
  std::optional<std::string> message_contains;
};

// A Gateway's status.listeners entry, by name.
struct ListenerExpectation {
  std::string name;
  std::optional<std::int64_t> attached_routes;
  std::optional<std::vector<std::string>> supported_kinds;  // kind names, compared as a set
  std::vector<ConditionExpectation> conditions;
};

// A route's status.parents entry, found by its parentRef (absent namespace: the route's own;
// absent group/kind: gateway.networking.k8s.io Gateway; sectionName and port as written).
struct ParentRefExpectation {
  std::optional<std::string> group;
  std::optional<std::string> kind;
  std::optional<std::string> namespace_;
  std::string name;
  std::optional<std::string> section_name;
  std::optional<std::int64_t> port;
};

struct ParentExpectation {
  ParentRefExpectation parent_ref;
  std::optional<std::string> controller_name;
  std::vector<ConditionExpectation> conditions;
};

struct ObjectExpectation {
  bool exists = true;
  std::vector<ConditionExpectation> conditions;  // status.conditions
  std::vector<ListenerExpectation> listeners;
  std::vector<ParentExpectation> parents;
  std::optional<std::vector<std::string>> addresses;  // status.addresses[].value, in order
  std::vector<std::pair<std::string, model::Json>> fields;  // dotted path -> exact JSON value
};

struct Expectation {
  std::vector<int> status;  // empty: not checked; else any of these
  std::optional<std::string> response_flags;
  std::optional<bool> refused;
  std::optional<bool> closed;            // accepted, then closed with no HTTP response (TLS or chain failure)
  std::optional<std::string> outcome;    // the decision trace's outcome name (NoFilterChain, TLSError, ...)
  std::optional<std::string> body;
  std::optional<std::string> body_contains;
  HeaderList headers;
  std::vector<std::string> absent_headers;
  std::optional<RouteExpectation> route;
  std::optional<std::string> cluster;
  std::optional<BackendExpectation> backend;
  std::optional<UpstreamRequestExpectation> upstream_request;
  std::optional<int> attempts;
  std::optional<DistributionExpectation> distribution;
  // "Kind namespace/name" of every unsimulated object that may change the outcome (in any
  // order); empty list: none. Not given: not checked (the step is still marked).
  std::optional<std::vector<std::string>> unsimulated;
  std::optional<std::string> rejected;  // apply steps only: the apply must be refused
  std::optional<ObjectExpectation> object;  // object steps only (always set on them)
};

// ---- world changes -------------------------------------------------------------------

// One apply: manifest files' objects, then inline resources, in order. Each object is admitted
// (validation::admit) once, when the file is read; the apply takes that answer.
struct ApplySpec {
  std::vector<std::string> manifests;            // as written, relative to the scenario file
  std::vector<runtime::AdmittedObject> objects;  // loaded (manifests first, then resources)
};

struct DeleteTarget {
  std::string api_version;  // optional; derived from the kind when empty
  std::string kind;
  std::string namespace_ = "default";
  std::string name;
};

struct ScaleSpec {
  std::string namespace_ = "default";
  std::string deployment;
  int replicas = 0;
};

struct PodRespond {
  std::optional<int> status;
  std::optional<std::int64_t> delay_ms;
};

struct PodsSpec {
  std::string namespace_ = "default";
  std::map<std::string, std::string> selector;  // label selector, or
  std::string name;                             // one pod by name
  std::optional<int> count;                     // first N matching pods by name
  std::optional<PodRespond> respond;
  std::optional<bool> refuse;
  std::optional<bool> ready;
  bool reset = false;
};

// The object an `object` step reads (apiVersion derived from the kind when omitted).
struct ObjectSpec {
  std::string api_version;
  std::string kind;
  std::string namespace_ = "default";  // ignored for cluster-scoped kinds
  std::string name;
};

struct Step {
  std::string name;  // as written, or "<action> #<n>"
  std::string where;  // file:line:col of the step
  std::variant<RequestSpec, ApplySpec, std::vector<DeleteTarget>, ScaleSpec, PodsSpec, ObjectSpec> action;
  std::optional<Expectation> expect;

  const char* action_name() const;  // "request", "apply", "delete", "scale", "pods", "object"
};

struct Scenario {
  std::string file;  // the path as given
  std::string name;
  std::string description;
  std::vector<std::string> features;
  std::vector<std::string> references;
  std::string known_deviation;  // non-empty: expected to fail today
  ApplySpec setup;              // spec.manifests + spec.resources, one apply
  std::vector<Step> steps;
};

struct ScenarioLoad {
  std::optional<Scenario> scenario;  // set only when there were no errors
  std::vector<Error> errors;         // each with file:line:col
  std::vector<std::string> warnings; // e.g. unknown kinds in manifests (skipped)
  std::string name;  // metadata.name when it could be read, even if the file has errors
  bool ok() const { return errors.empty() && scenario.has_value(); }
};

}  // namespace gwsim::conformance
