// Route coverage, as Envoy's router check tool measures it: which routes of the compiled
// gateway configuration the scenarios' requests took. A coverage target is one Envoy route
// built from a VirtualService (one per `http` route and `match` entry), or one TCP proxy
// filter chain built from a `tcp` / `tls` route; a route with weighted destinations counts
// once per destination, so a canary split is covered only when both sides were reached.
//
// Targets are identified by content, not by table: the VirtualService, the route's indices,
// the destination and the position of the route in its manifest. So a route defined in
// manifests shared by several scenarios is one target, hit by any of them, while routes
// written inline in different scenario files stay apart.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/match/trace.h"
#include "engine/route/route_table.h"

namespace gwsim::conformance {

struct RouteTarget {
  std::string id;               // stable identity (see above); the sort key
  std::string kind;             // "http", "tcp" or "tls"
  std::string virtual_service;  // "ns/name"
  std::string gateway;          // the Gateway ("ns/name") that bound it, first seen
  int index = -1;               // http routes: position in the VirtualService's `http` list
  int match_index = -1;         // http routes: position in its `match` list; -1: no match block
  std::string name;             // http routes: the route's name ("" unnamed)
  std::string destination;      // weighted destinations: the cluster; "" for a single one
  std::uint32_t weight = 0;     // weighted destinations: its weight
  // Not part of the identity: where a target without weighted destinations sends its requests
  // (its one cluster), or what it answers itself ("redirect 301", "direct response 404").
  std::string action;
  std::string match;            // tcp/tls: "port 443 sni a.example.com,b.example.com"
  std::string source;           // file:line:col of the http route in its manifest, when known

  // "default/vs http[0] \"name\" match[1] -> outbound|80|v2|... (weight 10)".
  std::string label() const;
};

// Every coverage target of a compiled table, sorted by id, unique.
std::vector<RouteTarget> route_targets(const route::RouteTable& table);

// The target one response hit, by the decision trace; "" when no VirtualService route
// decided (no listener, no virtual host, no route, or a weighted route that never picked a
// destination, e.g. a fault abort).
std::string target_hit(const route::RouteTable& table, const match::DecisionTrace& trace);

// Add `more` to `into`, keeping it sorted by id and unique (the first seen wins).
void merge_targets(std::vector<RouteTarget>& into, std::vector<RouteTarget> more);

namespace detail {
// The filter chain of a TCP proxy the trace went through, or nullptr.
const route::FilterChain* tcp_chain_of(const route::RouteTable& table, const match::DecisionTrace& trace);
// Lexically normal form of a source position's file, so "a/../b.yaml" and "b.yaml" agree.
std::string normal_source(const model::SourcePos& source);
}  // namespace detail

}  // namespace gwsim::conformance
