// The fake API server (fakes/apiserver/api_server.h) on a port another server holds: refused
// with the reason, never shared (cpp-httplib's SO_REUSEPORT would let both listen and the
// kernel would split kubectl's connections between two fake clusters).
#include <httplib.h>
#include <gtest/gtest.h>

#include "fakes/apiserver/api_server.h"
#include "fakes/store/api_store.h"

namespace gwsim::fakes {
namespace {

TEST(ApiServerPort, ATakenPortIsRefusedAndTheFirstServerKeepsServing) {
  ApiStore first_store;
  ApiServer first(first_store, nullptr);
  auto port = first.start();
  ASSERT_TRUE(port.ok()) << port.error().message;

  ApiStore second_store;
  ApiServerOptions options;
  options.port = *port;
  ApiServer second(second_store, nullptr, options);
  auto refused = second.start();
  ASSERT_FALSE(refused.ok()) << "two servers on 127.0.0.1:" << *port;
  EXPECT_EQ(refused.error().message, "cannot listen on 127.0.0.1:" + std::to_string(*port) +
                                         ": the port is already in use by another process");

  for (int i = 0; i < 20; ++i) {  // every connection reaches the first server
    httplib::Client client("127.0.0.1", *port);
    auto version = client.Get("/version");
    ASSERT_TRUE(version);
    EXPECT_EQ(version->status, 200);
  }

  // Once the first stops, the port can be had again.
  first.stop();
  auto again = second.start();
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *port);
  httplib::Client client("127.0.0.1", *port);
  auto version = client.Get("/version");  // served (so stop() finds it running)
  ASSERT_TRUE(version);
  EXPECT_EQ(version->status, 200);
  second.stop();
}

}  // namespace
}  // namespace gwsim::fakes
