#include "engine/analysis/unreachable_route.h"

#include <re2/re2.h>

#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/analysis/analyzers.h"
#include "engine/analysis/table_routes.h"
#include "engine/text/ascii.h"

namespace gwsim::analysis {

namespace {

using route::PathMatcher;
using route::StringMatcher;

bool has_letter(std::string_view s) {
  for (char c : s)
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return false;
}

// The two path values as compared under both matchers' case rules; false when no comparison
// can hold (a case-sensitive value with letters never covers all case variants of another).
bool comparable(const PathMatcher& a, const PathMatcher& b, std::string& av, std::string& bv) {
  if (!a.case_sensitive) {
    av = text::to_lower(a.value);
    bv = text::to_lower(b.value);
    return true;
  }
  if (!b.case_sensitive) {
    if (has_letter(a.value)) return false;
    av = a.value;
    bv = text::to_lower(b.value);
    return true;
  }
  av = a.value;
  bv = b.value;
  return true;
}

bool path_covers(const PathMatcher& a, const PathMatcher& b) {
  if (a.kind == PathMatcher::Kind::kRegex) {
    if (a.value == ".*") return true;
    if (b.kind == PathMatcher::Kind::kRegex) return a.value == b.value && a.case_sensitive == b.case_sensitive;
    if (b.kind == PathMatcher::Kind::kExact && b.case_sensitive && a.regex)
      return RE2::FullMatch(b.value, *a.regex);
    return false;
  }
  // Every path Envoy routes starts with "/" (it answers 400 to any other), so the prefix "/" takes
  // whatever a regex could match.
  if (b.kind == PathMatcher::Kind::kRegex)
    return a.kind == PathMatcher::Kind::kPrefix && (a.value.empty() || a.value == "/");
  std::string av, bv;
  if (!comparable(a, b, av, bv)) return false;
  switch (a.kind) {
    case PathMatcher::Kind::kPrefix: return bv.starts_with(av);
    case PathMatcher::Kind::kExact: return b.kind == PathMatcher::Kind::kExact && bv == av;
    case PathMatcher::Kind::kPathSeparatedPrefix:
      if (b.kind == PathMatcher::Kind::kPrefix) return bv.starts_with(av + "/");
      return bv == av || bv.starts_with(av + "/");
    case PathMatcher::Kind::kRegex: break;
  }
  return false;
}

// Every value `x` accepts is accepted by `y` (both as written, not inverted).
bool string_subset(const StringMatcher& x, const StringMatcher& y) {
  switch (y.kind) {
    case StringMatcher::Kind::kPresent: return true;
    case StringMatcher::Kind::kExact: return x.kind == StringMatcher::Kind::kExact && x.value == y.value;
    case StringMatcher::Kind::kPrefix:
      return (x.kind == StringMatcher::Kind::kExact || x.kind == StringMatcher::Kind::kPrefix) &&
             x.value.starts_with(y.value);
    case StringMatcher::Kind::kRegex:
      if (x.kind == StringMatcher::Kind::kRegex) return x.value == y.value;
      return x.kind == StringMatcher::Kind::kExact && y.regex && RE2::FullMatch(x.value, *y.regex);
  }
  return false;
}

// Each condition of `earlier` is implied by a condition of `later` on the same name: for a
// plain one, later's set within earlier's; for an inverted one, earlier's excluded set within
// later's.
template <typename Condition, typename SameKey>
bool conditions_cover(const std::vector<Condition>& earlier, const std::vector<Condition>& later, SameKey same_key) {
  for (const auto& e : earlier) {
    bool implied = false;
    for (const auto& l : later) {
      if (!same_key(e, l)) continue;
      if (e.invert != l.invert) continue;
      implied = e.invert ? string_subset(e.match, l.match) : string_subset(l.match, e.match);
      if (implied) break;
    }
    if (!implied) return false;
  }
  return true;
}

bool plain_path(const PathMatcher& p) { return p.case_sensitive && p.kind != PathMatcher::Kind::kRegex; }

}  // namespace

bool route_covers(const route::RouteMatch& earlier, const route::RouteMatch& later) {
  if (!path_covers(earlier.path, later.path)) return false;
  if (!conditions_cover(earlier.headers, later.headers,
                        [](const route::HeaderMatcher& a, const route::HeaderMatcher& b) { return a.name == b.name; }))
    return false;
  if (!conditions_cover(earlier.claims, later.claims,
                        [](const route::ClaimMatcher& a, const route::ClaimMatcher& b) { return a.path == b.path; }))
    return false;
  for (const auto& e : earlier.query_parameters) {
    bool implied = false;
    for (const auto& l : later.query_parameters)
      if (l.name == e.name && string_subset(l.match, e.match)) implied = true;
    if (!implied) return false;
  }
  return true;
}

std::vector<std::optional<std::size_t>> shadowing_routes(const std::vector<const route::Route*>& routes) {
  std::vector<std::optional<std::size_t>> out(routes.size());
  using Kind = PathMatcher::Kind;
  // Earlier routes with a plain path, by kind and path value, in order.
  std::unordered_map<std::string, std::vector<std::size_t>> by_prefix, by_exact, by_separated;
  std::vector<std::size_t> others;  // regex or case-insensitive paths: compared with every later route
  auto consider = [&](std::size_t j, std::size_t i) {
    if (out[j] && *out[j] <= i) return;
    if (route_covers(routes[i]->match, routes[j]->match)) out[j] = i;
  };
  auto consider_all = [&](std::size_t j, const std::vector<std::size_t>* candidates) {
    if (!candidates) return;
    for (std::size_t i : *candidates) {
      if (out[j] && *out[j] <= i) break;  // in order: the rest come later
      consider(j, i);
    }
  };
  auto find = [](const auto& map, const std::string& key) -> const std::vector<std::size_t>* {
    auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
  };
  for (std::size_t j = 0; j < routes.size(); ++j) {
    const PathMatcher& path = routes[j]->match.path;
    if (plain_path(path)) {
      const std::string& v = path.value;
      for (std::size_t len = 0; len <= v.size(); ++len) {
        std::string key = v.substr(0, len);
        consider_all(j, find(by_prefix, key));
        if (len < v.size() && v[len] == '/') consider_all(j, find(by_separated, key));
      }
      if (path.kind != Kind::kPrefix) consider_all(j, find(by_separated, v));
      if (path.kind == Kind::kExact) consider_all(j, find(by_exact, v));
      for (std::size_t i : others) consider(j, i);
    } else {
      for (std::size_t i = 0; i < j; ++i) consider(j, i);
    }
    // Only a route that is itself reachable needs to be indexed: whatever a covered route
    // covers, the route covering it covers too.
    if (out[j]) continue;
    if (!plain_path(path)) others.push_back(j);
    else if (path.kind == Kind::kPrefix) by_prefix[path.value].push_back(j);
    else if (path.kind == Kind::kExact) by_exact[path.value].push_back(j);
    else by_separated[path.value].push_back(j);
  }
  return out;
}

void analyze_unreachable_routes(const Context& context, Report& report) {
  const MessageType& type = message_type("UnreachableRoute");
  for (const auto& table : context.tables())
    for (const auto& [config_name, config] : table->route_configs)
      for (const auto& vhost : config.virtual_hosts) {
        std::vector<const route::Route*> routes;
        for (const auto& r : vhost.routes) routes.push_back(&r);
        auto shadowed = shadowing_routes(routes);
        for (std::size_t j = 0; j < routes.size(); ++j)
          if (shadowed[j])
            report_on_route(context, report, type, *routes[j],
                            {describe_route(*routes[j], j), vhost.name, describe_route(*routes[*shadowed[j]], *shadowed[j])});
      }
}

}  // namespace gwsim::analysis
