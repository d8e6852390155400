#include "engine/route/virtual_host_table.h"

#include <cctype>

namespace gwsim::route {

namespace detail {
std::string_view normalize_host(std::string_view host, char* buf, std::size_t cap) {
  // Strip ":port": for "[v6]:port" after the bracket, otherwise the last colon when there is
  // exactly one (a bare IPv6 address without brackets keeps its colons).
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    if (close != std::string_view::npos) host = host.substr(0, close + 1);
  } else {
    auto colon = host.rfind(':');
    if (colon != std::string_view::npos && host.find(':') == colon) host = host.substr(0, colon);
  }
  if (host.size() > cap) return {};
  for (std::size_t i = 0; i < host.size(); ++i) {
    buf[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(host[i])));
  }
  return {buf, host.size()};
}
}  // namespace detail

void VirtualHostTable::add(std::string_view domain, int index) {
  std::string d(domain);
  for (auto& c : d) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ++count_;
  if (d == "*") {
    if (default_ == kNone) default_ = index;
  } else if (d.front() == '*') {
    std::string suffix = d.substr(1);
    suffix_[suffix.size()].emplace(std::move(suffix), index);
  } else if (d.back() == '*') {
    std::string prefix = d.substr(0, d.size() - 1);
    prefix_[prefix.size()].emplace(std::move(prefix), index);
  } else {
    exact_.emplace(std::move(d), index);
  }
}

int VirtualHostTable::find(std::string_view host_header) const {
  char buf[256];
  std::string heap;
  std::string_view host = detail::normalize_host(host_header, buf, sizeof(buf));
  if (host.empty() && !host_header.empty()) {
    heap.resize(host_header.size());
    host = detail::normalize_host(host_header, heap.data(), heap.size());
  }
  if (auto it = exact_.find(host); it != exact_.end()) return it->second;
  // A wildcard never matches the empty string: the host must be strictly longer.
  for (const auto& [len, map] : suffix_) {
    if (host.size() <= len) continue;
    if (auto it = map.find(host.substr(host.size() - len)); it != map.end()) return it->second;
  }
  for (const auto& [len, map] : prefix_) {
    if (host.size() <= len) continue;
    if (auto it = map.find(host.substr(0, len)); it != map.end()) return it->second;
  }
  return default_;
}

}  // namespace gwsim::route
