#include "fakes/apiserver/table.h"

#include <gtest/gtest.h>

#include "fakes/store/api_store.h"

namespace gwsim::fakes {
namespace {

const std::int64_t kT0 = SimulatedClock::kEpoch;

TEST(HumanDurationTest, AsKubernetesPrintsIt) {
  EXPECT_EQ(human_duration(-5), "<invalid>");
  EXPECT_EQ(human_duration(-1), "0s");
  EXPECT_EQ(human_duration(0), "0s");
  EXPECT_EQ(human_duration(119), "119s");
  EXPECT_EQ(human_duration(120), "2m");
  EXPECT_EQ(human_duration(150), "2m30s");
  EXPECT_EQ(human_duration(15 * 60 + 5), "15m");
  EXPECT_EQ(human_duration(3 * 3600), "3h");
  EXPECT_EQ(human_duration(3 * 3600 + 20 * 60), "3h20m");
  EXPECT_EQ(human_duration(30 * 3600), "30h");
  EXPECT_EQ(human_duration(52 * 3600), "2d4h");
  EXPECT_EQ(human_duration(48 * 3600), "2d");
  EXPECT_EQ(human_duration(400 * 86400), "400d");
  EXPECT_EQ(human_duration((2 * 365 + 10) * 86400), "2y10d");
  EXPECT_EQ(human_duration(10LL * 365 * 86400), "10y");
}

Json pod(const std::string& name, bool ready) {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", name}, {"namespace", "default"}, {"creationTimestamp", format_timestamp(kT0)}}},
          {"spec", {{"containers", {{{"name", "a"}}, {{"name", "b"}}}}}},
          {"status",
           {{"phase", "Running"},
            {"podIP", "127.1.0.1"},
            {"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}}}}};
}

std::vector<std::string> names(const Json& table) {
  std::vector<std::string> out;
  for (const auto& c : table["columnDefinitions"]) out.push_back(c["name"]);
  return out;
}

TEST(TableTest, PodsAsKubectlGetPods) {
  const ResourceInfo& pods = *find_resource("", "v1", "pods");
  TableOptions options;
  options.now = kT0 + 65;
  Json t = make_table(pods, {pod("web", true), pod("api", false)}, options, "42");
  EXPECT_EQ(t["kind"], "Table");
  EXPECT_EQ(t["apiVersion"], "meta.k8s.io/v1");
  EXPECT_EQ(t["metadata"]["resourceVersion"], "42");
  EXPECT_EQ(names(t), (std::vector<std::string>{"Name", "Ready", "Status", "Restarts", "Age", "IP", "Node",
                                                "Nominated Node", "Readiness Gates"}));
  EXPECT_EQ(t["columnDefinitions"][0]["format"], "name");
  EXPECT_EQ(t["columnDefinitions"][5]["priority"], 1);  // IP only with -o wide
  EXPECT_EQ(t["rows"][0]["cells"], Json::array({"web", "2/2", "Running", "0", "65s", "127.1.0.1", "<none>", "<none>",
                                                "<none>"}));
  EXPECT_EQ(t["rows"][1]["cells"][1], "0/2");
  // Row objects must carry kind/apiVersion, or kubectl stops treating the answer as a Table.
  EXPECT_EQ(t["rows"][0]["object"]["kind"], "PartialObjectMetadata");
  EXPECT_EQ(t["rows"][0]["object"]["apiVersion"], "meta.k8s.io/v1");
  EXPECT_EQ(t["rows"][0]["object"]["metadata"]["name"], "web");
  EXPECT_FALSE(t["rows"][0]["object"].contains("spec"));
}

TEST(TableTest, IncludeObject) {
  const ResourceInfo& pods = *find_resource("", "v1", "pods");
  TableOptions options;
  options.include_object = TableOptions::IncludeObject::kObject;
  Json t = make_table(pods, {pod("web", true)}, options);
  EXPECT_EQ(t["rows"][0]["object"]["kind"], "Pod");
  EXPECT_TRUE(t["rows"][0]["object"].contains("spec"));
  EXPECT_FALSE(t["metadata"].contains("resourceVersion"));
  options.include_object = TableOptions::IncludeObject::kNone;
  t = make_table(pods, {pod("web", true)}, options);
  EXPECT_FALSE(t["rows"][0].contains("object"));
}

TEST(TableTest, IstioPrinterColumns) {
  TableOptions options;
  options.now = kT0 + 3600;
  Json vs = {{"metadata", {{"name", "web"}, {"creationTimestamp", format_timestamp(kT0)}}},
             {"spec", {{"gateways", {"gw"}}, {"hosts", {"a.example.com", "b"}}}}};
  Json t = make_table(*find_resource_by_kind("networking.istio.io", "VirtualService"), {vs}, options);
  EXPECT_EQ(names(t), (std::vector<std::string>{"Name", "Gateways", "Hosts", "Age"}));
  EXPECT_EQ(t["rows"][0]["cells"], Json::array({"web", "[\"gw\"]", "[\"a.example.com\",\"b\"]", "60m"}));

  Json dr = {{"metadata", {{"name", "d"}}}, {"spec", {{"host", "svc"}}}};
  t = make_table(*find_resource_by_kind("networking.istio.io", "DestinationRule"), {dr}, options);
  EXPECT_EQ(t["rows"][0]["cells"], Json::array({"d", "svc", "<unknown>"}));
  t = make_table(*find_resource_by_kind("networking.istio.io", "Gateway"), {dr}, options);
  EXPECT_EQ(names(t), (std::vector<std::string>{"Name", "Age"}));
  Json se = {{"metadata", {{"name", "s"}}}, {"spec", {{"hosts", {"x"}}, {"location", "MESH_EXTERNAL"}, {"resolution", "DNS"}}}};
  t = make_table(*find_resource_by_kind("networking.istio.io", "ServiceEntry"), {se}, options);
  EXPECT_EQ(t["rows"][0]["cells"], Json::array({"s", "[\"x\"]", "MESH_EXTERNAL", "DNS", "<unknown>"}));
}

TEST(TableTest, ServicesEndpointsAndWorkloads) {
  TableOptions options;
  Json svc = {{"metadata", {{"name", "gw"}}},
              {"spec",
               {{"type", "LoadBalancer"},
                {"clusterIP", "10.96.0.10"},
                {"selector", {{"istio", "ingressgateway"}}},
                {"ports", {{{"port", 80}, {"nodePort", 30000}}, {{"port", 443}, {"protocol", "TCP"}}}}}}};
  Json t = make_table(*find_resource_by_kind("", "Service"), {svc}, options);
  EXPECT_EQ(names(t), (std::vector<std::string>{"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"}));
  EXPECT_EQ(t["rows"][0]["cells"][1], "LoadBalancer");
  EXPECT_EQ(t["rows"][0]["cells"][2], "10.96.0.10");
  EXPECT_EQ(t["rows"][0]["cells"][3], "<pending>");
  EXPECT_EQ(t["rows"][0]["cells"][4], "80:30000/TCP,443/TCP");
  EXPECT_EQ(t["rows"][0]["cells"][6], "istio=ingressgateway");

  Json ep = {{"metadata", {{"name", "web"}}},
             {"subsets",
              {{{"addresses", {{{"ip", "127.1.0.1"}}, {{"ip", "127.1.0.2"}}}},
                {"ports", {{{"port", 8080}}, {{"port", 9090}}}}}}}};
  t = make_table(*find_resource_by_kind("", "Endpoints"), {ep}, options);
  EXPECT_EQ(t["rows"][0]["cells"][1], "127.1.0.1:8080,127.1.0.2:8080,127.1.0.1:9090 + 1 more...");

  Json deploy = {{"metadata", {{"name", "web"}}},
                 {"spec",
                  {{"replicas", 3},
                   {"selector", {{"matchLabels", {{"app", "web"}}}}},
                   {"template", {{"spec", {{"containers", {{{"name", "app"}, {"image", "web:1"}}}}}}}}}},
                 {"status", {{"readyReplicas", 2}, {"updatedReplicas", 3}, {"availableReplicas", 2}}}};
  t = make_table(*find_resource_by_kind("apps", "Deployment"), {deploy}, options);
  EXPECT_EQ(names(t), (std::vector<std::string>{"Name", "Ready", "Up-to-date", "Available", "Age", "Containers",
                                                "Images", "Selector"}));
  EXPECT_EQ(t["rows"][0]["cells"], Json::array({"web", "2/3", 3, 2, "<unknown>", "app", "web:1", "app=web"}));

  Json ns = {{"metadata", {{"name", "default"}}}};
  t = make_table(*find_resource_by_kind("", "Namespace"), {ns}, options);
  EXPECT_EQ(t["rows"][0]["cells"][1], "Active");
}

// The Gateway API CRDs' additionalPrinterColumns: a missing field is a null cell (kubectl prints
// it empty), a list prints as JSON, and only the first of several addresses is shown.
TEST(TableTest, GatewayApiPrinterColumns) {
  TableOptions options;
  const std::string gw = "gateway.networking.k8s.io";
  Json gateway = {{"metadata", {{"name", "web"}}},
                  {"spec", {{"gatewayClassName", "istio"}}},
                  {"status",
                   {{"addresses", {{{"type", "IPAddress"}, {"value", "192.0.2.1"}}, {{"value", "192.0.2.2"}}}},
                    {"conditions",
                     {{{"type", "Accepted"}, {"status", "True"}}, {{"type", "Programmed"}, {"status", "False"}}}}}}};
  Json t = make_table(*find_resource_by_kind(gw, "Gateway"), {gateway}, options);
  EXPECT_EQ(names(t), (std::vector<std::string>{"Name", "Class", "Address", "Programmed", "Age"}));
  EXPECT_EQ(t["rows"][0]["cells"], Json::array({"web", "istio", "192.0.2.1", "False", "<unknown>"}));
  Json bare = {{"metadata", {{"name", "new"}}}, {"spec", {{"gatewayClassName", "istio"}}}};
  t = make_table(*find_resource_by_kind(gw, "Gateway"), {bare}, options);
  EXPECT_EQ(t["rows"][0]["cells"], Json::array({"new", "istio", nullptr, nullptr, "<unknown>"}));

  Json route = {{"metadata", {{"name", "r"}}}, {"spec", {{"hostnames", {"a.example.com", "b.example.com"}}}}};
  t = make_table(*find_resource_by_kind(gw, "HTTPRoute"), {route}, options);
  EXPECT_EQ(names(t), (std::vector<std::string>{"Name", "Hostnames", "Age"}));
  EXPECT_EQ(t["rows"][0]["cells"][1], "[\"a.example.com\",\"b.example.com\"]");

  Json gc = {{"metadata", {{"name", "istio"}}},
             {"spec", {{"controllerName", "istio.io/gateway-controller"}, {"description", "d"}}},
             {"status", {{"conditions", {{{"type", "Accepted"}, {"status", "True"}}}}}}};
  t = make_table(*find_resource_by_kind(gw, "GatewayClass"), {gc}, options);
  EXPECT_EQ(names(t), (std::vector<std::string>{"Name", "Controller", "Accepted", "Age", "Description"}));
  EXPECT_EQ(t["columnDefinitions"][4]["priority"], 1);  // -o wide only
  EXPECT_EQ(t["rows"][0]["cells"], Json::array({"istio", "istio.io/gateway-controller", "True", "<unknown>", "d"}));

  t = make_table(*find_resource_by_kind(gw, "ReferenceGrant"), {gc}, options);
  EXPECT_EQ(names(t), (std::vector<std::string>{"Name", "Age"}));
  t = make_table(*find_resource_by_kind(gw, "ListenerSet"), {gc}, options);
  EXPECT_EQ(names(t), (std::vector<std::string>{"Name", "Accepted", "Programmed", "Age"}));
}

// Kubernetes' printIngress and printIngressClass.
TEST(TableTest, IngressColumns) {
  TableOptions options;
  Json ing = {{"metadata", {{"name", "web"}}},
              {"spec",
               {{"ingressClassName", "istio"},
                {"tls", {{{"hosts", {"a"}}}}},
                {"rules", {{{"host", "a"}}, {{"host", "b"}}, {{"host", "c"}}, {{"host", "d"}}, {{"host", "e"}}}}}},
              {"status", {{"loadBalancer", {{"ingress", {{{"ip", "192.0.2.1"}}, {{"hostname", "lb.example"}}}}}}}}};
  Json t = make_table(*find_resource_by_kind("networking.k8s.io", "Ingress"), {ing}, options);
  EXPECT_EQ(names(t), (std::vector<std::string>{"Name", "Class", "Hosts", "Address", "Ports", "Age"}));
  EXPECT_EQ(t["rows"][0]["cells"],
            Json::array({"web", "istio", "a,b,c + 2 more...", "192.0.2.1,lb.example", "80, 443", "<unknown>"}));
  Json plain = {{"metadata", {{"name", "any"}}}, {"spec", {{"defaultBackend", Json::object()}}}};
  t = make_table(*find_resource_by_kind("networking.k8s.io", "Ingress"), {plain}, options);
  EXPECT_EQ(t["rows"][0]["cells"], Json::array({"any", "<none>", "*", "", "80", "<unknown>"}));

  Json ic = {{"metadata", {{"name", "istio"}}},
             {"spec",
              {{"controller", "istio.io/ingress-controller"},
               {"parameters", {{"apiGroup", "example.com"}, {"kind", "Params"}, {"name", "p"}}}}}};
  t = make_table(*find_resource_by_kind("networking.k8s.io", "IngressClass"), {ic}, options);
  EXPECT_EQ(t["rows"][0]["cells"],
            Json::array({"istio", "istio.io/ingress-controller", "Params.example.com/p", "<unknown>"}));
}

}  // namespace
}  // namespace gwsim::fakes
