// The virtual host stage: the filter chain's route configuration, then the virtual host for
// the Host header (the compiled VirtualHostTable: exact, then suffix and prefix wildcards, as
// Envoy), then the host's require_tls. Paraphrases Istio's pilot/pkg/simulation/traffic.go
// matchDomain.
#pragma once

#include <string>

#include "engine/http/request.h"
#include "engine/match/routing_result.h"

namespace gwsim::match {

// Needs out.filter_chain (an HTTP chain). Sets out.virtual_host and the trace's route config
// and virtual host. false: kNoRoute / kNoVirtualHost (404 NR) or kTlsRedirect (301).
bool match_virtual_host(const route::RouteTable& table, const http::Request& request, RoutingResult& out);

// The scheme Envoy records in X-Forwarded-Proto: the connection's, unless the gateway trusts
// the previous hop (gatewayTopology.numTrustedProxies), whose X-Forwarded-Proto it keeps.
const std::string& forwarded_proto(const route::RouteTable& table, const http::Request& request);

}  // namespace gwsim::match
