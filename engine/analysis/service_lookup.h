// Helpers the analyzers share, as Istio's pkg/config/analysis/analyzers/util has them:
// service_lookup.go (the visible hosts of Services and ServiceEntries by export scope,
// GetDestinationHost), hosts.go (ConvertHostToFQDN, GetResourceNameFromHost) and the label
// selector's text (Kubernetes labels.SelectorFromSet(...).String()).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/analysis/context.h"
#include "engine/model/k8s.h"

namespace gwsim::analysis {

// What a host resolves to: a ServiceEntry, or a Service seen as one (no workload selector).
struct HostEntry {
  std::vector<std::uint32_t> ports;
  const model::Labels* workload_selector = nullptr;  // a ServiceEntry's; nullptr for Services
};

// util.InitServiceEntryHostMap: "<scope>/<fqdn>" -> entry.
using ServiceEntryHostMap = std::map<std::string, HostEntry>;
ServiceEntryHostMap service_entry_host_map(const Context& context);

// util.GetDestinationHost: the entry `host` names from `source_namespace` under `export_to`.
const HostEntry* destination_host(const ServiceEntryHostMap& hosts, const std::string& source_namespace,
                                  const std::vector<std::string>& export_to, const std::string& host);

// util.ConvertHostToFQDN: a short name (no dot, no wildcard) becomes name.ns.svc.cluster.local.
std::string host_to_fqdn(const std::string& namespace_, const std::string& host);

// util.GetResourceNameFromHost: "ns/name" of a name.ns.svc.cluster.local host, else default_ns/host.
std::string resource_name_from_host(const std::string& default_namespace, const std::string& host);

// labels.SelectorFromSet(selector).String(): "a=b,c=d" in key order.
std::string selector_string(const model::Labels& selector);

// resource.NewShortOrFullName: "ns/name" as written, or the default namespace and the name.
std::pair<std::string, std::string> short_or_full_name(const std::string& default_namespace, const std::string& name);

}  // namespace gwsim::analysis
