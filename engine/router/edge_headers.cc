#include "engine/router/edge_headers.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "engine/match/virtual_host.h"
#include "engine/text/ascii.h"

namespace gwsim::router {

namespace {

// Envoy owns these on an edge proxy (use_remote_address); the codec owns the hop-by-hop ones.
bool owned_by_envoy(std::string_view name) {
  return name == "host" || name == "connection" || name == "keep-alive" || name == "transfer-encoding" ||
         name == "x-envoy-attempt-count" || name == "x-forwarded-proto" || name == "x-envoy-internal";
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

bool is_internal_address(const std::string& ip) {
  return ip.rfind("127.", 0) == 0 || ip.rfind("10.", 0) == 0 || ip.rfind("192.168.", 0) == 0 || ip == "::1" ||
         (ip.rfind("172.", 0) == 0 && [&] {
           int second = std::atoi(ip.c_str() + 4);
           return second >= 16 && second <= 31;
         }());
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

void mutate_request_headers(const route::RouteTable& table, const http::Request& request, lb::Random& rng,
                            http::Headers& out) {
  for (const auto& [k, v] : request.headers) {
    std::string name = text::to_lower(k);
    if (owned_by_envoy(name)) continue;
    out.emplace_back(std::move(name), v);
  }
  if (const std::string* xff = request.header("x-forwarded-for")) {
    set_header(out, "x-forwarded-for", *xff + "," + request.source_ip);
  } else {
    set_header(out, "x-forwarded-for", request.source_ip);
  }
  set_header(out, "x-forwarded-proto", match::forwarded_proto(table, request));
  if (!request.header("x-request-id")) set_header(out, "x-request-id", request_id(rng));
  if (is_internal_address(request.source_ip)) set_header(out, "x-envoy-internal", "true");
}

}  // namespace gwsim::router
