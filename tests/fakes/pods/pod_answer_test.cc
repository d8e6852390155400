// The one model of a fake pod's answer: the echo app's query controls (?delay=, ?codes=,
// ?headers=) with its error lines, and the scenario's behaviour on top.
#include "fakes/pods/pod_answer.h"

#include <gtest/gtest.h>

#include <map>

namespace gwsim::fakes {
namespace {

EchoPod v1() { return echo_pod("default", "echo-v1-abc", {{"app", "echo"}, {"version", "v1"}}, 8080); }

EchoRequest get(const std::string& path) {
  EchoRequest r;
  r.authority = "echo.example.com";
  r.path = path;
  r.client_ip = "127.1.0.1:40000";
  r.headers = {{"x-request-id", "abc"}};
  return r;
}

PodAnswer answer(const std::string& path, PodBehaviour behaviour = {}, std::uint64_t seed = 1) {
  lb::Random random(seed);
  return pod_answer(v1(), behaviour, get(path), random);
}

const std::string* header(const PodAnswer& a, const std::string& name) {
  for (const auto& [k, v] : a.headers)
    if (k == name) return &v;
  return nullptr;
}

TEST(PodAnswer, PlainRequestIsTheEchoBodyWith200) {
  PodAnswer a = answer("/ping");
  EXPECT_TRUE(a.connected);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.delay_ms, 0);
  EXPECT_EQ(a.body, echo_body(v1(), get("/ping")));
  EXPECT_NE(a.body.find("ServiceVersion=v1\nServicePort=8080\nHost=echo.example.com\nURL=/ping\n"), std::string::npos);
  ASSERT_EQ(a.headers.size(), 1u);
  EXPECT_EQ(a.headers[0], (std::pair<std::string, std::string>{"Content-Type", "application/text"}));
}

TEST(PodAnswer, DelayInGoDurations) {
  EXPECT_EQ(answer("/?delay=100ms").delay_ms, 100);
  EXPECT_EQ(answer("/?delay=1.5s").delay_ms, 1500);
  EXPECT_EQ(answer("/?delay=1m30s").delay_ms, 90000);
  EXPECT_EQ(answer("/?delay=-1s").delay_ms, 0);  // Go sleeps not at all
  EXPECT_EQ(answer("/?delay=2h").delay_ms, kMaxPodDelayMs);
  EXPECT_EQ(answer("/?delay=100ms", PodBehaviour{false, std::nullopt, 50}).delay_ms, 150);
}

TEST(PodAnswer, BadDelayIsAnErrorLineAndNoDelay) {
  PodAnswer a = answer("/?delay=soon");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.delay_ms, 0);
  EXPECT_EQ(a.body.rfind("error delaying response error: time: invalid duration \"soon\"\nServiceVersion=v1\n", 0), 0u)
      << a.body;
  EXPECT_EQ(answer("/?delay=10").body.find("invalid duration \"10\""), 0u + std::string("error delaying response error: time: ").size());
}

TEST(PodAnswer, GoDurations) {
  std::int64_t ms = -1;
  EXPECT_TRUE(parse_go_duration("0", ms));
  EXPECT_EQ(ms, 0);
  EXPECT_TRUE(parse_go_duration("1h2m3s4ms", ms));
  EXPECT_EQ(ms, 3723004);
  EXPECT_TRUE(parse_go_duration("1500us", ms));
  EXPECT_EQ(ms, 1);
  EXPECT_TRUE(parse_go_duration(".5s", ms));
  EXPECT_EQ(ms, 500);
  EXPECT_FALSE(parse_go_duration("", ms));
  EXPECT_FALSE(parse_go_duration("5", ms));    // no unit
  EXPECT_FALSE(parse_go_duration("5d", ms));   // no such unit
  EXPECT_FALSE(parse_go_duration("s", ms));    // no number
  EXPECT_FALSE(parse_go_duration("1.s.", ms));
}

TEST(PodAnswer, CodesDrawByWeightFromTheInjectedGenerator) {
  EXPECT_EQ(answer("/?codes=503").status, 503);
  EXPECT_EQ(answer("/?codes=418:1").status, 418);
  std::map<int, int> seen;
  lb::Random random(7);
  for (int i = 0; i < 400; ++i) seen[pod_answer(v1(), {}, get("/?codes=500:1,200:3"), random).status]++;
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_GT(seen[200], seen[500] * 2) << "3 slices of 4 answer 200";
  EXPECT_GT(seen[500], 50);
  // Same seed, same draws.
  for (std::uint64_t seed : {1u, 2u, 3u})
    EXPECT_EQ(answer("/?codes=500:1,200:1", {}, seed).status, answer("/?codes=500:1,200:1", {}, seed).status);
  // A zero weight never answers.
  for (std::uint64_t seed = 1; seed < 20; ++seed) EXPECT_EQ(answer("/?codes=500:0,204:2", {}, seed).status, 204);
}

TEST(PodAnswer, BadCodesAreAnErrorLineAndStay200) {
  PodAnswer a = answer("/?codes=100");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body.rfind("codes error: invalid HTTP response code 100\n", 0), 0u) << a.body;
  EXPECT_EQ(answer("/?codes=abc").body.rfind("codes error: strconv.Atoi: parsing \"abc\": invalid syntax\n", 0), 0u);
  EXPECT_EQ(answer("/?codes=500:1:2").body.rfind("codes error: invalid \"500:1:2\" (want code or code:count)\n", 0), 0u);
  EXPECT_EQ(answer("/?codes=500:-1").body.rfind("codes error: invalid count -1\n", 0), 0u);
}

TEST(PodAnswer, AllWeightsZeroClosesTheConnectionUnanswered) {
  PodAnswer a = answer("/?codes=500:0");
  EXPECT_FALSE(a.connected);  // the app panics in rand.Intn(0)
}

TEST(PodAnswer, HeadersAreSetSortedAndFramingStaysTheServers) {
  PodAnswer a = answer("/?headers=X-B:two,x-a:1,Content-Length:9");
  ASSERT_EQ(a.headers.size(), 3u);
  EXPECT_EQ(a.headers[0].first, "Content-Type");
  EXPECT_EQ(a.headers[1], (std::pair<std::string, std::string>{"X-B", "two"}));
  EXPECT_EQ(a.headers[2], (std::pair<std::string, std::string>{"x-a", "1"}));
  EXPECT_EQ(header(a, "Content-Length"), nullptr);
  // The app's own Content-Type wins over one asked for.
  EXPECT_EQ(*header(answer("/?headers=Content-Type:text/html"), "Content-Type"), "application/text");
}

TEST(PodAnswer, BadHeadersStopAtTheBadItemWithAnErrorLine) {
  PodAnswer a = answer("/?headers=X-A:1,broken,X-C:3");
  EXPECT_NE(header(a, "X-A"), nullptr);
  EXPECT_EQ(header(a, "X-C"), nullptr);
  EXPECT_EQ(a.body.rfind("response headers error: invalid \"broken\" (want name:value)\n", 0), 0u) << a.body;
}

TEST(PodAnswer, QueryIsDecodedAsGoDoesAndBadEscapesAreReported) {
  EXPECT_EQ(*header(answer("/?headers=X-A%3Aa%20b"), "X-A"), "a b");
  EXPECT_EQ(answer("/?codes=503&codes=200").status, 503);  // FormValue: the first value
  PodAnswer bad = answer("/?x=%zz&codes=503");
  EXPECT_EQ(bad.status, 503);
  EXPECT_EQ(bad.body.rfind("ParseForm() error: invalid URL escape \"%zz\"\n", 0), 0u) << bad.body;
  EXPECT_EQ(answer("/?a=1;b=2").body.rfind("ParseForm() error: invalid semicolon separator in query\n", 0), 0u);
}

TEST(PodAnswer, BehaviourStatusWinsAndRefuseAnswersNothing) {
  PodAnswer a = answer("/?codes=200", PodBehaviour{false, 503, std::nullopt});
  EXPECT_EQ(a.status, 503);
  EXPECT_TRUE(a.connected);
  PodAnswer refused = answer("/?delay=1s", PodBehaviour{true, 200, 100});
  EXPECT_FALSE(refused.connected);
  EXPECT_EQ(refused.status, 0);
  EXPECT_EQ(refused.delay_ms, 0);
  EXPECT_TRUE(refused.body.empty());
}

TEST(PodAnswer, EchoPodTakesTheVersionLabel) {
  EchoPod pod = echo_pod("ns", "p", {{"version", "v2"}}, 9090);
  EXPECT_EQ(pod.version, "v2");
  EXPECT_EQ(pod.port, 9090u);
  EXPECT_EQ(echo_pod("ns", "p", {}, 1).version, "");
}

// The echo app's webSocketEcho: asked for by its client's testwebsocket header, the handshake
// checked as gorilla/websocket checks it, 101 with the RFC 6455 accept value.
EchoRequest websocket(std::vector<std::pair<std::string, std::string>> extra = {}) {
  EchoRequest r = get("/ws");
  r.headers = {{"Connection", "keep-alive, Upgrade"},
               {"Upgrade", "websocket"},
               {"Sec-WebSocket-Version", "13"},
               {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
               {"testwebsocket", "enabled"}};
  for (auto& h : extra) r.headers.push_back(std::move(h));
  return r;
}

TEST(PodAnswer, AWebsocketHandshakeIsAcceptedWith101) {
  lb::Random random(1);
  EchoRequest r = websocket();
  ASSERT_TRUE(is_websocket_request(r));
  PodAnswer a = pod_answer(v1(), {}, r, random);
  EXPECT_EQ(a.status, 101);
  ASSERT_NE(header(a, "Sec-WebSocket-Accept"), nullptr);
  EXPECT_EQ(*header(a, "Sec-WebSocket-Accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");  // RFC 6455's example
  EXPECT_EQ(*header(a, "Upgrade"), "websocket");
  EXPECT_NE(a.body.find("Hostname=echo-v1-abc\nStatusCode=200\n"), std::string::npos) << a.body;
}

TEST(PodAnswer, ABadWebsocketHandshakeIsRefusedAsGorillaDoes) {
  lb::Random random(1);
  EchoRequest no_upgrade = websocket();
  no_upgrade.headers[0].second = "keep-alive";
  PodAnswer a = pod_answer(v1(), {}, no_upgrade, random);
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.body,
            "websocket: the client is not using the websocket protocol: 'upgrade' token not found in 'Connection' "
            "header\n");

  EchoRequest post = websocket();
  post.method = "POST";
  EXPECT_EQ(pod_answer(v1(), {}, post, random).status, 405);

  EchoRequest old = websocket();
  old.headers[2].second = "8";
  EXPECT_EQ(pod_answer(v1(), {}, old, random).status, 400);
}

TEST(PodAnswer, WithoutTheEchoClientsHeaderAnUpgradeIsAPlainEcho) {
  lb::Random random(1);
  EchoRequest r = websocket();
  r.headers.pop_back();
  EXPECT_FALSE(is_websocket_request(r));
  PodAnswer a = pod_answer(v1(), {}, r, random);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(header(a, "Sec-WebSocket-Accept"), nullptr);
}

TEST(PodAnswer, EchoSetHeaderSetsResponseHeadersAsEchoBasic) {
  // gateway-api conformance/echo-basic/echo-basic.go writeEchoResponseHeaders.
  EchoRequest r = get("/");
  r.headers.emplace_back("x-echo-set-header", "X-Header-Set:one, x-lower:two,Bad Name:x,X-Header-Set:three");
  r.headers.emplace_back("X-Echo-Set-Header", "Only-Name");
  lb::Random random(1);
  PodAnswer a = pod_answer(v1(), {}, r, random);
  ASSERT_NE(header(a, "X-Header-Set"), nullptr);
  EXPECT_EQ(*header(a, "X-Header-Set"), "one,three");  // a second value is appended
  ASSERT_NE(header(a, "x-lower"), nullptr);           // the casing as given
  EXPECT_EQ(*header(a, "x-lower"), "two");
  EXPECT_EQ(header(a, "Bad Name"), nullptr);  // Go's server writes no invalid name
  ASSERT_NE(header(a, "Only-Name"), nullptr);
  EXPECT_EQ(*header(a, "Only-Name"), "");
  EXPECT_EQ(*header(a, "Content-Type"), "application/text");
  EXPECT_EQ(a.status, 200);
}

TEST(PodAnswer, NoEchoSetHeaderSetsNothing) {
  PodAnswer a = answer("/");
  EXPECT_EQ(a.headers.size(), 1u);  // Content-Type only
}

}  // namespace
}  // namespace gwsim::fakes
