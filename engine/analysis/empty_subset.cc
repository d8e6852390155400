// GWS0003 and GWS0004 (gwsim's own checks, from the compiled tables): a route's destination
// whose cluster is a subset without a single pod (every request to it is 503 UH, no healthy
// upstream), or a cluster the gateway does not have at all (503 NC, cluster not found: no such
// Service port, or a subset no DestinationRule defines).
#include "engine/analysis/analyzers.h"
#include "engine/analysis/table_routes.h"

namespace gwsim::analysis {

void analyze_empty_subsets(const Context& context, Report& report) {
  const MessageType& empty = message_type("SubsetSelectsNoPods");
  const MessageType& missing = message_type("RouteDestinationNotFound");
  for (const auto& table : context.tables())
    for (const auto& [config_name, config] : table->route_configs)
      for (const auto& vhost : config.virtual_hosts) {
        size_t index = 0;
        for (const auto& r : vhost.routes) {
          if (r.action_kind == route::Route::ActionKind::kRoute)
            for (const auto& wc : r.route.clusters) {
              auto it = table->clusters.find(wc.cluster);
              if (it == table->clusters.end())
                report_on_route(context, report, missing, r, {describe_route(r, index), vhost.name, wc.cluster});
              else if (!it->second.subset.empty() && it->second.endpoints.empty())
                report_on_route(context, report, empty, r, {it->second.subset, it->second.host, wc.cluster});
            }
          ++index;
        }
      }
}

}  // namespace gwsim::analysis
