// Istio's webhook for Gateway: paraphrases pkg/config/validation/validation.go ValidateGateway,
// validateServer, validateServerPort and validateTLSOptions, check by check, with its messages.
#include <set>

#include "engine/validation/detail_fields.h"
#include "engine/validation/detail_kinds.h"
#include "engine/validation/detail_rules.h"

namespace gwsim::validation::detail {

namespace {

Errors validate_server_tls(const Json* tls) {
  Errors e;
  if (!tls) return e;
  const Json& t = *tls;
  std::string mode = string_member(t, "mode");
  if (mode.empty()) mode = "PASSTHROUGH";  // the enum's zero value
  std::string min_version = string_member(t, "minProtocolVersion");
  std::vector<std::string> ciphers = strings(t, "cipherSuites");
  if ((min_version == "TLSV1_0" || min_version == "TLSV1_1") && ciphers.empty()) {
    e.warn("TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.");
  }
  std::set<std::string> invalid, valid, duplicate;
  for (const auto& cs : ciphers) {
    if (!is_valid_cipher_suite(cs)) invalid.insert(cs);
    else if (!valid.insert(cs).second) duplicate.insert(cs);
  }
  if (!invalid.empty()) e.warn("ignoring invalid cipher suites: " + go_list({invalid.begin(), invalid.end()}));
  if (!duplicate.empty()) e.warn("ignoring duplicate cipher suites: " + go_list({duplicate.begin(), duplicate.end()}));

  const std::string cert = string_member(t, "serverCertificate"), key = string_member(t, "privateKey"),
                    ca = string_member(t, "caCertificates");
  const std::string credential = string_member(t, "credentialName"), crl = string_member(t, "caCrl");
  const bool credential_names = !list(t, "credentialNames").empty();
  const Json& tls_certificates = list(t, "tlsCertificates");
  if (mode == "ISTIO_MUTUAL") {
    if (!cert.empty()) e.add("ISTIO_MUTUAL TLS cannot have associated server certificate");
    if (!key.empty()) e.add("ISTIO_MUTUAL TLS cannot have associated private key");
    if (!ca.empty()) e.add("ISTIO_MUTUAL TLS cannot have associated CA bundle");
    if (!tls_certificates.empty()) e.add("ISTIO_MUTUAL TLS cannot have associated tlsCertificates");
    if (!credential.empty()) e.add("ISTIO_MUTUAL TLS cannot have associated credentialName");
    if (credential_names) e.add("ISTIO_MUTUAL TLS cannot have associated credentialNames");
    return e;
  }
  if ((mode == "PASSTHROUGH" || mode == "AUTO_PASSTHROUGH") &&
      (!crl.empty() || !cert.empty() || !key.empty() || !ca.empty() || !tls_certificates.empty() || !credential.empty() ||
       credential_names)) {
    e.warn(mode + " mode does not use certificates, they will be ignored");
  }
  int sources = (!cert.empty() && !key.empty()) + !credential.empty() + credential_names + !tls_certificates.empty();
  if (sources > 1) {
    e.add("only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified");
  }
  const bool terminating = mode == "SIMPLE" || mode == "MUTUAL" || mode == "OPTIONAL_MUTUAL";
  if (terminating && (!credential.empty() || credential_names)) return e;  // certificates come from the credential
  if (terminating) {
    std::string prefix = mode == "SIMPLE" ? "SIMPLE TLS" : "MUTUAL TLS";
    if (mode != "SIMPLE" && ca.empty()) e.add(prefix + " requires a client CA bundle");
    if (tls_certificates.size() > 2) e.warn(prefix + " can support up to 2 server certificates");
    std::vector<std::pair<std::string, std::string>> certs;
    if (!tls_certificates.empty()) {
      for (const auto& c : tls_certificates)
        certs.emplace_back(string_member(c, "serverCertificate"), string_member(c, "privateKey"));
    } else {
      certs.emplace_back(cert, key);
    }
    for (const auto& [c, k] : certs) {
      if (c.empty()) e.add(prefix + " requires a server certificate");
      if (k.empty()) e.add(prefix + " requires a private key");
    }
  }
  if (!crl.empty()) {
    if (!credential.empty()) e.add("CRL is not supported with credentialName. CRL has to be specified in the credential");
    if (mode == "SIMPLE") e.add("CRL is not supported with SIMPLE TLS");
  }
  return e;
}

Errors validate_server(const Json& server) {
  Errors e;
  std::vector<std::string> hosts = strings(server, "hosts");
  if (hosts.empty()) e.add("server config must contain at least one host");
  for (const auto& h : hosts) e.add(validate_gateway_server_host(h));

  const Json* port = get(server, "port");
  const std::string bind = string_member(server, "bind");
  Errors port_errors;
  if (!port) {
    port_errors.add("port is required");
  } else {
    if (parse_protocol(string_member(*port, "protocol")).empty()) {
      port_errors.add("invalid protocol " + go_quote(string_member(*port, "protocol")) +
                      ", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP");
    }
    if (integer(*port, "number") > 0 || bind.rfind("unix://", 0) != 0) port_errors.add(validate_port(integer(*port, "number")));
    if (integer(*port, "targetPort") > 0) port_errors.add("targetPort has no impact on Gateways");
    if (string_member(*port, "name").empty()) port_errors.add("port name must be set: " + port_text(*port));
  }
  e.add(port_errors);

  if (bind.rfind("unix://", 0) == 0) {
    e.add(validate_unix_address(bind.substr(7)));
    if (port && integer(*port, "number") != 0) e.add("port number must be 0 for unix domain socket: " + port_text(*port));
  } else if (!bind.empty()) {
    e.add(validate_ip_address(bind));
  }
  const Json* tls = get(server, "tls");
  e.add(validate_server_tls(tls));

  if (port_errors.empty() && port) {
    std::string p = parse_protocol(string_member(*port, "protocol"));
    if (protocol_is_tls(p) && !tls) {
      e.add("server must have TLS settings for HTTPS/TLS protocols");
    } else if (!protocol_is_tls(p) && tls) {
      if (protocol_is_http(p)) {
        std::string mode = string_member(*tls, "mode");
        bool passthrough = mode.empty() || mode == "PASSTHROUGH" || mode == "AUTO_PASSTHROUGH";
        if (!passthrough || !string_member(*tls, "caCertificates").empty() ||
            !string_member(*tls, "privateKey").empty() || !string_member(*tls, "serverCertificate").empty()) {
          e.add("server cannot have TLS settings for plain text HTTP ports");
        }
      } else {
        e.add("server cannot have TLS settings for non HTTPS/TLS ports");
      }
    }
  }
  return e;
}

}  // namespace

Errors validate_gateway(const model::Object& object, const Json& spec) {
  Errors e;
  if (!is_dns1123_label(object.name())) e.add("invalid gateway name: " + go_quote(object.name()));
  const Json& servers = list(spec, "servers");
  if (servers.empty()) e.add("gateway must have at least one server");
  for (const auto& s : servers) e.add(validate_server(s));
  std::set<std::string> port_names;
  for (const auto& s : servers) {
    const Json* port = get(s, "port");
    if (!port) continue;
    std::string name = string_member(*port, "name");
    if (!port_names.insert(name).second) e.add("port names in servers must be unique: duplicate name " + name);
    const Json* tls = get(s, "tls");
    if (!protocol_is_http(parse_protocol(string_member(*port, "protocol"))) && tls && boolean(*tls, "httpsRedirect")) {
      e.warn("tls.httpsRedirect should only be used with http servers");
    }
  }
  return e;
}


}  // namespace gwsim::validation::detail
