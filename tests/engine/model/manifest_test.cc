#include "engine/model/manifest.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace gwsim::model {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> messages(const ManifestLoad& load) {
  std::vector<std::string> out;
  for (const auto& d : load.diagnostics) out.push_back(d.to_string());
  return out;
}

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("gwsim-manifest-test-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) {
    fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

const char* kService =
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata:\n"
    "  name: web\n"
    "spec:\n"
    "  ports: [{port: 80}]\n";

TEST(ManifestTest, MultiDocumentTextKeepsOrderAndPositions) {
  auto load = load_manifest_text(
      "# leading comment\n"
      "apiVersion: v1\n"
      "kind: Namespace\n"
      "metadata: {name: shop}\n"
      "---\n"
      "---\n"
      "# only a comment\n"
      "---\n"
      "apiVersion: networking.istio.io/v1\n"
      "kind: Gateway\n"
      "metadata:\n"
      "  name: gw\n"
      "  namespace: shop\n"
      "spec:\n"
      "  servers: []\n"
      "...\n",
      "all.yaml");
  EXPECT_TRUE(load.diagnostics.empty()) << ::testing::PrintToString(messages(load));
  ASSERT_EQ(load.objects.size(), 2u);
  EXPECT_EQ(load.objects[0].kind(), "Namespace");
  EXPECT_EQ(load.objects[0].source.to_string(), "all.yaml:2:1");
  EXPECT_EQ(load.objects[1].kind(), "Gateway");
  EXPECT_EQ(load.objects[1].source.to_string(), "all.yaml:9:1");
  EXPECT_EQ(load.objects[1].where("/spec/servers"), "all.yaml:15:3");
  EXPECT_EQ(load.objects[1].where("/metadata/namespace"), "all.yaml:13:3");
}

TEST(ManifestTest, SyntaxErrorNamesFileLineColumnAndOtherDocumentsStillLoad) {
  auto load = load_manifest_text(
      "apiVersion: v1\n"
      "kind: Namespace\n"
      "metadata: {name: a}\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Service\n"
      "metadata: {name: b\n"
      "spec: {}\n"
      "---\n"
      "apiVersion: v1\n"
      "kind: Namespace\n"
      "metadata: {name: c}\n",
      "broken.yaml");
  ASSERT_EQ(load.objects.size(), 2u);
  EXPECT_EQ(load.objects[0].name(), "a");
  EXPECT_EQ(load.objects[1].name(), "c");
  ASSERT_EQ(load.diagnostics.size(), 1u);
  const auto& d = load.diagnostics[0];
  EXPECT_EQ(d.severity, ManifestDiagnostic::Severity::kError);
  EXPECT_EQ(d.where.rfind("broken.yaml:", 0), 0u) << d.where;
  // The error is reported inside the second document (lines 5-8), not at the top of the file.
  int line = std::stoi(d.where.substr(std::string("broken.yaml:").size()));
  EXPECT_GE(line, 7);
  EXPECT_LE(line, 9);
  EXPECT_TRUE(load.has_errors());
  EXPECT_NE(d.to_string().find("broken.yaml:"), std::string::npos);
  EXPECT_NE(d.to_string().find(": error: "), std::string::npos);
}

TEST(ManifestTest, BadIndentationIsASyntaxError) {
  auto load = load_manifest_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   labels: {}\n", "indent.yaml");
  ASSERT_EQ(load.diagnostics.size(), 1u);
  EXPECT_EQ(load.diagnostics[0].to_string(), "indent.yaml:5:10: error: illegal map value");
  EXPECT_TRUE(load.objects.empty());
}

TEST(ManifestTest, DocumentsMustBeObjectsWithApiVersionKindAndName) {
  struct Case {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"- a\n- b\n", "bad.yaml:1:1: error: a document must be a Kubernetes object (a mapping), got a sequence"},
      {"hello\n", "bad.yaml:1:1: error: a document must be a Kubernetes object (a mapping), got a scalar"},
      {"kind: Service\nmetadata: {name: a}\n", "bad.yaml:1:1: error: apiVersion is required"},
      {"apiVersion: v1\nmetadata: {name: a}\n", "bad.yaml:1:1: error: kind is required"},
      {"apiVersion: v1\nkind: Service\n", "bad.yaml:1:1: error: metadata.name is required"},
      {"apiVersion: v1\nkind: Service\nmetadata:\n  namespace: x\n", "bad.yaml:3:1: error: metadata.name is required"},
      {"apiVersion: v1\nkind: Service\nmetadata:\n  name: 12\n",
       "bad.yaml:4:3: error: metadata.name must be a non-empty string, got a number"},
      {"apiVersion: 1\nkind: Service\nmetadata: {name: a}\n",
       "bad.yaml:1:1: error: apiVersion must be a non-empty string, got a number"},
      {"apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n",
       "bad.yaml:5:3: error: mapping key \"name\" already defined at line 4"},
  };
  for (const auto& c : cases) {
    auto load = load_manifest_text(c.yaml, "bad.yaml");
    EXPECT_TRUE(load.objects.empty()) << c.yaml;
    ASSERT_EQ(load.diagnostics.size(), 1u) << c.yaml;
    EXPECT_EQ(load.diagnostics[0].to_string(), c.message);
  }
}

TEST(ManifestTest, UnknownKindsWarnAndAreSkipped) {
  auto load = load_manifest_text(
      "apiVersion: example.com/v1\n"
      "kind: Widget\n"
      "metadata: {name: gw}\n"
      "---\n"
      "apiVersion: example.org/v1alpha1\n"
      "kind: Gadget\n"
      "metadata: {name: deny}\n",
      "x.yaml");
  EXPECT_TRUE(load.objects.empty());
  EXPECT_FALSE(load.has_errors());
  EXPECT_EQ(messages(load), (std::vector<std::string>{
                                "x.yaml:1:1: warning: unknown kind Widget (apiVersion example.com/v1): ignored",
                                "x.yaml:5:1: warning: unknown kind Gadget (apiVersion example.org/v1alpha1): ignored",
                            }));
}

TEST(ManifestTest, WrongVersionOfAKnownKindIsAnErrorNamingSupportedVersions) {
  auto load = load_manifest_text("apiVersion: networking.istio.io/v2\nkind: Gateway\nmetadata: {name: gw}\n", "v.yaml");
  EXPECT_TRUE(load.objects.empty());
  ASSERT_EQ(load.diagnostics.size(), 1u);
  EXPECT_EQ(load.diagnostics[0].to_string(),
            "v.yaml:1:1: error: no matches for kind \"Gateway\" in version \"networking.istio.io/v2\" (supported: "
            "networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3)");
  auto apps = load_manifest_text("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\n", "d.yaml");
  // A different group is a different kind: only a warning.
  EXPECT_FALSE(apps.has_errors());
  auto wrong = load_manifest_text("apiVersion: apps/v1beta2\nkind: Deployment\nmetadata: {name: d}\n", "d.yaml");
  ASSERT_EQ(wrong.diagnostics.size(), 1u);
  EXPECT_NE(wrong.diagnostics[0].message.find("(supported: apps/v1)"), std::string::npos);
}

TEST(ManifestTest, StoredButNotSimulatedKindsWarn) {
  auto load = load_manifest_text("apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: s}\n", "s.yaml");
  ASSERT_EQ(load.objects.size(), 1u);
  ASSERT_EQ(load.diagnostics.size(), 1u);
  EXPECT_EQ(load.diagnostics[0].severity, ManifestDiagnostic::Severity::kWarning);
  EXPECT_NE(load.diagnostics[0].message.find("not simulated"), std::string::npos);
}

TEST(ManifestTest, KnownKinds) {
  EXPECT_TRUE(is_known_kind("v1", "Service"));
  EXPECT_TRUE(is_known_kind("v1", "Endpoints"));
  EXPECT_TRUE(is_known_kind("apps/v1", "Deployment"));
  EXPECT_TRUE(is_known_kind("apps/v1", "StatefulSet"));
  EXPECT_TRUE(is_known_kind("networking.istio.io/v1alpha3", "VirtualService"));
  EXPECT_TRUE(is_known_kind("networking.istio.io/v1beta1", "DestinationRule"));
  EXPECT_TRUE(is_known_kind("networking.istio.io/v1", "ServiceEntry"));
  EXPECT_FALSE(is_known_kind("networking.istio.io/v2", "Gateway"));
  EXPECT_TRUE(is_known_kind("gateway.networking.k8s.io/v1", "Gateway"));
  EXPECT_TRUE(is_known_kind("networking.k8s.io/v1", "Ingress"));
  EXPECT_FALSE(is_known_kind("gateway.networking.k8s.io/v2", "HTTPRoute"));
  EXPECT_FALSE(is_known_kind("v1", "Deployment"));
  EXPECT_FALSE(is_known_kind("security.istio.io/v1", "PeerAuthentication"));
}

TEST(ManifestTest, ListKindExpandsItemsWithTheirOwnPositions) {
  auto load = load_manifest_text(
      "apiVersion: v1\n"
      "kind: List\n"
      "items:\n"
      "- apiVersion: v1\n"
      "  kind: Namespace\n"
      "  metadata: {name: a}\n"
      "- apiVersion: v1\n"
      "  kind: Service\n"
      "  metadata: {name: b}\n"
      "  spec:\n"
      "    type: NodePort\n",
      "list.yaml");
  EXPECT_TRUE(load.diagnostics.empty());
  ASSERT_EQ(load.objects.size(), 2u);
  EXPECT_EQ(load.objects[1].where("/spec/type"), "list.yaml:11:5");
  EXPECT_EQ(load.objects[1].source.to_string(), "list.yaml:7:3");
}

TEST(ManifestTest, FilesAndDirectories) {
  TempDir dir;
  dir.write("b.yaml", kService);
  dir.write("a.yml",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: first}\n---\napiVersion: v1\nkind: Namespace\nmetadata: "
            "{name: second}\n");
  dir.write("c.txt", "not yaml: [\n");
  dir.write("sub/d.yaml", kService);  // not recursive
  auto load = load_manifests({dir.path()});
  EXPECT_TRUE(load.diagnostics.empty()) << ::testing::PrintToString(messages(load));
  ASSERT_EQ(load.objects.size(), 3u);
  EXPECT_EQ(load.objects[0].name(), "first");
  EXPECT_EQ(load.objects[1].name(), "second");
  EXPECT_EQ(load.objects[2].name(), "web");
  EXPECT_EQ(load.objects[2].source.file, dir.path() + "/b.yaml");
  EXPECT_EQ(load.objects[2].where("/spec/ports"), dir.path() + "/b.yaml:6:3");
}

TEST(ManifestTest, MissingPathIsAnErrorAndOtherPathsStillLoad) {
  TempDir dir;
  std::string good = dir.write("good.yaml", kService);
  auto load = load_manifests({dir.path() + "/missing.yaml", good});
  ASSERT_EQ(load.objects.size(), 1u);
  ASSERT_EQ(load.diagnostics.size(), 1u);
  EXPECT_EQ(load.diagnostics[0].to_string(), dir.path() + "/missing.yaml: error: no such file or directory");
}

TEST(ManifestTest, BrokenFileDoesNotStopTheNextFile) {
  TempDir dir;
  dir.write("1-bad.yaml", "apiVersion: v1\nkind: [\n");
  dir.write("2-good.yaml", kService);
  auto load = load_manifests({dir.path()});
  ASSERT_EQ(load.objects.size(), 1u);
  EXPECT_TRUE(load.has_errors());
  EXPECT_EQ(load.diagnostics[0].where.rfind(dir.path() + "/1-bad.yaml:", 0), 0u);
}

TEST(ManifestTest, EmptyDirectoryWarns) {
  TempDir dir;
  auto load = load_manifests({dir.path()});
  ASSERT_EQ(load.diagnostics.size(), 1u);
  EXPECT_EQ(load.diagnostics[0].severity, ManifestDiagnostic::Severity::kWarning);
}

TEST(ManifestTest, DiagnosticToString) {
  ManifestDiagnostic d{ManifestDiagnostic::Severity::kWarning, "f.yaml:3:1", "careful"};
  EXPECT_EQ(d.to_string(), "f.yaml:3:1: warning: careful");
  d.severity = ManifestDiagnostic::Severity::kError;
  d.where = "";
  EXPECT_EQ(d.to_string(), "error: careful");
}

TEST(ManifestTest, ObjectFromJson) {
  auto ok = object_from_json(Json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"a"}})"),
                             SourcePos{"scenario.yaml", 12, 7});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->name(), "a");
  EXPECT_EQ(ok->where("/spec"), "scenario.yaml:12:7");

  auto positions = std::make_shared<PositionMap>();
  (*positions)["/metadata"] = SourcePos{"scenario.yaml", 14, 9};
  auto missing = object_from_json(Json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{}})"),
                                  SourcePos{"scenario.yaml", 12, 7}, positions);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().to_string(), "scenario.yaml:14:9: metadata.name is required");

  auto not_object = object_from_json(Json::array(), SourcePos{"s.yaml", 1, 1});
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().message, "a Kubernetes object must be a mapping, got a sequence");

  auto bad_version = object_from_json(
      Json::parse(R"({"apiVersion":"networking.istio.io/v9","kind":"VirtualService","metadata":{"name":"a"}})"),
      SourcePos{"s.yaml", 1, 1});
  ASSERT_FALSE(bad_version.ok());
  EXPECT_NE(bad_version.error().message.find("no matches for kind \"VirtualService\""), std::string::npos);
}

TEST(ManifestTest, WindowsLineEndings) {
  auto load = load_manifest_text("apiVersion: v1\r\nkind: Namespace\r\nmetadata: {name: a}\r\n---\r\napiVersion: v1\r\nkind: "
                                 "Namespace\r\nmetadata: {name: b}\r\n",
                                 "crlf.yaml");
  ASSERT_EQ(load.objects.size(), 2u);
  EXPECT_EQ(load.objects[1].name(), "b");
  EXPECT_EQ(load.objects[1].source.line, 5);
}


// Many documents are parsed on several threads (engine/model/manifest.cc); what comes out must be
// what reading them one by one gives: objects and messages in file order, and one alias budget
// per file spent in file order.
TEST(ManifestTest, ManyDocumentsKeepFileOrderWhenReadInParallel) {
  // 60 aliases of a 101-node list: 6060 nodes, fine once per file, over the budget twice.
  std::string aliased = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: NAME}\ndata: {list: &a [";
  for (int i = 0; i < 99; ++i) aliased += "x,";
  aliased += "x]}\nextra: [";
  for (int i = 0; i < 59; ++i) aliased += "*a,";
  aliased += "*a]\n";
  auto named = [](std::string text, const std::string& name) { return text.replace(text.find("NAME"), 4, name); };
  std::string text;
  std::vector<std::string> expected_names, expected_messages;
  int line = 1;
  for (int i = 0; i < 300; ++i) {
    std::string doc;
    const std::string name = "n" + std::to_string(i);
    if (i == 40) {
      doc = "apiVersion: v1\nkind: Namespace\nmetadata: {name: [unclosed\n";
      expected_messages.push_back("f.yaml:" + std::to_string(line + 3) + ":1: error: end of sequence flow not found");
    } else if (i == 120) {
      doc = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: " + name + "}\n";
      expected_messages.push_back("f.yaml:" + std::to_string(line) +
                                  ":1: warning: unknown kind Widget (apiVersion example.com/v1): ignored");
    } else if (i == 150 || i == 250) {
      doc = named(aliased, name);
      if (i == 150) expected_names.push_back(name);
      else  // the 40th alias (column 9 + 39 * 3): 6060 + 40 * 101 nodes pass 10000
        expected_messages.push_back(
            "f.yaml:" + std::to_string(line + 4) +
            ":126: error: aliases expand to more than 10000 nodes (the limit; an alias bomb is refused, never expanded)");
    } else {
      doc = "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + "}\n";
      expected_names.push_back(name);
    }
    text += doc + "---\n";
    line += static_cast<int>(std::count(doc.begin(), doc.end(), '\n')) + 1;
  }
  auto load = load_manifest_text(text, "f.yaml");
  std::vector<std::string> names;
  for (const auto& o : load.objects) names.push_back(o.name());
  EXPECT_EQ(names, expected_names);
  EXPECT_EQ(messages(load), expected_messages);
}

}  // namespace
}  // namespace gwsim::model
