// The answers the gateway gives itself, one table for every outcome: status, body, headers,
// and whether the route's response header operations apply. Paraphrases Envoy's
// source/common/http/utility.cc sendLocalReply and the bodies of its local replies (router's
// "no healthy upstream", "upstream request timeout", fault filter's "fault filter abort").
// Both modes answer from here: decision mode returns it, the proxy writes it.
#pragma once

#include <string_view>

#include "engine/http/request.h"
#include "engine/http/response.h"
#include "engine/match/decide.h"

namespace gwsim::router {

struct LocalReplyRow {
  match::Outcome outcome;
  enum class Status { kNone, kFixed, kRoute };  // kNone: no HTTP answer (the connection closes)
  Status status_from;
  int status;              // kFixed
  std::string_view body;   // fixed text; the route's direct body / the unsupported detail see below
  bool route_headers;      // the route's response header operations apply
};

// The row of an outcome (kRouted has none: the upstream answers).
const LocalReplyRow& local_reply_row(match::Outcome outcome);

// A local reply with Envoy's headers: content-length and content-type for a body, server.
http::Response local_reply(int status, std::string body);

// The answer for routing.trace.outcome (not kRouted), from the table: fills `out` and the
// trace's status. Redirects get their Location, kUnsupported its detail and the
// x-gwsim-unsupported header.
void send_local_reply(const match::RoutingResult& routing, const http::Request& request, match::DecisionTrace& trace,
                      http::Response& out);

}  // namespace gwsim::router
