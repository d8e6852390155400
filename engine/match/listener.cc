#include "engine/match/listener.h"

namespace gwsim::match {

bool match_listener(const route::RouteTable& table, const http::Request& request, RoutingResult& out) {
  DecisionTrace& t = out.trace;
  t.gateway_service = table.proxy.service;
  t.service_port = request.port;
  auto port_it = table.proxy.service_ports.find(request.port);
  out.listener = port_it == table.proxy.service_ports.end() ? nullptr : table.find_listener(port_it->second);
  if (!out.listener) {
    t.outcome = Outcome::kNoListener;
    t.detail = port_it == table.proxy.service_ports.end()
                   ? "the gateway Service has no port " + std::to_string(request.port)
                   : "no listener on the gateway pod's port " + std::to_string(port_it->second);
    return false;
  }
  t.listener = out.listener->name;
  return true;
}

}  // namespace gwsim::match
