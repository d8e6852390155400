#include "engine/match/virtual_host.h"

namespace gwsim::match {

const std::string& forwarded_proto(const route::RouteTable& table, const http::Request& request) {
  if (table.proxy.num_trusted_proxies > 0) {
    if (const std::string* xfp = request.header("x-forwarded-proto")) return *xfp;
  }
  return request.scheme;
}

bool match_virtual_host(const route::RouteTable& table, const http::Request& request, RoutingResult& out) {
  DecisionTrace& t = out.trace;
  const route::FilterChain& chain = *out.filter_chain;
  t.route_config = chain.route_config;
  auto rc_it = table.route_configs.find(chain.route_config);
  if (rc_it == table.route_configs.end()) {
    t.outcome = Outcome::kNoRoute;
    t.status = 404;
    t.response_flags = "NR";
    return false;
  }
  const route::RouteConfiguration& rc = rc_it->second;
  int vh_index = rc.lookup.find(request.host);
  if (vh_index == route::VirtualHostTable::kNone) {
    t.outcome = Outcome::kNoVirtualHost;
    t.status = 404;
    t.response_flags = "NR";
    t.detail = "no virtual host in " + rc.name + " matches Host \"" + request.host + "\"";
    return false;
  }
  const route::VirtualHost& vh = rc.virtual_hosts[static_cast<std::size_t>(vh_index)];
  out.virtual_host = &vh;
  t.virtual_host = vh.name;
  // require_tls: ALL checks X-Forwarded-Proto as Envoy computed it.
  if (vh.require_tls && forwarded_proto(table, request) != "https") {
    t.outcome = Outcome::kTlsRedirect;
    t.status = 301;
    t.detail = "httpsRedirect: plaintext requests are redirected to https";
    return false;
  }
  return true;
}

}  // namespace gwsim::match
