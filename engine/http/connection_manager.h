// What Envoy's HTTP connection manager does with a request's headers before any HTTP filter or
// route sees them (source/common/http/conn_manager_impl.cc, ActiveStream::decodeHeaders), as
// Istio's gateway configures it:
// - HTTP/1.0 is refused with 426 Upgrade Required (details "low_version"): Istio sets
//   http_protocol_options.accept_http_10 only when the proxy asks for it (PILOT_HTTP10 / the
//   node's HTTP10 metadata), which an ingress gateway does not by default;
// - (a request without Host, which Envoy refuses with 400 "missing_host_header", is routed as
//   before: a scenario's omitted `host` stands for a client that addressed the gateway by its
//   address, as the Gateway API suite's Go client does, and the runner sends no Host for it);
// - the path is normalised (path_normalization.h), or refused with 400
//   ("path_normalization_failed").
// These local replies have no body.
#pragma once

#include <optional>

#include "engine/http/request.h"

namespace gwsim::http {

// Returns the refusal, or nullopt with `request.path` normalised.
std::optional<RequestRejection> connection_manager_decode(Request& request);

}  // namespace gwsim::http
