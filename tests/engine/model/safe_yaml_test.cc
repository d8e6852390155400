// Tests of engine/model/safe_yaml.h: hostile YAML and JSON are refused with a clear error and a
// position, quickly and without expanding anything; ordinary documents load as yaml-cpp and
// nlohmann::json load them.
#include "engine/model/safe_yaml.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "engine/model/yaml_json.h"

namespace gwsim::model {
namespace {

std::string hostile_file(const std::string& name) {
  std::ifstream in(std::string(GWSIM_SOURCE_DIR) + "/tests/hostile/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Json to_json(const YAML::Node& node) {
  PositionMap positions;
  return yaml_to_json(node, "t.yaml", positions);
}

std::string nested(int depth, char open, char close) { return std::string(depth, open) + std::string(depth, close); }

// ---- YAML that must load unchanged ----

TEST(SafeYaml, OrdinaryDocumentsLoadAsYamlCppLoadsThem) {
  const std::string text =
      "base: &base {app: web, tier: front}\n"
      "labels:\n  <<: *base\n  version: v1\n"
      "hosts: [&h shop.example.com, *h]\n"
      "---\n"
      "second: [1, 2, {a: b}]\n";
  YamlDocuments loaded = load_yaml_documents(text);
  ASSERT_FALSE(loaded.error) << loaded.error->message;
  std::vector<YAML::Node> expected = YAML::LoadAll(text);
  ASSERT_EQ(loaded.documents.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(to_json(loaded.documents[i]), to_json(expected[i]));
  EXPECT_EQ(to_json(loaded.documents[0])["labels"]["app"], "web");
}

TEST(SafeYaml, OneDocumentIsTheFirstAsYamlLoadGivesIt) {
  YamlDocument first = load_yaml_document("a: 1\n---\nb: 2\n");
  ASSERT_FALSE(first.error);
  EXPECT_EQ(to_json(first.root), (Json{{"a", 1}}));
  YamlDocument empty = load_yaml_document("");
  ASSERT_FALSE(empty.error);
  EXPECT_TRUE(empty.root.IsNull());
}

TEST(SafeYaml, SyntaxErrorsComeBackWithTheirPosition) {
  YamlDocuments loaded = load_yaml_documents("a: 1\nb: [unclosed\n");
  ASSERT_TRUE(loaded.error);
  EXPECT_GT(loaded.error->line, 0);
  EXPECT_TRUE(loaded.documents.empty());
  EXPECT_EQ(load_yaml_document("a: *nowhere\n").error->message, "the referenced anchor is not defined");
}

// ---- YAML that must be refused ----

TEST(SafeYaml, RecursiveAliasIsRefusedWithItsPosition) {
  YamlDocument loaded = load_yaml_document(hostile_file("recursive-alias.yaml"));
  ASSERT_TRUE(loaded.error);
  EXPECT_EQ(loaded.error->message, "alias *r is inside the node it names (a recursive alias)");
  EXPECT_EQ(loaded.error->where("f.yaml").to_string(), "f.yaml:1:11");
  EXPECT_EQ(loaded.error->where("f.yaml", 10).to_string(), "f.yaml:11:11");
  // Deeper inside, and in a sequence.
  auto deep = load_yaml_documents("ok: 1\n---\na: &a\n  - x\n  - [y, *a]\n");
  ASSERT_TRUE(deep.error);
  EXPECT_EQ(deep.error->line, 5);
  EXPECT_EQ(deep.error->message, "alias *a is inside the node it names (a recursive alias)");
}

TEST(SafeYaml, AliasBombIsRefusedQuicklyAtTheAliasThatCrossesTheBudget) {
  auto start = std::chrono::steady_clock::now();
  YamlDocuments loaded = load_yaml_documents(hostile_file("alias-bomb.yaml"));
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(loaded.error);
  EXPECT_EQ(loaded.error->message,
            "aliases expand to more than 10000 nodes (the limit; an alias bomb is refused, never expanded)");
  EXPECT_EQ(loaded.error->line, 12);  // the first alias of e: 4 * 9^3 + ... passes 10000
  EXPECT_LT(took, std::chrono::seconds(1));
}

TEST(SafeYaml, AliasBudgetIsSharedByTheDocumentsOfOneFile) {
  // 60 aliases of a 100-node list: 6000 nodes per document, fine alone, too many twice.
  std::string doc;
  doc = "a: &a [";
  for (int i = 0; i < 99; ++i) doc += "x,";
  doc += "x]\nb: [";
  for (int i = 0; i < 59; ++i) doc += "*a,";
  doc += "*a]\n";
  EXPECT_FALSE(load_yaml_document(doc).error);
  AliasBudget budget;
  EXPECT_FALSE(load_yaml_document(doc, &budget).error);
  EXPECT_TRUE(load_yaml_document(doc, &budget).error);
  EXPECT_TRUE(load_yaml_documents(doc + "---\n" + doc).error);
}

// Texts without a possible alias skip the limit scan; these check that wildcard hosts (a '*'
// that is no alias) neither hide an alias elsewhere nor change what loads.
TEST(SafeYaml, QuotedWildcardHostsLoadAndDoNotHideAnAliasBomb) {
  const std::string hosts = "hosts: ['*.example.com', \"*\", \"*.b.example.com\"]\n";
  YamlDocument plain = load_yaml_document(hosts);
  ASSERT_FALSE(plain.error) << plain.error->message;
  EXPECT_EQ(to_json(plain.root)["hosts"], (Json{"*.example.com", "*", "*.b.example.com"}));
  YamlDocuments bomb = load_yaml_documents(hosts + hostile_file("alias-bomb.yaml"));
  ASSERT_TRUE(bomb.error);
  EXPECT_EQ(bomb.error->message,
            "aliases expand to more than 10000 nodes (the limit; an alias bomb is refused, never expanded)");
  // An alias right after a closing quote is still an alias: refused or loaded as the scan says.
  YamlDocument after_quote = load_yaml_document("a: &x [1, 2]\nb: [\"\"*x]\n");
  ASSERT_TRUE(after_quote.error);
  EXPECT_EQ(after_quote.error->line, 2);
  // A recursive alias whose only '*' follows a quote-like character.
  YamlDocument recursive = load_yaml_document("a: &a ['x',*a]\n");
  ASSERT_TRUE(recursive.error);
  EXPECT_EQ(recursive.error->message, "alias *a is inside the node it names (a recursive alias)");
}

TEST(SafeYaml, DeepNestingIsRefusedAtTheDeepestCollection) {
  EXPECT_FALSE(load_yaml_document("a: " + nested(400, '[', ']')).error);
  YamlDocument deep = load_yaml_document("a: " + nested(100000, '[', ']'));
  ASSERT_TRUE(deep.error);
  EXPECT_EQ(deep.error->message, "nesting is deeper than yaml-cpp's parser allows (500 levels)");
  EXPECT_EQ(deep.error->line, 1);
  EXPECT_LT(deep.error->column, 600);  // where the nesting is, not where yaml-cpp's scanner read to
}

TEST(SafeYaml, TextOverTheDocumentLimitIsRefusedBeforeParsing) {
  std::string big = "a: \"" + std::string(kMaxDocumentBytes, 'x') + "\"\n";
  YamlDocument loaded = load_yaml_document(big);
  ASSERT_TRUE(loaded.error);
  EXPECT_EQ(loaded.error->line, 0);
  EXPECT_NE(loaded.error->message.find("over the limit of 3145728 bytes"), std::string::npos);
}

// ---- JSON ----

TEST(SafeJson, OrdinaryJsonParsesAsNlohmannParsesIt) {
  const std::string text = R"({"a":[1,2.5,"x[{",{"b":null}],"c":true})";
  JsonDocument parsed = parse_json(text);
  ASSERT_FALSE(parsed.error);
  EXPECT_EQ(parsed.value, Json::parse(text));
}

TEST(SafeJson, DepthLimitIsGoEncodingJsonsTenThousand) {
  EXPECT_FALSE(parse_json(nested(kMaxNestingDepth, '[', ']')).error);
  JsonDocument deep = parse_json(nested(kMaxNestingDepth + 1, '[', ']'));
  ASSERT_TRUE(deep.error);
  EXPECT_EQ(deep.error->message, "JSON nesting is deeper than 10000 levels (the limit)");
  EXPECT_EQ(deep.error->line, 1);
  EXPECT_EQ(deep.error->column, kMaxNestingDepth + 1);
  EXPECT_TRUE(deep.value.is_null());
  // Brackets inside strings do not nest.
  EXPECT_FALSE(parse_json("[\"" + std::string(20000, '[') + "\\\"\"]").error);
}

TEST(SafeJson, HostileBodiesAreRefusedQuickly) {
  for (const char* name : {"deep-array.json", "deep-json-patch.json"}) {
    auto start = std::chrono::steady_clock::now();
    JsonDocument parsed = parse_json(hostile_file(name));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1)) << name;
    ASSERT_TRUE(parsed.error) << name;
    EXPECT_EQ(parsed.error->message, "JSON nesting is deeper than 10000 levels (the limit)") << name;
  }
}

TEST(SafeJson, ANumberTooLargeForADoubleIsAnErrorNotAnException) {
  // Found by the yaml_json fuzz target: nlohmann throws out_of_range, not parse_error, and the
  // API server answered 500. Go's encoding/json refuses such a body as well.
  JsonDocument parsed = parse_json(R"({"spec":{"replicas":1e400}})");
  ASSERT_TRUE(parsed.error);
  EXPECT_EQ(parsed.error->message, "number overflow parsing '1e400'");
  EXPECT_TRUE(parsed.value.is_null());
}

TEST(SafeJson, SyntaxErrorsKeepNlohmannsMessageWithoutItsPrefix) {
  JsonDocument bad = parse_json("x: &r {a: *r}\n");
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->message.rfind("parse error at line 1, column 1: syntax error", 0), 0u) << bad.error->message;
  EXPECT_TRUE(parse_json("").error);
}

TEST(SafeJson, DeepValuesBuiltFromCheckedPartsAreCaught) {
  Json value = Json::array();
  Json* inner = &value;
  for (int i = 1; i < kMaxNestingDepth; ++i) inner = &inner->emplace_back(Json::array());
  EXPECT_FALSE(json_deeper_than_limit(value));
  inner->emplace_back(Json::array());
  EXPECT_TRUE(json_deeper_than_limit(value));
  EXPECT_FALSE(json_deeper_than_limit(Json("scalar")));
}

}  // namespace
}  // namespace gwsim::model
