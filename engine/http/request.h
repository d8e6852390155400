// The HTTP requests gwsim reasons about: one as it arrives at the gateway (before any routing),
// and one as it leaves for an upstream (after Envoy's rewrites and header operations). Nouns
// below both the decision (engine/match, engine/router) and the load balancer (engine/lb).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gwsim::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::uint32_t port = 80;      // the gateway Service port the client connects to
  std::string scheme = "http";  // http | https
  std::string sni;              // TLS server name (https only)
  unsigned version = 11;        // the client's protocol: 10 (HTTP/1.0), 11 (HTTP/1.1) or 20 (HTTP/2)
  std::string method = "GET";
  std::string host;             // Host / :authority, may carry ":port"
  std::string path = "/";       // path and query
  Headers headers;              // extra headers, as given
  std::string source_ip = "127.0.0.1";  // the client address
  bool client_certificate = false;      // for MUTUAL TLS servers

  // The first value of a header (case-insensitive name), or nullptr.
  const std::string* header(std::string_view name) const;
};

// Why the gateway refuses a request before routing it, as Envoy words it: the HTTP status and
// the response code details (Envoy's %RESPONSE_CODE_DETAILS%: "missing_host_header", the codec's
// "http1.*", ...).
struct RequestRejection {
  int status = 400;
  std::string_view details;
};

// The request as the upstream receives it (after rewrites and header operations, with the
// headers Envoy adds).
struct UpstreamRequest {
  std::string method;
  std::string scheme;
  std::string authority;
  std::string path;
  Headers headers;        // lower-case names, in order
  std::string client_ip;  // the address the upstream sees the request from (the gateway)
};

// The server name a TLS client asks for: the SNI it sent, else the Host without its port (a
// plaintext request has none).
std::string server_name(const Request& request);

// `host` without a ":port" suffix: "[v6]:port" keeps "[v6]", a bare IPv6 address (several colons)
// keeps all of them. A view into `host`.
std::string_view host_without_port(std::string_view host);

}  // namespace gwsim::http
