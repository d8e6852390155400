// load_request_list: the --requests file of `gwsim diff`, in the scenario request shape.
#include "conformance/request_list.h"

#include <gtest/gtest.h>

namespace gwsim::conformance {
namespace {

TEST(RequestList, EntriesInTheScenarioRequestShapeWithTheirPositions) {
  const auto load = load_request_list_text(
      "requests:\n"
      "  - {host: www.example.com, path: /api, headers: {version: v2}}\n"
      "  - {host: shop.example.com, scheme: https, gateway: istio-system/gw}\n",
      "r.yaml");
  ASSERT_TRUE(load.errors.empty()) << load.errors[0].to_string();
  ASSERT_EQ(load.requests.size(), 2u);
  EXPECT_EQ(load.requests[0].request.path, "/api");
  EXPECT_EQ(load.requests[0].request.headers[0].second, "v2");
  EXPECT_EQ(load.requests[0].source.line, 2);
  EXPECT_EQ(load.requests[1].request.port, 443u);
  EXPECT_EQ(load.requests[1].request.sni, "shop.example.com");
  EXPECT_EQ(load.requests[1].request.gateway, "istio-system/gw");
}

TEST(RequestList, APlainListIsReadToo) {
  const auto load = load_request_list_text("- {host: a.example.com}\n", "r.yaml");
  ASSERT_EQ(load.requests.size(), 1u);
  EXPECT_EQ(load.requests[0].request.path, "/");
}

TEST(RequestList, MistakesAreNamedWithFileLineAndNothingIsKept) {
  const auto load = load_request_list_text(
      "requests:\n  - {host: a.example.com, count: 3}\n  - {host: b.example.com, pth: /}\n", "r.yaml");
  EXPECT_TRUE(load.requests.empty());
  ASSERT_EQ(load.errors.size(), 2u);
  EXPECT_NE(load.errors[0].to_string().find("r.yaml:2:"), std::string::npos) << load.errors[0].to_string();
  EXPECT_NE(load.errors[0].to_string().find("count: not in a request list"), std::string::npos);
  EXPECT_NE(load.errors[1].to_string().find("did you mean \"path\""), std::string::npos) << load.errors[1].to_string();
  EXPECT_FALSE(load_request_list_text("requests: []\n", "r.yaml").errors.empty());
  EXPECT_FALSE(load_request_list("/no/such/file.yaml").errors.empty());
}

}  // namespace
}  // namespace gwsim::conformance
