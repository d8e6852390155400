#include "fakes/apiserver/resources.h"

#include <gtest/gtest.h>

namespace gwsim::fakes {
namespace {

TEST(ApiResources, ServesCoreAppsAndIstioKinds) {
  for (const auto& [group, version, plural] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"", "v1", "pods"},
           {"", "v1", "services"},
           {"", "v1", "endpoints"},
           {"", "v1", "namespaces"},
           {"", "v1", "secrets"},
           {"", "v1", "configmaps"},
           {"", "v1", "serviceaccounts"},
           {"apps", "v1", "deployments"},
           {"apps", "v1", "replicasets"},
           {"apps", "v1", "statefulsets"},
           {"apps", "v1", "daemonsets"},
           {"networking.istio.io", "v1", "virtualservices"},
           {"networking.istio.io", "v1beta1", "gateways"},
           {"networking.istio.io", "v1alpha3", "destinationrules"},
           {"networking.istio.io", "v1alpha3", "serviceentries"}})
    EXPECT_NE(find_resource(group, version, plural), nullptr) << group << "/" << version << " " << plural;
  EXPECT_EQ(find_resource("networking.istio.io", "v2", "virtualservices"), nullptr);
  EXPECT_EQ(find_resource("", "v1", "virtualservices"), nullptr);
}

TEST(ApiResources, GroupResourceNamesAsStatusMessagesDo) {
  EXPECT_EQ(find_resource("", "v1", "pods")->group_resource(), "pods");
  EXPECT_EQ(find_resource("apps", "v1", "deployments")->group_resource(), "deployments.apps");
  EXPECT_EQ(find_resource("networking.istio.io", "v1", "virtualservices")->group_resource(),
            "virtualservices.networking.istio.io");
  EXPECT_EQ(find_resource_by_kind("networking.istio.io", "Gateway")->group_version("v1beta1"),
            "networking.istio.io/v1beta1");
  EXPECT_EQ(find_resource_by_kind("", "Pod")->group_version("v1"), "v1");
}

TEST(ApiResources, OnlyBuiltInKindsTakeStrategicMergePatch) {
  EXPECT_TRUE(find_resource_by_kind("", "Service")->strategic_merge);
  EXPECT_TRUE(find_resource_by_kind("apps", "Deployment")->strategic_merge);
  EXPECT_FALSE(find_resource_by_kind("networking.istio.io", "VirtualService")->strategic_merge);
}

TEST(ApiPathTest, DiscoveryPaths) {
  EXPECT_EQ(parse_api_path("/version")->type, ApiPath::Type::kVersion);
  EXPECT_EQ(parse_api_path("/api")->type, ApiPath::Type::kCoreVersions);
  EXPECT_EQ(parse_api_path("/apis")->type, ApiPath::Type::kGroupList);
  EXPECT_EQ(parse_api_path("/apis/networking.istio.io")->type, ApiPath::Type::kGroup);
  EXPECT_EQ(parse_api_path("/api/v1")->type, ApiPath::Type::kResourceList);
  EXPECT_EQ(parse_api_path("/apis/networking.istio.io/v1alpha3")->type, ApiPath::Type::kResourceList);
  EXPECT_EQ(parse_api_path("/openapi/v2")->type, ApiPath::Type::kOpenApiV2);
  EXPECT_EQ(parse_api_path("/openapi/v3/apis/apps/v1")->type, ApiPath::Type::kOpenApiV3);
  EXPECT_FALSE(parse_api_path("/"));
  EXPECT_FALSE(parse_api_path("/healthz"));
  EXPECT_FALSE(parse_api_path("/api/v2"));
  EXPECT_FALSE(parse_api_path("/apis/example.com/v1"));
}

TEST(ApiPathTest, NamespacedCollectionsAndItems) {
  auto p = parse_api_path("/api/v1/namespaces/default/pods");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type, ApiPath::Type::kCollection);
  EXPECT_EQ(p->namespace_, "default");
  EXPECT_EQ(p->resource->kind, "Pod");

  p = parse_api_path("/apis/networking.istio.io/v1beta1/namespaces/shop/virtualservices/web");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type, ApiPath::Type::kItem);
  EXPECT_EQ(p->group, "networking.istio.io");
  EXPECT_EQ(p->version, "v1beta1");
  EXPECT_EQ(p->namespace_, "shop");
  EXPECT_EQ(p->name, "web");

  p = parse_api_path("/apis/apps/v1/namespaces/default/deployments/web/scale");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->subresource, "scale");

  // Across namespaces (kubectl get -A).
  p = parse_api_path("/api/v1/pods");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type, ApiPath::Type::kCollection);
  EXPECT_EQ(p->namespace_, "");
  // A namespaced item needs its namespace.
  EXPECT_FALSE(parse_api_path("/api/v1/pods/web"));
  EXPECT_FALSE(parse_api_path("/api/v1/namespaces/default/widgets"));
}

TEST(ApiPathTest, NamespacesAreClusterScoped) {
  auto p = parse_api_path("/api/v1/namespaces");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type, ApiPath::Type::kCollection);
  EXPECT_EQ(p->resource->kind, "Namespace");
  p = parse_api_path("/api/v1/namespaces/shop");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type, ApiPath::Type::kItem);
  EXPECT_EQ(p->name, "shop");
  EXPECT_EQ(p->namespace_, "");
  p = parse_api_path("/api/v1/namespaces/shop/status");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "shop");
  EXPECT_EQ(p->subresource, "status");
}

TEST(DiscoveryTest, VersionReportsMinor32) {
  Json v = version_document();
  EXPECT_EQ(v["major"], "1");
  EXPECT_EQ(v["minor"], "32");  // keeps kubectl's dispatcher on its built-in client
}

TEST(DiscoveryTest, GroupListPrefersIstioV1) {
  Json groups = group_list_document();
  EXPECT_EQ(groups["kind"], "APIGroupList");
  const Json* istio = nullptr;
  for (const auto& g : groups["groups"])
    if (g["name"] == "networking.istio.io") istio = &g;
  ASSERT_NE(istio, nullptr);
  EXPECT_EQ((*istio)["preferredVersion"]["version"], "v1");
  ASSERT_EQ((*istio)["versions"].size(), 3u);
  EXPECT_EQ((*istio)["versions"][0]["groupVersion"], "networking.istio.io/v1");
  EXPECT_EQ(core_versions_document("127.0.0.1:1")["versions"], Json::array({"v1"}));
}

TEST(DiscoveryTest, ResourceListsCarryShortNamesScopeAndVerbs) {
  auto core = resource_list_document("", "v1");
  ASSERT_TRUE(core);
  EXPECT_EQ((*core)["groupVersion"], "v1");
  bool saw_namespaces = false, saw_pods = false;
  for (const auto& r : (*core)["resources"]) {
    if (r["name"] == "namespaces") {
      saw_namespaces = true;
      EXPECT_EQ(r["namespaced"], false);
      EXPECT_EQ(r["shortNames"], Json::array({"ns"}));
    }
    if (r["name"] == "pods") {
      saw_pods = true;
      EXPECT_EQ(r["namespaced"], true);
      EXPECT_EQ(r["categories"], Json::array({"all"}));
      EXPECT_NE(std::find(r["verbs"].begin(), r["verbs"].end(), "watch"), r["verbs"].end());
    }
  }
  EXPECT_TRUE(saw_namespaces && saw_pods);

  auto istio = resource_list_document("networking.istio.io", "v1beta1");
  ASSERT_TRUE(istio);
  EXPECT_EQ((*istio)["groupVersion"], "networking.istio.io/v1beta1");
  std::map<std::string, std::string> short_names;
  for (const auto& r : (*istio)["resources"]) short_names[r["name"]] = r["shortNames"][0];
  EXPECT_EQ(short_names["gateways"], "gw");
  EXPECT_EQ(short_names["virtualservices"], "vs");
  EXPECT_EQ(short_names["destinationrules"], "dr");
  EXPECT_EQ(short_names["serviceentries"], "se");

  auto apps = resource_list_document("apps", "v1");
  ASSERT_TRUE(apps);
  bool scale = false;
  for (const auto& r : (*apps)["resources"])
    if (r["name"] == "deployments/scale") scale = r["kind"] == "Scale" && r["group"] == "autoscaling";
  EXPECT_TRUE(scale);

  EXPECT_FALSE(resource_list_document("apps", "v1beta1"));
  EXPECT_TRUE(group_document("apps"));
  EXPECT_FALSE(group_document("example.com"));
}

}  // namespace
}  // namespace gwsim::fakes
