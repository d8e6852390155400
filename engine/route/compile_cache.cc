// The CompileCache's bookkeeping: generations, the environment stamps that decide reuse, and
// dropping entries of objects that are gone; see compile_cache.h.
#include "engine/route/compile_cache.h"

namespace gwsim::route {

namespace {

// What translated routes read besides their VirtualService, their arguments and the Services
// (see PortLookup): the gateway workload (source matches, visibility).
std::string route_environment(const GatewayProxy& proxy) {
  std::string out = proxy.namespace_;
  for (const auto& [k, v] : proxy.labels) out += "|" + k + "=" + v;
  return out;
}

// The Services and ServiceEntries as they are now; "" when one has no resourceVersion, so
// nothing is reused.
std::string services_stamp(const model::ConfigSnapshot& snapshot) {
  std::string out;
  auto add = [&out](const model::Meta& m) {
    if (m.resource_version.empty()) return false;
    out += "|" + m.namespace_ + "/" + m.name + "@" + m.resource_version;
    return true;
  };
  for (const auto& s : snapshot.services) {
    if (!add(s.meta)) return {};
  }
  out += "|serviceentries";
  for (const auto& se : snapshot.service_entries) {
    if (!add(se.meta)) return {};
  }
  return out;
}

}  // namespace

CompileCache::CompileCache() : state_(std::make_unique<detail::CompileCacheState>()) {}
CompileCache::~CompileCache() = default;
CompileCache::Stats CompileCache::last_stats() const { return state_->stats; }

namespace detail {

void CompileCacheState::start_compile() {
  ++generation;
  resolved_seen = routes_seen = 0;
  stats = {};
}

bool CompileCacheState::check_environment(const model::ConfigSnapshot& snapshot, const GatewayProxy& proxy,
                                          bool any_delegate) {
  std::string now_services = services_stamp(snapshot);
  std::string now_environment = any_delegate || now_services.empty() ? std::string() : route_environment(proxy);
  if (now_environment.empty() || now_environment != environment) {
    routes.clear();
    route_configs.clear();
  }
  const bool services_changed = now_services != services;
  environment = std::move(now_environment);
  services = std::move(now_services);
  return services_changed;
}

void CompileCacheState::forget_unseen() {
  if (resolved_seen != resolved.size())
    std::erase_if(resolved, [this](const auto& e) { return e.second.seen != generation; });
  if (routes_seen != routes.size()) {
    std::erase_if(routes, [this](const auto& e) {
      return e.second.seen != generation && e.second.value.routes.use_count() == 1;
    });
  }
  std::erase_if(route_configs, [this](const auto& e) { return e.second.seen != generation; });
}

}  // namespace detail

}  // namespace gwsim::route
