// The gateway proxy on real sockets (127.0.0.1, free ports): tables come from a ControlPlane,
// upstreams are fake pods (fakes::PodServer). Routing, Envoy's headers and local replies,
// listeners following the table, retries, timeouts, TLS termination (SIMPLE, MUTUAL) and
// PASSTHROUGH with certificates made at run time, TCP, mirrors, CORS, and the same decisions as
// decision mode. Here, not in engine_tests, because the tables, pods and client are the runtime's.
#include "engine/datapath/proxy.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "engine/datapath/asio.h"
#include "engine/datapath/tls.h"
#include "engine/router/router.h"
#include "engine/model/manifest.h"
#include "fakes/pods/pod_server.h"
#include "runtime/control_plane.h"
#include "runtime/http_client.h"
#include "runtime/live_gateway.h"
#include "tests/support/manifests.h"

namespace gwsim::datapath {
namespace {

using runtime::ClientRequest;
using runtime::ClientResponse;
using runtime::send_request;

constexpr const char* kGateway = "istio-system/istio-ingressgateway";

// Two versions of an echo Deployment behind Service echo (80 -> 8080), subsets v1/v2.
const std::string kEcho = gwsim::testing::documents(
    {gwsim::testing::echo_deployment("v1", 2), gwsim::testing::echo_deployment("v2", 1), gwsim::testing::echo_service(), R"(
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: echo}
spec:
  host: echo
  subsets:
    - {name: v1, labels: {version: v1}}
    - {name: v2, labels: {version: v2}}
)"});

const std::string kHttpGateway = gwsim::testing::http_gateway("a.example.com");

class ProxyTest : public ::testing::Test {
 protected:
  void apply(const std::string& yaml) {
    model::ManifestLoad load = model::load_manifest_text(yaml, "test.yaml");
    ASSERT_FALSE(load.has_errors());
    runtime::ApplyResult result = cluster_.apply(load.objects);
    for (const auto& r : result.rejected) ADD_FAILURE() << r;
    cluster_.install_default_gateway_if_missing();
    if (proxy_) sync();
  }

  void start(ProxyOptions options = {}, double time_scale = 1.0) {
    fakes::PodServerOptions pod_options;
    pod_options.time_scale = time_scale;
    pods_ = std::make_unique<fakes::PodServer>(pod_options);
    options.addresses = pods_->addresses();
    options.time_scale = time_scale;
    options.access_log = [this](const AccessLogEntry& e) {
      std::lock_guard lock(mu_);
      log_[e.downstream_remote] = e;
    };
    proxy_ = std::make_unique<Proxy>(kGateway, options);
    sync();
  }

  // Pods first (new endpoints listen before the proxy routes to them), then the table.
  void sync() {
    std::set<std::string> gateway_pods;
    for (const auto& s : runtime::pod_specs(cluster_))
      if (s.namespace_ == "istio-system") gateway_pods.insert(s.namespace_ + "/" + s.name);
    pods_->update(runtime::pod_specs(cluster_, gateway_pods));
    auto table = cluster_.table(kGateway);
    ASSERT_TRUE(table.ok());
    proxy_->set_table(table.value());
  }

  void pod_behaviour(const std::string& selector_value, fakes::PodBehaviour b) {
    for (const auto& s : runtime::pod_specs(cluster_))
      if (s.name.find(selector_value) != std::string::npos) cluster_.set_pod_behaviour(s.namespace_, s.name, b);
    sync();
  }

  ClientResponse send(ClientRequest r, std::uint32_t port = 80) {
    r.address = proxy_->address_of(port);
    return send_request(r);
  }
  ClientResponse get(const std::string& host, const std::string& path = "/", std::uint32_t port = 80) {
    ClientRequest r;
    r.host = host;
    r.path = path;
    return send(r, port);
  }

  std::optional<AccessLogEntry> entry(const ClientResponse& response) {
    std::lock_guard lock(mu_);
    auto it = log_.find(response.local);
    if (it == log_.end()) return std::nullopt;
    return it->second;
  }

  // Waits (bounded) for an entry logged after the client saw the connection close.
  std::optional<AccessLogEntry> entry_eventually(const ClientResponse& response) {
    for (int i = 0; i < 5000; ++i) {
      if (auto e = entry(response)) return e;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return std::nullopt;
  }

  runtime::ControlPlane cluster_;
  std::unique_ptr<fakes::PodServer> pods_;
  std::unique_ptr<Proxy> proxy_;  // after pods_: stops first
  std::mutex mu_;
  std::map<std::string, AccessLogEntry> log_;
};

TEST_F(ProxyTest, RoutesToAPodWithEnvoysHeaders) {
  apply(std::string(kEcho) + "---" + kHttpGateway + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: echo, subset: v2}}]}]
)");
  start();
  ClientResponse got = get("a.example.com", "/ping");
  ASSERT_EQ(got.kind, ClientResponse::Kind::kResponse) << got.error;
  EXPECT_EQ(got.status, 200);
  EXPECT_NE(got.body.find("ServiceVersion=v2\n"), std::string::npos) << got.body;
  EXPECT_NE(got.body.find("Hostname=echo-v2-"), std::string::npos);
  ASSERT_NE(got.header("server"), nullptr);
  EXPECT_EQ(*got.header("server"), "istio-envoy");
  EXPECT_NE(got.header("x-envoy-upstream-service-time"), nullptr);

  auto e = entry(got);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->trace.cluster, "outbound|80|v2|echo.default.svc.cluster.local");
  EXPECT_EQ(e->endpoint_labels.at("version"), "v2");
  auto seen = pods_->received_from(e->upstream_local);
  ASSERT_TRUE(seen.has_value());
  auto header = [&](const std::string& name) {
    for (const auto& [k, v] : seen->headers)
      if (k == name) return v;
    return std::string("(absent)");
  };
  EXPECT_EQ(seen->authority, "a.example.com");
  EXPECT_EQ(header("x-forwarded-for"), "127.0.0.1");
  EXPECT_EQ(header("x-forwarded-proto"), "http");
  EXPECT_EQ(header("x-envoy-attempt-count"), "1");
  EXPECT_EQ(header("x-request-id").size(), 36u);
  // The pod sees the gateway pod's IP, as on a cluster.
  EXPECT_EQ(e->upstream_local.substr(0, e->upstream_local.rfind(':')), proxy_->table()->proxy.pod_ip);
}

TEST_F(ProxyTest, LocalRepliesAndKeepAlive) {
  apply(std::string(kEcho) + "---" + kHttpGateway + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http:
    - match: [{uri: {prefix: /direct}}]
      directResponse: {status: 418, body: {string: teapot}}
    - route: [{destination: {host: echo}}]
)");
  start();
  // Three requests on one connection: 404 NR, a direct response, a routed answer.
  asio::io_context io;
  tcp::socket s(io);
  const std::string address = proxy_->address_of(80);
  auto colon = address.rfind(':');
  s.connect({asio::ip::make_address(address.substr(0, colon)),
             static_cast<unsigned short>(std::stoi(address.substr(colon + 1)))});
  beast::flat_buffer buffer;
  auto exchange = [&](const std::string& host, const std::string& path) {
    http::request<http::empty_body> req{http::verb::get, path, 11};
    req.set(http::field::host, host);
    http::write(s, req);
    http::response<http::string_body> res;
    http::read(s, buffer, res);
    return res;
  };
  auto nr = exchange("nowhere.example.com", "/");
  EXPECT_EQ(nr.result_int(), 404u);
  EXPECT_EQ(nr[http::field::server], "istio-envoy");
  auto direct = exchange("a.example.com", "/direct");
  EXPECT_EQ(direct.result_int(), 418u);
  EXPECT_EQ(direct.body(), "teapot");
  auto routed = exchange("a.example.com", "/");
  EXPECT_EQ(routed.result_int(), 200u);
  EXPECT_NE(routed.body().find("Hostname=echo-"), std::string::npos);
}

TEST_F(ProxyTest, SameDecisionsAsDecisionMode) {
  apply(std::string(kEcho) + "---" + kHttpGateway + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http:
    - route:
        - {destination: {host: echo, subset: v1}, weight: 50}
        - {destination: {host: echo, subset: v2}, weight: 50}
)");
  ProxyOptions options;
  options.seed = 7;
  start(options);
  auto table = cluster_.table(kGateway).value();
  lb::Random rng(7);
  lb::LoadBalancerState lb_state;
  router::UpstreamCall upstream = [](const route::Endpoint&, const gwsim::http::UpstreamRequest&, const router::AttemptContext&) {
    return gwsim::http::UpstreamResponse{};
  };
  for (int i = 0; i < 40; ++i) {
    gwsim::http::Request r;
    r.host = "a.example.com";
    router::Exchange decided = router::exchange(*table, r, rng, lb_state, upstream);
    ClientResponse got = get("a.example.com");
    auto e = entry(got);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->trace.subset, decided.trace.subset) << "request " << i;
    EXPECT_EQ(e->trace.pod, decided.trace.pod) << "request " << i;
    EXPECT_EQ(e->trace.status, decided.trace.status);
  }
}

TEST_F(ProxyTest, UnsupportedConfigurationIsAnsweredAsInDecisionMode) {
  apply(std::string(kEcho) + "---" + kHttpGateway + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http: [{redirect: {uri: /x, redirectCode: 305}}]
)");
  start();
  auto table = cluster_.table(kGateway).value();
  lb::Random rng(1);
  lb::LoadBalancerState lb_state;
  gwsim::http::Request r;
  r.host = "a.example.com";
  router::Exchange decided = router::exchange(
      *table, r, rng, lb_state, [](const route::Endpoint&, const gwsim::http::UpstreamRequest&, const router::AttemptContext&) {
        return gwsim::http::UpstreamResponse{};
      });
  ClientResponse got = get("a.example.com");
  ASSERT_EQ(got.kind, ClientResponse::Kind::kResponse) << got.error;
  EXPECT_EQ(got.status, 501);
  EXPECT_EQ(got.status, decided.response.status);
  EXPECT_EQ(got.body, decided.response.body);
  EXPECT_EQ(got.body, "gwsim does not simulate this configuration yet: " + decided.trace.detail + "\n");
  EXPECT_EQ(decided.trace.detail.rfind("redirect code 305", 0), 0u);
  ASSERT_NE(got.header("x-gwsim-unsupported"), nullptr);
  EXPECT_EQ(*got.header("x-gwsim-unsupported"), "true");
  auto e = entry(got);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->trace.outcome, match::Outcome::kUnsupported);
  EXPECT_EQ(e->status, 501);
}

TEST_F(ProxyTest, ListenersFollowTheTable) {
  apply(kEcho);
  start();
  const std::string address = proxy_->address_of(80);
  ASSERT_FALSE(address.empty()) << "the Service port has an address before any Gateway";
  EXPECT_EQ(get("a.example.com").kind, ClientResponse::Kind::kRefused);

  apply(std::string(kHttpGateway) + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: echo}}]}]
)");
  EXPECT_EQ(proxy_->address_of(80), address);
  EXPECT_EQ(get("a.example.com").status, 200);

  ASSERT_TRUE(cluster_.remove(fakes::ObjectKey{"networking.istio.io", "Gateway", "default", "gw"}).ok());
  sync();
  EXPECT_EQ(proxy_->address_of(80), address);
  EXPECT_EQ(get("a.example.com").kind, ClientResponse::Kind::kRefused);
  bool listed = false;
  for (const auto& b : proxy_->bindings())
    if (b.service_port == 80) listed = !b.listening;
  EXPECT_TRUE(listed);
}

TEST_F(ProxyTest, ConnectFailureIsRetriedOnAnotherPod) {
  apply(std::string(kEcho) + "---" + kHttpGateway + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: echo, subset: v1}}]}]
)");
  start();
  auto specs = runtime::pod_specs(cluster_);
  std::string refusing;
  for (const auto& s : specs)
    if (s.name.rfind("echo-v1-", 0) == 0 && refusing.empty()) refusing = s.name;
  fakes::PodBehaviour refuse;
  refuse.refuse = true;
  cluster_.set_pod_behaviour("default", refusing, refuse);
  sync();
  int retried = 0;
  for (int i = 0; i < 10; ++i) {
    ClientResponse got = get("a.example.com");
    ASSERT_EQ(got.status, 200) << got.body;
    auto e = entry(got);
    ASSERT_TRUE(e.has_value());
    EXPECT_NE(e->trace.pod, "default/" + refusing);
    if (e->trace.attempts.size() == 2) {
      ++retried;
      EXPECT_EQ(e->trace.attempts[0].pod, "default/" + refusing);
      EXPECT_EQ(e->trace.attempts[0].status, 0);
    }
  }
  EXPECT_GT(retried, 0);
}

TEST_F(ProxyTest, RouteTimeoutAnswers504) {
  apply(std::string(kEcho) + "---" + kHttpGateway + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: echo, subset: v2}}], timeout: 1s}]
)");
  start({}, 0.02);  // 1 s is 20 ms on the wire, the pod's 5 s is 100 ms
  fakes::PodBehaviour slow;
  slow.delay_ms = 5000;
  pod_behaviour("echo-v2-", slow);
  ClientResponse got = get("a.example.com");
  EXPECT_EQ(got.status, 504);
  EXPECT_EQ(got.body, "upstream request timeout");
  auto e = entry(got);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->trace.response_flags, "UT");

  fakes::PodBehaviour quick;
  quick.delay_ms = 100;  // 2 ms: well within
  pod_behaviour("echo-v2-", quick);
  EXPECT_EQ(get("a.example.com").status, 200);
}

TEST_F(ProxyTest, MirrorsAreSentAndIgnored) {
  apply(std::string(kEcho) + "---" + kHttpGateway + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http:
    - route: [{destination: {host: echo, subset: v1}}]
      mirror: {host: echo, subset: v2}
)");
  start();
  ClientResponse got = get("a.example.com", "/mirrored");
  EXPECT_EQ(got.status, 200);
  EXPECT_NE(got.body.find("ServiceVersion=v1"), std::string::npos);
  bool shadowed = false;
  for (int i = 0; i < 5000 && !shadowed; ++i) {  // the copy is fire and forget: wait for it, bounded
    for (const auto& r : pods_->received())
      if (r.authority == "a.example.com-shadow" && r.path == "/mirrored" && r.pod.find("echo-v2-") != std::string::npos)
        shadowed = true;
    if (!shadowed) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(shadowed);
}

TEST_F(ProxyTest, CorsPreflightAnsweredByTheGateway) {
  apply(std::string(kEcho) + "---" + kHttpGateway + R"(---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http:
    - route: [{destination: {host: echo}}]
      corsPolicy:
        allowOrigins: [{exact: "https://app.example.com"}]
        allowMethods: [GET, POST]
)");
  start();
  ClientRequest r;
  r.method = "OPTIONS";
  r.host = "a.example.com";
  r.headers = {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "POST"}};
  ClientResponse got = send(r);
  EXPECT_EQ(got.status, 200);
  ASSERT_NE(got.header("access-control-allow-origin"), nullptr);
  EXPECT_EQ(*got.header("access-control-allow-origin"), "https://app.example.com");
  auto e = entry(got);
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->trace.attempts.empty()) << "a preflight never goes upstream";
}

// ---- TLS ------------------------------------------------------------------------------

struct Pki {
  CertificatePem ca;
  CertificatePem server;
  CertificatePem client;
};

Pki make_pki(const std::string& host) {
  Pki pki;
  CertificateRequest ca;
  ca.common_name = "test CA";
  ca.is_ca = true;
  pki.ca = make_certificate(ca).value();
  CertificateRequest server;
  server.common_name = host;
  server.dns_names = {host};
  pki.server = make_certificate(server, &pki.ca).value();
  CertificateRequest client;
  client.common_name = "client";
  client.client = true;
  pki.client = make_certificate(client, &pki.ca).value();
  return pki;
}

std::string indent(const std::string& pem, int spaces) {
  std::string out, pad(static_cast<std::size_t>(spaces), ' ');
  std::size_t start = 0;
  while (start < pem.size()) {
    auto end = pem.find('\n', start);
    out += pad + pem.substr(start, end - start) + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::string tls_world(const Pki& pki, const std::string& mode) {
  return std::string(kEcho) + R"(---
apiVersion: v1
kind: Secret
metadata: {name: a-cert, namespace: istio-system}
type: kubernetes.io/tls
stringData:
  tls.crt: |
)" + indent(pki.server.certificate, 4) +
         "  tls.key: |\n" + indent(pki.server.private_key, 4) + "  ca.crt: |\n" + indent(pki.ca.certificate, 4) + R"(---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: [a.example.com]
      tls: {mode: )" + mode + R"(, credentialName: a-cert}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  http: [{route: [{destination: {host: echo, subset: v1}}]}]
)";
}

ClientRequest https(const std::string& host, const CertificatePem* client_certificate = nullptr) {
  ClientRequest r;
  r.tls = true;
  r.sni = host;
  r.host = host;
  r.tls_context = make_client_context(client_certificate).value();
  return r;
}

TEST_F(ProxyTest, SimpleTlsTerminatesWithTheSecretsCertificate) {
  Pki pki = make_pki("a.example.com");
  apply(tls_world(pki, "SIMPLE"));
  start();
  ClientResponse got = send(https("a.example.com"), 443);
  ASSERT_EQ(got.kind, ClientResponse::Kind::kResponse) << got.error;
  EXPECT_EQ(got.status, 200);
  auto e = entry(got);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->trace.tls_mode, "SIMPLE");
  auto seen = pods_->received_from(e->upstream_local);
  ASSERT_TRUE(seen.has_value());
  bool https_proto = false;
  for (const auto& [k, v] : seen->headers)
    if (k == "x-forwarded-proto") https_proto = v == "https";
  EXPECT_TRUE(https_proto);

  // The certificate presented is the Secret's: it verifies against the Secret's CA.
  auto verifying = std::make_shared<ssl::context>(ssl::context::tls_client);
  verifying->add_certificate_authority(asio::buffer(pki.ca.certificate));
  verifying->set_verify_mode(ssl::verify_peer);
  ClientRequest strict = https("a.example.com");
  strict.tls_context = verifying;
  EXPECT_EQ(send(strict, 443).status, 200);

  // Plaintext to the TLS port: no SNI, so no chain with server names takes it; Envoy closes.
  ClientResponse plain = get("a.example.com", "/", 443);
  EXPECT_EQ(plain.kind, ClientResponse::Kind::kClosed);
  auto closed = entry_eventually(plain);
  ASSERT_TRUE(closed.has_value());
  EXPECT_EQ(closed->trace.outcome, match::Outcome::kNoFilterChain);
}

TEST_F(ProxyTest, MutualTlsRequiresAClientCertificate) {
  Pki pki = make_pki("a.example.com");
  apply(tls_world(pki, "MUTUAL"));
  start();
  ClientResponse anonymous = send(https("a.example.com"), 443);
  EXPECT_EQ(anonymous.kind, ClientResponse::Kind::kClosed);
  auto refused = entry_eventually(anonymous);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->trace.outcome, match::Outcome::kTlsError);

  ClientResponse trusted = send(https("a.example.com", &pki.client), 443);
  ASSERT_EQ(trusted.kind, ClientResponse::Kind::kResponse) << trusted.error;
  EXPECT_EQ(trusted.status, 200);
}

TEST_F(ProxyTest, PassthroughForwardsTheTlsStreamToThePod) {
  apply(R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: secure}
spec:
  replicas: 1
  selector: {matchLabels: {app: secure}}
  template:
    metadata: {labels: {app: secure, version: v1}}
    spec: {containers: [{name: secure, image: istio/echo, ports: [{containerPort: 8443}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: secure}
spec:
  selector: {app: secure}
  ports: [{name: https, port: 443, targetPort: 8443}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 443, name: tls, protocol: TLS}
      hosts: [secure.example.com]
      tls: {mode: PASSTHROUGH}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [secure.example.com]
  gateways: [gw]
  tls:
    - match: [{port: 443, sniHosts: [secure.example.com]}]
      route: [{destination: {host: secure, port: {number: 443}}}]
)");
  start();
  ClientResponse got = send(https("secure.example.com"), 443);
  ASSERT_EQ(got.kind, ClientResponse::Kind::kResponse) << got.error;
  EXPECT_EQ(got.status, 200);
  // The pod terminated TLS itself: it saw the client's SNI.
  EXPECT_NE(got.body.find("Sni=secure.example.com\n"), std::string::npos) << got.body;
  auto e = entry(got);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->trace.tls_mode, "PASSTHROUGH");
  EXPECT_EQ(e->trace.pod.rfind("default/secure-", 0), 0u);

  // An unknown SNI has no filter chain: closed.
  ClientResponse unknown = send(https("other.example.com"), 443);
  EXPECT_NE(unknown.kind, ClientResponse::Kind::kResponse);
  auto closed = entry_eventually(unknown);
  ASSERT_TRUE(closed.has_value());
  EXPECT_EQ(closed->trace.outcome, match::Outcome::kNoFilterChain);
}

TEST_F(ProxyTest, TcpServerProxiesBytes) {
  apply(std::string(kEcho) + R"(---
apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec:
  type: LoadBalancer
  selector: {istio: ingressgateway}
  ports:
    - {name: http2, port: 80, targetPort: 8080}
    - {name: tcp, port: 31400, targetPort: 31400}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec:
  replicas: 1
  selector: {matchLabels: {istio: ingressgateway}}
  template:
    metadata: {labels: {app: istio-ingressgateway, istio: ingressgateway}}
    spec: {containers: [{name: istio-proxy, image: proxyv2}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 31400, name: tcp, protocol: TCP}
      hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: ["*"]
  gateways: [gw]
  tcp: [{route: [{destination: {host: echo, subset: v2, port: {number: 80}}}]}]
)");
  start();
  ClientResponse got = get("anything", "/tcp", 31400);
  ASSERT_EQ(got.kind, ClientResponse::Kind::kResponse) << got.error;
  EXPECT_EQ(got.status, 200);
  // No gateway headers: the pod saw the client's request as sent.
  EXPECT_EQ(got.body.find("X-Forwarded-For"), std::string::npos) << got.body;
  EXPECT_NE(got.body.find("ServiceVersion=v2"), std::string::npos);
}

}  // namespace
}  // namespace gwsim::datapath
