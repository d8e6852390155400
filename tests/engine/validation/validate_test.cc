#include "engine/validation/validate.h"

#include <gtest/gtest.h>

#include "engine/model/crd_schema.h"
#include "engine/model/manifest.h"

namespace gwsim::validation {
namespace {

using Strings = std::vector<std::string>;

model::Object validation_object_of(const std::string& yaml) {
  auto load = model::load_manifest_text(yaml, "v.yaml");
  EXPECT_FALSE(load.has_errors()) << yaml;
  EXPECT_EQ(load.objects.size(), 1u) << yaml;
  return load.objects.empty() ? model::Object{} : load.objects.front();
}

// An Istio object of `kind` named `name` in namespace default, with `spec` (block YAML, indented
// by two spaces).
std::string istio_yaml(const std::string& kind, const std::string& spec, const std::string& name = "x",
                  const std::string& metadata_extra = "") {
  return "apiVersion: networking.istio.io/v1\nkind: " + kind + "\nmetadata:\n  name: " + name +
         "\n  namespace: default\n" + metadata_extra + "spec:\n" + spec;
}

ValidationReport check(const std::string& kind, const std::string& spec, const std::string& name = "x") {
  return validate(validation_object_of(istio_yaml(kind, spec, name)));
}

// ---- Istio's webhook: one invalid object per row, with the errors Istio reports ----------------

struct ValidateCase {
  const char* title;
  const char* kind;
  const char* spec;
  Strings errors;
  Strings warnings = {};
};

// gtest prints a failing parameter with this.
void PrintTo(const ValidateCase& c, std::ostream* os) { *os << c.kind << ": " << c.title; }

class WebhookTable : public ::testing::TestWithParam<ValidateCase> {};

TEST_P(WebhookTable, ReportsIstiosMessages) {
  const ValidateCase& c = GetParam();
  model::Object object = validation_object_of(istio_yaml(c.kind, c.spec));
  EXPECT_TRUE(model::check_crd_schema(object).empty()) << c.title << ": refused by the schema";
  ValidationReport r = validate(object);
  EXPECT_EQ(r.errors, c.errors) << c.title;
  EXPECT_EQ(r.warnings, c.warnings) << c.title;
}

const char* kGoodServer = "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ['*']\n";

INSTANTIATE_TEST_SUITE_P(
    Gateway, WebhookTable,
    ::testing::Values(
        ValidateCase{"valid", "Gateway",
             "  selector: {istio: ingressgateway}\n"
             "  servers:\n"
             "  - port: {number: 80, name: http, protocol: HTTP}\n"
             "    hosts: ['*', 'ns/a.example.com', './b.example.com', '*/c.example.com']\n"
             "    tls: {httpsRedirect: true}\n"
             "  - port: {number: 443, name: https, protocol: HTTPS}\n"
             "    hosts: ['*.example.com', '10.0.0.1']\n"
             "    tls: {mode: SIMPLE, credentialName: cert}\n",
             {}},
        ValidateCase{"no servers", "Gateway", "  servers: []\n", {"gateway must have at least one server"}},
        ValidateCase{"server without hosts", "Gateway", "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: []\n",
             {"server config must contain at least one host"}},
        ValidateCase{"short host", "Gateway", "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: [foo]\n",
             {"short names (non FQDN) are not allowed"}},
        ValidateCase{"short host after namespace", "Gateway",
             "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: [default/foo]\n",
             {"short names (non FQDN) are not allowed"}},
        ValidateCase{"partial wildcard", "Gateway",
             "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ['*foo.example.com']\n",
             {"partial wildcard \"*foo.example.com\" not allowed"}},
        ValidateCase{"bad host label", "Gateway",
             "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: [foo_bar.example.com]\n",
             {"domain name \"foo_bar.example.com\" invalid (label \"foo_bar\" invalid)"}},
        ValidateCase{"bad namespace in host", "Gateway",
             "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: [Bad_NS/a.example.com]\n",
             {"invalid namespace value \"Bad_NS\" in gateway"}},
        ValidateCase{"empty namespace in host", "Gateway",
             "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: [/a.example.com]\n",
             {"config namespace and dnsName in host entry cannot be empty", "invalid namespace value \"\" in gateway"}},
        ValidateCase{"port 0", "Gateway", "  servers:\n  - port: {number: 0, name: http, protocol: HTTP}\n    hosts: ['*']\n",
             {"port number 0 must be in the range 1..65535"}},
        ValidateCase{"port too large", "Gateway",
             "  servers:\n  - port: {number: 70000, name: http, protocol: HTTP}\n    hosts: ['*']\n",
             {"port number 70000 must be in the range 1..65535"}},
        ValidateCase{"empty port name", "Gateway", "  servers:\n  - port: {number: 80, name: '', protocol: HTTP}\n    hosts: ['*']\n",
             {"port name must be set: number:80 protocol:\"HTTP\""}},
        ValidateCase{"unknown protocol", "Gateway", "  servers:\n  - port: {number: 80, name: http, protocol: FOO}\n    hosts: ['*']\n",
             {"invalid protocol \"FOO\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP"}},
        ValidateCase{"targetPort", "Gateway",
             "  servers:\n  - port: {number: 80, name: http, protocol: HTTP, targetPort: 8080}\n    hosts: ['*']\n",
             {"targetPort has no impact on Gateways"}},
        ValidateCase{"duplicate port names", "Gateway",
             "  servers:\n"
             "  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: [a.example.com]\n"
             "  - port: {number: 81, name: http, protocol: HTTP}\n    hosts: [b.example.com]\n",
             {"port names in servers must be unique: duplicate name http"}},
        ValidateCase{"HTTPS without tls", "Gateway", "  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ['*']\n",
             {"server must have TLS settings for HTTPS/TLS protocols"}},
        ValidateCase{"TLS without tls", "Gateway", "  servers:\n  - port: {number: 443, name: tls, protocol: TLS}\n    hosts: ['*']\n",
             {"server must have TLS settings for HTTPS/TLS protocols"}},
        ValidateCase{"HTTP with terminating tls", "Gateway",
             "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ['*']\n"
             "    tls: {mode: SIMPLE, credentialName: c}\n",
             {"server cannot have TLS settings for plain text HTTP ports"}},
        ValidateCase{"HTTP with certificate files", "Gateway",
             "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ['*']\n"
             "    tls: {httpsRedirect: true, serverCertificate: /etc/cert.pem}\n",
             {"server cannot have TLS settings for plain text HTTP ports"},
             {"PASSTHROUGH mode does not use certificates, they will be ignored"}},
        ValidateCase{"TCP with tls", "Gateway",
             "  servers:\n  - port: {number: 31400, name: tcp, protocol: TCP}\n    hosts: ['*']\n    tls: {mode: PASSTHROUGH}\n",
             {"server cannot have TLS settings for non HTTPS/TLS ports"}},
        ValidateCase{"SIMPLE without certificates", "Gateway",
             "  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ['*']\n    tls: {mode: SIMPLE}\n",
             {"SIMPLE TLS requires a server certificate", "SIMPLE TLS requires a private key"}},
        ValidateCase{"MUTUAL without CA", "Gateway",
             "  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ['*']\n"
             "    tls: {mode: MUTUAL, serverCertificate: /c.pem, privateKey: /k.pem}\n",
             {"MUTUAL TLS requires a client CA bundle"}},
        ValidateCase{"MUTUAL with credentialName", "Gateway",
             "  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ['*']\n"
             "    tls: {mode: MUTUAL, credentialName: c}\n",
             {}},
        ValidateCase{"ISTIO_MUTUAL with a credential", "Gateway",
             "  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ['*']\n"
             "    tls: {mode: ISTIO_MUTUAL, credentialName: c, privateKey: /k.pem}\n",
             {"ISTIO_MUTUAL TLS cannot have associated private key",
              "ISTIO_MUTUAL TLS cannot have associated credentialName"}},
        ValidateCase{"two certificate sources", "Gateway",
             "  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ['*']\n"
             "    tls: {mode: SIMPLE, credentialName: c, serverCertificate: /c.pem, privateKey: /k.pem}\n",
             {"only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be "
              "specified"}},
        ValidateCase{"passthrough with a credential warns", "Gateway",
             "  servers:\n  - port: {number: 443, name: tls, protocol: TLS}\n    hosts: ['*']\n"
             "    tls: {mode: PASSTHROUGH, credentialName: c}\n",
             {},
             {"PASSTHROUGH mode does not use certificates, they will be ignored"}},
        ValidateCase{"httpsRedirect on a TLS server warns", "Gateway",
             "  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ['*']\n"
             "    tls: {mode: SIMPLE, credentialName: c, httpsRedirect: true}\n",
             {},
             {"tls.httpsRedirect should only be used with http servers"}},
        ValidateCase{"old TLS versions and cipher suites warn", "Gateway",
             "  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ['*']\n"
             "    tls: {mode: SIMPLE, credentialName: c, minProtocolVersion: TLSV1_1, cipherSuites: [FOO, AES128-SHA, "
             "AES128-SHA]}\n",
             {},
             {"ignoring invalid cipher suites: [FOO]", "ignoring duplicate cipher suites: [AES128-SHA]"}},
        ValidateCase{"bind must be an IP", "Gateway",
             "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ['*']\n    bind: localhost\n",
             {"localhost is not a valid IP"}},
        ValidateCase{"unix bind", "Gateway",
             "  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ['*']\n    bind: unix://relative\n",
             {"relative is not an absolute path to a file",
              "port number must be 0 for unix domain socket: number:80 protocol:\"HTTP\" name:\"http\""}}));

INSTANTIATE_TEST_SUITE_P(
    VirtualService, WebhookTable,
    ::testing::Values(
        ValidateCase{"valid", "VirtualService",
             "  hosts: [www.service1.io, reviews]\n"
             "  gateways: [istio-ingress-gateway, istio-system/gw, mesh]\n"
             "  http:\n"
             "  - name: canary\n"
             "    match: [{uri: {prefix: /api}, headers: {version: {exact: v2}}}]\n"
             "    route:\n"
             "    - destination: {host: reviews, subset: v1, port: {number: 9080}}\n"
             "      weight: 90\n"
             "    - destination: {host: reviews.default.svc.cluster.local, subset: v2}\n"
             "      weight: 10\n"
             "    retries: {attempts: 3, perTryTimeout: 2s, retryOn: 'gateway-error,connect-failure,503'}\n"
             "    timeout: 10s\n"
             "  - redirect: {uri: /new, redirectCode: 308}\n"
             "    match: [{uri: {exact: /old}}]\n"
             "  - directResponse: {status: 404, body: {string: nope}}\n",
             {}},
        ValidateCase{"no hosts is a delegate: no gateways", "VirtualService",
             "  gateways: [gw]\n  http: [{route: [{destination: {host: a}}]}]\n",
             {"delegate virtual service must have no gateways specified"}},
        ValidateCase{"delegate without tcp/tls", "VirtualService",
             "  tcp: [{route: [{destination: {host: a}}]}]\n",
             {"delegate virtual service must have no tcp route specified"}},
        ValidateCase{"mesh wildcard host", "VirtualService", "  hosts: ['*']\n  http: [{route: [{destination: {host: a}}]}]\n",
             {"wildcard host * is not allowed for virtual services bound to the mesh gateway"}},
        ValidateCase{"gateway wildcard host", "VirtualService",
             "  hosts: ['*']\n  gateways: [gw]\n  http: [{route: [{destination: {host: a}}]}]\n", {}},
        ValidateCase{"duplicate hosts", "VirtualService",
             "  hosts: [a.example.com, '*.example.com', a.example.com]\n  http: [{route: [{destination: {host: a}}]}]\n",
             {"duplicate hosts in virtual service: a.example.com & *.example.com",
              "duplicate hosts in virtual service: a.example.com & a.example.com",
              "duplicate hosts in virtual service: *.example.com & a.example.com"}},
        ValidateCase{"invalid host", "VirtualService", "  hosts: [a_b.example.com]\n  http: [{route: [{destination: {host: a}}]}]\n",
             {"domain name \"a_b.example.com\" invalid (label \"a_b\" invalid)"}},
        ValidateCase{"numeric top level domain", "VirtualService", "  hosts: [example.123]\n  http: [{route: [{destination: {host: a}}]}]\n",
             {"domain name \"123\" invalid (top level domain \"123\" cannot be all-numeric)"}},
        ValidateCase{"IP host is fine", "VirtualService", "  hosts: [10.1.2.3]\n  http: [{route: [{destination: {host: a}}]}]\n", {}},
        ValidateCase{"no routes", "VirtualService", "  hosts: [a]\n", {"http, tcp or tls must be provided in virtual service"}},
        ValidateCase{"route needs an action", "VirtualService", "  hosts: [a]\n  http: [{match: [{uri: {prefix: /}}]}]\n",
             {"HTTP route, redirect or direct_response is required"}},
        ValidateCase{"route and redirect", "VirtualService",
             "  hosts: [a]\n  http: [{redirect: {uri: /x}, route: [{destination: {host: a}}]}]\n",
             {"HTTP route cannot contain both route and redirect"}},
        ValidateCase{"rewrite and redirect", "VirtualService",
             "  hosts: [a]\n  http: [{redirect: {uri: /x}, rewrite: {uri: /y}}]\n",
             {"HTTP route rule cannot contain both rewrite and redirect"}},
        ValidateCase{"redirect and direct response", "VirtualService",
             "  hosts: [a]\n  http: [{redirect: {uri: /x}, directResponse: {status: 200}}]\n",
             {"HTTP route rule cannot contain both direct_response and redirect"}},
        ValidateCase{"fault and direct response", "VirtualService",
             "  hosts: [a]\n  http: [{directResponse: {status: 200}, fault: {abort: {httpStatus: 500}}}]\n",
             {"HTTP route cannot contain both fault and direct_response"}},
        ValidateCase{"weights missing", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}, {destination: {host: b}}]}]\n",
             {"total destination weight = 0"}},
        ValidateCase{"negative weight", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}, weight: -1}, {destination: {host: b}, weight: 1}]}]\n",
             {"weight -1 < 0", "total destination weight = 0"}},
        ValidateCase{"weights need not add to 100", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}, weight: 1}, {destination: {host: b}, weight: 3}]}]\n",
             {}},
        ValidateCase{"single destination weight 0 is fine", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}, weight: 0}]}]\n", {}},
        ValidateCase{"destination host *", "VirtualService", "  hosts: [a]\n  http: [{route: [{destination: {host: '*'}}]}]\n",
             {"invalid destination host *"}},
        ValidateCase{"empty destination host", "VirtualService", "  hosts: [a]\n  http: [{route: [{destination: {host: ''}}]}]\n",
             {"empty domain name not allowed"}},
        ValidateCase{"bad subset", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a, subset: v_1}}]}]\n", {"subset name is invalid: v_1"}},
        ValidateCase{"destination port", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a, port: {number: 0}}}]}]\n",
             {"port number 0 must be in the range 1..65535"}},
        ValidateCase{"empty uri prefix is allowed", "VirtualService",
             "  hosts: [a]\n  http: [{match: [{uri: {prefix: ''}}], route: [{destination: {host: a}}]}]\n", {}},
        ValidateCase{"empty header prefix", "VirtualService",
             "  hosts: [a]\n  http: [{match: [{headers: {x: {prefix: ''}}}], route: [{destination: {host: a}}]}]\n",
             {"\"headers\": prefix string match should not be empty"}},
        ValidateCase{"empty method prefix", "VirtualService",
             "  hosts: [a]\n  http: [{match: [{method: {prefix: ''}}], route: [{destination: {host: a}}]}]\n",
             {"\"method\": prefix string match should not be empty"}},
        ValidateCase{"empty uri regex", "VirtualService",
             "  hosts: [a]\n  http: [{match: [{uri: {regex: ''}}], route: [{destination: {host: a}}]}]\n",
             {"\"uri\": regex string match should not be empty"}},
        ValidateCase{"bad uri regex", "VirtualService",
             "  hosts: [a]\n  http: [{match: [{uri: {regex: '(abc'}}], route: [{destination: {host: a}}]}]\n",
             {"\"uri\": error parsing regexp: missing closing ): `(abc`; Istio uses RE2 style regex-based match "
              "(https://github.com/google/re2/wiki/Syntax)"}},
        ValidateCase{"RE2 has no lookahead", "VirtualService",
             "  hosts: [a]\n  http: [{match: [{queryParams: {q: {regex: 'a(?=b)'}}}], route: [{destination: {host: a}}]}]\n",
             {"\"queryParams\": error parsing regexp: invalid or unsupported Perl syntax: `(?=`; Istio uses RE2 style "
              "regex-based match (https://github.com/google/re2/wiki/Syntax)"}},
        ValidateCase{"bad header name", "VirtualService",
             "  hosts: [a]\n  http: [{match: [{headers: {'bad header': {exact: x}}}], route: [{destination: {host: a}}]}]\n",
             {"header name bad header is not a valid header name"}},
        ValidateCase{"withoutHeaders regex * is presence", "VirtualService",
             "  hosts: [a]\n  http: [{match: [{withoutHeaders: {x: {regex: '*'}}}], route: [{destination: {host: a}}]}]\n",
             {}},
        ValidateCase{"match port", "VirtualService",
             "  hosts: [a]\n  http: [{match: [{port: 70000}], route: [{destination: {host: a}}]}]\n",
             {"port number 70000 must be in the range 1..65535"}},
        ValidateCase{"source namespace", "VirtualService",
             "  hosts: [a]\n  http: [{match: [{sourceNamespace: Bad_NS}], route: [{destination: {host: a}}]}]\n",
             {"sourceNamespace match Bad_NS is invalid"}},
        ValidateCase{"redirect code", "VirtualService", "  hosts: [a]\n  http: [{redirect: {uri: /x, redirectCode: 200}}]\n",
             {"200 is not a valid redirect code, must be 3xx"}},
        ValidateCase{"empty redirect", "VirtualService", "  hosts: [a]\n  http: [{redirect: {}}]\n",
             {"redirect must specify URI, authority, scheme, or port"}},
        ValidateCase{"derivePort alone is a redirect", "VirtualService",
             "  hosts: [a]\n  http: [{redirect: {derivePort: FROM_REQUEST_PORT}}]\n", {}},
        ValidateCase{"redirect scheme", "VirtualService", "  hosts: [a]\n  http: [{redirect: {scheme: ftp}}]\n",
             {"invalid redirect scheme, must be \"http\" or \"https\""}},
        ValidateCase{"redirect uri and prefixRewrite", "VirtualService",
             "  hosts: [a]\n  http: [{redirect: {uri: /a, prefixRewrite: /b}}]\n",
             {"redirect may only specify one of uri or prefix_rewrite"}},
        ValidateCase{"prefixRewrite needs prefix matches", "VirtualService",
             "  hosts: [a]\n  http: [{match: [{uri: {exact: /a}}], redirect: {prefixRewrite: /b}}]\n",
             {"redirect prefix_rewrite requires all URI matches to use prefix match type"}},
        ValidateCase{"gateway name without namespace must be a DNS name", "VirtualService",
             "  hosts: [a]\n  gateways: [bad_gw]\n  http: [{route: [{destination: {host: a}}]}]\n",
             {"domain name \"bad_gw\" invalid (label \"bad_gw\" invalid)"}},
        ValidateCase{"gateway name with namespace", "VirtualService",
             "  hosts: [a]\n  gateways: [istio-system/Bad_Name]\n  http: [{route: [{destination: {host: a}}]}]\n",
             {"invalid value for gateway name: \"Bad_Name\""}},
        ValidateCase{"legacy gateway name warns", "VirtualService",
             "  hosts: [a]\n  gateways: [gw.istio-system]\n  http: [{route: [{destination: {host: a}}]}]\n",
             {},
             {"using legacy gatewayName format \"gw.istio-system\"; prefer the <namespace>/<name> format: "
              "\"istio-system/gw\""}},
        ValidateCase{"tls route without SNI hosts", "VirtualService",
             "  hosts: [a.example.com]\n  gateways: [gw]\n"
             "  tls: [{match: [{sniHosts: []}], route: [{destination: {host: a}}]}]\n",
             {"TLS match must have at least one SNI host"}},
        ValidateCase{"tls route without matches or route", "VirtualService",
             "  hosts: [a.example.com]\n  gateways: [gw]\n  tls: [{match: []}]\n",
             {"TLS route must have at least one match condition", "TLS route is required"}},
        ValidateCase{"SNI host outside the hosts", "VirtualService",
             "  hosts: [a.example.com]\n  gateways: [gw]\n"
             "  tls: [{match: [{sniHosts: [b.example.com]}], route: [{destination: {host: a}}]}]\n",
             {"SNI host \"b.example.com\" is not a compatible subset of any of the virtual service hosts: [a.example.com]"}},
        ValidateCase{"SNI host inside a wildcard host", "VirtualService",
             "  hosts: ['*.example.com']\n  gateways: [gw]\n"
             "  tls: [{match: [{sniHosts: [b.example.com]}], route: [{destination: {host: a}}]}]\n",
             {}},
        ValidateCase{"tcp route without destinations", "VirtualService",
             "  hosts: [a]\n  tcp: [{match: [{port: 31400, destinationSubnets: [10.0.0.0/33]}]}]\n",
             {"10.0.0.0/33 is not a valid CIDR block", "TCP route is required"}},
        ValidateCase{"retries disabled but configured", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], retries: {attempts: 0, retryOn: 5xx}}]\n",
             {"http retry policy configured when attempts are set to 0 (disabled)"}},
        ValidateCase{"retryOn policy", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], retries: {attempts: 2, retryOn: '5xx,bogus,599'}}]\n",
             {"\"bogus\" is not a valid retryOn policy", "\"599\" is not a valid retryOn policy"}},
        ValidateCase{"timeout precision", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], timeout: 1500us}]\n",
             {"only durations to ms precision are supported"}},
        ValidateCase{"direct response status", "VirtualService", "  hosts: [a]\n  http: [{directResponse: {status: 100}}]\n",
             {"HTTP status 100 is not in range 200-599"}},
        ValidateCase{"abort percentage", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], fault: {abort: {httpStatus: 503, percentage: {value: "
             "150}}}}]\n",
             {"percentage 150 is neither 0.0, nor in range [0.0001, 100.0]"}},
        ValidateCase{"abort status", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], fault: {abort: {httpStatus: 700}}}]\n",
             {"HTTP status 700 is not in range 200-599"}},
        ValidateCase{"abort grpc status", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], fault: {abort: {grpcStatus: NOPE}}}]\n",
             {"gRPC status \"NOPE\" is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a "
              "list of supported codes, for example 'NOT_FOUND'"}},
        ValidateCase{"abort without an error type warns", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], fault: {abort: {percentage: {value: 5}}}}]\n",
             {},
             {"abort configured, but error type not set"}},
        ValidateCase{"mirror percentage", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], mirror: {host: m}, mirrorPercentage: {value: 150}}]\n",
             {"mirror_percentage must have a max value of 100 (it has 150.000000)"}},
        ValidateCase{"deprecated mirrorPercent", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], mirror: {host: m}, mirrorPercent: 101}]\n",
             {"mirror_percent must have a max value of 100 (it has 101)"},
             {"using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead"}},
        ValidateCase{"mirror and mirrors", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], mirror: {host: m}, mirrors: [{destination: {host: "
             "n}}]}]\n",
             {"HTTP route cannot contain both mirror and mirrors"}},
        ValidateCase{"empty rewrite", "VirtualService", "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], rewrite: {}}]\n",
             {"rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite "
              "may be specified"}},
        ValidateCase{"regex rewrite needs both parts", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], rewrite: {uriRegexRewrite: {match: '^/a'}}}]\n",
             {"UriRegexRewrite has errors\nUriRegexRewrite requires both Rewrite and Match fields to be specified"}},
        ValidateCase{"authority set twice", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], rewrite: {authority: one}, headers: {request: {set: "
             "{host: two}}}}]\n",
             {"authority header cannot be set multiple times: have \"one\", attempting to set \"two\""}},
        ValidateCase{"pseudo header set", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], headers: {request: {set: {':path': /x}}, response: "
             "{remove: [Host]}}}]\n",
             {"invalid header \":path\": header cannot have \":\" prefix", "invalid header \"Host\": cannot set Host header"}},
        ValidateCase{"header value syntax", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}, headers: {request: {add: {x: '50%'}}}}]}]\n",
             {"header value configuration: invalid header configuration. Un-escaped %"}},
        ValidateCase{"CORS", "VirtualService",
             "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], corsPolicy: {allowMethods: [GET, FETCH], "
             "allowOrigins: [{exact: ''}], allowHeaders: ['bad header']}}]\n",
             {"'' is not a valid match type for CORS allow origins", "\"FETCH\" is not a supported HTTP method",
              "header name bad header is not a valid header name"}},
        ValidateCase{"exportTo duplicates the namespace", "VirtualService",
             "  hosts: [a]\n  exportTo: [default, '.']\n  http: [{route: [{destination: {host: a}}]}]\n",
             {"duplicate entries in exportTo: . and current namespace default"}},
        ValidateCase{"exportTo duplicates", "VirtualService",
             "  hosts: [a]\n  exportTo: ['.', default]\n  http: [{route: [{destination: {host: a}}]}]\n",
             {"duplicate entries in exportTo for entry default"}},
        ValidateCase{"exportTo public and private", "VirtualService",
             "  hosts: [a]\n  exportTo: ['*', other]\n  http: [{route: [{destination: {host: a}}]}]\n",
             {"cannot have both public (*) and non-public exportTo values for a resource"}},
        ValidateCase{"exportTo none", "VirtualService", "  hosts: [a]\n  exportTo: ['~']\n  http: [{route: [{destination: {host: a}}]}]\n",
             {"exportTo ~ (none) is not allowed for Istio configuration objects"}},
        ValidateCase{"root route with delegate and route", "VirtualService",
             "  hosts: [a]\n  http: [{delegate: {name: child}, route: [{destination: {host: a}}]}]\n",
             {"root HTTP route  must not specify route"}},
        ValidateCase{"delegate route cannot delegate", "VirtualService", "  http: [{delegate: {name: grandchild}}]\n",
             {"delegate HTTP route cannot contain delegate", "HTTP route, redirect or direct_response is required"}},
        ValidateCase{"JWT claims need a gateway", "VirtualService",
             "  hosts: [a]\n  http: [{match: [{headers: {'@request.auth.claims.sub': {exact: u}}}], route: [{destination: "
             "{host: a}}]}]\n",
             {"JWT claim based routing (key: @request.auth.claims.sub) is only supported for gateway, found no gateways: []"}},
        ValidateCase{"source labels", "VirtualService",
             "  hosts: [a]\n  http: [{match: [{sourceLabels: {'bad key': x}}], route: [{destination: {host: a}}]}]\n",
             {"invalid tag key: \"bad key\""}},
        ValidateCase{"overlapping prefix in the same rule warns", "VirtualService",
             "  hosts: [foo.bar]\n  http:\n  - route: [{destination: {host: foo.baz}}]\n"
             "    match: [{uri: {prefix: /api/v1/product}}, {uri: {prefix: /api/v1/products}, method: {exact: GET}}]\n",
             {},
             {"virtualService rule #0 match #1 of prefix /api/v1/products is not used (duplicate/overlapping match in "
              "rule #0 of prefix /api/v1/product on #0)"}},
        ValidateCase{"exact match after a prefix does not warn", "VirtualService",
             "  hosts: [foo.bar]\n  http:\n  - route: [{destination: {host: foo.baz}}]\n"
             "    match: [{uri: {prefix: /}}, {uri: {exact: /}, method: {exact: GET}}]\n",
             {}},
        ValidateCase{"unreachable rules warn", "VirtualService",
             "  hosts: [a]\n"
             "  http:\n"
             "  - match: [{uri: {prefix: /api}}]\n    name: api\n    route: [{destination: {host: a}}]\n"
             "  - match: [{uri: {prefix: /api/v1}}]\n    name: v1\n    route: [{destination: {host: a}}]\n"
             "  - match: [{uri: {prefix: /api}, name: again}]\n    route: [{destination: {host: a}}]\n"
             "  - route: [{destination: {host: a}}]\n"
             "  - route: [{destination: {host: b}}]\n",
             {},
             {"virtualService rule #2 match \"again\" is not used (duplicate/overlapping match in rule \"api\")",
              "virtualService rule #2 not used (all matches used by prior rules)",
              "virtualService rule #4 not used (only the last rule can have no matches)",
              "virtualService rule \"v1\" match #0 of prefix /api/v1 is not used (duplicate/overlapping match in rule #0 of "
              "prefix /api on \"api\")"}}));

INSTANTIATE_TEST_SUITE_P(
    DestinationRule, WebhookTable,
    ::testing::Values(
        ValidateCase{"valid", "DestinationRule",
             "  host: reviews\n"
             "  trafficPolicy:\n"
             "    loadBalancer: {simple: LEAST_REQUEST}\n"
             "    connectionPool: {http: {http1MaxPendingRequests: 10}}\n"
             "    outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}\n"
             "  subsets:\n"
             "  - {name: v1, labels: {version: v1}}\n"
             "  - {name: v2, labels: {version: v2}, trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x}}}}\n",
             {}},
        ValidateCase{"empty host", "DestinationRule", "  host: ''\n", {"empty domain name not allowed"}},
        ValidateCase{"wildcard host is fine", "DestinationRule", "  host: '*.example.com'\n", {}},
        ValidateCase{"duplicate subsets", "DestinationRule", "  host: a\n  subsets: [{name: v1}, {name: v1}]\n",
             {"duplicate subset names: v1"}},
        ValidateCase{"subset name", "DestinationRule", "  host: a\n  subsets: [{name: V.1}]\n", {"subset name is invalid: V.1"}},
        ValidateCase{"empty subset name", "DestinationRule", "  host: a\n  subsets: [{name: ''}]\n", {"subset name cannot be empty"}},
        ValidateCase{"subset label value", "DestinationRule", "  host: a\n  subsets: [{name: v1, labels: {version: 'a b'}}]\n",
             {"invalid tag value: \"a b\""}},
        ValidateCase{"empty traffic policy", "DestinationRule", "  host: a\n  trafficPolicy: {}\n",
             {"traffic policy must have at least one field"}},
        ValidateCase{"empty connection pool", "DestinationRule", "  host: a\n  trafficPolicy: {connectionPool: {}}\n",
             {"connection pool must have at least one field"}},
        ValidateCase{"maglev table size", "DestinationRule",
             "  host: a\n  trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x, maglev: {tableSize: 1000}}}}\n",
             {"tableSize must be a prime number for maglev"}},
        ValidateCase{"cookie name", "DestinationRule",
             "  host: a\n  trafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: ''}}}}\n",
             {"name required for HttpCookie"}},
        ValidateCase{"deprecated ring size warns", "DestinationRule",
             "  host: a\n  trafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true, minimumRingSize: 1024}}}\n",
             {},
             {"consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead"}},
        ValidateCase{"outlier percentages", "DestinationRule",
             "  host: a\n  trafficPolicy: {outlierDetection: {maxEjectionPercent: 150}}\n",
             {"percentage 150 is not in range 0..100"}},
        ValidateCase{"mutual tls needs a client certificate", "DestinationRule",
             "  host: a\n  trafficPolicy: {tls: {mode: MUTUAL}}\n",
             {"client certificate required for mutual tls", "private key required for mutual tls"}},
        ValidateCase{"locality weights", "DestinationRule",
             "  host: a\n  trafficPolicy:\n    outlierDetection: {consecutive5xxErrors: 1}\n"
             "    loadBalancer:\n      localityLbSetting:\n        distribute: [{from: us-west/*, to: {us-west/z1: 90}}]\n",
             {"total locality weight 90 != 100"}},
        ValidateCase{"port level settings", "DestinationRule",
             "  host: a\n  trafficPolicy: {portLevelSettings: [{port: {number: 80}}]}\n",
             {"port traffic policy must have at least one field"}},
        ValidateCase{"workload selector keeps exportTo local", "DestinationRule",
             "  host: a\n  exportTo: ['*']\n  workloadSelector: {matchLabels: {app: a}}\n",
             {"destination rule with workload selector cannot have exportTo beyond current namespace"}}));

INSTANTIATE_TEST_SUITE_P(
    ServiceEntry, WebhookTable,
    ::testing::Values(
        ValidateCase{"valid", "ServiceEntry",
             "  hosts: [api.example.com]\n  ports: [{number: 443, name: https, protocol: TLS}]\n  resolution: DNS\n"
             "  location: MESH_EXTERNAL\n",
             {}},
        ValidateCase{"no hosts", "ServiceEntry", "  hosts: []\n  ports: [{number: 80, name: http, protocol: HTTP}]\n",
             {"service entry must have at least one host"}},
        ValidateCase{"port protocol", "ServiceEntry", "  hosts: [a.example.com]\n  ports: [{number: 80, name: http, protocol: FOO}]\n",
             {"unsupported protocol: FOO"}},
        ValidateCase{"port name", "ServiceEntry", "  hosts: [a.example.com]\n  ports: [{number: 80, name: Bad_Name, protocol: HTTP}]\n",
             {"invalid port name: Bad_Name"}},
        ValidateCase{"DNS with wildcard host and no endpoints", "ServiceEntry",
             "  hosts: ['*.example.com']\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  resolution: DNS\n",
             {"hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode DNS, "
              "domain name \"*.example.com\" invalid (label \"*\" invalid)"}},
        ValidateCase{"static endpoints must be IPs", "ServiceEntry",
             "  hosts: [a.example.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  resolution: STATIC\n"
             "  endpoints: [{address: not-an-ip}, {address: 10.0.0.1, ports: {grpc: 9000}}]\n",
             {"endpoint address \"not-an-ip\" is not a valid IP address",
              "endpoint port 9000 is not defined by the service entry"}},
        ValidateCase{"several hosts on a TCP port", "ServiceEntry",
             "  hosts: [a.example.com, b.example.com]\n  addresses: [10.0.0.1]\n  ports: [{number: 3306, name: tcp, protocol: "
             "TCP}]\n  resolution: DNS\n",
             {"multiple hosts provided with non-HTTP, non-TLS ports"},
             {"service entry can not have more than one host specified simultaneously with address and tcp port"}},
        ValidateCase{"TCP port without addresses warns", "ServiceEntry",
             "  hosts: [db.example.com]\n  ports: [{number: 5432, name: tcp, protocol: TCP}]\n  resolution: DNS\n",
             {},
             {"addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled"}},
        ValidateCase{"partial wildcard warns", "ServiceEntry",
             "  hosts: ['*foo.example.com']\n  ports: [{number: 80, name: http, protocol: HTTP}]\n",
             {},
             {"partial wildcard \"*foo.example.com\" not allowed"}},
        ValidateCase{"DNS round robin with two endpoints", "ServiceEntry",
             "  hosts: [a.example.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  resolution: DNS\n"
             "  endpoints: [{address: a.example.com}, {address: 'b_c.example.com'}]\n",
             {"endpoint address \"b_c.example.com\" is not a valid FQDN or an IP address"}}));

// ---- the webhook's answer -----------------------------------------------------------------------

TEST(ValidateTest, WebhookMessageForOneError) {
  auto r = check("VirtualService", "  hosts: [a]\n  http: [{route: [{destination: {host: a}}, {destination: {host: b}}]}]\n");
  EXPECT_EQ(r.webhook_message(), "configuration is invalid: total destination weight = 0");
}

TEST(ValidateTest, WebhookMessageListsSeveralErrors) {
  auto r = check("VirtualService",
                 "  hosts: [a]\n  http: [{route: [{destination: {host: a}, weight: -1}, {destination: {host: b}, weight: 1}]}]\n");
  EXPECT_EQ(r.webhook_message(),
            "configuration is invalid: 2 errors occurred:\n"
            "\t* weight -1 < 0\n"
            "\t* total destination weight = 0");
}

TEST(ValidateTest, SomeSingleErrorsAreListsInIstio) {
  auto r = check("VirtualService", "  hosts: [a]\n  http: [{route: [{destination: {host: a}}], retries: {attempts: -1}}]\n");
  EXPECT_EQ(r.errors, Strings{"attempts cannot be negative"});
  EXPECT_TRUE(r.error_list);
  EXPECT_EQ(r.webhook_message(), "configuration is invalid: 1 error occurred:\n\t* attempts cannot be negative");
}

TEST(ValidateTest, AcceptedObjectsHaveNoDenial) {
  auto r = check("Gateway", kGoodServer, "gw");
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.webhook_message(), "");
}

TEST(ValidateTest, GatewayNameMustBeADnsLabel) {
  auto r = check("Gateway", kGoodServer, "my.gateway");
  EXPECT_EQ(r.errors, Strings{"invalid gateway name: \"my.gateway\""});
}

TEST(ValidateTest, DryRunAnnotationIsRefused) {
  auto r = validate(validation_object_of(istio_yaml("VirtualService", "  hosts: [a]\n  http: [{route: [{destination: {host: a}}]}]\n", "vs",
                                    "  annotations: {istio.io/dry-run: 'true'}\n")));
  EXPECT_EQ(r.errors, Strings{"default/vs has unsupported annotation istio.io/dry-run, please remove the annotation"});
}

TEST(ValidateTest, OtherKindsAlwaysPass) {
  EXPECT_TRUE(validate(validation_object_of("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {bogus: 1}\n")).ok());
  EXPECT_TRUE(validate(validation_object_of("apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: s}\nspec: {x: 1}\n")).ok());
  EXPECT_FALSE(is_webhook_kind("networking.istio.io", "Sidecar"));
  EXPECT_TRUE(is_webhook_kind("networking.istio.io", "ServiceEntry"));
}

TEST(ValidateTest, EveryApiVersionIsValidatedAlike) {
  for (const char* version : {"v1alpha3", "v1beta1", "v1"}) {
    auto r = validate(validation_object_of(std::string("apiVersion: networking.istio.io/") + version +
                                "\nkind: VirtualService\nmetadata: {name: vs}\nspec: {hosts: [a]}\n"));
    EXPECT_EQ(r.errors, Strings{"http, tcp or tls must be provided in virtual service"}) << version;
  }
}

TEST(ValidateTest, MissingSpecIsValidatedAsEmpty) {
  auto r = validate(validation_object_of("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw}\n"));
  EXPECT_EQ(r.errors, Strings{"gateway must have at least one server"});
}

// The server cases of Istio's own TestValidateServer, written as Gateways: the error text must
// contain `want` ("" = accepted).
TEST(ValidateTest, GatewayServersAsIstiosTestsExpect) {
  struct ServerCase {
    const char* title;
    const char* server;
    const char* want;
  } cases[] = {
      {"happy", "hosts: [foo.bar.com], port: {number: 7, name: http, protocol: http}", ""},
      {"happy ip", "hosts: [1.1.1.1], port: {number: 7, name: http, protocol: http}", ""},
      {"happy ns/name", "hosts: [ns1/foo.bar.com], port: {number: 7, name: http, protocol: http}", ""},
      {"happy */name", "hosts: ['*/foo.bar.com'], port: {number: 7, name: http, protocol: http}", ""},
      {"happy ./name", "hosts: [./foo.bar.com], port: {number: 7, name: http, protocol: http}", ""},
      {"invalid ~/name", "hosts: [~/foo.bar.com], port: {number: 7, name: http, protocol: http}", "namespace"},
      {"invalid domain ns/name", "hosts: [ns1/foo.*.bar.com], port: {number: 7, name: http, protocol: http}", "domain"},
      {"invalid domain", "hosts: [foo.*.bar.com], port: {number: 7, name: http, protocol: http}", "domain"},
      {"short name", "hosts: [foo], port: {number: 7, name: http, protocol: http}", "short names"},
      {"invalid port", "hosts: [foo.bar.com], port: {number: 66000, name: http, protocol: http}", "port"},
      {"invalid tls options", "hosts: [foo.bar.com], port: {number: 1, name: http, protocol: http}, tls: {mode: SIMPLE}",
       "TLS"},
      {"no tls on HTTPS", "hosts: [foo.bar.com], port: {number: 10000, name: https, protocol: https}", "must have TLS"},
      {"tls on HTTP", "hosts: [foo.bar.com], port: {number: 10000, name: http, protocol: http}, tls: {mode: SIMPLE}",
       "cannot have TLS"},
      {"tls redirect on HTTP",
       "hosts: [foo.bar.com], port: {number: 10000, name: http, protocol: http}, tls: {httpsRedirect: true}", ""},
      {"bind ip", "hosts: [foo.bar.com], port: {number: 7, name: http, protocol: http}, bind: 127.0.0.1", ""},
      {"bind unix path with a port", "hosts: [foo.bar.com], port: {number: 7, name: http, protocol: http}, bind: "
       "'unix://@foobar'",
       "port number must be 0 for unix domain socket"},
      {"bind unix path", "hosts: [foo.bar.com], port: {number: 0, name: http, protocol: http}, bind: 'unix://@foobar'", ""},
      {"bind bad ip", "hosts: [foo.bar.com], port: {number: 0, name: http, protocol: http}, bind: foo.bar",
       "foo.bar is not a valid IP"},
  };
  for (const auto& c : cases) {
    const std::string spec = std::string("  servers:\n  - {") + c.server + "}\n";
    EXPECT_TRUE(model::check_crd_schema(validation_object_of(istio_yaml("Gateway", spec, "gw"))).empty()) << c.title;
    auto r = check("Gateway", spec, "gw");
    std::string all;
    for (const auto& e : r.errors) all += e + "\n";
    if (std::string(c.want).empty()) {
      EXPECT_TRUE(r.errors.empty()) << c.title << ": " << all;
    } else {
      EXPECT_NE(all.find(c.want), std::string::npos) << c.title << ": " << all;
    }
  }
}

}  // namespace
}  // namespace gwsim::validation
