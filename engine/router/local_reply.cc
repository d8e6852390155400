#include "engine/router/local_reply.h"

#include <array>

#include "engine/router/edge_headers.h"
#include "engine/router/rewrite.h"

namespace gwsim::router {

namespace {

// Envoy's CodeUtility::toString for the statuses its HTTP/1 codec refuses with.
std::string_view codec_status_text(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    default: return "";
  }
}

using match::Outcome;
using S = LocalReplyRow::Status;

// Indexed by Outcome, in its declaration order.
constexpr std::array<LocalReplyRow, 19> kRows = {{
    {Outcome::kRouted, S::kNone, 0, "", false},
    {Outcome::kNoListener, S::kNone, 0, "", false},     // refused
    {Outcome::kNoFilterChain, S::kNone, 0, "", false},  // closed
    {Outcome::kTlsError, S::kNone, 0, "", false},       // closed
    {Outcome::kNoVirtualHost, S::kFixed, 404, "", true},
    {Outcome::kNoRoute, S::kFixed, 404, "", true},
    {Outcome::kTlsRedirect, S::kFixed, 301, "", true},
    {Outcome::kRedirect, S::kRoute, 0, "", true},
    {Outcome::kDirectResponse, S::kRoute, 0, "", true},  // body: the route's
    {Outcome::kFaultAbort, S::kRoute, 0, "fault filter abort", true},
    {Outcome::kClusterNotFound, S::kRoute, 0, "", true},  // the route's (503, Gateway API 500)
    {Outcome::kNoHealthyUpstream, S::kFixed, 503, "no healthy upstream", true},
    {Outcome::kUpstreamFailure, S::kFixed, 503,
     "upstream connect error or disconnect/reset before headers. reset reason: ", true},  // + the reason
    {Outcome::kUpstreamTimeout, S::kFixed, 504, "upstream request timeout", true},
    {Outcome::kCorsPreflight, S::kFixed, 200, "", false},
    // A live gateway must answer its client: gwsim says plainly what it does not simulate.
    {Outcome::kUnsupported, S::kFixed, 501, "gwsim does not simulate this configuration yet: ", false},
    // Filters' own local replies (sendLocalReply without the router's header callback): the
    // route's response header operations do not apply. jwt_authn's body is its status text
    // ("Jwt is expired", ...), taken from the trace's detail.
    {Outcome::kUnauthenticated, S::kFixed, 401, "", false},
    {Outcome::kAccessDenied, S::kFixed, 403, "RBAC: access denied", false},
    // The codec's refusals carry their status text as body (ServerConnectionImpl::sendProtocolError);
    // the connection manager's (426, missing Host, path normalisation) have none.
    {Outcome::kRequestRejected, S::kRoute, 0, "", false},
}};

}  // namespace

const LocalReplyRow& local_reply_row(Outcome outcome) { return kRows[static_cast<std::size_t>(outcome)]; }

http::Response local_reply(int status, std::string body) {
  http::Response r;
  r.status = status;
  if (!body.empty()) {
    r.headers.emplace_back("content-length", std::to_string(body.size()));
    r.headers.emplace_back("content-type", "text/plain");
  }
  r.headers.emplace_back("server", "istio-envoy");
  r.body = std::move(body);
  return r;
}

void send_local_reply(const match::RoutingResult& routing, const http::Request& request, match::DecisionTrace& t,
                      http::Response& out) {
  const LocalReplyRow& row = local_reply_row(t.outcome);
  const route::Route* route = routing.route;
  if (row.status_from == S::kNone) {
    t.status = 0;
    out = http::Response{};
    return;
  }
  const int status = row.status_from == S::kFixed ? row.status : t.status;
  std::string body(row.body);
  if (t.outcome == Outcome::kDirectResponse) body = route->direct_response.body;
  if (t.outcome == Outcome::kUnsupported) body += t.detail + "\n";
  if (t.outcome == Outcome::kUnauthenticated) body = t.detail;
  if (t.outcome == Outcome::kUpstreamFailure) body += t.detail.empty() ? "connection failure" : t.detail;
  if (t.outcome == Outcome::kRequestRejected && t.detail.starts_with("http1.")) body = codec_status_text(status);
  out = local_reply(status, std::move(body));
  t.status = status;
  if (row.route_headers && route) apply_header_ops(out.headers, route->response_headers);
  switch (t.outcome) {
    case Outcome::kTlsRedirect:
      // Envoy's SslRedirector: the Host header as sent, port included.
      out.headers.emplace_back("location", "https://" + request.host + request.path);
      break;
    case Outcome::kRedirect:
      out.headers.emplace_back("location", redirect_location(route->redirect, request, *route));
      break;
    case Outcome::kUnsupported: out.headers.emplace_back("x-gwsim-unsupported", "true"); break;
    default: break;
  }
}

}  // namespace gwsim::router
