#include "fakes/store/api_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>

namespace gwsim::fakes {
namespace {

Object make(Json doc) {
  Object o;
  o.doc = std::move(doc);
  return o;
}

Object vs(const std::string& name, const std::string& ns = "", Json spec = {{"hosts", {"a"}}}) {
  Json meta = {{"name", name}};
  if (!ns.empty()) meta["namespace"] = ns;
  return make({{"apiVersion", "networking.istio.io/v1"},
               {"kind", "VirtualService"},
               {"metadata", meta},
               {"spec", spec}});
}

ObjectKey vs_key(const std::string& name, const std::string& ns = "default") {
  return {"networking.istio.io", "VirtualService", ns, name};
}

std::string meta(const Object& o, const char* field) {
  const Json& v = o.doc["metadata"][field];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

TEST(ApiStore, CreateFillsServerFields) {
  ApiStore store;
  auto r = store.create(vs("a"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(meta(*r, "namespace"), "default");
  EXPECT_EQ(meta(*r, "resourceVersion"), "1");
  EXPECT_EQ(r->doc["metadata"]["generation"], 1);
  EXPECT_EQ(meta(*r, "creationTimestamp"), "2026-01-01T00:00:00Z");
  EXPECT_TRUE(std::regex_match(meta(*r, "uid"),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")));
  EXPECT_TRUE(store.issued_uid(meta(*r, "uid")));
  EXPECT_FALSE(store.issued_uid("6f1c2b9e-1111-4222-8333-444455556666"));
  auto got = store.get(vs_key("a"));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->doc, r->doc);
  EXPECT_EQ(store.resource_version(), 1u);
}

// The API server moves the clock to the wall clock from its handler threads while
// runtime::ControlPlane advances it per apply: no step is lost, and it never goes back.
TEST(SimulatedClock, AdvancesFromManyThreadsAndNeverGoesBack) {
  SimulatedClock clock;
  const std::int64_t start = clock.now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&clock] {
      for (int i = 0; i < 1000; ++i) clock.advance(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(clock.now(), start + 4000);
  clock.advance_to(start + 10);  // earlier: no change
  EXPECT_EQ(clock.now(), start + 4000);
  clock.advance_to(start + 5000);
  EXPECT_EQ(clock.now(), start + 5000);
}

TEST(ApiStore, UidsAreDistinctAndDeterministic) {
  ApiStore one, two;
  std::vector<std::string> a, b;
  for (const char* n : {"x", "y", "z"}) {
    a.push_back(meta(*one.create(vs(n)), "uid"));
    b.push_back(meta(*two.create(vs(n)), "uid"));
  }
  EXPECT_EQ(a, b);
  EXPECT_NE(a[0], a[1]);
  EXPECT_NE(a[1], a[2]);
}

TEST(ApiStore, ClusterScopedKindsHaveNoNamespace) {
  ApiStore store;
  auto r = store.apply(make({{"apiVersion", "v1"},
                             {"kind", "Namespace"},
                             {"metadata", {{"name", "istio-system"}, {"namespace", "x"}}}}));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->doc["metadata"].contains("namespace"));
  EXPECT_TRUE(store.get({"", "Namespace", "", "istio-system"}));
  EXPECT_TRUE(is_cluster_scoped("rbac.authorization.k8s.io", "ClusterRole"));
  EXPECT_FALSE(is_cluster_scoped("networking.istio.io", "Gateway"));
  EXPECT_EQ(key_of(*r).to_string(), "Namespace istio-system");
  EXPECT_EQ(vs_key("a").to_string(), "VirtualService default/a");
}

TEST(ApiStore, OneInstantSharesOneCreationTimestamp) {
  ApiStore store;
  auto a = store.apply(vs("a"));
  auto b = store.apply(vs("b", "other"));
  store.clock().advance();
  auto c = store.apply(vs("c"));
  EXPECT_EQ(meta(*a, "creationTimestamp"), meta(*b, "creationTimestamp"));
  EXPECT_EQ(meta(*c, "creationTimestamp"), "2026-01-01T00:00:01Z");
}

TEST(ApiStore, GivenCreationTimestampIsKept) {
  ApiStore store;
  Object o = vs("a");
  o.doc["metadata"]["creationTimestamp"] = "2020-02-29T12:34:56Z";
  EXPECT_EQ(meta(*store.apply(o), "creationTimestamp"), "2020-02-29T12:34:56Z");

  Object n = vs("null-time");  // kubectl prints `creationTimestamp: null` for unsaved objects
  n.doc["metadata"]["creationTimestamp"] = nullptr;
  EXPECT_EQ(meta(*store.apply(n), "creationTimestamp"), "2026-01-01T00:00:00Z");

  Object bad = vs("bad");
  bad.doc["metadata"]["creationTimestamp"] = "yesterday";
  auto r = store.apply(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(store_error_kind(r.error()), StoreErrorKind::kInvalid);
  EXPECT_NE(r.error().message.find("creationTimestamp"), std::string::npos);
}

TEST(ApiStore, UpdateKeepsUidAndTimestampAndBumpsGenerationOnlyForSpec) {
  ApiStore store;
  auto first = store.apply(vs("a"));
  store.clock().advance(5);

  Object relabel = vs("a");
  relabel.doc["metadata"]["labels"] = {{"team", "x"}};
  auto second = store.apply(relabel);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(meta(*second, "uid"), meta(*first, "uid"));
  EXPECT_EQ(meta(*second, "creationTimestamp"), meta(*first, "creationTimestamp"));
  EXPECT_EQ(meta(*second, "resourceVersion"), "2");
  EXPECT_EQ(second->doc["metadata"]["generation"], 1);  // metadata only

  Object respec = relabel;
  respec.doc["spec"]["hosts"] = {"b"};
  respec.doc["metadata"]["creationTimestamp"] = "2000-01-01T00:00:00Z";  // ignored on update
  auto third = store.apply(respec);
  EXPECT_EQ(meta(*third, "resourceVersion"), "3");
  EXPECT_EQ(third->doc["metadata"]["generation"], 2);
  EXPECT_EQ(meta(*third, "creationTimestamp"), "2026-01-01T00:00:00Z");
}

TEST(ApiStore, ReapplyingTheSameObjectWritesNothing) {
  ApiStore store;
  store.apply(vs("a"));
  int events = 0;
  store.watch([&](const WatchEvent&) { ++events; });
  auto again = store.apply(vs("a"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(meta(*again, "resourceVersion"), "1");
  EXPECT_EQ(store.resource_version(), 1u);
  EXPECT_EQ(events, 0);
}

TEST(ApiStore, ApplyLeavesStatusToUpdateStatus) {
  ApiStore store;
  Object pod = make({{"apiVersion", "v1"},
                     {"kind", "Pod"},
                     {"metadata", {{"name", "p"}}},
                     {"spec", Json::object()},
                     {"status", {{"podIP", "127.0.0.9"}}}});
  store.apply(pod);  // status given at creation is kept
  auto s = store.update_status({"", "Pod", "default", "p"}, {{"podIP", "127.0.0.9"}, {"phase", "Running"}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(meta(*s, "resourceVersion"), "2");
  EXPECT_EQ(s->doc["metadata"]["generation"], 1);

  Object reapplied = pod;
  reapplied.doc.erase("status");
  auto r = store.apply(reapplied);
  EXPECT_EQ(r->doc["status"]["phase"], "Running");
  EXPECT_EQ(store.resource_version(), 2u);  // nothing changed: no write

  // The same status again is not a write either.
  store.update_status({"", "Pod", "default", "p"}, {{"podIP", "127.0.0.9"}, {"phase", "Running"}});
  EXPECT_EQ(store.resource_version(), 2u);
}

TEST(ApiStore, CreateUpdateRemoveErrors) {
  ApiStore store;
  ASSERT_TRUE(store.create(vs("a")).ok());
  auto dup = store.create(vs("a"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message, "VirtualService default/a already exists");
  EXPECT_EQ(store_error_kind(dup.error()), StoreErrorKind::kAlreadyExists);

  auto missing = store.update(vs("b"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "VirtualService default/b not found");
  EXPECT_EQ(store_error_kind(missing.error()), StoreErrorKind::kNotFound);
  EXPECT_EQ(store_error_kind(store.remove(vs_key("b")).error()), StoreErrorKind::kNotFound);
  EXPECT_EQ(store_error_kind(store.update_status(vs_key("b"), Json::object()).error()),
            StoreErrorKind::kNotFound);

  auto nameless =
      store.apply(make({{"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", Json::object()}}));
  ASSERT_FALSE(nameless.ok());
  EXPECT_EQ(store_error_kind(nameless.error()), StoreErrorKind::kInvalid);
}

TEST(ApiStore, UpdateChecksResourceVersion) {
  ApiStore store;
  Object current = *store.create(vs("a"));
  Object mine = current;
  mine.doc["spec"]["hosts"] = {"b"};
  ASSERT_TRUE(store.update(mine).ok());

  Object stale = current;  // still carries resourceVersion "1"
  stale.doc["spec"]["hosts"] = {"c"};
  auto r = store.update(stale);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, kConflictMessage);
  EXPECT_EQ(r.error().message,
            "conflict: the object has been modified; please apply your changes to the latest version and try "
            "again");
  EXPECT_EQ(store_error_kind(r.error()), StoreErrorKind::kConflict);

  stale.doc["metadata"].erase("resourceVersion");  // no version: last write wins
  EXPECT_TRUE(store.update(stale).ok());
  EXPECT_EQ(store.get(vs_key("a"))->doc["spec"]["hosts"][0], "c");
}

TEST(ApiStore, RemoveReportsLastState) {
  ApiStore store;
  store.create(vs("a"));
  std::vector<WatchEvent> seen;
  store.watch([&](const WatchEvent& e) { seen.push_back(e); });
  auto r = store.remove(vs_key("a"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(store.get(vs_key("a")));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].type, EventType::kDeleted);
  EXPECT_STREQ(event_type_name(seen[0].type), "DELETED");
  EXPECT_EQ(seen[0].resource_version, 2u);
  EXPECT_EQ(seen[0].object.doc["spec"]["hosts"][0], "a");
  EXPECT_EQ(meta(seen[0].object, "resourceVersion"), "2");
}

TEST(ApiStore, ListSortsByNamespaceThenName) {
  ApiStore store;
  store.apply(vs("b", "z"));
  store.apply(vs("c", "a"));
  store.apply(vs("a", "z"));
  store.apply(vs("a", "a"));
  store.apply(
      make({{"apiVersion", "networking.istio.io/v1"}, {"kind", "Gateway"}, {"metadata", {{"name", "g"}}}}));
  std::vector<std::string> names;
  for (const Object& o : store.list("networking.istio.io", "VirtualService"))
    names.push_back(o.namespace_() + "/" + o.name());
  EXPECT_EQ(names, (std::vector<std::string>{"a/a", "a/c", "z/a", "z/b"}));
  EXPECT_EQ(store.list("networking.istio.io", "VirtualService", "z").size(), 2u);
  EXPECT_EQ(store.list("networking.istio.io", "VirtualService", "none").size(), 0u);
  EXPECT_EQ(store.list("networking.istio.io", "Gateway").size(), 1u);
  EXPECT_EQ(store.all().size(), 5u);
}

TEST(ApiStore, WatchDeliversInResourceVersionOrder) {
  ApiStore store;
  store.apply(vs("before"));
  std::vector<std::pair<std::string, std::uint64_t>> seen;
  int id = store.watch([&](const WatchEvent& e) {
    seen.emplace_back(std::string(event_type_name(e.type)) + " " + e.object.name(), e.resource_version);
    // Called without the store lock: reading and writing from a callback works, and the
    // write is delivered after this event, in order.
    EXPECT_TRUE(store.get(key_of(e.object)) || e.type == EventType::kDeleted);
    if (e.object.name() == "a" && e.type == EventType::kAdded) store.apply(vs("from-callback"));
  });
  store.apply(vs("a"));
  Object changed = vs("a", "", {{"hosts", {"z"}}});
  store.apply(changed);
  store.remove(vs_key("a"));
  std::vector<std::pair<std::string, std::uint64_t>> want = {
      {"ADDED a", 2}, {"ADDED from-callback", 3}, {"MODIFIED a", 4}, {"DELETED a", 5}};
  EXPECT_EQ(seen, want);

  store.unwatch(id);
  store.apply(vs("after"));
  EXPECT_EQ(seen.size(), 4u);
}

TEST(ApiStore, WatchSeesConcurrentWritesInOrder) {
  ApiStore store;
  std::vector<std::uint64_t> versions;
  std::mutex mu;
  store.watch([&](const WatchEvent& e) {
    std::lock_guard lock(mu);
    versions.push_back(e.resource_version);
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) store.apply(vs(std::to_string(t * 1000 + i)));
    });
  for (auto& w : writers) w.join();
  ASSERT_EQ(versions.size(), 400u);
  for (std::size_t i = 0; i < versions.size(); ++i) EXPECT_EQ(versions[i], i + 1);
}

TEST(ApiStore, EventsSinceReplaysAndExpires) {
  ApiStore store;
  store.apply(vs("a"));
  store.apply(vs("b"));
  store.apply(vs("a", "", {{"hosts", {"q"}}}));
  auto since1 = store.events_since(1);
  ASSERT_TRUE(since1);
  ASSERT_EQ(since1->size(), 2u);
  EXPECT_EQ((*since1)[0].resource_version, 2u);
  EXPECT_EQ((*since1)[1].type, EventType::kModified);
  EXPECT_EQ(store.events_since(0)->size(), 3u);
  EXPECT_TRUE(store.events_since(3)->empty());

  // Beyond the bounded history, old versions are gone (HTTP 410).
  for (std::size_t i = 0; i < ApiStore::kHistoryLimit; ++i) store.update_status(vs_key("b"), {{"n", i}});
  const std::uint64_t latest = store.resource_version();
  EXPECT_EQ(latest, 3 + ApiStore::kHistoryLimit);
  EXPECT_FALSE(store.events_since(0));
  EXPECT_FALSE(store.events_since(2));
  auto kept = store.events_since(3);  // the oldest kept event is version 4
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->size(), ApiStore::kHistoryLimit);
  EXPECT_EQ(kept->front().resource_version, 4u);
  EXPECT_EQ(kept->back().resource_version, latest);
  EXPECT_EQ(store.events_since(latest - 1)->size(), 1u);
}

TEST(ApiStore, Timestamps) {
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(SimulatedClock::kEpoch), "2026-01-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(951827696), "2000-02-29T12:34:56Z");
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00Z"), SimulatedClock::kEpoch);
  EXPECT_EQ(parse_timestamp("2000-02-29T12:34:56Z"), 951827696);
  EXPECT_EQ(parse_timestamp("2026-01-01T02:00:00.123+02:00"), SimulatedClock::kEpoch);
  EXPECT_EQ(parse_timestamp("2025-12-31T19:00:00-05:00"), SimulatedClock::kEpoch);
  EXPECT_FALSE(parse_timestamp("2026-02-29T00:00:00Z"));  // not a leap year
  EXPECT_FALSE(parse_timestamp("2026-01-01 00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:00"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T24:00:00Z"));
  EXPECT_FALSE(parse_timestamp(""));
  for (std::int64_t t :
       {std::int64_t{0}, std::int64_t{86399}, SimulatedClock::kEpoch + 12345, std::int64_t{4102444800}})
    EXPECT_EQ(parse_timestamp(format_timestamp(t)), t);
}

// Added with the API server: a list and its resourceVersion in one read, and the oldest
// version a watch can resume from.
TEST(ApiStore, ListAtAndOldestEventVersion) {
  ApiStore store;
  EXPECT_EQ(store.oldest_event_version(), 0u);
  store.create(vs("a"));
  store.create(vs("b", "shop"));
  auto [all, rv] = store.list_at("networking.istio.io", "VirtualService");
  EXPECT_EQ(all.size(), 2u);
  EXPECT_EQ(rv, store.resource_version());
  auto [shop, rv2] = store.list_at("networking.istio.io", "VirtualService", "shop");
  ASSERT_EQ(shop.size(), 1u);
  EXPECT_EQ(shop[0].name(), "b");
  EXPECT_EQ(rv2, rv);
  EXPECT_EQ(store.oldest_event_version(), 1u);
  for (std::size_t i = 0; i < ApiStore::kHistoryLimit; ++i) store.apply(vs("a", "", {{"hosts", {std::to_string(i)}}}));
  EXPECT_EQ(store.oldest_event_version(), 3u);
}

}  // namespace
}  // namespace gwsim::fakes
