// Tests of fakes/apiserver/api_server.h: requests answered through ApiServer::handle() (no
// network), and a few through real HTTP (streaming watches, dead watchers, the worker bound).
#include "fakes/apiserver/api_server.h"

#include <httplib.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/model/crd_schema.h"
#include "fakes/controllers/controllers.h"

namespace gwsim::fakes {
namespace {

using namespace std::chrono_literals;

constexpr const char* kJson = "application/json";
constexpr const char* kTable = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

ApiRequest req(const std::string& method, const std::string& target, const Json& body = nullptr,
               const std::string& content_type = kJson, const std::string& accept = kJson) {
  ApiRequest r;
  r.method = method;
  auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::istringstream in(target.substr(q + 1));
    std::string pair;
    while (std::getline(in, pair, '&')) {
      auto eq = pair.find('=');
      r.query.emplace(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
    }
  }
  r.accept = accept;
  r.content_type = content_type;
  if (!body.is_null()) r.body = body.dump();
  return r;
}

Json vs(const std::string& name, const std::string& host = "shop.example.com", const std::string& version = "v1") {
  return {{"apiVersion", "networking.istio.io/" + version},
          {"kind", "VirtualService"},
          {"metadata", {{"name", name}}},
          {"spec",
           {{"hosts", {host}},
            {"gateways", {"gw"}},
            {"http", {{{"route", {{{"destination", {{"host", "web"}}}}}}}}}}}};
}

Json service(const std::string& name, int port = 80) {
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", {{"name", name}, {"labels", {{"app", name}}}}},
          {"spec", {{"selector", {{"app", name}}}, {"ports", {{{"name", "http"}, {"port", port}}}}}}};
}

Json deployment(const std::string& name, int replicas) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", name}}},
          {"spec",
           {{"replicas", replicas},
            {"selector", {{"matchLabels", {{"app", name}}}}},
            {"template",
             {{"metadata", {{"labels", {{"app", name}}}}},
              {"spec", {{"containers", {{{"name", "app"}, {"image", name + ":1"}, {"ports", {{{"containerPort", 8080}}}}}}}}}}}}}};
}

const std::string kVsPath = "/apis/networking.istio.io/v1/namespaces/default/virtualservices";
const std::string kSvcPath = "/api/v1/namespaces/default/services";

struct Fixture : ::testing::Test {
  ApiStore store;
  std::atomic<int> reconciles{0};
  std::int64_t wall = 1'000'000;
  std::unique_ptr<ApiServer> server;

  void SetUp() override { server = make_server({}); }

  std::unique_ptr<ApiServer> make_server(ApiServerOptions options) {
    options.wall_clock = [this] { return wall; };
    if (options.heartbeat == ApiServerOptions{}.heartbeat) options.heartbeat = 20ms;
    return std::make_unique<ApiServer>(store, [this] { ++reconciles; }, options);
  }

  ApiResponse call(const ApiRequest& r) { return server->handle(r); }
  ApiResponse post(const std::string& path, const Json& body) { return call(req("POST", path, body)); }
  ApiResponse get(const std::string& path, const std::string& accept = kJson) {
    return call(req("GET", path, nullptr, kJson, accept));
  }
};

using ApiServerTest = Fixture;

// ---- discovery ----

TEST_F(ApiServerTest, Discovery) {
  auto v = get("/version");
  EXPECT_EQ(v.status, 200);
  EXPECT_EQ(v.content_type, "application/json");
  EXPECT_EQ(v.json()["minor"], "32");
  EXPECT_EQ(get("/api").json()["kind"], "APIVersions");
  EXPECT_EQ(get("/apis").json()["kind"], "APIGroupList");
  EXPECT_EQ(get("/api/v1").json()["kind"], "APIResourceList");
  EXPECT_EQ(get("/apis/networking.istio.io/v1alpha3").json()["groupVersion"], "networking.istio.io/v1alpha3");
  auto v2 = get("/openapi/v2");
  EXPECT_EQ(v2.status, 200);
  EXPECT_EQ(v2.content_type, "application/octet-stream");
  EXPECT_EQ(v2.body, std::string("\x0a\x03\x32\x2e\x30", 5));
  EXPECT_EQ(get("/openapi/v3").status, 404);
  // kube-apiserver's health endpoints: "ok", and each check with ?verbose.
  for (const char* health : {"/healthz", "/livez", "/readyz"}) {
    auto h = get(health);
    EXPECT_EQ(h.status, 200) << health;
    EXPECT_EQ(h.body, "ok") << health;
  }
  EXPECT_EQ(get("/readyz?verbose").body, "[+]ping ok\n[+]log ok\n[+]etcd ok\nreadyz check passed\n");
  auto missing = get("/nothing-here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["kind"], "Status");
  EXPECT_EQ(missing.json()["message"], "the server could not find the requested resource");
  EXPECT_EQ(call(req("POST", "/version")).status, 405);
}

TEST_F(ApiServerTest, ExecAndPortForwardSayTheyAreNotSupported) {
  for (const char* sub : {"exec", "attach", "portforward"}) {
    auto r = call(req("POST", std::string("/api/v1/namespaces/default/pods/web-1/") + sub));
    EXPECT_EQ(r.status, 400) << sub;
    EXPECT_NE(r.json()["message"].get<std::string>().find("is not supported by gwsim"), std::string::npos) << r.body;
  }
}

TEST_F(ApiServerTest, DefaultNamespacesExist) {
  Json list = get("/api/v1/namespaces").json();
  std::set<std::string> names;
  for (const auto& ns : list["items"]) names.insert(ns["metadata"]["name"]);
  EXPECT_TRUE(names.count("default") && names.count("kube-system") && names.count("istio-system"));
}

// ---- create / get / list ----

TEST_F(ApiServerTest, CreateFillsServerFieldsAndReconciles) {
  auto r = post(kVsPath, vs("web"));
  ASSERT_EQ(r.status, 201) << r.body;
  Json o = r.json();
  EXPECT_EQ(o["metadata"]["namespace"], "default");
  EXPECT_FALSE(o["metadata"]["uid"].get<std::string>().empty());
  EXPECT_TRUE(o["metadata"]["resourceVersion"].is_string());
  EXPECT_TRUE(o["metadata"]["creationTimestamp"].is_string());
  EXPECT_EQ(reconciles, 1);
  EXPECT_TRUE(store.get({"networking.istio.io", "VirtualService", "default", "web"}));

  auto again = post(kVsPath, vs("web"));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json()["reason"], "AlreadyExists");
  EXPECT_EQ(again.json()["message"], "virtualservices.networking.istio.io \"web\" already exists");
  EXPECT_EQ(reconciles, 1);
}

TEST_F(ApiServerTest, CreateRefusals) {
  auto missing_ns = post("/api/v1/namespaces/nowhere/services", service("web"));
  EXPECT_EQ(missing_ns.status, 404);
  EXPECT_EQ(missing_ns.json()["message"], "namespaces \"nowhere\" not found");

  Json other = service("web");
  other["metadata"]["namespace"] = "kube-system";
  EXPECT_EQ(post(kSvcPath, other).status, 400);

  auto bad_name = post(kSvcPath, service("Web_1"));
  EXPECT_EQ(bad_name.status, 422);
  EXPECT_EQ(bad_name.json()["reason"], "Invalid");
  EXPECT_EQ(bad_name.json()["details"]["causes"][0]["field"], "metadata.name");

  auto wrong_kind = post(kSvcPath, vs("web"));
  EXPECT_EQ(wrong_kind.status, 400);
  ApiRequest garbage_request = req("POST", kSvcPath);
  garbage_request.body = "{not json";
  auto garbage = call(garbage_request);
  EXPECT_EQ(garbage.status, 400);
  EXPECT_EQ(reconciles, 0);
}

TEST_F(ApiServerTest, ReadsProtobufBodies) {
  // What `kubectl create namespace shop` sends: "k8s\0", runtime.Unknown{typeMeta{v1, Namespace},
  // raw: Namespace{metadata{name: shop}}}.
  auto field = [](int number, const std::string& bytes) {
    return std::string(1, static_cast<char>(number << 3 | 2)) + static_cast<char>(bytes.size()) + bytes;
  };
  ApiRequest r = req("POST", "/api/v1/namespaces", nullptr, "application/vnd.kubernetes.protobuf");
  r.body = std::string("k8s\0", 4) + field(1, field(1, "v1") + field(2, "Namespace")) + field(2, field(1, field(1, "shop")));
  auto created = call(r);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["metadata"]["name"], "shop");
  EXPECT_TRUE(store.get({"", "Namespace", "", "shop"}));
  r.body = "garbage";
  EXPECT_EQ(call(r).status, 400);
  EXPECT_EQ(call(req("POST", "/api/v1/namespaces", nullptr, "application/cbor")).status, 415);
}

TEST_F(ApiServerTest, GenerateName) {
  Json cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"generateName", "cfg-"}}}};
  auto r = post("/api/v1/namespaces/default/configmaps", cm);
  ASSERT_EQ(r.status, 201) << r.body;
  std::string name = r.json()["metadata"]["name"];
  EXPECT_EQ(name.rfind("cfg-", 0), 0u);
  EXPECT_EQ(name.size(), 9u);
  auto again = post("/api/v1/namespaces/default/configmaps", cm);
  EXPECT_NE(again.json()["metadata"]["name"], name);
}

TEST_F(ApiServerTest, AllVersionsShareOneStore) {
  ASSERT_EQ(post("/apis/networking.istio.io/v1beta1/namespaces/default/virtualservices", vs("web", "a", "v1beta1")).status,
            201);
  auto v1 = get(kVsPath + "/web");
  ASSERT_EQ(v1.status, 200);
  EXPECT_EQ(v1.json()["apiVersion"], "networking.istio.io/v1");
  auto alpha = get("/apis/networking.istio.io/v1alpha3/namespaces/default/virtualservices");
  EXPECT_EQ(alpha.json()["kind"], "VirtualServiceList");
  EXPECT_EQ(alpha.json()["apiVersion"], "networking.istio.io/v1alpha3");
  EXPECT_EQ(alpha.json()["items"][0]["apiVersion"], "networking.istio.io/v1alpha3");
}

TEST_F(ApiServerTest, ListCarriesResourceVersionAndSelectors) {
  post(kSvcPath, service("web"));
  post(kSvcPath, service("api"));
  Json list = get(kSvcPath).json();
  EXPECT_EQ(list["kind"], "ServiceList");
  EXPECT_EQ(list["metadata"]["resourceVersion"], std::to_string(store.resource_version()));
  EXPECT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(get(kSvcPath + "?labelSelector=app%3Dweb").json()["items"].size(), 0u);  // not decoded here
  EXPECT_EQ(get(kSvcPath + "?labelSelector=app=web").json()["items"].size(), 1u);
  EXPECT_EQ(get(kSvcPath + "?labelSelector=app!=web").json()["items"][0]["metadata"]["name"], "api");
  EXPECT_EQ(get(kSvcPath + "?fieldSelector=metadata.name=api").json()["items"].size(), 1u);
  EXPECT_EQ(get("/api/v1/services?fieldSelector=metadata.namespace=default").json()["items"].size(), 2u);
  EXPECT_EQ(get("/api/v1/services?fieldSelector=metadata.namespace=kube-system").json()["items"].size(), 0u);
  auto bad = get(kSvcPath + "?fieldSelector=spec.type=ClusterIP");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["message"], "field label not supported: spec.type");
  EXPECT_EQ(get(kSvcPath + "?labelSelector=a%20in").status, 400);
}

TEST_F(ApiServerTest, ServicesGetClusterIPs) {
  Json a = post(kSvcPath, service("a")).json();
  Json b = post(kSvcPath, service("b")).json();
  EXPECT_EQ(a["spec"]["clusterIP"], "10.96.0.10");
  EXPECT_EQ(b["spec"]["clusterIP"], "10.96.0.11");
  Json lb = service("lb");
  lb["spec"]["type"] = "LoadBalancer";
  EXPECT_EQ(post(kSvcPath, lb).json()["spec"]["ports"][0]["nodePort"], 30000);
  Json headless = service("h");
  headless["spec"]["clusterIP"] = "None";
  EXPECT_EQ(post(kSvcPath, headless).json()["spec"]["clusterIP"], "None");
}

TEST_F(ApiServerTest, TablesForGet) {
  post(kVsPath, vs("web"));
  wall += 90;
  auto t = get(kVsPath, kTable);
  ASSERT_EQ(t.status, 200);
  Json table = t.json();
  EXPECT_EQ(table["kind"], "Table");
  EXPECT_EQ(table["metadata"]["resourceVersion"], std::to_string(store.resource_version()));
  EXPECT_EQ(table["rows"][0]["cells"], Json::array({"web", "[\"gw\"]", "[\"shop.example.com\"]", "90s"}));
  EXPECT_EQ(table["rows"][0]["object"]["kind"], "PartialObjectMetadata");
  Json one = get(kVsPath + "/web?includeObject=Object", kTable).json();
  EXPECT_EQ(one["rows"].size(), 1u);
  EXPECT_EQ(one["rows"][0]["object"]["kind"], "VirtualService");
  EXPECT_EQ(get(kVsPath + "/nope", kTable).status, 404);
}

// ---- update / patch ----

TEST_F(ApiServerTest, PutWithStaleResourceVersionConflicts) {
  Json created = post(kVsPath, vs("web")).json();
  Json changed = created;
  changed["spec"]["hosts"] = {"b.example.com"};
  auto ok = call(req("PUT", kVsPath + "/web", changed));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["metadata"]["generation"], 2);
  auto stale = call(req("PUT", kVsPath + "/web", changed));  // still carries the old resourceVersion
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json()["reason"], "Conflict");
  EXPECT_NE(stale.json()["message"].get<std::string>().find("Operation cannot be fulfilled on "
                                                            "virtualservices.networking.istio.io \"web\""),
            std::string::npos);
  auto renamed = call(req("PUT", kVsPath + "/other", changed));
  EXPECT_EQ(renamed.status, 400);
  Json absent = vs("absent");
  EXPECT_EQ(call(req("PUT", kVsPath + "/absent", absent)).status, 404);
}

TEST_F(ApiServerTest, MergePatchOnACustomResource) {
  post(kVsPath, vs("web"));
  auto r = call(req("PATCH", kVsPath + "/web", {{"spec", {{"hosts", {"b.example.com"}}}}}, "application/merge-patch+json"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["spec"]["hosts"], Json::array({"b.example.com"}));
  EXPECT_EQ(r.json()["spec"]["gateways"], Json::array({"gw"}));
  EXPECT_EQ(reconciles, 2);
  // Unchanged: no write, no reconcile.
  const auto rv = store.resource_version();
  call(req("PATCH", kVsPath + "/web", {{"spec", {{"hosts", {"b.example.com"}}}}}, "application/merge-patch+json"));
  EXPECT_EQ(store.resource_version(), rv);
  EXPECT_EQ(reconciles, 2);
}

TEST_F(ApiServerTest, StrategicMergePatchIsForBuiltInKindsOnly) {
  post(kVsPath, vs("web"));
  auto r = call(req("PATCH", kVsPath + "/web", {{"spec", {{"hosts", {"b"}}}}}, "application/strategic-merge-patch+json"));
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.json()["reason"], "UnsupportedMediaType");

  post(kSvcPath, service("web"));
  Json patch = Json::parse(R"({"spec":{"$setElementOrder/ports":[{"port":8080}],
      "ports":[{"name":"http","port":8080},{"$patch":"delete","port":80}],"selector":{"tier":"front"}}})");
  r = call(req("PATCH", kSvcPath + "/web", patch, "application/strategic-merge-patch+json"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["spec"]["ports"], Json::array({{{"name", "http"}, {"port", 8080}}}));
  EXPECT_EQ(r.json()["spec"]["selector"], Json({{"app", "web"}, {"tier", "front"}}));
  EXPECT_EQ(r.json()["spec"]["clusterIP"], "10.96.0.10");

  EXPECT_EQ(call(req("PATCH", kSvcPath + "/web", patch, "text/plain")).status, 415);
  EXPECT_EQ(call(req("PATCH", kSvcPath + "/absent", patch, "application/strategic-merge-patch+json")).status, 404);
}

TEST_F(ApiServerTest, JsonPatch) {
  post(kVsPath, vs("web"));
  auto r = call(req("PATCH", kVsPath + "/web",
                    Json::array({{{"op", "add"}, {"path", "/spec/hosts/-"}, {"value", "b.example.com"}}}),
                    "application/json-patch+json"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["spec"]["hosts"].size(), 2u);
  auto failed = call(req("PATCH", kVsPath + "/web",
                         Json::array({{{"op", "test"}, {"path", "/spec/hosts/0"}, {"value", "x"}}}),
                         "application/json-patch+json"));
  EXPECT_EQ(failed.status, 422);
}

TEST_F(ApiServerTest, ServerSideApplyCreatesThenMerges) {
  const std::string item = kSvcPath + "/web?fieldManager=kubectl&force=false";
  auto created = call(req("PATCH", item, service("web"), "application/apply-patch+yaml"));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["metadata"]["managedFields"][0]["manager"], "kubectl");
  // kubectl's second request: only the last-applied annotation. The spec must survive.
  Json annotation = {{"apiVersion", "v1"},
                     {"kind", "Service"},
                     {"metadata", {{"name", "web"}, {"namespace", "default"}, {"annotations", {{"a", "b"}}}}}};
  auto second = call(req("PATCH", kSvcPath + "/web?fieldManager=kubectl-last-applied", annotation,
                         "application/apply-patch+yaml"));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.json()["spec"]["ports"][0]["port"], 80);
  EXPECT_EQ(second.json()["metadata"]["annotations"]["a"], "b");
  // The body may be YAML.
  ApiRequest yaml = req("PATCH", kSvcPath + "/web?fieldManager=kubectl", nullptr, "application/apply-patch+yaml");
  yaml.body = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - {name: http, port: 81}\n";
  auto third = call(yaml);
  ASSERT_EQ(third.status, 200) << third.body;
  EXPECT_EQ(third.json()["spec"]["ports"], Json::array({{{"name", "http"}, {"port", 81}}}));
  EXPECT_EQ(call(req("PATCH", kSvcPath + "/web", service("web"), "application/apply-patch+yaml")).status, 400);
  EXPECT_EQ(call(req("PATCH", kSvcPath + "/other?fieldManager=k", service("web"), "application/apply-patch+yaml")).status,
            400);
}

// ---- dry run ----

TEST_F(ApiServerTest, DryRunChangesNothing) {
  post(kVsPath, vs("web"));
  const auto rv = store.resource_version();
  const int before = reconciles;
  auto created = post(kVsPath + "?dryRun=All", vs("other"));
  EXPECT_EQ(created.status, 201);
  EXPECT_FALSE(created.json()["metadata"].contains("resourceVersion"));
  auto patched = call(req("PATCH", kVsPath + "/web?dryRun=All", {{"spec", {{"hosts", {"b.example.com"}}}}},
                          "application/merge-patch+json"));
  ASSERT_EQ(patched.status, 200);
  EXPECT_EQ(patched.json()["spec"]["hosts"], Json::array({"b.example.com"}));
  EXPECT_EQ(patched.json()["metadata"]["generation"], 2);
  auto applied = call(req("PATCH", kVsPath + "/new?dryRun=All&fieldManager=kubectl", vs("new"),
                          "application/apply-patch+yaml"));
  EXPECT_EQ(applied.status, 201);
  Json put = get(kVsPath + "/web").json();
  put["spec"]["hosts"] = {"c.example.com"};
  EXPECT_EQ(call(req("PUT", kVsPath + "/web?dryRun=All", put)).status, 200);
  EXPECT_EQ(call(req("DELETE", kVsPath + "/web?dryRun=All")).status, 200);
  EXPECT_EQ(call(req("DELETE", kVsPath + "/web", {{"kind", "DeleteOptions"}, {"dryRun", {"All"}}})).status, 200);
  EXPECT_EQ(store.resource_version(), rv);
  EXPECT_EQ(reconciles, before);
  EXPECT_EQ(store.get({"networking.istio.io", "VirtualService", "default", "web"})->doc["spec"]["hosts"],
            Json::array({"shop.example.com"}));
  EXPECT_FALSE(store.get({"networking.istio.io", "VirtualService", "default", "other"}));
}

// ---- Istio's webhook ----

TEST_F(ApiServerTest, InvalidIstioConfigIsDeniedAsTheWebhookDoes) {
  Json bad = vs("bad");
  bad["spec"]["http"][0]["route"] = {{{"destination", {{"host", "a"}}}}, {{"destination", {{"host", "b"}}}}};
  for (const std::string& path : {kVsPath, kVsPath + "?dryRun=All"}) {
    auto r = post(path, bad);
    EXPECT_EQ(r.status, 400);
    Json s = r.json();
    EXPECT_EQ(s["kind"], "Status");
    EXPECT_FALSE(s.contains("reason"));
    EXPECT_EQ(s["message"],
              "admission webhook \"validation.istio.io\" denied the request: configuration is invalid: total "
              "destination weight = 0");
  }
  EXPECT_FALSE(store.get({"networking.istio.io", "VirtualService", "default", "bad"}));
  EXPECT_EQ(reconciles, 0);

  // An update that would make a stored object invalid is refused too, and leaves it alone.
  post(kVsPath, vs("web"));
  auto r = call(req("PATCH", kVsPath + "/web", {{"spec", {{"http", bad["spec"]["http"]}}}}, "application/merge-patch+json"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(store.get({"networking.istio.io", "VirtualService", "default", "web"})->doc["spec"]["http"],
            vs("web")["spec"]["http"]);
  r = call(req("PATCH", kVsPath + "/bad?fieldManager=kubectl", bad, "application/apply-patch+yaml"));
  EXPECT_EQ(r.status, 400);
}

// Admission checks an object's CRD schema once per write, whether it is admitted, refused by
// the schema (the 422's causes come from that one check) or denied by the webhook.
TEST_F(ApiServerTest, EachWriteChecksTheSchemaOnce) {
  Json denied = vs("denied");
  denied["spec"]["http"][0]["route"] = {{{"destination", {{"host", "a"}}}}, {{"destination", {{"host", "b"}}}}};
  Json refused = vs("refused");
  refused["spec"]["http"][0]["route"][0].erase("destination");
  for (const Json& body : {vs("good"), denied, refused}) {
    const std::size_t before = model::crd_schema_checks();
    auto r = post(kVsPath, body);
    EXPECT_NE(r.status, 500) << r.body;
    EXPECT_EQ(model::crd_schema_checks() - before, 1u) << body["metadata"]["name"];
  }
  EXPECT_EQ(post(kVsPath, refused).status, 422);
}

TEST_F(ApiServerTest, IstioWarningsBecomeWarningHeaders) {
  Json warned = vs("warned");
  warned["spec"]["http"][0]["mirror"] = {{"host", "b"}};
  warned["spec"]["http"][0]["mirrorPercent"] = 50;
  auto r = post(kVsPath, warned);
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Warning");
  EXPECT_EQ(r.headers[0].second,
            "299 - \"using deprecated setting \\\"mirrorPercent\\\", use \\\"mirrorPercentage\\\" instead\"");
}

TEST_F(ApiServerTest, WriteWarningsBecomeWarningHeadersOnSuccessfulWritesOnly) {
  // `gwsim serve` gives its configuration analysis here; kubectl prints each as "Warning: ...".
  ApiServerOptions options;
  std::atomic<int> asked{0};
  options.write_warnings = [&asked](const ApiRequest&, const ApiResponse& response) {
    ++asked;
    const std::string name = response.json()["metadata"]["name"];
    return std::vector<std::string>{"[IST0101] (VirtualService default/" + name +
                                    ") Referenced gateway not found: \"nope\""};
  };
  server = make_server(options);
  auto created = post(kVsPath, vs("web"));
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_EQ(created.headers.size(), 1u);
  EXPECT_EQ(created.headers[0].first, "Warning");
  EXPECT_EQ(created.headers[0].second,
            "299 - \"[IST0101] (VirtualService default/web) Referenced gateway not found: \\\"nope\\\"\"");
  EXPECT_EQ(asked, 1);
  // Reads, dry runs and refused writes are not analyzed.
  EXPECT_TRUE(get(kVsPath + "/web").headers.empty());
  EXPECT_TRUE(call(req("POST", kVsPath + "?dryRun=All", vs("dry"))).headers.empty());
  Json refused = vs("refused");
  refused["spec"]["hosts"] = Json::array();
  EXPECT_GE(post(kVsPath, refused).status, 400);
  EXPECT_EQ(asked, 1);
}

TEST_F(ApiServerTest, SchemaErrorsComeFromTheApiServer) {
  Json unknown = vs("web");
  unknown["spec"]["htp"] = Json::array();
  auto r = post(kVsPath, unknown);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["reason"], "BadRequest");
  EXPECT_NE(r.json()["message"].get<std::string>().find("strict decoding error: unknown field \"spec.htp\""),
            std::string::npos);

  Json gw = Json::parse(R"({"apiVersion":"networking.istio.io/v1","kind":"Gateway","metadata":{"name":"gw"},
      "spec":{"servers":[{"port":{"number":80,"protocol":"HTTP"},"hosts":["*"]}]}})");
  r = post("/apis/networking.istio.io/v1/namespaces/default/gateways", gw);
  EXPECT_EQ(r.status, 422);
  Json s = r.json();
  EXPECT_EQ(s["reason"], "Invalid");
  EXPECT_EQ(s["message"], "Gateway.networking.istio.io \"gw\" is invalid: spec.servers[0].port.name: Required value");
  EXPECT_EQ(s["details"]["causes"][0],
            Json({{"reason", "FieldValueRequired"}, {"message", "Required value"}, {"field", "spec.servers[0].port.name"}}));
}

// ---- delete ----

TEST_F(ApiServerTest, DeleteReallyRemoves) {
  post(kVsPath, vs("web"));
  auto r = call(req("DELETE", kVsPath + "/web", {{"propagationPolicy", "Background"}}));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["kind"], "VirtualService");
  EXPECT_EQ(get(kVsPath + "/web").status, 404);
  auto again = call(req("DELETE", kVsPath + "/web"));
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.json()["message"], "virtualservices.networking.istio.io \"web\" not found");
}

TEST_F(ApiServerTest, DeletePreconditions) {
  Json created = post(kVsPath, vs("web")).json();
  auto r = call(req("DELETE", kVsPath + "/web", {{"preconditions", {{"uid", "someone-else"}}}}));
  EXPECT_EQ(r.status, 409);
  r = call(req("DELETE", kVsPath + "/web", {{"preconditions", {{"uid", created["metadata"]["uid"]}}}}));
  EXPECT_EQ(r.status, 200);
}

TEST_F(ApiServerTest, NamespaceDeletionTakesItsContents) {
  ASSERT_EQ(post("/api/v1/namespaces", {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "shop"}}}}).status,
            201);
  ASSERT_EQ(post("/api/v1/namespaces/shop/services", service("web")).status, 201);
  EXPECT_EQ(call(req("DELETE", "/api/v1/namespaces/default")).status, 403);
  EXPECT_EQ(call(req("DELETE", "/api/v1/namespaces/shop")).status, 200);
  EXPECT_FALSE(store.get({"", "Service", "shop", "web"}));
  EXPECT_EQ(get("/api/v1/namespaces/shop").status, 404);
}

TEST_F(ApiServerTest, DeleteCollection) {
  post(kSvcPath, service("web"));
  post(kSvcPath, service("api"));
  auto r = call(req("DELETE", kSvcPath + "?labelSelector=app=web"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["items"].size(), 1u);
  EXPECT_FALSE(store.get({"", "Service", "default", "web"}));
  EXPECT_TRUE(store.get({"", "Service", "default", "api"}));
}

// ---- the controllers ----

TEST(ApiServerControllers, DeploymentsGetReadyPodsAndServicesEndpoints) {
  ApiStore store;
  ControllerSet controllers(store);
  ApiServer server(store, controllers);
  ASSERT_EQ(server.handle(req("POST", "/apis/apps/v1/namespaces/default/deployments", deployment("web", 2))).status, 201);
  ASSERT_EQ(server.handle(req("POST", kSvcPath, service("web"))).status, 201);
  Json pods = server.handle(req("GET", "/api/v1/namespaces/default/pods", nullptr, kJson, kTable)).json();
  ASSERT_EQ(pods["rows"].size(), 2u);
  for (const auto& row : pods["rows"]) {
    EXPECT_EQ(row["cells"][1], "1/1");
    EXPECT_EQ(row["cells"][2], "Running");
    EXPECT_NE(row["cells"][5], "<none>");  // an IP
  }
  Json ep = server.handle(req("GET", "/api/v1/namespaces/default/endpoints/web")).json();
  EXPECT_EQ(ep["subsets"][0]["addresses"].size(), 2u);

  // kubectl scale goes through the scale subresource.
  auto scale = server.handle(req("GET", "/apis/apps/v1/namespaces/default/deployments/web/scale"));
  ASSERT_EQ(scale.status, 200);
  EXPECT_EQ(scale.json()["spec"]["replicas"], 2);
  EXPECT_EQ(scale.json()["status"]["selector"], "app=web");
  auto scaled = server.handle(req("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale",
                                  {{"spec", {{"replicas", 3}}}}, "application/merge-patch+json"));
  ASSERT_EQ(scaled.status, 200) << scaled.body;
  EXPECT_EQ(server.handle(req("GET", "/api/v1/namespaces/default/pods")).json()["items"].size(), 3u);
}

// A new Gateway API object's status is its CRD's default (the request's status is dropped);
// a Gateway of class istio gets its Deployment and Service from the controllers.
TEST(ApiServerControllers, GatewayApiObjectsStartWithTheirDefaultStatus) {
  ApiStore store;
  ControllerSet controllers(store);
  ApiServer server(store, controllers);
  const Json gateway = {{"apiVersion", "gateway.networking.k8s.io/v1"},
                        {"kind", "Gateway"},
                        {"metadata", {{"name", "web"}}},
                        {"spec",
                         {{"gatewayClassName", "istio"},
                          {"listeners", {{{"name", "http"}, {"port", 80}, {"protocol", "HTTP"}}}}}},
                        {"status", {{"conditions", {{{"type", "Programmed"}, {"status", "True"}}}}}}};
  auto created =
      server.handle(req("POST", "/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways", gateway));
  ASSERT_EQ(created.status, 201) << created.body;
  const Json conditions = created.json()["status"]["conditions"];
  ASSERT_EQ(conditions.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(conditions[i]["type"], i == 0 ? "Accepted" : "Programmed");
    EXPECT_EQ(conditions[i]["status"], "Unknown");
    EXPECT_EQ(conditions[i]["reason"], "Pending");
    EXPECT_EQ(conditions[i]["message"], "Waiting for controller");
    EXPECT_EQ(conditions[i]["lastTransitionTime"], "1970-01-01T00:00:00Z");
  }
  Json table = server.handle(req("GET", "/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways", nullptr,
                                 kJson, kTable))
                   .json();
  EXPECT_EQ(table["rows"][0]["cells"][3], "Unknown");
  EXPECT_EQ(server.handle(req("GET", "/apis/apps/v1/namespaces/default/deployments/web-istio")).status, 200);
  Json svc = server.handle(req("GET", "/api/v1/namespaces/default/services/web-istio")).json();
  EXPECT_EQ(svc["status"]["loadBalancer"]["ingress"][0]["ip"], "192.0.2.1");

  const Json route = {{"apiVersion", "gateway.networking.k8s.io/v1"},
                      {"kind", "HTTPRoute"},
                      {"metadata", {{"name", "r"}}},
                      {"spec", {{"parentRefs", {{{"name", "web"}}}}}}};
  auto r = server.handle(req("POST", "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes", route));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_FALSE(r.json().contains("status"));  // HTTPRoute's schema has no status default
}

// ---- watch ----

std::vector<Json> drain(const std::shared_ptr<WatchStream>& stream, std::size_t want,
                        std::chrono::milliseconds limit = 5000ms) {
  std::vector<Json> events;
  auto until = std::chrono::steady_clock::now() + limit;
  while (events.size() < want && std::chrono::steady_clock::now() < until) {
    auto chunk = stream->next(20ms);
    if (!chunk) break;
    if (*chunk == "\n") continue;
    EXPECT_EQ(chunk->back(), '\n');
    events.push_back(Json::parse(*chunk));
  }
  return events;
}

TEST_F(ApiServerTest, WatchFromAListResourceVersion) {
  post(kVsPath, vs("a"));
  const std::string rv = get(kVsPath).json()["metadata"]["resourceVersion"];
  auto w = get(kVsPath + "?watch=true&resourceVersion=" + rv);
  ASSERT_EQ(w.status, 200);
  ASSERT_TRUE(w.watch);
  EXPECT_EQ(server->open_watches(), 1u);
  post(kVsPath, vs("b"));
  call(req("PATCH", kVsPath + "/a", {{"spec", {{"hosts", {"x"}}}}}, "application/merge-patch+json"));
  call(req("DELETE", kVsPath + "/b"));
  auto events = drain(w.watch, 3);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0]["type"], "ADDED");
  EXPECT_EQ(events[0]["object"]["metadata"]["name"], "b");
  EXPECT_EQ(events[0]["object"]["apiVersion"], "networking.istio.io/v1");
  EXPECT_EQ(events[1]["type"], "MODIFIED");
  EXPECT_EQ(events[2]["type"], "DELETED");
  // Nothing else: a heartbeat.
  EXPECT_EQ(w.watch->next(30ms), std::optional<std::string>("\n"));
  w.watch.reset();
  EXPECT_EQ(server->open_watches(), 0u);
}

TEST_F(ApiServerTest, WatchReplaysFromAnOlderVersion) {
  post(kVsPath, vs("a"));
  const std::string rv = std::to_string(store.resource_version());
  post(kVsPath, vs("b"));
  post(kSvcPath, service("other"));  // another kind: not replayed
  post(kVsPath, vs("c"));
  auto events = drain(get(kVsPath + "?watch=1&resourceVersion=" + rv).watch, 2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["object"]["metadata"]["name"], "b");
  EXPECT_EQ(events[1]["object"]["metadata"]["name"], "c");
}

TEST_F(ApiServerTest, WatchFromZeroStartsWithTheCurrentObjects) {
  post(kVsPath, vs("a"));
  post(kVsPath, vs("b"));
  auto w = get(kVsPath + "?watch=true").watch;
  post(kVsPath, vs("c"));
  auto events = drain(w, 3);
  ASSERT_EQ(events.size(), 3u);
  for (const auto& e : events) EXPECT_EQ(e["type"], "ADDED");
  EXPECT_EQ(events[2]["object"]["metadata"]["name"], "c");
}

TEST_F(ApiServerTest, WatchWithSelectorsAndTables) {
  post(kVsPath, vs("a"));
  auto w = get(kVsPath + "?watch=true&fieldSelector=metadata.name=a&resourceVersion=" +
                   std::to_string(store.resource_version()),
               kTable)
               .watch;
  post(kVsPath, vs("b"));
  call(req("DELETE", kVsPath + "/a"));
  auto events = drain(w, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "DELETED");
  EXPECT_EQ(events[0]["object"]["kind"], "Table");
  EXPECT_EQ(events[0]["object"]["rows"][0]["cells"][0], "a");
}

TEST_F(ApiServerTest, WatchFromBeyondTheHistoryIsGone) {
  post(kVsPath, vs("a"));
  for (std::size_t i = 0; i < ApiStore::kHistoryLimit + 5; ++i)
  {
    Object cm;
    cm.doc = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "c"}, {"namespace", "default"}}},
              {"data", {{"i", std::to_string(i)}}}};
    store.apply(cm);
  }
  auto w = get(kVsPath + "?watch=true&resourceVersion=1").watch;
  auto chunk = w->next(20ms);
  ASSERT_TRUE(chunk);
  Json e = Json::parse(*chunk);
  EXPECT_EQ(e["type"], "ERROR");
  EXPECT_EQ(e["object"]["code"], 410);
  EXPECT_EQ(e["object"]["reason"], "Expired");
  EXPECT_FALSE(w->next(20ms));  // then the stream ends
  EXPECT_EQ(get(kVsPath + "?watch=true&resourceVersion=abc").status, 400);
}

TEST_F(ApiServerTest, WatchTimeoutAndBookmarks) {
  ApiServerOptions options;
  options.bookmark_interval = 30ms;
  server = make_server(options);
  auto w = get(kVsPath + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=" +
               std::to_string(store.resource_version()))
               .watch;
  bool bookmark = false;
  auto start = std::chrono::steady_clock::now();
  while (auto chunk = w->next(20ms)) {
    if (*chunk == "\n") continue;
    Json e = Json::parse(*chunk);
    if (e["type"] == "BOOKMARK") {
      bookmark = true;
      EXPECT_EQ(e["object"]["kind"], "VirtualService");
      EXPECT_EQ(e["object"]["metadata"]["resourceVersion"], std::to_string(store.resource_version()));
    }
  }
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(bookmark);
  EXPECT_GE(took, 900ms);  // timeoutSeconds=1 ended it
  EXPECT_LT(took, 5s);
}

TEST_F(ApiServerTest, TooManyWatches) {
  ApiServerOptions options;
  options.max_watches = 2;
  server = make_server(options);
  auto a = get(kVsPath + "?watch=true");
  auto b = get(kVsPath + "?watch=true");
  auto c = get(kVsPath + "?watch=true");
  EXPECT_TRUE(a.watch && b.watch);
  EXPECT_EQ(c.status, 429);
  EXPECT_FALSE(c.watch);
}

TEST_F(ApiServerTest, SlowWatchersAreCutOff) {
  ApiServerOptions options;
  options.watch_queue_limit = 3;
  server = make_server(options);
  auto w = get(kVsPath + "?watch=true&resourceVersion=" + std::to_string(store.resource_version())).watch;
  for (const char* name : {"v0", "v1", "v2", "v3", "v4"}) post(kVsPath, vs(name));
  EXPECT_FALSE(w->next(20ms));
}

// ---- the clock ----

TEST_F(ApiServerTest, CreationTimesFollowTheWallClock) {
  auto a = post(kVsPath, vs("a")).json();
  wall += 300;
  auto b = post(kVsPath, vs("b")).json();
  auto ta = parse_timestamp(a["metadata"]["creationTimestamp"]);
  auto tb = parse_timestamp(b["metadata"]["creationTimestamp"]);
  ASSERT_TRUE(ta && tb);
  EXPECT_EQ(*tb - *ta, 300);
  EXPECT_EQ(get(kVsPath, kTable).json()["rows"][0]["cells"][3], "5m");
}

// ---- over HTTP ----

TEST(ApiServerHttp, ServesKubectlsRequestsAndStreamsWatches) {
  ApiStore store;
  ApiServerOptions options;
  options.heartbeat = 50ms;
  ApiServer server(store, nullptr, options);
  auto port = server.start();
  ASSERT_TRUE(port.ok()) << port.error().message;
  EXPECT_GT(*port, 0);
  EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(*port));

  httplib::Client client("127.0.0.1", *port);
  auto version = client.Get("/version?timeout=5s");
  ASSERT_TRUE(version);
  EXPECT_EQ(version->status, 200);
  EXPECT_EQ(version->get_header_value("Content-Type"), "application/json");
  auto created = client.Post(kVsPath.c_str(), vs("web").dump(), "application/json");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201);
  auto patched = client.Patch((kVsPath + "/web").c_str(), R"({"spec":{"hosts":["b"]}})", "application/merge-patch+json");
  ASSERT_TRUE(patched);
  EXPECT_EQ(patched->status, 200);
  EXPECT_EQ(client.Delete((kVsPath + "/absent").c_str())->status, 404);

  // A watch streams events as they happen, in chunks, until the client goes away.
  std::string received;
  std::mutex mu;
  std::atomic<bool> stop{false};
  std::thread watcher([&] {
    httplib::Client c("127.0.0.1", *port);
    c.set_read_timeout(5, 0);
    c.Get((kVsPath + "?watch=true&resourceVersion=" + std::to_string(store.resource_version())).c_str(),
          httplib::Headers{{"Accept-Encoding", "gzip"}},
          [&](const char* data, std::size_t n) {
            std::lock_guard lock(mu);
            received.append(data, n);
            return !stop.load();
          });
  });
  auto wait_for = [&](auto pred) {
    for (int i = 0; i < 1000 && !pred(); ++i) std::this_thread::sleep_for(10ms);
    return pred();
  };
  ASSERT_TRUE(wait_for([&] { return server.open_watches() == 1; }));
  ASSERT_EQ(client.Post(kVsPath.c_str(), vs("second").dump(), "application/json")->status, 201);
  ASSERT_TRUE(wait_for([&] {
    std::lock_guard lock(mu);
    return received.find("\"second\"") != std::string::npos;
  }));
  {
    std::lock_guard lock(mu);
    EXPECT_NE(received.find("{\"object\":"), std::string::npos);  // plain JSON, not gzip
    EXPECT_NE(received.find("\"type\":\"ADDED\""), std::string::npos);
  }
  stop = true;  // the client hangs up: the server notices at its next heartbeat
  watcher.join();
  EXPECT_TRUE(wait_for([&] { return server.open_watches() == 0; }));
  server.stop();
  EXPECT_FALSE(client.Get("/version"));
}

TEST(ApiServerHttp, ListensOnLoopbackOnly) {
  ApiStore store;
  ApiServerOptions options;
  options.host = "0.0.0.0";
  ApiServer server(store, nullptr, options);
  auto port = server.start();
  ASSERT_FALSE(port.ok());
  EXPECT_NE(port.error().message.find("loopback"), std::string::npos);
}

TEST(ApiServerHttp, StopEndsOpenWatches) {
  ApiStore store;
  ApiServer server(store, nullptr);
  auto port = server.start();
  ASSERT_TRUE(port.ok());
  std::atomic<bool> ended{false};
  std::thread watcher([&] {
    httplib::Client c("127.0.0.1", *port);
    c.Get("/api/v1/namespaces/default/pods?watch=true", [&](const char*, std::size_t) { return true; });
    ended = true;
  });
  for (int i = 0; i < 1000 && server.open_watches() == 0; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(server.open_watches(), 1u);
  auto start = std::chrono::steady_clock::now();
  server.stop();
  watcher.join();
  EXPECT_TRUE(ended);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

// ---- kubeconfig ----

TEST(KubeconfigTest, PointsKubectlAtTheServer) {
  const std::string path = ::testing::TempDir() + "gwsim-kubeconfig-test.yaml";
  auto r = write_kubeconfig(path, "http://127.0.0.1:12345");
  ASSERT_TRUE(r.ok());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("server: \"http://127.0.0.1:12345\""), std::string::npos);
  EXPECT_NE(text.str().find("current-context: gwsim"), std::string::npos);
  EXPECT_NE(text.str().find("namespace: \"default\""), std::string::npos);
  std::remove(path.c_str());
  EXPECT_FALSE(write_kubeconfig("/nonexistent-dir/x/kubeconfig", "http://x").ok());
}

}  // namespace
}  // namespace gwsim::fakes
