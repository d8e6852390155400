// The downstream remote address, computed once per request before any HTTP filter runs, as
// Envoy's connection manager does at an Istio gateway (use_remote_address: true,
// xff_num_trusted_hops = gatewayTopology.numTrustedProxies; Istio's
// pilot/pkg/networking/core/gateway.go buildGatewayConnectionManager). Paraphrases Envoy's
// source/common/http/conn_manager_utility.cc mutateRequestHeaders (the use_remote_address
// branch) and source/common/http/utility.cc getLastAddressFromXFF, which the original IP
// detection extension source/extensions/http/original_ip_detection/xff/ also uses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/http/request.h"
#include "engine/match/routing_result.h"
#include "engine/route/route_table.h"

namespace gwsim::match {

// The address `skip` entries from the right of an X-Forwarded-For value ("a, b, c" with skip 1
// is "b"), trimmed; nullopt when the list is too short or the entry is not an IP address.
std::optional<std::string> address_from_xff(std::string_view xff, std::uint32_t skip);

// The trusted client address: with numTrustedProxies N > 0, the address N - 1 entries from the
// right of the client's X-Forwarded-For (before the gateway appends its peer); otherwise, or
// when that entry is missing or not an address, the peer's (request.source_ip).
std::string remote_address(const route::RouteTable& table, const http::Request& request);

// Fills out.remote_address; call once per HTTP request before the filters (route_request and
// router::exchange both do, so both modes see the same address).
void detect_remote_address(const route::RouteTable& table, const http::Request& request, RoutingResult& out);

// Whether Envoy treats the request as internal (x-envoy-internal: true, and no
// x-envoy-external-address). Envoy requires that the client sent no X-Forwarded-For (a trusted
// XFF address never makes a request internal) and that the remote address is in the
// connection manager's internal_address_config. Istio's gateways set none unless
// ENABLE_HCM_INTERNAL_NETWORKS and meshNetworks (gateway.go), and since Envoy 1.36 an unset
// internal_address_config trusts no address (the RFC 1918 default and its runtime guard
// explicit_internal_address_config were removed): so at an Istio gateway no request is
// internal. The CIDR list is the connection manager's; gwsim's gateways pass none.
bool is_internal_request(const http::Request& request, const std::string& remote,
                         const std::vector<std::string>& internal_cidrs);

// Whether an IPv4 address is in one of the IPv4 CIDRs ("10.0.0.0/8"); other forms never match.
bool in_cidrs(const std::string& address, const std::vector<std::string>& cidrs);

}  // namespace gwsim::match
