#include "fakes/controllers/controllers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

namespace gwsim::fakes {
namespace {

Object make(Json doc) {
  Object o;
  o.doc = std::move(doc);
  return o;
}

Json pod_template(Json labels, Json ports = Json::array({{{"containerPort", 8080}, {"name", "http-web"}}})) {
  return {{"metadata", {{"labels", labels}}},
          {"spec", {{"containers", Json::array({{{"name", "app"}, {"image", "echo"}, {"ports", ports}}})}}}};
}

Object deployment(const std::string& name, int replicas, Json labels, const std::string& ns = "default") {
  return make({{"apiVersion", "apps/v1"},
               {"kind", "Deployment"},
               {"metadata", {{"name", name}, {"namespace", ns}}},
               {"spec",
                {{"replicas", replicas},
                 {"selector", {{"matchLabels", labels}}},
                 {"template", pod_template(labels)}}}});
}

Object service(const std::string& name, Json selector, Json ports, const std::string& ns = "default") {
  Json spec = {{"ports", ports}};
  if (!selector.is_null()) spec["selector"] = selector;
  return make({{"apiVersion", "v1"},
               {"kind", "Service"},
               {"metadata", {{"name", name}, {"namespace", ns}}},
               {"spec", spec}});
}

// Pods of a namespace as "name ip", in IP allocation order.
std::vector<std::pair<std::string, std::string>> pods(const ApiStore& store,
                                                      const std::string& ns = "default") {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Object& p : store.list("", "Pod", ns))
    out.emplace_back(p.name(), p.doc["status"]["podIP"].get<std::string>());
  auto ip_key = [](const std::string& ip) {
    unsigned a, b, c, d;
    std::sscanf(ip.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d);
    return (a << 24) | (b << 16) | (c << 8) | d;
  };
  std::sort(out.begin(), out.end(),
            [&](const auto& x, const auto& y) { return ip_key(x.second) < ip_key(y.second); });
  return out;
}

std::vector<std::string> names(const std::vector<std::pair<std::string, std::string>>& list) {
  std::vector<std::string> out;
  for (const auto& [name, ip] : list) out.push_back(name);
  return out;
}

Json endpoints_of(const ApiStore& store, const std::string& name, const std::string& ns = "default") {
  auto e = store.get({"", "Endpoints", ns, name});
  return e ? e->doc : Json();
}

bool ready_condition(const Json& pod) {
  for (const Json& c : pod["status"]["conditions"])
    if (c["type"] == "Ready") return c["status"] == "True";
  return false;
}

TEST(Controllers, PodTemplateHashLooksLikeKubernetes) {
  Json t = pod_template({{"app", "web"}});
  std::string hash = ControllerSet::pod_template_hash(t);
  // fmt.Sprint(uint32) is 1..10 decimal digits; SafeEncodeString maps '0'..'9' into these.
  EXPECT_TRUE(std::regex_match(hash, std::regex("[456789bcdf]{1,10}"))) << hash;
  EXPECT_EQ(hash, ControllerSet::pod_template_hash(t));
  Json other = pod_template({{"app", "web"}, {"version", "v2"}});
  EXPECT_NE(hash, ControllerSet::pod_template_hash(other));

  std::string suffix = ControllerSet::name_suffix("web-abc", 0);
  EXPECT_TRUE(std::regex_match(suffix, std::regex("[bcdfghjklmnpqrstvwxz2456789]{5}"))) << suffix;
  EXPECT_EQ(suffix, ControllerSet::name_suffix("web-abc", 0));
  EXPECT_NE(suffix, ControllerSet::name_suffix("web-abc", 1));
  EXPECT_NE(suffix, ControllerSet::name_suffix("web-abd", 0));

  EXPECT_EQ(ControllerSet::pod_ip(0), "127.1.0.1");
  EXPECT_EQ(ControllerSet::pod_ip(1), "127.1.0.2");
  EXPECT_EQ(ControllerSet::pod_ip(253), "127.1.0.254");
  EXPECT_EQ(ControllerSet::pod_ip(254), "127.1.1.1");
}

// The deployment controller's Available and Progressing conditions (pkg/controller/deployment:
// sync.go syncRolloutStatus, util.MaxUnavailable), which `kubectl wait --for=condition=Available`
// and `kubectl rollout status` read.
TEST(Controllers, DeploymentConditionsSayAvailableAndProgressed) {
  ApiStore store;
  ControllerSet controllers(store);
  ASSERT_TRUE(store.apply(deployment("web", 2, {{"app", "web"}})).ok());
  controllers.reconcile();
  const std::string rs = "web-" + ControllerSet::pod_template_hash(pod_template({{"app", "web"}}));
  Json status = store.get({"apps", "Deployment", "default", "web"})->doc["status"];
  ASSERT_EQ(status["conditions"].size(), 2u) << status.dump();
  const Json& available = status["conditions"][0];
  EXPECT_EQ(available["type"], "Available");
  EXPECT_EQ(available["status"], "True");
  EXPECT_EQ(available["reason"], "MinimumReplicasAvailable");
  EXPECT_EQ(available["message"], "Deployment has minimum availability.");
  const Json& progressing = status["conditions"][1];
  EXPECT_EQ(progressing["type"], "Progressing");
  EXPECT_EQ(progressing["reason"], "NewReplicaSetAvailable");
  EXPECT_EQ(progressing["message"], "ReplicaSet \"" + rs + "\" has successfully progressed.");
  // Conditions keep their times: another pass writes nothing.
  EXPECT_EQ(controllers.reconcile(), 0);
}

// Revisions as the deployment controller numbers them: a rollback to an old template reuses its
// ReplicaSet under the next revision; a template differing only by a null field or a quantity's
// spelling ("0.1" against the stored "100m", as kubectl rollout undo sends it) is the same.
TEST(Controllers, RollbackReusesTheOldReplicaSetUnderTheNextRevision) {
  ApiStore store;
  ControllerSet controllers(store);
  Object web = deployment("web", 1, {{"app", "web"}});
  web.doc["spec"]["template"]["spec"]["containers"][0]["resources"] = {{"requests", {{"cpu", "0.1"}}}};
  ASSERT_TRUE(store.apply(web).ok());
  controllers.reconcile();
  auto revision = [&store] {
    return store.get({"apps", "Deployment", "default", "web"})->doc["metadata"]["annotations"]
        ["deployment.kubernetes.io/revision"];
  };
  EXPECT_EQ(revision(), "1");
  Object v2 = web;
  v2.doc["spec"]["template"]["spec"]["containers"][0]["image"] = "echo:v2";
  ASSERT_TRUE(store.apply(v2).ok());
  controllers.reconcile();
  EXPECT_EQ(revision(), "2");
  Object back = web;
  back.doc["spec"]["template"]["metadata"]["creationTimestamp"] = nullptr;
  back.doc["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"] = "100m";
  ASSERT_TRUE(store.apply(back).ok());
  controllers.reconcile();
  EXPECT_EQ(revision(), "3");
  EXPECT_EQ(store.list("apps", "ReplicaSet", "default").size(), 2u);
}

// A template whose fields have the wrong shape is hashed as it is, never thrown on.
TEST(Controllers, TemplateHashTakesMisshapenResources) {
  Json odd = pod_template({{"app", "web"}});
  odd["spec"]["containers"][0]["resources"] = "lots";
  odd["spec"]["initContainers"] = 3;
  EXPECT_NO_THROW(ControllerSet::pod_template_hash(odd));
  EXPECT_NE(ControllerSet::pod_template_hash(odd), ControllerSet::pod_template_hash(pod_template({{"app", "web"}})));
}

TEST(Controllers, DeploymentMakesReplicaSetAndNamedPods) {
  ApiStore store;
  ControllerSet controllers(store);
  ASSERT_TRUE(store.apply(deployment("web", 3, {{"app", "web"}})).ok());
  EXPECT_GT(controllers.reconcile(), 0);
  EXPECT_EQ(controllers.reconcile(), 0);  // idempotent

  const std::string hash = ControllerSet::pod_template_hash(pod_template({{"app", "web"}}));
  auto rs = store.get({"apps", "ReplicaSet", "default", "web-" + hash});
  ASSERT_TRUE(rs);
  EXPECT_EQ(rs->doc["metadata"]["ownerReferences"][0]["kind"], "Deployment");
  EXPECT_EQ(rs->doc["spec"]["replicas"], 3);
  EXPECT_EQ(rs->doc["status"]["readyReplicas"], 3);
  EXPECT_EQ(store.get({"apps", "Deployment", "default", "web"})->doc["status"]["readyReplicas"], 3);

  auto list = pods(store);
  ASSERT_EQ(list.size(), 3u);
  std::regex name_re("web-" + hash + "-[bcdfghjklmnpqrstvwxz2456789]{5}");
  for (std::size_t i = 0; i < list.size(); ++i) {
    EXPECT_TRUE(std::regex_match(list[i].first, name_re)) << list[i].first;
    EXPECT_EQ(list[i].first,
              "web-" + hash + "-" + ControllerSet::name_suffix("web-" + hash, static_cast<int>(i)));
    EXPECT_EQ(list[i].second, ControllerSet::pod_ip(static_cast<std::uint32_t>(i)));
    const Json pod = store.get({"", "Pod", "default", list[i].first})->doc;
    EXPECT_EQ(pod["metadata"]["labels"]["app"], "web");
    EXPECT_EQ(pod["metadata"]["labels"]["pod-template-hash"], hash);
    EXPECT_EQ(pod["metadata"]["ownerReferences"][0]["kind"], "ReplicaSet");
    EXPECT_EQ(pod["metadata"]["ownerReferences"][0]["name"], "web-" + hash);
    EXPECT_EQ(pod["metadata"]["ownerReferences"][0]["uid"], rs->doc["metadata"]["uid"]);
    EXPECT_EQ(pod["spec"]["containers"][0]["ports"][0]["containerPort"], 8080);
    EXPECT_EQ(pod["status"]["phase"], "Running");
    EXPECT_TRUE(ready_condition(pod));
    EXPECT_EQ(pod["metadata"]["creationTimestamp"], "2026-01-01T00:00:00Z");
  }
}

TEST(Controllers, SameWorldSameNamesAndIps) {
  auto build = [] {
    auto store = std::make_unique<ApiStore>();
    ControllerSet controllers(*store);
    store->apply(deployment("a", 2, {{"app", "a"}}));
    store->apply(deployment("b", 1, {{"app", "b"}}, "other"));
    controllers.reconcile();
    auto all = pods(*store);
    for (auto& p : pods(*store, "other")) all.push_back(p);
    return all;
  };
  auto first = build();
  EXPECT_EQ(first.size(), 3u);
  EXPECT_EQ(first, build());
  for (const auto& [name, ip] : first) EXPECT_NE(ip, "127.0.0.1");
}

TEST(Controllers, ScaleDownRemovesHighestIndexAndScaleUpAddsNewIps) {
  ApiStore store;
  ControllerSet controllers(store);
  store.apply(deployment("web", 3, {{"app", "web"}}));
  controllers.reconcile();
  auto three = pods(store);
  ASSERT_EQ(three.size(), 3u);

  store.apply(deployment("web", 2, {{"app", "web"}}));
  controllers.reconcile();
  auto two = pods(store);
  EXPECT_EQ(two, (std::vector<std::pair<std::string, std::string>>{three[0], three[1]}));

  store.apply(deployment("web", 4, {{"app", "web"}}));
  controllers.reconcile();
  auto four = pods(store);
  ASSERT_EQ(four.size(), 4u);
  EXPECT_EQ(four[0], three[0]);
  EXPECT_EQ(four[1], three[1]);
  // Index 2 comes back under its old name but as a new pod: IPs are never reused.
  EXPECT_EQ(four[2].first, three[2].first);
  EXPECT_EQ(four[2].second, "127.1.0.4");
  EXPECT_EQ(four[3].second, "127.1.0.5");

  store.apply(deployment("web", 0, {{"app", "web"}}));
  controllers.reconcile();
  EXPECT_TRUE(pods(store).empty());
}

TEST(Controllers, TemplateChangeReplacesPods) {
  ApiStore store;
  ControllerSet controllers(store);
  store.apply(deployment("web", 2, {{"app", "web"}}));
  controllers.reconcile();
  auto before = names(pods(store));
  const std::string old_hash = ControllerSet::pod_template_hash(pod_template({{"app", "web"}}));

  Object changed = deployment("web", 2, {{"app", "web"}});
  changed.doc["spec"]["template"]["metadata"]["labels"]["version"] = "v2";
  store.apply(changed);
  controllers.reconcile();
  auto after = pods(store);
  ASSERT_EQ(after.size(), 2u);
  const std::string new_hash = ControllerSet::pod_template_hash(changed.doc["spec"]["template"]);
  for (const auto& [name, ip] : after) {
    EXPECT_EQ(name.rfind("web-" + new_hash + "-", 0), 0u) << name;
    EXPECT_EQ(std::count(before.begin(), before.end(), name), 0);
    EXPECT_EQ(store.get({"", "Pod", "default", name})->doc["metadata"]["labels"]["version"], "v2");
  }
  EXPECT_EQ(after[0].second, "127.1.0.3");
  // The old ReplicaSet stays for rollback, scaled to zero.
  auto old_rs = store.get({"apps", "ReplicaSet", "default", "web-" + old_hash});
  ASSERT_TRUE(old_rs);
  EXPECT_EQ(old_rs->doc["spec"]["replicas"], 0);
  EXPECT_EQ(controllers.reconcile(), 0);
}

TEST(Controllers, ReplicaSetStatefulSetAndDaemonSetPods) {
  ApiStore store;
  ControllerSet controllers(store);
  Json labels = {{"app", "rs"}};
  store.apply(make(
      {{"apiVersion", "apps/v1"},
       {"kind", "ReplicaSet"},
       {"metadata", {{"name", "cache"}}},
       {"spec",
        {{"replicas", 2}, {"selector", {{"matchLabels", labels}}}, {"template", pod_template(labels)}}}}));
  store.apply(make(
      {{"apiVersion", "apps/v1"},
       {"kind", "StatefulSet"},
       {"metadata", {{"name", "db"}}},
       {"spec", {{"replicas", 3}, {"serviceName", "db"}, {"template", pod_template({{"app", "db"}})}}}}));
  store.apply(make({{"apiVersion", "apps/v1"},
                    {"kind", "DaemonSet"},
                    {"metadata", {{"name", "agent"}}},
                    {"spec", {{"template", pod_template({{"app", "agent"}})}}}}));
  controllers.reconcile();

  std::vector<std::string> all = names(pods(store));
  std::vector<std::string> want = {"cache-" + ControllerSet::name_suffix("cache", 0),
                                   "cache-" + ControllerSet::name_suffix("cache", 1), "db-0", "db-1", "db-2"};
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(std::vector<std::string>(all.begin(), all.begin() + 5), want);
  EXPECT_TRUE(std::regex_match(all[5], std::regex("agent-[bcdfghjklmnpqrstvwxz2456789]{5}"))) << all[5];
  Json db1 = store.get({"", "Pod", "default", "db-1"})->doc;
  EXPECT_EQ(db1["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"], "db-1");
  EXPECT_EQ(db1["metadata"]["ownerReferences"][0]["kind"], "StatefulSet");
  EXPECT_EQ(db1["spec"]["hostname"], "db-1");
  EXPECT_EQ(db1["spec"]["subdomain"], "db");

  // Scaling a StatefulSet down removes the highest ordinals.
  Object sts = *store.get({"apps", "StatefulSet", "default", "db"});
  sts.doc["spec"]["replicas"] = 1;
  sts.doc.erase("status");
  store.apply(sts);
  controllers.reconcile();
  EXPECT_TRUE(store.get({"", "Pod", "default", "db-0"}));
  EXPECT_FALSE(store.get({"", "Pod", "default", "db-1"}));
  EXPECT_FALSE(store.get({"", "Pod", "default", "db-2"}));
}

TEST(Controllers, BarePodsGetIpAndReadyUnlessGiven) {
  ApiStore store;
  ControllerSet controllers(store);
  auto bare = [](const std::string& name, Json status) {
    Json doc = {{"apiVersion", "v1"},
                {"kind", "Pod"},
                {"metadata", {{"name", name}, {"labels", {{"app", "bare"}}}}},
                {"spec", {{"containers", Json::array({{{"name", "c"}}})}}}};
    if (!status.is_null()) doc["status"] = status;
    return make(doc);
  };
  store.apply(bare("plain", nullptr));
  store.apply(bare("given", {{"podIP", "127.1.0.2"}}));   // kept: loopback
  store.apply(bare("foreign", {{"podIP", "10.0.0.7"}}));  // replaced: not loopback
  store.apply(bare("down", {{"podIP", "127.9.0.1"},
                            {"conditions", Json::array({{{"type", "Ready"}, {"status", "False"}}})}}));
  controllers.reconcile();

  auto ip = [&](const std::string& n) {
    return store.get({"", "Pod", "default", n})->doc["status"]["podIP"];
  };
  // Pods are visited by name: down, foreign, given, plain. 127.1.0.2 is taken, so skipped.
  EXPECT_EQ(ip("down"), "127.9.0.1");
  EXPECT_EQ(ip("foreign"), "127.1.0.1");
  EXPECT_EQ(ip("given"), "127.1.0.2");
  EXPECT_EQ(ip("plain"), "127.1.0.3");
  EXPECT_TRUE(ready_condition(store.get({"", "Pod", "default", "plain"})->doc));
  EXPECT_FALSE(ready_condition(store.get({"", "Pod", "default", "down"})->doc));
  EXPECT_EQ(store.get({"", "Pod", "default", "plain"})->doc["status"]["phase"], "Running");
  EXPECT_EQ(controllers.reconcile(), 0);

  // Re-applying the manifest (no status) keeps the pod as it runs: same IP, nothing written.
  const std::uint64_t version = store.resource_version();
  store.apply(bare("plain", nullptr));
  EXPECT_EQ(controllers.reconcile(), 0);
  EXPECT_EQ(ip("plain"), "127.1.0.3");
  EXPECT_EQ(store.resource_version(), version);
}

TEST(Controllers, EndpointsFollowSelectorReadinessAndNamedTargetPorts) {
  ApiStore store;
  ControllerSet controllers(store);
  store.apply(deployment("web", 2, {{"app", "web"}}));
  store.apply(deployment("elsewhere", 1, {{"app", "web"}}, "other"));
  store.apply(deployment("unrelated", 1, {{"app", "db"}}));
  store.apply(
      service("web", {{"app", "web"}},
              Json::array({{{"name", "http"}, {"port", 80}, {"targetPort", "http-web"}},
                           {{"name", "admin"}, {"port", 9000}},
                           {{"name", "num"}, {"port", 81}, {"targetPort", 8081}, {"appProtocol", "http"}}})));
  controllers.reconcile();

  Json ep = endpoints_of(store, "web");
  ASSERT_TRUE(ep.is_object());
  ASSERT_EQ(ep["subsets"].size(), 1u);
  const Json& subset = ep["subsets"][0];
  auto web = pods(store);
  std::vector<std::string> web_pods;
  for (const auto& [name, pod_ip] : web)
    if (name.rfind("web-", 0) == 0) web_pods.push_back(name);
  ASSERT_EQ(web_pods.size(), 2u);
  ASSERT_EQ(subset["addresses"].size(), 2u);
  EXPECT_FALSE(subset.contains("notReadyAddresses"));
  EXPECT_EQ(subset["addresses"][0]["ip"],
            store.get({"", "Pod", "default", web_pods[0]})->doc["status"]["podIP"]);
  EXPECT_EQ(subset["addresses"][0]["targetRef"]["kind"], "Pod");
  EXPECT_EQ(subset["addresses"][0]["targetRef"]["name"], web_pods[0]);
  EXPECT_EQ(subset["addresses"][0]["targetRef"]["namespace"], "default");
  Json want_ports =
      Json::array({{{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}},
                   {{"name", "admin"}, {"port", 9000}, {"protocol", "TCP"}},
                   {{"name", "num"}, {"port", 8081}, {"protocol", "TCP"}, {"appProtocol", "http"}}});
  EXPECT_EQ(subset["ports"], want_ports);
  EXPECT_EQ(ep["metadata"]["labels"]["endpointslice.kubernetes.io/skip-mirror"], "true");

  // A pod set not ready (the `pods: ready: false` step) moves to notReadyAddresses and stays so.
  Object pod = *store.get({"", "Pod", "default", web_pods[1]});
  Json status = pod.doc["status"];
  for (Json& c : status["conditions"])
    if (c["type"] == "Ready") c["status"] = "False";
  store.update_status(key_of(pod), status);
  controllers.reconcile();
  ep = endpoints_of(store, "web");
  ASSERT_EQ(ep["subsets"][0]["addresses"].size(), 1u);
  EXPECT_EQ(ep["subsets"][0]["addresses"][0]["targetRef"]["name"], web_pods[0]);
  ASSERT_EQ(ep["subsets"][0]["notReadyAddresses"].size(), 1u);
  EXPECT_EQ(ep["subsets"][0]["notReadyAddresses"][0]["targetRef"]["name"], web_pods[1]);
  EXPECT_FALSE(ready_condition(store.get(key_of(pod))->doc));
  EXPECT_EQ(store.get({"apps", "Deployment", "default", "web"})->doc["status"]["readyReplicas"], 1);
  EXPECT_EQ(controllers.reconcile(), 0);
}

TEST(Controllers, PodsWithoutTheNamedPortAreSkipped) {
  ApiStore store;
  ControllerSet controllers(store);
  Object other = deployment("plain", 1, {{"app", "web"}});
  other.doc["spec"]["template"]["spec"]["containers"][0]["ports"] = Json::array({{{"containerPort", 7000}}});
  store.apply(deployment("named", 1, {{"app", "web"}}));
  store.apply(other);
  store.apply(service("web", {{"app", "web"}},
                      Json::array({{{"name", "http"}, {"port", 80}, {"targetPort", "http-web"}}})));
  controllers.reconcile();
  Json ep = endpoints_of(store, "web");
  ASSERT_EQ(ep["subsets"].size(), 1u);
  ASSERT_EQ(ep["subsets"][0]["addresses"].size(), 1u);
  EXPECT_EQ(ep["subsets"][0]["addresses"][0]["targetRef"]["name"].get<std::string>().rfind("named-", 0), 0u);
}

TEST(Controllers, SelectorlessServicesKeepUserEndpoints) {
  ApiStore store;
  ControllerSet controllers(store);
  Json user = {{"apiVersion", "v1"},
               {"kind", "Endpoints"},
               {"metadata", {{"name", "external"}}},
               {"subsets", Json::array({{{"addresses", Json::array({{{"ip", "127.5.5.5"}}})},
                                         {"ports", Json::array({{{"port", 9999}}})}}})}};
  store.apply(make(user));
  store.apply(service("external", nullptr, Json::array({{{"port", 80}}})));
  controllers.reconcile();
  EXPECT_EQ(endpoints_of(store, "external")["subsets"], user["subsets"]);
  store.remove({"", "Service", "default", "external"});
  controllers.reconcile();
  EXPECT_TRUE(store.get({"", "Endpoints", "default", "external"}));  // not ours to delete
}

TEST(Controllers, DeletingOwnersCleansUp) {
  ApiStore store;
  ControllerSet controllers(store);
  store.apply(deployment("web", 2, {{"app", "web"}}));
  store.apply(service("web", {{"app", "web"}}, Json::array({{{"port", 80}}})));
  // A pasted pod whose owner is not in this store is left alone.
  store.apply(make({{"apiVersion", "v1"},
                    {"kind", "Pod"},
                    {"metadata",
                     {{"name", "pasted"},
                      {"ownerReferences", Json::array({{{"apiVersion", "apps/v1"},
                                                        {"kind", "ReplicaSet"},
                                                        {"name", "gone"},
                                                        {"uid", "6f1c2b9e-1111-4222-8333-444455556666"},
                                                        {"controller", true}}})}}},
                    {"spec", Json::object()}}));
  controllers.reconcile();
  EXPECT_EQ(pods(store).size(), 3u);
  EXPECT_EQ(endpoints_of(store, "web")["subsets"][0]["ports"][0]["port"], 80);  // targetPort = port

  store.remove({"apps", "Deployment", "default", "web"});
  store.remove({"", "Service", "default", "web"});
  controllers.reconcile();
  EXPECT_EQ(names(pods(store)), std::vector<std::string>{"pasted"});
  EXPECT_TRUE(store.list("apps", "ReplicaSet").empty());
  EXPECT_FALSE(store.get({"", "Endpoints", "default", "web"}));
}

TEST(Controllers, PublishNotReadyAddressesListsEveryPod) {
  ApiStore store;
  ControllerSet controllers(store);
  store.apply(make({{"apiVersion", "v1"},
                    {"kind", "Pod"},
                    {"metadata", {{"name", "p"}, {"labels", {{"app", "x"}}}}},
                    {"spec", Json::object()},
                    {"status", {{"conditions", Json::array({{{"type", "Ready"}, {"status", "False"}}})}}}}));
  Object svc = service("x", {{"app", "x"}}, Json::array({{{"port", 80}}}));
  store.apply(svc);
  controllers.reconcile();
  EXPECT_EQ(endpoints_of(store, "x")["subsets"][0]["notReadyAddresses"].size(), 1u);
  svc.doc["spec"]["publishNotReadyAddresses"] = true;
  store.apply(svc);
  controllers.reconcile();
  EXPECT_EQ(endpoints_of(store, "x")["subsets"][0]["addresses"][0]["targetRef"]["name"], "p");
  EXPECT_FALSE(endpoints_of(store, "x")["subsets"][0].contains("notReadyAddresses"));
}

TEST(Controllers, ServiceWithoutPodsHasEmptyEndpoints) {
  ApiStore store;
  ControllerSet controllers(store);
  store.apply(service("lonely", {{"app", "none"}}, Json::array({{{"port", 80}}})));
  controllers.reconcile();
  Json ep = endpoints_of(store, "lonely");
  ASSERT_TRUE(ep.is_object());
  EXPECT_FALSE(ep.contains("subsets"));
}

}  // namespace
}  // namespace gwsim::fakes

namespace gwsim::fakes {
namespace {

std::size_t pods_in(const ApiStore& store) { return store.list("", "Pod").size(); }

TEST(ControllersLimits, HugeReplicaCountsAreCappedWithAnEvent) {
  ApiStore store;
  ASSERT_TRUE(store.apply(deployment("huge", 2147483647, {{"app", "huge"}})).ok());
  ControllerSet controllers(store, ControllerOptions{50});
  controllers.reconcile();
  EXPECT_EQ(pods_in(store), 50u);
  auto events = store.list("", "Event");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].doc["reason"], "FailedCreate");
  EXPECT_EQ(events[0].doc["type"], "Warning");
  EXPECT_NE(events[0].doc["message"].get<std::string>().find("limit of 50 pods per workload"), std::string::npos);
  EXPECT_EQ(controllers.reconcile(), 0);  // one event, not one per pass
}

TEST(ControllersLimits, ReplicasBeyondInt32AreNotWrappedToSmallNumbers) {
  // 4294967297 wrapped to 1 in an int; clamped, it is far over the limit.
  ApiStore store;
  Object d = deployment("wrap", 1, {{"app", "wrap"}});
  d.doc["spec"]["replicas"] = 4294967297ull;
  ASSERT_TRUE(store.apply(std::move(d)).ok());
  ControllerSet controllers(store, ControllerOptions{7});
  controllers.reconcile();
  EXPECT_EQ(pods_in(store), 7u);
}

TEST(ControllersLimits, StatefulSetOrdinalsNearInt32MaxDoNotOverflow) {
  ApiStore store;
  ASSERT_TRUE(store
                  .create(make({{"apiVersion", "apps/v1"},
                                {"kind", "StatefulSet"},
                                {"metadata", {{"name", "db"}, {"namespace", "default"}}},
                                {"spec",
                                 {{"replicas", 3},
                                  {"ordinals", {{"start", 2147483646}}},
                                  {"selector", {{"matchLabels", {{"app", "db"}}}}},
                                  {"template", pod_template({{"app", "db"}})}}}}))
                  .ok());
  ControllerSet controllers(store);
  controllers.reconcile();
  EXPECT_EQ(pods_in(store), 3u);
  EXPECT_TRUE(store.get({"", "Pod", "default", "db-2147483648"}));
}

}  // namespace
}  // namespace gwsim::fakes
