#include "engine/router/fault.h"

#include "engine/router/local_reply.h"

namespace gwsim::router {

bool percent_hit(double percent, lb::Random& rng) {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  return rng.unit() * 100.0 < percent;
}

bool decide_fault_abort(match::RoutingResult& routing, lb::Random& rng) {
  const route::Route* route = routing.route;
  if (!route || route->action_kind != route::Route::ActionKind::kRoute) return false;
  if (!route->fault || !route->fault->abort_status || !percent_hit(route->fault->abort_percent, rng)) return false;
  match::DecisionTrace& t = routing.trace;
  t.outcome = match::Outcome::kFaultAbort;
  t.status = static_cast<int>(*route->fault->abort_status);
  t.response_flags = "FI";
  return true;
}

FilterStatus fault_decode_headers(FilterState& s) {
  if (s.fault_abort) {
    send_local_reply(s.routing, s.request, s.routing.trace, s.response);
    return FilterStatus::kLocalReply;
  }
  const route::Route* route = s.routing.route;
  if (s.routing.cluster && route->fault && route->fault->delay && percent_hit(route->fault->delay_percent, s.rng)) {
    s.fault_delay = *route->fault->delay;
    s.routing.trace.response_flags = "DI";
  }
  return FilterStatus::kContinue;
}

}  // namespace gwsim::router
