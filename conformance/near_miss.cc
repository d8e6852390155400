#include "conformance/near_miss.h"

#include <algorithm>
#include <set>

#include "engine/host/host_name.h"
#include "engine/model/labels.h"
#include "engine/route/merged_gateway.h"
#include "engine/route/virtual_services.h"
#include "engine/text/ascii.h"
#include "engine/text/closest_name.h"

namespace gwsim::conformance {

namespace {

using match::NearMiss;

std::string join_list(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
  return out;
}

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

std::string labels_text(const model::Labels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) out += (out.empty() ? "" : ", ") + k + ": " + v;
  return "{" + out + "}";
}

std::string key(const model::Meta& m) { return m.namespace_ + "/" + m.name; }

// Whether a configured host name (exact or "*.suffix", any case) covers the concrete Host.
bool covers(const std::string& name, const std::string& host) {
  return host::matches(text::to_lower(name), host);
}

// The pod ports a server listens on for this gateway workload (resolvePorts).
std::vector<std::uint32_t> listen_ports(const model::Gateway& g, const model::Server& s, const route::GatewayProxy& proxy) {
  if (g.meta.annotations.count("internal.istio.io/gateway-service"))
    return route::resolve_service_ports(g, proxy, s.port.number);
  return {route::resolve_port(proxy, s.port.number)};
}

bool listens_on(const model::Gateway& g, const model::Server& s, const route::GatewayProxy& proxy, std::uint32_t port) {
  auto ports = listen_ports(g, s, proxy);
  return std::find(ports.begin(), ports.end(), port) != ports.end();
}

class Search {
 public:
  Search(const model::ConfigSnapshot& snapshot, const route::RouteTable& table, const http::Request& request)
      : snapshot_(snapshot), proxy_(table.proxy) {
    host_ = text::to_lower(std::string(http::host_without_port(request.host)));
    service_port_ = request.port;
    if (auto it = proxy_.service_ports.find(request.port); it != proxy_.service_ports.end()) listen_port_ = it->second;
    for (const model::Gateway* g : route::select_gateways(snapshot, proxy_)) selected_.insert(key(g->meta));
  }

  // A Host no virtual host of the port takes: Gateways and VirtualServices for that host; when
  // nothing names it and the table named no near domain either, the servers of the port.
  void host_not_served(bool table_named_one) {
    for (const auto& g : snapshot_.gateways) gateway_for_host(g);
    for (const auto& in : snapshot_.virtual_services) virtual_service_for_host(route::resolve_virtual_service(in), in);
    if (out_.empty()) similar_virtual_service_hosts();
    if (out_.empty() && !table_named_one) servers_on_port();
  }

  // No route of a virtual host matched: the matches Istio left out of the VirtualServices that
  // make it (pinned to another server port or another gateway).
  void route_missed(const std::string& virtual_host) {
    const std::uint32_t server_port = static_cast<std::uint32_t>(
        std::stoul("0" + virtual_host.substr(virtual_host.rfind(':') + 1)));
    for (const auto& in : snapshot_.virtual_services) {
      model::VirtualService vs = route::resolve_virtual_service(in);
      if (!std::any_of(vs.hosts.begin(), vs.hosts.end(), [&](const std::string& h) { return covers(h, host_); }))
        continue;
      std::vector<std::string> bound;
      for (const auto& g : vs.gateways)
        if (selected_.count(g)) bound.push_back(g);
      if (bound.empty()) continue;
      for (std::size_t i = 0; i < vs.http.size(); ++i) {
        for (std::size_t j = 0; j < vs.http[i].match.size(); ++j) {
          const model::HTTPMatchRequest& m = vs.http[i].match[j];
          const std::string where = "http[" + std::to_string(i) + "] match[" + std::to_string(j) + "]";
          if (m.port && m.port != server_port)
            add(vs, in.meta.source.to_string(),
                where + " is pinned to port " + std::to_string(m.port) + "; the server is port " +
                    std::to_string(server_port) + ", so Istio leaves this match out");
          if (!m.gateways.empty() &&
              std::none_of(m.gateways.begin(), m.gateways.end(), [&](const std::string& g) { return selected_.count(g) > 0; }))
            add(vs, in.meta.source.to_string(),
                where + " applies only to gateway(s) " + join_list(m.gateways) + ", not " + join_list(bound));
        }
      }
    }
  }

  // A cluster the route names is missing or has no healthy endpoint: the Service, the
  // DestinationRule subset and the pods behind it.
  void cluster_missed(const match::DecisionTrace& decided) {
    const std::string& name = decided.cluster;
    const std::string host = name.substr(name.rfind('|') + 1);
    const std::string subset = decided.subset;
    const model::Service* service = nullptr;
    std::vector<std::string> fqdns;
    for (const auto& s : snapshot_.services) {
      std::string fqdn = s.fqdn.empty() ? s.meta.name + "." + s.meta.namespace_ + ".svc.cluster.local" : s.fqdn;
      if (fqdn == host) service = &s;
      fqdns.push_back(std::move(fqdn));
    }
    if (!service) {
      std::string near = text::closest_name(host, fqdns);
      bool entry = std::any_of(snapshot_.service_entries.begin(), snapshot_.service_entries.end(), [&](const auto& se) {
        return std::find(se.hosts.begin(), se.hosts.end(), host) != se.hosts.end();
      });
      if (!entry)
        out_.push_back({"host " + host, "",
                        "no Service or ServiceEntry has this name" + (near.empty() ? "" : "; did you mean " + near + "?")});
      return;
    }
    const model::DestinationRule* rule = nullptr;
    for (const auto& dr : snapshot_.destination_rules)
      if (host::resolve_short_name(dr.host, dr.meta.namespace_) == host && (!rule || dr.meta.namespace_ == proxy_.namespace_))
        rule = &dr;
    const model::Subset* chosen = nullptr;
    if (!subset.empty()) {
      if (!rule) {
        out_.push_back({"subset " + subset, "", "no DestinationRule for host " + host + " defines subsets"});
        return;
      }
      std::vector<std::string> names;
      for (const auto& s : rule->subsets) {
        names.push_back(s.name);
        if (s.name == subset) chosen = &s;
      }
      if (!chosen) {
        std::string near = text::closest_name(subset, names);
        out_.push_back({"DestinationRule " + key(rule->meta), rule->meta.source.to_string(),
                        "defines subset(s) " + join_list(names) + ", not " + subset +
                            (near.empty() ? "" : "; did you mean " + near + "?")});
        return;
      }
    }
    if (decided.outcome != match::Outcome::kNoHealthyUpstream) return;
    int selected = 0, ready = 0, in_subset = 0;
    for (const auto& p : snapshot_.pods) {
      if (p.meta.namespace_ != service->meta.namespace_ || service->selector.empty() ||
          !model::selects(service->selector, p.meta.labels))
        continue;
      ++selected;
      if (!p.ready) continue;
      ++ready;
      if (!chosen || model::selects(chosen->labels, p.meta.labels)) ++in_subset;
    }
    std::string why = "its selector " + labels_text(service->selector) + " selects " + std::to_string(selected) +
                      " pod(s), " + std::to_string(ready) + " ready";
    if (chosen) why += ", " + std::to_string(in_subset) + " of them with subset " + subset + "'s labels " + labels_text(chosen->labels);
    out_.push_back({"Service " + key(service->meta), service->meta.source.to_string(), why});
  }

  std::vector<NearMiss> take() { return std::move(out_); }

 private:
  void add(const model::VirtualService& vs, const std::string& source, std::string reason) {
    out_.push_back({"VirtualService " + key(vs.meta), source, std::move(reason)});
  }

  std::string ports_text(const model::Gateway& g) const {
    std::vector<std::string> ports;
    for (const auto& s : g.servers) ports.push_back(std::to_string(s.port.number) + " (" + s.port.protocol + ")");
    return join_list(ports);
  }

  void gateway_for_host(const model::Gateway& g) {
    std::vector<const model::Server*> for_host;
    for (const auto& s : g.servers) {
      model::Server sanitized = route::sanitize_server_hosts(s, g.meta.namespace_);
      if (std::any_of(sanitized.hosts.begin(), sanitized.hosts.end(),
                      [&](const std::string& h) { return covers(host::parse_server_host(h).dns_name, host_); }))
        for_host.push_back(&s);
    }
    if (for_host.empty()) return;
    const std::string source = g.meta.source.to_string();
    if (!selected_.count(key(g.meta))) {
      out_.push_back({"Gateway " + key(g.meta), source,
                      "serves " + host_ + " but does not apply to gateway " + proxy_.service + ": its selector " +
                          labels_text(g.selector) + " is not a subset of the pod's labels " + labels_text(proxy_.labels)});
      return;
    }
    bool on_port_named = false;
    for (const model::Server* s : for_host) {
      if (listens_on(g, *s, proxy_, listen_port_)) {
        if (!on_port_named) server_without_virtual_service(g, *s, source);
        on_port_named = true;
        continue;
      }
      out_.push_back({"Gateway " + key(g.meta), source,
                      "serves " + host_ + " on server port " + std::to_string(s->port.number) + " (" +
                          s->port.protocol + "); the request came to Service port " + std::to_string(service_port_)});
    }
  }

  // A server takes the Host on this port, but no VirtualService bound to its Gateway has the host:
  // Istio builds no route for it (the request meets the blackhole or another host's virtual host).
  void server_without_virtual_service(const model::Gateway& g, const model::Server& s, const std::string& source) {
    const std::string ref = key(g.meta);
    std::vector<std::string> bound;
    for (const auto& in : snapshot_.virtual_services) {
      model::VirtualService vs = route::resolve_virtual_service(in);
      if (std::find(vs.gateways.begin(), vs.gateways.end(), ref) == vs.gateways.end()) continue;
      // One has the host: why it did not bind is said from its side (virtual_service_for_host).
      if (std::any_of(vs.hosts.begin(), vs.hosts.end(), [&](const std::string& h) { return covers(h, host_); })) return;
      bound.push_back("VirtualService " + key(vs.meta) + " (hosts " + join_list(vs.hosts) + ")");
    }
    out_.push_back({"Gateway " + ref, source,
                    "serves " + host_ + " on server port " + std::to_string(s.port.number) +
                        ", but no VirtualService bound to it has that host" +
                        (bound.empty() ? std::string(" (none is bound to it)") : "; bound to it: " + join_list(bound))});
  }

  void virtual_service_for_host(const model::VirtualService& vs, const model::VirtualService& written) {
    if (!std::any_of(vs.hosts.begin(), vs.hosts.end(), [&](const std::string& h) { return covers(h, host_); })) return;
    const std::string source = written.meta.source.to_string();
    if (vs.http.empty()) {
      if (vs.tls.empty() && vs.tcp.empty()) add(vs, source, "has host " + host_ + " but no http routes");
      return;
    }
    std::vector<std::string> gateways = vs.gateways;
    if (gateways.empty()) gateways.push_back("mesh");
    if (std::all_of(gateways.begin(), gateways.end(), [](const std::string& g) { return g == "mesh"; })) {
      add(vs, source,
          "has host " + host_ + " but binds no gateway (spec.gateways " +
              (written.gateways.empty() ? "is empty: the mesh only" : "names only mesh") + ")");
      return;
    }
    std::vector<std::string> all_gateways;
    for (const auto& g : snapshot_.gateways) all_gateways.push_back(key(g.meta));
    for (const auto& ref : gateways) {
      if (ref == "mesh") continue;
      const model::Gateway* gateway = nullptr;
      for (const auto& g : snapshot_.gateways)
        if (key(g.meta) == ref) gateway = &g;
      if (!gateway) {
        // The same name in another namespace is the usual slip: a short name resolves in the
        // VirtualService's own namespace.
        std::string hint;
        const std::string name = ref.substr(ref.find('/') + 1);
        for (const auto& g : snapshot_.gateways)
          if (g.meta.name == name) hint = key(g.meta);
        if (hint.empty()) hint = text::closest_name(ref, all_gateways);
        add(vs, source,
            "gateway " + in_quotes(ref) + " does not resolve: there is no Gateway " + ref +
                (hint.empty() ? "" : "; did you mean " + in_quotes(hint) + "?"));
        continue;
      }
      if (!selected_.count(ref)) {
        add(vs, source,
            "is bound to Gateway " + ref + ", which does not apply to gateway " + proxy_.service + " (selector " +
                labels_text(gateway->selector) + ")");
        continue;
      }
      if (route::visibility_rank(vs, ref, proxy_.namespace_) < 0) {
        add(vs, source,
            "exportTo [" + join_list(written.export_to) + "] hides it from the gateway's namespace " + proxy_.namespace_);
        continue;
      }
      std::vector<const model::Server*> on_port;
      for (const auto& s : gateway->servers)
        if (listens_on(*gateway, s, proxy_, listen_port_)) on_port.push_back(&s);
      if (on_port.empty()) {
        add(vs, source,
            "is bound to Gateway " + ref + ", which has no server on Service port " + std::to_string(service_port_) +
                " (its servers: " + ports_text(*gateway) + ")");
        continue;
      }
      bool visible_host = false, any_namespace_host = false;
      std::vector<std::string> server_hosts;
      for (const model::Server* s : on_port) {
        model::Server sanitized = route::sanitize_server_hosts(*s, gateway->meta.namespace_);
        for (const auto& h : host::names_for_namespace(sanitized.hosts, vs.meta.namespace_, gateway->meta.namespace_))
          if (covers(h, host_)) visible_host = true;
        for (const auto& h : sanitized.hosts) {
          server_hosts.push_back(h);
          if (covers(host::parse_server_host(h).dns_name, host_)) any_namespace_host = true;
        }
      }
      if (visible_host) continue;  // bound: not a near miss of the Gateway binding
      add(vs, source,
          "host " + host_ + " is not among Gateway " + ref + "'s hosts on port " + std::to_string(on_port.front()->port.number) +
              " [" + join_list(server_hosts) + "]" +
              (any_namespace_host ? " for VirtualServices of namespace " + vs.meta.namespace_ : ""));
    }
  }

  // Nothing names the Host, nor a name close to it: the servers that take this port, and the
  // hosts they do serve (at most three Gateways).
  void servers_on_port() {
    constexpr std::size_t kNamed = 3;
    for (const auto& g : snapshot_.gateways) {
      if (out_.size() >= kNamed) return;
      if (!selected_.count(key(g.meta))) continue;
      for (const auto& s : g.servers) {
        if (!listens_on(g, s, proxy_, listen_port_)) continue;
        out_.push_back({"Gateway " + key(g.meta), g.meta.source.to_string(),
                        "its server on port " + std::to_string(s.port.number) + " serves " + join_list(s.hosts) + ", not " +
                            host_ + ": no Gateway server and no VirtualService names the Host"});
        break;
      }
    }
  }

  // Nothing names the Host: a VirtualService or Gateway host that differs by a typo.
  void similar_virtual_service_hosts() {
    std::vector<std::string> hosts;
    for (const auto& vs : snapshot_.virtual_services)
      for (const auto& h : vs.hosts) hosts.push_back(text::to_lower(h));
    std::string near = text::closest_name(host_, hosts);
    if (near.empty()) return;
    for (const auto& vs : snapshot_.virtual_services)
      for (const auto& h : vs.hosts)
        if (text::to_lower(h) == near) {
          out_.push_back({"VirtualService " + key(vs.meta), vs.meta.source.to_string(),
                          "has host " + h + ", close to Host " + in_quotes(host_) + " (a typo?)"});
          return;
        }
  }

  const model::ConfigSnapshot& snapshot_;
  const route::GatewayProxy& proxy_;
  std::string host_;
  std::uint32_t service_port_ = 0;
  std::uint32_t listen_port_ = 0;
  std::set<std::string> selected_;
  std::vector<NearMiss> out_;
};

}  // namespace

std::vector<NearMiss> config_near_misses(const model::ConfigSnapshot& snapshot, const route::RouteTable& table,
                                         const http::Request& request, const match::Explanation& explanation,
                                         const match::DecisionTrace& decided) {
  Search search(snapshot, table, request);
  using match::Outcome;
  const bool blackhole = explanation.virtual_host.rfind("blackhole:", 0) == 0;
  switch (decided.outcome) {
    case Outcome::kNoListener:
    case Outcome::kNoFilterChain:
    case Outcome::kNoVirtualHost: search.host_not_served(!explanation.near_misses.empty()); break;
    case Outcome::kNoRoute:
      if (blackhole || explanation.virtual_host.empty()) search.host_not_served(!explanation.near_misses.empty());
      else search.route_missed(explanation.virtual_host);
      break;
    case Outcome::kClusterNotFound:
    case Outcome::kNoHealthyUpstream:
      if (!decided.cluster.empty()) search.cluster_missed(decided);
      break;
    default: break;
  }
  return search.take();
}

}  // namespace gwsim::conformance
