// What a fake pod answers to one HTTP request: Istio's echo app (pkg/test/echo/server/endpoint/
// http.go, httpHandler.echo) with its query controls, then the scenario's behaviour
// (pod_behaviour.h). The one model of a pod's answer: decision mode's upstream
// (conformance/world.cc) and the pods on real sockets (pod_server.h) both ask it.
//
// The app's query controls, read as Go's Request.FormValue reads them:
//   ?delay=100ms                 answer that much later (Go's time.ParseDuration)
//   ?headers=Name:value,...      set these response headers
//   ?codes=503:1,200:3           answer a status drawn by weight (from the caller's generator)
// A malformed control does what the app does: a line "... error: ..." at the top of the body,
// the rest of the answer unchanged. Like the Gateway API conformance backend (gateway-api
// conformance/echo-basic/echo-basic.go, writeEchoResponseHeaders), the request header
//   X-Echo-Set-Header: Name:value,Name2:value2   sets these response headers too.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/lb/load_balancer.h"
#include "engine/model/k8s.h"
#include "fakes/pods/echo.h"
#include "fakes/pods/pod_behaviour.h"

namespace gwsim::fakes {

// The longest a fake pod waits before answering (a safety bound for real sockets; both modes
// apply it so they agree).
inline constexpr std::int64_t kMaxPodDelayMs = 10 * 60 * 1000;

struct PodAnswer {
  // false: no HTTP answer; the connection is refused (behaviour `refuse`) or closed without a
  // response (the app fails mid-request).
  bool connected = true;
  bool terminated = false;  // not connected because the app closed the connection after the request
  int status = 200;
  std::int64_t delay_ms = 0;  // how long the pod takes before it answers (or closes)
  std::vector<std::pair<std::string, std::string>> headers;  // as the app writes them, sorted
  std::string body;
};

// `pod.port` is the declared port the request arrived on; `request.path` the raw target, query
// included; `random` draws ?codes= (seeded by the caller, so runs repeat).
PodAnswer pod_answer(const EchoPod& pod, const PodBehaviour& behaviour, const EchoRequest& request,
                     lb::Random& random);

// The echo identity of a pod: its name, namespace and `version` label, and the port asked.
EchoPod echo_pod(const std::string& namespace_, const std::string& name, const model::Labels& labels,
                 std::uint32_t port);

// Whether the echo app answers with its WebSocket echo: the header its client sets for that
// (pkg/test/echo/common/websocket.go, IsWebSocketRequest: testwebsocket: enabled). The
// handshake is then checked as gorilla/websocket checks it, and answered 101.
bool is_websocket_request(const EchoRequest& request);

// Go's time.ParseDuration, in whole milliseconds (rounded down); false when malformed.
bool parse_go_duration(std::string_view text, std::int64_t& ms);

}  // namespace gwsim::fakes
