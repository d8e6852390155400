// What the route lookup's stages found so far (listener.h .. cluster_pick.h): the state that
// Istio's pilot/pkg/simulation/traffic.go Simulation.Run carries from one match step to the
// next. A header of its own so the stages and decide.h, which composes them, both read it.
#pragma once

#include <string>

#include "engine/http/authn.h"
#include "engine/match/trace.h"
#include "engine/route/route_table.h"

namespace gwsim::match {

// What the stages found so far; a stage reads its predecessors' fields and fills its own.
struct RoutingResult {
  DecisionTrace trace;
  const route::Listener* listener = nullptr;
  const route::FilterChain* filter_chain = nullptr;
  const route::VirtualHost* virtual_host = nullptr;
  const route::Route* route = nullptr;                  // set when a route matched
  const route::WeightedCluster* destination = nullptr;  // the picked cluster (kRoute actions, TCP)
  const route::Cluster* cluster = nullptr;              // set when the picked cluster exists

  // The downstream address Envoy's connection manager computes before any filter runs (the
  // peer, or the address X-Forwarded-For names past gatewayTopology.numTrustedProxies): what
  // rbac's remote_ip and x-envoy-external-address read. Empty: the request's source_ip.
  std::string remote_address;
  // What jwt_authn found (RequestAuthentication): read by rbac (request.auth.*) and by route
  // matches on @request.auth.claims.
  http::AuthnResult authn;
};

}  // namespace gwsim::match
