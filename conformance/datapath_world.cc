#include "conformance/datapath_world.h"

#include <chrono>
#include <condition_variable>

#include "conformance/world.h"
#include "runtime/http_client.h"
#include "engine/datapath/listen.h"
#include "engine/datapath/tls.h"
#include "engine/match/decide.h"

namespace gwsim::conformance {

namespace {

std::string ip_of(const std::string& address) {
  auto colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

}  // namespace

struct DatapathSender::Impl {
  runtime::ControlPlane& cluster;
  DatapathOptions options;
  // A client certificate of our own for MUTUAL servers (a scenario's Secret has no CA key):
  // the proxies trust its CA besides the Secret's.
  datapath::CertificatePem client_ca;
  datapath::CertificatePem client_certificate;
  std::shared_ptr<datapath::ssl::context> tls_plain;
  std::shared_ptr<datapath::ssl::context> tls_with_certificate;

  std::mutex mu;
  std::condition_variable logged;
  std::map<std::string, datapath::AccessLogEntry> log;  // by the client's "ip:port"

  Impl(runtime::ControlPlane& c, DatapathOptions o) : cluster(c), options(o) {
    datapath::CertificateRequest ca_request;
    ca_request.common_name = "gwsim datapath client CA";
    ca_request.is_ca = true;
    if (auto ca = datapath::make_certificate(ca_request); ca.ok()) {
      client_ca = ca.value();
      datapath::CertificateRequest leaf;
      leaf.common_name = "gwsim-datapath-client";
      leaf.client = true;
      if (auto cert = datapath::make_certificate(leaf, &client_ca); cert.ok()) client_certificate = cert.value();
    }
    if (auto ctx = datapath::make_client_context(); ctx.ok()) tls_plain = ctx.value();
    if (!client_certificate.certificate.empty())
      if (auto ctx = datapath::make_client_context(&client_certificate); ctx.ok()) tls_with_certificate = ctx.value();
  }

  void record(const datapath::AccessLogEntry& entry) {
    {
      std::lock_guard lock(mu);
      if (log.size() > 10000) log.clear();  // entries nobody asked for (bounded)
      log[entry.downstream_remote] = entry;
    }
    logged.notify_all();
  }

  // The proxy logs before it answers, so an answered request's entry is there already. A
  // connection it closed during a handshake (TLS 1.3 reports a refused client certificate
  // after the client's side of the handshake is done) may be logged just after the client saw
  // the close: wait for that entry, bounded.
  std::optional<datapath::AccessLogEntry> take(const std::string& client, bool wait) {
    std::unique_lock lock(mu);
    if (wait) logged.wait_for(lock, std::chrono::seconds(5), [&] { return log.count(client) > 0; });
    auto it = log.find(client);
    if (it == log.end()) return std::nullopt;
    auto entry = std::move(it->second);
    log.erase(it);
    return entry;
  }
};

DatapathSender::DatapathSender(runtime::ControlPlane& cluster, DatapathOptions options)
    : impl_(std::make_unique<Impl>(cluster, options)) {
  runtime::LiveGatewayOptions live;
  live.seed = options.seed;
  live.time_scale = options.time_scale;
  live.extra_client_ca = impl_->client_ca.certificate;
  Impl* impl = impl_.get();
  live.access_log = [impl](const datapath::AccessLogEntry& entry) { impl->record(entry); };
  live_ = std::make_unique<runtime::LiveGateway>(cluster, std::move(live));
}

DatapathSender::~DatapathSender() {
  if (live_) live_->stop();
}

void DatapathSender::sync() { live_->sync(); }

std::unique_ptr<RequestSender> make_datapath_sender(runtime::ControlPlane& cluster, std::uint64_t seed,
                                                    double time_scale) {
  return std::make_unique<DatapathSender>(cluster, DatapathOptions{seed, time_scale});
}

Result<Observation> DatapathSender::send(const RequestSpec& spec) {
  auto compiled = impl_->cluster.table(spec.gateway);
  if (!compiled.ok()) return make_error("gateway " + spec.gateway + ": " + compiled.error().to_string());
  live_->add_gateway(spec.gateway);
  datapath::Proxy* proxy = live_->proxy(spec.gateway);
  if (!proxy) return make_error("gateway " + spec.gateway + ": not served");
  std::shared_ptr<const route::RouteTable> table = proxy->table();
  if (!table) table = compiled.value();

  Observation o;
  const http::Request request = to_match_request(spec);
  // What decision mode says for a refused connection (route_request draws nothing for it).
  auto refused_trace = [&](const std::string& why) {
    lb::Random scratch(0);
    match::RoutingResult r = match::route_request(*table, request, scratch);
    if (r.trace.outcome != match::Outcome::kNoListener) {
      r.trace = match::DecisionTrace{};
      r.trace.gateway_service = table->proxy.service;
      r.trace.service_port = spec.port;
      r.trace.outcome = match::Outcome::kNoListener;
    }
    if (r.trace.detail.empty()) r.trace.detail = why;
    return r.trace;
  };

  if (!spec.source_ip.empty() && !datapath::is_ipv4_loopback(spec.source_ip)) {
    o.trace.gateway_service = table->proxy.service;
    o.trace.service_port = spec.port;
    o.unsupported = "sourceIP " + spec.source_ip +
                    ": datapath mode sends from loopback addresses only (127.0.0.0/8); use one of those";
    return o;
  }

  // What the proxy on sockets cannot carry is reported, never sent as something else: it
  // speaks HTTP/1.1 only (Boost.Beast; no HTTP/2 library among the packages gwsim builds with).
  std::string not_carried;
  if (spec.grpc)
    not_carried = "a gRPC call (HTTP/2): gwsim's datapath proxy speaks HTTP/1.1 only; run this step in decision mode";
  else if (spec.protocol != "HTTP/1.1")
    not_carried = "protocol " + spec.protocol + ": gwsim's datapath proxy speaks HTTP/1.1 only; run this step in "
                  "decision mode";
  else if (!spec.upgrade.empty())
    not_carried = "upgrade: " + spec.upgrade + ": gwsim's datapath proxy does not tunnel upgraded connections yet; "
                  "run this step in decision mode";
  if (!not_carried.empty()) {
    o.trace.gateway_service = table->proxy.service;
    o.trace.service_port = spec.port;
    o.not_runnable = not_carried;
    return o;
  }

  const std::string address = proxy->address_of(spec.port);
  if (address.empty()) {
    o.trace = refused_trace("the gateway Service has no port " + std::to_string(spec.port));
    return o;
  }

  runtime::ClientRequest cr;
  cr.address = address;
  cr.tls = spec.scheme == "https";
  cr.sni = client_sni(spec);
  cr.tls_context = spec.client_certificate ? impl_->tls_with_certificate : impl_->tls_plain;
  cr.source_ip = spec.source_ip;
  cr.method = spec.method;
  cr.host = spec.host;
  cr.path = spec.path;
  cr.headers = spec.headers;
  // A safety net against a hung exchange, beyond any delay a pod may be told to take (10 min).
  cr.timeout = std::chrono::milliseconds(30000 + static_cast<std::int64_t>(600000 * impl_->options.time_scale));
  runtime::ClientResponse got = runtime::send_request(cr);

  switch (got.kind) {
    case runtime::ClientResponse::Kind::kRefused:
      o.trace = refused_trace("connection refused");
      return o;
    case runtime::ClientResponse::Kind::kError:
      return make_error("datapath: " + spec.gateway + " port " + std::to_string(spec.port) + " (" + address +
                        "): " + got.error);
    case runtime::ClientResponse::Kind::kClosed:
    case runtime::ClientResponse::Kind::kResponse: break;
  }

  std::optional<datapath::AccessLogEntry> entry =
      impl_->take(got.local, got.kind == runtime::ClientResponse::Kind::kClosed);
  if (!entry) {
    if (got.kind == runtime::ClientResponse::Kind::kClosed)
      return make_error("datapath: the gateway closed the connection without deciding (" + got.error + ")");
    return make_error("datapath: no access log entry for the connection from " + got.local);
  }
  o.trace = std::move(entry->trace);
  o.pod_labels = std::move(entry->endpoint_labels);
  if (got.kind == runtime::ClientResponse::Kind::kResponse) {
    o.response.status = got.status;
    o.response.headers = std::move(got.headers);
    o.response.body = std::move(got.body);
    if (entry->status == 0 && o.trace.outcome == match::Outcome::kRouted) {
      // A TCP chain: the answer came through the tunnel; decision mode records it the same way.
      o.trace.status = got.status;
      if (!o.trace.attempts.empty()) o.trace.attempts.back().status = got.status;
    }
  }
  if (!entry->upstream_local.empty()) {
    if (auto seen = live_->pods().received_from(entry->upstream_local)) {
      http::UpstreamRequest up;
      up.method = seen->method;
      up.scheme = spec.scheme;
      up.authority = seen->authority;
      up.path = seen->path;
      up.headers = std::move(seen->headers);
      up.client_ip = ip_of(seen->peer);
      o.upstream_request = std::move(up);
      o.upstream_tls = seen->tls;
      o.upstream_sni = seen->sni;
      o.upstream_protocol = seen->protocol == "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1";
    }
  }
  if (o.trace.outcome == match::Outcome::kUnsupported)
    o.unsupported = o.trace.detail.empty() ? "this route's configuration" : o.trace.detail;
  return o;
}

}  // namespace gwsim::conformance
