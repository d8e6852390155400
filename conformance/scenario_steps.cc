// A scenario's steps: request, apply, delete, scale and pods (docs/scenario-format.md).
#include <arpa/inet.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "conformance/scenario.h"
#include "conformance/scenario_parser.h"
#include "engine/http/request.h"
#include "engine/model/snapshot.h"
#include "engine/model/yaml_json.h"
#include "engine/router/jwt_authn.h"
#include "engine/text/ascii.h"

namespace gwsim::conformance::detail {

namespace {

// Spaces and control characters cannot be written into a request line or a Host header.
bool has_space_or_control(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
}

bool is_ip_address(const std::string& text) {
  unsigned char address[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, text.c_str(), address) == 1 || ::inet_pton(AF_INET6, text.c_str(), address) == 1;
}

bool has_header(const HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers)
    if (text::iequals(k, name)) return true;
  return false;
}

}  // namespace

// A request's `jwt`: {key, claims, expired, notYetValid, wrongKey, header, prefix, param}. The
// token goes in `header` (default Authorization, with prefix "Bearer "), or in the query
// parameter `param`.
void ScenarioParser::parse_request_jwt(const Node& node, const std::string& path, RequestSpec& r) {
  if (!p_.mapping(node, path, {"key", "claims", "expired", "notYetValid", "wrongKey", "header", "prefix", "param"}))
    return;
  if (!node["key"].IsDefined()) {
    p_.error(node, path + ".key is required: the name of a key of spec.jwtKeys");
    return;
  }
  auto key_name = p_.string(node["key"], path + ".key");
  if (!key_name) return;
  auto key = jwt_keys_.find(*key_name);
  if (key == jwt_keys_.end()) {
    std::string declared;
    for (const auto& [name, k] : jwt_keys_) declared += (declared.empty() ? "" : ", ") + name;
    p_.error(node["key"], path + ".key: \"" + *key_name + "\" is not declared in spec.jwtKeys" +
                              (declared.empty() ? std::string(" (there are none)") : " (declared: " + declared + ")"));
    return;
  }
  JwtMint mint;
  mint.key = *key_name;
  if (node["claims"].IsDefined()) {
    if (!node["claims"].IsMap()) {
      p_.error(node["claims"], path + ".claims: expected a mapping of claims" + StrictYamlReader::kind_suffix(node["claims"]));
      return;
    }
    model::PositionMap positions;
    mint.claims = model::yaml_to_json(node["claims"], p_.file(), positions, "");
  }
  for (auto [field, flag] : {std::pair{"expired", &mint.expired}, std::pair{"notYetValid", &mint.not_yet_valid},
                             std::pair{"wrongKey", &mint.wrong_key}}) {
    if (node[field].IsDefined()) *flag = p_.boolean(node[field], path + "." + field).value_or(false);
  }
  const std::string token = mint_token(key->second, mint, router::jwt_clock_now());
  r.minted_token = token;
  r.minted_description = "<jwt " + *key_name + " " + mint.claims.dump() + (mint.expired ? " expired" : "") +
                         (mint.not_yet_valid ? " notYetValid" : "") + (mint.wrong_key ? " wrongKey" : "") + ">";
  if (node["param"].IsDefined()) {
    if (node["header"].IsDefined() || node["prefix"].IsDefined())
      p_.error(node["param"], path + ".param: not with header or prefix (the token goes in one place)");
    if (auto param = p_.string(node["param"], path + ".param")) {
      r.path += (r.path.find('?') == std::string::npos ? "?" : "&") + *param + "=" + token;
    }
    return;
  }
  std::string header = "Authorization";
  if (node["header"].IsDefined()) header = p_.string(node["header"], path + ".header").value_or(header);
  std::string prefix = text::iequals(header, "Authorization") ? "Bearer " : "";
  if (node["prefix"].IsDefined()) prefix = p_.string(node["prefix"], path + ".prefix").value_or(prefix);
  if (has_header(r.headers, header)) {
    p_.error(node, path + ": the request's headers already set " + header + " (a verbatim token goes in headers, a minted one here)");
    return;
  }
  r.headers.emplace_back(header, prefix + token);
}

std::optional<RequestSpec> ScenarioParser::parse_request(const Node& node, const std::string& path) {
  if (!p_.mapping(node, path, {"gateway", "port", "scheme", "host", "sni", "method", "path", "headers", "count",
                               "clientCertificate", "sourceIP", "grpc", "upgrade", "protocol", "jwt"}))
    return std::nullopt;
  RequestSpec r;
  std::size_t errors_before = p_.errors.size();
  if (node["gateway"].IsDefined()) {
    if (auto v = p_.string(node["gateway"], path + ".gateway")) {
      if (v->empty() || v->front() == '/' || v->back() == '/' || std::count(v->begin(), v->end(), '/') > 1)
        p_.error(node["gateway"], path + ".gateway: expected a Service as namespace/name, got \"" + *v + "\"");
      r.gateway = v->find('/') == std::string::npos ? "default/" + *v : *v;
    }
  }
  if (node["scheme"].IsDefined()) {
    if (auto v = p_.string(node["scheme"], path + ".scheme")) {
      if (*v != "http" && *v != "https")
        p_.error(node["scheme"], path + ".scheme: expected http or https, got \"" + *v + "\"");
      r.scheme = *v;
    }
  }
  r.port = r.scheme == "https" ? 443 : 80;
  if (node["port"].IsDefined())
    if (auto v = p_.integer(node["port"], path + ".port", 1, 65535)) r.port = static_cast<std::uint32_t>(*v);
  if (node["host"].IsDefined())
    if (auto v = p_.string(node["host"], path + ".host")) {
      if (has_space_or_control(*v))
        p_.error(node["host"], path + ".host: may not contain spaces or control characters");
      r.host = *v;
    }
  if (node["sni"].IsDefined()) {
    if (auto v = p_.string(node["sni"], path + ".sni")) r.sni = *v;
  } else if (r.scheme == "https") {
    // Default SNI: the host without its port (IPv6 literals keep their brackets).
    r.sni = std::string(http::host_without_port(r.host));
  }
  if (node["method"].IsDefined())
    if (auto v = p_.string(node["method"], path + ".method")) {
      if (!is_http_token(*v)) p_.error(node["method"], path + ".method: not an HTTP method (RFC 9110 token), got \"" + *v + "\"");
      r.method = *v;
    }
  if (node["path"].IsDefined()) {
    if (auto v = p_.string(node["path"], path + ".path")) {
      if (v->empty() || (v->front() != '/' && *v != "*"))
        p_.error(node["path"], path + ".path: must start with '/', got \"" + *v + "\"");
      else if (has_space_or_control(*v))
        p_.error(node["path"], path + ".path: may not contain spaces or control characters (percent-encode them)");
      r.path = *v;
    }
  }
  if (node["headers"].IsDefined()) r.headers = p_.header_list(node["headers"], path + ".headers");
  if (node["jwt"].IsDefined()) parse_request_jwt(node["jwt"], path + ".jwt", r);
  if (node["count"].IsDefined())
    if (auto v = p_.integer(node["count"], path + ".count", 1, 1000000)) r.count = static_cast<int>(*v);
  if (node["clientCertificate"].IsDefined()) {
    if (auto v = p_.boolean(node["clientCertificate"], path + ".clientCertificate")) r.client_certificate = *v;
  }
  if (node["sourceIP"].IsDefined()) {
    if (auto v = p_.string(node["sourceIP"], path + ".sourceIP")) {
      if (!is_ip_address(*v))
        p_.error(node["sourceIP"], path + ".sourceIP: expected an IPv4 or IPv6 address, got \"" + *v + "\"");
      r.source_ip = *v;
    }
  }
  if (node["protocol"].IsDefined()) {
    if (auto v = p_.string(node["protocol"], path + ".protocol")) {
      if (*v != "HTTP/1.0" && *v != "HTTP/1.1" && *v != "HTTP/2")
        p_.error(node["protocol"], path + ".protocol: expected HTTP/1.0, HTTP/1.1 or HTTP/2, got \"" + *v + "\"");
      r.protocol = *v;
    }
  }
  if (node["upgrade"].IsDefined()) {
    if (auto v = p_.string(node["upgrade"], path + ".upgrade")) {
      if (*v != "websocket")
        p_.error(node["upgrade"], path + ".upgrade: expected websocket, got \"" + *v + "\"");
      else if (r.protocol != "HTTP/1.1")
        p_.error(node["upgrade"], path + ".upgrade: a websocket upgrade is an HTTP/1.1 request; remove protocol: " +
                                      r.protocol);
      r.upgrade = *v;
    }
  }
  const Node grpc = node["grpc"];
  if (grpc.IsDefined() && p_.mapping(grpc, path + ".grpc", {"service", "method"})) {
    std::string service, method;
    for (const char* key : {"service", "method"}) {
      std::string field = path + ".grpc." + key;
      if (!grpc[key].IsDefined()) {
        p_.error(grpc, field + " is required");
      } else if (auto v = p_.string(grpc[key], field)) {
        if (v->empty() || v->find('/') != std::string::npos)
          p_.error(grpc[key], field + ": expected a name without '/', got \"" + *v + "\"");
        (std::string_view(key) == "service" ? service : method) = *v;
      }
    }
    for (const char* key : {"method", "path"})
      if (node[key].IsDefined())
        p_.error(node[key], path + "." + key + ": not with grpc (a gRPC call is POST /<service>/<method>)");
    if (node["upgrade"].IsDefined()) p_.error(node["upgrade"], path + ".upgrade: not with grpc");
    if (node["protocol"].IsDefined() && r.protocol != "HTTP/2")
      p_.error(node["protocol"], path + ".protocol: gRPC runs over HTTP/2; remove protocol or say HTTP/2");
    // What a gRPC client sends (gRPC over HTTP/2, "Requests"): POST to /<service>/<method>,
    // content-type application/grpc, te: trailers.
    r.grpc = std::make_pair(service, method);
    r.method = "POST";
    r.path = "/" + service + "/" + method;
    r.protocol = "HTTP/2";
    if (!has_header(r.headers, "content-type")) r.headers.emplace_back("content-type", "application/grpc");
    if (!has_header(r.headers, "te")) r.headers.emplace_back("te", "trailers");
  }
  if (!r.upgrade.empty()) {
    // What a WebSocket client sends (RFC 6455 section 4.1), with the key of the RFC's example,
    // and the header with which Istio's echo client asks the echo app for its WebSocket echo
    // (pkg/test/echo/common/websocket.go, SetWebSocketHeader).
    for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
             {"Connection", "Upgrade"},
             {"Upgrade", "websocket"},
             {"Sec-WebSocket-Version", "13"},
             {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
             {"testwebsocket", "enabled"}})
      if (!has_header(r.headers, name)) r.headers.emplace_back(name, value);
  }
  if (p_.errors.size() != errors_before) return std::nullopt;
  return r;
}


std::optional<std::vector<DeleteTarget>> ScenarioParser::parse_delete(const Node& node, const std::string& path) {
  if (!node.IsSequence() || node.size() == 0) {
    p_.error(node, path + ": expected a non-empty list of {kind, namespace, name}" + StrictYamlReader::kind_suffix(node));
    return std::nullopt;
  }
  std::vector<DeleteTarget> targets;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const Node item = node[i];
    std::string ip = path + "[" + std::to_string(i) + "]";
    if (!p_.mapping(item, ip, {"apiVersion", "kind", "namespace", "name"})) continue;
    DeleteTarget t;
    if (item["apiVersion"].IsDefined()) t.api_version = p_.string(item["apiVersion"], ip + ".apiVersion").value_or("");
    if (!item["kind"].IsDefined()) {
      p_.error(item, ip + ".kind is required");
    } else if (auto kind = p_.string(item["kind"], ip + ".kind")) {
      t.kind = *kind;
      if (t.api_version.empty()) {
        t.api_version = detail::api_version_for_kind(*kind);
        if (t.api_version.empty()) {
          std::string hint = text::closest_name(*kind, detail::shorthand_kinds());
          p_.error(item["kind"], ip + ".kind: unknown kind \"" + *kind + "\"" +
                                     (hint.empty() ? " (give apiVersion too)" : "; did you mean \"" + hint + "\"?"));
        }
      }
    }
    if (item["namespace"].IsDefined()) t.namespace_ = p_.string(item["namespace"], ip + ".namespace").value_or("default");
    if (!item["name"].IsDefined())
      p_.error(item, ip + ".name is required");
    else
      t.name = p_.string(item["name"], ip + ".name").value_or("");
    targets.push_back(t);
  }
  return targets;
}

std::optional<ScaleSpec> ScenarioParser::parse_scale(const Node& node, const std::string& path) {
  if (!p_.mapping(node, path, {"deployment", "replicas"})) return std::nullopt;
  ScaleSpec s;
  if (!node["deployment"].IsDefined()) {
    p_.error(node, path + ".deployment is required (namespace/name)");
  } else if (auto v = p_.string(node["deployment"], path + ".deployment")) {
    auto slash = v->find('/');
    if (slash == std::string::npos) {
      s.deployment = *v;
    } else {
      s.namespace_ = v->substr(0, slash);
      s.deployment = v->substr(slash + 1);
    }
    if (s.deployment.empty() || s.namespace_.empty())
      p_.error(node["deployment"], path + ".deployment: expected namespace/name, got \"" + *v + "\"");
  }
  if (!node["replicas"].IsDefined())
    p_.error(node, path + ".replicas is required");
  else if (auto v = p_.integer(node["replicas"], path + ".replicas", 0, 10000))
    s.replicas = static_cast<int>(*v);
  return s;
}

std::optional<PodsSpec> ScenarioParser::parse_pods(const Node& node, const std::string& path) {
  if (!p_.mapping(node, path, {"namespace", "selector", "name", "count", "respond", "refuse", "ready", "reset"}))
    return std::nullopt;
  PodsSpec s;
  if (node["namespace"].IsDefined()) s.namespace_ = p_.string(node["namespace"], path + ".namespace").value_or("default");
  bool has_selector = node["selector"].IsDefined();
  bool has_name = node["name"].IsDefined();
  if (has_selector == has_name)
    p_.error(node, path + ": give exactly one of `selector` (labels) or `name` (one pod)");
  if (has_selector) {
    for (auto& [k, v] : p_.string_map(node["selector"], path + ".selector")) s.selector[k] = v;
    if (s.selector.empty() && node["selector"].IsMap())
      p_.error(node["selector"], path + ".selector: empty; use at least one label");
  }
  if (has_name) s.name = p_.string(node["name"], path + ".name").value_or("");
  if (node["count"].IsDefined())
    if (auto v = p_.integer(node["count"], path + ".count", 1, 100000)) s.count = static_cast<int>(*v);
  const Node respond = node["respond"];
  if (respond.IsDefined() && p_.mapping(respond, path + ".respond", {"status", "delay"})) {
    PodRespond r;
    if (respond["status"].IsDefined())
      if (auto v = p_.integer(respond["status"], path + ".respond.status", 100, 599)) r.status = static_cast<int>(*v);
    if (respond["delay"].IsDefined()) {
      if (auto text = p_.string(respond["delay"], path + ".respond.delay")) {
        auto ms = model::parse_duration(*text);
        if (ms.ok() && *ms < 0)
          p_.error(respond["delay"], path + ".respond.delay: must not be negative, got \"" + *text + "\"");
        else if (ms.ok())
          r.delay_ms = *ms;
        else
          p_.error(respond["delay"], path + ".respond.delay: " + ms.error().message);
      }
    }
    // Only when neither is written: a field given but refused has its own error.
    if (!respond["status"].IsDefined() && !respond["delay"].IsDefined())
      p_.error(respond, path + ".respond: give `status` and/or `delay`");
    s.respond = r;
  }
  if (node["refuse"].IsDefined()) s.refuse = p_.boolean(node["refuse"], path + ".refuse");
  if (node["ready"].IsDefined()) s.ready = p_.boolean(node["ready"], path + ".ready");
  if (node["reset"].IsDefined()) s.reset = p_.boolean(node["reset"], path + ".reset").value_or(false);
  if (!respond.IsDefined() && !node["refuse"].IsDefined() && !node["ready"].IsDefined() && !node["reset"].IsDefined())
    p_.error(node, path + ": nothing to change; give respond, refuse, ready or reset");
  return s;
}

void ScenarioParser::parse_step(const Node& node, std::size_t index, Scenario& scenario,
                                std::set<std::string>& names) {
  static const std::vector<std::string> kActions = {"request", "apply", "delete", "scale", "pods", "object"};
  std::string path = "steps[" + std::to_string(index) + "]";
  std::vector<std::string> fields = kActions;
  fields.push_back("name");
  fields.push_back("expect");
  if (!p_.mapping(node, path, fields)) return;

  Step step;
  step.where = p_.where(node);
  std::vector<std::string> actions;
  for (const auto& a : kActions)
    if (node[a].IsDefined()) actions.push_back(a);
  if (actions.empty()) {
    p_.error(node, path + ": no action; each step has exactly one of " + join(kActions));
    return;
  }
  if (actions.size() > 1) {
    p_.error(node, path + ": " + std::to_string(actions.size()) + " actions (" + join(actions) +
                       "); each step has exactly one");
    return;
  }
  const std::string& action = actions.front();

  if (node["name"].IsDefined()) {
    if (auto v = p_.string(node["name"], path + ".name")) {
      if (v->empty()) p_.error(node["name"], path + ".name: must not be empty");
      step.name = *v;
    }
  } else {
    step.name = action + " #" + std::to_string(index + 1);
  }
  if (!step.name.empty() && !names.insert(step.name).second)
    p_.error(node["name"].IsDefined() ? node["name"] : node,
             path + ": step name \"" + step.name + "\" is used twice in this scenario");
  if (node["name"].IsDefined()) path += " (" + step.name + ")";

  const Node expect = node["expect"];
  if (action == "object") {
    // An object step always checks something: without `expect`, that the object exists.
    std::optional<ObjectExpectation> object =
        expect.IsDefined() ? parse_object_expect(expect, path + ".expect") : ObjectExpectation{};
    if (object) {
      step.expect = Expectation{};
      step.expect->object = std::move(object);
    }
  } else if (expect.IsDefined()) {
    step.expect = parse_expect(expect, path + ".expect");
    if (step.expect) {
      if (action == "request" && step.expect->rejected)
        p_.error(expect["rejected"], path + ".expect.rejected: only apply steps can be rejected");
      if (action == "apply") {
        for (auto it = expect.begin(); it != expect.end(); ++it)
          if (it->first.Scalar() != "rejected")
            p_.error(it->first, path + ".expect." + it->first.Scalar() +
                                    ": an apply step can only check `rejected`; send a request to check routing");
      }
      if (action != "request" && action != "apply")
        p_.error(expect, path + ".expect: a " + action + " step cannot have expectations; follow it with a request step");
    }
  }

  const Node body = node[action];
  std::string apath = path + "." + action;
  if (action == "request") {
    auto r = parse_request(body, apath);
    if (!r) return;
    if (step.expect && step.expect->distribution && r->count < 2)
      p_.error(expect["distribution"], path + ".expect.distribution: needs request.count > 1");
    step.action = std::move(*r);
  } else if (action == "apply") {
    if (!p_.mapping(body, apath, {"manifests", "resources"})) return;
    if (!body["manifests"].IsDefined() && !body["resources"].IsDefined())
      p_.error(body, apath + ": give manifests and/or resources");
    ApplySpec apply;
    parse_apply(body, apath, apply, step.expect && step.expect->rejected);
    step.action = std::move(apply);
  } else if (action == "delete") {
    auto d = parse_delete(body, apath);
    if (!d) return;
    step.action = std::move(*d);
  } else if (action == "scale") {
    auto s = parse_scale(body, apath);
    if (!s) return;
    step.action = std::move(*s);
  } else if (action == "pods") {
    auto s = parse_pods(body, apath);
    if (!s) return;
    step.action = std::move(*s);
  } else {
    auto o = parse_object(body, apath);
    if (!o || !step.expect) return;
    step.action = std::move(*o);
  }
  scenario.steps.push_back(std::move(step));
}

}  // namespace gwsim::conformance::detail
