#include "engine/kube_gateway/controller.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "engine/kube_gateway/detail_context.h"

namespace gwsim::kube_gateway {

namespace {

template <typename T>
void sort_by_creation(std::vector<T>& configs) {  // sortConfigByCreationTime
  std::stable_sort(configs.begin(), configs.end(), [](const T& a, const T& b) {
    return std::tie(a.meta.creation_time, a.meta.namespace_, a.meta.name) <
           std::tie(b.meta.creation_time, b.meta.namespace_, b.meta.name);
  });
}

}  // namespace

// What a Translator keeps between updates.
struct Translator::State {
  enum class Kind { kHTTPRoute, kGRPCRoute, kTCPRoute, kTLSRoute };  // the order convert() visits them
  struct RouteKey {
    Kind kind;
    std::string namespace_;
    std::string name;
    auto operator<=>(const RouteKey&) const = default;
  };
  struct RouteKeyHash {
    std::size_t operator()(const RouteKey& k) const {
      return std::hash<std::string>{}(k.namespace_) * 31 + std::hash<std::string>{}(k.name) * 7 +
             static_cast<std::size_t>(k.kind);
    }
  };
  using Listener = std::tuple<std::string, std::string, std::string>;  // (namespace, gateway, listener)
  struct Entry {
    std::string resource_version;
    std::string uid;
    std::int64_t generation = 0;
    detail::Dependencies dependencies;
    detail::RouteOutput output;
  };

  bool initialized = false;
  std::unordered_map<RouteKey, Entry, RouteKeyHash> routes;  // node-based: an Entry* stays valid
  // Each kind's list as the last update saw it: (resourceVersion, entry) by position. A route at
  // the same place with the same resourceVersion is the same object version, found without a
  // lookup: an update among 10,000 unchanged routes reads this vector and nothing else.
  std::vector<std::pair<std::string, Entry*>> order[4];
  std::size_t routes_with_warnings = 0;
  std::map<Listener, int> attached;  // the routes' attachments, kept as routes come and go
  // Which routes contribute to each merged HTTP VirtualService ("<gateway>/<host>").
  std::map<std::string, std::set<RouteKey>> http_keys;
  // The inputs routes read besides themselves, as last seen.
  std::map<detail::ParentKey, std::vector<detail::ParentInfo>> parents;
  std::map<std::pair<std::string, std::string>, std::string> services, service_entries;  // -> resourceVersion
  std::vector<std::string> grants;                                                       // "ns/name@rv"
  // Where each key's merged VirtualService went (the namespace of its oldest route).
  std::map<std::string, std::pair<std::string, std::string>> http_names;
};

namespace {

template <typename T>
std::map<std::pair<std::string, std::string>, std::string> versions_of(const std::vector<T>& objects) {
  std::map<std::pair<std::string, std::string>, std::string> out;
  // An object without a resourceVersion (read from a file) is never taken as unchanged.
  for (const auto& o : objects)
    out[{o.meta.namespace_, o.meta.name}] = o.meta.resource_version.empty() ? "?" : o.meta.resource_version;
  return out;
}

// Whether an input differs from what the last update saw: a resourceVersion "?" (an object
// read from a file) always does.
template <typename V>
bool differs(const V& before, const V& now) {
  return before != now;
}
bool differs(const std::string& before, const std::string& now) { return before != now || before == "?"; }

// Keys whose value differs between two maps (present in one only, or different).
template <typename K, typename V>
std::set<K> changed_keys(const std::map<K, V>& before, const std::map<K, V>& now) {
  std::set<K> out;
  for (const auto& [k, v] : before) {
    auto it = now.find(k);
    if (it == now.end() || differs(v, it->second)) out.insert(k);
  }
  for (const auto& [k, v] : now) {
    if (!before.contains(k)) out.insert(k);
  }
  return out;
}

template <typename T>
bool intersects(const std::set<T>& a, const std::set<T>& b) {
  if (a.size() > b.size()) return intersects(b, a);
  for (const auto& x : a)
    if (b.contains(x)) return true;
  return false;
}

}  // namespace

Translator::Translator(Options options) : options_(std::move(options)), state_(std::make_unique<State>()) {}
Translator::~Translator() = default;

model::GeneratedConfig convert(const model::ConfigSnapshot& snapshot, const Options& options) {
  return Translator(options).update(snapshot);
}

// controller.go NewController: the GatewayClass, Gateway and route collections, then the
// Gateways' attachedRoutes (FinalGatewayStatusCollection).
model::GeneratedConfig Translator::update(const model::ConfigSnapshot& snapshot) {
  State& st = *state_;
  detail::Context ctx{snapshot, options_.domain_suffix, detail::ReferenceGrants(snapshot.reference_grants), {}};
  model::GeneratedConfig out;
  out.incremental = st.initialized;

  // GatewayClassesCollection: the classes Istio's controller handles are Accepted.
  for (const auto& c : snapshot.gateway_classes) {
    if (c.controller_name != model::gateway_api::kIstioController) continue;
    model::Json status = c.status.is_object() ? c.status : model::Json::object();
    status["conditions"] =
        detail::set_conditions(c.generation, status.value("conditions", model::Json::array()),
                               {{"Accepted", {"Accepted", "Handled by Istio controller", "", std::nullopt}}});
    out.statuses.push_back({detail::kGatewayGroup, "GatewayClass", "", c.meta.name, status});
  }

  auto gateways = detail::build_gateways(ctx);
  for (const auto& lg : gateways.listeners) {
    ctx.parents[lg.parent].push_back(lg.info);
    if (lg.valid) out.gateways.push_back(lg.config);  // GatewayConfigs: only programmed listeners
  }

  // What changed among the inputs routes read besides themselves.
  std::vector<std::string> grants;
  for (const auto& g : snapshot.reference_grants)
    grants.push_back(g.meta.namespace_ + "/" + g.meta.name + "@" + (g.meta.resource_version.empty() ? "?" : g.meta.resource_version));
  const bool everything = !st.initialized || grants != st.grants ||
                          std::any_of(grants.begin(), grants.end(), [](const std::string& g) { return g.ends_with("@?"); });
  const auto parents_changed = changed_keys(st.parents, ctx.parents);
  auto services = versions_of(snapshot.services);
  auto service_entries = versions_of(snapshot.service_entries);
  const auto services_changed = changed_keys(st.services, services);
  std::set<std::string> hostname_namespaces_changed;
  for (const auto& k : services_changed) hostname_namespaces_changed.insert(k.first);
  for (const auto& k : changed_keys(st.service_entries, service_entries)) hostname_namespaces_changed.insert(k.first);
  const bool inputs_changed =
      !parents_changed.empty() || !services_changed.empty() || !hostname_namespaces_changed.empty();
  auto still_valid = [&](const State::Entry& e) {
    return !inputs_changed || (!intersects(e.dependencies.parents, parents_changed) &&
                               !intersects(e.dependencies.services, services_changed) &&
                               !intersects(e.dependencies.hostname_namespaces, hostname_namespaces_changed));
  };

  std::size_t visited = 0;
  std::set<std::string> touched_http_keys;
  std::vector<model::ObjectStatus> route_statuses;
  std::vector<std::string> route_warnings;
  std::vector<model::VirtualService> l4_virtual_services;  // TCP and TLS: added or changed
  std::set<std::pair<std::string, std::string>> l4_removed;

  auto forget_outputs = [&](const State::RouteKey& key, const State::Entry& e) {
    if (!e.output.warnings.empty()) --st.routes_with_warnings;
    for (const auto& a : e.output.attachments) {
      auto it = st.attached.find({a.gateway_namespace, a.gateway_name, a.listener});
      if (it != st.attached.end() && --it->second == 0) st.attached.erase(it);
    }
    for (const auto& h : e.output.http) {
      touched_http_keys.insert(h.key);
      auto it = st.http_keys.find(h.key);
      if (it != st.http_keys.end()) {
        it->second.erase(key);
        if (it->second.empty()) st.http_keys.erase(it);
      }
    }
    for (const auto& vs : e.output.virtual_services) l4_removed.insert({vs.meta.namespace_, vs.meta.name});
  };
  auto visit = [&](State::Kind kind, std::size_t index, const auto& obj) {
    ++visited;
    auto& place = st.order[static_cast<int>(kind)][index];
    const std::string& version = obj.meta.resource_version;
    if (!everything && !version.empty() && place.first == version && still_valid(*place.second)) {
      if (st.routes_with_warnings > 0) {
        const auto& w = place.second->output.warnings;
        route_warnings.insert(route_warnings.end(), w.begin(), w.end());
      }
      return;  // the same object version as last time, nothing it read changed
    }
    State::RouteKey key{kind, obj.meta.namespace_, obj.meta.name};
    auto it = st.routes.find(key);
    bool reuse = !everything && it != st.routes.end() && !version.empty() && still_valid(it->second);
    if (reuse && it->second.resource_version != version) {
      // A new resourceVersion with the same spec (generation) and the status this translation
      // wrote (the control plane's own status write) changes nothing the route translates to.
      State::Entry& e = it->second;
      reuse = !obj.meta.uid.empty() && e.uid == obj.meta.uid && e.generation == obj.generation &&
              obj.status == e.output.status.status;
      if (reuse) e.resource_version = version;
    }
    if (!reuse) {
      if (it != st.routes.end()) forget_outputs(key, it->second);
      State::Entry fresh;
      fresh.resource_version = obj.meta.resource_version;
      fresh.uid = obj.meta.uid;
      fresh.generation = obj.generation;
      ctx.record = &fresh.dependencies;
      fresh.output = detail::translate_route(ctx, obj);
      ctx.record = nullptr;
      for (const auto& h : fresh.output.http) {
        touched_http_keys.insert(h.key);
        st.http_keys[h.key].insert(key);
      }
      for (const auto& vs : fresh.output.virtual_services) {
        l4_removed.erase({vs.meta.namespace_, vs.meta.name});
        l4_virtual_services.push_back(vs);
      }
      route_statuses.push_back(fresh.output.status);
      for (const auto& a : fresh.output.attachments) ++st.attached[{a.gateway_namespace, a.gateway_name, a.listener}];
      if (!fresh.output.warnings.empty()) ++st.routes_with_warnings;
      it = st.routes.insert_or_assign(key, std::move(fresh)).first;
    }
    place = {version, &it->second};
    const auto& w = it->second.output.warnings;
    route_warnings.insert(route_warnings.end(), w.begin(), w.end());
  };
  auto visit_all = [&](State::Kind kind, const auto& list) {
    auto& order = st.order[static_cast<int>(kind)];
    // A route added or deleted moves the places after it: they are looked up this time.
    if (order.size() != list.size()) order.assign(list.size(), {});
    for (std::size_t i = 0; i < list.size(); ++i) visit(kind, i, list[i]);
  };
  visit_all(State::Kind::kHTTPRoute, snapshot.http_routes);
  visit_all(State::Kind::kGRPCRoute, snapshot.grpc_routes);
  visit_all(State::Kind::kTCPRoute, snapshot.tcp_routes);
  visit_all(State::Kind::kTLSRoute, snapshot.tls_routes);
  if (st.routes.size() != visited) {  // some routes were deleted: forget their outputs
    std::unordered_map<State::RouteKey, bool, State::RouteKeyHash> present;
    auto mark = [&](State::Kind kind, const auto& list) {
      for (const auto& r : list) present[{kind, r.meta.namespace_, r.meta.name}] = true;
    };
    mark(State::Kind::kHTTPRoute, snapshot.http_routes);
    mark(State::Kind::kGRPCRoute, snapshot.grpc_routes);
    mark(State::Kind::kTCPRoute, snapshot.tcp_routes);
    mark(State::Kind::kTLSRoute, snapshot.tls_routes);
    for (auto it = st.routes.begin(); it != st.routes.end();) {
      if (present.contains(it->first)) {
        ++it;
        continue;
      }
      forget_outputs(it->first, it->second);
      it = st.routes.erase(it);
    }
  }

  for (auto& [key, status] : gateways.statuses) {
    if (status.contains("listeners")) {
      for (auto& l : status["listeners"]) {
        auto count = st.attached.find({key.first, key.second, l.value("name", "")});
        l["attachedRoutes"] = count == st.attached.end() ? 0 : count->second;
      }
    }
    out.statuses.push_back({detail::kGatewayGroup, "Gateway", key.first, key.second, status});
  }
  for (auto& s : route_statuses) out.statuses.push_back(std::move(s));
  out.warnings = std::move(gateways.warnings);
  for (auto& w : route_warnings) out.warnings.push_back(std::move(w));

  // mergeHTTPRoutes over the keys whose routes changed (every key, the first time).
  auto merged = [&](const std::string& key, const std::set<State::RouteKey>& contributors) {
    std::vector<const detail::RouteWithKey*> configs;
    for (const auto& route : contributors) {
      for (const auto& h : st.routes.at(route).output.http)
        if (h.key == key) configs.push_back(&h);
    }
    auto vs = detail::merge_http_routes(key, std::move(configs));
    std::pair<std::string, std::string> where{vs.meta.namespace_, vs.meta.name};
    auto [known, inserted] = st.http_names.try_emplace(key, where);
    if (!inserted && known->second != where) {
      out.removed_virtual_services.push_back(known->second);
      known->second = where;
    }
    return vs;
  };
  if (!out.incremental) {
    for (const auto& [key, contributors] : st.http_keys) out.virtual_services.push_back(merged(key, contributors));
    for (const auto& [key, e] : st.routes) {  // any order: sorted below
      for (const auto& vs : e.output.virtual_services) out.virtual_services.push_back(vs);
    }
  } else {
    for (const auto& key : touched_http_keys) {
      auto it = st.http_keys.find(key);
      if (it != st.http_keys.end()) {
        out.virtual_services.push_back(merged(key, it->second));
      } else if (auto known = st.http_names.find(key); known != st.http_names.end()) {
        out.removed_virtual_services.push_back(known->second);
        st.http_names.erase(known);
      }
    }
    for (auto& vs : l4_virtual_services) out.virtual_services.push_back(std::move(vs));
    for (const auto& r : l4_removed) out.removed_virtual_services.push_back(r);
  }
  sort_by_creation(out.gateways);
  sort_by_creation(out.virtual_services);

  st.initialized = true;
  st.parents = ctx.parents;
  st.services = std::move(services);
  st.service_entries = std::move(service_entries);
  st.grants = std::move(grants);
  return out;
}

}  // namespace gwsim::kube_gateway
