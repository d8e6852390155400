// Istio host names (pkg/config/host): wildcard semantics used at configuration time.
// A name is a wildcard iff it starts with '*'; the rest is a plain suffix, so "*.example.com"
// covers "a.example.com" and "a.b.example.com" but not "example.com", and "*" covers all.
// Comparison is case-sensitive, as in Istio (Envoy lower-cases at request time instead).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gwsim::host {

bool is_wildcard(std::string_view name);

// Symmetric overlap (Istio host.Name.Matches): some concrete name is covered by both.
bool matches(std::string_view a, std::string_view b);

// One-directional (Istio host.Name.SubsetOf): every name `a` covers is covered by `b`.
bool subset_of(std::string_view a, std::string_view b);

// Istio host.Names.Intersection: for each overlapping pair, the more specific of the two
// (server "*.example.com" x VS "a.example.com" -> "a.example.com"). Deduplicated, in the order
// found (outer loop over `a`).
std::vector<std::string> intersection(const std::vector<std::string>& a, const std::vector<std::string>& b);

// Gateway server host "ns/dnsName" split; namespace "" when absent. "./x" keeps ".".
struct ServerHost {
  std::string namespace_;  // "", "*", ".", or a namespace
  std::string dns_name;
};
ServerHost parse_server_host(std::string_view text);

// Istio host.NamesForNamespace: the dnsNames of `server_hosts` visible to a VirtualService in
// `vs_namespace` (prefix absent, "*", or equal to it). `gateway_namespace` resolves "./".
std::vector<std::string> names_for_namespace(const std::vector<std::string>& server_hosts,
                                             const std::string& vs_namespace,
                                             const std::string& gateway_namespace);

// Istio ResolveShortnameToFQDN: "reviews" in "default" -> "reviews.default.svc.cluster.local";
// names with a dot, "*" and IP addresses are returned unchanged.
std::string resolve_short_name(std::string_view name, std::string_view namespace_,
                               std::string_view domain = "cluster.local");

bool is_ip_address(std::string_view text);

// Most specific match of `name` among `candidates` (exact first, then the longest wildcard
// covering it); -1 when none. Istio's MostSpecificHostMatch.
int most_specific_match(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace gwsim::host
