#include "engine/router/edge_headers.h"

#include <algorithm>
#include <cstdio>

#include "engine/match/remote_address.h"
#include "engine/match/virtual_host.h"
#include "engine/text/ascii.h"

namespace gwsim::router {

namespace {

// Envoy owns these on an edge proxy (use_remote_address); the codec owns the hop-by-hop ones. Every
// request is an edge request at an Istio gateway, so x-envoy-external-address is always Envoy's.
bool owned_by_envoy(std::string_view name) {
  return name == "host" || name == "connection" || name == "keep-alive" || name == "transfer-encoding" ||
         name == "x-envoy-attempt-count" || name == "x-forwarded-proto" || name == "x-envoy-internal" ||
         name == "x-envoy-external-address";
}

}  // namespace

void set_header(http::Headers& headers, std::string_view name, std::string_view value) {
  for (auto& [k, v] : headers) {
    if (k == name) {
      v.assign(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::string(value));
}

void apply_header_ops(http::Headers& headers, const route::HeaderOps& ops) {
  for (const auto& name : ops.remove) {
    headers.erase(std::remove_if(headers.begin(), headers.end(), [&](const auto& kv) { return kv.first == name; }),
                  headers.end());
  }
  for (const auto& [k, v] : ops.set) set_header(headers, k, v);
  for (const auto& [k, v] : ops.add) headers.emplace_back(k, v);
}

std::string request_id(lb::Random& rng) {
  std::uint64_t a = rng.next(), b = rng.next();
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

void mutate_request_headers(const route::RouteTable& table, const http::Request& request,
                            const std::string& remote_address, lb::Random& rng, http::Headers& out) {
  for (const auto& [k, v] : request.headers) {
    std::string name = text::to_lower(k);
    if (owned_by_envoy(name)) continue;
    out.emplace_back(std::move(name), v);
  }
  // use_remote_address: the peer is appended to X-Forwarded-For. (Envoy appends its own address
  // for a loopback peer; gwsim's loopback clients stand for outside clients, so the peer stays.)
  if (const std::string* xff = request.header("x-forwarded-for")) {
    set_header(out, "x-forwarded-for", *xff + "," + request.source_ip);
  } else {
    set_header(out, "x-forwarded-for", request.source_ip);
  }
  set_header(out, "x-forwarded-proto", match::forwarded_proto(table, request));
  const std::string& remote = remote_address.empty() ? request.source_ip : remote_address;
  // Istio's gateway connection manager has no internal_address_config (see remote_address.h).
  const bool internal = match::is_internal_request(request, remote, {});
  const bool edge = !internal;  // use_remote_address is always on at a gateway
  if (internal) set_header(out, "x-envoy-internal", "true");
  // The first ingress point into the trusted network records the client it trusted.
  if (edge) set_header(out, "x-envoy-external-address", remote);
  // Edge requests get a new x-request-id even when the client sent one (Istio does not set
  // preserve_external_request_id); others keep theirs.
  if (edge || !request.header("x-request-id")) set_header(out, "x-request-id", request_id(rng));
}

}  // namespace gwsim::router
