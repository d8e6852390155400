// engine/analysis/analyze.h and context.h: every analyzer together, istioctl's order and
// de-duplication, the mesh config, namespaces of objects that name none.
#include "engine/analysis/analyze.h"

#include <gtest/gtest.h>

#include "tests/engine/analysis/analysis_test_support.h"

namespace gwsim::analysis::testing {
namespace {

TEST(AnalyzeTest, ErrorsFirstAndIdenticalMessagesOnce) {
  // gateway-no-workload: both the port and the secret analyzers report the missing workload with
  // the same text; it is printed once.
  Context context = context_of_files({"gateway-no-workload.yaml"});
  auto messages = analyze(context);
  int selector = 0;
  for (const auto& m : messages)
    if (m.origin == "Gateway default/httpbin-gateway" && m.type->code == "IST0101") ++selector;
  EXPECT_EQ(selector, 1) << listing(messages);
  for (size_t i = 1; i < messages.size(); ++i)
    EXPECT_GE(messages[i - 1].type->level, messages[i].type->level) << listing(messages);
}

TEST(AnalyzeTest, ObjectsWithoutNamespaceAreInDefault) {
  Context context = context_of_yaml(R"(
apiVersion: v1
kind: Service
metadata: {name: s}
spec: {ports: [{name: foo, port: 80}]}
)");
  ASSERT_NE(context.find("Service", "default", "s"), nullptr);
  auto messages = run_analyzer(context, "service.PortNameAnalyzer");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].to_string(),
            "Info [IST0118] (Service default/s inline.yaml:5) Port name foo (port: 80, targetPort: 0) doesn't follow "
            "the naming convention of Istio port.");
}

TEST(AnalyzeTest, MeshConfigFile) {
  auto mesh = read_mesh_config(testdata("serviceentry-missing-addresses-protocol-mesh-cfg.yaml"));
  ASSERT_TRUE(mesh.ok()) << mesh.error().to_string();
  EXPECT_EQ(mesh.value().proxy_metadata.at("ISTIO_META_DNS_AUTO_ALLOCATE"), "true");
  EXPECT_FALSE(read_mesh_config(testdata("no-such-file.yaml")).ok());
}

TEST(AnalyzeTest, EveryAnalyzerHasAUniqueName) {
  std::set<std::string_view> names;
  for (const auto& a : all_analyzers()) EXPECT_TRUE(names.insert(a.name).second) << a.name;
  EXPECT_EQ(find_analyzer("gwsim.UnreachableRouteAnalyzer")->run, &analyze_unreachable_routes);
}

}  // namespace
}  // namespace gwsim::analysis::testing
