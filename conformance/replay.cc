#include "conformance/replay.h"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace gwsim::conformance {

const char* replay_field_name(ReplayField field) {
  switch (field) {
    case ReplayField::kCluster:
      return "cluster";
    case ReplayField::kStatus:
      return "status";
    case ReplayField::kFlags:
      return "flags";
    case ReplayField::kRoute:
      return "route";
  }
  return "?";
}

namespace {

// "ip:port" -> port; 0 when there is none.
std::uint32_t port_of(std::string_view address) {
  auto colon = address.rfind(':');
  if (colon == std::string_view::npos) return 0;
  std::uint32_t port = 0;
  auto digits = address.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  return ec == std::errc() && end == digits.data() + digits.size() ? port : 0;
}

// "ip:port" -> ip ("[v6]:port" -> v6).
std::string_view ip_of(std::string_view address) {
  if (!address.empty() && address.front() == '[') {
    auto close = address.find(']');
    return close == std::string_view::npos ? address : address.substr(1, close - 1);
  }
  auto colon = address.rfind(':');
  if (colon != std::string_view::npos && address.find(':') == colon) return address.substr(0, colon);
  return address;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The response flags the configuration decides (Envoy's StreamInfo::ResponseFlag short
// strings): no route, no cluster, no healthy upstream, fault abort and delay. Everything else
// describes what the upstream did at that moment.
bool config_flag(std::string_view flag) {
  return flag == "NR" || flag == "NC" || flag == "UH" || flag == "FI" || flag == "DI";
}

// The configuration-decided flags of a flag list, in a canonical order ("" for none).
std::string config_flags(std::string_view flags) {
  std::vector<std::string_view> kept;
  while (!flags.empty()) {
    auto comma = flags.find(',');
    std::string_view f = trim(flags.substr(0, comma));
    if (config_flag(f)) kept.push_back(f);
    if (comma == std::string_view::npos) break;
    flags.remove_prefix(comma + 1);
  }
  std::sort(kept.begin(), kept.end());
  std::string out;
  for (auto f : kept) {
    if (!out.empty()) out += ',';
    out += f;
  }
  return out;
}

std::string or_dash(std::string_view v) { return v.empty() ? std::string("-") : std::string(v); }

// Where the simulated request went, as the per-route counts name it.
std::string route_key(const match::DecisionTrace& t) {
  if (t.route_index < 0 || t.virtual_service.empty()) {
    std::string key = match::outcome_name(t.outcome);
    if (t.status) key += " " + std::to_string(t.status);
    return key;
  }
  std::string key = t.virtual_service + " http[" + std::to_string(t.http_index) + "]";
  if (!t.route_name.empty()) key += " " + t.route_name;
  return key;
}

// The route the decision took, to see a weighted route's destinations; null when none.
const route::Route* decided_route(const route::RouteTable& table, const match::DecisionTrace& t) {
  if (t.route_index < 0) return nullptr;
  auto rc = table.route_configs.find(t.route_config);
  if (rc == table.route_configs.end()) return nullptr;
  for (const auto& vh : rc->second.virtual_hosts) {
    if (vh.name != t.virtual_host) continue;
    if (static_cast<std::size_t>(t.route_index) >= vh.routes.size()) return nullptr;
    return &vh.routes[static_cast<std::size_t>(t.route_index)];
  }
  return nullptr;
}

bool cluster_agrees(std::string_view logged, const match::DecisionTrace& t, const route::Route* route) {
  if (logged == t.cluster) return true;
  if (route == nullptr || route->route.clusters.size() < 2 || logged.empty()) return false;
  return std::any_of(route->route.clusters.begin(), route->route.clusters.end(),
                     [&](const route::WeightedCluster& c) { return c.weight > 0 && c.cluster == logged; });
}

std::string weighted_clusters(const match::DecisionTrace& t, const route::Route* route) {
  if (route == nullptr || route->route.clusters.size() < 2) return or_dash(t.cluster);
  std::string out;
  for (const auto& c : route->route.clusters) {
    if (c.weight == 0) continue;
    if (!out.empty()) out += " | ";
    out += c.cluster + " (" + std::to_string(c.weight) + ")";
  }
  return out;
}

// The status is the gateway's own when its details are not via_upstream (Envoy's
// StreamInfo::ResponseCodeDetails::ViaUpstream) or the simulated request did not reach a pod.
bool status_comparable(const access_log::LogRecord& r, const match::DecisionTrace& t) {
  return (r.response_code != 0 && r.response_code_details != "via_upstream") || t.outcome != match::Outcome::kRouted;
}

}  // namespace

RequestSpec replay_request(const access_log::LogRecord& record, const std::string& gateway,
                           const std::map<std::uint32_t, std::uint32_t>& listen_to_service_port) {
  RequestSpec spec;
  spec.gateway = gateway;
  spec.method = std::string(record.method);
  spec.path = record.path.empty() ? std::string("/") : std::string(record.path);
  spec.host = std::string(record.authority);
  if (!record.requested_server_name.empty()) {
    spec.scheme = "https";
    spec.sni = std::string(record.requested_server_name);
  }
  std::uint32_t listen_port = port_of(record.downstream_local_address);
  if (auto it = listen_to_service_port.find(listen_port); it != listen_to_service_port.end())
    spec.port = it->second;
  else
    spec.port = spec.scheme == "https" ? 443 : 80;

  // Envoy appended the peer address to X-Forwarded-For (use_remote_address) before logging.
  std::string_view xff = trim(record.x_forwarded_for);
  std::string_view peer = ip_of(record.downstream_remote_address);
  if (!xff.empty()) {
    auto comma = xff.rfind(',');
    peer = trim(comma == std::string_view::npos ? xff : xff.substr(comma + 1));
    std::string_view before = comma == std::string_view::npos ? std::string_view{} : trim(xff.substr(0, comma));
    if (!before.empty()) spec.headers.emplace_back("x-forwarded-for", std::string(before));
  }
  if (!peer.empty()) spec.source_ip = std::string(peer);
  if (!record.user_agent.empty()) spec.headers.emplace_back("user-agent", std::string(record.user_agent));
  if (!record.request_id.empty()) spec.headers.emplace_back("x-request-id", std::string(record.request_id));
  return spec;
}

Result<ReplaySummary> replay_access_log(World& world, std::istream& log, const std::string& source,
                                        const ReplayOptions& options) {
  auto compiled = world.table(options.gateway);
  if (!compiled.ok()) return compiled.error();
  const route::RouteTable& table = **compiled;
  std::map<std::uint32_t, std::uint32_t> listen_to_service_port;
  for (const auto& [service_port, listen_port] : table.proxy.service_ports)
    listen_to_service_port.emplace(listen_port, service_port);

  ReplaySummary summary;
  for (const auto& u : table.unsimulated)
    summary.unsimulated.push_back(u.kind + " " + u.namespace_ + "/" + u.name);

  access_log::LogLineReader reader(options.format);
  access_log::LogRecord record;
  std::string line;
  std::uint64_t line_number = 0;
  auto example = [&](ReplayField field, const RequestSpec& spec, std::string logged, std::string simulated) {
    ++summary.differences[field];
    auto& kept = summary.examples[field];
    if (kept.size() >= options.examples) return;
    kept.push_back({source + ":" + std::to_string(line_number), spec.method + " " + spec.host + spec.path,
                    std::move(logged), std::move(simulated)});
  };

  while (std::getline(log, line)) {
    ++line_number;
    if (trim(line).empty()) continue;
    ++summary.lines;
    if (auto error = reader.read(line, record)) {
      ++summary.unreadable;
      if (summary.unreadable_examples.size() < options.examples)
        summary.unreadable_examples.push_back(
            make_error(error.what, source + ":" + std::to_string(line_number) + ":" + std::to_string(error.column)));
      continue;
    }
    if (!record.is_http()) {
      ++summary.tcp_skipped;
      continue;
    }
    RequestSpec spec = replay_request(record, options.gateway, listen_to_service_port);
    auto observed = world.send(spec);
    if (!observed.ok()) return observed.error();
    const match::DecisionTrace& t = observed->trace;
    ++summary.replayed;

    const std::uint64_t before = summary.differences[ReplayField::kCluster] +
                                 summary.differences[ReplayField::kStatus] +
                                 summary.differences[ReplayField::kFlags] + summary.differences[ReplayField::kRoute];
    const route::Route* route = decided_route(table, t);
    if (!cluster_agrees(record.upstream_cluster, t, route))
      example(ReplayField::kCluster, spec, or_dash(record.upstream_cluster), weighted_clusters(t, route));
    if (status_comparable(record, t) && record.response_code != t.status)
      example(ReplayField::kStatus, spec,
              std::to_string(record.response_code) + " " + or_dash(record.response_code_details),
              std::to_string(t.status) + " " + match::outcome_name(t.outcome));
    if (std::string logged = config_flags(record.response_flags), simulated = config_flags(t.response_flags);
        logged != simulated)
      example(ReplayField::kFlags, spec, or_dash(record.response_flags), or_dash(t.response_flags));
    if (record.route_name != t.route_name)
      example(ReplayField::kRoute, spec, or_dash(record.route_name), or_dash(t.route_name));
    const std::uint64_t after = summary.differences[ReplayField::kCluster] +
                                summary.differences[ReplayField::kStatus] +
                                summary.differences[ReplayField::kFlags] + summary.differences[ReplayField::kRoute];

    auto& count = summary.routes[route_key(t)];
    ++count.requests;
    if (after != before) {
      ++count.differing;
      ++summary.differing;
    }
  }
  return summary;
}

nlohmann::json ReplaySummary::to_json() const {
  nlohmann::json j;
  j["lines"] = lines;
  j["replayed"] = replayed;
  j["tcpSkipped"] = tcp_skipped;
  j["unreadable"] = unreadable;
  j["differing"] = differing;
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : unreadable_examples) errors.push_back({{"where", e.where}, {"message", e.message}});
  j["unreadableExamples"] = std::move(errors);
  nlohmann::json diffs = nlohmann::json::object();
  for (ReplayField f : kReplayFields) {
    nlohmann::json entry = {{"count", differences.count(f) ? differences.at(f) : 0}};
    nlohmann::json kept = nlohmann::json::array();
    if (auto it = examples.find(f); it != examples.end())
      for (const auto& e : it->second)
        kept.push_back({{"where", e.where}, {"request", e.request}, {"logged", e.logged}, {"simulated", e.simulated}});
    entry["examples"] = std::move(kept);
    diffs[replay_field_name(f)] = std::move(entry);
  }
  j["differences"] = std::move(diffs);
  nlohmann::json per_route = nlohmann::json::array();
  for (const auto& [route, count] : routes)
    per_route.push_back({{"route", route}, {"requests", count.requests}, {"differing", count.differing}});
  j["routes"] = std::move(per_route);
  j["unsimulated"] = unsimulated;
  return j;
}

std::string ReplaySummary::to_text(const std::string& source) const {
  std::ostringstream out;
  out << source << ": " << lines << " lines, " << replayed << " requests replayed";
  if (tcp_skipped) out << ", " << tcp_skipped << " TCP connections skipped";
  if (unreadable) out << ", " << unreadable << " unreadable";
  out << "\n";
  for (const auto& e : unreadable_examples) out << "  " << e.to_string() << "\n";
  out << "routes (simulated):\n";
  for (const auto& [route, count] : routes)
    out << "  " << route << ": " << count.requests << " requests, " << count.differing << " differ\n";
  for (ReplayField f : kReplayFields) {
    auto n = differences.count(f) ? differences.at(f) : 0;
    if (n == 0) continue;
    out << replay_field_name(f) << ": " << n << " differ";
    auto it = examples.find(f);
    if (it != examples.end() && !it->second.empty()) out << " (first " << it->second.size() << ")";
    out << "\n";
    if (it == examples.end()) continue;
    for (const auto& e : it->second)
      out << "  " << e.where << " " << e.request << ": logged " << e.logged << ", simulated " << e.simulated << "\n";
  }
  for (const auto& u : unsimulated) out << "unsimulated: " << u << " may change any answer of this gateway\n";
  out << replayed - differing << " same, " << differing << " differ\n";
  return out.str();
}

}  // namespace gwsim::conformance
