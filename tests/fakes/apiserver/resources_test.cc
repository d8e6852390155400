#include "fakes/apiserver/resources.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

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
  EXPECT_EQ(parse_api_path("/healthz")->type, ApiPath::Type::kHealth);
  EXPECT_EQ(parse_api_path("/readyz/ping")->name, "readyz");
  EXPECT_FALSE(parse_api_path("/metrics"));
  EXPECT_FALSE(parse_api_path("/api/v2"));
  EXPECT_FALSE(parse_api_path("/apis/example.com/v1"));
  EXPECT_EQ(parse_api_path("/api/v1/namespaces/default/pods/web-1/exec")->subresource, "exec");
  EXPECT_FALSE(parse_api_path("/api/v1/namespaces/default/services/web/exec"));
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
  for (const auto& r : (*istio)["resources"]) {
    if (r.contains("shortNames") && !r["shortNames"].empty()) short_names[r["name"]] = r["shortNames"][0];
  }
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

TEST(DiscoveryTest, VersionsInKubernetesPriorityOrder) {
  EXPECT_LT(compare_kube_versions("v1", "v1beta1"), 0);
  EXPECT_LT(compare_kube_versions("v2", "v1"), 0);
  EXPECT_LT(compare_kube_versions("v1beta2", "v1beta1"), 0);
  EXPECT_LT(compare_kube_versions("v1beta1", "v1alpha3"), 0);
  EXPECT_LT(compare_kube_versions("v1alpha3", "v1alpha2"), 0);
  EXPECT_LT(compare_kube_versions("v1alpha1", "foo"), 0);  // anything not Kubernetes-like last
  EXPECT_GT(compare_kube_versions("v10alpha1", "v2"), 0);
  EXPECT_EQ(compare_kube_versions("v1beta1", "v1beta1"), 0);
  EXPECT_GT(compare_kube_versions("v01", "v1"), 0);  // a leading zero is not a version number
}

// Each Gateway API kind is served in the versions its CRD (v1.6.1, standard channel) has with
// `served: true`; the group lists their union and each version only its own resources.
TEST(DiscoveryTest, GatewayApiServesEachKindsOwnVersions) {
  const std::string gw = "gateway.networking.k8s.io";
  EXPECT_NE(find_resource(gw, "v1beta1", "httproutes"), nullptr);
  EXPECT_NE(find_resource(gw, "v1beta1", "gatewayclasses"), nullptr);
  EXPECT_NE(find_resource(gw, "v1beta1", "referencegrants"), nullptr);
  EXPECT_EQ(find_resource(gw, "v1beta1", "grpcroutes"), nullptr);
  EXPECT_EQ(find_resource(gw, "v1alpha2", "tlsroutes"), nullptr);  // served: false
  EXPECT_EQ(find_resource(gw, "v1alpha3", "backendtlspolicies"), nullptr);
  EXPECT_FALSE(parse_api_path("/apis/gateway.networking.k8s.io/v1alpha2"));
  EXPECT_FALSE(parse_api_path("/apis/gateway.networking.k8s.io/v1beta1/namespaces/default/grpcroutes"));

  auto group = group_document(gw);
  ASSERT_TRUE(group);
  EXPECT_EQ((*group)["preferredVersion"]["version"], "v1");
  ASSERT_EQ((*group)["versions"].size(), 2u);
  EXPECT_EQ((*group)["versions"][1]["groupVersion"], "gateway.networking.k8s.io/v1beta1");

  auto names = [](const Json& list) {
    std::map<std::string, Json> out;
    for (const auto& r : list["resources"]) out[r["name"].get<std::string>()] = r;
    return out;
  };
  auto v1 = names(*resource_list_document(gw, "v1"));
  EXPECT_EQ(v1.size(), 9u);
  EXPECT_EQ(v1["gatewayclasses"]["namespaced"], false);
  EXPECT_EQ(v1["gatewayclasses"]["shortNames"], Json::array({"gc"}));
  EXPECT_EQ(v1["gateways"]["shortNames"], Json::array({"gtw"}));
  EXPECT_EQ(v1["referencegrants"]["shortNames"], Json::array({"refgrant"}));
  EXPECT_EQ(v1["backendtlspolicies"]["shortNames"], Json::array({"btlspolicy"}));
  EXPECT_EQ(v1["listenersets"]["shortNames"], Json::array({"lset"}));
  EXPECT_FALSE(v1["httproutes"].contains("shortNames"));
  EXPECT_EQ(v1["httproutes"]["categories"], Json::array({"gateway-api"}));
  auto beta = names(*resource_list_document(gw, "v1beta1"));
  EXPECT_EQ(beta.size(), 4u);  // gatewayclasses, gateways, httproutes, referencegrants
  EXPECT_FALSE(beta.count("grpcroutes"));
  EXPECT_FALSE(resource_list_document(gw, "v1alpha2"));
  EXPECT_FALSE(find_resource_by_kind(gw, "GatewayClass")->strategic_merge);
}

TEST(DiscoveryTest, IngressIsBuiltIn) {
  const ResourceInfo* ingress = find_resource("networking.k8s.io", "v1", "ingresses");
  ASSERT_NE(ingress, nullptr);
  EXPECT_EQ(ingress->short_names, std::vector<std::string>{"ing"});
  EXPECT_TRUE(ingress->categories.empty());
  EXPECT_TRUE(ingress->strategic_merge);
  EXPECT_FALSE(find_resource("networking.k8s.io", "v1", "ingressclasses")->namespaced);
}

// kubectl resolves an unqualified resource in discovery order: kube-apiserver lists built-in
// groups first and CRD groups by name, so `kubectl get gateway` is the Gateway API's.
TEST(DiscoveryTest, GatewayApiGroupBeforeIstios) {
  std::vector<std::string> order;
  const Json groups = group_list_document();
  for (const auto& g : groups["groups"]) order.push_back(g["name"]);
  auto at = [&](const std::string& name) { return std::find(order.begin(), order.end(), name) - order.begin(); };
  EXPECT_LT(at("apps"), at("networking.k8s.io"));
  EXPECT_LT(at("networking.k8s.io"), at("gateway.networking.k8s.io"));
  EXPECT_LT(at("extensions.istio.io"), at("gateway.networking.k8s.io"));
  EXPECT_LT(at("gateway.networking.k8s.io"), at("networking.istio.io"));
  EXPECT_LT(at("networking.istio.io"), at("security.istio.io"));
  EXPECT_EQ(at("security.istio.io"), static_cast<std::ptrdiff_t>(order.size()) - 1);
}

}  // namespace
}  // namespace gwsim::fakes
