// The gateway proxy on real sockets: Boost.Asio and Boost.Beast, HTTP/1.1, loopback only.
//
// One Proxy serves one gateway Service (e.g. istio-system/istio-ingressgateway) from its
// compiled RouteTable. Each Service port gets a local address (127.0.0.1:<free port> by
// default); it accepts connections while the table has a listener for the port's targetPort
// and refuses them otherwise. Per connection:
//
//   peek the first bytes: a TLS ClientHello gives the SNI (as Envoy's TLS inspector)
//   filter chain by SNI -> PASSTHROUGH/TCP: forward the byte stream to one endpoint
//                       -> SIMPLE/MUTUAL: handshake with the credentialName certificate
//                       -> HTTP: per request router::exchange() itself, run in a fiber whose
//                          upstream calls are real (a keep-alive pool, deadlines from the
//                          route's timeouts), so every decision (route, cluster, endpoint,
//                          retries, timeouts, CORS, local replies, Envoy's headers and error
//                          bodies) is the decision path's; mirrors are sent fire-and-forget
//
// Randomness: each event loop has its own lb::Random (seeded seed + loop index) and load
// balancer state, as Envoy's workers do; with one loop a seeded run decides exactly as
// decision mode does.
//
// A new table (set_table) applies to every request that starts afterwards; requests in flight
// finish on the table they started with. Errors on the data path are values (error_code
// overloads); nothing here throws.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/datapath/address_map.h"
#include "engine/match/trace.h"
#include "engine/model/k8s.h"
#include "engine/model/result.h"
#include "engine/route/route_table.h"

namespace gwsim::datapath {

// One request (or one TCP connection) as the proxy handled it. Emitted before the response
// is written, so a client that has read its response always finds its entry.
struct AccessLogEntry {
  std::string gateway;           // the gateway Service "ns/name"
  std::string downstream_remote; // the client "ip:port"
  std::uint32_t service_port = 0;
  match::DecisionTrace trace;
  model::Labels endpoint_labels;  // of the pod that answered, empty when none
  std::string upstream_local;     // "ip:port" the last attempt came from, "" when none
  std::string upstream_remote;    // where it went (the actual address, see AddressMap)
  int status = 0;                 // the status written downstream; 0: closed without one
  std::string method;
  std::string authority;
  std::string path;
  std::int64_t duration_ms = 0;
};

struct ProxyOptions {
  std::string listen_address = "127.0.0.1";  // must be in 127.0.0.0/8
  // false (tests, the runner): every Service port gets a free port. true (`gwsim serve`): try
  // the Service port itself, then 10000 + the listener port, then a free one.
  bool prefer_service_ports = false;
  int threads = 1;          // event loops (each one thread)
  std::uint64_t seed = 1;   // the proxy's lb::Random
  std::shared_ptr<const AddressMap> addresses;  // where fake pods listen (required)
  std::function<void(const AccessLogEntry&)> access_log;  // called on an event-loop thread
  std::function<void(const std::string&)> warn;           // configuration problems, once each
  // PEM CA certificates trusted by MUTUAL servers besides the Secret's CA: the datapath runner
  // presents a client certificate of its own, since a scenario's Secret holds no CA key.
  std::string extra_client_ca;
  // Every delay and timeout on the wire is multiplied by this (fault delays, route and
  // per-try timeouts); the decisions still use the configured values. 1: real time.
  double time_scale = 1.0;
};

// A gateway Service port and where it is served.
struct PortBinding {
  std::uint32_t service_port = 0;
  std::uint32_t listen_port = 0;  // the targetPort: the gateway pod's listener port
  std::string listener;           // the listener's name, "" when the table has none
  std::string address;            // "127.0.0.1:18080"
  std::uint32_t local_port = 0;
  bool listening = false;
  bool tls = false;               // the listener has a TLS (or passthrough) filter chain
};

namespace detail {
class ProxyCore;
}

class Proxy {
 public:
  Proxy(std::string gateway, ProxyOptions options);
  ~Proxy();
  Proxy(const Proxy&) = delete;
  Proxy& operator=(const Proxy&) = delete;

  // Publish a table (nullptr: the gateway has none; every port refuses). Returns once the
  // listeners match it. Call from any thread but the proxy's own.
  void set_table(std::shared_ptr<const route::RouteTable> table);
  std::shared_ptr<const route::RouteTable> table() const;

  // Every Service port with its local address, sorted by Service port.
  std::vector<PortBinding> bindings() const;
  // The local address of a Service port ("" when the table has no such port).
  std::string address_of(std::uint32_t service_port) const;

  const std::string& gateway() const;

  // Close listeners and connections and join the event loops. Idempotent.
  void stop();

 private:
  std::unique_ptr<detail::ProxyCore> core_;
};

}  // namespace gwsim::datapath
