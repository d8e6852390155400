#include "engine/analysis/service_lookup.h"

namespace gwsim::analysis {

std::string host_to_fqdn(const std::string& namespace_, const std::string& host) {
  if (host.starts_with("*") || host.find('.') != std::string::npos) return host;
  return host + "." + namespace_ + ".svc.cluster.local";
}

std::string resource_name_from_host(const std::string& default_namespace, const std::string& host) {
  // ^(.+)\.(.+)\.svc\.cluster\.local$, the first group greedy: the namespace is the last label.
  static constexpr std::string_view kSuffix = ".svc.cluster.local";
  if (host.size() > kSuffix.size() && host.ends_with(kSuffix)) {
    std::string rest = host.substr(0, host.size() - kSuffix.size());
    auto dot = rest.rfind('.');
    if (dot != std::string::npos && dot > 0 && dot + 1 < rest.size())
      return rest.substr(dot + 1) + "/" + rest.substr(0, dot);
  }
  return default_namespace + "/" + host;
}

std::string selector_string(const model::Labels& selector) {
  std::string out;
  for (const auto& [k, v] : selector) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

std::pair<std::string, std::string> short_or_full_name(const std::string& default_namespace, const std::string& name) {
  auto slash = name.find('/');
  if (slash == std::string::npos) return {default_namespace, name};
  return {name.substr(0, slash), name.substr(slash + 1)};
}

ServiceEntryHostMap service_entry_host_map(const Context& context) {
  ServiceEntryHostMap result;
  auto key = [](const std::string& scope, const std::string& ns, const std::string& host) {
    return scope + "/" + host_to_fqdn(ns, host);
  };
  for (const auto& se : context.snapshot().service_entries) {
    HostEntry entry;
    for (const auto& p : se.ports) entry.ports.push_back(p.number);
    if (se.workload_selector) entry.workload_selector = &*se.workload_selector;
    const std::string& ns = se.meta.namespace_;
    for (const auto& h : se.hosts) {
      if (se.export_to.empty()) {
        result[key("*", ns, h)] = entry;
        continue;
      }
      for (const auto& scope : se.export_to) {
        if (scope == "*") {
          result[key("*", ns, h)] = entry;
          break;
        }
        result[key(scope == "." ? ns : scope, ns, h)] = entry;
      }
    }
  }
  for (const auto& service : context.snapshot().services) {
    if (!service.fqdn.empty()) continue;  // a ServiceEntry's host, read above
    HostEntry entry;
    for (const auto& p : service.ports) entry.ports.push_back(static_cast<std::uint32_t>(p.port));
    const std::string& ns = service.meta.namespace_;
    std::vector<std::string> scopes;
    if (service.export_to.empty()) scopes.push_back("*");
    for (const auto& scope : service.export_to) scopes.push_back(scope == "." ? ns : scope);
    for (const auto& scope : scopes) result[key(scope, ns, service.meta.name)] = entry;
  }
  return result;
}

const HostEntry* destination_host(const ServiceEntryHostMap& hosts, const std::string& source_namespace,
                                  const std::vector<std::string>& export_to, const std::string& host) {
  std::string fqdn = host_to_fqdn(source_namespace, host);
  if (auto it = hosts.find("*/" + fqdn); it != hosts.end()) return &it->second;
  if (export_to.empty()) {
    if (auto it = hosts.find(source_namespace + "/" + fqdn); it != hosts.end()) return &it->second;
  } else {
    for (const auto& e : export_to) {
      std::string scope = e == "." ? source_namespace : e;
      if (auto it = hosts.find(scope + "/" + fqdn); it != hosts.end()) return &it->second;
    }
  }
  // Wildcard ServiceEntry hosts visible from the source namespace.
  std::string_view wanted = host;
  if (wanted.starts_with("*")) wanted.remove_prefix(1);
  for (const auto& [scoped, entry] : hosts) {
    auto slash = scoped.find('/');
    std::string_view scope(scoped.data(), slash);
    std::string_view se_host = std::string_view(scoped).substr(slash + 1);
    if (!se_host.starts_with("*")) continue;
    if (scope != "*" && scope != source_namespace) continue;
    se_host.remove_prefix(1);
    if (wanted.ends_with(se_host)) return &entry;
  }
  return nullptr;
}

}  // namespace gwsim::analysis
