// Fake pods on real sockets: one event loop serves every pod on its own loopback IP and its
// ports, answering like Istio's echo app (fakes/pods/echo.h) over HTTP/1.1.
//
//   - What a pod answers is fakes/pods/pod_answer.h, shared with decision mode: the echo app's
//     ?delay=, ?codes=, ?headers= controls, then the pod's behaviour (a fixed status, a delay).
//   - Refusing (a behaviour set by scenario `pods` steps): the port stays bound but does not
//     listen, so connects are refused, as from a crashed container; open connections close too.
//   - Ports that a Service names https/tls (or marks appProtocol https/tls) speak TLS with a
//     certificate made at start, as the echo app's TLS ports do, so PASSTHROUGH reaches a real
//     TLS server; the body then also has Sni=.
//   - A declared port that cannot be bound (taken, e.g. by another gwsim on this machine,
//     whose cluster gives its pods the same IPs) is served on a free port of the same IP; the
//     AddressMap says where, and the pod still reports its declared port (ServicePort=). A
//     taken port is never shared, a refusing pod's reserved port included (datapath/listen.h).
//
// What each pod received is kept (bounded) by the connection's peer address, so the datapath
// runner can check what the pod saw.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/datapath/address_map.h"
#include "engine/model/k8s.h"
#include "engine/model/snapshot.h"
#include "fakes/pods/pod_behaviour.h"

namespace gwsim::fakes {


struct PodPort {
  std::uint32_t port = 0;  // the declared port (containerPort, or the port endpoints send to)
  bool tls = false;
  friend bool operator==(const PodPort&, const PodPort&) = default;
};

struct PodSpec {
  std::string namespace_;
  std::string name;
  std::string ip;
  model::Labels labels;
  std::vector<PodPort> ports;
  PodBehaviour behaviour;
};

// One request as a fake pod received it.
struct ReceivedRequest {
  std::string pod;   // "ns/name"
  std::uint32_t port = 0;  // declared port
  std::string peer;  // "ip:port" of the connection (the gateway's upstream side)
  std::string method;
  std::string authority;
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names, Host excluded
  std::string protocol;  // as received: HTTP/1.0 or HTTP/1.1 (the pods speak HTTP/1.x only)
  bool tls = false;
  std::string sni;
  int status = 0;  // what the pod answered
};

// Where one pod port is served.
struct ServedPort {
  std::string pod;  // "ns/name"
  std::string ip;
  PodPort declared;
  std::uint32_t actual_port = 0;  // 0: could not be bound at all
  bool listening = false;         // false while refusing
};

struct PodServerOptions {
  // Published after every update (declared -> actual). Made when null.
  std::shared_ptr<datapath::AddressMap> addresses;
  std::size_t log_capacity = 4096;  // connections whose newest request is kept (received_from)
  std::uint64_t seed = 1;           // ?codes= draws
  double time_scale = 1.0;          // multiplies every delay (see datapath::ProxyOptions)
};

namespace detail {
class PodServerCore;
}

class PodServer {
 public:
  explicit PodServer(PodServerOptions options = {});
  ~PodServer();
  PodServer(const PodServer&) = delete;
  PodServer& operator=(const PodServer&) = delete;

  // Serve exactly these pods: start new ones, stop removed ones, apply behaviours. Returns
  // once applied and the address map is published. Not from the server's own thread.
  void update(std::vector<PodSpec> pods);

  std::shared_ptr<datapath::AddressMap> addresses() const;
  std::vector<ServedPort> served() const;

  // The newest request received on the connection from `peer` ("ip:port").
  std::optional<ReceivedRequest> received_from(const std::string& peer) const;
  // The kept requests (the newest per connection), oldest connection first.
  std::vector<ReceivedRequest> received() const;

  // Close everything and join the event loop. Idempotent.
  void stop();

 private:
  std::unique_ptr<detail::PodServerCore> core_;
};

// The pods of a cluster as the pod server runs them: every pod with an IP except `skip`
// ("ns/name", e.g. the gateway's own pods), with its container ports and every port a
// Service's endpoints send to it (TLS when that Service port is https/tls); behaviours are
// the caller's (runtime::pod_specs adds the control plane's).
std::vector<PodSpec> pod_specs(const model::ConfigSnapshot& snapshot, const std::set<std::string>& skip = {});

// Whether a Service port carries TLS by Istio's port naming (https, tls, https-*, tls-*) or
// appProtocol.
bool is_tls_service_port(const model::ServicePort& port);

}  // namespace gwsim::fakes
