// Follows Istio's gateway.ConflictingGatewayAnalyzer
// (pkg/config/analysis/analyzers/gateway/conflictinggateway.go): two Gateways whose selectors
// reach the same workload (the same selector text, or one contained in the other with a pod that
// both select) must not have servers on the same port with a host bound the same way (IST0145).
// Istio's check also records a server's hosts in the other gateway's list when they do not
// conflict, which makes its answer depend on Go's map order; here each pair is judged alone.
#include <algorithm>
#include <map>

#include "engine/analysis/analyzers.h"
#include "engine/analysis/service_lookup.h"
#include "engine/model/labels.h"

namespace gwsim::analysis {

namespace {

using HostsBind = std::map<std::string, std::string>;  // host -> bind
// "selector~port" -> gateway "ns/name" -> its hosts on that port
using GatewaysMap = std::map<std::string, std::map<std::string, HostsBind>>;

model::Labels parse_selector(const std::string& text) {
  model::Labels out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string pair = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto eq = pair.find('=');
    if (eq != std::string::npos && pair.find('=', eq + 1) == std::string::npos)
      out[pair.substr(0, eq)] = pair.substr(eq + 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// model.CheckDuplicates: a host of the server already bound the same way.
bool conflicts(const model::Server& server, const HostsBind& known) {
  for (const auto& h : server.hosts)
    if (auto it = known.find(h); it != known.end() && it->second == server.bind) return true;
  return false;
}

}  // namespace

void analyze_conflicting_gateways(const Context& context, Report& report) {
  const auto& snapshot = context.snapshot();
  GatewaysMap gateways;
  for (const auto& gw : snapshot.gateways) {
    std::string selector = selector_string(gw.selector);
    for (const auto& server : gw.servers) {
      HostsBind& hb = gateways[selector + "~" + std::to_string(server.port.number)][gw.meta.namespace_ + "/" + gw.meta.name];
      hb.clear();  // Istio keeps the last server of a gateway on a port
      for (const auto& h : server.hosts) hb[h] = server.bind;
    }
  }

  for (const auto& gw : snapshot.gateways) {
    const std::string& ns = gw.meta.namespace_;
    if (!context.find("Gateway", ns, gw.meta.name)) continue;
    const std::string name = ns + "/" + gw.meta.name;
    const std::string selector = selector_string(gw.selector);
    std::vector<const GatewaysMap::value_type*> same_workload;
    for (const auto& entry : gateways) {
      std::string other_selector = entry.first.substr(0, entry.first.rfind('~'));
      bool matched = other_selector == selector;
      if (!matched && (other_selector.find(selector) != std::string::npos ||
                       selector.find(other_selector) != std::string::npos)) {
        model::Labels other = parse_selector(other_selector);
        for (const auto& pod : snapshot.pods)
          if (model::selects(gw.selector, pod.meta.labels) && model::selects(other, pod.meta.labels)) {
            matched = true;
            break;
          }
      }
      if (matched) same_workload.push_back(&entry);
    }
    if (!selector.empty() && same_workload.empty()) {
      report.add(message_type("ReferencedResourceNotFound"), "Gateway", ns, gw.meta.name, "/spec/selector",
                 {"selector", selector});
      continue;
    }
    for (const auto& server : gw.servers) {
      std::string port = std::to_string(server.port.number);
      std::vector<std::string> with;
      for (const auto* entry : same_workload) {
        if (entry->first.substr(entry->first.rfind('~') + 1) != port) continue;
        for (const auto& [other, hosts] : entry->second)
          if (other != name && conflicts(server, hosts)) with.push_back(other);
      }
      if (with.empty()) continue;
      std::sort(with.begin(), with.end());
      std::string joined_gateways, joined_hosts;
      for (const auto& w : with) joined_gateways += (joined_gateways.empty() ? "" : ",") + w;
      for (const auto& h : server.hosts) joined_hosts += (joined_hosts.empty() ? "" : ",") + h;
      report.add(message_type("ConflictingGateways"), "Gateway", ns, gw.meta.name, "", {joined_gateways, selector, port, joined_hosts});
    }
  }
}

}  // namespace gwsim::analysis
