#include "fakes/controllers/controllers.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <utility>

#include "engine/datapath/listen.h"
#include "engine/model/json_fields.h"
#include "engine/model/labels.h"
#include "engine/model/quantity.h"
#include "fakes/controllers/gateway_class.h"
#include "fakes/controllers/gateway_deployment.h"
#include "fakes/controllers/service_addresses.h"

namespace gwsim::fakes {

using model::member;
using model::string_or_empty;

namespace detail {

// Kubernetes' alphabet for generated names and hashes: no vowels (no accidental words), no
// 0/1/3 (confusable with o/l/e).
constexpr std::string_view kSafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

std::uint32_t fnv32a(std::string_view data) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : data) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

std::uint64_t fnv64a(std::string_view data) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// k8s.io/apimachinery rand.SafeEncodeString: every byte mapped into the safe alphabet.
std::string safe_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) out += kSafeAlphabet[c % kSafeAlphabet.size()];
  return out;
}

// Five characters of the safe alphabet, like utilrand.String(5) behind generateName, but
// drawn from a hash of (owner, index, salt) so the same world always gets the same names.
std::string suffix(const std::string& owner, int index, int salt) {
  std::string seed = owner + '\0' + std::to_string(index);
  if (salt > 0) seed += '\0' + std::to_string(salt);
  std::uint64_t h = fnv64a(seed);
  // splitmix64 finaliser: FNV's low digits are weakly mixed for seeds differing at the end.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  std::string out;
  for (int i = 0; i < 5; ++i) {
    out += kSafeAlphabet[h % kSafeAlphabet.size()];
    h /= kSafeAlphabet.size();
  }
  return out;
}

}  // namespace detail

namespace {

using Labels = std::map<std::string, std::string>;

constexpr const char* kReadyConditions[] = {"Initialized", "Ready", "ContainersReady", "PodScheduled"};
constexpr const char* kSkipMirrorLabel = "endpointslice.kubernetes.io/skip-mirror";
constexpr int kMaxPasses = 10;
constexpr int kMaxSalt = 8;

Labels labels_of(const Json& map) {
  Labels out;
  if (!map.is_object()) return out;
  for (const auto& [key, value] : map.items())
    out[key] = value.is_string() ? value.get<std::string>() : value.dump();
  return out;
}

// An int32 field of a Go type, clamped into [0, 2^31-1] (the API server refuses what is outside
// int32; objects written straight to the store are clamped rather than wrapped).
int non_negative_int32(const Json& v, int fallback) {
  if (v.is_number_unsigned())
    return static_cast<int>(std::min<std::uint64_t>(v.get<std::uint64_t>(), std::numeric_limits<std::int32_t>::max()));
  if (v.is_number_integer())
    return static_cast<int>(std::clamp<std::int64_t>(v.get<std::int64_t>(), 0, std::numeric_limits<std::int32_t>::max()));
  return fallback;
}

// spec.replicas, Kubernetes' default 1 when absent.
int replicas_of(const Json& spec) { return non_negative_int32(member(spec, "replicas"), 1); }

std::int64_t generation_of(const Object& object) {
  const Json& g = member(member(object.doc, "metadata"), "generation");
  return g.is_number_integer() ? g.get<std::int64_t>() : 0;
}

// A pod template as Go's typed PodTemplateSpec holds it: a null field is an absent one. kubectl
// writes `creationTimestamp: null` into the templates it sends (rollout undo copies a
// ReplicaSet's template so), which must not make a new template hash.
Json without_nulls(const Json& value) {
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [key, item] : value.items())
      if (!item.is_null()) out[key] = without_nulls(item);
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const auto& item : value) out.push_back(without_nulls(item));
    return out;
  }
  return value;
}

// The template with its containers' resource quantities in the API server's canonical form
// (kube-apiserver stores "0.1" as "100m"; kubectl sends the stored form back on rollout undo).
Json canonical_template(const Json& pod_template) {
  Json out = without_nulls(pod_template);  // no null is left below: only present fields are read
  auto spec = out.is_object() ? out.find("spec") : out.end();
  if (spec == out.end() || !spec->is_object()) return out;
  for (const char* list : {"containers", "initContainers"}) {
    auto containers = spec->find(list);
    if (containers == spec->end() || !containers->is_array()) continue;
    for (Json& container : *containers) {
      auto resources = container.is_object() ? container.find("resources") : container.end();
      if (resources == container.end() || !resources->is_object()) continue;
      for (const char* kind : {"limits", "requests"}) {
        auto values = resources->find(kind);
        if (values == resources->end() || !values->is_object()) continue;
        for (auto& [name, value] : values->items()) {
          const std::string text = value.is_string() ? value.get<std::string>() : value.is_number() ? value.dump() : "";
          if (auto canonical = model::canonical_quantity(text)) value = *canonical;
        }
      }
    }
  }
  return out;
}

constexpr const char* kRevisionAnnotation = "deployment.kubernetes.io/revision";
constexpr const char* kChangeCauseAnnotation = "kubernetes.io/change-cause";

// A ReplicaSet's deployment.kubernetes.io/revision (0 when absent or not a number).
std::int64_t revision_of(const Object& rs) {
  const std::string text =
      string_or_empty(member(member(member(rs.doc, "metadata"), "annotations"), kRevisionAnnotation));
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string uid_of(const Object& object) { return string_or_empty(member(member(object.doc, "metadata"), "uid")); }

// The ownerReference with controller: true (the one Kubernetes controllers act on).
const Json* controller_ref(const Json& doc) {
  const Json& refs = member(member(doc, "metadata"), "ownerReferences");
  if (!refs.is_array()) return nullptr;
  for (const Json& ref : refs)
    if (member(ref, "controller").is_boolean() && member(ref, "controller").get<bool>()) return &ref;
  return nullptr;
}

bool controlled_by(const Object& dependent, const Object& owner) {
  const Json* ref = controller_ref(dependent.doc);
  return ref && string_or_empty(member(*ref, "uid")) == uid_of(owner) &&
         string_or_empty(member(*ref, "kind")) == owner.kind();
}

Json owner_reference(const Object& owner) {
  return Json{{"apiVersion", owner.api_version()},
              {"kind", owner.kind()},
              {"name", owner.name()},
              {"uid", uid_of(owner)},
              {"controller", true},
              {"blockOwnerDeletion", true}};
}

bool is_pod_ready(const Json& pod) {
  const Json& conditions = member(member(pod, "status"), "conditions");
  if (!conditions.is_array()) return false;
  for (const Json& c : conditions)
    if (string_or_empty(member(c, "type")) == "Ready") return string_or_empty(member(c, "status")) == "True";
  return false;
}

bool is_terminal(const Json& pod) {
  std::string phase = string_or_empty(member(member(pod, "status"), "phase"));
  return phase == "Succeeded" || phase == "Failed";
}

// Dotted-quad IPv4 to a number; nullopt when not one.
std::optional<std::uint32_t> parse_ipv4(const std::string& text) {
  std::uint32_t out = 0;
  int parts = 0;
  std::size_t pos = 0;
  while (parts < 4) {
    std::size_t start = pos;
    std::uint32_t v = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 3)
      v = v * 10 + static_cast<std::uint32_t>(text[pos++] - '0');
    if (pos == start || v > 255) return std::nullopt;
    out = out << 8 | v;
    if (++parts < 4) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
  }
  if (pos != text.size()) return std::nullopt;
  return out;
}

std::string revision_label(const Json& pod) {
  return labels_of(member(member(pod, "metadata"), "labels"))["controller-revision-hash"];
}

Json ready_conditions(const std::string& now) {
  Json conditions = Json::array();
  for (const char* type : kReadyConditions)
    conditions.push_back({{"type", type}, {"status", "True"}, {"lastTransitionTime", now}});
  return conditions;
}

bool pod_name_taken(const ApiStore& store, const std::string& ns, const std::string& name) {
  return store.get({"", "Pod", ns, name}).has_value();
}

int count_ready(const std::map<std::string, Object>& pods) {
  int n = 0;
  for (const auto& [name, pod] : pods) n += is_pod_ready(pod.doc) ? 1 : 0;
  return n;
}

// Kubernetes omits zero counters from workload status (omitempty).
void put_count(Json& status, const char* field, std::int64_t value) {
  if (value != 0) status[field] = value;
}

// deploymentutil.MaxUnavailable (pkg/controller/deployment/util/deployment_util.go): 0 for a
// Recreate Deployment or none wanted; else spec.strategy.rollingUpdate.maxUnavailable (an int,
// or a percent of replicas rounded down; default 25%), 1 when it and maxSurge both resolve to 0,
// and at most the replicas.
int max_unavailable(const Json& spec, int replicas) {
  const Json& strategy = member(spec, "strategy");
  if (replicas == 0 || string_or_empty(member(strategy, "type")) == "Recreate") return 0;
  const Json& rolling = member(strategy, "rollingUpdate");
  auto resolve = [replicas](const Json& v, const char* fallback, bool round_up) -> std::int64_t {
    if (v.is_number_integer()) return std::max<std::int64_t>(0, v.get<std::int64_t>());
    const std::string text = v.is_string() ? v.get<std::string>() : std::string(v.is_null() ? fallback : "");
    std::int64_t percent = 0;
    if (text.size() < 2 || text.back() != '%' ||
        std::from_chars(text.data(), text.data() + text.size() - 1, percent).ptr != text.data() + text.size() - 1)
      return 0;
    const std::int64_t scaled = std::clamp<std::int64_t>(percent, 0, 100) * replicas;
    return round_up ? (scaled + 99) / 100 : scaled / 100;
  };
  const std::int64_t unavailable = resolve(member(rolling, "maxUnavailable"), "25%", false);
  const std::int64_t surge = resolve(member(rolling, "maxSurge"), "25%", true);
  if (unavailable == 0 && surge == 0) return std::min(1, replicas);
  return static_cast<int>(std::min<std::int64_t>(unavailable, replicas));
}

// One condition as the deployment controller's SetDeploymentCondition keeps it: an unchanged
// condition keeps its times; a new reason with the same status keeps lastTransitionTime.
Json deployment_condition(const Json& previous, const char* type, bool status, const std::string& reason,
                          const std::string& message, const std::string& now) {
  Json c = {{"type", type}, {"status", status ? "True" : "False"}, {"reason", reason}, {"message", message},
            {"lastUpdateTime", now}, {"lastTransitionTime", now}};
  if (!previous.is_array()) return c;
  for (const Json& old : previous) {
    if (string_or_empty(member(old, "type")) != type || member(old, "status") != c["status"]) continue;
    if (old.contains("lastTransitionTime")) c["lastTransitionTime"] = old["lastTransitionTime"];
    if (member(old, "reason") == c["reason"] && member(old, "message") == c["message"] && old.contains("lastUpdateTime"))
      c["lastUpdateTime"] = old["lastUpdateTime"];
  }
  return c;
}

int write_status(ApiStore& store, const Object& object, Json status) {
  const Json& current = member(object.doc, "status");
  if (current == status) return 0;
  return store.update_status(key_of(object), std::move(status)).ok() ? 1 : 0;
}

// Resolves a Service port's targetPort against one pod: a number, a container port name
// (matching protocol), or absent = the Service port. nullopt: the pod lacks the named port.
std::optional<std::int64_t> resolve_target_port(const Json& service_port, const Json& pod) {
  const Json& port = member(service_port, "port");
  const Json& target = member(service_port, "targetPort");
  std::string protocol = string_or_empty(member(service_port, "protocol"));
  if (protocol.empty()) protocol = "TCP";
  if (target.is_number_integer() && target.get<std::int64_t>() != 0) return target.get<std::int64_t>();
  if (target.is_string() && !target.get<std::string>().empty()) {
    const std::string name = target.get<std::string>();
    if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      std::int64_t number = 0;  // out of range (a hostile "99999999999999999999"): no port
      const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), number);
      if (error != std::errc() || end != name.data() + name.size()) return std::nullopt;
      return number;
    }
    const Json& containers = member(member(pod, "spec"), "containers");
    if (containers.is_array())
      for (const Json& container : containers) {
        const Json& ports = member(container, "ports");
        if (!ports.is_array()) continue;
        for (const Json& p : ports) {
          std::string p_protocol = string_or_empty(member(p, "protocol"));
          if (p_protocol.empty()) p_protocol = "TCP";
          if (string_or_empty(member(p, "name")) == name && p_protocol == protocol &&
              member(p, "containerPort").is_number_integer())
            return member(p, "containerPort").get<std::int64_t>();
        }
      }
    return std::nullopt;
  }
  if (port.is_number_integer()) return port.get<std::int64_t>();
  return std::nullopt;
}

using model::make_object;

}  // namespace

std::string ControllerSet::pod_template_hash(const Json& pod_template) {
  // Kubernetes hashes the Go struct with FNV-32a and encodes fmt.Sprint(hash); gwsim hashes a
  // canonical (key-sorted) JSON dump, so the hash has the real shape and changes exactly when
  // the template does (a null field being an absent one, as in the Go struct, and quantities
  // in their stored form).
  return detail::safe_encode(std::to_string(detail::fnv32a(canonical_template(pod_template).dump())));
}

std::string ControllerSet::name_suffix(const std::string& owner, int index) {
  return detail::suffix(owner, index, 0);
}

std::string ControllerSet::pod_ip(std::uint32_t n) {
  // 254 hosts per /24 (no .0 / .255 look-alikes), starting at 127.1.0.1: never 127.0.0.1,
  // which the gateway and the test client use.
  std::uint32_t block = n / 254;
  std::uint32_t host = n % 254 + 1;
  std::uint32_t third = block % 256;
  std::uint32_t second = 1 + (block / 256) % 255;
  char buf[32];
  std::snprintf(buf, sizeof buf, "127.%u.%u.%u", second, third, host);
  return buf;
}

std::string ControllerSet::allocate_ip(const std::string& pod_key) {
  std::string ip;
  do ip = pod_ip(next_ip_++);
  while (used_ips_.count(ip));  // skip addresses that manifests gave their pods
  used_ips_.insert(ip);
  ips_[pod_key] = ip;
  return ip;
}

int ControllerSet::reconcile() {
  std::lock_guard lock(*mu_);
  int total = 0;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    int written = reconcile_workloads() + reconcile_endpoints();
    if (options_.load_balancers) written += reconcile_load_balancers(store_);
    total += written;
    if (written == 0) break;
  }
  return total;
}

int ControllerSet::reconcile_workloads() {
  int written = 0;
  if (options_.istio_gateway_controllers)
    written += create_builtin_gateway_classes(store_) + write_gateway_class_status(store_) +
               reconcile_gateway_deployments(store_);
  written += collect_garbage();
  index_dependents();
  for (const Object& d : store_.list("apps", "Deployment")) written += reconcile_deployment(d);
  for (const Object& rs : store_.list("apps", "ReplicaSet")) written += reconcile_replicaset(rs);
  for (const Object& sts : store_.list("apps", "StatefulSet")) written += reconcile_statefulset(sts);
  for (const Object& ds : store_.list("apps", "DaemonSet")) written += reconcile_daemonset(ds);
  for (const Object& pod : store_.list("", "Pod")) written += ensure_pod_status(pod);
  index_dependents();
  written += update_workload_statuses();
  return written;
}

void ControllerSet::index_dependents() {
  dependents_.clear();
  used_ips_.clear();
  for (const auto& [group, kind] : {std::pair<const char*, const char*>{"apps", "ReplicaSet"}, {"", "Pod"}}) {
    for (Object& object : store_.list(group, kind)) {
      if (std::string ip = string_or_empty(member(member(object.doc, "status"), "podIP")); !ip.empty())
        used_ips_.insert(ip);
      const Json* ref = controller_ref(object.doc);
      if (!ref) continue;
      std::string uid = string_or_empty(member(*ref, "uid"));
      std::string name = object.name();
      dependents_[uid].emplace(std::move(name), std::move(object));
    }
  }
}

const std::map<std::string, Object>& ControllerSet::owned(const Object& owner) const {
  static const std::map<std::string, Object> kNone;
  auto it = dependents_.find(uid_of(owner));
  return it == dependents_.end() ? kNone : it->second;
}

// The garbage collector, for what our controllers create: a Pod or ReplicaSet whose
// controlling owner is gone (or was replaced: other uid) is deleted. Only owners this store
// minted count, so objects pasted from a real cluster with foreign ownerReferences stay.
int ControllerSet::collect_garbage() {
  int written = 0;
  for (const auto& [group, kind] : {std::pair<const char*, const char*>{"apps", "ReplicaSet"}, {"", "Pod"}}) {
    for (const Object& dependent : store_.list(group, kind)) {
      const Json* ref = controller_ref(dependent.doc);
      if (!ref) continue;
      std::string uid = string_or_empty(member(*ref, "uid"));
      if (!store_.issued_uid(uid)) continue;
      std::string api_version = string_or_empty(member(*ref, "apiVersion"));
      auto slash = api_version.find('/');
      std::string owner_group = slash == std::string::npos ? "" : api_version.substr(0, slash);
      auto owner = store_.get({owner_group, string_or_empty(member(*ref, "kind")), dependent.namespace_(),
                               string_or_empty(member(*ref, "name"))});
      if (owner && uid_of(*owner) == uid) continue;
      if (store_.remove(key_of(dependent)).ok()) ++written;
    }
  }
  // What Istio's deployment controller writes carries plain owner references (no controller):
  // Kubernetes deletes such a dependent once none of its owners exists any more.
  for (const auto& [group, kind] : {std::pair<const char*, const char*>{"apps", "Deployment"},
                                    {"", "Service"},
                                    {"", "ServiceAccount"}}) {
    for (const Object& dependent : store_.list(group, kind)) {
      const Json& refs = member(member(dependent.doc, "metadata"), "ownerReferences");
      if (!refs.is_array() || refs.empty()) continue;
      bool owned = false;
      for (const Json& ref : refs) {
        std::string uid = string_or_empty(member(ref, "uid"));
        if (!store_.issued_uid(uid)) {
          owned = true;  // an owner from elsewhere: not ours to judge
          break;
        }
        std::string api_version = string_or_empty(member(ref, "apiVersion"));
        auto slash = api_version.find('/');
        std::string owner_group = slash == std::string::npos ? "" : api_version.substr(0, slash);
        auto owner = store_.get(normalized_key({owner_group, string_or_empty(member(ref, "kind")),
                                                dependent.namespace_(), string_or_empty(member(ref, "name"))}));
        if (owner && uid_of(*owner) == uid) {
          owned = true;
          break;
        }
      }
      if (!owned && store_.remove(key_of(dependent)).ok()) ++written;
    }
  }
  return written;
}

// Deployment -> one ReplicaSet per template ("<deployment>-<pod-template-hash>"), scaled to
// spec.replicas; the ReplicaSets of older templates are kept at 0 replicas, as Kubernetes
// keeps them for rollback. The rollout is instantaneous.
int ControllerSet::reconcile_deployment(const Object& deployment) {
  const Json& spec = member(deployment.doc, "spec");
  const Json pod_template = canonical_template(member(spec, "template"));
  const std::string hash = pod_template_hash(pod_template);
  const std::string rs_name = deployment.name() + "-" + hash;
  const int replicas = replicas_of(spec);
  int written = 0;

  Json rs_template = pod_template.is_object() ? pod_template : Json::object();
  rs_template["metadata"]["labels"]["pod-template-hash"] = hash;
  Json selector = member(spec, "selector").is_object() ? member(spec, "selector") : Json::object();
  selector["matchLabels"]["pod-template-hash"] = hash;
  Json rs_spec = {{"replicas", replicas}, {"selector", selector}, {"template", rs_template}};

  // Revisions (deployment controller getNewReplicaSet, SetNewReplicaSetAnnotations): the
  // current ReplicaSet's revision is one past the highest of the others, so a rollback to an
  // old template reuses its ReplicaSet under a new revision; `kubectl rollout history` and
  // `rollout undo` read them.
  std::int64_t max_old_revision = 0;
  for (const auto& [name, rs] : owned(deployment))
    if (rs.kind() == "ReplicaSet" && name != rs_name) max_old_revision = std::max(max_old_revision, revision_of(rs));
  const std::string revision = std::to_string(max_old_revision + 1);

  for (const auto& [name, rs] : owned(deployment)) {
    if (rs.kind() != "ReplicaSet" || name == rs_name) continue;
    if (replicas_of(member(rs.doc, "spec")) == 0) continue;
    Object scaled = rs;
    scaled.doc["spec"]["replicas"] = 0;
    if (store_.update(std::move(scaled)).ok()) ++written;
  }

  Json rs_annotations = {{kRevisionAnnotation, revision}};
  const Json& change_cause = member(member(member(deployment.doc, "metadata"), "annotations"), kChangeCauseAnnotation);
  if (change_cause.is_string()) rs_annotations[kChangeCauseAnnotation] = change_cause;
  auto existing = store_.get({"apps", "ReplicaSet", deployment.namespace_(), rs_name});
  std::string current_revision = revision;
  if (!existing) {
    Json meta = {{"name", rs_name},
                 {"namespace", deployment.namespace_()},
                 {"labels", rs_template["metadata"]["labels"]},
                 {"annotations", rs_annotations},
                 {"ownerReferences", Json::array({owner_reference(deployment)})}};
    Json doc = {{"apiVersion", "apps/v1"}, {"kind", "ReplicaSet"}, {"metadata", meta}, {"spec", rs_spec}};
    if (store_.create(make_object(std::move(doc))).ok()) ++written;
  } else if (controlled_by(*existing, deployment)) {
    Object updated = *existing;
    bool changed = false;
    if (member(existing->doc, "spec") != rs_spec) {
      updated.doc["spec"] = rs_spec;
      changed = true;
    }
    // Only ever raised: a ReplicaSet that is current again gets the next revision.
    if (revision_of(*existing) < max_old_revision + 1) {
      updated.doc["metadata"]["annotations"][kRevisionAnnotation] = revision;
      changed = true;
    } else {
      current_revision = std::to_string(revision_of(*existing));
    }
    if (change_cause.is_string() && member(member(existing->doc["metadata"], "annotations"), kChangeCauseAnnotation) != change_cause) {
      updated.doc["metadata"]["annotations"][kChangeCauseAnnotation] = change_cause;
      changed = true;
    }
    if (changed && store_.update(std::move(updated)).ok()) ++written;
  }
  // The Deployment carries its current revision too (kubectl rollout history --revision reads it).
  if (string_or_empty(member(member(member(deployment.doc, "metadata"), "annotations"), kRevisionAnnotation)) !=
      current_revision) {
    Object annotated = deployment;
    annotated.doc["metadata"]["annotations"][kRevisionAnnotation] = current_revision;
    if (store_.update(std::move(annotated)).ok()) ++written;
  }
  // A ReplicaSet of that name that is not ours: Kubernetes would bump collisionCount; gwsim
  // leaves both alone (the hash of a different template never collides in practice).
  return written;
}

int ControllerSet::create_pod(const Object& owner, const std::string& name, const Json& pod_template,
                              const Json& extra_labels, const Json& extra_spec) {
  const std::string ns = owner.namespace_();
  const std::string now = format_timestamp(store_.now());
  const Json& template_meta = member(pod_template, "metadata");
  Json labels = member(template_meta, "labels").is_object() ? member(template_meta, "labels") : Json::object();
  for (const auto& [key, value] : extra_labels.items()) labels[key] = value;

  Json meta = {{"name", name},
               {"namespace", ns},
               {"labels", labels},
               {"ownerReferences", Json::array({owner_reference(owner)})}};
  if (member(template_meta, "annotations").is_object()) meta["annotations"] = member(template_meta, "annotations");
  Json spec = member(pod_template, "spec").is_object() ? member(pod_template, "spec") : Json::object();
  for (const auto& [key, value] : extra_spec.items()) spec[key] = value;

  const std::string ip = allocate_ip(ns + "/" + name);
  Json status = {{"phase", "Running"},
                 {"conditions", ready_conditions(now)},
                 {"podIP", ip},
                 {"podIPs", Json::array({{{"ip", ip}}})},
                 {"startTime", now}};
  Json doc = {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", meta}, {"spec", spec}, {"status", status}};
  return store_.create(make_object(std::move(doc))).ok() ? 1 : 0;
}

// ReplicaSet -> spec.replicas pods "<replicaset>-<suffix>". The suffix of the i-th pod is a
// hash of (replicaset, i), so scaling down removes the highest indexes and scaling back up
// brings the same names back. Like Kubernetes, a template change does not touch running pods
// (Deployments roll by creating a new ReplicaSet instead).
int ControllerSet::reconcile_replicaset(const Object& rs) {
  const std::string ns = rs.namespace_();
  int written = 0;
  const int replicas = capped_replicas(rs, replicas_of(member(rs.doc, "spec")), written);
  const std::map<std::string, Object>& pods = owned(rs);

  // Which index each owned pod holds (names are candidate(i, salt) for a small salt).
  const int limit = std::max<int>(replicas, static_cast<int>(pods.size())) + 16;
  std::map<std::string, int> index_of;
  for (int i = 0; i < limit; ++i)
    for (int salt = 0; salt < kMaxSalt; ++salt)
      index_of.emplace(rs.name() + "-" + detail::suffix(rs.name(), i, salt), i);

  std::set<int> held;
  for (const auto& [name, pod] : pods) {
    auto it = index_of.find(name);
    if (it != index_of.end() && it->second < replicas && held.insert(it->second).second) continue;
    if (store_.remove(key_of(pod)).ok()) ++written;  // scaled away, or not one of ours by name
  }

  const Json& pod_template = member(member(rs.doc, "spec"), "template");
  for (int i = 0; i < replicas; ++i) {
    if (held.count(i)) continue;
    // A name already used (by a sibling's salted name or a foreign pod) takes the next salt.
    for (int salt = 0; salt < kMaxSalt; ++salt) {
      std::string name = rs.name() + "-" + detail::suffix(rs.name(), i, salt);
      if (pod_name_taken(store_, ns, name)) continue;
      written += create_pod(rs, name, pod_template, Json::object(), Json::object());
      break;
    }
  }
  return written;
}

int ControllerSet::capped_replicas(const Object& workload, int replicas, int& written) {
  const int limit = std::max(0, options_.max_pods_per_workload);
  if (replicas <= limit) return replicas;
  // One Event per workload and limit, as the controller's "FailedCreate" events read.
  const std::string name = workload.name() + ".gwsim-pod-limit";
  if (!store_.get({"", "Event", workload.namespace_(), name})) {
    const std::string now = format_timestamp(store_.now());
    const std::string message = "spec.replicas " + std::to_string(replicas) + " is over gwsim's limit of " +
                                std::to_string(limit) + " pods per workload (max_pods_per_workload): created " +
                                std::to_string(limit);
    const Json involved = {{"apiVersion", string_or_empty(member(workload.doc, "apiVersion"))},
                           {"kind", workload.kind()},
                           {"namespace", workload.namespace_()},
                           {"name", workload.name()},
                           {"uid", uid_of(workload)}};
    const std::string component = workload.kind() == "StatefulSet" ? "statefulset-controller" : "replicaset-controller";
    Json doc = {{"apiVersion", "v1"}, {"kind", "Event"},
                {"metadata", {{"name", name}, {"namespace", workload.namespace_()}}},
                {"involvedObject", involved}, {"reason", "FailedCreate"}, {"message", message}, {"type", "Warning"},
                {"count", 1}, {"firstTimestamp", now}, {"lastTimestamp", now}, {"source", {{"component", component}}}};
    if (store_.create(make_object(std::move(doc))).ok()) ++written;
  }
  return limit;
}

// StatefulSet -> pods "<statefulset>-<ordinal>". A template change replaces every pod (same
// name, new uid and IP), as a rolling update ends up doing.
int ControllerSet::reconcile_statefulset(const Object& sts) {
  const Json& spec = member(sts.doc, "spec");
  const Json& pod_template = member(spec, "template");
  const std::string revision = sts.name() + "-" + pod_template_hash(pod_template);
  int written = 0;
  const int replicas = capped_replicas(sts, replicas_of(spec), written);
  // Ordinals in 64 bits: start + replicas may pass 2^31 - 1.
  const std::int64_t start = non_negative_int32(member(member(spec, "ordinals"), "start"), 0);
  const std::map<std::string, Object>& pods = owned(sts);

  std::set<std::string> desired;
  for (std::int64_t i = start; i < start + replicas; ++i) desired.insert(sts.name() + "-" + std::to_string(i));
  for (const auto& [name, pod] : pods) {
    if (desired.count(name) && revision_label(pod.doc) == revision) continue;
    if (store_.remove(key_of(pod)).ok()) ++written;
  }
  for (std::int64_t i = start; i < start + replicas; ++i) {
    std::string name = sts.name() + "-" + std::to_string(i);
    if (pod_name_taken(store_, sts.namespace_(), name)) continue;
    Json labels = {{"controller-revision-hash", revision},
                   {"statefulset.kubernetes.io/pod-name", name},
                   {"apps.kubernetes.io/pod-index", std::to_string(i)}};
    Json extra_spec = {{"hostname", name}};
    if (!string_or_empty(member(spec, "serviceName")).empty())
      extra_spec["subdomain"] = string_or_empty(member(spec, "serviceName"));
    written += create_pod(sts, name, pod_template, labels, extra_spec);
  }
  return written;
}

// DaemonSet -> one pod (gwsim has one node), "<daemonset>-<suffix>"; a template change
// replaces it.
int ControllerSet::reconcile_daemonset(const Object& ds) {
  const Json& pod_template = member(member(ds.doc, "spec"), "template");
  const std::string hash = pod_template_hash(pod_template);
  const std::map<std::string, Object>& pods = owned(ds);
  int written = 0;
  bool have_current = false;
  for (const auto& [name, pod] : pods) {
    if (!have_current && revision_label(pod.doc) == hash) {
      have_current = true;
      continue;
    }
    if (store_.remove(key_of(pod)).ok()) ++written;
  }
  if (have_current) return written;
  for (int salt = 0; salt < kMaxSalt; ++salt) {
    std::string name = ds.name() + "-" + detail::suffix(ds.name() + "/" + hash, 0, salt);
    if (pod_name_taken(store_, ds.namespace_(), name)) continue;
    Json labels = {{"controller-revision-hash", hash},
                   {"pod-template-generation", std::to_string(generation_of(ds))}};
    written += create_pod(ds, name, pod_template, labels, Json::object());
    break;
  }
  return written;
}

// Every pod (bare ones from manifests too) runs: it gets a loopback IP unless it has one in
// 127.0.0.0/8, and Ready conditions unless it has a Ready condition. A Ready condition that
// someone set False (a `pods: ready: false` step) is left alone.
int ControllerSet::ensure_pod_status(const Object& pod) {
  const Json& current = member(pod.doc, "status");
  Json status = current.is_object() ? current : Json::object();
  const std::string now = format_timestamp(store_.now());
  if (!datapath::is_ipv4_loopback(string_or_empty(member(status, "podIP")))) {
    std::string ip = allocate_ip(pod.namespace_() + "/" + pod.name());
    status["podIP"] = ip;
    status["podIPs"] = Json::array({{{"ip", ip}}});
  }
  if (!member(status, "phase").is_string()) status["phase"] = "Running";
  if (!member(status, "startTime").is_string()) status["startTime"] = now;
  Json& conditions = status["conditions"];
  if (!conditions.is_array()) conditions = Json::array();
  auto has = [&](const char* type) {
    return std::any_of(conditions.begin(), conditions.end(),
                       [&](const Json& c) { return string_or_empty(member(c, "type")) == type; });
  };
  // Someone else's Ready condition (True or False) means they manage readiness: keep it all.
  if (!has("Ready"))
    for (const char* type : kReadyConditions)
      if (!has(type)) conditions.push_back({{"type", type}, {"status", "True"}, {"lastTransitionTime", now}});
  return write_status(store_, pod, std::move(status));
}

// status.replicas / readyReplicas / ... of every workload, as `kubectl get` shows them.
int ControllerSet::update_workload_statuses() {
  int written = 0;
  for (const Object& rs : store_.list("apps", "ReplicaSet")) {
    const auto& pods = owned(rs);
    int ready = count_ready(pods);
    Json status = {{"replicas", static_cast<int>(pods.size())}};
    put_count(status, "fullyLabeledReplicas", static_cast<int>(pods.size()));
    put_count(status, "readyReplicas", ready);
    put_count(status, "availableReplicas", ready);
    put_count(status, "observedGeneration", generation_of(rs));
    written += write_status(store_, rs, std::move(status));
  }
  for (const Object& d : store_.list("apps", "Deployment")) {
    const std::string current = d.name() + "-" + pod_template_hash(member(member(d.doc, "spec"), "template"));
    int total = 0, ready = 0, updated = 0;
    for (const auto& [name, rs] : owned(d)) {
      if (rs.kind() != "ReplicaSet") continue;
      const auto& pods = owned(rs);
      total += static_cast<int>(pods.size());
      ready += count_ready(pods);
      if (rs.name() == current) updated += static_cast<int>(pods.size());
    }
    Json status = Json::object();
    put_count(status, "observedGeneration", generation_of(d));
    put_count(status, "replicas", total);
    put_count(status, "updatedReplicas", updated);
    put_count(status, "readyReplicas", ready);
    put_count(status, "availableReplicas", ready);
    const Json& spec = member(d.doc, "spec");
    const int desired = replicas_of(spec);
    put_count(status, "unavailableReplicas", std::max(0, desired - ready));
    // Available and Progressing, as the deployment controller writes them (sync.go
    // syncRolloutStatus, progress.go): `kubectl wait --for=condition=Available` reads them.
    const std::string now = format_timestamp(store_.now());
    const Json& previous = member(member(d.doc, "status"), "conditions");
    const bool available = ready >= desired - max_unavailable(spec, desired);
    const bool complete = updated == desired && total == desired && ready == desired;
    Json conditions = Json::array();
    conditions.push_back(deployment_condition(
        previous, "Available", available, available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now));
    conditions.push_back(deployment_condition(
        previous, "Progressing", true, complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
        "ReplicaSet \"" + current + (complete ? "\" has successfully progressed." : "\" is progressing."), now));
    status["conditions"] = std::move(conditions);
    written += write_status(store_, d, std::move(status));
  }
  for (const Object& sts : store_.list("apps", "StatefulSet")) {
    const auto& pods = owned(sts);
    int ready = count_ready(pods);
    const std::string revision = sts.name() + "-" + pod_template_hash(member(member(sts.doc, "spec"), "template"));
    Json status = {{"replicas", static_cast<int>(pods.size())},
                   {"currentRevision", revision},
                   {"updateRevision", revision},
                   {"collisionCount", 0}};
    put_count(status, "observedGeneration", generation_of(sts));
    put_count(status, "readyReplicas", ready);
    put_count(status, "availableReplicas", ready);
    put_count(status, "currentReplicas", static_cast<int>(pods.size()));
    put_count(status, "updatedReplicas", static_cast<int>(pods.size()));
    written += write_status(store_, sts, std::move(status));
  }
  for (const Object& ds : store_.list("apps", "DaemonSet")) {
    const auto& pods = owned(ds);
    int n = static_cast<int>(pods.size());
    int ready = count_ready(pods);
    Json status = {{"currentNumberScheduled", n},
                   {"desiredNumberScheduled", 1},
                   {"numberMisscheduled", 0},
                   {"numberReady", ready}};
    put_count(status, "observedGeneration", generation_of(ds));
    put_count(status, "numberAvailable", ready);
    put_count(status, "numberUnavailable", 1 - ready);
    put_count(status, "updatedNumberScheduled", n);
    written += write_status(store_, ds, std::move(status));
  }
  return written;
}

// Service -> Endpoints of the same name, as the Kubernetes endpoints controller writes them:
// the pods matching the selector in the Service's namespace, ready ones in `addresses`, the
// others in `notReadyAddresses`, grouped into subsets by their resolved port lists. Services
// without a selector keep whatever Endpoints the user wrote.
int ControllerSet::reconcile_endpoints() {
  int written = 0;
  // Candidate pods per namespace, with their labels, read once for all Services.
  std::map<std::string, std::vector<std::pair<Labels, Object>>> pods_by_namespace;
  for (Object& pod : store_.list("", "Pod")) {
    if (is_terminal(pod.doc) || !member(member(pod.doc, "metadata"), "deletionTimestamp").is_null()) continue;
    if (string_or_empty(member(member(pod.doc, "status"), "podIP")).empty()) continue;
    Labels labels = labels_of(member(member(pod.doc, "metadata"), "labels"));
    std::string ns = pod.namespace_();
    pods_by_namespace[ns].emplace_back(std::move(labels), std::move(pod));
  }

  for (const Object& svc : store_.list("", "Service")) {
    const Json& spec = member(svc.doc, "spec");
    const Json& selector = member(spec, "selector");
    if (!selector.is_object() || selector.empty()) continue;
    if (string_or_empty(member(spec, "type")) == "ExternalName") continue;
    const Labels wanted = labels_of(selector);
    const bool publish_not_ready =
        member(spec, "publishNotReadyAddresses").is_boolean() && member(spec, "publishNotReadyAddresses").get<bool>();
    const Json& service_ports = member(spec, "ports");

    struct Subset {
      Json ports;
      std::vector<std::pair<std::uint32_t, Json>> ready, not_ready;  // (ip as number, address)
    };
    std::vector<Subset> subsets;
    for (const auto& [labels, pod] : pods_by_namespace[svc.namespace_()]) {
      if (!model::selects(wanted, labels)) continue;
      const std::string ip = string_or_empty(member(member(pod.doc, "status"), "podIP"));

      Json ports = Json::array();
      if (service_ports.is_array())
        for (const Json& sp : service_ports) {
          auto target = resolve_target_port(sp, pod.doc);
          if (!target) continue;  // Kubernetes skips a pod lacking a named port
          Json port = {
              {"port", *target},
              {"protocol",
               string_or_empty(member(sp, "protocol")).empty() ? "TCP" : string_or_empty(member(sp, "protocol"))}};
          if (!string_or_empty(member(sp, "name")).empty()) port["name"] = string_or_empty(member(sp, "name"));
          if (member(sp, "appProtocol").is_string()) port["appProtocol"] = member(sp, "appProtocol");
          ports.push_back(std::move(port));
        }
      if (ports.empty() && service_ports.is_array() && !service_ports.empty()) continue;

      Json address = {
          {"ip", ip},
          {"targetRef",
           {{"kind", "Pod"}, {"name", pod.name()}, {"namespace", pod.namespace_()}, {"uid", uid_of(pod)}}}};
      const Json& pod_spec = member(pod.doc, "spec");
      if (!string_or_empty(member(pod_spec, "hostname")).empty() &&
          string_or_empty(member(pod_spec, "subdomain")) == svc.name())
        address["hostname"] = string_or_empty(member(pod_spec, "hostname"));
      if (!string_or_empty(member(pod_spec, "nodeName")).empty())
        address["nodeName"] = string_or_empty(member(pod_spec, "nodeName"));

      auto it =
          std::find_if(subsets.begin(), subsets.end(), [&](const Subset& s) { return s.ports == ports; });
      if (it == subsets.end()) it = subsets.insert(subsets.end(), Subset{ports, {}, {}});
      std::uint32_t order = parse_ipv4(ip).value_or(0xffffffffu);
      (publish_not_ready || is_pod_ready(pod.doc) ? it->ready : it->not_ready)
          .emplace_back(order, std::move(address));
    }

    Json subsets_json = Json::array();
    for (Subset& s : subsets) {
      auto by_ip = [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second.dump() < b.second.dump();
      };
      std::sort(s.ready.begin(), s.ready.end(), by_ip);
      std::sort(s.not_ready.begin(), s.not_ready.end(), by_ip);
      Json subset = Json::object();
      if (!s.ready.empty()) {
        subset["addresses"] = Json::array();
        for (auto& [order, a] : s.ready) subset["addresses"].push_back(std::move(a));
      }
      if (!s.not_ready.empty()) {
        subset["notReadyAddresses"] = Json::array();
        for (auto& [order, a] : s.not_ready) subset["notReadyAddresses"].push_back(std::move(a));
      }
      if (!s.ports.empty()) subset["ports"] = std::move(s.ports);
      subsets_json.push_back(std::move(subset));
    }

    Json labels = member(member(svc.doc, "metadata"), "labels").is_object()
                      ? member(member(svc.doc, "metadata"), "labels")
                      : Json::object();
    if (string_or_empty(member(spec, "clusterIP")) == "None") labels["service.kubernetes.io/headless"] = "";
    labels[kSkipMirrorLabel] = "true";  // Kubernetes' mark on the Endpoints its controller owns

    auto existing = store_.get({"", "Endpoints", svc.namespace_(), svc.name()});
    Json doc = existing ? existing->doc
                        : Json{{"apiVersion", "v1"},
                               {"kind", "Endpoints"},
                               {"metadata", {{"name", svc.name()}, {"namespace", svc.namespace_()}}}};
    doc["metadata"]["labels"] = labels;
    if (subsets_json.empty())
      doc.erase("subsets");
    else
      doc["subsets"] = std::move(subsets_json);
    if (existing && doc == existing->doc) continue;
    Result<Object> result =
        existing ? store_.update(make_object(std::move(doc))) : store_.create(make_object(std::move(doc)));
    if (result.ok()) ++written;
  }

  // Endpoints the controller made for a Service that is gone.
  for (const Object& endpoints : store_.list("", "Endpoints")) {
    if (labels_of(member(member(endpoints.doc, "metadata"), "labels"))[kSkipMirrorLabel] != "true") continue;
    if (store_.get({"", "Service", endpoints.namespace_(), endpoints.name()})) continue;
    if (store_.remove(key_of(endpoints)).ok()) ++written;
  }
  return written;
}

}  // namespace gwsim::fakes
