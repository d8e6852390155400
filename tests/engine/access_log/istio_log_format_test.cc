#include "engine/access_log/istio_log_format.h"

#include <string>

#include <gtest/gtest.h>

namespace gwsim::access_log {
namespace {

// istio.io, "Envoy Access Logs" task (docs/tasks/observability/logs/access-log): a line of the
// default TEXT format as the documentation shows it.
constexpr std::string_view kIstioDocsLine =
    R"([2020-11-25T21:26:18.409Z] "GET /status/418 HTTP/1.1" 418 - via_upstream - "-" 0 135 4 4 "-" "curl/7.73.0-DEV" )"
    R"("84961386-6d84-929d-98bd-c5aee93b5c88" "httpbin:8000" "10.44.1.27:80" outbound|8000||httpbin.foo.svc.cluster.local )"
    R"(10.44.1.23:37652 10.0.45.184:8000 10.44.1.23:46520 - default)";

TEST(ReadIstioText, ReadsTheLineIstioDocumentsFieldByField) {
  LogRecord r;
  ASSERT_FALSE(read_istio_text(kIstioDocsLine, r));
  EXPECT_EQ(r.start_time, "2020-11-25T21:26:18.409Z");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/status/418");
  EXPECT_EQ(r.protocol, "HTTP/1.1");
  EXPECT_EQ(r.response_code, 418);
  EXPECT_EQ(r.response_flags, "");  // "-"
  EXPECT_EQ(r.response_code_details, "via_upstream");
  EXPECT_EQ(r.upstream_transport_failure_reason, "");
  EXPECT_EQ(r.bytes_received, 0u);
  EXPECT_EQ(r.bytes_sent, 135u);
  EXPECT_EQ(r.duration_ms, 4u);
  EXPECT_EQ(r.upstream_service_time, "4");
  EXPECT_EQ(r.x_forwarded_for, "");
  EXPECT_EQ(r.user_agent, "curl/7.73.0-DEV");
  EXPECT_EQ(r.request_id, "84961386-6d84-929d-98bd-c5aee93b5c88");
  EXPECT_EQ(r.authority, "httpbin:8000");
  EXPECT_EQ(r.upstream_host, "10.44.1.27:80");
  EXPECT_EQ(r.upstream_cluster, "outbound|8000||httpbin.foo.svc.cluster.local");
  EXPECT_EQ(r.upstream_local_address, "10.44.1.23:37652");
  EXPECT_EQ(r.downstream_local_address, "10.0.45.184:8000");
  EXPECT_EQ(r.downstream_remote_address, "10.44.1.23:46520");
  EXPECT_EQ(r.requested_server_name, "");
  EXPECT_EQ(r.route_name, "default");
  EXPECT_TRUE(r.is_http());
}

TEST(ReadIstioText, QuotedValuesMayHoldSpacesAndCommas) {
  std::string line =
      R"x([t] "POST /a?b=c HTTP/2" 404 NR route_not_found - "-" 10 0 0 - "1.2.3.4, 10.0.0.1" "Mozilla/5.0 (X11; Linux)" )x"
      R"("id" "shop.example.com" "-" - - 10.0.0.9:8443 10.0.0.1:5000 shop.example.com -)";
  LogRecord r;
  ASSERT_FALSE(read_istio_text(line, r));
  EXPECT_EQ(r.path, "/a?b=c");
  EXPECT_EQ(r.x_forwarded_for, "1.2.3.4, 10.0.0.1");
  EXPECT_EQ(r.user_agent, "Mozilla/5.0 (X11; Linux)");
  EXPECT_EQ(r.response_flags, "NR");
  EXPECT_EQ(r.upstream_cluster, "");
  EXPECT_EQ(r.requested_server_name, "shop.example.com");
  EXPECT_EQ(r.route_name, "");
}

TEST(ReadIstioText, ATcpConnectionHasNoRequest) {
  std::string line =
      R"([t] "- - -" 0 - - - "-" 120 300 5 - "-" "-" "-" "-" "10.0.0.5:3306" outbound|3306||db.default.svc.cluster.local )"
      R"(10.0.0.2:40000 10.0.0.9:31400 10.0.0.1:5000 - -)";
  LogRecord r;
  ASSERT_FALSE(read_istio_text(line, r));
  EXPECT_FALSE(r.is_http());
  EXPECT_EQ(r.upstream_cluster, "outbound|3306||db.default.svc.cluster.local");
}

TEST(ReadIstioText, WritesBackTheLineItRead) {
  LogRecord r;
  ASSERT_FALSE(read_istio_text(kIstioDocsLine, r));
  std::string out;
  append_istio_text(r, out);
  EXPECT_EQ(out, std::string(kIstioDocsLine) + "\n");
}

TEST(ReadIstioText, SaysWhereALineStopsBeingTheFormat) {
  LogRecord r;
  LineError e = read_istio_text("GET /ping 200", r);
  ASSERT_TRUE(e);
  EXPECT_STREQ(e.what, "expected [START_TIME] at the start of the line");
  EXPECT_EQ(e.column, 1u);

  e = read_istio_text(R"([t] "GET / HTTP/1.1" abc - via_upstream)", r);
  ASSERT_TRUE(e);
  EXPECT_STREQ(e.what, "expected RESPONSE_CODE (a number)");

  std::string truncated(kIstioDocsLine.substr(0, kIstioDocsLine.rfind(' ')));
  e = read_istio_text(truncated, r);
  ASSERT_TRUE(e);
  EXPECT_STREQ(e.what, "expected ROUTE_NAME");

  e = read_istio_text(std::string(kIstioDocsLine) + " extra", r);
  ASSERT_TRUE(e);
  EXPECT_STREQ(e.what, "unexpected text after ROUTE_NAME (not Istio's default access log format)");
}

TEST(ReadEnvoyJson, ReadsWhatIstiosJsonFormatWrites) {
  LogRecord r;
  ASSERT_FALSE(read_istio_text(kIstioDocsLine, r));
  std::string json;
  append_envoy_json(r, json);
  EXPECT_EQ(json.rfind(R"({"start_time":"2020-11-25T21:26:18.409Z","route_name":"default","method":"GET")", 0), 0u);

  LogLineReader reader(LogFormat::kEnvoyJson);
  LogRecord back;
  ASSERT_FALSE(reader.read(json, back));
  EXPECT_EQ(back.method, "GET");
  EXPECT_EQ(back.path, "/status/418");
  EXPECT_EQ(back.response_code, 418);
  EXPECT_EQ(back.bytes_sent, 135u);
  EXPECT_EQ(back.upstream_cluster, "outbound|8000||httpbin.foo.svc.cluster.local");
  EXPECT_EQ(back.response_flags, "");
  EXPECT_EQ(back.route_name, "default");
}

TEST(ReadEnvoyJson, TakesDashesAndNumbersWrittenAsText) {
  LogLineReader reader(LogFormat::kEnvoyJson);
  LogRecord r;
  ASSERT_FALSE(reader.read(R"({"method":"GET","path":"/x","response_code":"503","response_flags":"UH","authority":"a","upstream_cluster":"-"})", r));
  EXPECT_EQ(r.response_code, 503);
  EXPECT_EQ(r.response_flags, "UH");
  EXPECT_EQ(r.upstream_cluster, "");
}

TEST(ReadEnvoyJson, RefusesWhatIsNotAnAccessLogObject) {
  LogLineReader reader(LogFormat::kEnvoyJson);
  LogRecord r;
  EXPECT_STREQ(reader.read("[1, 2]", r).what, "not a JSON object");
  EXPECT_STREQ(reader.read("{not json", r).what, "not a JSON object");
  EXPECT_TRUE(reader.read(R"({"level":"info"})", r));
  EXPECT_TRUE(reader.read(R"({"method":"GET","response_code":"x"})", r));
}

}  // namespace
}  // namespace gwsim::access_log
