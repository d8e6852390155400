#include "conformance/expectations.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

#include "engine/text/ascii.h"

namespace gwsim::conformance {

using text::iequals;

std::string Mismatch::to_string() const { return field + ": expected " + expected + ", got " + actual; }

namespace detail {

std::string pod_name_of(const std::string& pod_reference) {
  auto slash = pod_reference.find('/');
  return slash == std::string::npos ? pod_reference : pod_reference.substr(slash + 1);
}

const std::string* find_header(const std::vector<std::pair<std::string, std::string>>& headers,
                               std::string_view name) {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return &v;
  return nullptr;
}

std::optional<std::string> joined_header(const std::vector<std::pair<std::string, std::string>>& headers,
                                         std::string_view name) {
  std::optional<std::string> out;
  for (const auto& [k, v] : headers) {
    if (!iequals(k, name)) continue;
    if (out)
      *out += "," + v;
    else
      out = v;
  }
  return out;
}

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '"') out += "\\\"";
    else out += c;
  }
  return out + "\"";
}

}  // namespace detail

namespace {

using detail::quote;

std::string join_status(const std::vector<int>& codes) {
  if (codes.size() == 1) return std::to_string(codes.front());
  std::string out = "one of [";
  for (std::size_t i = 0; i < codes.size(); ++i) out += (i ? ", " : "") + std::to_string(codes[i]);
  return out + "]";
}

std::string status_text(const Observation& o) {
  if (o.response.status == 0) return "no response (" + std::string(match::outcome_name(o.trace.outcome)) + ")";
  return std::to_string(o.response.status);
}

// Compare an optional string field; `actual` shown as "(none)" when empty.
void compare(std::vector<Mismatch>& out, const std::string& field, const std::optional<std::string>& expected,
             const std::string& actual) {
  if (expected && *expected != actual) out.push_back({field, quote(*expected), actual.empty() ? "(none)" : quote(actual)});
}

void check_headers(std::vector<Mismatch>& out, const std::string& field, const HeaderList& expected,
                   const std::vector<std::string>& absent,
                   const std::vector<std::pair<std::string, std::string>>& actual) {
  for (const auto& [name, value] : expected) {
    std::optional<std::string> got = detail::joined_header(actual, name);
    if (!got)
      out.push_back({field + "." + name, quote(value), "(absent)"});
    else if (*got != value)
      out.push_back({field + "." + name, quote(value), quote(*got)});
  }
  for (const auto& name : absent) {
    if (std::optional<std::string> got = detail::joined_header(actual, name))
      out.push_back({field + "." + name, "(absent)", quote(*got)});
  }
}

}  // namespace

std::vector<std::string> unsimulated_names(const std::vector<route::UnsimulatedRef>& refs) {
  std::vector<std::string> out;
  for (const auto& r : refs) out.push_back(r.kind + " " + r.namespace_ + "/" + r.name);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<Mismatch> check_response(const Expectation& e, const Observation& o) {
  std::vector<Mismatch> out;
  const match::DecisionTrace& t = o.trace;

  if (!e.status.empty() && std::find(e.status.begin(), e.status.end(), o.response.status) == e.status.end())
    out.push_back({"status", join_status(e.status), status_text(o)});
  compare(out, "responseFlags", e.response_flags, t.response_flags);
  if (e.refused) {
    bool refused = t.outcome == match::Outcome::kNoListener;
    if (refused != *e.refused)
      out.push_back({"refused", *e.refused ? "true" : "false",
                     std::string(refused ? "true" : "false") + " (" + match::outcome_name(t.outcome) + ")"});
  }
  if (e.closed) {
    bool closed = o.response.status == 0 && t.outcome != match::Outcome::kNoListener &&
                  t.outcome != match::Outcome::kUnsupported;
    if (closed != *e.closed)
      out.push_back({"closed", *e.closed ? "true" : "false",
                     std::string(closed ? "true" : "false") + " (" + match::outcome_name(t.outcome) + ")"});
  }
  if (e.outcome && *e.outcome != match::outcome_name(t.outcome))
    out.push_back({"outcome", *e.outcome, match::outcome_name(t.outcome)});
  if (e.body && o.response.body != *e.body) out.push_back({"body", quote(*e.body), quote(o.response.body)});
  if (e.body_contains && o.response.body.find(*e.body_contains) == std::string::npos)
    out.push_back({"bodyContains", quote(*e.body_contains), quote(o.response.body)});
  check_headers(out, "headers", e.headers, e.absent_headers, o.response.headers);

  if (e.route) {
    const RouteExpectation& r = *e.route;
    compare(out, "route.gateway", r.gateway, t.gateway);
    compare(out, "route.virtualService", r.virtual_service, t.virtual_service);
    compare(out, "route.name", r.name, t.route_name);
    if (r.index && *r.index != t.http_index)
      out.push_back({"route.index", std::to_string(*r.index),
                     t.http_index < 0 ? "(no route)" : std::to_string(t.http_index)});
    compare(out, "route.listener", r.listener, t.listener);
    compare(out, "route.routeConfig", r.route_config, t.route_config);
    compare(out, "route.virtualHost", r.virtual_host, t.virtual_host);
  }
  compare(out, "cluster", e.cluster, t.cluster);

  if (e.backend) {
    const BackendExpectation& b = *e.backend;
    compare(out, "backend.service", b.service, t.service);
    if (b.port && *b.port != t.service_port_upstream)
      out.push_back({"backend.port", std::to_string(*b.port),
                     t.service_port_upstream ? std::to_string(t.service_port_upstream) : "(none)"});
    compare(out, "backend.subset", b.subset, t.subset);
    if (b.pod) {
      // A prefix of the pod name; with a '/', of "namespace/name".
      std::string actual = b.pod->find('/') == std::string::npos ? detail::pod_name_of(t.pod) : t.pod;
      if (t.pod.empty() || actual.rfind(*b.pod, 0) != 0)
        out.push_back({"backend.pod", "a pod named " + quote(*b.pod) + "...", t.pod.empty() ? "(none)" : quote(actual)});
    }
    for (const auto& [key, value] : b.pod_labels) {
      auto it = o.pod_labels.find(key);
      if (it == o.pod_labels.end())
        out.push_back({"backend.podLabels." + key, quote(value), t.pod.empty() ? "(no pod)" : "(absent)"});
      else if (it->second != value)
        out.push_back({"backend.podLabels." + key, quote(value), quote(it->second)});
    }
  }

  if (e.upstream_request) {
    const UpstreamRequestExpectation& u = *e.upstream_request;
    if (!o.upstream_request) {
      out.push_back({"upstreamRequest", "a request reaching a backend", "none reached one"});
    } else {
      compare(out, "upstreamRequest.host", u.host, o.upstream_request->authority);
      compare(out, "upstreamRequest.path", u.path, o.upstream_request->path);
      check_headers(out, "upstreamRequest.headers", u.headers, u.absent_headers, o.upstream_request->headers);
      compare(out, "upstreamRequest.method", u.method, o.upstream_request->method);
      if (u.tls && *u.tls != o.upstream_tls)
        out.push_back({"upstreamRequest.tls", *u.tls ? "true" : "false", o.upstream_tls ? "true" : "false"});
      compare(out, "upstreamRequest.sni", u.sni, o.upstream_sni);
      compare(out, "upstreamRequest.protocol", u.protocol, o.upstream_protocol);
    }
  }

  if (e.attempts && *e.attempts != static_cast<int>(t.attempts.size()))
    out.push_back({"attempts", std::to_string(*e.attempts), std::to_string(t.attempts.size())});
  if (e.unsimulated) {
    std::vector<std::string> want = *e.unsimulated;
    std::vector<std::string> got = unsimulated_names(o.unsimulated);
    std::sort(want.begin(), want.end());
    if (want != got) {
      auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
        return "[" + s + "]";
      };
      out.push_back({"unsimulated", join(want), join(got)});
    }
  }
  return out;
}

std::string distribution_key(const std::string& by, const Observation& o) {
  const match::DecisionTrace& t = o.trace;
  if (by == "subset") return t.subset;
  if (by == "pod") return detail::pod_name_of(t.pod);
  if (by == "service") return t.service;
  if (by == "cluster") return t.cluster;
  if (by == "status") return std::to_string(o.response.status);
  std::string label = by == "version" ? "version" : (by.rfind("label:", 0) == 0 ? by.substr(6) : "");
  if (label.empty()) return {};
  auto it = o.pod_labels.find(label);
  return it == o.pod_labels.end() ? std::string() : it->second;
}

DistributionReport check_distribution(const DistributionExpectation& d, const std::vector<Observation>& observations) {
  DistributionReport report;
  for (const auto& o : observations) report.counts[distribution_key(d.by, o)]++;
  report.total = static_cast<int>(observations.size());
  auto share = [&](const std::string& key) {
    auto it = report.counts.find(key);
    return it == report.counts.end() || report.total == 0 ? 0.0 : static_cast<double>(it->second) / report.total;
  };
  auto count = [&](const std::string& key) {
    auto it = report.counts.find(key);
    return it == report.counts.end() ? 0 : it->second;
  };
  auto shown = [](const std::string& key) { return key.empty() ? std::string("(none)") : key; };
  auto fmt = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return std::string(buf);
  };

  std::set<std::string> keys;
  for (const auto& [k, n] : report.counts) keys.insert(k);
  for (const auto& [k, s] : d.expected) keys.insert(k);
  std::ostringstream table;
  for (const auto& key : keys) {
    double actual = share(key);
    table << d.by << "=" << shown(key) << ": " << fmt(actual) << " (" << count(key) << "/"
          << report.total << ")";
    if (!d.expected.empty()) {
      auto it = d.expected.find(key);
      double expected = it == d.expected.end() ? 0.0 : it->second;
      table << ", expected " << fmt(expected) << " +- " << fmt(d.tolerance);
      // Keys not listed are expected at 0, so an unexpected key beyond the tolerance fails.
      if (std::abs(actual - expected) > d.tolerance + 1e-9)
        report.mismatches.push_back({"distribution." + shown(key), fmt(expected) + " +- " + fmt(d.tolerance),
                                     fmt(actual) + " (" + std::to_string(count(key)) + " of " +
                                         std::to_string(report.total) + ")"});
    }
    table << "\n";
  }
  int distinct = static_cast<int>(report.counts.size());
  if (d.distinct && *d.distinct != distinct)
    report.mismatches.push_back({"distribution.distinct", std::to_string(*d.distinct), std::to_string(distinct)});
  report.table = table.str();
  return report;
}

}  // namespace gwsim::conformance
