// The headers an edge proxy owns and the route's header operations. Paraphrases Envoy's
// source/common/http/conn_manager_utility.cc mutateRequestHeaders (Istio gateways set
// use_remote_address: X-Forwarded-For, X-Forwarded-Proto, x-request-id, x-envoy-internal,
// x-envoy-external-address) and HeaderParser's set/add/remove.
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

// A deterministic x-request-id in UUID v4 shape, drawn from the injected randomness.
std::string request_id(lb::Random& rng);

// The client's headers as the upstream gets them: names lower-cased, the hop-by-hop headers and
// those Envoy owns dropped, then X-Forwarded-For (the peer appended), X-Forwarded-Proto,
// x-envoy-external-address (the trusted client address `remote_address`, match/remote_address.h;
// empty: the peer) and a new x-request-id, as for every request at an Istio gateway (none is
// internal there: no x-envoy-internal).
void mutate_request_headers(const route::RouteTable& table, const http::Request& request,
                            const std::string& remote_address, lb::Random& rng, http::Headers& out);

}  // namespace gwsim::router
