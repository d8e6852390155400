#include "engine/http/connection_manager.h"

#include <gtest/gtest.h>

namespace gwsim::http {
namespace {

Request get(std::string host, std::string path = "/") {
  Request r;
  r.host = std::move(host);
  r.path = std::move(path);
  return r;
}

// conn_manager_impl.cc, ActiveStream::decodeHeaders: without accept_http_10 (Istio's gateway
// sets none) HTTP/1.0 is answered 426 Upgrade Required, before the Host is looked at.
TEST(ConnectionManager, Http10Is426UpgradeRequired) {
  Request r = get("");
  r.version = 10;
  auto rejected = connection_manager_decode(r);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, 426);
  EXPECT_EQ(rejected->details, "low_version");
}

// normalize_path (Istio's default): the request every filter and route sees.
TEST(ConnectionManager, ThePathIsNormalisedOrTheRequestRefused) {
  Request r = get("a", "/public/../admin?x=..");
  EXPECT_EQ(connection_manager_decode(r), std::nullopt);
  EXPECT_EQ(r.path, "/admin?x=..");
  Request nul = get("a", "/admin%00");
  auto rejected = connection_manager_decode(nul);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, 400);
  EXPECT_EQ(rejected->details, "path_normalization_failed");
}

}  // namespace
}  // namespace gwsim::http
