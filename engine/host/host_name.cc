#include "engine/host/host_name.h"

#include <algorithm>
#include <arpa/inet.h>

namespace gwsim::host {

namespace {
bool has_suffix(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

bool is_wildcard(std::string_view name) { return !name.empty() && name.front() == '*'; }

bool matches(std::string_view a, std::string_view b) {
  const bool aw = is_wildcard(a), bw = is_wildcard(b);
  if (aw && bw) {
    return a.size() < b.size() ? has_suffix(b.substr(1), a.substr(1)) : has_suffix(a.substr(1), b.substr(1));
  }
  if (aw) return has_suffix(b, a.substr(1));
  if (bw) return has_suffix(a, b.substr(1));
  return a == b;
}

bool subset_of(std::string_view a, std::string_view b) {
  const bool aw = is_wildcard(a), bw = is_wildcard(b);
  if (aw) {
    if (!bw) return false;
    if (a.size() < b.size()) return false;
    return has_suffix(a.substr(1), b.substr(1));
  }
  if (bw) return has_suffix(a, b.substr(1));
  return a == b;
}

std::vector<std::string> intersection(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  auto add = [&out](const std::string& h) {
    if (std::find(out.begin(), out.end(), h) == out.end()) out.push_back(h);
  };
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (subset_of(x, y)) add(x);
      else if (subset_of(y, x)) add(y);
    }
  }
  return out;
}

ServerHost parse_server_host(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return {"", std::string(text)};
  return {std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
}

std::vector<std::string> names_for_namespace(const std::vector<std::string>& server_hosts,
                                             const std::string& vs_namespace,
                                             const std::string& gateway_namespace) {
  std::vector<std::string> out;
  for (const auto& h : server_hosts) {
    ServerHost sh = parse_server_host(h);
    if (sh.namespace_ == ".") sh.namespace_ = gateway_namespace;  // sanitizeServerHostNamespace
    if (!sh.namespace_.empty() && sh.namespace_ != "*" && sh.namespace_ != vs_namespace) continue;
    out.push_back(sh.dns_name);
  }
  return out;
}

bool is_ip_address(std::string_view text) {
  std::string s(text);
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

std::string resolve_short_name(std::string_view name, std::string_view namespace_, std::string_view domain) {
  std::string out(name);
  if (name.empty() || name == "*" || is_ip_address(name)) return out;
  if (name.find('.') == std::string_view::npos) {
    if (!namespace_.empty()) out.append(".").append(namespace_);
    if (!domain.empty()) out.append(".svc.").append(domain);
  }
  return out;
}

int most_specific_match(std::string_view name, const std::vector<std::string>& candidates) {
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i] == name) return static_cast<int>(i);
  }
  int best = -1;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto& c = candidates[i];
    if (!is_wildcard(c) || !subset_of(name, c)) continue;
    if (best < 0 || c.size() > candidates[best].size()) best = static_cast<int>(i);
  }
  return best;
}

}  // namespace gwsim::host
