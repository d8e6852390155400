// The listener stage: the gateway Service port -> its targetPort -> the listener there.
// Paraphrases Istio's pilot/pkg/simulation/traffic.go matchListener.
#pragma once

#include "engine/http/request.h"
#include "engine/match/routing_result.h"

namespace gwsim::match {

// Sets out.listener and the trace's gateway, port and listener. false: kNoListener (the
// connection is refused).
bool match_listener(const route::RouteTable& table, const http::Request& request, RoutingResult& out);

}  // namespace gwsim::match
