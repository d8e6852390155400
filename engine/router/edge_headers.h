// The headers an edge proxy owns and the route's header operations. Paraphrases Envoy's
// source/common/http/conn_manager_utility.cc mutateRequestHeaders (Istio gateways set
// use_remote_address: X-Forwarded-For, X-Forwarded-Proto, x-request-id, x-envoy-internal) and
// HeaderParser's set/add/remove.
#pragma once

#include <string>
#include <string_view>

#include "engine/http/request.h"
#include "engine/lb/load_balancer.h"
#include "engine/route/route_table.h"

namespace gwsim::router {

// Replaces the first header of that (lower-case) name, or appends it.
void set_header(http::Headers& headers, std::string_view name, std::string_view value);
// remove, then set, then add, as Envoy's HeaderParser applies a route's operations.
void apply_header_ops(http::Headers& headers, const route::HeaderOps& ops);

// Loopback and RFC 1918 sources are internal (x-envoy-internal: true).
bool is_internal_address(const std::string& ip);

// A deterministic x-request-id in UUID v4 shape, drawn from the injected randomness.
std::string request_id(lb::Random& rng);

// The client's headers as the upstream gets them: names lower-cased, the hop-by-hop headers and
// those Envoy owns dropped, then X-Forwarded-For, X-Forwarded-Proto, x-request-id (when the
// client sent none) and x-envoy-internal set.
void mutate_request_headers(const route::RouteTable& table, const http::Request& request, lb::Random& rng,
                            http::Headers& out);

}  // namespace gwsim::router
