// What changed in a gateway's compiled configuration between two versions of the manifests
// (`gwsim diff`), object by object, in the names Istio gives them: listeners, route
// configurations, virtual hosts, routes, clusters and their endpoints, each with the object
// responsible and where it is written. Istio has no such step (istioctl compares nothing); it
// builds on route::diff_tables (engine/route/table_diff.h), which `gwsim serve` prints after every
// change, and goes one level further down: the routes of a changed virtual host and what
// differs in each.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/model/object.h"
#include "engine/route/route_table.h"

namespace gwsim::config_diff {

// Where each manifest object is written: "Kind ns/name" (or "Kind name" when cluster-scoped) ->
// the start of its document.
using SourceIndex = std::map<std::string, model::SourcePos>;
SourceIndex index_sources(const std::vector<model::Object>& objects);

enum class ConfigObject { kListener, kRouteConfiguration, kVirtualHost, kRoute, kCluster, kEndpoints, kPolicy };
enum class Change { kAdded, kRemoved, kChanged };

const char* config_object_name(ConfigObject kind);  // "listener", "route configuration", ...
char change_mark(Change change);                    // '+', '-', '~'

struct ObjectChange {
  std::string gateway;  // the gateway Service "ns/name" whose configuration changed
  ConfigObject kind = ConfigObject::kListener;
  Change change = Change::kChanged;
  // Istio's name: "0.0.0.0_8080", "http.8080", "http.8080/www.example.com:80" (virtual host in its
  // route configuration), "http.8080/www.example.com:80 #0 name" (a route and its position),
  // "outbound|80|v1|svc.ns.svc.cluster.local".
  std::string name;
  std::string detail;       // for kChanged: what differs ("destinations a 90%, b 10% -> a 50%, b 50%")
  std::string origin;       // the object responsible: "VirtualService default/shop"; "" when unknown
  model::SourcePos source;  // where it is written (NEW's manifests, or OLD's for a removal)
};

// Changes of one gateway, or of several: listeners, route configurations, virtual hosts, routes,
// clusters, endpoints, policies, each group in name order.
struct ConfigChange {
  std::vector<ObjectChange> changes;
  bool empty() const { return changes.empty(); }
};

// `before` or `after` may be null (the gateway exists in one version only). A route of a changed
// virtual host is matched to its counterpart by VirtualService, route name and match, so a route
// that only moved is "changed" (its position), not removed and added.
ConfigChange diff_config(const std::string& gateway, const route::RouteTable* before, const route::RouteTable* after,
                         const SourceIndex& before_sources, const SourceIndex& after_sources);

// Short text of a route's match and action, as the change details print them:
// "path prefix /api, header version exact v1" and "-> outbound|80||a... 90%, outbound|80||b... 10%".
std::string describe_match(const route::RouteMatch& match);
std::string describe_action(const route::Route& route);

}  // namespace gwsim::config_diff
