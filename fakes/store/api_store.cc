#include "fakes/store/api_store.h"

#include "engine/model/detail_convert.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <utility>

namespace gwsim::fakes {

namespace {

// Kinds without a namespace, as the Kubernetes API server (and the Gateway API) files them.
// Istio's own kinds are all namespaced.
const std::set<std::pair<std::string, std::string>>& cluster_scoped_kinds() {
  static const std::set<std::pair<std::string, std::string>> kinds = {
      {"", "Namespace"},
      {"", "Node"},
      {"", "PersistentVolume"},
      {"", "ComponentStatus"},
      {"rbac.authorization.k8s.io", "ClusterRole"},
      {"rbac.authorization.k8s.io", "ClusterRoleBinding"},
      {"apiextensions.k8s.io", "CustomResourceDefinition"},
      {"admissionregistration.k8s.io", "MutatingWebhookConfiguration"},
      {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"},
      {"admissionregistration.k8s.io", "ValidatingAdmissionPolicy"},
      {"admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"},
      {"apiregistration.k8s.io", "APIService"},
      {"storage.k8s.io", "StorageClass"},
      {"storage.k8s.io", "CSIDriver"},
      {"storage.k8s.io", "CSINode"},
      {"storage.k8s.io", "VolumeAttachment"},
      {"scheduling.k8s.io", "PriorityClass"},
      {"node.k8s.io", "RuntimeClass"},
      {"networking.k8s.io", "IngressClass"},
      {"certificates.k8s.io", "CertificateSigningRequest"},
      {"flowcontrol.apiserver.k8s.io", "FlowSchema"},
      {"flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"},
      {"gateway.networking.k8s.io", "GatewayClass"},
  };
  return kinds;
}

// The civil date of a day count since 1970-01-01 (H. Hinnant's algorithms), for formatting;
// avoids gmtime, which is not thread-safe everywhere. Parsing is model::detail::parse_rfc3339.
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

std::string string_field(const Json& parent, const char* key) {
  if (!parent.is_object()) return {};
  auto it = parent.find(key);
  return it != parent.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A UUID-shaped uid from a counter: unique within the store, reproducible across runs, and
// recognisably ours (see issued_uid).
constexpr const char* kUidPrefix = "00000000-0000-4000-8000-";

std::string make_uid(std::uint64_t n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%012llx", kUidPrefix, static_cast<unsigned long long>(n));
  return buf;
}

Error key_error(const ObjectKey& key, const char* what) { return make_error(key.to_string() + " " + what); }

// Per-thread marker of the stores whose watch callbacks this thread is delivering right now,
// so that a callback that writes to the store does not deadlock on publish_mu_: its events are
// queued and the outer delivery loop hands them out afterwards, still in order.
thread_local std::vector<const ApiStore*> t_delivering;

bool delivering_here(const ApiStore* store) {
  return std::find(t_delivering.begin(), t_delivering.end(), store) != t_delivering.end();
}

}  // namespace

std::string ObjectKey::to_string() const {
  return kind + " " + (namespace_.empty() ? name : namespace_ + "/" + name);
}

bool is_cluster_scoped(const std::string& group, const std::string& kind) {
  return cluster_scoped_kinds().count({group, kind}) > 0;
}

ObjectKey normalized_key(ObjectKey key) {
  if (is_cluster_scoped(key.group, key.kind))
    key.namespace_.clear();
  else if (key.namespace_.empty())
    key.namespace_ = "default";
  return key;
}

ObjectKey key_of(const Object& object) {
  return normalized_key({object.group(), object.kind(), object.namespace_(), object.name()});
}

StoreErrorKind store_error_kind(const Error& error) {
  const std::string& m = error.message;
  auto ends_with = [&](const std::string& tail) {
    return m.size() >= tail.size() && m.compare(m.size() - tail.size(), tail.size(), tail) == 0;
  };
  if (m.rfind("conflict:", 0) == 0) return StoreErrorKind::kConflict;
  if (m.rfind("invalid:", 0) == 0) return StoreErrorKind::kInvalid;
  if (ends_with(" not found")) return StoreErrorKind::kNotFound;
  if (ends_with(" already exists")) return StoreErrorKind::kAlreadyExists;
  return StoreErrorKind::kOther;
}

const char* event_type_name(EventType type) {
  switch (type) {
    case EventType::kAdded:
      return "ADDED";
    case EventType::kModified:
      return "MODIFIED";
    case EventType::kDeleted:
      return "DELETED";
  }
  return "UNKNOWN";
}

std::string format_timestamp(std::int64_t unix_seconds) {
  std::int64_t days = unix_seconds / 86400;
  std::int64_t rem = unix_seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m, d,
                static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  return buf;
}

// RFC 3339: date "T" time [fraction] ("Z" | ±hh:mm). The fraction is dropped: Kubernetes
// keeps creationTimestamp at second resolution.
std::optional<std::int64_t> parse_timestamp(const std::string& text) {
  return model::detail::parse_rfc3339(text);  // one RFC 3339 reader for the whole project
}

bool ApiStore::issued_uid(const std::string& uid) const {
  const std::string prefix = kUidPrefix;
  if (uid.size() != prefix.size() + 12 || uid.compare(0, prefix.size(), prefix) != 0) return false;
  std::uint64_t n = 0;
  for (std::size_t i = prefix.size(); i < uid.size(); ++i) {
    char c = uid[i];
    int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0) return false;
    n = n * 16 + static_cast<std::uint64_t>(v);
  }
  std::lock_guard lock(mu_);
  return n >= 1 && n < next_uid_;
}

Result<Object> ApiStore::apply(Object object) { return write(std::move(object), true, true); }
Result<Object> ApiStore::create(Object object) { return write(std::move(object), true, false); }
Result<Object> ApiStore::update(Object object) { return write(std::move(object), false, true); }

Result<Object> ApiStore::write(Object object, bool allow_create, bool allow_update) {
  Json& doc = object.doc;
  if (!doc.is_object()) return make_error("invalid: an object must be a mapping", object.where(""));
  if (object.kind().empty()) return make_error("invalid: kind is required", object.where("/kind"));
  if (object.api_version().empty())
    return make_error("invalid: apiVersion is required", object.where("/apiVersion"));
  if (!doc.contains("metadata") || !doc["metadata"].is_object())
    return make_error("invalid: metadata is required", object.where("/metadata"));
  if (object.name().empty())
    return make_error("invalid: metadata.name is required", object.where("/metadata"));

  const ObjectKey key = key_of(object);
  Json& meta = doc["metadata"];
  if (key.namespace_.empty())
    meta.erase("namespace");
  else
    meta["namespace"] = key.namespace_;

  // A given creationTimestamp is kept (normalised to seconds); `null`, as `kubectl get -o yaml`
  // prints for unsaved objects, counts as absent.
  std::optional<std::string> given_timestamp;
  if (auto it = meta.find("creationTimestamp"); it != meta.end() && !it->is_null()) {
    auto parsed = it->is_string() ? parse_timestamp(it->get<std::string>()) : std::nullopt;
    if (!parsed)
      return make_error(
          "invalid: metadata.creationTimestamp: expected an RFC 3339 time such as "
          "2026-01-01T00:00:00Z",
          object.where("/metadata/creationTimestamp"));
    given_timestamp = format_timestamp(*parsed);
  }

  Result<Object> result = make_error("unreachable");
  {
    std::lock_guard lock(mu_);
    auto it = objects_.find(key);
    if (it == objects_.end()) {
      if (!allow_create) return key_error(key, "not found");
      meta["uid"] = make_uid(next_uid_++);
      meta["resourceVersion"] = std::to_string(++rv_);
      meta["generation"] = 1;
      meta["creationTimestamp"] = given_timestamp ? *given_timestamp : format_timestamp(clock_.now());
      it = objects_.emplace(key, object).first;
      record({EventType::kAdded, it->second, rv_});
      result = it->second;
    } else {
      if (!allow_update) return key_error(key, "already exists");
      Object& stored = it->second;
      const Json& old_meta = stored.doc["metadata"];
      if (!allow_create) {
        // update(): optimistic concurrency on a carried resourceVersion.
        std::string carried = string_field(meta, "resourceVersion");
        if (!carried.empty() && carried != string_field(old_meta, "resourceVersion"))
          return make_error(kConflictMessage, object.where("/metadata/resourceVersion"));
      }
      // Server-managed fields come from the stored object, so they never count as a change.
      for (const char* field : {"uid", "creationTimestamp", "resourceVersion", "generation"}) {
        if (auto f = old_meta.find(field); f != old_meta.end())
          meta[field] = *f;
        else
          meta.erase(field);
      }
      // Status is a subresource: apply/update leave it alone (update_status changes it), so a
      // re-applied manifest never wipes what the controllers wrote.
      if (auto s = stored.doc.find("status"); s != stored.doc.end())
        doc["status"] = *s;
      else
        doc.erase("status");

      if (doc == stored.doc) {
        // Nothing to write; only remember where the object was last declared.
        stored.positions = object.positions;
        stored.source = object.source;
        return stored;
      }
      Json no_spec = nullptr;
      const Json& old_spec = stored.doc.contains("spec") ? stored.doc["spec"] : no_spec;
      const Json& new_spec = doc.contains("spec") ? doc["spec"] : no_spec;
      if (old_spec != new_spec) {
        std::int64_t generation =
            old_meta.contains("generation") && old_meta["generation"].is_number_integer()
                ? old_meta["generation"].get<std::int64_t>()
                : 0;
        meta["generation"] = generation + 1;
      }
      meta["resourceVersion"] = std::to_string(++rv_);
      stored = std::move(object);
      record({EventType::kModified, stored, rv_});
      result = stored;
    }
  }
  publish({});
  return result;
}

Result<Object> ApiStore::update_status(const ObjectKey& raw_key, Json status) {
  const ObjectKey key = normalized_key(raw_key);
  Result<Object> result = make_error("unreachable");
  {
    std::lock_guard lock(mu_);
    auto it = objects_.find(key);
    if (it == objects_.end()) return key_error(key, "not found");
    Json& doc = it->second.doc;
    auto current = doc.find("status");
    bool unchanged = current == doc.end() ? status.is_null() : *current == status;
    if (unchanged) return it->second;
    if (status.is_null())
      doc.erase("status");
    else
      doc["status"] = std::move(status);
    doc["metadata"]["resourceVersion"] = std::to_string(++rv_);
    record({EventType::kModified, it->second, rv_});
    result = it->second;
  }
  publish({});
  return result;
}

Result<Object> ApiStore::remove(const ObjectKey& raw_key) {
  const ObjectKey key = normalized_key(raw_key);
  Result<Object> result = make_error("unreachable");
  {
    std::lock_guard lock(mu_);
    auto it = objects_.find(key);
    if (it == objects_.end()) return key_error(key, "not found");
    Object last = std::move(it->second);
    objects_.erase(it);
    // As in Kubernetes, the DELETED event carries the resourceVersion of the deletion.
    last.doc["metadata"]["resourceVersion"] = std::to_string(++rv_);
    record({EventType::kDeleted, last, rv_});
    result = std::move(last);
  }
  publish({});
  return result;
}

std::optional<Object> ApiStore::get(const ObjectKey& raw_key) const {
  const ObjectKey key = normalized_key(raw_key);
  std::lock_guard lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> ApiStore::resource_version_of(const ObjectKey& raw_key) const {
  const ObjectKey key = normalized_key(raw_key);
  std::lock_guard lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return std::nullopt;
  auto meta = it->second.doc.find("metadata");
  if (meta == it->second.doc.end() || !meta->is_object()) return std::string();
  auto version = meta->find("resourceVersion");
  return version != meta->end() && version->is_string() ? version->get<std::string>() : std::string();
}

std::optional<Json> ApiStore::status_of(const ObjectKey& raw_key) const {
  const ObjectKey key = normalized_key(raw_key);
  std::lock_guard lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return std::nullopt;
  auto status = it->second.doc.find("status");
  return status == it->second.doc.end() ? Json() : *status;
}

std::vector<Object> ApiStore::list(const std::string& group, const std::string& kind,
                                   const std::string& namespace_) const {
  std::vector<Object> out;
  std::lock_guard lock(mu_);
  // Keys sort by (group, kind, namespace, name), so one kind is a contiguous range.
  for (auto it = objects_.lower_bound(ObjectKey{group, kind, namespace_, ""});
       it != objects_.end() && it->first.group == group && it->first.kind == kind; ++it) {
    if (!namespace_.empty() && it->first.namespace_ != namespace_) break;
    out.push_back(it->second);
  }
  return out;
}

std::pair<std::vector<Object>, std::uint64_t> ApiStore::list_at(const std::string& group, const std::string& kind,
                                                                const std::string& namespace_) const {
  // mu_ is recursive: list() takes it again.
  std::lock_guard lock(mu_);
  return {list(group, kind, namespace_), rv_};
}

std::vector<Object> ApiStore::all() const {
  std::vector<Object> out;
  std::lock_guard lock(mu_);
  out.reserve(objects_.size());
  for (const auto& [key, object] : objects_) out.push_back(object);
  return out;
}

std::uint64_t ApiStore::resource_version() const {
  std::lock_guard lock(mu_);
  return rv_;
}

int ApiStore::watch(WatchCallback callback) {
  std::lock_guard lock(mu_);
  int id = next_watch_id_++;
  watchers_[id] = std::move(callback);
  watch_from_[id] = rv_;
  return id;
}

void ApiStore::unwatch(int id) {
  {
    std::lock_guard lock(mu_);
    watchers_.erase(id);
    watch_from_.erase(id);
  }
  // Wait for a delivery in flight on another thread, so that after unwatch() returns the
  // callback is not running and will not run again (its captures may then be destroyed).
  if (!delivering_here(this)) std::lock_guard wait(publish_mu_);
}

std::optional<std::vector<WatchEvent>> ApiStore::events_since(std::uint64_t resource_version) const {
  std::lock_guard lock(mu_);
  std::vector<WatchEvent> out;
  if (resource_version >= rv_) return out;
  // Every write makes exactly one event, so the history is a contiguous run of versions.
  const std::size_t n = history_.size();
  if (n == 0) return std::nullopt;
  const std::uint64_t oldest = history_[history_head_ % n].resource_version;
  if (resource_version + 1 < oldest) return std::nullopt;
  for (std::size_t i = 0; i < n; ++i) {
    const WatchEvent& event = history_[(history_head_ + i) % n];
    if (event.resource_version > resource_version) out.push_back(event);
  }
  return out;
}

std::uint64_t ApiStore::oldest_event_version() const {
  std::lock_guard lock(mu_);
  if (history_.empty()) return 0;
  return history_[history_head_ % history_.size()].resource_version;
}

void ApiStore::record(WatchEvent event) {
  if (history_.size() < kHistoryLimit) {
    history_.push_back(event);
  } else {
    history_[history_head_] = event;
    history_head_ = (history_head_ + 1) % kHistoryLimit;
  }
  pending_.push_back(std::move(event));
}

// Delivers every pending event, in resourceVersion order, to the watchers registered before
// it was written. Runs without the store lock (callbacks may read or write the store);
// publish_mu_ makes one thread at a time deliver, so no callback sees events out of order.
void ApiStore::publish(std::vector<WatchEvent> events) {
  if (!events.empty()) {
    std::lock_guard lock(mu_);
    for (auto& event : events) record(std::move(event));
  }
  if (delivering_here(this)) return;  // a callback wrote: the loop below picks it up
  std::lock_guard serial(publish_mu_);
  t_delivering.push_back(this);
  struct Pop {
    ~Pop() { t_delivering.pop_back(); }
  } pop;
  // A callback may unwatch itself or another watcher mid-batch: honour that at once.
  auto still_watching = [this](int id) {
    std::lock_guard lock(mu_);
    return watchers_.count(id) > 0;
  };
  while (true) {
    std::vector<WatchEvent> batch;
    std::vector<std::tuple<int, std::uint64_t, WatchCallback>> targets;
    {
      std::lock_guard lock(mu_);
      batch.swap(pending_);
      for (const auto& [id, callback] : watchers_) targets.emplace_back(id, watch_from_[id], callback);
    }
    if (batch.empty()) return;
    for (const WatchEvent& event : batch)
      for (const auto& [id, from, callback] : targets)
        if (event.resource_version > from && still_watching(id)) callback(event);
  }
}

}  // namespace gwsim::fakes
