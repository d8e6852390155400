#include "engine/model/yaml_json.h"

#include <cmath>

#include <gtest/gtest.h>

namespace gwsim::model {
namespace {

Json convert(const std::string& yaml, PositionMap* positions = nullptr, std::vector<YamlIssue>* issues = nullptr) {
  PositionMap local;
  std::vector<YamlIssue> local_issues;
  return yaml_to_json(YAML::Load(yaml), "t.yaml", positions ? *positions : local, "", issues ? *issues : local_issues);
}

// Plain scalars, typed as YAML 1.2's core schema says.
struct ScalarCase {
  const char* yaml;
  Json expected;
};

class PlainScalarTest : public ::testing::TestWithParam<ScalarCase> {};

TEST_P(PlainScalarTest, TypedAsCoreSchema) {
  Json v = convert(std::string("v: ") + GetParam().yaml)["v"];
  EXPECT_EQ(v, GetParam().expected) << "yaml: " << GetParam().yaml << " got " << v.dump();
  EXPECT_EQ(v.type(), GetParam().expected.type()) << "yaml: " << GetParam().yaml;
}

INSTANTIATE_TEST_SUITE_P(
    CoreSchema, PlainScalarTest,
    ::testing::Values(ScalarCase{"~", nullptr}, ScalarCase{"null", nullptr}, ScalarCase{"Null", nullptr},
                      ScalarCase{"NULL", nullptr}, ScalarCase{"", nullptr}, ScalarCase{"true", true},
                      ScalarCase{"True", true}, ScalarCase{"TRUE", true}, ScalarCase{"false", false},
                      ScalarCase{"False", false}, ScalarCase{"80", 80}, ScalarCase{"-12", -12}, ScalarCase{"+7", 7},
                      ScalarCase{"0", 0}, ScalarCase{"0x1F", 31}, ScalarCase{"0o17", 15}, ScalarCase{"0777", 777},
                      ScalarCase{"1.5", 1.5}, ScalarCase{"-0.25", -0.25}, ScalarCase{".5", 0.5},
                      ScalarCase{"1e3", 1000.0}, ScalarCase{"2.5E-1", 0.25},
                      // Not core-schema values: strings, unlike YAML 1.1.
                      ScalarCase{"yes", "yes"}, ScalarCase{"on", "on"}, ScalarCase{"Y", "Y"},
                      ScalarCase{"1s", "1s"}, ScalarCase{"0x", "0x"}, ScalarCase{"1.2.3", "1.2.3"},
                      ScalarCase{"www.service1.io", "www.service1.io"}, ScalarCase{"1_000", "1_000"},
                      ScalarCase{"e3", "e3"}));

TEST(YamlJsonTest, InfinityAndNaN) {
  Json j = convert("a: .inf\nb: -.Inf\nc: .NaN\n");
  EXPECT_TRUE(std::isinf(j["a"].get<double>()));
  EXPECT_GT(j["a"].get<double>(), 0);
  EXPECT_LT(j["b"].get<double>(), 0);
  EXPECT_TRUE(std::isnan(j["c"].get<double>()));
}

TEST(YamlJsonTest, QuotedAndBlockScalarsStayStrings) {
  Json j = convert("a: \"12345\"\nb: 'true'\nc: \"\"\nd: |\n  80\ne: 'null'\n");
  EXPECT_EQ(j["a"], "12345");
  EXPECT_EQ(j["b"], "true");
  EXPECT_EQ(j["c"], "");
  EXPECT_EQ(j["d"], "80\n");
  EXPECT_EQ(j["e"], "null");
}

TEST(YamlJsonTest, ExplicitTags) {
  Json j = convert("a: !!str 80\nb: !!int \"42\"\nc: !!float 3\nd: !!bool true\ne: !custom 7\n");
  EXPECT_EQ(j["a"], "80");
  EXPECT_EQ(j["b"], 42);
  EXPECT_EQ(j["c"].type(), Json::value_t::number_float);
  EXPECT_EQ(j["c"], 3.0);
  EXPECT_EQ(j["d"], true);
  EXPECT_EQ(j["e"], "7");
}

TEST(YamlJsonTest, LargeIntegers) {
  Json j = convert("a: 9223372036854775807\nb: 18446744073709551615\nc: 99999999999999999999\nd: -9223372036854775808\n");
  EXPECT_EQ(j["a"].get<std::int64_t>(), INT64_MAX);
  EXPECT_TRUE(j["b"].is_number_unsigned());
  EXPECT_EQ(j["b"].get<std::uint64_t>(), UINT64_MAX);
  EXPECT_TRUE(j["c"].is_number_float());
  EXPECT_EQ(j["d"].get<std::int64_t>(), INT64_MIN);
}

TEST(YamlJsonTest, NestedStructure) {
  Json j = convert("spec:\n  hosts: [a, b]\n  http:\n  - route:\n    - destination: {host: x, port: {number: 80}}\n");
  EXPECT_EQ(j["spec"]["hosts"], Json({"a", "b"}));
  EXPECT_EQ(j["spec"]["http"][0]["route"][0]["destination"]["port"]["number"], 80);
}

TEST(YamlJsonTest, PositionsAreOneBasedAndNameTheKey) {
  PositionMap pos;
  convert(
      "apiVersion: v1\n"            // 1
      "spec:\n"                     // 2
      "  http:\n"                   // 3
      "  - name: a\n"               // 4
      "    route:\n"                // 5
      "    - destination:\n"        // 6
      "        host: reviews\n"     // 7
      "      weight: 10\n",         // 8
      &pos);
  auto at = [&](const std::string& p) { return pos.at(p).to_string(); };
  EXPECT_EQ(at(""), "t.yaml:1:1");
  EXPECT_EQ(at("/apiVersion"), "t.yaml:1:1");
  EXPECT_EQ(at("/spec"), "t.yaml:2:1");
  EXPECT_EQ(at("/spec/http"), "t.yaml:3:3");
  EXPECT_EQ(at("/spec/http/0"), "t.yaml:4:5");
  EXPECT_EQ(at("/spec/http/0/name"), "t.yaml:4:5");
  EXPECT_EQ(at("/spec/http/0/route/0"), "t.yaml:6:7");
  EXPECT_EQ(at("/spec/http/0/route/0/destination/host"), "t.yaml:7:9");
  EXPECT_EQ(at("/spec/http/0/route/0/weight"), "t.yaml:8:7");
}

TEST(YamlJsonTest, PointerPrefixAndEscaping) {
  PositionMap pos;
  YAML::Node node = YAML::Load("a/b: 1\nc~d: 2\n");
  yaml_to_json(node, "f", pos, "/items/3");
  EXPECT_TRUE(pos.count("/items/3"));
  EXPECT_EQ(pos.at("/items/3/a~1b").line, 1);
  EXPECT_EQ(pos.at("/items/3/c~0d").line, 2);
}

TEST(YamlJsonTest, EmptyValueIsNullWithKeyPosition) {
  PositionMap pos;
  Json j = convert("a:\nb: 1\n", &pos);
  EXPECT_TRUE(j["a"].is_null());
  EXPECT_EQ(pos.at("/a").line, 1);
}

TEST(YamlJsonTest, MergeKeysAsKubernetesReadsThem) {
  Json j = convert(
      "base: &base {host: a, port: 80}\n"
      "one:\n"
      "  <<: *base\n"
      "  port: 81\n"
      "two:\n"
      "  <<: [{x: 1}, {x: 2, y: 2}]\n");
  EXPECT_EQ(j["one"]["host"], "a");
  EXPECT_EQ(j["one"]["port"], 81);  // explicit keys win
  EXPECT_FALSE(j["one"].contains("<<"));
  EXPECT_EQ(j["two"]["x"], 1);  // earlier sources win
  EXPECT_EQ(j["two"]["y"], 2);
}

TEST(YamlJsonTest, DuplicateKeysAreReported) {
  std::vector<YamlIssue> issues;
  Json j = convert("metadata:\n  name: a\n  name: b\n", nullptr, &issues);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].where.to_string(), "t.yaml:3:3");
  EXPECT_EQ(issues[0].message, "mapping key \"name\" already defined at line 2");
  EXPECT_EQ(j["metadata"]["name"], "b");
}

TEST(YamlJsonTest, ComplexKeysAreReported) {
  std::vector<YamlIssue> issues;
  convert("? [a, b]\n: 1\n", nullptr, &issues);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].message, "mapping keys must be scalars");
}

TEST(YamlJsonTest, ScalarHelper) {
  EXPECT_EQ(yaml_scalar_to_json("42", "?"), 42);
  EXPECT_EQ(yaml_scalar_to_json("42", "!"), "42");
  EXPECT_EQ(yaml_scalar_to_json("42", "tag:yaml.org,2002:str"), "42");
  EXPECT_TRUE(yaml_scalar_to_json("~", "").is_null());
}

TEST(YamlJsonTest, PositionOfNode) {
  YAML::Node node = YAML::Load("a:\n  b: 1\n");
  SourcePos p = position_of(node["a"]["b"], "x.yaml");
  EXPECT_EQ(p.line, 2);
  EXPECT_EQ(p.column, 6);
  EXPECT_EQ(p.file, "x.yaml");
}

}  // namespace
}  // namespace gwsim::model
