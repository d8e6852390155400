// What a Proxy is configured with and what it reports (its options, its port bindings, its
// access log entries): the nouns of proxy.h that the proxy's internals (detail_proxy_core.h)
// also use, in a header of their own below both. Follows Envoy's access log entry
// (source/common/stream_info) and listener address fields.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "engine/datapath/address_map.h"
#include "engine/match/trace.h"
#include "engine/model/k8s.h"

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

}  // namespace gwsim::datapath
