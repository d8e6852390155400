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
#include "engine/datapath/proxy_options.h"
#include "engine/match/trace.h"
#include "engine/model/k8s.h"
#include "engine/model/result.h"
#include "engine/route/route_table.h"

namespace gwsim::datapath {

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
