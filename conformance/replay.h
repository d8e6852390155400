// Access-log replay: "would this configuration send yesterday's traffic where it went?"
// Each request of a gateway's access log (engine/access_log/istio_log_format.h) is sent through
// a World in decision mode and what the log says happened is compared with what the simulated
// gateway decides:
//   cluster   the upstream cluster; for a weighted route any destination of that route with
//             weight > 0 agrees (one logged request cannot say which share it fell in);
//   status    only where the gateway, not the application, chose it: a logged status whose
//             details are not via_upstream, or a simulated outcome other than Routed (the fake
//             pods answer 200; the real application's codes are its own);
//   flags     the response flags the configuration decides (NR, NC, UH, FI, DI); flags of the
//             upstream's behaviour at that moment (UF, UC, URX, UT, ...) are not replayable;
//   route     the route name (%ROUTE_NAME%: the http route's name, "." + the match name).
// Streaming: one line in memory at a time; counts per route and the first examples of each
// difference are all that is kept.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/world.h"
#include "engine/access_log/istio_log_format.h"

namespace gwsim::conformance {

// What is compared, in the order reports list it.
enum class ReplayField { kCluster, kStatus, kFlags, kRoute };
inline constexpr ReplayField kReplayFields[] = {ReplayField::kCluster, ReplayField::kStatus, ReplayField::kFlags,
                                                ReplayField::kRoute};
const char* replay_field_name(ReplayField field);  // "cluster", "status", "flags", "route"

struct ReplayOptions {
  std::string gateway = kDefaultGateway;  // the gateway Service "ns/name" that wrote the log
  access_log::LogFormat format = access_log::LogFormat::kIstioText;
  std::size_t examples = 3;  // kept per difference field and for unreadable lines
};

// One logged request whose simulated outcome differs.
struct ReplayExample {
  std::string where;    // "access.log:17"
  std::string request;  // "GET www.service1.io/ping"
  std::string logged;
  std::string simulated;
};

struct ReplayRouteCount {
  std::uint64_t requests = 0;
  std::uint64_t differing = 0;
};

struct ReplaySummary {
  std::uint64_t lines = 0;         // non-empty lines read
  std::uint64_t replayed = 0;      // HTTP requests sent through the configuration
  std::uint64_t tcp_skipped = 0;   // TCP connections' lines (no request to replay)
  std::uint64_t unreadable = 0;    // lines not in the format
  std::uint64_t differing = 0;     // replayed requests with at least one difference
  std::vector<Error> unreadable_examples;
  std::map<ReplayField, std::uint64_t> differences;  // per field
  std::map<ReplayField, std::vector<ReplayExample>> examples;
  // Per simulated route ("default/service1 http[0] ping-v1", "NoRoute 404", ...).
  std::map<std::string, ReplayRouteCount> routes;
  // Objects gwsim does not simulate that may change every answer of the gateway.
  std::vector<std::string> unsimulated;

  nlohmann::json to_json() const;
  std::string to_text(const std::string& source) const;
};

// The scenario request a logged one becomes: method, authority, path, x-request-id, user-agent;
// the client address is the last X-Forwarded-For entry (Envoy appended the peer address before
// the log was written) or else the downstream remote address, and the rest of the list is sent
// as X-Forwarded-For. The Service port is the one whose targetPort the gateway pod listened on
// (DOWNSTREAM_LOCAL_ADDRESS); TLS when a server name was requested.
RequestSpec replay_request(const access_log::LogRecord& record, const std::string& gateway,
                           const std::map<std::uint32_t, std::uint32_t>& listen_to_service_port);

// Replays every line of `log` (named `source` in messages) through `world`, in decision mode.
// An error only when the gateway cannot be compiled.
Result<ReplaySummary> replay_access_log(World& world, std::istream& log, const std::string& source,
                                        const ReplayOptions& options);

}  // namespace gwsim::conformance
