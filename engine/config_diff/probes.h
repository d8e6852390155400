// The requests `gwsim diff` sends through both versions of a gateway's configuration: one per
// route match condition of every virtual host domain, plus boundary probes around each path
// condition (a prefix's parent path and a longer path below it, an exact path with a trailing
// slash), so that a change of a match's edge shows as traffic that moves. Istio has no such
// step; the probes read the compiled table, so Gateway API routes and delegates are probed as
// Envoy would see them.
#pragma once

#include <string>
#include <vector>

#include "engine/http/request.h"
#include "engine/route/route_table.h"

namespace gwsim::config_diff {

struct Probe {
  std::string gateway;  // gateway Service "ns/name"
  http::Request request;
  // Why it is sent: "match of http.8080/www.example.com:80 #0" or "parent of prefix /api", or
  // where a user's request is written.
  std::string origin;
};

// A request for every route match of every domain of `table` (skipping what cannot be built
// from the match alone: regex paths, JWT claims), then the boundary probes.
std::vector<Probe> probes_for(const std::string& gateway, const route::RouteTable& table);

// A concrete host for a virtual host domain: "*.example.com" -> "probe.example.com",
// "*" -> "probe.invalid", "www.*" -> "www.probe".
std::string probe_host(const std::string& domain);

// "GET http://host:80/path [headers] to ns/name": the request as the diff prints it; also the
// key that makes probes unique.
std::string describe_probe(const Probe& probe);

// Appends `more` to `probes`, leaving out requests already there (by describe_probe).
void merge_probes(std::vector<Probe>& probes, std::vector<Probe> more);

}  // namespace gwsim::config_diff
