// The answer of a fake pod, in the body format of Istio's echo app (pkg/test/echo), so that
// body and backend expectations mean the same in decision mode and on real sockets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/model/k8s.h"

namespace gwsim::fakes {

struct EchoRequest {
  std::string method = "GET";
  std::string authority;  // Host header as received
  std::string path = "/";
  std::string proto = "HTTP/1.1";
  std::string client_ip;  // the peer address the pod sees ("ip" or "ip:port")
  std::vector<std::pair<std::string, std::string>> headers;
  // TLS only (the echo app writes them only for TLS connections, and only when non-empty).
  std::string alpn;  // negotiated ALPN protocol
  std::string sni;   // server name the client sent
};

struct EchoPod {
  std::string name;
  std::string namespace_;
  std::string version;   // the pod's `version` label (ServiceVersion)
  std::uint32_t port = 0;  // the declared port the request arrived on (ServicePort)
  // Written only when non-empty, as the echo app does (its --cluster / --istio-version flags;
  // Istio's test framework sets both, a plain Deployment of the app sets neither).
  std::string cluster;
  std::string istio_version;
};

// The echo body: ServiceVersion=, ServicePort=, Host=, URL=, [Cluster=, IstioVersion=,]
// [Namespace=,] Method=, Proto=, IP=, [Alpn=, Sni=,] RequestHeader=Name:value (one per header
// value, names canonicalised and sorted as Go's net/http does), Hostname=<pod>, one per line.
// `status` is the response status; like the real app's HTTP handler, it is not written into
// the body (the echo app puts StatusCode= only into websocket answers and client reports).
std::string echo_body(const EchoPod& pod, const EchoRequest& request, int status = 200);

// Go's textproto.CanonicalMIMEHeaderKey: "x-forwarded-proto" -> "X-Forwarded-Proto"; a key
// with a byte that is not a valid header-name byte is returned unchanged.
std::string canonical_header_key(std::string_view key);

}  // namespace gwsim::fakes
