// A Proxy's options, bindings and access log entries as a caller first sees them.
#include "engine/datapath/proxy_options.h"

#include <gtest/gtest.h>

namespace gwsim::datapath {
namespace {

TEST(ProxyOptions, DefaultsServeOnLoopbackOnOneLoopInRealTime) {
  ProxyOptions options;
  EXPECT_EQ(options.listen_address, "127.0.0.1");
  EXPECT_FALSE(options.prefer_service_ports);
  EXPECT_EQ(options.threads, 1);
  EXPECT_EQ(options.seed, 1u);
  EXPECT_EQ(options.time_scale, 1.0);
  EXPECT_FALSE(options.access_log);
}

TEST(ProxyOptions, ABindingStartsNotListeningAndAnEntryWithoutStatus) {
  PortBinding binding;
  EXPECT_FALSE(binding.listening);
  EXPECT_FALSE(binding.tls);
  EXPECT_EQ(binding.local_port, 0u);
  AccessLogEntry entry;
  EXPECT_EQ(entry.status, 0);  // closed without a response
  EXPECT_TRUE(entry.endpoint_labels.empty());
}

}  // namespace
}  // namespace gwsim::datapath
