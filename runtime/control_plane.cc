#include "runtime/control_plane.h"

#include <algorithm>
#include <iterator>
#include <tuple>

#include "engine/kube_gateway/controller.h"
#include "engine/kube_ingress/controller.h"
#include "engine/route/compile.h"
#include "engine/text/closest_name.h"
#include "engine/validation/admission.h"
#include "fakes/apiserver/status.h"
#include "runtime/ingress_install.h"

namespace gwsim::runtime {

using fakes::ObjectKey;
using fakes::WatchEvent;

namespace {

std::string pod_key(const std::string& namespace_, const std::string& name) { return namespace_ + "/" + name; }

// The pod status with its Ready condition set, as the kubelet reports readiness.
model::Json with_readiness(model::Json status, bool ready) {
  if (!status.is_object()) status = model::Json::object();
  const char* value = ready ? "True" : "False";
  auto& conditions = status["conditions"];
  if (!conditions.is_array()) conditions = model::Json::array();
  bool found = false;
  for (auto& c : conditions) {
    if (c.is_object() && c.value("type", "") == "Ready") {
      c["status"] = value;
      found = true;
    }
  }
  if (!found) conditions.push_back({{"type", "Ready"}, {"status", value}});
  if (auto cs = status.find("containerStatuses"); cs != status.end() && cs->is_array()) {
    for (auto& c : *cs) {
      if (c.is_object()) c["ready"] = ready;
    }
  }
  return status;
}

bool is_ready(const model::Json& status) {
  auto conditions = status.find("conditions");
  if (conditions == status.end() || !conditions->is_array()) return false;
  for (const auto& c : *conditions) {
    if (c.is_object() && c.value("type", "") == "Ready") return c.value("status", "") == "True";
  }
  return false;
}

// A generated object (no uid: it never was in the store); see ControlPlane::convert.
template <typename T>
bool is_generated(const T& item) {
  return item.meta.uid.empty();
}

std::string resource_version_of(const model::Object& object) {
  auto meta = object.doc.find("metadata");
  return meta != object.doc.end() && meta->is_object() ? meta->value("resourceVersion", "") : "";
}

// One kind's list in (namespace, name) order: the entry for `key` is replaced by `parts`
// (none: removed); a generated object of the same name stays. A changed object takes its old
// place (no element moves); only an added or removed one moves the list's tail, which is cheap
// next to re-reading every object, but not when a status write touches each of 1,000 routes
// in turn (that made applying N routes cost N^2/2 moves).
template <typename T>
void replace_entry(std::vector<T>& list, const ObjectKey& key, std::vector<T>& parts) {
  auto before = [](const T& item, const ObjectKey& k) {
    return std::tie(item.meta.namespace_, item.meta.name) < std::tie(k.namespace_, k.name);
  };
  auto first = std::lower_bound(list.begin(), list.end(), key, before);
  auto last = first;
  while (last != list.end() && last->meta.namespace_ == key.namespace_ && last->meta.name == key.name) ++last;
  first = std::stable_partition(first, last, [](const T& item) { return is_generated(item); });
  auto part = parts.begin();
  for (; first != last && part != parts.end(); ++first, ++part) *first = std::move(*part);
  first = list.erase(first, last);
  list.insert(first, std::make_move_iterator(part), std::make_move_iterator(parts.end()));
}

// Put the typed form of one changed object (empty when deleted or unreadable) in place.
void replace_in_snapshot(model::ConfigSnapshot& snapshot, const ObjectKey& key, model::ConfigSnapshot part) {
  const std::string& kind = key.kind;
  if (key.group == model::kGatewayApiGroup) {  // the Gateway API's Gateway is not Istio's
    if (kind == "GatewayClass") replace_entry(snapshot.gateway_classes, key, part.gateway_classes);
    else if (kind == "Gateway") replace_entry(snapshot.kubernetes_gateways, key, part.kubernetes_gateways);
    else if (kind == "HTTPRoute") replace_entry(snapshot.http_routes, key, part.http_routes);
    else if (kind == "GRPCRoute") replace_entry(snapshot.grpc_routes, key, part.grpc_routes);
    else if (kind == "TLSRoute") replace_entry(snapshot.tls_routes, key, part.tls_routes);
    else if (kind == "TCPRoute") replace_entry(snapshot.tcp_routes, key, part.tcp_routes);
    else if (kind == "ReferenceGrant") replace_entry(snapshot.reference_grants, key, part.reference_grants);
    return;
  }
  if (model::is_unsimulated_kind(key.group, kind)) {  // one list of several kinds, kept sorted
    auto& list = snapshot.unsimulated;
    std::erase_if(list, [&](const model::UnsimulatedObject& u) {
      return u.kind == kind && u.meta.namespace_ == key.namespace_ && u.meta.name == key.name;
    });
    for (auto& u : part.unsimulated) list.push_back(std::move(u));
    std::sort(list.begin(), list.end(), [](const model::UnsimulatedObject& a, const model::UnsimulatedObject& b) {
      return std::tie(a.kind, a.meta.namespace_, a.meta.name) < std::tie(b.kind, b.meta.namespace_, b.meta.name);
    });
    return;
  }
  if (kind == "Namespace") replace_entry(snapshot.namespaces, key, part.namespaces);
  else if (kind == "Service") replace_entry(snapshot.services, key, part.services);
  else if (kind == "Pod") replace_entry(snapshot.pods, key, part.pods);
  else if (kind == "Endpoints") replace_entry(snapshot.endpoints, key, part.endpoints);
  else if (kind == "Secret") replace_entry(snapshot.secrets, key, part.secrets);
  else if (kind == "Gateway") replace_entry(snapshot.gateways, key, part.gateways);
  else if (kind == "VirtualService") replace_entry(snapshot.virtual_services, key, part.virtual_services);
  else if (kind == "DestinationRule") replace_entry(snapshot.destination_rules, key, part.destination_rules);
  else if (kind == "ServiceEntry") replace_entry(snapshot.service_entries, key, part.service_entries);
  else if (kind == "RequestAuthentication") replace_entry(snapshot.request_authentications, key, part.request_authentications);
  else if (kind == "ConfigMap") replace_entry(snapshot.jwks_documents, key, part.jwks_documents);
  else if (kind == "Ingress") replace_entry(snapshot.ingresses, key, part.ingresses);
  else if (kind == "IngressClass") replace_entry(snapshot.ingress_classes, key, part.ingress_classes);
  else if (kind == "AuthorizationPolicy") replace_entry(snapshot.authorization_policies, key, part.authorization_policies);
}

template <typename T>
std::string key_of(const T& object) {
  return object.meta.namespace_ + "/" + object.meta.name;
}

// The control plane's own status write into the typed object of `key` (status and
// resourceVersion), without reading the object back from the store and parsing it: applying
// 1,000 routes writes 1,000 statuses. false: no typed object of that key keeps its status.
template <typename T>
bool patch_status(std::vector<T>& list, const ObjectKey& key, const model::Json& status, const std::string& version) {
  if constexpr (requires(T t) { t.status; }) {
    auto it = std::lower_bound(list.begin(), list.end(), key, [](const T& item, const ObjectKey& k) {
      return std::tie(item.meta.namespace_, item.meta.name) < std::tie(k.namespace_, k.name);
    });
    for (; it != list.end() && it->meta.namespace_ == key.namespace_ && it->meta.name == key.name; ++it) {
      if (is_generated(*it)) continue;
      it->status = status;
      it->meta.resource_version = version;
      return true;
    }
  }
  return false;
}

bool patch_status(model::ConfigSnapshot& snapshot, const ObjectKey& key, const model::Json& status,
                  const std::string& version) {
  if (key.group != model::kGatewayApiGroup) return false;
  const std::string& kind = key.kind;
  if (kind == "GatewayClass") return patch_status(snapshot.gateway_classes, key, status, version);
  if (kind == "Gateway") return patch_status(snapshot.kubernetes_gateways, key, status, version);
  if (kind == "HTTPRoute") return patch_status(snapshot.http_routes, key, status, version);
  if (kind == "GRPCRoute") return patch_status(snapshot.grpc_routes, key, status, version);
  if (kind == "TLSRoute") return patch_status(snapshot.tls_routes, key, status, version);
  if (kind == "TCPRoute") return patch_status(snapshot.tcp_routes, key, status, version);
  return false;
}

// One kind's list with the generated objects (those `owned` says, or all) replaced by
// `generated`, (namespace, name) order kept; users' objects of the same name stay beside them.
template <typename T>
void replace_generated(std::vector<T>& list, std::vector<T> generated,
                       const std::map<std::string, std::string>* owned = nullptr) {
  auto key_less = [](const T& a, const T& b) {
    return std::tie(a.meta.namespace_, a.meta.name) < std::tie(b.meta.namespace_, b.meta.name);
  };
  std::erase_if(list, [&](const T& item) { return is_generated(item) && (!owned || owned->contains(key_of(item))); });
  if (generated.empty()) return;
  std::stable_sort(generated.begin(), generated.end(), key_less);
  std::vector<T> merged;
  merged.reserve(list.size() + generated.size());
  std::merge(std::make_move_iterator(list.begin()), std::make_move_iterator(list.end()),
             std::make_move_iterator(generated.begin()), std::make_move_iterator(generated.end()),
             std::back_inserter(merged), key_less);
  list = std::move(merged);
}

// The generated entry of (namespace, name) in a (namespace, name)-sorted list: replaced by
// `item` in place, inserted, or (nullopt) removed. Users' objects of that name stay.
template <typename T>
void put_generated(std::vector<T>& list, const std::string& namespace_, const std::string& name,
                   std::optional<T> item) {
  auto first = std::lower_bound(list.begin(), list.end(), std::tie(namespace_, name), [](const T& a, const auto& k) {
    return std::tie(a.meta.namespace_, a.meta.name) < k;
  });
  auto it = first;
  while (it != list.end() && it->meta.namespace_ == namespace_ && it->meta.name == name && !is_generated(*it)) ++it;
  const bool found = it != list.end() && it->meta.namespace_ == namespace_ && it->meta.name == name;
  if (found && item) *it = std::move(*item);
  else if (found) list.erase(it);
  else if (item) list.insert(it, std::move(*item));
}

// "ns/name@resourceVersion" of each object, in order.
template <typename T>
std::vector<std::string> identities(const std::vector<T>& objects) {
  std::vector<std::string> out;
  out.reserve(objects.size());
  for (const auto& o : objects) out.push_back(o.meta.namespace_ + "/" + o.meta.name + "@" + o.meta.resource_version);
  return out;
}

}  // namespace

Converters Converters::istio() {
  // Each converter with its defaults (Istio's mesh config, the domain cluster.local).
  // The Gateway API's keeps each route's translation between calls (kube_gateway::Translator),
  // as istiod's collections do: one changed route among 10,000 is translated alone.
  auto gateway_api = std::make_shared<kube_gateway::Translator>();
  return Converters{[gateway_api](const model::ConfigSnapshot& s) { return gateway_api->update(s); },
                    [](const model::ConfigSnapshot& s) { return kube_ingress::convert(s); }};
}

bool is_converter_input(const std::string& group, const std::string& kind) {
  if (group == "gateway.networking.k8s.io" || group == "gateway.networking.x-k8s.io") return true;
  if (group == "networking.k8s.io") return kind == "Ingress" || kind == "IngressClass";
  if (group == "networking.istio.io") return kind == "ServiceEntry";
  if (group.empty()) return kind == "Service" || kind == "Namespace" || kind == "Secret" || kind == "ConfigMap";
  return false;
}

ControlPlane::ControlPlane(Converters converters) : controllers_(store_), converters_(std::move(converters)) {
  // Only what changed is parsed again: the watch marks objects dirty, republish() re-reads them.
  watch_id_ = store_.watch([this](const WatchEvent& event) {
    std::lock_guard lock(dirty_mu_);
    dirty_.insert(fakes::key_of(event.object));
  });
}

ControlPlane::~ControlPlane() { store_.unwatch(watch_id_); }

namespace {

const model::Object& object_of(const model::Object& object) { return object; }
const model::Object& object_of(const AdmittedObject& item) { return item.object; }
// Admission's answer: asked now, or the one the object came with.
validation::AdmissionResult admission_of(const model::Object& object) { return validation::admit(object); }
const validation::AdmissionResult& admission_of(const AdmittedObject& item) { return item.admission; }

// A refused object as a file user needs it: at the first problem's own line:col (the field, not
// the document), in the API server's words, and for an unknown field the closest field the
// object does have ("did you mean", as kubectl's and Go's flag packages suggest).
std::string refusal_text(const model::Object& object, const validation::AdmissionResult& admission) {
  std::string where = object.source.to_string();
  std::string hint;
  if (!admission.problems.empty()) {
    const validation::AdmissionProblem& first = admission.problems.front();
    if (!first.where.empty() && first.kind != validation::ProblemKind::kWebhookDenial) where = first.where;
    if (first.schema && first.schema->kind == model::SchemaIssue::Kind::kUnknownField) {
      std::string near = text::closest_name(first.schema->field, first.schema->allowed);
      if (!near.empty()) hint = "; did you mean \"" + near + "\"?";
    }
  }
  return (where.empty() ? "" : where + ": ") + model::describe(object) + ": " +
         fakes::admission_message(object, admission) + hint;
}

}  // namespace

ApplyResult ControlPlane::apply(const std::vector<model::Object>& objects, bool dry_run) {
  return apply_items(objects, dry_run);
}

ApplyResult ControlPlane::apply(const std::vector<AdmittedObject>& objects, bool dry_run) {
  return apply_items(objects, dry_run);
}

template <typename Item>
ApplyResult ControlPlane::apply_items(const std::vector<Item>& items, bool dry_run) {
  std::lock_guard lock(mu_);
  // Kubernetes timestamps have second resolution: one apply, one instant; the next is later.
  if (!dry_run && applies_++ > 0) store_.clock().advance(1);
  ApplyResult result;
  model::ConfigSnapshot scratch;
  bool controlled_kind_changed = false;
  for (const Item& item : items) {
    const model::Object& object = object_of(item);
    const validation::AdmissionResult& admission = admission_of(item);
    if (!admission.ok()) {
      result.rejected.push_back(refusal_text(object, admission));
      continue;
    }
    for (const auto& w : admission.warnings) result.warnings.push_back(model::describe(object) + ": " + w);
    // The typed model's checks stand in for the API server's validation of core kinds.
    if (auto added = model::add_to_snapshot(object, scratch, model::Admitted::kYes); !added.ok()) {
      result.rejected.push_back(added.error().to_string());
      continue;
    }
    if (dry_run) {
      ++result.stored;
      continue;
    }
    if (object.group() != "networking.istio.io") controlled_kind_changed = true;
    auto stored = store_.apply(object);
    if (!stored.ok()) {
      result.rejected.push_back(model::describe(object) + ": " + stored.error().to_string());
      continue;
    }
    ++result.stored;
  }
  // Istio objects feed no controller: skip the controllers when nothing else changed.
  if (!dry_run) {
    if (controlled_kind_changed) reconcile();
    else republish();
  }
  return result;
}

void ControlPlane::install_default_gateway_if_missing() {
  std::lock_guard lock(mu_);
  if (has_ingress_gateway(store_)) return;
  for (auto& object : default_ingress_gateway_objects()) store_.apply(std::move(object));
  reconcile();
}

// Controllers until stable; readiness set by `pods` steps wins over what they report.
void ControlPlane::run_controllers() {
  for (int round = 0; round < 10; ++round) {
    controllers_.reconcile();
    bool changed = false;
    for (const auto& [key, ready] : ready_overrides_) {
      auto slash = key.find('/');
      ObjectKey pod{"", "Pod", key.substr(0, slash), key.substr(slash + 1)};
      auto object = store_.get(pod);
      if (!object) continue;
      model::Json status = object->doc.value("status", model::Json::object());
      if (is_ready(status) == ready) continue;
      if (store_.update_status(pod, with_readiness(status, ready)).ok()) changed = true;
    }
    if (!changed) return;
  }
}

void ControlPlane::reconcile() {
  std::lock_guard lock(mu_);
  run_controllers();
  republish();
}

Result<bool> ControlPlane::remove(const ObjectKey& key) {
  std::lock_guard lock(mu_);
  auto removed = store_.remove(key);
  if (!removed.ok()) return make_error("cannot delete " + key.to_string() + ": " + removed.error().message);
  reconcile();
  return true;
}

Result<bool> ControlPlane::scale(const std::string& namespace_, const std::string& deployment, int replicas) {
  std::lock_guard lock(mu_);
  ObjectKey key{"apps", "Deployment", namespace_, deployment};
  auto object = store_.get(key);
  if (!object) return make_error("cannot scale: " + key.to_string() + " not found");
  object->doc["spec"]["replicas"] = replicas;
  auto stored = store_.apply(*object);
  if (!stored.ok()) return make_error("cannot scale " + key.to_string() + ": " + stored.error().to_string());
  reconcile();
  return true;
}

void ControlPlane::set_pod_ready(const std::string& namespace_, const std::string& pod, bool ready) {
  std::lock_guard lock(mu_);
  ready_overrides_[pod_key(namespace_, pod)] = ready;
  reconcile();
}

void ControlPlane::set_pod_behaviour(const std::string& namespace_, const std::string& pod, fakes::PodBehaviour behaviour) {
  std::lock_guard lock(mu_);
  behaviours_[pod_key(namespace_, pod)] = behaviour;
}

void ControlPlane::reset_pod_behaviour(const std::string& namespace_, const std::string& pod) {
  std::lock_guard lock(mu_);
  behaviours_.erase(pod_key(namespace_, pod));
}

std::optional<fakes::PodBehaviour> ControlPlane::pod_behaviour(const std::string& namespace_, const std::string& pod) const {
  std::lock_guard lock(mu_);
  auto it = behaviours_.find(pod_key(namespace_, pod));
  if (it == behaviours_.end()) return std::nullopt;
  return it->second;
}

void ControlPlane::compile(const std::string& gateway, GatewayTable& entry) {
  auto compiled = route::compile_gateway(snapshot_, gateway, entry.cache.get());
  if (compiled.ok()) entry.table = TablePtr(std::make_shared<const route::RouteTable>(std::move(compiled.value())));
  else entry.table = compiled.error();
}

void ControlPlane::republish() {
  if (compiled_version_ == store_.resource_version()) return;
  std::set<ObjectKey> dirty;
  {
    std::lock_guard lock(dirty_mu_);
    dirty.swap(dirty_);
  }
  bool inputs_changed = !converted_;
  bool only_own_status_writes = true;  // then no table can differ: nothing to compile or publish
  for (const auto& key : dirty) {
    const bool converter_input = is_converter_input(key.group, key.kind);
    if (!converter_input && !model::is_engine_kind(key.group, key.kind)) {
      only_own_status_writes = false;
      continue;
    }
    bool own_write = false;
    std::string own_version;
    if (converter_input) {
      // Our own status write changes no input of the converters: no conversion for it (else
      // every status write would convert again).
      auto own = own_status_writes_.find(key);
      if (own != own_status_writes_.end()) {
        own_write = store_.resource_version_of(key) == own->second;
        own_version = std::move(own->second);
        own_status_writes_.erase(own);
      }
      if (!own_write) {
        inputs_changed = true;
        written_statuses_.erase(key);  // changed by someone else: compare with the store again
      }
    }
    if (!own_write) only_own_status_writes = false;
    if (!model::is_engine_kind(key.group, key.kind)) continue;
    if (own_write) {
      auto written = written_statuses_.find(key);
      if (written != written_statuses_.end() && patch_status(snapshot_, key, written->second, own_version)) continue;
    }
    auto object = store_.get(key);
    model::SnapshotBuild part;
    if (object) part = model::build_snapshot({*object}, model::Admitted::kYes);  // all came through admission
    replace_in_snapshot(snapshot_, key, std::move(part.snapshot));
    if (part.problems.empty()) problems_.erase(key);
    else problems_[key] = std::move(part.problems);
  }
  compiled_version_ = store_.resource_version();
  if (!inputs_changed && only_own_status_writes) return;
  if (inputs_changed) convert();
  for (auto& [gateway, entry] : tables_) {
    compile(gateway, entry);
    for (const auto& [id, listener] : listeners_) listener(gateway, entry.table);
  }
}

// Istio's Kubernetes controllers (the Gateway API's and Ingress's) translate their kinds into
// Gateways and VirtualServices that istiod's push context takes beside the users' ones
// (pilot/pkg/config/kube/gateway/controller.go, ingress/controller.go), and write the status
// of the objects they read (the status syncer, pilot/pkg/status).
void ControlPlane::convert() {
  converted_ = true;
  std::vector<model::Gateway> gateways;
  std::vector<model::ObjectStatus> statuses;
  conversion_warnings_.clear();
  const Converter* converters[] = {&converters_.gateway_api, &converters_.ingress};
  for (std::size_t i = 0; i < std::size(converters); ++i) {
    if (!*converters[i]) continue;
    model::GeneratedConfig part = (*converters[i])(snapshot_);
    std::move(part.gateways.begin(), part.gateways.end(), std::back_inserter(gateways));
    std::move(part.statuses.begin(), part.statuses.end(), std::back_inserter(statuses));
    std::move(part.warnings.begin(), part.warnings.end(), std::back_inserter(conversion_warnings_));
    place_generated_virtual_services(generated_virtual_services_[i], std::move(part));
  }
  for (auto& g : gateways) g.meta.uid.clear();  // generated: never in the store
  generated_versions_.stamp(gateways);
  // Only what changed goes into the snapshot; an unchanged set leaves it (and the compile
  // caches' view of it) as it is.
  auto ids = identities(gateways);
  if (ids != generated_gateways_) {
    generated_gateways_ = std::move(ids);
    replace_generated(snapshot_.gateways, std::move(gateways));
  }
  write_statuses(statuses);
}

// One converter's VirtualServices into the snapshot: a whole set replaces the ones it made
// before (when it differs); an incremental answer touches only the ones it names, in place.
void ControlPlane::place_generated_virtual_services(std::map<std::string, std::string>& owned,
                                                    model::GeneratedConfig part) {
  for (auto& vs : part.virtual_services) vs.meta.uid.clear();  // generated: never in the store
  if (!part.incremental) {
    std::map<std::string, std::string> now;
    for (const auto& vs : part.virtual_services) now[key_of(vs)];
    std::vector<std::string> gone;
    for (const auto& [key, version] : owned)
      if (!now.contains(key)) gone.push_back(key);
    generated_versions_.stamp_some(part.virtual_services, gone);
    for (const auto& vs : part.virtual_services) now[key_of(vs)] = vs.meta.resource_version;
    if (now == owned) return;
    replace_generated(snapshot_.virtual_services, std::move(part.virtual_services), &owned);
    owned = std::move(now);
    return;
  }
  std::vector<std::string> gone;
  for (const auto& [namespace_, name] : part.removed_virtual_services) {
    const std::string key = namespace_ + "/" + name;
    if (owned.erase(key) == 0) continue;
    gone.push_back(key);
    put_generated<model::VirtualService>(snapshot_.virtual_services, namespace_, name, std::nullopt);
  }
  generated_versions_.stamp_some(part.virtual_services, gone);
  for (auto& vs : part.virtual_services) {
    std::string& version = owned[key_of(vs)];
    if (version == vs.meta.resource_version) continue;  // translated again, the same content
    version = vs.meta.resource_version;
    const std::string namespace_ = vs.meta.namespace_, name = vs.meta.name;
    put_generated(snapshot_.virtual_services, namespace_, name, std::optional<model::VirtualService>(std::move(vs)));
  }
}

void ControlPlane::write_statuses(const std::vector<model::ObjectStatus>& statuses) {
  for (const auto& s : statuses) {
    const ObjectKey key = fakes::normalized_key(ObjectKey{s.group, s.kind, s.namespace_, s.name});
    // What we wrote last and nobody changed since (republish forgets a key on any other change):
    // no store read. Without this, one route change among 10,000 read every route back.
    if (auto known = written_statuses_.find(key); known != written_statuses_.end() && known->second == s.status)
      continue;
    auto current = store_.status_of(key);
    if (!current) continue;  // deleted since the snapshot was read
    if (*current != s.status) {
      auto written = store_.update_status(key, s.status);
      if (!written.ok()) continue;
      own_status_writes_[key] = resource_version_of(written.value());
    }
    written_statuses_[key] = s.status;
  }
}

Result<TablePtr> ControlPlane::table(const std::string& gateway) {
  std::lock_guard lock(mu_);
  republish();
  auto [it, inserted] = tables_.try_emplace(gateway);
  if (inserted) compile(gateway, it->second);
  return it->second.table;
}

int ControlPlane::subscribe(TableListener listener) {
  std::lock_guard lock(mu_);
  int id = next_listener_++;
  listeners_[id] = std::move(listener);
  return id;
}

void ControlPlane::unsubscribe(int id) {
  std::lock_guard lock(mu_);
  listeners_.erase(id);
}

void ControlPlane::read_snapshot(const std::function<void(const model::ConfigSnapshot&)>& reader) {
  std::lock_guard lock(mu_);
  republish();
  reader(snapshot_);
}

std::vector<std::string> ControlPlane::snapshot_problems() {
  std::lock_guard lock(mu_);
  republish();
  std::vector<std::string> out;
  for (const auto& [key, problems] : problems_) {
    for (const auto& p : problems) out.push_back((p.where.empty() ? "" : p.where + ": ") + p.object + ": " + p.message);
  }
  out.insert(out.end(), conversion_warnings_.begin(), conversion_warnings_.end());
  return out;
}

}  // namespace gwsim::runtime
