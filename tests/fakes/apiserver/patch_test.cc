#include "fakes/apiserver/patch.h"

#include <gtest/gtest.h>

namespace gwsim::fakes {
namespace {

Json smp(const Json& original, const Json& patch, const std::string& kind = "Pod", const std::string& group = "") {
  auto r = strategic_merge_patch(original, patch, group, kind);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : Json();
}

// ---- list policies ----

TEST(ListPolicyTest, MergeKeysOfBuiltInKinds) {
  using S = ListPolicy::Strategy;
  auto key = [](const std::string& group, const std::string& kind, std::vector<std::string> path) {
    ListPolicy p = list_policy(group, kind, path);
    return p.strategy == S::kMergeByKey ? p.key : p.strategy == S::kSet ? "<set>" : "<atomic>";
  };
  EXPECT_EQ(key("", "Pod", {"spec", "containers"}), "name");
  EXPECT_EQ(key("", "Pod", {"spec", "initContainers"}), "name");
  EXPECT_EQ(key("", "Pod", {"spec", "containers", "ports"}), "containerPort");
  EXPECT_EQ(key("", "Pod", {"spec", "containers", "env"}), "name");
  EXPECT_EQ(key("", "Pod", {"spec", "containers", "volumeMounts"}), "mountPath");
  EXPECT_EQ(key("", "Pod", {"spec", "volumes"}), "name");
  EXPECT_EQ(key("", "Pod", {"spec", "tolerations"}), "<atomic>");
  EXPECT_EQ(key("apps", "Deployment", {"spec", "template", "spec", "containers"}), "name");
  EXPECT_EQ(key("apps", "StatefulSet", {"spec", "template", "spec", "containers", "ports"}), "containerPort");
  EXPECT_EQ(key("", "Service", {"spec", "ports"}), "port");
  EXPECT_EQ(key("", "Pod", {"metadata", "finalizers"}), "<set>");
  EXPECT_EQ(key("", "Pod", {"metadata", "ownerReferences"}), "uid");
  // Custom resources: every list is atomic.
  EXPECT_EQ(key("networking.istio.io", "VirtualService", {"spec", "http"}), "<atomic>");
  EXPECT_EQ(key("networking.istio.io", "Gateway", {"metadata", "finalizers"}), "<atomic>");
}

// ---- RFC 7386 ----

TEST(JsonMergePatchTest, Rfc7386Examples) {
  // The examples of RFC 7386, appendix A (a few).
  EXPECT_EQ(json_merge_patch({{"a", "b"}}, {{"a", "c"}}), Json({{"a", "c"}}));
  EXPECT_EQ(json_merge_patch({{"a", "b"}}, {{"b", "c"}}), Json({{"a", "b"}, {"b", "c"}}));
  EXPECT_EQ(json_merge_patch({{"a", "b"}}, {{"a", nullptr}}), Json::object());
  EXPECT_EQ(json_merge_patch({{"a", {"b"}}}, {{"a", "c"}}), Json({{"a", "c"}}));
  EXPECT_EQ(json_merge_patch({{"a", {{"b", "c"}}}}, {{"a", {{"b", "d"}, {"c", nullptr}}}}),
            Json({{"a", {{"b", "d"}}}}));
  EXPECT_EQ(json_merge_patch({{"a", {1, 2}}}, {{"a", {3}}}), Json({{"a", {3}}}));  // lists replace
  EXPECT_EQ(json_merge_patch(Json::array({1}), {{"a", "b"}}), Json({{"a", "b"}}));
  EXPECT_EQ(json_merge_patch({{"a", "b"}}, Json::array({1})), Json::array({1}));
}

TEST(JsonMergePatchTest, WhatKubectlSendsForAVirtualService) {
  Json live = {{"spec", {{"hosts", {"a"}}, {"http", {{{"route", {{{"destination", {{"host", "v1"}}}}}}}}}}}};
  Json patch = {{"spec", {{"http", {{{"route", {{{"destination", {{"host", "v2"}}}}}}}}}}}};
  Json out = json_merge_patch(live, patch);
  EXPECT_EQ(out["spec"]["hosts"], Json::array({"a"}));
  EXPECT_EQ(out["spec"]["http"][0]["route"][0]["destination"]["host"], "v2");
}

// ---- RFC 6902 ----

TEST(JsonPatchTest, Operations) {
  Json doc = {{"spec", {{"replicas", 1}, {"list", {"a", "b"}}}}};
  auto r = json_patch(doc, Json::array({{{"op", "replace"}, {"path", "/spec/replicas"}, {"value", 3}},
                                        {{"op", "add"}, {"path", "/spec/list/-"}, {"value", "c"}},
                                        {{"op", "remove"}, {"path", "/spec/list/0"}},
                                        {{"op", "test"}, {"path", "/spec/replicas"}, {"value", 3}},
                                        {{"op", "copy"}, {"from", "/spec/replicas"}, {"path", "/spec/copy"}}}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)["spec"]["replicas"], 3);
  EXPECT_EQ((*r)["spec"]["list"], Json::array({"b", "c"}));
  EXPECT_EQ((*r)["spec"]["copy"], 3);
}

TEST(JsonPatchTest, FailuresAreErrors) {
  Json doc = {{"spec", {{"replicas", 1}}}};
  EXPECT_FALSE(json_patch(doc, Json::array({{{"op", "test"}, {"path", "/spec/replicas"}, {"value", 2}}})).ok());
  EXPECT_FALSE(json_patch(doc, Json::array({{{"op", "remove"}, {"path", "/spec/missing"}}})).ok());
  EXPECT_FALSE(json_patch(doc, Json::array({{{"op", "jump"}, {"path", "/spec"}}})).ok());
  EXPECT_FALSE(json_patch(doc, Json::object()).ok());
}

// ---- strategic merge patch ----

TEST(StrategicMergePatchTest, MapsMergeAndNullDeletes) {
  Json live = {{"metadata", {{"labels", {{"app", "web"}, {"tier", "front"}}}}}};
  Json out = smp(live, {{"metadata", {{"labels", {{"tier", nullptr}, {"v", "1"}}}}}});
  EXPECT_EQ(out["metadata"]["labels"], Json({{"app", "web"}, {"v", "1"}}));
}

TEST(StrategicMergePatchTest, ContainersMergeByName) {
  Json live = {{"spec",
                {{"containers",
                  {{{"name", "a"}, {"image", "a:1"}, {"ports", {{{"containerPort", 80}, {"name", "http"}}}}},
                   {{"name", "b"}, {"image", "b:1"}}}}}}};
  Json out = smp(live, {{"spec", {{"containers", {{{"name", "a"}, {"image", "a:2"}}}}}}});
  ASSERT_EQ(out["spec"]["containers"].size(), 2u);
  EXPECT_EQ(out["spec"]["containers"][0]["image"], "a:2");
  EXPECT_EQ(out["spec"]["containers"][0]["ports"][0]["containerPort"], 80);  // untouched fields stay
  EXPECT_EQ(out["spec"]["containers"][1]["image"], "b:1");

  // A new name appends; $patch: delete removes by key.
  out = smp(live, {{"spec", {{"containers", {{{"name", "c"}, {"image", "c:1"}}, {{"$patch", "delete"}, {"name", "b"}}}}}}});
  ASSERT_EQ(out["spec"]["containers"].size(), 2u);
  EXPECT_EQ(out["spec"]["containers"][0]["name"], "a");
  EXPECT_EQ(out["spec"]["containers"][1]["name"], "c");
  EXPECT_FALSE(out["spec"]["containers"][1].contains("$patch"));
}

TEST(StrategicMergePatchTest, ContainerPortsMergeByContainerPortInWorkloads) {
  Json live = {{"spec",
                {{"template",
                  {{"spec",
                    {{"containers",
                      {{{"name", "app"}, {"ports", {{{"containerPort", 80}}, {{"containerPort", 81}}}}}}}}}}}}}};
  Json patch = {{"spec",
                 {{"template",
                   {{"spec",
                     {{"containers",
                       {{{"name", "app"},
                         {"ports", {{{"containerPort", 80}, {"name", "http"}}, {{"$patch", "delete"}, {"containerPort", 81}}}}}}}}}}}}}};
  Json out = smp(live, patch, "Deployment", "apps");
  EXPECT_EQ(out["spec"]["template"]["spec"]["containers"][0]["ports"], Json::array({{{"containerPort", 80}, {"name", "http"}}}));
}

TEST(StrategicMergePatchTest, KubectlServicePortChange) {
  // The patch kubectl sent when a Service's port went 80 -> 8080 and it gained a selector label
  // (../shared/research/kubectl-api.md).
  Json live = {{"spec",
                {{"ports", {{{"name", "http"}, {"port", 80}, {"targetPort", 80}}}},
                 {"selector", {{"app", "web"}}},
                 {"clusterIP", "10.96.0.10"}}}};
  Json patch = Json::parse(
      R"({"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\n"}},)"
      R"("spec":{"$setElementOrder/ports":[{"port":8080}],"ports":[{"name":"http","port":8080,"targetPort":80},)"
      R"({"$patch":"delete","port":80}],"selector":{"tier":"front"}}})");
  Json out = smp(live, patch, "Service");
  EXPECT_EQ(out["spec"]["ports"], Json::array({{{"name", "http"}, {"port", 8080}, {"targetPort", 80}}}));
  EXPECT_EQ(out["spec"]["selector"], Json({{"app", "web"}, {"tier", "front"}}));
  EXPECT_EQ(out["spec"]["clusterIP"], "10.96.0.10");  // what the server set survives
  EXPECT_EQ(out["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"], "{}\n");
  EXPECT_FALSE(out["spec"].contains("$setElementOrder/ports"));
}

TEST(StrategicMergePatchTest, SetElementOrderReorders) {
  Json live = {{"spec", {{"containers", {{{"name", "a"}}, {{"name", "b"}}, {{"name", "x"}}}}}}};
  Json out = smp(live, {{"spec", {{"$setElementOrder/containers", {{{"name", "b"}}, {{"name", "a"}}}}}}});
  ASSERT_EQ(out["spec"]["containers"].size(), 3u);
  EXPECT_EQ(out["spec"]["containers"][0]["name"], "b");
  EXPECT_EQ(out["spec"]["containers"][1]["name"], "a");
  EXPECT_EQ(out["spec"]["containers"][2]["name"], "x");  // not listed: kept, after
}

TEST(StrategicMergePatchTest, FinalizersAreASetWithDeleteFromPrimitiveList) {
  Json live = {{"metadata", {{"finalizers", {"example.com/a", "example.com/b"}}}}};
  Json out = smp(live, {{"metadata",
                         {{"$deleteFromPrimitiveList/finalizers", {"example.com/a"}}, {"finalizers", {"example.com/c"}}}}});
  EXPECT_EQ(out["metadata"]["finalizers"], Json::array({"example.com/b", "example.com/c"}));
}

TEST(StrategicMergePatchTest, ListsWithoutMergeKeyReplace) {
  Json live = {{"spec", {{"tolerations", {{{"key", "a"}}}}, {"containers", Json::array()}}}};
  Json out = smp(live, {{"spec", {{"tolerations", {{{"key", "b"}}}}}}});
  EXPECT_EQ(out["spec"]["tolerations"], Json::array({{{"key", "b"}}}));
}

TEST(StrategicMergePatchTest, PatchReplaceAndRetainKeys) {
  Json live = {{"spec", {{"strategy", {{"type", "RollingUpdate"}, {"rollingUpdate", {{"maxSurge", 1}}}}}}}};
  Json out = smp(live, {{"spec", {{"strategy", {{"$retainKeys", {"type"}}, {"type", "Recreate"}}}}}}, "Deployment", "apps");
  EXPECT_EQ(out["spec"]["strategy"], Json({{"type", "Recreate"}}));

  out = smp(live, {{"spec", {{"strategy", {{"$patch", "replace"}, {"type", "Recreate"}}}}}}, "Deployment", "apps");
  EXPECT_EQ(out["spec"]["strategy"], Json({{"type", "Recreate"}}));

  Json pods = {{"spec", {{"containers", {{{"name", "a"}}, {{"name", "b"}}}}}}};
  out = smp(pods, {{"spec", {{"containers", {{{"$patch", "replace"}}, {{"name", "c"}}}}}}});
  EXPECT_EQ(out["spec"]["containers"], Json::array({{{"name", "c"}}}));
}

TEST(StrategicMergePatchTest, ElementWithoutMergeKeyIsAnError) {
  Json live = {{"spec", {{"containers", {{{"name", "a"}}}}}}};
  EXPECT_FALSE(strategic_merge_patch(live, {{"spec", {{"containers", {{{"image", "x"}}}}}}}, "", "Pod").ok());
  EXPECT_FALSE(strategic_merge_patch(live, Json::array(), "", "Pod").ok());
}

// ---- server-side apply ----

ApplyRequest by(const std::string& manager) { return {manager, "v1", "2026-01-01T00:00:00Z"}; }

Json ssa(const Json& live, const Json& applied, const std::string& manager = "kubectl",
           const std::string& kind = "Service") {
  auto r = server_side_apply(live, applied, by(manager), "", kind);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : Json();
}

const Json kService = {{"apiVersion", "v1"},
                       {"kind", "Service"},
                       {"metadata", {{"name", "web"}, {"labels", {{"app", "web"}, {"tier", "front"}}}}},
                       {"spec", {{"ports", {{{"port", 80}, {"name", "http"}}}}, {"selector", {{"app", "web"}}}}}};

TEST(ServerSideApplyTest, CreatesAndRecordsManagedFields) {
  Json out = ssa(nullptr, kService);
  EXPECT_EQ(out["spec"], kService["spec"]);
  ASSERT_TRUE(out["metadata"]["managedFields"].is_array());
  const Json& entry = out["metadata"]["managedFields"][0];
  EXPECT_EQ(entry["manager"], "kubectl");
  EXPECT_EQ(entry["operation"], "Apply");
  EXPECT_EQ(entry["fieldsType"], "FieldsV1");
  EXPECT_TRUE(entry["fieldsV1"]["f:metadata"]["f:labels"].contains("f:tier"));
  EXPECT_TRUE(entry["fieldsV1"]["f:spec"]["f:ports"].contains("k:{\"port\":80}"));
  EXPECT_FALSE(entry["fieldsV1"]["f:metadata"].contains("f:name"));
}

TEST(ServerSideApplyTest, RemovesWhatTheManagerNoLongerApplies) {
  Json live = ssa(nullptr, kService);
  live["spec"]["clusterIP"] = "10.96.0.10";  // set by the server: nobody applied it
  Json next = kService;
  next["metadata"]["labels"].erase("tier");
  next["spec"]["ports"] = {{{"port", 8080}, {"name", "http"}}};
  Json out = ssa(live, next);
  EXPECT_EQ(out["metadata"]["labels"], Json({{"app", "web"}}));
  EXPECT_EQ(out["spec"]["ports"], Json::array({{{"port", 8080}, {"name", "http"}}}));
  EXPECT_EQ(out["spec"]["clusterIP"], "10.96.0.10");
}

TEST(ServerSideApplyTest, KeepsOtherManagersFields) {
  Json live = ssa(nullptr, kService);
  // kubectl's second request after a client-side apply: only the last-applied annotation.
  Json annotation = {{"apiVersion", "v1"},
                     {"kind", "Service"},
                     {"metadata", {{"name", "web"}, {"annotations", {{"kubectl.kubernetes.io/last-applied-configuration", "{}"}}}}}};
  Json out = ssa(live, annotation, "kubectl-last-applied");
  EXPECT_EQ(out["spec"], kService["spec"]);  // never a full replacement
  EXPECT_EQ(out["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"], "{}");
  EXPECT_EQ(out["metadata"]["managedFields"].size(), 2u);
  // The other manager's fields stay when it stops applying a label it never applied.
  Json again = kService;
  again["metadata"]["labels"]["extra"] = "1";
  out = ssa(out, again);
  EXPECT_EQ(out["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"], "{}");
  EXPECT_EQ(out["metadata"]["labels"]["extra"], "1");
}

TEST(ServerSideApplyTest, KeyedListsMergeByKey) {
  Json live = Json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
      "spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"s:1"}]}}}})");
  Json applied = Json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
      "spec":{"template":{"spec":{"containers":[{"name":"app","image":"a:1"}]}}}})");
  auto r = server_side_apply(live, applied, by("kubectl"), "apps", "Deployment");
  ASSERT_TRUE(r.ok());
  const Json& containers = (*r)["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(containers.size(), 2u);  // the injected sidecar is not the applier's to remove
  EXPECT_EQ(containers[0]["name"], "app");
  EXPECT_EQ(containers[1]["name"], "sidecar");
}

TEST(ServerSideApplyTest, NoOpReturnsTheLiveObjectUnchanged) {
  Json live = ssa(nullptr, kService);
  ApplyRequest later = by("kubectl");
  later.time = "2026-01-02T00:00:00Z";
  auto r = server_side_apply(live, kService, later, "", "Service");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, live);  // not even the managedFields time moves
}

TEST(ServerSideApplyTest, CustomResourceListsAreAtomic) {
  Json vs = {{"apiVersion", "networking.istio.io/v1"},
             {"kind", "VirtualService"},
             {"metadata", {{"name", "web"}}},
             {"spec", {{"hosts", {"a", "b"}}}}};
  auto first = server_side_apply(nullptr, vs, by("kubectl"), "networking.istio.io", "VirtualService");
  ASSERT_TRUE(first.ok());
  vs["spec"]["hosts"] = {"c"};
  auto second = server_side_apply(*first, vs, by("kubectl"), "networking.istio.io", "VirtualService");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)["spec"]["hosts"], Json::array({"c"}));
}

TEST(ServerSideApplyTest, NeedsAFieldManager) {
  EXPECT_FALSE(server_side_apply(nullptr, kService, by(""), "", "Service").ok());
  EXPECT_FALSE(server_side_apply(nullptr, Json::array(), by("kubectl"), "", "Service").ok());
}

}  // namespace
}  // namespace gwsim::fakes
