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
  HeaderList headers;
  int count = 1;
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
  HeaderList headers;  // compared case-insensitively by name
  std::vector<std::string> absent_headers;
};

struct DistributionExpectation {
  std::string by;  // subset | pod | service | cluster | version | status | label:<key>
  std::map<std::string, double> expected;  // key -> share (0..1); keys not listed expect 0
  double tolerance = 0.05;                 // absolute difference of shares
  std::optional<int> distinct;             // how many different keys were seen
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
  std::optional<std::string> rejected;  // apply steps only: the apply must be refused
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

struct Step {
  std::string name;  // as written, or "<action> #<n>"
  std::string where;  // file:line:col of the step
  std::variant<RequestSpec, ApplySpec, std::vector<DeleteTarget>, ScaleSpec, PodsSpec> action;
  std::optional<Expectation> expect;

  const char* action_name() const;  // "request", "apply", "delete", "scale", "pods"
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
