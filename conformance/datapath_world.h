// Datapath mode of the scenario runner: a World's requests go over real sockets, through the
// gateway proxy (engine/datapath) to the fake pods (fakes/pods/pod_server.h), and the
// Observation is built from what came back and what the pod saw:
//
//   response          what the client read (status, headers, body); status 0 when refused or
//                     closed without an answer
//   trace, podLabels  the proxy's access log entry for the client's connection (the proxy runs
//                     match::exchange() itself, so the trace is the decision path's)
//   upstreamRequest   the request as the fake pod received it (by the proxy's upstream address)
//
// A step that cannot run on real sockets says why (Observation::unsupported): a non-loopback
// sourceIP, for instance.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "conformance/expectations.h"
#include "runtime/live_gateway.h"
#include "conformance/scenario.h"
#include "conformance/world.h"
#include "engine/datapath/proxy.h"
#include "engine/model/result.h"
#include "runtime/control_plane.h"

namespace gwsim::conformance {

struct DatapathOptions {
  std::uint64_t seed = 1;
  double time_scale = 1.0;  // see datapath::ProxyOptions
};

// World's RequestSender in datapath mode (make_datapath_sender makes one).
class DatapathSender final : public RequestSender {
 public:
  DatapathSender(runtime::ControlPlane& cluster, DatapathOptions options);
  ~DatapathSender();
  DatapathSender(const DatapathSender&) = delete;
  DatapathSender& operator=(const DatapathSender&) = delete;

  Mode mode() const override { return Mode::kDatapath; }
  Result<Observation> send(const RequestSpec& request) override;
  // After a change that republishes no table (pod behaviours): bring pods and proxies along.
  void sync() override;

  runtime::LiveGateway& live() { return *live_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<runtime::LiveGateway> live_;
};

}  // namespace gwsim::conformance
