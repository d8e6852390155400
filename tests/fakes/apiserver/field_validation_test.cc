// Tests of fakes/apiserver/field_validation.h: the unknown fields of built-in objects, and
// int32 fields out of range.
#include "fakes/apiserver/field_validation.h"

#include <gtest/gtest.h>

namespace gwsim::fakes {
namespace {

TEST(FieldValidation, Directives) {
  FieldValidation v = FieldValidation::kIgnore;
  EXPECT_TRUE(parse_field_validation("", v));
  EXPECT_EQ(v, FieldValidation::kWarn);
  EXPECT_TRUE(parse_field_validation("Strict", v));
  EXPECT_EQ(v, FieldValidation::kStrict);
  EXPECT_TRUE(parse_field_validation("Ignore", v));
  EXPECT_EQ(v, FieldValidation::kIgnore);
  EXPECT_FALSE(parse_field_validation("strict", v));
}

TEST(FieldValidation, KnownFieldsStayUnknownOnesGoWithTheirPaths) {
  Json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", {{"name", "p"}, {"labels", {{"a", "b"}}}, {"colour", "red"}}},
              {"spec",
               {{"containers",
                 {{{"name", "app"},
                   {"image", "x"},
                   {"ports", {{{"containerPort", 80}, {"bogus", true}}}},
                   {"resources", {{"limits", {{"cpu", "1"}}}}}}}},
                {"volumes", {{{"name", "v"}, {"configMap", {{"name", "cm"}, {"oops", 1}}}}}},
                {"foo", {{"deep", 1}}}}},
              {"status", {{"phase", "Running"}}}};
  const std::vector<std::string> unknown = drop_unknown_fields(pod, "", "Pod");
  EXPECT_EQ(unknown, (std::vector<std::string>{"metadata.colour", "spec.containers[0].ports[0].bogus", "spec.foo",
                                               "spec.volumes[0].configMap.oops"}));
  EXPECT_FALSE(pod["metadata"].contains("colour"));
  EXPECT_FALSE(pod["spec"].contains("foo"));
  // Inlined structs (Volume's VolumeSource, ConfigMapVolumeSource's LocalObjectReference) keep
  // their fields.
  EXPECT_EQ(pod["spec"]["volumes"][0]["configMap"]["name"], "cm");
  EXPECT_EQ(pod["spec"]["containers"][0]["resources"]["limits"]["cpu"], "1");
  EXPECT_EQ(pod["status"]["phase"], "Running");
}

TEST(FieldValidation, OnlyBuiltInKindsHaveASchema) {
  EXPECT_TRUE(has_field_schema("apps", "Deployment"));
  EXPECT_TRUE(has_field_schema("", "ConfigMap"));
  EXPECT_FALSE(has_field_schema("networking.istio.io", "VirtualService"));
  Json vs = {{"apiVersion", "networking.istio.io/v1"}, {"kind", "VirtualService"}, {"spec", {{"x", 1}}}};
  EXPECT_TRUE(drop_unknown_fields(vs, "networking.istio.io", "VirtualService").empty());
  EXPECT_TRUE(vs["spec"].contains("x"));
}

TEST(FieldValidation, Int32OutOfRange) {
  Json d = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"spec", {{"replicas", 2147483647}}}};
  EXPECT_EQ(decoding_error(d, "apps", "Deployment"), "");
  d["spec"]["replicas"] = 2147483648ull;
  EXPECT_EQ(decoding_error(d, "apps", "Deployment"),
            "json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32");
  Json svc = {{"spec", {{"ports", {{{"port", -2147483649ll}}}}}}};
  EXPECT_NE(decoding_error(svc, "", "Service").find("ServicePort.spec.ports.port of type int32"),
            std::string::npos);
}

TEST(FieldValidation, StructuredValuesWhereAScalarIsDeclared) {
  Json cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"data", {{"x", Json::array({Json::array()})}}}};
  EXPECT_EQ(decoding_error(cm, "", "ConfigMap"),
            "json: cannot unmarshal array into Go struct field ConfigMap.data of type string");
  Json pod = {{"spec", {{"containers", {{{"name", {{"a", 1}}}}}}}}};
  EXPECT_EQ(decoding_error(pod, "", "Pod"),
            "json: cannot unmarshal object into Go struct field Container.spec.containers.name of type string");
  Json fine = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"data", {{"x", "y"}}}, {"metadata", {{"labels", {{"a", "b"}}}}}};
  EXPECT_EQ(decoding_error(fine, "", "ConfigMap"), "");
}

}  // namespace
}  // namespace gwsim::fakes
