#include "engine/model/snapshot.h"

#include <gtest/gtest.h>

#include "engine/model/manifest.h"

namespace gwsim::model {
namespace {

std::vector<Object> load(const std::string& yaml) {
  auto l = load_manifest_text(yaml, "m.yaml");
  EXPECT_FALSE(l.has_errors());
  return l.objects;
}

SnapshotBuild build(const std::string& yaml) { return build_snapshot(load(yaml)); }

std::vector<std::string> problem_texts(const SnapshotBuild& b) {
  std::vector<std::string> out;
  for (const auto& p : b.problems) out.push_back(p.where + ": " + p.object + ": " + p.message);
  return out;
}

TEST(SnapshotTest, GatewayIsTyped) {
  auto b = build(R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: istio-ingress-gateway
  namespace: default
  creationTimestamp: "2026-01-01T00:00:10Z"
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 80, name: http, protocol: http}
    hosts: ["*"]
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [default/www.example.com]
    tls:
      credentialName: example-cert
  - port: {number: 8443, name: https-2, protocol: HTTPS}
    hosts: [a.example.com]
    tls:
      mode: SIMPLE
      credentialName: other
      minProtocolVersion: TLSV1_2
)yaml");
  ASSERT_TRUE(b.problems.empty()) << ::testing::PrintToString(problem_texts(b));
  ASSERT_EQ(b.snapshot.gateways.size(), 1u);
  const Gateway& g = b.snapshot.gateways[0];
  EXPECT_EQ(g.meta.name, "istio-ingress-gateway");
  EXPECT_EQ(g.meta.creation_time, 1767225610);
  EXPECT_EQ(g.selector.at("istio"), "ingressgateway");
  ASSERT_EQ(g.servers.size(), 3u);
  EXPECT_EQ(g.servers[0].port.number, 80u);
  EXPECT_EQ(g.servers[0].port.protocol, "HTTP");  // upper-cased
  EXPECT_FALSE(g.servers[0].tls.has_value());
  EXPECT_EQ(g.servers[0].source.to_string(), "m.yaml:11:5");
  ASSERT_TRUE(g.servers[1].tls.has_value());
  EXPECT_FALSE(g.servers[1].tls->mode_set);  // unset mode: PASSTHROUGH to Istio
  EXPECT_EQ(g.servers[1].tls->mode, "");
  EXPECT_EQ(g.servers[1].tls->credential_name, "example-cert");
  EXPECT_EQ(g.servers[1].hosts, std::vector<std::string>{"default/www.example.com"});
  EXPECT_TRUE(g.servers[2].tls->mode_set);
  EXPECT_EQ(g.servers[2].tls->mode, "SIMPLE");
  EXPECT_EQ(g.servers[2].tls->min_protocol_version, "TLSV1_2");
}

TEST(SnapshotTest, VirtualServiceIsTyped) {
  auto b = build(R"yaml(apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [www.service1.io]
  gateways: [istio-ingress-gateway]
  exportTo: ["."]
  http:
  - name: v1-only
    match:
    - name: ping
      uri: {prefix: /ping}
      headers:
        version: {exact: "100"}
        x-any: {}
      queryParams:
        q: {regex: "a.*"}
      ignoreUriCase: true
      port: 80
    route:
    - destination:
        host: svc
        subset: v1
        port: {number: 8081}
      weight: 90
      headers:
        request:
          set: {x-a: "1"}
          remove: [x-b]
    - destination: {host: svc, subset: v2}
      weight: 10
    timeout: 1.5s
    retries: {attempts: 3, perTryTimeout: 100ms, retryOn: "5xx,connect-failure"}
    fault:
      abort: {httpStatus: 503, percentage: {value: 12.5}}
      delay: {fixedDelay: 2s, percent: 50}
    mirror: {host: mirror}
    mirrorPercent: 20
    corsPolicy:
      allowOrigin: [https://a.example]
      maxAge: 24h
    headers:
      response:
        add: {x-served-by: gwsim}
  - redirect: {uri: /new, authority: b.example, redirectCode: 308, port: 8080}
  - redirect: {prefixRewrite: /v2, derivePort: FROM_REQUEST_PORT}
  - directResponse:
      status: 418
      body: {bytes: aGVsbG8=}
  - directResponse:
      status: 200
      body: {string: pong}
  - delegate: {name: child}
    rewrite:
      uri: /
      uriRegexRewrite: {match: "^/a(.*)", rewrite: "/b\\1"}
  tls:
  - match: [{sniHosts: [www.service1.io], port: 443}]
    route: [{destination: {host: tls-svc}}]
  tcp:
  - match: [{port: 31400, sourceSubnet: 10.0.0.0/8}]
    route: [{destination: {host: tcp-svc, port: {number: 9000}}, weight: 100}]
)yaml");
  ASSERT_TRUE(b.problems.empty()) << ::testing::PrintToString(problem_texts(b));
  ASSERT_EQ(b.snapshot.virtual_services.size(), 1u);
  const VirtualService& vs = b.snapshot.virtual_services[0];
  EXPECT_EQ(vs.meta.namespace_, "default");  // defaulted
  EXPECT_EQ(vs.hosts, std::vector<std::string>{"www.service1.io"});
  EXPECT_EQ(vs.export_to, std::vector<std::string>{"."});
  ASSERT_EQ(vs.http.size(), 6u);
  const HTTPRoute& r = vs.http[0];
  EXPECT_EQ(r.name, "v1-only");
  EXPECT_EQ(r.source.to_string(), "m.yaml:9:5");
  ASSERT_EQ(r.match.size(), 1u);
  const HTTPMatchRequest& m = r.match[0];
  EXPECT_EQ(m.name, "ping");
  ASSERT_TRUE(m.uri.has_value());
  EXPECT_EQ(m.uri->kind, StringMatch::Kind::kPrefix);
  EXPECT_EQ(m.uri->value, "/ping");
  EXPECT_EQ(m.headers.at("version").kind, StringMatch::Kind::kExact);
  EXPECT_EQ(m.headers.at("version").value, "100");
  EXPECT_EQ(m.headers.at("x-any").kind, StringMatch::Kind::kNone);
  EXPECT_EQ(m.query_params.at("q").kind, StringMatch::Kind::kRegex);
  EXPECT_TRUE(m.ignore_uri_case);
  EXPECT_EQ(m.port, 80u);
  ASSERT_EQ(r.route.size(), 2u);
  EXPECT_EQ(r.route[0].destination.host, "svc");
  EXPECT_EQ(r.route[0].destination.subset, "v1");
  ASSERT_TRUE(r.route[0].destination.port.has_value());
  EXPECT_EQ(r.route[0].destination.port->number, 8081u);
  EXPECT_EQ(r.route[0].weight, 90);
  ASSERT_TRUE(r.route[0].headers && r.route[0].headers->request);
  EXPECT_EQ(r.route[0].headers->request->set, (std::vector<std::pair<std::string, std::string>>{{"x-a", "1"}}));
  EXPECT_EQ(r.route[0].headers->request->remove, std::vector<std::string>{"x-b"});
  EXPECT_FALSE(r.route[1].destination.port.has_value());
  EXPECT_EQ(r.timeout, 1500);
  ASSERT_TRUE(r.retries.has_value());
  EXPECT_EQ(r.retries->attempts, 3);
  EXPECT_EQ(r.retries->per_try_timeout, 100);
  EXPECT_EQ(r.retries->retry_on, "5xx,connect-failure");
  ASSERT_TRUE(r.fault && r.fault->abort && r.fault->delay);
  EXPECT_EQ(r.fault->abort->http_status, 503);
  EXPECT_DOUBLE_EQ(r.fault->abort->percentage->value, 12.5);
  EXPECT_EQ(r.fault->delay->fixed_delay, 2000);
  EXPECT_EQ(r.fault->delay->percent, 50);
  ASSERT_TRUE(r.mirror.has_value());
  EXPECT_EQ(r.mirror->host, "mirror");
  ASSERT_TRUE(r.mirror_percentage.has_value());  // from the deprecated mirrorPercent
  EXPECT_DOUBLE_EQ(r.mirror_percentage->value, 20);
  ASSERT_TRUE(r.cors_policy.has_value());
  ASSERT_EQ(r.cors_policy->allow_origins.size(), 1u);
  EXPECT_EQ(r.cors_policy->allow_origins[0].kind, StringMatch::Kind::kExact);
  EXPECT_EQ(r.cors_policy->max_age, 24 * 3600 * 1000);
  EXPECT_EQ(r.headers->response->add, (std::vector<std::pair<std::string, std::string>>{{"x-served-by", "gwsim"}}));

  ASSERT_TRUE(vs.http[1].redirect.has_value());
  EXPECT_EQ(vs.http[1].redirect->uri, "/new");
  EXPECT_EQ(vs.http[1].redirect->authority, "b.example");
  EXPECT_EQ(vs.http[1].redirect->redirect_code, 308u);
  EXPECT_EQ(vs.http[1].redirect->port, 8080u);
  EXPECT_EQ(vs.http[2].redirect->prefix_rewrite, "/v2");
  EXPECT_EQ(vs.http[2].redirect->derive_port, "FROM_REQUEST_PORT");
  EXPECT_FALSE(vs.http[2].redirect->port.has_value());
  EXPECT_EQ(vs.http[3].direct_response->status, 418u);
  EXPECT_EQ(vs.http[3].direct_response->body, "hello");  // body.bytes is base64
  EXPECT_EQ(vs.http[4].direct_response->body, "pong");
  ASSERT_TRUE(vs.http[5].delegate.has_value());
  EXPECT_EQ(vs.http[5].delegate->name, "child");
  EXPECT_EQ(vs.http[5].delegate->namespace_, "");
  EXPECT_EQ(vs.http[5].rewrite->uri_regex_rewrite->rewrite, "/b\\1");

  ASSERT_EQ(vs.tls.size(), 1u);
  EXPECT_EQ(vs.tls[0].match[0].sni_hosts, std::vector<std::string>{"www.service1.io"});
  EXPECT_EQ(vs.tls[0].match[0].port, 443u);
  EXPECT_FALSE(vs.tls[0].route[0].weight.has_value());
  ASSERT_EQ(vs.tcp.size(), 1u);
  EXPECT_EQ(vs.tcp[0].match[0].source_subnet, "10.0.0.0/8");
  EXPECT_EQ(vs.tcp[0].route[0].destination.port->number, 9000u);
}

TEST(SnapshotTest, DestinationRuleAndServiceEntryAreTyped) {
  auto b = build(R"yaml(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: shop}
spec:
  host: svc
  trafficPolicy:
    loadBalancer:
      consistentHash:
        httpCookie: {name: user, ttl: 0s}
        ringHash: {minimumRingSize: 1024}
    connectionPool:
      tcp: {maxConnections: 10}
    portLevelSettings:
    - port: {number: 8080}
      loadBalancer: {simple: LEAST_REQUEST}
  subsets:
  - name: v1
    labels: {version: v1}
  - name: v2
    labels: {version: v2}
    trafficPolicy:
      loadBalancer: {simple: ROUND_ROBIN}
---
apiVersion: networking.istio.io/v1alpha3
kind: ServiceEntry
metadata: {name: ext}
spec:
  hosts: [api.example.com]
  ports:
  - {number: 443, name: https, protocol: TLS}
  resolution: DNS
  endpoints:
  - address: 1.2.3.4
    ports: {https: 8443}
    labels: {zone: a}
)yaml");
  ASSERT_TRUE(b.problems.empty()) << ::testing::PrintToString(problem_texts(b));
  ASSERT_EQ(b.snapshot.destination_rules.size(), 1u);
  const DestinationRule& dr = b.snapshot.destination_rules[0];
  EXPECT_EQ(dr.meta.namespace_, "shop");
  EXPECT_EQ(dr.host, "svc");
  ASSERT_TRUE(dr.traffic_policy && dr.traffic_policy->load_balancer && dr.traffic_policy->load_balancer->consistent_hash);
  const auto& hash = *dr.traffic_policy->load_balancer->consistent_hash;
  ASSERT_TRUE(hash.http_cookie.has_value());
  EXPECT_EQ(hash.http_cookie->name, "user");
  EXPECT_EQ(hash.http_cookie->ttl, 0);
  EXPECT_EQ(hash.minimum_ring_size, 1024u);
  EXPECT_EQ(dr.traffic_policy->connection_pool["tcp"]["maxConnections"], 10);
  ASSERT_EQ(dr.traffic_policy->port_level_settings.size(), 1u);
  EXPECT_EQ(dr.traffic_policy->port_level_settings[0].port, 8080u);
  EXPECT_EQ(dr.traffic_policy->port_level_settings[0].load_balancer->simple, "LEAST_REQUEST");
  ASSERT_EQ(dr.subsets.size(), 2u);
  EXPECT_EQ(dr.subsets[0].labels.at("version"), "v1");
  EXPECT_FALSE(dr.subsets[0].traffic_policy.has_value());
  EXPECT_EQ(dr.subsets[1].traffic_policy->load_balancer->simple, "ROUND_ROBIN");

  ASSERT_EQ(b.snapshot.service_entries.size(), 1u);
  const ServiceEntry& se = b.snapshot.service_entries[0];
  EXPECT_EQ(se.location, "MESH_EXTERNAL");  // default
  EXPECT_EQ(se.resolution, "DNS");
  EXPECT_EQ(se.ports[0].protocol, "TLS");
  EXPECT_EQ(se.endpoints[0].ports.at("https"), 8443u);
  EXPECT_EQ(se.endpoints[0].labels.at("zone"), "a");
}

TEST(SnapshotTest, CoreKindsAreTypedTolerantly) {
  auto b = build(R"yaml(apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: disabled}}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  annotations:
    networking.istio.io/exportTo: " ., istio-system "
  somethingUnknown: ignored
spec:
  selector: {app: web, version: 1}
  ports:
  - {name: http, port: 80, targetPort: 8080}
  - {name: grpc, port: 9090, targetPort: grpc-port, protocol: TCP, appProtocol: grpc}
  - {port: 81}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web}}
spec:
  serviceAccountName: web-sa
  containers:
  - name: a
    ports: [{containerPort: 8080, name: http}]
  - name: b
    ports: [{containerPort: 9090, protocol: UDP}]
status:
  podIP: 127.0.0.11
  conditions:
  - {type: Initialized, status: "True"}
  - {type: Ready, status: "True"}
---
apiVersion: v1
kind: Pod
metadata: {name: web-2, namespace: shop}
status:
  podIP: 127.0.0.12
  conditions: [{type: Ready, status: "False"}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: web, namespace: shop}
subsets:
- addresses:
  - ip: 127.0.0.11
    targetRef: {kind: Pod, name: web-1}
  notReadyAddresses:
  - ip: 127.0.0.12
    targetRef: {kind: Pod, name: web-2, namespace: other}
  ports: [{name: http, port: 8080}]
---
apiVersion: v1
kind: Secret
metadata: {name: cert, namespace: istio-system}
type: kubernetes.io/tls
data:
  tls.crt: Y2VydA==
  tls.key: a2V5
stringData:
  tls.key: plain-key
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ignored-by-the-engine}
)yaml");
  ASSERT_TRUE(b.problems.empty()) << ::testing::PrintToString(problem_texts(b));
  ASSERT_EQ(b.snapshot.namespaces.size(), 1u);
  EXPECT_EQ(b.snapshot.namespaces[0].meta.namespace_, "");  // cluster-scoped
  EXPECT_EQ(b.snapshot.namespaces[0].meta.labels.at("istio-injection"), "disabled");

  ASSERT_EQ(b.snapshot.services.size(), 1u);
  const Service& s = b.snapshot.services[0];
  EXPECT_EQ(s.hostname(), "web.shop.svc.cluster.local");
  EXPECT_EQ(s.type, "ClusterIP");
  EXPECT_EQ(s.selector.at("version"), "1");
  EXPECT_EQ(s.export_to, (std::vector<std::string>{".", "istio-system"}));
  ASSERT_EQ(s.ports.size(), 3u);
  EXPECT_EQ(s.ports[0].target_port_number, 8080);
  EXPECT_EQ(s.ports[0].protocol, "TCP");
  EXPECT_EQ(s.ports[1].target_port_name, "grpc-port");
  EXPECT_EQ(s.ports[1].target_port_number, 0);
  EXPECT_EQ(s.ports[1].app_protocol, "grpc");
  EXPECT_EQ(s.ports[2].target_port_number, 0);
  EXPECT_EQ(s.ports[2].target_port_name, "");
  EXPECT_FALSE(s.ports[2].app_protocol.has_value());

  ASSERT_EQ(b.snapshot.pods.size(), 2u);
  const Pod& p = b.snapshot.pods[0];
  EXPECT_EQ(p.ip, "127.0.0.11");
  EXPECT_TRUE(p.ready);
  EXPECT_EQ(p.service_account, "web-sa");
  ASSERT_EQ(p.ports.size(), 2u);
  EXPECT_EQ(p.ports[0].name, "http");
  EXPECT_EQ(p.ports[1].container_port, 9090);
  EXPECT_EQ(p.ports[1].protocol, "UDP");
  EXPECT_FALSE(b.snapshot.pods[1].ready);

  ASSERT_EQ(b.snapshot.endpoints.size(), 1u);
  const auto& subset = b.snapshot.endpoints[0].subsets.at(0);
  ASSERT_EQ(subset.addresses.size(), 2u);
  EXPECT_TRUE(subset.addresses[0].ready);
  EXPECT_EQ(subset.addresses[0].pod_name, "web-1");
  EXPECT_EQ(subset.addresses[0].pod_namespace, "shop");
  EXPECT_FALSE(subset.addresses[1].ready);
  EXPECT_EQ(subset.addresses[1].pod_namespace, "other");
  EXPECT_EQ(subset.ports.at(0).port, 8080);

  ASSERT_EQ(b.snapshot.secrets.size(), 1u);
  EXPECT_EQ(b.snapshot.secrets[0].type, "kubernetes.io/tls");
  EXPECT_EQ(b.snapshot.secrets[0].data.at("tls.crt"), "cert");
  EXPECT_EQ(b.snapshot.secrets[0].data.at("tls.key"), "plain-key");  // stringData wins
}

TEST(SnapshotTest, UnknownIstioFieldsAreErrorsWithPositions) {
  auto b = build(R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: typo, namespace: default}
spec:
  hosts: [a.example.com]
  http:
  - rout:
    - destination: {host: a}
    match:
    - uri: {prefix: /}
      header: {}
)yaml");
  EXPECT_TRUE(b.snapshot.virtual_services.empty());
  EXPECT_EQ(problem_texts(b), (std::vector<std::string>{
                                  "m.yaml:11:7: VirtualService default/typo: spec.http[0].match[0].header: unknown field \"header\"",
                                  "m.yaml:7:5: VirtualService default/typo: spec.http[0].rout: unknown field \"rout\"",
                              }));
}

TEST(SnapshotTest, TypeErrorsNameTheField) {
  auto b = build(R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  servers:
  - port:
      number: eighty
      name: http
      protocol: HTTP
    hosts: "*"
    tls:
      mode: SIMPEL
      httpsRedirect: "yes"
)yaml");
  EXPECT_TRUE(b.snapshot.gateways.empty());
  EXPECT_EQ(problem_texts(b),
            (std::vector<std::string>{
                "m.yaml:10:5: Gateway default/gw: spec.servers[0].hosts: expected a list, got \"*\"",
                "m.yaml:7:7: Gateway default/gw: spec.servers[0].port.number: expected an integer, got \"eighty\"",
                "m.yaml:13:7: Gateway default/gw: spec.servers[0].tls.httpsRedirect: expected a boolean, got \"yes\"",
                "m.yaml:12:7: Gateway default/gw: spec.servers[0].tls.mode: unsupported value \"SIMPEL\" (supported: "
                "PASSTHROUGH, SIMPLE, MUTUAL, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL)",
            }));
}

TEST(SnapshotTest, MoreTypeProblems) {
  auto b = build(R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a]
  http:
  - timeout: soon
    route:
    - destination: {host: a, port: {number: -1}}
      weight: 1.5
    - destination: {host: b}
      weight: "50"
  - directResponse: {status: 200, body: {bytes: "%%%"}}
)yaml");
  EXPECT_EQ(problem_texts(b),
            (std::vector<std::string>{
                "m.yaml:9:37: VirtualService default/vs: spec.http[0].route[0].destination.port.number: -1 is out of "
                "range: should be greater than or equal to 0",
                "m.yaml:10:7: VirtualService default/vs: spec.http[0].route[0].weight: expected an integer, got 1.5",
                "m.yaml:12:7: VirtualService default/vs: spec.http[0].route[1].weight: expected an integer, got \"50\"",
                "m.yaml:7:5: VirtualService default/vs: spec.http[0].timeout: invalid duration \"soon\" (write it like "
                "1s, 1.5s, 100ms, 1m or 1h)",
                "m.yaml:13:42: VirtualService default/vs: spec.http[1].directResponse.body.bytes: invalid base64 data",
            }));
}

TEST(SnapshotTest, IntegralFloatsAreIntegersAndNullsAreAbsent) {
  auto b = build(R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a]
  gateways: ~
  http:
  - route:
    - destination: {host: a, port: {number: 80.0}}
    mirror:
)yaml");
  ASSERT_TRUE(b.problems.empty()) << ::testing::PrintToString(problem_texts(b));
  EXPECT_EQ(b.snapshot.virtual_services[0].http[0].route[0].destination.port->number, 80u);
  EXPECT_FALSE(b.snapshot.virtual_services[0].http[0].mirror.has_value());
}

TEST(SnapshotTest, UnknownTopLevelAndMetadataFieldsOfIstioKinds) {
  auto b = build(R"yaml(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: dr
  lables: {a: b}
spec:
  host: a
  trafficPolicy:
    loadBalancer: {simple: RANDOM, localityLbSetting: {enabled: true}, warmupDurationSecs: 10s}
    tunnel: {targetHost: x.example, targetPort: 8080}
    proxyProtocol: {version: V1}
  subsets: [{name: v1, trafficPolicy: {loadBalancer: {consistentHash: {maglev: {tableSize: 65537}}}}}]
specs: {}
)yaml");
  EXPECT_EQ(problem_texts(b), (std::vector<std::string>{
                                  "m.yaml:5:3: DestinationRule default/dr: metadata.lables: unknown field \"lables\"",
                                  "m.yaml:13:1: DestinationRule default/dr: specs: unknown field \"specs\"",
                              }));
}

TEST(SnapshotTest, ValidNonStructuralProblemsDoNotBlockReading) {
  // Missing required fields and CEL rules are the API server's business (see validation); the
  // typed model can still be built, so the snapshot keeps the object.
  auto b = build(R"yaml(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  servers:
  - port: {number: 80, protocol: HTTP}
)yaml");
  EXPECT_TRUE(b.problems.empty());
  ASSERT_EQ(b.snapshot.gateways.size(), 1u);
  EXPECT_EQ(b.snapshot.gateways[0].servers[0].port.name, "");
}

TEST(SnapshotTest, OneBadObjectDoesNotHideTheOthers) {
  auto b = build(R"yaml(apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bad}
spec: {hosts: [a], htp: []}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: good}
spec: {hosts: [a], http: [{route: [{destination: {host: a}}]}]}
---
apiVersion: v1
kind: Secret
metadata: {name: s}
data: {key: "not base64!"}
---
apiVersion: v1
kind: Service
metadata: {name: svc, creationTimestamp: yesterday}
)yaml");
  ASSERT_EQ(b.snapshot.virtual_services.size(), 1u);
  EXPECT_EQ(b.snapshot.virtual_services[0].meta.name, "good");
  EXPECT_TRUE(b.snapshot.secrets.empty());
  EXPECT_TRUE(b.snapshot.services.empty());
  EXPECT_EQ(problem_texts(b),
            (std::vector<std::string>{
                "m.yaml:4:20: VirtualService default/bad: spec.htp: unknown field \"htp\"",
                "m.yaml:14:8: Secret default/s: data.key: expected base64 data",
                "m.yaml:18:23: Service default/svc: metadata.creationTimestamp: expected an RFC 3339 time such as "
                "\"2026-01-01T00:00:00Z\", got \"yesterday\"",
            }));
}

TEST(SnapshotTest, AddToSnapshotReportsTheFirstProblem) {
  ConfigSnapshot snapshot;
  auto objects = load("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec: {servers: [{prot: {}}]}\n");
  auto r = add_to_snapshot(objects.at(0), snapshot);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().to_string(), "m.yaml:4:19: spec.servers[0].prot: unknown field \"prot\"");
  EXPECT_TRUE(snapshot.gateways.empty());

  auto others = load("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n");
  auto ignored = add_to_snapshot(others.at(0), snapshot);
  ASSERT_TRUE(ignored.ok());
  EXPECT_FALSE(ignored.value());

  auto ns = load("apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n");
  auto added = add_to_snapshot(ns.at(0), snapshot);
  ASSERT_TRUE(added.ok());
  EXPECT_TRUE(added.value());
  EXPECT_EQ(snapshot.namespaces.size(), 1u);
}

TEST(SnapshotTest, EngineKinds) {
  EXPECT_TRUE(is_engine_kind("", "Service"));
  EXPECT_TRUE(is_engine_kind("", "Pod"));
  EXPECT_TRUE(is_engine_kind("", "Endpoints"));
  EXPECT_TRUE(is_engine_kind("", "Secret"));
  EXPECT_TRUE(is_engine_kind("", "Namespace"));
  EXPECT_TRUE(is_engine_kind("networking.istio.io", "Gateway"));
  EXPECT_TRUE(is_engine_kind("networking.istio.io", "ServiceEntry"));
  EXPECT_FALSE(is_engine_kind("networking.istio.io", "Sidecar"));
  EXPECT_TRUE(is_engine_kind("", "ConfigMap"));  // read when it stands in for a jwksUri
  EXPECT_TRUE(is_engine_kind("security.istio.io", "RequestAuthentication"));
  EXPECT_FALSE(is_engine_kind("apps", "Deployment"));
  EXPECT_TRUE(is_engine_kind("gateway.networking.k8s.io", "Gateway"));
  EXPECT_TRUE(is_engine_kind("gateway.networking.k8s.io", "HTTPRoute"));
  EXPECT_FALSE(is_engine_kind("gateway.networking.k8s.io", "BackendTLSPolicy"));
}

TEST(SnapshotTest, CreationTimestamps) {
  auto b = build(R"yaml(apiVersion: v1
kind: Namespace
metadata: {name: a, creationTimestamp: "1970-01-01T00:00:00Z"}
---
apiVersion: v1
kind: Namespace
metadata: {name: b, creationTimestamp: "2026-03-01T12:30:45.123+02:00"}
---
apiVersion: v1
kind: Namespace
metadata: {name: c}
)yaml");
  ASSERT_TRUE(b.problems.empty()) << ::testing::PrintToString(problem_texts(b));
  EXPECT_EQ(b.snapshot.namespaces[0].meta.creation_time, 0);
  EXPECT_EQ(b.snapshot.namespaces[1].meta.creation_time, 1772361045);
  EXPECT_EQ(b.snapshot.namespaces[2].meta.creation_time, 0);
  EXPECT_EQ(b.snapshot.namespaces[0].meta.source.to_string(), "m.yaml:1:1");
}

struct DurationCase {
  const char* text;
  Millis millis;
};

TEST(SnapshotTest, ParseDurationAcceptsIstioDurations) {
  DurationCase cases[] = {{"1s", 1000},   {"1.5s", 1500},   {"100ms", 100}, {"1m", 60000},
                          {"1h", 3600000}, {"500us", 0},    {"2500us", 2},  {"1h30m", 5400000},
                          {"0", 0},       {"0.25s", 250},   {"3000ms", 3000}, {"-1s", -1000}};
  for (const auto& c : cases) {
    auto r = parse_duration(c.text);
    ASSERT_TRUE(r.ok()) << c.text;
    EXPECT_EQ(r.value(), c.millis) << c.text;
  }
}

TEST(SnapshotTest, ParseDurationRejectsOtherText) {
  for (const char* bad : {"", "1", "s", "1 s", "1sec", "one second", "1.s5", "-", "1d", ".s"}) {
    auto r = parse_duration(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find("invalid duration"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace gwsim::model

namespace gwsim::model {
namespace {

TEST(SnapshotTest, MissingIstioSpecReadsAsEmpty) {
  auto b = build("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: istio-system}\n"
                 "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs}\nspec: ~\n");
  ASSERT_TRUE(b.problems.empty()) << ::testing::PrintToString(problem_texts(b));
  ASSERT_EQ(b.snapshot.gateways.size(), 1u);
  EXPECT_TRUE(b.snapshot.gateways[0].servers.empty());
  EXPECT_EQ(b.snapshot.gateways[0].meta.namespace_, "istio-system");
  ASSERT_EQ(b.snapshot.virtual_services.size(), 1u);
  EXPECT_TRUE(b.snapshot.virtual_services[0].hosts.empty());
}

TEST(SnapshotTest, Int32FieldsOutOfRangeAreErrorsAtTheirLine) {
  // Kubernetes' decoder refuses them; wrapped, 4294967297 replicas would have been 1.
  auto b = build(R"yaml(apiVersion: apps/v1
kind: Deployment
metadata:
  name: many
spec:
  replicas: 4294967297
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    targetPort: 2147483648
)yaml");
  EXPECT_EQ(problem_texts(b),
            (std::vector<std::string>{
                "m.yaml:6:3: Deployment default/many: json: cannot unmarshal number 4294967297 into Go struct "
                "field DeploymentSpec.spec.replicas of type int32",
                "m.yaml:15:5: Service default/web: json: cannot unmarshal number 2147483648 into Go struct field "
                "ServicePort.spec.ports.targetPort of type int32"}));
  EXPECT_TRUE(b.snapshot.services.empty());
  // In range: no problem.
  EXPECT_TRUE(build("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ok}\nspec: {replicas: 2147483647}\n")
                  .problems.empty());
}

}  // namespace
}  // namespace gwsim::model

namespace gwsim::model {
namespace {

TEST(SnapshotTest, RequestAuthenticationsAndJwksConfigMaps) {
  auto load = load_manifest_text(R"yaml(apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  jwtRules:
    - issuer: https://idp.example.com
      jwksUri: https://idp.example.com/jwks.json
      audiences: [a]
      fromHeaders: [{name: x-token, prefix: 'Bearer '}]
      outputClaimToHeaders: [{header: x-sub, claim: sub}]
      forwardOriginalToken: true
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: idp
  namespace: istio-system
  annotations: {gwsim.io/jwks-uri: 'https://idp.example.com/jwks.json'}
data: {jwks: '{"keys":[]}'}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: unrelated}
data: {a: b}
)yaml",
                                 "ra.yaml");
  ASSERT_FALSE(load.has_errors());
  auto b = build_snapshot(load.objects);
  ASSERT_TRUE(b.problems.empty());
  ASSERT_EQ(b.snapshot.request_authentications.size(), 1u);
  const auto& ra = b.snapshot.request_authentications[0];
  ASSERT_TRUE(ra.selector.has_value());
  EXPECT_EQ(ra.selector->at("istio"), "ingressgateway");
  ASSERT_EQ(ra.jwt_rules.size(), 1u);
  EXPECT_EQ(ra.jwt_rules[0].jwks_uri, "https://idp.example.com/jwks.json");
  EXPECT_EQ(ra.jwt_rules[0].from_headers[0].prefix, "Bearer ");
  EXPECT_EQ(ra.jwt_rules[0].output_claim_to_headers[0].claim, "sub");
  EXPECT_TRUE(ra.jwt_rules[0].forward_original_token);
  // Only the ConfigMap that stands in for a jwksUri is read.
  ASSERT_EQ(b.snapshot.jwks_documents.size(), 1u);
  EXPECT_EQ(b.snapshot.jwks_documents[0].uri, "https://idp.example.com/jwks.json");
  EXPECT_EQ(b.snapshot.jwks_documents[0].jwks, R"({"keys":[]})");
}

TEST(SnapshotTest, ARequestAuthenticationWithAnUnknownFieldIsAProblem) {
  auto load = load_manifest_text("apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {name: x}\n"
                                 "spec:\n  jwtRule: []\n",
                                 "ra.yaml");
  auto b = build_snapshot(load.objects);
  ASSERT_EQ(b.problems.size(), 1u);
  EXPECT_EQ(b.problems[0].message, "spec.jwtRule: unknown field \"jwtRule\"");
  EXPECT_TRUE(b.snapshot.request_authentications.empty());
}

}  // namespace
}  // namespace gwsim::model
