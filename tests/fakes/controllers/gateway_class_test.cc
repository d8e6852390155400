#include "fakes/controllers/gateway_class.h"

#include <gtest/gtest.h>

#include "fakes/controllers/controllers.h"

namespace gwsim::fakes {
namespace {

constexpr const char* kGroup = "gateway.networking.k8s.io";

Object make_class_object(Json doc) {
  Object o;
  o.doc = std::move(doc);
  return o;
}

Json accepted(const ApiStore& store, const std::string& name) {
  auto gc = store.get({kGroup, "GatewayClass", "", name});
  if (!gc) return nullptr;
  for (const Json& c : gc->doc["status"]["conditions"])
    if (c["type"] == "Accepted") return c;
  return nullptr;
}

// classinfo.go with the default features: istio and istio-remote, nothing of ambient.
TEST(GatewayClassTest, AnIstioInstallCreatesItsBuiltInClasses) {
  ApiStore store;
  ControllerSet controllers(store);
  controllers.reconcile();
  auto classes = store.list(kGroup, "GatewayClass");
  ASSERT_EQ(classes.size(), 2u);
  EXPECT_EQ(classes[0].name(), "istio");
  EXPECT_EQ(classes[0].doc["spec"]["controllerName"], "istio.io/gateway-controller");
  EXPECT_EQ(classes[0].doc["spec"]["description"], "The default Istio GatewayClass");
  EXPECT_EQ(classes[0].namespace_(), "");
  EXPECT_EQ(classes[1].name(), "istio-remote");
  EXPECT_EQ(classes[1].doc["spec"]["controllerName"], "istio.io/unmanaged-gateway");
  EXPECT_EQ(classes[1].doc["spec"]["description"], "Remote to this cluster. Does not deploy or affect configuration.");
}

// GetClassStatus, as Istio's status goldens show it (testdata/*.status.yaml.golden).
TEST(GatewayClassTest, IstioAcceptsTheClassesOfItsControllers) {
  ApiStore store;
  ControllerSet controllers(store);
  controllers.reconcile();
  for (const char* name : {"istio", "istio-remote"}) {
    Json c = accepted(store, name);
    ASSERT_TRUE(c.is_object()) << name;
    EXPECT_EQ(c["status"], "True");
    EXPECT_EQ(c["reason"], "Accepted");
    EXPECT_EQ(c["message"], "Handled by Istio controller");
    EXPECT_EQ(c["observedGeneration"], 1);
    EXPECT_EQ(c["lastTransitionTime"], "2026-01-01T00:00:00Z");
  }
  EXPECT_EQ(controllers.reconcile(), 0);  // written once
}

TEST(GatewayClassTest, OtherControllersClassesAreLeftAlone) {
  ApiStore store;
  ASSERT_TRUE(store
                  .create(make_class_object({{"apiVersion", "gateway.networking.k8s.io/v1"},
                                {"kind", "GatewayClass"},
                                {"metadata", {{"name", "other"}}},
                                {"spec", {{"controllerName", "example.com/gateway"}}}}))
                  .ok());
  ControllerSet controllers(store);
  controllers.reconcile();
  EXPECT_TRUE(store.get({kGroup, "GatewayClass", "", "other"})->doc["status"].is_null());
}

// The class controller only creates: a user's istio class stays as written (and is accepted when
// its controller is Istio's); a deleted one comes back.
TEST(GatewayClassTest, ExistingClassesKeptDeletedOnesCreatedAgain) {
  ApiStore store;
  ASSERT_TRUE(
      store
          .create(make_class_object({{"apiVersion", "gateway.networking.k8s.io/v1"},
                        {"kind", "GatewayClass"},
                        {"metadata", {{"name", "istio"}}},
                        {"spec", {{"controllerName", "istio.io/gateway-controller"}, {"description", "mine"}}}}))
          .ok());
  ControllerSet controllers(store);
  controllers.reconcile();
  EXPECT_EQ(store.get({kGroup, "GatewayClass", "", "istio"})->doc["spec"]["description"], "mine");
  EXPECT_EQ(accepted(store, "istio")["status"], "True");

  ASSERT_TRUE(store.remove({kGroup, "GatewayClass", "", "istio-remote"}).ok());
  store.clock().advance(5);
  controllers.reconcile();
  EXPECT_TRUE(store.get({kGroup, "GatewayClass", "", "istio-remote"}));
  EXPECT_EQ(accepted(store, "istio-remote")["lastTransitionTime"], "2026-01-01T00:00:05Z");
}

// kstatus.UpdateConditionIfChanged: a new generation updates observedGeneration and keeps the
// transition time; other conditions stay.
TEST(GatewayClassTest, NewGenerationKeepsTransitionTime) {
  ApiStore store;
  ControllerSet controllers(store);
  controllers.reconcile();
  Object gc = *store.get({kGroup, "GatewayClass", "", "istio"});
  gc.doc["spec"]["description"] = "changed";
  ASSERT_TRUE(store.update(gc).ok());
  Json status = store.get({kGroup, "GatewayClass", "", "istio"})->doc["status"];
  status["conditions"].push_back({{"type", "Custom"}, {"status", "True"}});
  ASSERT_TRUE(store.update_status({kGroup, "GatewayClass", "", "istio"}, status).ok());
  store.clock().advance(10);
  controllers.reconcile();
  Json c = accepted(store, "istio");
  EXPECT_EQ(c["observedGeneration"], 2);
  EXPECT_EQ(c["lastTransitionTime"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(store.get({kGroup, "GatewayClass", "", "istio"})->doc["status"]["conditions"].size(), 2u);
}

TEST(GatewayClassTest, ControllersCanBeTurnedOff) {
  ApiStore store;
  ControllerOptions options;
  options.istio_gateway_controllers = false;
  ControllerSet controllers(store, options);
  controllers.reconcile();
  EXPECT_TRUE(store.list(kGroup, "GatewayClass").empty());
}

TEST(GatewayClassTest, LooksUpClassesAndControllers) {
  ASSERT_NE(istio_builtin_class("istio"), nullptr);
  EXPECT_STREQ(istio_builtin_class("istio")->templates, "kube-gateway");
  EXPECT_STREQ(istio_class_for_controller("istio.io/unmanaged-gateway")->templates, "");
  EXPECT_EQ(istio_builtin_class("istio-waypoint"), nullptr);  // ambient is off
  EXPECT_EQ(istio_class_for_controller("istio.io/mesh-controller"), nullptr);
}

}  // namespace
}  // namespace gwsim::fakes
