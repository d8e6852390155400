#include "conformance/object_expectations.h"

#include <gtest/gtest.h>

namespace gwsim::conformance {
namespace {

std::string joined_mismatches(const std::vector<Mismatch>& ms) {
  std::string out;
  for (const auto& m : ms) out += m.to_string() + "\n";
  return out;
}

// A Gateway API Gateway and HTTPRoute status as Istio's gateway controller writes them.
model::Json gateway() {
  return model::Json::parse(R"({
    "apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
    "metadata": {"name": "same-namespace", "namespace": "infra", "generation": 1},
    "spec": {"gatewayClassName": "istio", "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}]},
    "status": {
      "addresses": [{"type": "IPAddress", "value": "10.0.0.1"}],
      "conditions": [
        {"type": "Accepted", "status": "True", "reason": "Accepted", "message": "Resource accepted"},
        {"type": "Programmed", "status": "True", "reason": "Programmed", "message": "Resource programmed, assigned to service(s) gw.infra"}],
      "listeners": [{"name": "http", "attachedRoutes": 2,
                     "supportedKinds": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute"},
                                        {"group": "gateway.networking.k8s.io", "kind": "GRPCRoute"}],
                     "conditions": [{"type": "ResolvedRefs", "status": "True", "reason": "ResolvedRefs"}]}]}
  })");
}

model::Json route() {
  return model::Json::parse(R"({
    "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
    "metadata": {"name": "r", "namespace": "infra"},
    "status": {"parents": [
      {"parentRef": {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "same-namespace"},
       "controllerName": "istio.io/gateway-controller",
       "conditions": [{"type": "Accepted", "status": "True", "reason": "Accepted"}]},
      {"parentRef": {"name": "same-namespace", "namespace": "infra", "sectionName": "https"},
       "controllerName": "istio.io/gateway-controller",
       "conditions": [{"type": "Accepted", "status": "False", "reason": "NotAllowedByListeners"}]}]}
  })");
}

TEST(CheckObject, ExistsAndGone) {
  ObjectExpectation exists;
  EXPECT_EQ(joined_mismatches(check_object(exists, std::nullopt, "infra")), "exists: expected true, got false (no such object)\n");
  EXPECT_TRUE(check_object(exists, gateway(), "infra").empty());
  ObjectExpectation gone;
  gone.exists = false;
  EXPECT_TRUE(check_object(gone, std::nullopt, "infra").empty());
  EXPECT_EQ(joined_mismatches(check_object(gone, gateway(), "infra")), "exists: expected false, got true\n");
}

TEST(CheckObject, ConditionsCompareTheFieldsGiven) {
  ObjectExpectation e;
  e.conditions = {{"Accepted", "True", "Accepted", std::nullopt, std::nullopt},
                  {"Programmed", "True", std::nullopt, std::nullopt, std::string("assigned to service")}};
  EXPECT_TRUE(check_object(e, gateway(), "infra").empty()) << joined_mismatches(check_object(e, gateway(), "infra"));

  e.conditions = {{"Accepted", "False", "Invalid", std::nullopt, std::nullopt},
                  {"Programmed", std::nullopt, std::nullopt, std::string("exact"), std::nullopt},
                  {"ResolvedRefs", "True", std::nullopt, std::nullopt, std::nullopt}};
  EXPECT_EQ(joined_mismatches(check_object(e, gateway(), "infra")),
            "conditions[Accepted].status: expected \"False\", got \"True\"\n"
            "conditions[Accepted].reason: expected \"Invalid\", got \"Accepted\"\n"
            "conditions[Programmed].message: expected \"exact\", got \"Resource programmed, assigned to service(s) "
            "gw.infra\"\n"
            "conditions[ResolvedRefs]: expected a condition of type ResolvedRefs, got conditions Accepted, "
            "Programmed\n");
}

TEST(CheckObject, ListenersByNameWithKindsAsASet) {
  ObjectExpectation e;
  ListenerExpectation l;
  l.name = "http";
  l.attached_routes = 2;
  l.supported_kinds = std::vector<std::string>{"GRPCRoute", "HTTPRoute"};
  l.conditions = {{"ResolvedRefs", "True", std::nullopt, std::nullopt, std::nullopt}};
  e.listeners = {l};
  EXPECT_TRUE(check_object(e, gateway(), "infra").empty()) << joined_mismatches(check_object(e, gateway(), "infra"));

  e.listeners[0].attached_routes = 1;
  e.listeners[0].supported_kinds = std::vector<std::string>{"HTTPRoute"};
  ListenerExpectation missing;
  missing.name = "https";
  e.listeners.push_back(missing);
  EXPECT_EQ(joined_mismatches(check_object(e, gateway(), "infra")),
            "listeners[http].attachedRoutes: expected 1, got 2\n"
            "listeners[http].supportedKinds: expected [HTTPRoute], got [GRPCRoute, HTTPRoute]\n"
            "listeners[https]: expected a listener status named https, got http\n");
}

TEST(CheckObject, ParentsAreFoundByTheirWholeParentRef) {
  ObjectExpectation e;
  ParentExpectation whole;  // no sectionName: the entry without one; namespace: the route's
  whole.parent_ref.name = "same-namespace";
  whole.controller_name = "istio.io/gateway-controller";
  whole.conditions = {{"Accepted", "True", "Accepted", std::nullopt, std::nullopt}};
  ParentExpectation https;
  https.parent_ref.name = "same-namespace";
  https.parent_ref.namespace_ = "infra";
  https.parent_ref.section_name = "https";
  https.conditions = {{"Accepted", "False", "NotAllowedByListeners", std::nullopt, std::nullopt}};
  e.parents = {whole, https};
  EXPECT_TRUE(check_object(e, route(), "infra").empty()) << joined_mismatches(check_object(e, route(), "infra"));

  ParentExpectation other;
  other.parent_ref.name = "same-namespace";
  other.parent_ref.section_name = "http";
  e.parents = {other};
  EXPECT_EQ(joined_mismatches(check_object(e, route(), "infra")),
            "parents[Gateway infra/same-namespace sectionName http]: expected a status entry for that parentRef, "
            "got Gateway infra/same-namespace; Gateway infra/same-namespace sectionName https\n");

  whole.controller_name = "example.com/other";
  e.parents = {whole};
  EXPECT_EQ(joined_mismatches(check_object(e, route(), "infra")),
            "parents[Gateway infra/same-namespace].controllerName: expected \"example.com/other\", got "
            "\"istio.io/gateway-controller\"\n");
  // A parentRef written without a namespace is the route's own namespace, not another one.
  whole.controller_name.reset();
  whole.parent_ref.namespace_ = "elsewhere";
  e.parents = {whole};
  EXPECT_FALSE(check_object(e, route(), "infra").empty());
  whole.parent_ref.namespace_ = "infra";
  e.parents = {whole};
  EXPECT_TRUE(check_object(e, route(), "infra").empty());
}

TEST(CheckObject, AddressesAndFields) {
  ObjectExpectation e;
  e.addresses = std::vector<std::string>{"10.0.0.1"};
  e.fields = {{"spec.gatewayClassName", "istio"}, {"metadata.generation", 1}, {"spec.listeners.0.port", 80}};
  EXPECT_TRUE(check_object(e, gateway(), "infra").empty()) << joined_mismatches(check_object(e, gateway(), "infra"));

  e.addresses = std::vector<std::string>{"10.0.0.2"};
  e.fields = {{"spec.gatewayClassName", "other"}, {"spec.listeners.1.port", 80}, {"metadata.generation", "1"}};
  EXPECT_EQ(joined_mismatches(check_object(e, gateway(), "infra")),
            "addresses: expected [10.0.0.2], got [10.0.0.1]\n"
            "fields.spec.gatewayClassName: expected \"other\", got \"istio\"\n"
            "fields.spec.listeners.1.port: expected 80, got (absent)\n"
            "fields.metadata.generation: expected \"1\", got 1\n");
}

TEST(JsonAt, WalksObjectsAndListIndexes) {
  model::Json g = gateway();
  ASSERT_NE(json_at(g, "status.listeners.0.name"), nullptr);
  EXPECT_EQ(*json_at(g, "status.listeners.0.name"), "http");
  EXPECT_EQ(json_at(g, "status.listeners.x.name"), nullptr);
  EXPECT_EQ(json_at(g, "status.listeners.5"), nullptr);
  EXPECT_EQ(json_at(g, "spec.gatewayClassName.more"), nullptr);
  EXPECT_EQ(json_at(g, "nothing"), nullptr);
}

}  // namespace
}  // namespace gwsim::conformance
