// Private helpers several compile steps share (engine/route/*.cc only): the predicates of
// Istio's pkg/config/gateway (IsTLSServer, IsHTTPServer, IsPassThroughServer), protocol.IsHTTP,
// the creation-time order of pilot/pkg/model (sortConfigByCreationTime) and
// exportTo visibility. Inline: they run once per object or per destination.
#pragma once

#include <string>
#include <vector>

#include "engine/model/istio.h"
#include "engine/model/k8s.h"
#include "engine/text/ascii.h"

namespace gwsim::route::detail {

inline constexpr const char* kRootNamespace = "istio-system";  // meshConfig.rootNamespace default

// protocol.Parse(...).IsHTTP(): the protocols that share one HTTP connection manager.
inline bool is_http_protocol(const std::string& protocol) {
  const std::string p = text::to_upper(protocol);
  return p == "HTTP" || p == "HTTP2" || p == "GRPC" || p == "GRPC-WEB" || p == "HTTP_PROXY";
}

inline bool is_passthrough(const model::Server& s) {
  return s.tls && (s.tls->mode.empty() || s.tls->mode == "PASSTHROUGH" || s.tls->mode == "AUTO_PASSTHROUGH");
}

// pkg/config/gateway: IsTLSServer / IsHTTPServer.
inline bool is_tls_server(const model::Server& s) { return s.tls && !is_http_protocol(s.port.protocol); }
inline bool is_http_server(const model::Server& s) {
  if (is_http_protocol(s.port.protocol)) return true;
  return text::to_upper(s.port.protocol) == "HTTPS" && s.tls && !is_passthrough(s);
}

// Istio's creation-time order: creationTimestamp, then name, then namespace.
template <typename T>
bool older(const T& a, const T& b) {
  if (a.meta.creation_time != b.meta.creation_time) return a.meta.creation_time < b.meta.creation_time;
  if (int c = a.meta.name.compare(b.meta.name); c != 0) return c < 0;  // one pass over long generated names
  return a.meta.namespace_ < b.meta.namespace_;
}

// exportTo visibility of a resource in `owner_ns` from `from_ns`. Empty means public.
inline bool visible_from(const std::vector<std::string>& export_to, const std::string& owner_ns,
                         const std::string& from_ns) {
  if (export_to.empty()) return true;
  for (const auto& e : export_to) {
    if (e == "*") return true;
    if (e == "~") return false;
    if (e == "." && owner_ns == from_ns) return true;
    if (e == from_ns) return true;
  }
  return false;
}

}  // namespace gwsim::route::detail
