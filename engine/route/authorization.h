// The gateway's authorization filters as Istio builds them from AuthorizationPolicy: which
// policies apply to the gateway workload (pilot/pkg/model/authorization.go
// ListAuthorizationPolicies, policyattachment.go ShouldAttachPolicy), split by action and turned
// into Envoy RBAC configurations (pilot/pkg/security/authz/builder/builder.go Builder.build,
// authz/model/model.go New / Generate, generator.go, permission.go, principal.go,
// authz/matcher). The rbac filter (engine/router/rbac.h) evaluates them per request.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/snapshot.h"
#include "engine/route/route_table.h"

namespace re2 {
class RE2;
}

namespace gwsim::route {

// envoy.config.core.v3.CidrRange, from Istio's util.AddrStrToCidrRange ("10.0.0.1" is a /32).
struct CidrRange {
  std::array<std::uint8_t, 16> address{};
  bool v6 = false;
  unsigned prefix_len = 0;
  bool contains(std::string_view ip) const;
  static std::optional<CidrRange> parse(std::string_view text);
};

// envoy.type.matcher.v3.StringMatcher as Istio's authz/matcher builds it: exact, prefix, suffix
// (optionally ignoring case) or a regex (".+" for "*").
struct RbacStringMatcher {
  enum class Kind { kExact, kPrefix, kSuffix, kRegex };
  Kind kind = Kind::kExact;
  std::string value;
  bool ignore_case = false;
  std::shared_ptr<const re2::RE2> regex;  // kRegex (full match, as Envoy)
  bool matches(std::string_view candidate) const;
};

// One node of Envoy's rbac Permission / Principal tree (envoy/config/rbac/v3/rbac.proto).
struct RbacMatcher {
  enum class Kind {
    kAny,
    kAnd,
    kOr,
    kNot,
    kHeader,               // `name` (":authority", ":method" or a request header): present or `strings[0]`
    kUrlPath,              // url_path: the path without query, `strings[0]`
    kUriTemplate,          // uri_template: `name` is the template, `regex` its compiled form
    kDestinationPort,      // the port the gateway pod accepted the connection on
    kDestinationIp,        // the gateway pod's address
    kRequestedServerName,  // the TLS SNI
    kDirectRemoteIp,       // the connection's peer (source.ip, ipBlocks)
    kRemoteIp,             // the downstream client as X-Forwarded-For tells it (remote.ip, remoteIpBlocks)
    kAuthenticated,        // the peer certificate's identity (principals, namespaces, ...)
    kJwtPayload,           // jwt_authn's payload at `path`: a string, or a list with one matching item
    kEnvoyMetadata,        // experimental.envoy.filters.*: other filters' dynamic metadata
  };
  Kind kind = Kind::kAny;
  std::vector<RbacMatcher> children;  // kAnd, kOr, kNot (one)
  std::string name;
  bool present = false;                    // kHeader: present_match
  std::vector<RbacStringMatcher> strings;  // OR-ed
  std::vector<std::string> path;           // kJwtPayload: claim names, nested
  std::optional<CidrRange> cidr;
  std::uint32_t port = 0;
  std::shared_ptr<const re2::RE2> regex;  // kUriTemplate
};

// One RBAC policy: a rule of an AuthorizationPolicy (or the match-never stand-in of a policy
// without rules), named as Istio names it.
struct RbacPolicy {
  std::string name;                      // "ns[foo]-policy[bar]-rule[0]"
  std::string policy;                    // "foo/bar"
  int rule = -1;                         // index in spec.rules; -1: the policy has no rules
  std::vector<RbacMatcher> permissions;  // OR-ed
  std::vector<RbacMatcher> principals;   // OR-ed
};

// One rbac HTTP filter's configuration.
struct RbacConfig {
  enum class Action { kAllow, kDeny, kLog };
  Action action = Action::kAllow;
  std::vector<RbacPolicy> policies;         // enforced; sorted by name (Envoy keeps a map)
  std::vector<RbacPolicy> shadow_policies;  // istio.io/dry-run: evaluated for logs only
  bool enforced = false;                    // an enforced rule set exists (Istio: hasEnforcePolicy)
};

// The gateway's rbac filters, in Istio's order: AUDIT, DENY, ALLOW (builder.go build). CUSTOM
// policies (ext_authz) are not simulated: they are listed in RouteTable::unsimulated.
struct AuthorizationConfig {
  std::optional<RbacConfig> audit;
  std::optional<RbacConfig> deny;
  std::optional<RbacConfig> allow;
  // What Istio's AuthzLogger reports for this workload (skipped rules, ignored values).
  std::vector<std::string> notes;
  // The network rbac filters of the gateway's TCP filter chains (builder.go BuildTCP): the same
  // policies generated for TCP, where HTTP-only fields (paths, methods, hosts, request headers,
  // request.auth.*) skip an ALLOW rule and are dropped from a DENY or AUDIT rule
  // (model.go checkError). nullptr: none (no policy applies).
  std::shared_ptr<const AuthorizationConfig> tcp;
};

// The policies that apply to `proxy` (root namespace istio-system, the gateway's namespace;
// selector or, for a Gateway API gateway, targetRefs to its Gateway) compiled into the rbac
// filters; nullptr when none applies. CUSTOM policies and those reading Envoy metadata are
// appended to `unsimulated`.
std::shared_ptr<const AuthorizationConfig> build_authorization(const model::ConfigSnapshot& snapshot,
                                                               const GatewayProxy& proxy,
                                                               std::vector<UnsimulatedRef>& unsimulated);

// The compile step for a table (after its listeners): table.authorization, the notes among its
// warnings, CUSTOM and Envoy-metadata policies in table.unsimulated, and, when the gateway has
// TCP filter chains (TLS passthrough, TCP routes), its ALLOW and DENY policies too: Istio
// guards those chains with Envoy's network rbac filter, which gwsim does not run.
void build_authorization(const model::ConfigSnapshot& snapshot, RouteTable& table);

// Whether a policy applies to the gateway workload (ShouldAttachPolicy for a gateway proxy).
bool authorization_applies(const model::AuthorizationPolicy& policy, const GatewayProxy& proxy);

}  // namespace gwsim::route
