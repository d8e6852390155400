// Tests of engine/model/yaml_tree.h and safe_yaml.h's load_yaml_tree: a document read through
// yaml-cpp's events gives the same JSON, the same positions, the same conversion issues and the
// same refusals as YAML::Load's node tree (load_yaml_document) gives for the same text.
#include "engine/model/yaml_tree.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "engine/model/safe_yaml.h"
#include "engine/model/yaml_json.h"

namespace gwsim::model {
namespace {

struct Converted {
  Json value;
  PositionMap positions;
  std::vector<std::string> issues;
};

template <typename Node>
Converted convert(const Node& node) {
  Converted out;
  std::vector<YamlIssue> issues;
  out.value = yaml_to_json(node, "t.yaml", out.positions, "", issues);
  for (const auto& i : issues) out.issues.push_back(i.where.to_string() + " " + i.message);
  return out;
}

std::string describe(const PositionMap& positions) {
  std::string out;
  for (const auto& [pointer, pos] : positions) out += pointer + "=" + pos.to_string() + "\n";
  return out;
}

// The tree and yaml-cpp's node agree on everything the loaders read.
void expect_same_as_yaml_cpp(const std::string& text) {
  SCOPED_TRACE(text);
  YamlDocument expected = load_yaml_document(text);
  YamlTreeDocument actual = load_yaml_tree(text);
  ASSERT_EQ(expected.error.has_value(), actual.error.has_value());
  if (expected.error) {
    EXPECT_EQ(actual.error->message, expected.error->message);
    EXPECT_EQ(actual.error->line, expected.error->line);
    EXPECT_EQ(actual.error->column, expected.error->column);
    return;
  }
  const YamlNode root = actual.tree.root();
  EXPECT_EQ(root.Type(), expected.root.Type());
  EXPECT_EQ(position_of(root, "t.yaml"), position_of(expected.root, "t.yaml"));
  Converted want = convert(expected.root);
  Converted got = convert(root);
  EXPECT_EQ(got.value.dump(), want.value.dump());
  EXPECT_EQ(describe(got.positions), describe(want.positions));
  EXPECT_EQ(got.issues, want.issues);
}

TEST(YamlTree, PlainDocumentsConvertAsYamlCppsTree) {
  expect_same_as_yaml_cpp(
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: default}\n"
      "spec:\n  hosts: ['*.example.com', \"quoted\"]\n  http:\n    - match: [{uri: {prefix: /r0}}]\n"
      "      route:\n        - destination: {host: svc, subset: v1}\n          weight: 100\n");
  expect_same_as_yaml_cpp("a: 1\nb: 2.5\nc: true\nd: ~\ne: null\nf:\ng: '12345'\nh: 0x1F\ni: .inf\nj: \"\"\n");
  expect_same_as_yaml_cpp("text: |\n  line one\n  line two\nfolded: >\n  a\n  b\n");
  expect_same_as_yaml_cpp("- 1\n- [a, b]\n- {k: v}\n- \n");
  expect_same_as_yaml_cpp("just a scalar\n");
  expect_same_as_yaml_cpp("# only a comment\n");
  expect_same_as_yaml_cpp("");
}

TEST(YamlTree, AnchorsAliasesAndMergeKeys) {
  expect_same_as_yaml_cpp("base: &base {app: web, tier: front}\nlabels:\n  <<: *base\n  tier: back\n");
  expect_same_as_yaml_cpp("hosts: [&h shop.example.com, *h, *h]\nlist: &l [1, 2]\nagain: *l\n");
  // Merging a sequence of maps: earlier sources win; a non-map source is an issue.
  expect_same_as_yaml_cpp("a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  w: 0\n");
  expect_same_as_yaml_cpp("a: &a {x: 1}\nc:\n  <<: [*a, 5]\n");
  expect_same_as_yaml_cpp("c:\n  <<: 5\n");
  expect_same_as_yaml_cpp("c:\n  <<: {inline: 1}\n  own: 2\n");
  // A merged mapping that merges itself keeps its "<<" as a key (as the converter always did).
  expect_same_as_yaml_cpp("a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc: {<<: *b}\n");
  // A quoted "<<" is an ordinary key.
  expect_same_as_yaml_cpp("a: &a {x: 1}\nc: {'<<': *a}\n");
  // An aliased scalar as a key.
  expect_same_as_yaml_cpp("k: &k name\nm: {*k : v}\n");
  // Anchors are per document, and only the first document is read.
  expect_same_as_yaml_cpp("a: &a 1\n---\nb: *a\n");
}

TEST(YamlTree, TagsKeepTheirMeaning) {
  expect_same_as_yaml_cpp("a: !!str 123\nb: !!int '42'\nc: !!float 1\nd: !!bool true\ne: !!null x\n");
  expect_same_as_yaml_cpp("a: !custom 123\nb: ! 12\nc: !<tag:yaml.org,2002:str> 7\n");
  expect_same_as_yaml_cpp("%TAG !e! tag:example.com,2000:\n---\na: !e!thing 5\n");
}

TEST(YamlTree, DuplicateAndNonScalarKeysAreTheSameIssues) {
  expect_same_as_yaml_cpp("a: 1\nb: 2\na: 3\n");
  expect_same_as_yaml_cpp("? [x, y]\n: 1\nb: 2\n");
  expect_same_as_yaml_cpp("? {x: 1}\n: 1\n");
  expect_same_as_yaml_cpp("? \n: 1\n");
}

TEST(YamlTree, RefusalsAreTheSame) {
  expect_same_as_yaml_cpp("a: 1\nb: [unclosed\n");
  expect_same_as_yaml_cpp("a: *nowhere\n");
  expect_same_as_yaml_cpp("a: &a [x, *a]\n");
  expect_same_as_yaml_cpp("a: &x [1, 2]\nb: [\"\"*x]\n");
  expect_same_as_yaml_cpp("a: " + std::string(100000, '[') + std::string(100000, ']'));
  std::ifstream bomb(std::string(GWSIM_SOURCE_DIR) + "/tests/hostile/alias-bomb.yaml", std::ios::binary);
  std::ostringstream text;
  text << bomb.rdbuf();
  ASSERT_FALSE(text.str().empty());
  expect_same_as_yaml_cpp(text.str());
  YamlTreeDocument big = load_yaml_tree("a: \"" + std::string(kMaxDocumentBytes, 'x') + "\"\n");
  ASSERT_TRUE(big.error);
  EXPECT_EQ(big.error->line, 0);
  EXPECT_NE(big.error->message.find("over the limit of 3145728 bytes"), std::string::npos);
}

TEST(YamlTree, AliasBudgetIsSpentAsLoadYamlDocumentSpendsIt) {
  // 60 aliases of a 100-node list: fine once, too many twice on one budget.
  std::string doc = "a: &a [";
  for (int i = 0; i < 99; ++i) doc += "x,";
  doc += "x]\nb: [";
  for (int i = 0; i < 59; ++i) doc += "*a,";
  doc += "*a]\n";
  AliasBudget tree_budget, node_budget;
  EXPECT_FALSE(load_yaml_tree(doc, &tree_budget).error);
  EXPECT_FALSE(load_yaml_document(doc, &node_budget).error);
  EXPECT_EQ(tree_budget.expanded_nodes, node_budget.expanded_nodes);
  YamlTreeDocument second = load_yaml_tree(doc, &tree_budget);
  ASSERT_TRUE(second.error);
  EXPECT_EQ(second.error->message, load_yaml_document(doc, &node_budget).error->message);
  // A document without aliases spends nothing.
  AliasBudget untouched;
  EXPECT_FALSE(load_yaml_tree("hosts: ['*.example.com']\n", &untouched).error);
  EXPECT_EQ(untouched.expanded_nodes, 0u);
}

TEST(YamlTree, LookupFindsTheFirstMemberAsYamlCppDoes) {
  const std::string text = "kind: List\nkind: Other\nitems: [{a: 1}, 2]\n? [k]\n: v\n";
  YamlTreeDocument tree = load_yaml_tree(text);
  ASSERT_FALSE(tree.error);
  const YamlNode root = tree.tree.root();
  YAML::Node node = YAML::Load(text);
  EXPECT_EQ(root["kind"].Scalar(), node["kind"].Scalar());
  EXPECT_EQ(root["kind"].Scalar(), "List");
  EXPECT_FALSE(root["missing"].IsDefined());
  EXPECT_EQ(root["items"].size(), 2u);
  EXPECT_TRUE(root["items"].IsSequence());
  std::vector<std::string> kinds;
  for (const auto& item : root["items"]) kinds.push_back(item.IsMap() ? "map" : item.Scalar());
  EXPECT_EQ(kinds, (std::vector<std::string>{"map", "2"}));
  EXPECT_FALSE(root["kind"]["x"].IsDefined());  // not a mapping
  EXPECT_EQ(root.size(), 4u);
}

}  // namespace
}  // namespace gwsim::model
