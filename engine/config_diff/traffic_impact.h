// What a configuration change does to traffic (`gwsim diff`): every probe (probes.h) is sent
// through the gateway's table before and after, as a request in decision mode is
// (router::exchange, with an upstream that answers 200), and the two answers are compared:
// listener, route, the clusters with the share of traffic each gets, and the status. For a
// weighted route the share that moves is the part of the request's traffic that goes to another
// cluster than before (half the sum of the share differences per cluster); a request that stops
// reaching clusters, or starts to, moves all of it.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/config_diff/probes.h"
#include "engine/route/route_table.h"

namespace gwsim::config_diff {

// The gateways of one version of the manifests: gateway Service "ns/name" -> its table.
using Tables = std::map<std::string, std::shared_ptr<const route::RouteTable>>;

// What one table does with a probe.
struct ProbeAnswer {
  std::string listener;      // "" when nothing listens on the port
  std::string virtual_host;  // "http.8080/www.example.com:80"
  // "#0 name (VirtualService ns/name http[0] match[0])"; "" when no route matched.
  std::string route;
  std::string outcome;  // match::outcome_name: "Routed", "NoRoute", ...
  int status = 0;       // 0: the connection was refused or closed
  // Each cluster the route sends to, with its share of the traffic (weights / total); a TCP
  // chain's clusters too. Empty when the answer comes from the gateway itself.
  std::vector<std::pair<std::string, double>> clusters;
};

struct TrafficChange {
  Probe probe;
  ProbeAnswer before, after;
  std::vector<std::string> changed;  // of "listener", "route", "cluster", "status", in that order
  double moved_share = 0;            // 0..1
};

struct TrafficImpact {
  std::size_t probes = 0;              // how many requests were sent through both versions
  std::vector<TrafficChange> changes;  // in probe order
};

// A gateway present in one version only answers every probe as a refused connection in the other.
ProbeAnswer answer(const route::RouteTable* table, const http::Request& request);

TrafficImpact traffic_impact(const std::vector<Probe>& probes, const Tables& before, const Tables& after);

// The probes of both versions' tables (probes_for), each request once, before's first.
std::vector<Probe> probes_for(const Tables& before, const Tables& after);

}  // namespace gwsim::config_diff
