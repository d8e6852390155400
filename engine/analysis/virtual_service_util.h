// A VirtualService's destinations with where they are written, as Istio's
// pkg/config/analysis/analyzers/virtualservice/util.go lists them.
#pragma once

#include <string>
#include <vector>

#include "engine/model/istio.h"

namespace gwsim::analysis {

struct AnnotatedDestination {
  std::string rule;  // "tcp", "tls", "http", "http.mirror", "http.mirrors"
  int service_index = 0;
  int destination_index = 0;
  const model::Destination* destination = nullptr;
  std::string field;  // JSON pointer of the destination's host
};

// getRouteDestinations: tcp, then tls, then http route destinations.
std::vector<AnnotatedDestination> route_destinations(const model::VirtualService& vs);
// getHTTPMirrorDestinations: each http route's mirror, then its mirrors.
std::vector<AnnotatedDestination> mirror_destinations(const model::VirtualService& vs);

}  // namespace gwsim::analysis
