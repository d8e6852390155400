// ApiStore: the fake API server's storage. Namespaced and cluster-scoped objects with uid,
// resourceVersion, generation and creationTimestamp, and a watch that delivers
// ADDED / MODIFIED / DELETED events in resourceVersion order.
//
// Time is simulated: everything created by one apply shares one creationTimestamp (second
// resolution, as in Kubernetes), and each later apply is one second later, because Istio
// orders Gateways and VirtualServices by creationTimestamp, then name, then namespace.
// Thread-safe: the HTTP front (later) and the controllers share one store.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/model/object.h"
#include "engine/model/result.h"

namespace gwsim::fakes {

using model::Json;
using model::Object;

// (group, kind, namespace, name); namespace "" for cluster-scoped kinds.
struct ObjectKey {
  std::string group;
  std::string kind;
  std::string namespace_;
  std::string name;
  auto tie() const { return std::tie(group, kind, namespace_, name); }
  bool operator<(const ObjectKey& o) const { return tie() < o.tie(); }
  bool operator==(const ObjectKey& o) const { return tie() == o.tie(); }
  std::string to_string() const;  // "Kind ns/name"
};

// The key of an object; a namespaced object without namespace gets "default", a
// cluster-scoped one "" (as the store files them).
ObjectKey key_of(const Object& object);
// The same normalisation for a key built by hand (e.g. from a `delete` step).
ObjectKey normalized_key(ObjectKey key);

// What kind of failure a store Error is, for callers that map it to an HTTP status
// (404, 409 AlreadyExists, 409 Conflict, 422 Invalid).
enum class StoreErrorKind { kOther, kNotFound, kAlreadyExists, kConflict, kInvalid };
StoreErrorKind store_error_kind(const Error& error);

// Kubernetes' wording of the optimistic-concurrency failure (the message of a kConflict error).
inline constexpr const char* kConflictMessage =
    "conflict: the object has been modified; please apply your changes to the latest version "
    "and try again";

enum class EventType { kAdded, kModified, kDeleted };
const char* event_type_name(EventType type);  // "ADDED", ...

struct WatchEvent {
  EventType type;
  Object object;  // the object after the change (for DELETED: the last state)
  std::uint64_t resource_version = 0;
};

using WatchCallback = std::function<void(const WatchEvent&)>;

// A clock in whole seconds. Starts at a fixed instant so runs are reproducible.
// Atomic: the API server's handler threads move it to the wall clock while runtime::ControlPlane
// advances it per apply.
class SimulatedClock {
 public:
  static constexpr std::int64_t kEpoch = 1767225600;  // 2026-01-01T00:00:00Z
  std::int64_t now() const { return now_.load(std::memory_order_relaxed); }
  void advance(std::int64_t seconds = 1) { now_.fetch_add(seconds, std::memory_order_relaxed); }
  // Move forward to `target` unless it is already there or later (never backwards).
  void advance_to(std::int64_t target) {
    std::int64_t current = now();
    while (current < target && !now_.compare_exchange_weak(current, target, std::memory_order_relaxed)) {
    }
  }

 private:
  std::atomic<std::int64_t> now_{kEpoch};
};

// RFC 3339 with second resolution: "2026-01-01T00:00:00Z".
std::string format_timestamp(std::int64_t unix_seconds);
std::optional<std::int64_t> parse_timestamp(const std::string& text);

// Whether a kind is cluster-scoped (Namespace, ...).
bool is_cluster_scoped(const std::string& group, const std::string& kind);

class ApiStore {
 public:
  ApiStore() = default;
  ApiStore(const ApiStore&) = delete;
  ApiStore& operator=(const ApiStore&) = delete;

  // Create or update. On create: uid, resourceVersion, generation 1, creationTimestamp (kept
  // when the object has one), namespace defaulted to "default" for namespaced kinds. On update:
  // uid and creationTimestamp kept, resourceVersion bumped, generation bumped when spec changed.
  // An unchanged object is not written again (no event), as kubectl apply of the same file.
  Result<Object> apply(Object object);

  // Create only: error "already exists" if present.
  Result<Object> create(Object object);
  // Update only, with optimistic concurrency: when the object carries a resourceVersion that
  // differs from the stored one, error "conflict".
  Result<Object> update(Object object);
  // Replace status only (controllers).
  Result<Object> update_status(const ObjectKey& key, Json status);

  Result<Object> remove(const ObjectKey& key);

  std::optional<Object> get(const ObjectKey& key) const;
  // Parts of an object without copying the rest (a control plane checking its own status
  // writes among 1,000 objects): metadata.resourceVersion, and `status` (null when absent).
  std::optional<std::string> resource_version_of(const ObjectKey& key) const;
  std::optional<Json> status_of(const ObjectKey& key) const;
  // All objects of a kind (namespace "" = all namespaces), sorted by namespace then name.
  std::vector<Object> list(const std::string& group, const std::string& kind,
                           const std::string& namespace_ = "") const;
  std::vector<Object> all() const;  // every object, sorted by key
  // list() and the resourceVersion it reflects, read under one lock (a list's
  // metadata.resourceVersion: a watch from that version continues the list without gaps).
  std::pair<std::vector<Object>, std::uint64_t> list_at(const std::string& group, const std::string& kind,
                                                        const std::string& namespace_ = "") const;

  std::uint64_t resource_version() const;  // of the latest write

  // Watch every change from now on; returns an id for unwatch. Callbacks run synchronously on
  // the writer's thread, after the store's lock is released, in resourceVersion order.
  // One callback runs at a time: when writers race, the one delivering hands out the other's
  // events too, and every write returns only once its event was delivered. A write made from
  // inside a callback is delivered right after that callback's batch (callbacks may read and
  // write the store). After unwatch() returns (called outside a callback) the callback is
  // not running and never runs again.
  int watch(WatchCallback callback);
  void unwatch(int id);
  // Events after `resource_version` still in the bounded history (for watch replay), or
  // nullopt when that version is older than the history (HTTP 410 Gone).
  std::optional<std::vector<WatchEvent>> events_since(std::uint64_t resource_version) const;
  // The resourceVersion of the oldest event still in that history (0 before any write).
  std::uint64_t oldest_event_version() const;

  SimulatedClock& clock() { return clock_; }
  std::int64_t now() const { return clock_.now(); }

  // Whether this store minted `uid` (controllers garbage-collect only dependents whose
  // vanished owner was one of ours, never objects pasted from a real cluster).
  bool issued_uid(const std::string& uid) const;

  static constexpr std::size_t kHistoryLimit = 10000;

 private:
  Result<Object> write(Object object, bool allow_create, bool allow_update);
  void publish(std::vector<WatchEvent> events);
  void record(WatchEvent event);  // history + pending delivery; caller holds mu_

  std::size_t history_head_ = 0;               // ring buffer start once history_ is full
  std::vector<WatchEvent> pending_;            // written, not yet delivered (rv order)
  std::map<int, std::uint64_t> watch_from_;    // watcher id -> rv at registration

  mutable std::recursive_mutex mu_;
  std::map<ObjectKey, Object> objects_;
  std::uint64_t rv_ = 0;
  std::uint64_t next_uid_ = 1;
  SimulatedClock clock_;
  std::vector<WatchEvent> history_;
  std::map<int, WatchCallback> watchers_;
  int next_watch_id_ = 1;
  std::mutex publish_mu_;  // serialises callbacks so they see events in order
};

}  // namespace gwsim::fakes
