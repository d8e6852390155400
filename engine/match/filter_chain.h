// The filter chain stage: which chain of the listener takes a connection (by SNI, as Envoy's
// filter chain matcher), and whether its TLS settings let the connection through.
// Paraphrases Istio's pilot/pkg/simulation/traffic.go matchFilterChain, with the TLS checks
// Envoy's transport sockets make.
#pragma once

#include <string_view>

#include "engine/http/request.h"
#include "engine/match/routing_result.h"

namespace gwsim::match {

// The chain Envoy selects for a server name ("" when the client sent none): exact, then the
// longest "*.suffix", then the first chain without a server-name criterion. nullptr: none.
const route::FilterChain* select_filter_chain(const route::Listener& listener, std::string_view sni);

// Needs out.listener. Sets out.filter_chain and the trace's chain, TLS mode and SNI. true: the
// chain takes the connection (outcome kRouted so far); false: kNoFilterChain or kTlsError (the
// connection is closed).
bool match_filter_chain(const http::Request& request, RoutingResult& out);

// A TLS handshake with out.filter_chain failed on a real socket: the outcome is kTlsError, with
// the reason decision mode gives when it knows one.
void tls_handshake_failed(RoutingResult& out, std::string_view error);

}  // namespace gwsim::match
