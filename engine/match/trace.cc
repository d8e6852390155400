#include "engine/match/trace.h"

#include <sstream>

namespace gwsim::match {

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kRouted: return "Routed";
    case Outcome::kNoListener: return "NoListener";
    case Outcome::kNoFilterChain: return "NoFilterChain";
    case Outcome::kTlsError: return "TLSError";
    case Outcome::kNoVirtualHost: return "NoVirtualHost";
    case Outcome::kNoRoute: return "NoRoute";
    case Outcome::kTlsRedirect: return "TLSRedirect";
    case Outcome::kRedirect: return "Redirect";
    case Outcome::kDirectResponse: return "DirectResponse";
    case Outcome::kFaultAbort: return "FaultAbort";
    case Outcome::kClusterNotFound: return "ClusterNotFound";
    case Outcome::kNoHealthyUpstream: return "NoHealthyUpstream";
    case Outcome::kUpstreamFailure: return "UpstreamFailure";
    case Outcome::kUpstreamTimeout: return "UpstreamTimeout";
    case Outcome::kCorsPreflight: return "CorsPreflight";
    case Outcome::kUnsupported: return "Unsupported";
    case Outcome::kUnauthenticated: return "Unauthenticated";
    case Outcome::kAccessDenied: return "AccessDenied";
    case Outcome::kRequestRejected: return "RequestRejected";
  }
  return "?";
}

std::optional<Outcome> outcome_named(std::string_view name) {
  for (Outcome o : kAllOutcomes)
    if (name == outcome_name(o)) return o;
  return std::nullopt;
}

nlohmann::json DecisionTrace::to_json() const {
  nlohmann::json attempts_json = nlohmann::json::array();
  for (const auto& a : attempts) {
    attempts_json.push_back({{"endpoint", a.endpoint}, {"pod", a.pod}, {"status", a.status}, {"note", a.note}});
  }
  nlohmann::json j = {
      {"outcome", outcome_name(outcome)},
      {"gateway", gateway_service},
      {"port", service_port},
      {"listener", listener},
      {"filterChain", filter_chain},
      {"tlsMode", tls_mode},
      {"sni", sni},
      {"routeConfig", route_config},
      {"virtualHost", virtual_host},
      {"route", {{"name", route_name},
                 {"index", route_index},
                 {"virtualService", virtual_service},
                 {"gateway", gateway},
                 {"httpIndex", http_index},
                 {"matchIndex", match_index}}},
      {"cluster", cluster},
      {"service", service},
      {"subset", subset},
      {"pod", pod},
      {"endpoint", endpoint},
      {"attempts", attempts_json},
      {"mirrors", mirrors},
      {"status", status},
      {"responseFlags", response_flags},
  };
  if (!virtual_service_parents.empty()) j["route"]["parents"] = virtual_service_parents;
  if (!detail.empty()) j["detail"] = detail;
  if (!authentication.empty()) j["authentication"] = authentication;
  return j;
}

std::string DecisionTrace::to_text() const {
  std::ostringstream out;
  auto line = [&out](const char* label, const std::string& value) {
    if (!value.empty()) out << "  " << label << ": " << value << "\n";
  };
  line("gateway", gateway_service + (service_port ? " port " + std::to_string(service_port) : ""));
  line("listener", listener);
  line("filter chain", filter_chain);
  if (!tls_mode.empty()) line("tls", tls_mode + (sni.empty() ? "" : " (SNI " + sni + ")"));
  line("authentication", authentication);
  line("route config", route_config);
  line("virtual host", virtual_host);
  if (route_index >= 0) {
    std::string r = std::string("#").append(std::to_string(route_index));
    if (!route_name.empty()) r += " " + route_name;
    if (!virtual_service.empty()) {
      r += " (VirtualService " + virtual_service + " http[" + std::to_string(http_index) + "]";
      if (match_index >= 0) r += " match[" + std::to_string(match_index) + "]";
      if (!virtual_service_parents.empty()) r += ", generated from " + virtual_service_parents;
      r += ")";
    }
    if (!gateway.empty()) r += " via Gateway " + gateway;
    line("route", r);
  }
  line("cluster", cluster);
  line("pod", pod.empty() ? pod : pod + " (" + endpoint + ")");
  for (std::size_t i = 0; i < attempts.size() && attempts.size() > 1; ++i) {
    const auto& a = attempts[i];
    line(("attempt " + std::to_string(i + 1)).c_str(),
         a.pod + " -> " + (a.status ? std::to_string(a.status) : std::string("no response")) +
             (a.note.empty() ? "" : " (" + a.note + ")"));
  }
  for (const auto& m : mirrors) line("mirror", m);
  out << "  outcome: " << outcome_name(outcome) << ", status " << status << ", flags " << response_flags << "\n";
  line("detail", detail);
  return out.str();
}

}  // namespace gwsim::match
